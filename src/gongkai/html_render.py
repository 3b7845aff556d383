"""Render an HTML page as plain text with a map back to source offsets.

Tables are rendered in the inline-pipe layout ("cell | cell |" with one row per
line, every cell followed by " |") so that one tokenizer serves every input; an
empty <td> becomes an empty cell between two pipes.  Rowspan/colspan need no
expansion: the document order of real cells is the reading order the table
fitter expects, and covered positions are simply absent.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass

from gongkai.tamper import hidden_style

_BLOCK = frozenset(
    (
        "address article aside blockquote body caption dd div dl dt fieldset figcaption figure footer form "
        "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody tfoot thead title ul"
    ).split()
)
_SKIP = frozenset({"svg", "object", "head"})
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


# One pass over the markup with a single regular expression.  The stdlib
# html.parser took two thirds of the parse time of a web page; rendering needs
# only tag names and text positions, which this lexer gives at C speed.  It
# follows the HTML tokenizer where it matters here: comments, doctype and
# processing instructions are skipped, quoted attribute values may contain ">",
# the contents of raw-text elements (script, style…) are never text, and a "<"
# that starts no tag is text.
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<[!?][^>]*>?"
    r"|<(?P<close>/)?(?P<tag>[a-zA-Z][a-zA-Z0-9:_-]*)(?P<attrs>[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*)>",
    re.DOTALL,
)
_RAW_TEXT = frozenset({"script", "style", "textarea", "xmp", "noscript", "template", "iframe", "noembed"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr"})
_STRUCTURAL = _BLOCK | _CELL | _SKIP | _RAW_TEXT | {"tr", "br", "title"}
# Only a style attribute that could hide an element is worth the full test (tamper.hidden_style).
_STYLE_ATTR = re.compile(r"style\s*=[^>]*?(?:display|visibility|font-size|left|top|text-indent|height)", re.I)
_HAS_SPACE = re.compile(r"[ \t\r\n\f\u3000\xa0\u200b]")
_SPACE_RUNS = re.compile(r"[ \t\r\n\f\u3000\xa0\u200b]+|[^ \t\r\n\f\u3000\xa0\u200b]+")


@dataclass(slots=True)
class HiddenText:
    """An element hidden by its style (a classic way to plant spam links)."""

    start: int  # source offsets of the element
    end: int
    text: str
    links: list[str]


@dataclass(slots=True)
class Rendered:
    text: str
    smap: SourceMap
    title: str | None
    hidden: list[HiddenText]


_HREF = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


class _Renderer:
    def __init__(self, source: str) -> None:
        self.source = source
        self.hidden: list[HiddenText] = []
        self._hidden_stack: list[str] = []  # tag names open inside the current hidden element
        self._hidden_start = 0
        self._hidden_text: list[str] = []
        self._hidden_links: list[str] = []
        self.out: list[str] = []
        self.length = 0
        self.smap = SourceMap()
        self.skip_depth = 0
        self.cell_depth = 0
        self.title: str | None = None

    def _emit(self, text: str, source_start: int, source_end: int, exact: bool) -> None:
        self.smap.add(self.length, source_start, source_end, exact)
        self.out.append(text)
        self.length += len(text)

    def _ends_blank(self) -> bool:
        return not self.out or self.out[-1].endswith(("\n", " |", " "))

    def _newline(self, at: int) -> None:
        if self.out and not self.out[-1].endswith("\n"):
            self._emit("\n", at, at, False)

    def run(self) -> None:
        source = self.source
        pos = 0  # end of the last markup consumed
        for m in _MARKUP.finditer(source):
            if m.start() < pos:
                continue  # inside a raw-text element skipped below
            if m.start() > pos:
                self.data(pos, m.start())
            pos = m.end()
            close, tag, attrs = m.group("close", "tag", "attrs")
            if tag is None:
                continue  # comment, doctype, CDATA, processing instruction
            tag = tag.lower()
            if (self._hidden_stack or (attrs and _STYLE_ATTR.search(attrs))) and self._track_hidden(m, tag):
                continue
            if tag not in _STRUCTURAL:
                continue  # inline markup (span, a, font, strong…) changes no text
            if close:
                self.end(tag, m.start())
            elif tag in _RAW_TEXT or tag == "title":
                close = re.compile(rf"</{tag}\s*>", re.IGNORECASE).search(source, pos)
                inner_end = close.start() if close else len(source)
                if tag == "title" and self.title is None:
                    self.title = html.unescape(source[pos:inner_end])
                pos = close.end() if close else len(source)
            else:
                self.start(tag, m.start())
                if tag not in _VOID and attrs.rstrip().endswith("/"):
                    self.end(tag, m.end())
        if pos < len(source):
            self.data(pos, len(source))

    def _track_hidden(self, m: re.Match, tag: str) -> bool:
        """Follow elements hidden by their style; True when the tag is inside one (and so ignored)."""
        attrs = m["attrs"] or ""
        if self._hidden_stack:
            if m["close"]:
                if tag == self._hidden_stack[-1]:
                    self._hidden_stack.pop()
                if not self._hidden_stack:
                    text = _WS.sub(" ", html.unescape("".join(self._hidden_text))).strip()
                    self.hidden.append(HiddenText(self._hidden_start, m.end(), text, self._hidden_links))
            elif tag not in _VOID and not attrs.rstrip().endswith("/"):
                self._hidden_stack.append(tag)
            if not m["close"]:
                self._hidden_links += _HREF.findall(attrs)
            return True
        if not m["close"] and tag not in _VOID and "style" in attrs.lower() and hidden_style().search(attrs):
            self._hidden_stack = [tag]
            self._hidden_start = m.start()
            self._hidden_text = []
            self._hidden_links = _HREF.findall(attrs)
            return True
        return False

    def start(self, tag: str, at: int) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif self.skip_depth:
            return
        elif tag == "tr":
            self._newline(at)
        elif tag in _CELL:
            self.cell_depth += 1
        elif (tag == "br" or tag in _BLOCK) and not self.cell_depth:
            self._newline(at)

    def end(self, tag: str, at: int) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif self.skip_depth:
            return
        elif tag in _CELL and self.cell_depth:
            self.cell_depth -= 1
            self._emit(" |", at, at, False)
        elif tag == "tr" or (tag in _BLOCK and not self.cell_depth):
            self._newline(at)

    def data(self, start: int, end: int) -> None:
        if self._hidden_stack:
            self._hidden_text.append(self.source[start:end])
            return
        if self.skip_depth:
            return
        raw = self.source[start:end]
        if raw.isspace():  # between tags: the most common chunk of all
            if not self._ends_blank():
                self._emit(" ", start, end, False)
            return
        if "&" not in raw and not _HAS_SPACE.search(raw):
            self._emit(raw, start, end, True)  # "<td>12</td>"
            return
        if "&" in raw:
            text = _WS.sub(" ", html.unescape(raw))
            if text.strip() or not self._ends_blank():
                self._emit(text, start, end, False)  # entities: the chunk maps as a whole
            return
        # Whitespace collapses to one space the way a browser shows it; every run of
        # other characters maps character by character for exact evidence.
        for run in _SPACE_RUNS.finditer(raw):
            if _HAS_SPACE.match(run.group(0)):
                if not self._ends_blank():
                    self._emit(" ", start + run.start(), start + run.end(), False)
            else:
                self._emit(run.group(0), start + run.start(), start + run.end(), True)


def render_html(source: str) -> Rendered:
    renderer = _Renderer(source)
    renderer.run()
    title = _WS.sub(" ", renderer.title).strip() if renderer.title else None
    return Rendered("".join(renderer.out), renderer.smap, title, renderer.hidden)


_HTML_HINT = re.compile(r"<\s*(html|body|table|tr|td|p|div|br|span|!doctype)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    head = text[:20000]
    return len(_HTML_HINT.findall(head)) >= 2
