"""Hostile PDFs for the pre-flight tests: small on disk, gigantic once inflated."""

from __future__ import annotations

import base64
import zlib

MIB = 1024 * 1024


def deflated_blanks(mib: int) -> bytes:
    """zlib data that inflates to `mib` MiB of spaces (about 1 KB on disk per MiB)."""
    packer = zlib.compressobj(9)
    chunk = b" " * MIB
    return b"".join(packer.compress(chunk) for _ in range(mib)) + packer.flush()


def pdf(contents: list[tuple[bytes, bytes]], length_ref: bool = False, size: tuple[int, int] = (595, 842)) -> bytes:
    """A one-page PDF whose page has these content streams (dictionary entries, data); valid xref.

    With `length_ref`, each /Length is an indirect object that lies (says 10 bytes).
    """
    objects: list[bytes] = []
    content_ids = []
    base = 3 + len(contents)
    for i, (entries, data) in enumerate(contents):
        length = b"%d 0 R" % (base + i + 1) if length_ref else b"%d" % len(data)
        content_ids.append(4 + i)
        objects.append(b"<< /Length " + length + b" " + entries + b" >>\nstream\n" + data + b"\nendstream")
    refs = b" ".join(b"%d 0 R" % i for i in content_ids)
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents [" % size + refs + b"] >>",
    ]
    every = head + objects + ([b"10" for _ in contents] if length_ref else [])
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(every, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(every) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(every) + 1, xref)
    return bytes(out)


def flate_bomb(mib: int = 256, **kw) -> bytes:
    return pdf([(b"/Filter /FlateDecode", deflated_blanks(mib))], **kw)


def a85_flate_bomb(mib: int = 256) -> bytes:
    data = base64.a85encode(deflated_blanks(mib)) + b"~>"
    return pdf([(b"/Filter [/ASCII85Decode /FlateDecode]", data)])
