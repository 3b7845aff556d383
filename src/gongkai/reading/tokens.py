"""Split a rendered document into cell tokens, whatever the layout.

Layouts seen in published reports: one cell per line with `|` lines between
cells, inline pipes with a trailing ` |` per cell (rows may wrap), tab-separated
rows whose label columns drift, Markdown tables, and text copied from PDFs
where cells are separated by runs of spaces.  All of them reduce to one rule:
text between cell separators (`|`, `｜`, tab) is a cell, and each line of it is
a token; a whitespace-only stretch *between two separators* is an empty cell, and so is
the end of a line that closes with a tab.

Two passes then undo what some paths add or leave out: PDF-to-Markdown converters'
marks (a merged cell's text repeated across its span, `Col2` placeholder headers), and
the blank cells of text that prints a cell a paragraph (one line break more each).
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from dataclasses import dataclass

from gongkai.errors import TooLarge
from gongkai.reading.values import PLACEHOLDERS, CellValue, looks_numeric, parse_value

_DIGIT = re.compile(r"[0-9０-９]")
_MAX_ROW_CHARS = 600
_MAX_VALUE_CHARS = 40  # longer text is never a cell value
_INNER_SPACE = re.compile(r"[ \u3000\xa0]")
# A report's three tables have a few hundred cells; layouts with padding reach a few
# thousand separators.  Far more is not a report, and would only cost time.
MAX_SEPARATORS = 100_000
_SEPARATOR = re.compile(r"[|｜\t]")


def separated(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether text[start:end] holds a cell separator (what splits cells into tokens)."""
    return _SEPARATOR.search(text, start, len(text) if end is None else end) is not None


_LINE = re.compile(r"[^\n]+")
_MARKDOWN_RULE = re.compile(r"^:?-{3,}:?$")
# Cells in text copied from PDFs or fixed-width layouts: two or more spaces.
_WIDE_GAP = re.compile(r"[ \u3000\xa0]{2,}|\u3000")
# "规章 2 14 61": a label followed by single-space separated numbers.
_TRAILING_NUMBERS = re.compile(r"(?<=\S)\s+(?=(?:[+\-增减]?[\d,，.]+(?:\s+|$))+$)")


@dataclass(slots=True)
class Token:
    text: str  # as written (stripped)
    start: int  # offsets in the rendered text
    end: int
    empty: bool = False  # an empty cell between two separators
    value: CellValue | None = None  # set when the token is a number, delta, money or placeholder
    # The columns a header cell spans, where a converter printed it once per column and the repeats were dropped
    # (`_without_converter_marks`): the values under it may be printed once per column too.
    span: int = 1
    # Which stretch of text between two cell separators holds the token (their count before it): tokens of one
    # cell share it ("4 7 |", a web cell's "4<br>7"), and in text without separators all do.
    cell: int = -1

    @property
    def numeric(self) -> bool:
        """A number (not a placeholder such as "—", which may also be a word)."""
        return self.value is not None and self.value.kind not in ("placeholder", "empty")


def _pieces(text: str, start: int, end: int):
    """Yield (piece_start, piece_end) of non-blank pieces of one line of a cell."""
    segment = text[start:end]
    stripped = segment.strip()
    # One word (a number, a label without spaces) or text without digits and wide gaps: one piece.
    if not _INNER_SPACE.search(stripped) or (
        "  " not in segment and "\u3000" not in segment and "\xa0" not in segment and not _DIGIT.search(segment)
    ):
        if stripped:
            lead = len(segment) - len(segment.lstrip())
            yield start + lead, start + lead + len(stripped)
        return
    pos = 0
    for gap in _WIDE_GAP.finditer(segment):
        yield from _split_numbers(segment, pos, gap.start(), start)
        pos = gap.end()
    yield from _split_numbers(segment, pos, len(segment), start)


def _split_numbers(segment: str, lo: int, hi: int, base: int):
    piece = segment[lo:hi]
    stripped = piece.strip()
    if not stripped:
        return
    lo += len(piece) - len(piece.lstrip())
    hi = lo + len(stripped)
    # Rows are short; the bound keeps a pathological megabyte-long line linear.
    match = _TRAILING_NUMBERS.search(stripped) if len(stripped) <= _MAX_ROW_CHARS else None
    if match and _LEADER.match(stripped, match.end()):
        match = None  # a table of contents' line: "四、…情况 .......... 12" ends in a page number, not a cell
    if match and not looks_numeric(stripped):
        head_end = lo + match.start()
        yield base + lo, base + head_end
        for number in re.finditer(r"\S+", stripped[match.end() :]):
            yield base + lo + match.end() + number.start(), base + lo + match.end() + number.end()
        return
    yield base + lo, base + hi


