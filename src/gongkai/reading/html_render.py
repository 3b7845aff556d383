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
import itertools
import re
from dataclasses import dataclass

from gongkai.reading.tamper import hidden_style
from gongkai.reading.values import MERGED_ROWS_NOTE, NUMBER_TEXT, STRUCK_NOTE

_BLOCK_TAGS = frozenset(
    (
        "address article aside blockquote body caption dd div dl dt fieldset figcaption figure footer form "
        "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody tfoot thead title ul"
    ).split()
)
_SKIP_TAGS = frozenset({"svg", "object", "head"})
_CELL_TAGS = frozenset({"td", "th"})
_WS = re.compile(r"[ \t\r\n\f\u3000\xa0\u200b]+")


class SourceMap:
    """Maps offsets in rendered text to offsets in the source.

    Each rendered chunk records where it came from; a chunk whose text equals its
    source (no entities, no collapsed whitespace) maps character by character, any
    other chunk maps to its whole source stretch.
    """

    def __init__(self, chunks: list[tuple[int, int, int, bool]]) -> None:
        # (rendered_start, source_start, source_end, exact), in rendered order
        self._chunks = chunks
        self._rendered = [chunk[0] for chunk in chunks]

    def _chunk(self, offset: int) -> tuple[int, int, int, bool]:
        """The chunk holding the rendered character at offset (the first chunk for offsets before it)."""
        i = bisect.bisect_right(self._rendered, offset) - 1
        return self._chunks[i if i > 0 else 0]

    def to_source(self, offset: int) -> int:
        if not self._chunks:
            return 0
        rendered_start, source_start, _, exact = self._chunk(offset)
        return source_start + (offset - rendered_start) if exact else source_start

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets of the rendered text [start, end).  A cell's text lies within one exact chunk as a
        rule: that case takes one search instead of two (a report has hundreds of cells)."""
        if end > start and self._chunks:
            i = bisect.bisect_right(self._rendered, start) - 1
            if i >= 0 and (i + 1 == len(self._rendered) or self._rendered[i + 1] >= end):
                rendered_start, source_start, _, exact = self._chunks[i]
                if exact:
                    return source_start + start - rendered_start, source_start + end - rendered_start
        s = self.to_source(start)
        e = self.to_source_end(end) if end > start else s
        return s, max(s, e)

    def to_source_end(self, offset: int) -> int:
        """Source offset just after the rendered character at offset-1."""
        if not self._chunks or offset <= 0:
            return 0
        rendered_start, source_start, source_end, exact = self._chunk(offset - 1)
        return source_start + (offset - rendered_start) if exact else source_end


# A tag's attributes up to its closing ">": quoted values are read whole.  The quantifiers
# are possessive: the parse is unique, so giving characters back could never help a match.
_ATTRS = r"""[^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+"""
# One pass over the markup with a single regular expression.  The stdlib
# html.parser took two thirds of the parse time of a web page; rendering needs
# only tag names and text positions, which this lexer gives at C speed.  It
# follows the HTML tokenizer where it matters here: comments, doctype and
# processing instructions are skipped, quoted attribute values may contain ">",
# the contents of raw-text elements (script, style…) are never text, and a "<"
# that starts no tag is text.  All markup is one group, so that re.split gives
# text and markup in turn; tags, by far the most common, are tried first.
_MARKUP = re.compile(
    rf"(</?[a-zA-Z]{_ATTRS}>"
    r"|<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<[!?][^>]*>?)",
    re.DOTALL,
)
_TAG = re.compile(rf"<(?P<close>/)?(?P<tag>[a-zA-Z][a-zA-Z0-9:_-]*)(?P<attrs>{_ATTRS})>")
_RAW_TEXT = frozenset({"script", "style", "textarea", "xmp", "noscript", "template", "iframe", "noembed"})
_RAW_TEXT_END = {tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in (*_RAW_TEXT, "title")}
_MARK_TAGS = frozenset({"sup", "sub"})
_STRUCK_TAGS = frozenset({"s", "strike", "del"})
_MARK_STYLE = re.compile(r"vertical-align\s*:\s*(?:super|sub)\b", re.IGNORECASE)
_STRUCK_STYLE = re.compile(r"text-decoration(?:-line)?\s*:[^;\"'>]*line-through", re.IGNORECASE)
# What ends a struck or raised element, per tag; the element is handled only when nothing in it starts or ends a
# cell, a row or a table (and its tag does not nest), so passing over it changes no table structure.
_ELEMENT_END = {tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in (*_MARK_TAGS, *_STRUCK_TAGS, "span", "font")}
_STRUCTURE = re.compile(r"</?(?:t[dhr]|table|tbody|thead|tfoot)\b", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_DIGIT = re.compile(r"[0-9０-９]")
_DIGIT_CHARS = frozenset("0123456789０１２３４５６７８９")
# What a cell's line may end or start with that a line break keeps apart from a figure on the next line: digits,
# and the dashes and slashes written for nothing ("—<br>7" is a dash and a 7, not -7).
_FIGURE_CHARS = _DIGIT_CHARS | frozenset("-—－―–/／")
_APART = "  "  # two spaces: two cells' worth of text on one line to the tokenizer, two tokens
_MAX_MARK = 4  # characters of a note mark ("1", "①", "注1", "*")
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr"})
# Only a style attribute that could hide, raise or strike out an element is worth the full tests
# (tamper.hidden_style, _MARK_STYLE, _STRUCK_STYLE).
_STYLE_ATTR = re.compile(
    r"style\s*=[^>]*?(?:display|visibility|font-size|left|top|text-indent|height|vertical-align|text-decoration)", re.I
)
# The `hidden` attribute (<span hidden>9</span>): a browser shows nothing of the element.
_HIDDEN_ATTR = re.compile(r"""(?:^|\s)hidden(?=\s|=|/?$)""", re.IGNORECASE)
_HAS_SPACE = re.compile(r"[ \t\r\n\f\u3000\xa0\u200b]")
# Text without these characters is rendered as written and maps character by character.
_ENTITY_OR_SPACE = re.compile(r"[& \t\r\n\f\u3000\xa0\u200b]")
_SPACE_RUNS = re.compile(r"[ \t\r\n\f\u3000\xa0\u200b]+|[^ \t\r\n\f\u3000\xa0\u200b]+")
_BLANK_ENDS = ("\n", " |", " ")  # after these, whitespace in the source adds nothing

# What a tag does to the rendered text (see _classify).
_INERT = 0  # comments, inline markup (span, a, font, strong…): no text of their own
_OPEN_SKIP = 1  # <head>, <svg>, <object>: nothing inside is rendered
_CLOSE_SKIP = 2
_ROW = 3  # <tr> and </tr> start a line
_OPEN_CELL = 4
_CLOSE_CELL = 5  # </td>: the cell ends with " |"
_BLOCK = 6  # <p>, <div>, <br>, </p>…: a line break, except inside a table cell
_EMPTY_CELL = 7  # <td/>
_RAW = 8  # <script>, <style>, <title>…: the content up to the closing tag is not text
_HIDE = 9  # an opening tag whose style hides the element (tamper.hidden_style)
_OPEN_ROWS_CELL = 10  # <td rowspan="2">: a cell merged over several rows
_OPEN_MARK = 11  # <sup>, <sub>, vertical-align: super/sub: a note mark when it follows a figure
_OPEN_STRUCK = 12  # <s>, <strike>, <del>, text-decoration: line-through: a figure struck out
_OPEN_ACTIONS = {
    **dict.fromkeys(_BLOCK_TAGS | {"br"}, _BLOCK),
    **dict.fromkeys(_CELL_TAGS, _OPEN_CELL),
    "tr": _ROW,
    **dict.fromkeys(_SKIP_TAGS, _OPEN_SKIP),
}
_CLOSE_ACTIONS = {
    **dict.fromkeys(_BLOCK_TAGS, _BLOCK),
    **dict.fromkeys(_CELL_TAGS, _CLOSE_CELL),
    "tr": _ROW,
    **dict.fromkeys(_SKIP_TAGS, _CLOSE_SKIP),
}
# A self-closing element is an empty one: <td/> is an empty cell, <div/> breaks the
# line as <div> does (its end adds nothing to a line just started), <head/> hides nothing.
_SELF_CLOSING_ACTIONS = {**_OPEN_ACTIONS, **dict.fromkeys(_CELL_TAGS, _EMPTY_CELL), **dict.fromkeys(_SKIP_TAGS, _INERT)}


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


# Each distinct piece of markup's _classify, kept across pages: a site's pages share their tags.
_MARKUP_KINDS: dict[str, tuple] = {}
_MARKUP_KINDS_KEPT = 20_000
_HREF = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_ROWSPAN = re.compile(r"""rowspan\s*=\s*["']?\s*0*([2-9]|[1-9]\d+)""", re.IGNORECASE)


def _classify(markup: str) -> tuple[int, str | None, bool, bool, tuple[str, ...]]:
    """(action, tag, closing, nests, links) of one piece of markup.

    nests: an opening tag that needs a closing one (not void, not self-closing);
    links: its href values, collected for hidden elements.
    """
    if markup[1] in "!?":
        return _INERT, None, False, False, ()  # comment, doctype, CDATA, processing instruction
    close, tag, attrs = _TAG.match(markup).group("close", "tag", "attrs")
    tag = tag.lower()
    if close:
        return _CLOSE_ACTIONS.get(tag, _INERT), tag, True, False, ()
    void = tag in _VOID
    self_closing = not void and attrs.rstrip().endswith("/")
    styled = not void and _STYLE_ATTR.search(attrs) is not None and "style" in attrs.lower()
    if (styled and hidden_style().search(attrs) is not None) or (not void and _HIDDEN_ATTR.search(attrs)):
        action = _HIDE
    elif not self_closing and (tag in _MARK_TAGS or (styled and _MARK_STYLE.search(attrs))):
        action = _OPEN_MARK
    elif not self_closing and (tag in _STRUCK_TAGS or (styled and _STRUCK_STYLE.search(attrs))):
        action = _OPEN_STRUCK
    elif tag in _RAW_TEXT or tag == "title":
        action = _RAW
    elif self_closing:
        action = _SELF_CLOSING_ACTIONS.get(tag, _INERT)
    else:
        action = _OPEN_ACTIONS.get(tag, _INERT)
    if action == _OPEN_CELL and _ROWSPAN.search(attrs):
        action = _OPEN_ROWS_CELL
    return action, tag, False, not void and not self_closing, tuple(_HREF.findall(attrs))


def _element(source: str, pos: int, tag: str) -> tuple[str, int] | None:
    """The text of the element whose opening tag ends at `pos` (its tags taken out, entities read) and where it
    ends; None when it holds an element of its own tag or a cell, row or table boundary (it is then rendered as
    any other), or does not end within a few hundred characters."""
    end = _ELEMENT_END.get(tag)
    close = end.search(source, pos, pos + 400) if end is not None else None
    if close is None:
        return None
    inner = source[pos : close.start()]
    if _STRUCTURE.search(inner) or re.search(rf"<{tag}\b", inner, re.IGNORECASE):
        return None
    return _WS.sub(" ", html.unescape(_ANY_TAG.sub("", inner))).strip(), close.end()


def _last_text(out: list[str]) -> str:
    """What is rendered last, looking through one collapsed space."""
    last = out[-1] if out else ""
    return out[-2] if last == " " and len(out) > 1 else last


# Whitespace, entities for it and inline tags up to the next text (a figure printed after a struck one).
_TO_NEXT_TEXT = re.compile(
    r"(?:[ \t\r\n\f\u3000\xa0]|&nbsp;|<(?!/?(?:t[dhr]|table|p|div|br|li|h\d)\b)[^>]*>)*+", re.IGNORECASE
)


def _text_beside(out: list[str], source: str, end: int) -> bool:
    """Whether text stands right before what is rendered next (in the same cell or line) or right after `end`."""
    before = _last_text(out).rstrip(" ")
    if before and not before.endswith(("|", "\n")):
        return True
    after = _TO_NEXT_TEXT.match(source, end).end()
    return after < len(source) and source[after] != "<"


def _spaced_text(raw: str, base: int, at_blank: bool) -> list[tuple[str, int, int, bool]]:
    """(text, source_start, source_end, exact) of text with whitespace and no entity.

    Whitespace collapses to one space the way a browser shows it; every run of
    other characters maps character by character for exact evidence.
    """
    pieces = []
    for run in _SPACE_RUNS.finditer(raw):
        if _HAS_SPACE.match(run[0]):
            if not at_blank:
                pieces.append((" ", base + run.start(), base + run.end(), False))
                at_blank = True
        else:
            pieces.append((run[0], base + run.start(), base + run.end(), True))
            at_blank = False
    return pieces


def render_html(source: str) -> Rendered:
    """Render the page's visible text, with the map back to the source and its hidden elements.

    One loop with its state in local variables: a report page has thousands of tags
    and text chunks, and this is the hot path of reading HTML.  Each distinct piece
    of markup is classified once (pages repeat the same tags over and over).
    """
    out: list[str] = []  # rendered pieces
    chunks: list[tuple[int, int, int, bool]] = []  # the SourceMap's (rendered_start, source_start, source_end, exact)
    length = 0  # of the rendered text so far
    at_blank = at_line_start = True  # whether what is rendered so far ends with a blank / a line break
    skip_depth = cell_depth = 0
    title: str | None = None
    hidden: list[HiddenText] = []
    hidden_stack: list[str] = []  # tag names open inside the current hidden element
    hidden_start = 0
    hidden_text: list[str] = []
    hidden_links: list[str] = []
    markup_kinds = _MARKUP_KINDS
    if len(markup_kinds) > _MARKUP_KINDS_KEPT:  # pages of one site repeat their tags; other sites' are let go
        markup_kinds.clear()
    cells_open: list[tuple[int, bool]] = []  # open table cells: (index in `out` where the text starts, spans rows)
    entity_text: dict[str, str] = {}
    digit_break = False  # a line break inside a cell (parts two figures: see _FIGURE_CHARS)

    parts = _MARKUP.split(source)  # text, markup, text, markup … text
    parts.append(None)  # the last text is followed by no markup
    pairs = iter(parts)
    offset = 0  # source offset of the current text
    pos = 0  # end of what is consumed: markup, or the contents of a raw-text element
    for text, markup in zip(pairs, pairs, strict=True):
        start = offset + len(text)  # of the markup
        if start < pos:
            offset = start + len(markup)
            continue  # inside a raw-text element skipped below
        if start > pos:
            if offset != pos:  # a raw-text element ended inside this text, or inside markup before it
                text = source[pos:start]
            if hidden_stack:
                hidden_text.append(text)
            elif not skip_depth:
                if text.isspace():  # between tags: the most common chunk of all
                    if not at_blank:
                        chunks.append((length, pos, start, False))
                        out.append(" ")
                        length += 1
                        at_blank, at_line_start = True, False
                else:
                    if digit_break:  # "1<br>2" in a cell: a browser shows two figures, not 12 ("—<br>7": not -7)
                        digit_break = False
                        if text[0] in _FIGURE_CHARS and out and out[-1][-1:] in _FIGURE_CHARS:
                            chunks.append((length, pos, pos, False))
                            out.append(_APART)
                            length += len(_APART)
                    if not _ENTITY_OR_SPACE.search(text):  # "<td>12</td>"
                        chunks.append((length, pos, start, True))
                        out.append(text)
                        length += len(text)
                        at_blank = at_line_start = False
                    else:
                        if "&" in text:  # entities: the chunk maps as a whole
                            rendered = entity_text.get(text)
                            if rendered is None:
                                rendered = entity_text[text] = _WS.sub(" ", html.unescape(text))
                            pieces = [(rendered, pos, start, False)] if rendered.strip() or not at_blank else []
                        else:
                            pieces = _spaced_text(text, pos, at_blank)
                        for piece, source_start, source_end, exact in pieces:
                            chunks.append((length, source_start, source_end, exact))
                            out.append(piece)
                            length += len(piece)
                        if pieces:
                            at_blank = piece.endswith(_BLANK_ENDS)
                            at_line_start = piece.endswith("\n")
        if markup is None:
            break
        offset = pos = start + len(markup)

        kind = markup_kinds.get(markup)
        if kind is None:
            kind = markup_kinds[markup] = _classify(markup)
        action, tag, closing, nests, links = kind
        if hidden_stack:  # every tag inside a hidden element is followed, none rendered
            if tag is None:
                continue
            if closing:
                if tag == hidden_stack[-1]:
                    hidden_stack.pop()
                if not hidden_stack:
                    text = _WS.sub(" ", html.unescape("".join(hidden_text))).strip()
                    hidden.append(HiddenText(hidden_start, pos, text, hidden_links))
            else:
                if nests:
                    hidden_stack.append(tag)
                hidden_links += links
            continue
        # The actions in the order of how common they are.
        if action == _INERT:
            continue
        if action in (_BLOCK, _ROW):  # a line break
            if cell_depth and action == _BLOCK:
                # A cell's lines are one cell: "三、本年度办<br>理结果" is one label.  Not so two figures ("1<br>2").
                digit_break = not skip_depth  # and the text before and after are figures: see the text above
                continue
            if at_line_start or skip_depth:
                continue
            chunks.append((length, start, start, False))
            out.append("\n")
            length += 1
            at_blank = at_line_start = True
        elif action in (_OPEN_CELL, _OPEN_ROWS_CELL):
            if not skip_depth:
                cell_depth += 1
                digit_break = False
                cells_open.append((len(out), action == _OPEN_ROWS_CELL))  # where its text starts, if it spans rows
        elif action in (_CLOSE_CELL, _EMPTY_CELL):
            if skip_depth:
                continue
            digit_break = False
            at = start if action == _CLOSE_CELL else pos  # <td/> ends where its tag ends
            if action == _CLOSE_CELL:
                if not cell_depth:
                    continue  # a </td> without its <td>
                cell_depth -= 1
                first_piece, spans_rows = cells_open.pop() if cells_open else (0, False)
                if spans_rows and NUMBER_TEXT.fullmatch("".join(out[first_piece:]).strip()):
                    chunks.append((length, at, at, False))
                    out.append(MERGED_ROWS_NOTE)
                    length += len(MERGED_ROWS_NOTE)
            chunks.append((length, at, at, False))
            out.append(" |")
            length += 2
            at_blank, at_line_start = True, False
        elif action == _HIDE:
            hidden_stack = [tag]
            hidden_start = start
            hidden_text = []
            hidden_links = list(links)
        elif action == _RAW:
            close = _RAW_TEXT_END[tag].search(source, pos)
            inner_end = close.start() if close else len(source)
            if tag == "title" and title is None:
                title = html.unescape(source[pos:inner_end])
            pos = close.end() if close else len(source)
        elif action == _OPEN_SKIP:
            skip_depth += 1
        elif action == _OPEN_MARK:
            # "49<sup>1</sup>": the raised 1 is a note mark (as in Word, docx.py), not the figure's last digit.
            element = None if skip_depth else _element(source, pos, tag)  # type: ignore[arg-type]
            if element is not None and len(element[0]) <= _MAX_MARK and _last_text(out)[-1:] in _DIGIT_CHARS:
                pos = element[1]
        elif action == _OPEN_STRUCK:
            # A figure struck through is not the cell's: beside the new figure it is dropped; alone, the cell is
            # noted (a struck 12 beside 15 would otherwise read 1215; alone, 12 or 0 would both be guesses).
            element = None if skip_depth else _element(source, pos, tag)  # type: ignore[arg-type]
            if element is not None and _DIGIT.search(element[0]):
                if not _text_beside(out, source, element[1]):
                    chunks.append((length, start, element[1], False))
                    out.append(STRUCK_NOTE)
                    length += len(STRUCK_NOTE)
                    at_blank = at_line_start = False
                pos = element[1]
        else:  # _CLOSE_SKIP
            skip_depth = max(0, skip_depth - 1)

    title = _WS.sub(" ", title).strip() if title else None
    return Rendered("".join(out), SourceMap(chunks), title, hidden)


_ISLAND = re.compile(r"<table\b.*?(?:</table\s*>|\Z)", re.IGNORECASE | re.DOTALL)
# Outside the tables, any markup but <br> makes the source a web page.
_PAGE_MARKUP = re.compile(r"<\s*/?\s*(?!br\b)[a-zA-Z!]", re.IGNORECASE)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TABLE_START = re.compile(r"<table\b", re.IGNORECASE)


def _markup_outside_tables(source: str) -> bool:
    """Whether any markup but <br> stands outside the <table> islands.  A web page says so in its first tags, so
    this stops early instead of cutting every table out of the page first."""
    pos = 0
    while markup := _PAGE_MARKUP.search(source, pos):
        table = _TABLE_START.search(source, pos)
        if table is None or table.start() > markup.start():
            return True
        pos = _ISLAND.match(source, table.start()).end()
    return False


def render_islands(source: str) -> Rendered | None:
    """Text (markdown from a PDF converter, say) with HTML tables dropped into it and <br> inside its cells:
    the text stays as it is, lines and all, a <br> joins the two parts of its cell, and only the <table>
    islands are rendered.  None when the source is a web page."""
    if _markup_outside_tables(source):
        return None
    out: list[str] = []
    chunks: list[tuple[int, int, int, bool]] = []
    length = pos = 0

    def keep_text(start: int, end: int) -> None:
        nonlocal length
        bounds = [start, *(x for br in _BR.finditer(source, start, end) for x in br.span()), end]
        for piece_start, piece_end in zip(bounds[::2], bounds[1::2], strict=True):
            if piece_end > piece_start:
                chunks.append((length, piece_start, piece_end, True))
                out.append(source[piece_start:piece_end])
                length += piece_end - piece_start

    for island in _ISLAND.finditer(source):
        if island.start() > pos:
            keep_text(pos, island.start())
        table = render_html(island[0])
        base = island.start()
        chunks += [(length + r, base + s, base + e, exact) for r, s, e, exact in table.smap._chunks]
        text = table.text if table.text.endswith("\n") else table.text + "\n"
        out.append(text)
        length += len(text)
        pos = island.end()
    if pos < len(source):
        keep_text(pos, len(source))
    return Rendered("".join(out), SourceMap(chunks), None, [])


_HTML_HINT = re.compile(r"<\s*(html|body|table|tr|td|p|div|br|span|!doctype)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    head = text[:20000]
    return len(list(itertools.islice(_HTML_HINT.finditer(head), 2))) == 2  # two hints are enough
