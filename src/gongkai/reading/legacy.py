"""Legacy Word and Excel files (.doc, .xls) and rich text (.rtf): converted by LibreOffice, then read as
.docx/.xlsx.

Both are OLE compound files; the names of the streams inside tell them apart
("WordDocument" vs "Workbook"/"Book"), and also reveal an encrypted .docx/.xlsx,
which is an OLE file holding an "EncryptedPackage".  There is no reliable pure-Python
reader for the binary formats, so LibreOffice does the conversion, in a private
temporary profile (concurrent conversions would otherwise fight over one) and
under a time limit.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import struct
import subprocess
import tempfile
from pathlib import Path

from gongkai.errors import Corrupt, Encrypted, TooLarge, Unsupported
from gongkai.reading.document import Document

TIMEOUT_S = 60

NO_LIBREOFFICE = (
    "旧版 Word/Excel（.doc/.xls）和 RTF 文件需要安装 LibreOffice 才能读取"
    "（apt-get install libreoffice-writer-nogui libreoffice-calc-nogui），或请另存为 .docx/.xlsx",
    "legacy .doc/.xls and .rtf need LibreOffice (soffice) on PATH",
)

_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE


def read(data: bytes, kind: str = "ole") -> Document:
    if kind == "rtf":
        from gongkai.reading import docx

        return docx.read(_checked(convert(data, ".rtf", "docx")), "rtf")
    streams = ole_stream_names(data)
    if {"EncryptedPackage", "EncryptionInfo"} & streams:
        raise Encrypted(
            "文件已加密（设有打开密码），请取消密码后另存为 .docx/.xlsx 再试",
            "an encrypted Office document (EncryptedPackage): remove the password first",
        )
    if "WordDocument" in streams:
        from gongkai.reading import docx

        return docx.read(_checked(convert(data, ".doc", "docx")), "doc")
    if {"Workbook", "Book"} & streams:
        from gongkai.reading import sheets

        return sheets.read(_checked(convert(data, ".xls", "xlsx")), "xls")
    if "PowerPoint Document" in streams:
        raise Unsupported("演示文稿（.ppt）不是年报文档，无法读取", "PowerPoint files are not read")
    raise Unsupported(
        "无法识别的旧版 Office 文件（既不是 Word .doc 也不是 Excel .xls）",
        f"an OLE compound file that is neither .doc nor .xls (streams: {sorted(streams)[:8]})",
    )


def _checked(data: bytes) -> bytes:
    from gongkai.reading.files import check_zip

    check_zip(data)  # LibreOffice's output obeys the same limits as an upload
    return data


def ole_stream_names(data: bytes) -> set[str]:
    """Names of the storages and streams of an OLE compound file (its directory, read minimally)."""
    if len(data) < 512:
        return set()
    sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    if sector_size not in (512, 4096):
        return set()
    n_sectors = len(data) // sector_size  # bounds every chain walked below

    def sector(n: int) -> bytes:
        start = (n + 1) * sector_size
        return data[start : start + sector_size]

    # The FAT's own sectors: 109 in the header, the rest in a chain of DIFAT sectors.
    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    difat = struct.unpack_from("<I", data, 0x44)[0]
    for _ in range(n_sectors):
        if difat >= n_sectors:
            break
        entries = struct.unpack(f"<{sector_size // 4}I", sector(difat))
        fat_sectors += entries[:-1]
        difat = entries[-1]
    fat: list[int] = []
    for n in fat_sectors:
        if n < n_sectors:
            fat += struct.unpack(f"<{sector_size // 4}I", sector(n))
    names = set()
    current = struct.unpack_from("<I", data, 0x30)[0]
    for _ in range(n_sectors):  # the directory chain
        if current >= n_sectors:
            break
        block = sector(current)
        for offset in range(0, len(block) - 127, 128):
            entry = block[offset : offset + 128]
            length = struct.unpack_from("<H", entry, 0x40)[0]
            if entry[0x42] in (1, 2) and 2 <= length <= 64:  # storage or stream
                names.add(entry[: length - 2].decode("utf-16-le", "replace"))
        current = fat[current] if current < len(fat) else _END_OF_CHAIN
    return names


def convert(data: bytes, suffix: str, target: str) -> bytes:
    """Convert with LibreOffice (`soffice --headless --convert-to target`) and return the new file's bytes."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise Unsupported(*NO_LIBREOFFICE)
    with tempfile.TemporaryDirectory(prefix="gongkai-convert-") as tmp:
        source = Path(tmp) / f"input{suffix}"
        source.write_bytes(data)
        outdir = Path(tmp) / "out"
        command = [
            soffice,
            f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ]
        # A session of its own, so that a timeout ends LibreOffice and every helper it started.
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            _, stderr = process.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise TooLarge(
                f"LibreOffice 转换超时（{TIMEOUT_S} 秒），已放弃",
                f"LibreOffice conversion timed out after {TIMEOUT_S} s",
            ) from None
        result = outdir / f"input.{target}"
        if not result.is_file():
            detail = stderr.decode("utf-8", "replace").strip()[-300:]
            raise Corrupt(
                "LibreOffice 无法转换此文件（文件可能已损坏或加密）",
                f"LibreOffice did not convert the file (exit {process.returncode}): {detail}",
            )
        return result.read_bytes()


def _kill(process: subprocess.Popen) -> None:
    if hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError):  # it may have ended by itself meanwhile
            os.killpg(process.pid, signal.SIGKILL)
    else:  # pragma: no cover - Windows
        process.kill()
    process.communicate()
