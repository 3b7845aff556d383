"""A loaded report document: decoded source, rendered text, folded text and tokens."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from gongkai.reading.html_render import HiddenText, SourceMap, looks_like_html, render_html, render_islands
from gongkai.reading.layout import Location, Locator
from gongkai.reading.tamper import SpamSpan, blank, find_spam
from gongkai.reading.textnorm import fold, token_key
from gongkai.reading.tokens import Token, tokenize


@dataclass
class Document:
    source: str  # decoded source text (evidence offsets refer to it)
    text: str  # rendered plain text (same as source for text input)
    kind: str  # "text" | "html" | "docx" | "pdf" | "xlsx" | "ods" …
    smap: SourceMap | None = None  # HTML: rendered offsets → source offsets
    locator: Locator | None = None  # structured formats: rendered offsets → page/box, table/cell…
    title: str | None = None
    encoding: str | None = None
    hidden: list[HiddenText] = field(default_factory=list)  # HTML text hidden from readers
    ocr: bool = False  # some text was read from images: labels may carry a misread character
    folded: str = field(init=False)
    tokens: list[Token] = field(init=False)
    spam: list[SpamSpan] = field(init=False)
    clean_text: str = field(init=False)  # the rendered text with spam blanked

    def __post_init__(self) -> None:
        folded = fold(self.text)
        self.spam = find_spam(folded)
        # Injected spam is blanked before anything is read: it never breaks a label or a number.
        self.folded = blank(folded, self.spam)
        self.clean_text = blank(self.text, self.spam)
        self.tokens = tokenize(self.clean_text)

    @functools.cached_property
    def keys(self) -> list[str]:
        """Each token's comparison key ("" for a number or an empty cell), from the folded text."""
        folded = self.folded
        return ["" if t.empty or t.numeric else token_key(folded[t.start : t.end]) for t in self.tokens]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the source of the rendered text [start, end)."""
        return (start, end) if self.smap is None else self.smap.span(start, end)

    def locate(self, start: int) -> Location | None:
        """Where in the original file the text at this rendered offset came from."""
        return self.locator.locate(start) if self.locator else None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _normalise(text: str) -> str:
    """Newlines to \\n; NUL (never text, and refused by PostgreSQL in text and JSON) and lone surrogates (a
    PDF's broken character map; no UTF-8 can hold them) to U+FFFD.
    Keeps the length: offsets must stay valid against the source."""
    text = text.replace("\r\n", " \n").replace("\r", "\n").replace("\x00", "\ufffd")
    try:
        text.encode("utf-8")  # a quarter of the cost of searching for the surrogates, which only fail it
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def load_text(source: str, *, encoding: str | None = None, kind: str | None = None) -> Document:
    """Build a Document from decoded text; HTML is detected unless `kind` says otherwise."""
    source = _normalise(source)
    islands = render_islands(source) if kind is None and looks_like_html(source) else None
    if islands is not None:  # text with HTML tables dropped in: its own lines are kept
        return Document(source=source, text=islands.text, kind="text", smap=islands.smap, encoding=encoding)
    if kind == "html" or (kind is None and looks_like_html(source)):
        rendered = render_html(source)
        return Document(
            source=source,
            text=rendered.text,
            kind="html",
            smap=rendered.smap,
            title=rendered.title,
            encoding=encoding,
            hidden=rendered.hidden,
        )
    return Document(source=source, text=source, kind="text", encoding=encoding)


def load_layout(text: str, locator: Locator, *, kind: str, title: str | None = None, ocr: bool = False) -> Document:
    """A Document rendered by a structured-format reader (see layout.py)."""
    text = _normalise(text)
    title = title and _normalise(title)
    return Document(source=text, text=text, kind=kind, locator=locator, title=title, ocr=ocr)