_LEADER = re.compile(r"[.…·]{3,}\s")

# Text saved from a web page by a crawler can hold a whole report on one line: its section headings are cut out as
# pieces of their own so that they are found as headings.
_LONG_LINE = 200


@functools.cache
def _headings() -> re.Pattern:
    from gongkai.spec import SECTIONS

    names = sorted({name for s in SECTIONS for name in (s.label, *s.variants)}, key=len, reverse=True)
    return re.compile("[一二三四五六七八九十][、.．]\\s?(?:" + "|".join(map(re.escape, names)) + ")")


def _line_pieces(text: str, start: int, end: int):
    if end - start <= _LONG_LINE:
        yield from _pieces(text, start, end)
        return
    pos = start
    for heading_start, heading_end in _heading_spans(text, start, end):
        yield from _pieces(text, pos, heading_start)
        yield heading_start, heading_end
        pos = heading_end
    yield from _pieces(text, pos, end)


def _heading_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The section headings in a long line, as printed or one character off (section_typos.py); where both
    are found at one place the printed one wins."""
    from gongkai.fitting.section_typos import in_line

    exact = [(m.start(), m.end()) for m in _headings().finditer(text, start, end)]
    spans = list(exact)
    for a, b, _ in in_line(text, start, end):
        if not any(a < y and x < b for x, y in exact):
            spans.append((a, b))
    spans.sort()
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if not out or a >= out[-1][1]:
            out.append((a, b))
    return out


# A number with the start of a note printed in its cell, cut at the line's end: "211（其中修订21件", "4（".
_NUMBER_WITH_NOTE = re.compile(r"^([0-9０-９][0-9０-９,，.]*)\s*[（(](?:其中?|含|包括?|$)")


@functools.lru_cache(maxsize=16384)
def _cell_value(piece: str) -> CellValue | None:
    """The value of a short token, None for a label.  Cached: reports repeat 0, "—", 无 and their labels."""
    if not (_DIGIT.search(piece) or piece in PLACEHOLDERS):
        return None
    # A figure with a note mark ("49①") keeps its cell's place in the row: the fitter leaves the cell unread.
    value = parse_value(piece, as_folded=True)
    if value is None and (noted := _NUMBER_WITH_NOTE.match(piece)):
        value = parse_value(noted[1], as_folded=True)
    return value


def _token(piece: str, start: int, end: int, cell: int) -> Token:
    return Token(piece, start, end, False, _cell_value(piece) if len(piece) <= _MAX_VALUE_CHARS else None, 1, cell)


def tokenize(text: str) -> list[Token]:
    separators = text.count("|") + text.count("｜") + text.count("\t")
    if separators > MAX_SEPARATORS:
        raise TooLarge(
            f"文本中的表格分隔符过多（{separators} 个），不像年度报告，已拒绝",
            f"{separators} cell separators (limit {MAX_SEPARATORS})",
        )
    tokens: list[Token] = []
    segments = _SEPARATOR.split(text)  # the text between separators (each one character)
    last = len(segments) - 1
    seg_end = -1
    for i, segment in enumerate(segments):
        seg_start = seg_end + 1
        seg_end = seg_start + len(segment)
        stripped = segment.strip()
        if not stripped:
            if 0 < i < last:
                tokens.append(Token("", seg_start, seg_end, True))
            continue
        if i and text[seg_start - 1] == "\t":
            first_break = segment.find("\n")
            if first_break >= 0 and not segment[:first_break].strip():
                # "…\t0\t\n": a tab-separated row whose last cell is empty.
                tokens.append(Token("", seg_start, seg_start + first_break, True))
        if "\n" not in stripped and " " not in stripped and "\u3000" not in stripped and "\xa0" not in stripped:
            # The common cell: one word ("12", "自然人") between blanks.  Its token is built here, not by _token: a
            # report has hundreds.
            if not (stripped[0] in ":-" and _MARKDOWN_RULE.match(stripped)):
                start = seg_start + len(segment) - len(segment.lstrip())
                value = _cell_value(stripped) if len(stripped) <= _MAX_VALUE_CHARS else None
                tokens.append(Token(stripped, start, start + len(stripped), False, value, 1, i))
        else:
            for line in _LINE.finditer(segment):
                for p_start, p_end in _line_pieces(text, seg_start + line.start(), seg_start + line.end()):
                    piece = text[p_start:p_end]
                    if not (piece[0] in ":-" and _MARKDOWN_RULE.match(piece)):
                        tokens.append(_token(piece, p_start, p_end, i))
    return _paragraph_blanks(_without_converter_marks(tokens, text), text, separators)


# Cells as paragraphs (a web table's text with an empty line after each filled cell): an empty cell is one line
# break more.  Only a long stretch kept to that rhythm is read so; a gap of many lines is page spacing, not cells.
_PARAGRAPH_GAP = 2
_PARAGRAPH_MIN_TOKENS = 30
_PARAGRAPH_MAX_BLANKS = 8
_PARAGRAPH_MIN_NUMBERS = 15  # percent of the stretch's tokens
_THREE_BREAKS = re.compile(r"\n[ \t\u3000\xa0]*\n[ \t\u3000\xa0]*\n")


def _paragraph_blanks(tokens: list[Token], text: str, separators: int) -> list[Token]:
    """Empty-cell tokens for the extra line breaks between cells printed one paragraph each.

    `12\n\n\n\n\n\n\n12` in a stretch where every cell is followed by one empty line is 12, five blank
    cells, 12: each line break beyond the paragraph's two is an empty cell.  Text that ever puts two cells on
    one line or on adjacent lines, or uses cell separators (`separators`: how many the text holds), is another
    layout and is left as it is."""
    if len(tokens) < _PARAGRAPH_MIN_TOKENS or not _THREE_BREAKS.search(text):
        return tokens  # no gap of three line breaks: no blank cell to add
    if separators * 2 >= len(tokens):
        return tokens  # a table with cell separators says where its blank cells are
    gaps = []
    for a, b in itertools.pairwise(tokens):
        between = text[a.end : b.start]
        gaps.append(-1 if a.empty or b.empty or _SEPARATOR.search(between) else between.count("\n"))
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        j = i  # the stretch tokens[i..j] where every gap is a paragraph gap or more
        while j < len(gaps) and gaps[j] >= _PARAGRAPH_GAP:
            j += 1
        stretch = gaps[i:j]
        regular = sum(1 for g in stretch if g == _PARAGRAPH_GAP)
        blanks = [g - _PARAGRAPH_GAP for g in stretch if _PARAGRAPH_GAP < g <= _PARAGRAPH_GAP + _PARAGRAPH_MAX_BLANKS]
        numbers = sum(1 for k in range(i, j + 1) if tokens[k].numeric)
        use = (
            j - i + 1 >= _PARAGRAPH_MIN_TOKENS
            and blanks
            and regular * 3 >= len(stretch)  # the paragraph rhythm holds through most of the stretch
            and numbers * 100 >= (j - i + 1) * _PARAGRAPH_MIN_NUMBERS  # a table's cells, not prose paragraphs
        )
        for k in range(i, j + 1):
            out.append(tokens[k])
            if use and k < j and _PARAGRAPH_GAP < gaps[k] <= _PARAGRAPH_GAP + _PARAGRAPH_MAX_BLANKS:
                base = tokens[k].end
                breaks = [base + m.start() for m in re.finditer("\n", text[base : tokens[k + 1].start])]
                # Each line break beyond the paragraph's own is a cell; its token spans the break before it too
                # (a lone line break would read as the end of a row).
                for n in range(_PARAGRAPH_GAP - 1, len(breaks) - 1):
                    out.append(Token("", breaks[n - 1], breaks[n] + 1, True))
        i = j + 1
    return out


# pymupdf4llm names the empty cells of a table's first row `Col2`, `Col3`, …
_PLACEHOLDER_HEADER = re.compile(r"^Col\d{1,2}$")


def _without_converter_marks(tokens: list[Token], text: str) -> list[Token]:
    """Undo what PDF-to-Markdown converters add to a table's cells.

    - A placeholder header (`Col2`) is an empty cell.
    - A label cell that repeats the cell before it on the same line is dropped: converters
      such as docling print a merged cell's text in every column it spans
      (`| 一、本年新收… | 一、本年新收… | 18 |`), and read as printed the row's label would be
      the text twice over.  A value is never dropped: repeated numbers are data."""
    texts = [t.text for t in tokens]
    repeated = itertools.compress(range(1, len(texts)), map(operator.eq, texts[1:], texts))  # compared in C
    if "Col" not in text and not any(tokens[i].value is None and len(texts[i]) > 1 for i in repeated):
        return tokens  # the common case: nothing to undo, and no loop over every token in Python
    out: list[Token] = []
    for token in tokens:
        if token.text[:3] == "Col" and _PLACEHOLDER_HEADER.match(token.text):
            token = Token("", token.start, token.end, True)
        prev = out[-1] if out else None
        if (
            prev is not None
            and token.value is None
            and not token.empty
            and token.text == prev.text
            and len(token.text) > 1
            and "\n" not in text[prev.end : token.start]
        ):
            prev.span += 1
            continue
        out.append(token)
    return out
