"""Page geometry for the PDF reader: glyphs → lines and ruled-table rows, page furniture, page breaks.

Everything works on plain boxes in PDF points with a top-left origin (pdfplumber's
coordinates), so text-layer characters and OCR words go through the same code.
The table fitter reads cells in reading order, so a page only has to become a
list of items — text lines and tables (rows of cells) — sorted top to bottom.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from gongkai.reading.textnorm import fold
from gongkai.reading.values import COVERED_NOTE, OVERPRINTED_NOTE, looks_numeric


class Glyph(NamedTuple):
    """A character of the text layer, or a word found by OCR."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    size: float


@dataclass(slots=True)
class Line:
    page: int
    bbox: tuple[float, float, float, float]
    text: str
    size: float

    @property
    def top(self) -> float:
        return self.bbox[1]


@dataclass(slots=True)
class Cell:
    page: int
    bbox: tuple[float, float, float, float]
    text: str
    full: bool = False  # its last line of text runs across the cell: the text may go on


@dataclass(slots=True)
class Table:
    top: float
    rows: list[list[Cell]]
    head: list[tuple[str, ...]] = field(default_factory=list)  # first rows of the table this one continues


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    items: list[Line | Table]


_MARGIN = 0.08  # running heads and page numbers live in the top and bottom 8 % of a page
_PAGE_NUMBER = re.compile(
    r"[-‐‑–—―\s]*\d{1,4}[-‐‑–—―\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页"
    r"|\d+\s*/\s*\d+|(?i:page)\s*\d+(?:\s*(?i:of)\s*\d+)?"
)
# The start of a numbered row label or heading: never the tail of a wrapped one.
_ENUMERATOR = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]")
_ENDS_WITH_NUMBER = re.compile(r"\s[+\-]?[\d,，.]+$")  # "规章 0 2 14": a row of an unruled table


# ---------------------------------------------------------------------------
# What a drawing hides (both readers: pdfium's objects and pdfplumber's dicts come here)
# ---------------------------------------------------------------------------


def fill_paint(filled: bool, colour: object) -> str | None:
    """What a path's fill paints: "white", "colour" (another colour), or None (not filled, or a colour this cannot
    tell: a pattern).  `colour` is a device colour as pdfplumber gives it: gray (1 value), RGB (3) or CMYK (4), each
    0 to 1.  (pdfminer does not read transparency: pdfplumber takes every fill as opaque; pdfium, which does, takes
    a see-through box for no cover.)"""
    if not filled:
        return None
    if isinstance(colour, int | float):
        colour = (colour,)
    if not isinstance(colour, tuple | list) or len(colour) not in (1, 3, 4):
        return None
    if not all(isinstance(v, int | float) for v in colour):
        return None
    white = all(v == 0 for v in colour) if len(colour) == 4 else all(v == 1 for v in colour)
    return "white" if white else "colour"


def invisible_path(obj: dict) -> bool:
    """A pdfplumber rect, curve or line only filled, in white: nothing on the page.  Its edges are no table rules:
    a white box pasted over a cell would split it, an empty part read as 0."""
    return not obj.get("stroke") and fill_paint(bool(obj.get("fill")), obj.get("non_stroking_color")) == "white"


def visible_object(obj: dict) -> bool:
    return obj.get("object_type") not in ("rect", "curve", "line") or not invisible_path(obj)


def invisible_text_hidden(invisible: int, visible: int, images: bool) -> bool:
    """Whether the characters a page draws invisible (render mode 3 or 7) are hidden text, not read: not on a page
    with images (a scan: the text layer an OCR laid over the picture), nor when they are most of the page's text (a
    text layer over glyphs drawn as outlines); only a few among printed text (an old figure beside the new one)."""
    return invisible > 0 and not images and invisible < visible


def on_page(glyphs: list[Glyph], box: tuple[float, float, float, float]) -> list[Glyph]:
    """The glyphs not wholly outside the page's visible box (x0, top, x1, bottom): a viewer shows nothing beyond."""
    x0, top, x1, bottom = box
    return [g for g in glyphs if g.x1 > x0 and g.x0 < x1 and g.bottom > top and g.top < bottom]


class Cover(NamedTuple):
    """An opaque filled rectangle, with its place in the drawing order: it hides what was drawn under it."""

    order: int
    x0: float
    top: float
    x1: float
    bottom: float
    white: bool


