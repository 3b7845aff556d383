"""Pre-flight for PDFs: refuse compression bombs before any reader inflates a stream.

pdfminer (under pdfplumber) inflates a stream whole, when it first needs it: one
FlateDecode stream of 2 MB on disk that inflates to 2 GiB costs gigabytes of
memory and most of a minute before anything can be refused.  This walks every
stream in the file first and inflates it through a bounded decompressor, in
chunks that are thrown away, so the check itself needs a few hundred kilobytes
whatever the file holds.

The walk is lexical on purpose: it does not trust the cross-reference table (a
bomb can sit in the xref stream or in an object stream that pdfminer inflates
while opening the file), nor /Length (a Flate stream is fed from its first byte
until the deflate data ends, however long the dictionary says it is).  A stream
the walk cannot decode is left alone: it is here to measure, the readers decide
what is readable.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator

from gongkai.errors import TooLarge

MIB = 1024 * 1024
# One stream (a page's content, a font, an object stream, an image) after every filter: a page of dense
# text is well under 1 MB, an embedded CJK font about 10 MB, a 300 dpi A3 colour image 52 MB.
MAX_STREAM_BYTES = 100 * MIB
# All streams of one document together: 300 pages of text with their fonts and images stay far below.
MAX_TOTAL_BYTES = 1024 * MIB
_CHUNK = 64 * 1024
_DICT_WINDOW = 64 * 1024  # how far before `stream` its dictionary may start
_NEAR = 4096

_STREAM = re.compile(rb"(?<![A-Za-z0-9])stream(?=[\s])")
_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_WHITE = b" \t\r\n\f\x00"
_ENDSTREAM = b"endstream"
# Codecs whose output size is fixed by the image's declared dimensions, and which pdfminer never decodes.
_IMAGE_CODECS = {"DCTDecode", "DCT", "JPXDecode", "CCITTFaxDecode", "CCF", "JBIG2Decode", "Crypt"}


class _Over(Exception):
    """The bounded output ran past its limit."""


def check(data: bytes) -> None:
    """Raise TooLarge when one stream or all streams together inflate beyond the limits."""
    total = 0
    objects = _Objects(data)
    view = memoryview(data)
    for match in _STREAM.finditer(data):
        filters = _filters(data, match.start(), objects)
        if not filters:
            continue
        size = 0
        for start in _starts(data, match.end()):
            try:
                size = max(size, _decoded_size(data, view, start, filters, MAX_STREAM_BYTES))
            except _Over:
                raise _refusal(MAX_STREAM_BYTES, "one stream") from None
        total += size
        if total > MAX_TOTAL_BYTES:
            raise _refusal(MAX_TOTAL_BYTES, "all streams together")


def _refusal(limit: int, what: str) -> TooLarge:
    mb = limit // MIB
    return TooLarge(
        f"PDF 中的压缩数据解压后过大（超过 {mb} MB），疑为压缩炸弹，已拒绝",
        f"PDF compressed data inflates beyond {mb} MiB ({what}): suspected compression bomb",
    )


def _starts(data: bytes, after: int) -> list[int]:
    """Where the stream's data may begin: after the blanks that follow `stream`, or after its line.

    A zlib stream never begins with a blank byte, so skipping blanks cannot skip data; readers that
    take the rest of the keyword's line as part of it start after the first line break instead.
    """
    first = after
    while first < len(data) and data[first] in _WHITE:
        first += 1
    starts = [first]
    newline = min((p for p in (data.find(b"\n", after), data.find(b"\r", after)) if p >= 0), default=-1)
    if newline >= 0:
        line = newline + (2 if data[newline : newline + 2] == b"\r\n" else 1)
        if line != first and line < len(data):
            starts.append(line)
    return starts


def _decoded_size(data: bytes, view: memoryview, start: int, filters: list[str], limit: int) -> int:
    """Bytes the stream at `start` decodes to through `filters`; _Over past `limit`, 0 when undecodable."""
    first, rest = filters[0], filters[1:]
    try:
        if first in ("FlateDecode", "Fl") and not rest:
            return _inflate_size(_chunks(view, start), limit)
        end = data.find(_ENDSTREAM, start)
        raw = bytes(view[start : end if end >= 0 else len(data)])
        stage = raw
        for name in filters:
            if name in _IMAGE_CODECS:
                break
            stage = _decode(name, stage, limit)
            if stage is None:
                return 0
        return len(stage)
    except _Over:
        raise
    except Exception:  # noqa: BLE001 - damaged data: not ours to judge, the reader will say what is wrong
        return 0


def _chunks(view: memoryview, start: int) -> Iterator[memoryview]:
    for pos in range(start, len(view), _CHUNK):
        yield view[pos : pos + _CHUNK]


def _inflate_size(chunks, limit: int) -> int:
    """Inflated size of the zlib data in `chunks`, counted without keeping it; _Over past `limit`."""
    inflater = zlib.decompressobj()
    size = 0
    try:
        for chunk in chunks:
            piece = inflater.decompress(chunk, _CHUNK)
            size += len(piece)
            while inflater.unconsumed_tail and not inflater.eof and size <= limit:
                piece = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
                if not piece:
                    break
                size += len(piece)
            if size > limit:
                raise _Over
            if inflater.eof:
                break
    except zlib.error:
        pass  # what was inflated before the damage is what a reader gets
    return size


def _inflate(raw: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(raw, limit + 1)
    except zlib.error:
        return b""
    if len(out) > limit:
        raise _Over
    return out


def _decode(name: str, raw: bytes, limit: int) -> bytes | None:
    if name in ("FlateDecode", "Fl"):
        return _inflate(raw, limit)
    if name in ("LZWDecode", "LZW"):
        from pdfminer.lzw import LZWDecoder

        out = io.BytesIO()
        try:
            for piece in LZWDecoder(io.BytesIO(raw)).run():
                out.write(piece)
                if out.tell() > limit:
                    raise _Over
        except _Over:
            raise
        except Exception:  # noqa: BLE001 - damaged LZW data: what was decoded is what a reader gets
            pass
        return out.getvalue()
    if name in ("RunLengthDecode", "RL"):
        return _run_length(raw, limit)
    if name in ("ASCIIHexDecode", "AHx"):
        from pdfminer.ascii85 import asciihexdecode

        return asciihexdecode(raw)
    if name in ("ASCII85Decode", "A85"):
        from pdfminer.ascii85 import ascii85decode

        return ascii85decode(raw)
    return None  # an unknown filter: nothing a reader can inflate either


def _run_length(raw: bytes, limit: int) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        n = raw[i]
        if n == 128:
            break
        if n < 128:
            out += raw[i + 1 : i + 2 + n]
            i += n + 2
        else:
            out += raw[i + 1 : i + 2] * (257 - n)
            i += 2
        if len(out) > limit:
            raise _Over
    return bytes(out)


class _Objects:
    """Indirect objects found by their `N G obj` header, for a dictionary value given by reference."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._offsets: dict[int, int] | None = None

    def get(self, objid: int):
        if self._offsets is None:
            self._offsets = {int(m.group(1)): m.end() for m in _OBJ.finditer(self.data)}
        pos = self._offsets.get(objid)
        return None if pos is None else _parse(self.data[pos : pos + _DICT_WINDOW])


