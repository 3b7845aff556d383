"""Reading text files: UTF-8, GB18030/GBK, UTF-16, with or without BOM; HTML or plain text."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from gongkai.errors import NotText
from gongkai.reading.document import Document, load_text

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _plausible_share(text: str) -> float:
    """Share of characters a Chinese report is made of: CJK, CJK punctuation, ASCII text."""
    sample = text[:4000]
    if not sample:
        return 0.0
    good = sum(
        1
        for ch in sample
        if "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or " " <= ch <= "~"
        or ch in "\t\n\r"
        or "\u2010" <= ch <= "\u206f"
    )
    return good / len(sample)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without BOM: NUL bytes are common, and one byte order reads as Chinese text."""
    if len(data) < 4 or len(data) % 2 or data[:8000].count(0) < 2:
        return None
    best = None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        share = _plausible_share(text)
        if share >= 0.9 and (best is None or share > best[0]):
            best = (share, text, name)
    return (best[1], best[2]) if best else None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name).  Raises NotText for binary data."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                raise NotText(
                    "文件开头标明了编码，但内容不符合该编码，无法读取", f"invalid {name} after its byte-order mark"
                ) from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    if b"\x00" in data[:8192]:
        raise NotText("不是文本文件（含二进制数据）", "binary data (NUL bytes)")
    for name in ("utf-8", "gb18030"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _mostly_printable(text):
            return text, name
    best = from_bytes(data[:200_000]).best()
    if best is not None:
        text = data.decode(best.encoding, errors="replace")
        if _mostly_printable(text):
            return text, best.encoding
    raise NotText("无法识别文件编码（支持 UTF-8、GB18030/GBK、UTF-16）", "no text encoding reads this file")


# Control characters other than tab, newline, carriage return and form feed, and the replacement character.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _mostly_printable(text: str) -> bool:
    if not text:
        return True
    sample = text[:20000]
    return len(_UNPRINTABLE.findall(sample)) / len(sample) < 0.01


def read(data: bytes, kind: str | None = None) -> Document:
    """A text or HTML file; `kind` ("html") skips detection."""
    text, encoding = decode_bytes(data)
    return load_text(text, encoding=encoding, kind=kind)