def seen_glyphs(glyphs: list[Glyph], orders: list[int], covers: list[Cover]) -> tuple[list[Glyph], set[int]]:
    """The glyphs a reader of the page sees, given each glyph's place in the drawing order; and the covers (their
    indexes) that hide any, which are patches over the text, not the shading of a cell: their edges are no rules.

    A glyph whose middle lies under an opaque box drawn after it is not seen (a figure under a white box, the new
    one printed on top, or a coloured patch with the new figure on it): it is dropped.  When nothing is printed on
    a coloured box, it blacks the figure out: the glyph stays, with COVERED_NOTE, so that the cell is no number
    (read as blank it would be 0).
    """
    if not covers or not glyphs:
        return glyphs, set()
    first = min(orders)
    middles = sorted(((g.x0 + g.x1) / 2, i) for i, g in enumerate(glyphs))
    xs = [x for x, _ in middles]
    hidden: dict[int, bool] = {}  # glyph index → whether its covers are coloured with nothing printed on them
    hiding: set[int] = set()
    for k, cover in enumerate(covers):
        if cover.order < first:
            continue  # drawn before any text: a cell's shading
        under, over = [], False
        for _, i in middles[bisect.bisect_left(xs, cover.x0) : bisect.bisect_right(xs, cover.x1)]:
            g = glyphs[i]
            if cover.top <= (g.top + g.bottom) / 2 <= cover.bottom:
                if orders[i] < cover.order:
                    under.append(i)
                else:
                    over = True
        if under:
            hiding.add(k)
        for i in under:
            hidden[i] = hidden.get(i, True) and not over and not cover.white
    if not hidden:
        return glyphs, hiding
    out = []
    for i, g in enumerate(glyphs):
        if i not in hidden:
            out.append(g)
        elif hidden[i]:
            out.append(g._replace(text=g.text + COVERED_NOTE))
    return out, hiding


def _cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _join(glyphs: list[Glyph], cell: bool) -> str:
    """One line of glyphs, left to right, with spaces where the gaps are."""
    out = [glyphs[0].text]
    prev = glyphs[0]
    for g in glyphs[1:]:
        size = max(g.size, prev.size, 1.0)
        if g.text == prev.text and abs(g.x0 - prev.x0) < 0.3 * size and abs(g.top - prev.top) < 0.3 * size:
            continue  # "bold" drawn twice with a small offset
        if (
            abs(g.x0 - prev.x0) < 0.15 * size
            and abs(g.top - prev.top) < 0.3 * size
            and any(ch.isdigit() for ch in g.text + prev.text)
        ):
            # A different character printed over this one (a figure pasted over an old one under a white box):
            # which one shows is not in the text layer, so the digits must not be read as one number.
            out.append(g.text + OVERPRINTED_NOTE)
            prev = g
            continue
        if g.text.endswith(COVERED_NOTE) and out[-1].endswith(COVERED_NOTE):
            out[-1] = out[-1].removesuffix(COVERED_NOTE)  # one note after a run of covered glyphs
        gap = g.x0 - prev.x1
        if not cell and gap > 1.5 * size:
            out.append("  ")  # a column gap: the tokenizer splits cells on runs of spaces
        elif gap > (0.6 if _cjk(prev.text[-1]) and _cjk(g.text[0]) else 0.2) * size:
            out.append(" ")  # justified CJK text is spaced out a little; that is not a word break
        out.append(g.text)
        prev = g
    return "".join(out)


def group_lines(glyphs: Iterable[Glyph], page: int, cell: bool = False) -> list[Line]:
    """Glyphs in lines, top to bottom; in a cell, wide gaps stay single spaces."""
    ordered = sorted(glyphs, key=lambda g: g.top + g.bottom)
    groups: list[list[Glyph]] = []
    anchor = 0.0
    for g in ordered:
        mid = (g.top + g.bottom) / 2
        if not groups or mid - anchor > 0.5 * max(g.size, 1.0):
            groups.append([])
            anchor = mid
        groups[-1].append(g)
    lines = []
    for group in groups:
        group.sort(key=lambda g: g.x0)
        bbox = (
            min(g.x0 for g in group),
            min(g.top for g in group),
            max(g.x1 for g in group),
            max(g.bottom for g in group),
        )
        size = Counter(round(g.size, 1) for g in group).most_common(1)[0][0]
        lines.append(Line(page, bbox, _join(group, cell), size))
    return lines


