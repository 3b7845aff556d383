"""Render an HTML page as plain text with a map back to source offsets.

Tables are rendered in the inline-pipe layout ("cell | cell |" with one row per
line, every cell followed by " |") so that one tokenizer serves every input; an
empty <td> becomes an empty cell between two pipes.  Rowspan/colspan need no
expansion: the document order of real cells is the reading order the table
fitter expects, and covered positions are simply absent.
"""

from __future__ import annotations

import bisect
import re
from html.parser import HTMLParser

_BLOCK = frozenset(
    (
        "address article aside blockquote body caption dd div dl dt fieldset figcaption figure footer form "
        "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody tfoot thead title ul"
    ).split()
)
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "object", "iframe"})
_CELL = frozenset({"td", "th"})
_WS = re.compile(r"[ \t\r\n\f\u3000\xa0\u200b]+")


class SourceMap:
    """Maps offsets in rendered text to offsets in the source.

    Each rendered chunk records where it came from; a chunk whose text equals its
    source (no entities, no collapsed whitespace) maps character by character, any
    other chunk maps to its whole source stretch.
    """

    def __init__(self) -> None:
        self._rendered: list[int] = []
        self._chunks: list[tuple[int, int, bool]] = []  # (source_start, source_end, exact)

    def add(self, rendered_start: int, source_start: int, source_end: int, exact: bool) -> None:
        self._rendered.append(rendered_start)
        self._chunks.append((source_start, source_end, exact))

    def _chunk(self, offset: int) -> tuple[int, tuple[int, int, bool]]:
        i = max(0, bisect.bisect_right(self._rendered, offset) - 1)
        return self._rendered[i], self._chunks[i]

    def to_source(self, offset: int) -> int:
        if not self._rendered:
            return 0
        rendered_start, (source_start, _, exact) = self._chunk(offset)
        return source_start + (offset - rendered_start) if exact else source_start

    def to_source_end(self, offset: int) -> int:
        """Source offset just after the rendered character at offset-1."""
        if not self._rendered or offset <= 0:
            return 0
        rendered_start, (source_start, source_end, exact) = self._chunk(offset - 1)
        return source_start + (offset - rendered_start) if exact else source_end


class _Renderer(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.out: list[str] = []
        self.length = 0
        self.smap = SourceMap()
        self.skip_depth = 0
        self.cell_depth = 0
        self.title: str | None = None
        self._in_title = False
        self._row_has_cells = False

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _emit(self, text: str, source_start: int, exact: bool, source_end: int | None = None) -> None:
        if not text:
            return
        self.smap.add(self.length, source_start, source_start if source_end is None else source_end, exact)
        self.out.append(text)
        self.length += len(text)

    def _newline(self) -> None:
        if self.out and not self.out[-1].endswith("\n"):
            self._emit("\n", self._offset(), False)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if tag == "title":
            self._in_title = True
        if self.skip_depth:
            return
        if tag == "tr":
            self._newline()
            self._row_has_cells = False
        elif tag in _CELL:
            self.cell_depth += 1
            self._row_has_cells = True
        elif tag == "br":
            if not self.cell_depth:
                self._newline()
        elif tag in _BLOCK and not self.cell_depth:
            self._newline()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "img", "input", "meta", "link"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "title":
            self._in_title = False
        if self.skip_depth:
            return
        if tag in _CELL and self.cell_depth:
            self.cell_depth -= 1
            self._emit(" |", self._offset(), False)
        elif tag == "tr" or (tag in _BLOCK and not self.cell_depth):
            self._newline()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data
        if self.skip_depth:
            return
        start = self._offset()
        raw_len = self._raw_data_length(start)
        exact = raw_len == len(data)
        # Collapse whitespace runs the way a browser does.
        collapsed = _WS.sub(" ", data)
        if collapsed != data:
            exact = False
        if collapsed.strip() == "" and (not self.out or self.out[-1].endswith(("\n", " |", " "))):
            return
        # A chunk with entities or collapsed whitespace maps to its start only.
        self._emit(collapsed, start, exact, start + raw_len)

    def _raw_data_length(self, start: int) -> int:
        end = self.source.find("<", start)
        return (len(self.source) if end < 0 else end) - start


def render_html(source: str) -> tuple[str, SourceMap, str | None]:
    """Return (rendered text, source map, <title> text)."""
    renderer = _Renderer(source)
    renderer.feed(source)
    renderer.close()
    text = "".join(renderer.out)
    title = _WS.sub(" ", renderer.title).strip() if renderer.title else None
    return text, renderer.smap, title


_HTML_HINT = re.compile(r"<\s*(html|body|table|tr|td|p|div|br|span|!doctype)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    head = text[:20000]
    return len(_HTML_HINT.findall(head)) >= 2
