"""A loaded report document: decoded source, rendered text, folded text and tokens."""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.html_render import SourceMap, looks_like_html, render_html
from gongkai.layout import Location, Locator
from gongkai.textnorm import fold
from gongkai.tokens import Token, tokenize


@dataclass
class Document:
    source: str  # decoded source text (evidence offsets refer to it)
    text: str  # rendered plain text (same as source for text input)
    kind: str  # "text" | "html" | "docx" | "pdf" | "xlsx" | "ods" …
    smap: SourceMap | None = None  # HTML: rendered offsets → source offsets
    locator: Locator | None = None  # structured formats: rendered offsets → page/box, table/cell…
    title: str | None = None
    encoding: str | None = None
    folded: str = field(init=False)
    tokens: list[Token] = field(init=False)

    def __post_init__(self) -> None:
        self.folded = fold(self.text)
        self.tokens = tokenize(self.text)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the source of the rendered text [start, end)."""
        if self.smap is None:
            return start, end
        s = self.smap.to_source(start)
        e = self.smap.to_source_end(end) if end > start else s
        return s, max(s, e)

    def locate(self, start: int) -> Location | None:
        """Where in the original file the text at this rendered offset came from."""
        return self.locator.locate(start) if self.locator else None


def _normalise_newlines(text: str) -> str:
    # Keep the length: offsets must stay valid against the source.
    return text.replace("\r\n", " \n").replace("\r", "\n")


def load_text(source: str, *, encoding: str | None = None, kind: str | None = None) -> Document:
    """Build a Document from decoded text; HTML is detected unless `kind` says otherwise."""
    source = _normalise_newlines(source)
    if kind == "html" or (kind is None and looks_like_html(source)):
        text, smap, title = render_html(source)
        return Document(source=source, text=text, kind="html", smap=smap, title=title, encoding=encoding)
    return Document(source=source, text=source, kind="text", encoding=encoding)


def load_layout(text: str, locator: Locator, *, kind: str, title: str | None = None) -> Document:
    """A Document rendered by a structured-format reader (see layout.py)."""
    return Document(source=text, text=text, kind=kind, locator=locator, title=title)
