"""Input that gongkai cannot turn into a report, with a reason in Chinese and English.

Every refusal a user can meet is one of these; the CLI (and later the web UI)
shows `message_zh`, logs `message_en`, and goes on with the next file.
"""

from __future__ import annotations


class InputError(ValueError):
    code = "unreadable"

    def __init__(self, message_zh: str, message_en: str, code: str | None = None) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en
        if code:
            self.code = code


class NotText(InputError):
    """Bytes that are not a text document in any supported encoding."""

    code = "not_text"


class NotAReport(InputError):
    """Readable input that is not an annual report at all."""

    code = "not_a_report"


class Corrupt(InputError):
    """A file of a known type whose content is damaged (truncated download, broken zip)."""

    code = "corrupt"


class Unsupported(InputError):
    """A file type gongkai recognises but cannot read here (e.g. .doc without LibreOffice)."""

    code = "unsupported"


class TooLarge(InputError):
    """Input over a size, page or expansion limit: refused before it costs time or memory."""

    code = "too_large"


class Encrypted(InputError):
    code = "encrypted"


class NoTextLayer(InputError):
    """A scanned PDF without OCR: there is no text to read, and no number is invented."""

    code = "no_text_layer"