# ---------------------------------------------------------------------------
# Ruled tables
# ---------------------------------------------------------------------------
class _CellIndex:
    """Which cell of which table holds a point: bisect on the tables' grid lines, no scan over cells."""

    def __init__(self, tables: list) -> None:
        self.grids = []
        for t in tables:
            xs = sorted({v for c in t.cells for v in (c[0], c[2])})
            ys = sorted({v for c in t.cells for v in (c[1], c[3])})
            bands: dict[tuple[int, int], tuple] = {}
            for c in t.cells:
                for ix in range(xs.index(c[0]), xs.index(c[2])):
                    for iy in range(ys.index(c[1]), ys.index(c[3])):
                        bands[(ix, iy)] = c
            self.grids.append((t.bbox, xs, ys, bands))

    def find(self, x: float, y: float) -> tuple | None:
        for bbox, xs, ys, bands in self.grids:
            if bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]:
                return bands.get((bisect.bisect_right(xs, x) - 1, bisect.bisect_right(ys, y) - 1))
        return None


def _rounded(bbox: tuple) -> tuple[float, float, float, float]:
    return tuple(round(float(v), 1) for v in bbox)  # type: ignore[return-value]


def split_tables(found: list, glyphs: list[Glyph], page: int) -> tuple[list[Table], list[Glyph]]:
    """Rows of pdfplumber's ruled tables, and the glyphs outside every cell.

    pdfplumber lists a cell once, in the row where it starts, and None at the
    positions a merged cell covers; those positions are skipped, so a merged
    label is read once and no spurious empty cell appears.
    """
    found = [t for t in found if len(t.cells) >= 2]  # a frame around the page is not a table
    if not found:
        return [], glyphs
    index = _CellIndex(found)
    inside: dict[tuple, list[Glyph]] = defaultdict(list)
    outside = []
    for g in glyphs:
        cell = index.find((g.x0 + g.x1) / 2, (g.top + g.bottom) / 2)
        if cell is None:
            outside.append(g)
        else:
            inside[cell].append(g)
    tables = []
    for t in found:
        rows = []
        for row in t.rows:
            cells = []
            for bbox in row.cells:
                if bbox is None:
                    continue
                # A wrapped label is one label: the lines of a cell are joined without separators.
                lines = group_lines(inside.get(bbox, ()), page, cell=True)
                text = "".join(line.text for line in lines)
                full = bool(lines) and lines[-1].bbox[2] - lines[-1].bbox[0] >= bbox[2] - bbox[0] - 2.5 * lines[-1].size
                cells.append(Cell(page, _rounded(bbox), text, full))
            rows.append(cells)
        tables.append(Table(top=float(t.bbox[1]), rows=rows))
    return tables, outside


# ---------------------------------------------------------------------------
# Paragraphs, page furniture, page breaks
# ---------------------------------------------------------------------------
def _join_text(a: str, b: str) -> str:
    return a + b if _cjk(a[-1]) or _cjk(b[0]) else f"{a} {b}"


def reflow(items: list[Line | Table]) -> list[Line | Table]:
    """Join the lines of a wrapped paragraph (and of a wrapped title) into one line.

    A sentence such as "收到申请12件" broken after "申请1" would otherwise be read
    as two numbers.  A line continues the one above it when that line runs to the
    right edge and it starts at the left edge without a heading number; a large
    title continues on a line of the same size.
    """
    lines = [item for item in items if isinstance(item, Line)]
    if len(lines) < 2:
        return items
    left = min(line.bbox[0] for line in lines)
    right = max(line.bbox[2] for line in lines)
    body: Counter[float] = Counter()
    for line in lines:
        body[line.size] += len(line.text)
    body_size = body.most_common(1)[0][0]
    out: list[Line | Table] = []
    for item in items:
        prev = out[-1] if out else None
        if isinstance(item, Line) and isinstance(prev, Line) and _continues(prev, item, left, right, body_size):
            a, b = prev.bbox, item.bbox
            bbox = (min(a[0], b[0]), a[1], max(a[2], b[2]), b[3])
            out[-1] = Line(prev.page, bbox, _join_text(prev.text, item.text), prev.size)
        else:
            out.append(item)
    return out


def _continues(a: Line, b: Line, left: float, right: float, body_size: float) -> bool:
    size = a.size
    if abs(a.size - b.size) > 0.6 or not 0 <= b.top - a.bbox[3] < 0.9 * size:
        return False
    if "  " in a.text or "  " in b.text or _ENDS_WITH_NUMBER.search(a.text) or _ENUMERATOR.match(b.text):
        return False  # a row of an unruled table, or a new numbered item
    if size >= body_size + 2:
        return True  # a title wrapped over two lines
    return a.bbox[2] >= right - 1.5 * size and b.bbox[0] <= left + 0.5 * size


def _furniture_key(line: Line, page: Page) -> tuple[str, str, float] | None:
    if line.top < _MARGIN * page.height:
        zone = "head"
    elif line.bbox[3] > (1 - _MARGIN) * page.height:
        zone = "foot"
    else:
        return None
    return re.sub(r"[\d\s]+", "", fold(line.text)), zone, round(line.size)