def _parse(segment: bytes):
    from pdfminer.pdfparser import PDFParser

    try:
        return PDFParser(io.BytesIO(segment + b" endobj")).nextobject()[1]
    except Exception:  # noqa: BLE001 - pdfminer raises many types on malformed syntax
        return None


def _filters(data: bytes, keyword: int, objects: _Objects) -> list[str]:
    """The names of the filters of the stream whose `stream` keyword is at `keyword`.

    A dictionary that cannot be read is taken as FlateDecode, the filter of nearly every stream, so
    an unusual spelling cannot hide a bomb from the check.
    """
    from pdfminer.pdftypes import PDFObjRef
    from pdfminer.psparser import PSLiteral

    window = data[max(0, keyword - _NEAR) : keyword]  # nearly every dictionary is short: look close first
    headers = list(_OBJ.finditer(window))
    if not headers:
        window = data[max(0, keyword - _DICT_WINDOW) : keyword]
        headers = list(_OBJ.finditer(window))
    dict_start = window.rfind(b"<<")
    if headers:
        dict_start = headers[-1].end()
    if dict_start < 0:
        return ["FlateDecode"]
    dic = _parse(window[dict_start:])
    if not isinstance(dic, dict):
        return ["FlateDecode"]

    def resolve(value):
        for _ in range(8):
            if not isinstance(value, PDFObjRef):
                break
            value = objects.get(value.objid)
        return value

    value = resolve(dic.get("Filter"))
    if value is None:
        return []
    names = value if isinstance(value, list) else [value]
    result = []
    for name in names:
        name = resolve(name)
        result.append(name.name if isinstance(name, PSLiteral) else str(name))
    return result
