"""Every file type a report is published in, sniffed from its bytes (not its name).

Each reader turns a file into a Document: plain text rendered in the layout the
tokenizer reads, with a map back to the file for evidence.  Limits are checked
before any work that could cost unbounded time or memory.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import zipfile
from pathlib import Path

from gongkai.errors import Corrupt, InputError, NotText, TooLarge, Unsupported
from gongkai.reading import text
from gongkai.reading.document import Document

MAX_BYTES = 50 * 1024 * 1024  # a report is a few MB at most; a 200 MB upload is refused
# Zip containers (DOCX, XLSX, ODS): refuse before inflating anything larger.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")


def sniff(data: bytes) -> str:
    """The file type from its first bytes and, for zips, the names inside."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # legacy .doc / .xls
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"{\\rtf":
        return "rtf"  # Word's rich text: its own markup, never to be read as a report's text
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            # A damaged file still names its parts in its local headers: let its reader say it is damaged.
            head = data[:1_000_000]
            names = {n for n in ("word/document.xml", "xl/workbook.xml", "content.xml") if n.encode() in head}
            if "content.xml" in names:
                names.add("mimetype")
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names and "mimetype" in names:
            return "ods"  # also .odt; the ODF reader tells them apart
        return "zip"
    return "text"


def check_zip(data: bytes) -> None:
    """Refuse zip bombs: the declared sizes are read without inflating anything."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > 10 * 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
            raise TooLarge(
                f"压缩文件中的“{info.filename}”解压后异常膨胀（{ratio:.0f} 倍），疑似恶意文件，已拒绝",
                f"zip member {info.filename} expands {ratio:.0f}x: refused as a zip bomb",
            )
    if total > MAX_UNZIPPED_BYTES:
        raise TooLarge(
            f"文件解压后过大（{total // 1024 // 1024} MB），已拒绝",
            f"unzipped size {total} bytes over the limit {MAX_UNZIPPED_BYTES}",
        )


def read_bytes(data: bytes, name: str = "") -> Document:
    if len(data) > MAX_BYTES:
        raise TooLarge(
            f"文件过大（{len(data) // 1024 // 1024} MB），超过上限 {MAX_BYTES // 1024 // 1024} MB",
            f"file too large ({len(data)} bytes > {MAX_BYTES})",
        )
    kind = sniff(data)
    if kind in ("docx", "xlsx", "ods"):
        try:
            check_zip(data)
        except zipfile.BadZipFile as exc:
            raise Corrupt(f"{_NAMES[kind]}文件已损坏，无法读取", f"damaged {kind} file: {exc}") from exc
    if kind == "text":
        try:
            return text.read(data, "html" if name.lower().endswith(HTML_SUFFIXES) else None)
        except NotText as exc:
            # Binary bytes under a document's name: say the file is not what its name claims.
            suffix = Path(name).suffix.lower()
            if suffix in _BINARY_SUFFIXES:
                raise Corrupt(
                    f"不是有效的 {_BINARY_SUFFIXES[suffix]} 文件（内容与扩展名不符或文件已损坏），无法读取",
                    f"not a valid {suffix} file (its bytes are not of that type)",
                ) from exc
            raise
    module_name = _READER_MODULES.get(kind)
    if module_name is None or importlib.util.find_spec(module_name) is None:
        raise Unsupported(*_UNSUPPORTED.get(kind, _UNSUPPORTED["zip"]))
    # Imported on first use: the PDF and office libraries cost start-up time.
    return importlib.import_module(module_name).read(data, kind)


def read_file(path: str | Path) -> Document:
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise TooLarge(
            f"文件过大（{size // 1024 // 1024} MB），超过上限 {MAX_BYTES // 1024 // 1024} MB",
            f"file too large ({size} bytes > {MAX_BYTES})",
        )
    return read_bytes(path.read_bytes(), path.name)


_NAMES = {"docx": "Word ", "xlsx": "Excel ", "ods": "OpenDocument "}
_BINARY_SUFFIXES = {
    ".pdf": "PDF",
    ".docx": "Word",
    ".doc": "Word",
    ".xlsx": "Excel",
    ".xls": "Excel",
    ".ods": "OpenDocument",
    ".odt": "OpenDocument",
    ".rtf": "RTF",
}
_UNSUPPORTED = {
    "pdf": ("PDF 文件暂不支持，请先另存为文本或网页", "PDF files are not supported yet"),
    "docx": ("Word（.docx）文件暂不支持", "DOCX files are not supported yet"),
    "xlsx": ("Excel（.xlsx）文件暂不支持", "XLSX files are not supported yet"),
    "ods": ("OpenDocument 文件暂不支持", "OpenDocument files are not supported yet"),
    "ole": ("旧版 Word/Excel（.doc/.xls）文件暂不支持", "legacy office files are not supported yet"),
    "rtf": ("RTF 文件暂不支持", "RTF files are not supported yet"),
    "zip": ("压缩包或未知的压缩格式文件，无法读取", "a zip archive that is not a report document"),
}
# kind → module with `read(data: bytes, kind: str) -> Document`
_READER_MODULES = {
    "pdf": "gongkai.reading.pdf",
    "docx": "gongkai.reading.docx",
    "xlsx": "gongkai.reading.sheets",
    "ods": "gongkai.reading.sheets",
    "ole": "gongkai.reading.legacy",
    "rtf": "gongkai.reading.legacy",
}

__all__ = ["InputError", "read_bytes", "read_file", "sniff"]