def drop_furniture(pages: list[Page]) -> None:
    """Remove page numbers and running heads/feet, which would interrupt a table split over pages.

    A page number is a line such as "- 3 -" or "第3页" in the margin or at either
    end of the page; a running head is margin text repeated at the same height on
    another page (digits ignored: "2022年报 第3页").
    """
    seen: dict[tuple, list[tuple[int, float]]] = defaultdict(list)
    for page in pages:
        for item in page.items:
            if isinstance(item, Line) and (key := _furniture_key(item, page)) and key[0]:
                seen[key].append((page.number, item.top))

    def repeated(line: Line, page: Page) -> bool:
        key = _furniture_key(line, page)
        if key is None:
            return False
        if _PAGE_NUMBER.fullmatch(fold(line.text).strip()):
            return True
        return bool(key[0]) and any(n != page.number and abs(top - line.top) <= 3 for n, top in seen[key])

    for page in pages:
        items = page.items
        keep = []
        for i, item in enumerate(items):
            if isinstance(item, Line):
                at_end = i == 0 or i == len(items) - 1
                if repeated(item, page) or (at_end and _PAGE_NUMBER.fullmatch(fold(item.text).strip())):
                    continue
            keep.append(item)
        page.items = keep


def _texts(row: list[Cell]) -> tuple[str, ...]:
    return tuple(c.text for c in row)


def _rest_of(last: list[Cell], first: list[Cell]) -> list[tuple[Cell, Cell]] | None:
    """When `first`, the top row of a page, is the rest of `last`, a row that the page break
    cut: the cells of `last` paired with the cells of `first` below them.

    Word lets a row break across pages: the first lines of its label (and its values,
    when they are at the top) end one page, the rest starts the next.  The evidence
    must be strong, since the next row proper looks the same when all its values are
    blank: the label's last line on the first page runs across its cell (the label
    goes on), the rest does not start with an item number, no column has a value on
    both pages, and the new page adds only empty cells (merged cells that go on).
    """
    pairs = []
    for a in last:
        match = [b for b in first if abs(b.bbox[0] - a.bbox[0]) <= 2 and abs(b.bbox[2] - a.bbox[2]) <= 2]
        if len(match) != 1:
            return None
        pairs.append((a, match[0]))
    paired = {id(b) for _, b in pairs}
    if any(c.text for c in first if id(c) not in paired):
        return None
    label = next((i for i, c in enumerate(last) if c.text and not looks_numeric(c.text)), None)
    if label is None or not last[label].full:
        return None
    rest = pairs[label][1].text
    if not rest or _ENUMERATOR.match(rest):
        return None
    values = [pair for i, pair in enumerate(pairs) if i != label]
    if any(a.text and b.text for a, b in values):
        return None  # a value on both pages: two rows
    if not all(looks_numeric(c.text) for pair in values for c in pair if c.text):
        return None
    return pairs


def join_pages(pages: list[Page]) -> None:
    """A table that ends one page and starts the next is one table: drop the header rows that the
    continuation repeats and a row printed on both pages, and join a row that the break cut."""
    previous: Table | None = None
    for page in pages:
        for item in page.items:
            if isinstance(item, Table):
                item.head = [_texts(r) for r in item.rows[:4]]
        first = page.items[0] if page.items else None
        if previous is not None and isinstance(first, Table) and previous.rows and first.rows:
            first.head = previous.head
            rows = first.rows
            skip = 0
            while skip < min(len(rows), len(first.head)) and _texts(rows[skip]) == first.head[skip]:
                skip += 1
            rows = rows[skip:]
            last = previous.rows[-1]
            if rows and _texts(rows[0]) == _texts(last) and any(c.text for c in last):
                rows = rows[1:]
            if rows and (pairs := _rest_of(last, rows[0])):
                rows.pop(0)  # its extra cells are empty: merged cells going on
                for a, b in pairs:
                    if b.text and not a.text:
                        a.page, a.bbox = b.page, b.bbox  # a value printed on the new page: its evidence is there
                    a.text += b.text
            first.rows = rows
        last_item = page.items[-1] if page.items else None
        previous = last_item if isinstance(last_item, Table) else (previous if not page.items else None)


def trim_row(row: list[Cell]) -> list[Cell]:
    """Empty cells before a row's label continue a merged label cell that a page break cut: drop them."""
    for i, cell in enumerate(row):
        if cell.text:
            return row[i:] if i and not looks_numeric(cell.text) else row
    return row
