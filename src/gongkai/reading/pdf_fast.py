"""The text layer of a PDF read with pdfium (C++) instead of pdfminer (pure Python): several times faster.

pdfplumber spends nearly all its time interpreting content streams in Python to list the characters and the
drawn lines of a page. pdfium, which pypdfium2 wraps, does the same in C++. This module asks it for exactly
what pdfplumber would have given the reader:

- characters with pdfplumber's boxes: x0/x1 from the origin and advance width (pdfium's "loose" box, the same
  numbers), bottom = baseline − font descent, top = bottom − font size, size = font size × text matrix;
- the drawn lines as pdfplumber's edges, classified as pdfminer classifies a painted path (a single segment
  is a line, a closed axis-aligned four-point path a rectangle with four edges, anything else a curve whose
  consecutive points make edges), then handed to pdfplumber's own table finder with its default settings.

So the ruled tables, the cells and their boxes come from the same code as before. Anything this reader does not
reproduce exactly — rotated, skewed or vertical text, characters without a Unicode mapping, a page whose media
box is offset, cropped or rotated, a page with images and almost no text (a scan), a page with text it does not
show (drawn invisible among printed text, or under an opaque box drawn after it: pdfium's text page merges two
like characters printed at one place, so which of them the box hides is lost) — makes `read_pages` return
None, and the caller reads the document with pdfplumber as before.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import struct
import sys
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as c

from gongkai.reading.pdf_tables import Cover, Glyph, fill_paint, invisible_text_hidden, on_page, seen_glyphs

_FLOAT32 = struct.Struct("f")


@functools.lru_cache(maxsize=8192)
def _decimal(value: float) -> float:
    """The shortest decimal a single-precision number stands for: pdfium keeps coordinates in float32, pdfminer
    in float64, so 123.95 in the file is 123.94999694824219 here and 123.95 there (and rounds differently)."""
    packed = _FLOAT32.pack(value)
    for digits in range(1, 10):
        shorter = float(f"{value:.{digits}g}")
        if _FLOAT32.pack(shorter) == packed:
            return shorter
    return value


class NeedsPdfplumber(Exception):
    """The page uses something this reader does not reproduce exactly."""


@dataclass(slots=True)
class PageText:
    number: int
    width: float
    height: float
    glyphs: list[Glyph]
    edges: list[dict]
    chars: int  # every character, spaces included (pdfplumber's len(page.chars))
    images: int


class _EdgePage:
    """What pdfplumber's TableFinder reads from a page: its edges (and its box, for explicit lines only)."""

    def __init__(self, edges: list[dict], width: float, height: float) -> None:
        self.edges = edges
        self.bbox = (0, 0, width, height)


def find_tables(page: PageText) -> list:
    """pdfplumber's `page.find_tables()` with its default settings, on the edges read by pdfium: its own edge
    merging, intersections, grouping and Table, with `cells` (below) in place of its quadratic search."""
    from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections

    edge_page = _EdgePage(page.edges, page.width, page.height)
    finder = TableFinder.__new__(TableFinder)  # its get_edges without its __init__'s cell search
    finder.page, finder.settings = edge_page, TableSettings.resolve(None)  # type: ignore[assignment]
    settings = finder.settings
    points = edges_to_intersections(
        finder.get_edges(), settings.intersection_x_tolerance, settings.intersection_y_tolerance
    )
    return [Table(edge_page, group) for group in cells_to_tables(cells(points))]  # type: ignore[arg-type]


def cells(intersections: dict) -> list[tuple]:
    """pdfplumber's `intersections_to_cells`, the same cells in the same order, without its quadratic scans.

    For each point (in sorted order) the smallest cell whose corners are intersections joined by common edges:
    the points below it are the later points of its column, the points to its right the later points of its
    row, tried in the same order; each point's edges are made into sets once, not at every comparison."""
    from pdfplumber.utils import obj_to_bbox

    v = {p: frozenset(map(obj_to_bbox, e["v"])) for p, e in intersections.items()}
    h = {p: frozenset(map(obj_to_bbox, e["h"])) for p, e in intersections.items()}

    def connects(p1: tuple, p2: tuple) -> bool:
        return (p1[0] == p2[0] and not v[p1].isdisjoint(v[p2])) or (p1[1] == p2[1] and not h[p1].isdisjoint(h[p2]))

    points = sorted(intersections)
    columns: dict[float, list[tuple]] = {}
    rows: dict[float, list[tuple]] = {}
    for p in points:
        columns.setdefault(p[0], []).append(p)
        rows.setdefault(p[1], []).append(p)
    found = []
    for pt in points:
        column, row = columns[pt[0]], rows[pt[1]]
        below = column[column.index(pt) + 1 :]
        right = row[row.index(pt) + 1 :]
        cell = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell is not None:
                break
        if cell is not None:
            found.append(cell)
    return found


def read_page(doc: pdfium.PdfDocument, index: int, max_chars: int) -> PageText:
    page = doc[index]
    try:
        if page.get_rotation() % 360:
            raise NeedsPdfplumber("rotated page")
        media = tuple(page.get_mediabox())
        if media[:2] != (0, 0) or tuple(page.get_cropbox()) != media:
            raise NeedsPdfplumber("offset or cropped page")
        width, height = page.get_width(), page.get_height()
        drawn = _Drawn()
        _objects(page.raw, height, drawn, None, c.FPDFPage_CountObjects, c.FPDFPage_GetObject)
        textpage = page.get_textpage()
        try:
            glyphs, chars = _glyphs(textpage, height, max_chars, drawn)
        finally:
            textpage.close()
        glyphs = on_page(glyphs, (0, 0, width, height))
        return PageText(index + 1, width, height, glyphs, drawn.edges, chars, drawn.images)
    finally:
        page.close()


def _text_object(raw, i: int, obj) -> tuple:
    """What the characters of one text object share: font, font size, scale of the text matrix, size on the
    page and the font's descent on the page."""
    matrix = c.FS_MATRIX()
    font_size = ctypes.c_float()
    descent = ctypes.c_float()
    if not obj or not c.FPDFText_GetMatrix(raw, i, matrix) or not c.FPDFTextObj_GetFontSize(obj, font_size):
        raise NeedsPdfplumber("character without a text object")
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.a != matrix.d:
        raise NeedsPdfplumber("rotated, skewed, mirrored or stretched text")
    font = c.FPDFTextObj_GetFont(obj)
    if not font or not c.FPDFFont_GetDescent(font, font_size, descent):
        raise NeedsPdfplumber("font without metrics")
    scale = _decimal(matrix.d)
    return font, font_size, scale, _decimal(font_size.value) * scale, _decimal(descent.value) * scale


def _glyphs(textpage, height: float, max_chars: int, drawn: _Drawn) -> tuple[list[Glyph], int]:
    """The page's characters as pdfplumber's boxes.  A page where some are not seen is left to pdfplumber (see
    pdf._read_page): text drawn invisible (render mode 3 or 7) on a page without images (on a scan it is the text
    layer an OCR laid over the picture, and is read), text under an opaque box drawn after it."""
    raw = textpage.raw
    count = c.FPDFText_CountChars(raw)
    if count > max_chars:
        return [], count  # refused by the caller with its own message
    glyphs = []
    orders = []  # each glyph's text object's place in the drawing order
    chars = invisible = 0
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    advance = ctypes.c_float()
    objects: dict[int, tuple] = {}  # text object → (font, font size, scale, size, descent): alike for its chars
    widths: dict[tuple[int, int], float] = {}  # (text object, character) → advance width
    for i in range(count):
        if c.FPDFText_IsGenerated(raw, i):
            continue  # spaces and line breaks pdfium adds between words: not in the file
        chars += 1
        code = c.FPDFText_GetUnicode(raw, i)
        if c.FPDFText_HasUnicodeMapError(raw, i) == 1:
            raise NeedsPdfplumber("character without a Unicode mapping")
        text = chr(code)
        if not text.strip():
            continue
        obj = c.FPDFText_GetTextObject(raw, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        invisible += key in drawn.unseen
        known = objects.get(key)
        if known is None:
            known = objects[key] = _text_object(raw, i, obj)
        font, font_size, scale, size, descent = known
        width = widths.get((key, code))
        if width is None:
            # The advance width the PDF gives the character (its /W or /Widths), as pdfminer uses it; pdfium's
            # own boxes take the width of the glyph in the font it substitutes for a non-embedded one.
            if not c.FPDFFont_GetGlyphWidth(font, code, font_size, advance):
                raise NeedsPdfplumber("character without a width")
            width = widths[(key, code)] = _decimal(advance.value) * scale
        c.FPDFText_GetCharOrigin(raw, i, origin_x, origin_y)
        bottom = height - _decimal(origin_y.value) - descent
        x0 = _decimal(origin_x.value)
        glyphs.append(Glyph(x0, bottom - size, x0 + width, bottom, text, size))
        orders.append(drawn.orders.get(key, _UNKNOWN))  # unknown: nothing is taken to hide it
    if invisible_text_hidden(invisible, len(glyphs) - invisible, bool(drawn.images)):
        raise NeedsPdfplumber("invisible text among printed text")
    if seen_glyphs(glyphs, orders, drawn.covers)[1]:
        # Text hidden under a box drawn over it (or drawn invisible, above): pdfium's text page keeps one of two
        # like characters printed at one place, the first drawn, so that of 7148 under a box and 7147 printed on
        # it, 7, 1 and 4 would be the hidden ones and 7147 be read as 7.  pdfminer keeps every character.
        raise NeedsPdfplumber("text under a box")
    return glyphs, chars


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _times(m: tuple, n: tuple) -> tuple:
    """The matrix m then n (PDF's row-vector convention)."""
    a, b, c_, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c_ * a2 + d * c2,
        c_ * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


@dataclass(slots=True)
class _Drawn:
    """What the page objects draw: table rules (pdfplumber's edges), images, opaque boxes, and the place of each
    text object in the drawing order (pdfium's text page lists characters without it)."""

    edges: list[dict] = field(default_factory=list)
    covers: list[Cover] = field(default_factory=list)
    orders: dict[int, int] = field(default_factory=dict)  # text object → its place in the drawing order
    unseen: set[int] = field(default_factory=set)  # text objects drawn invisible
    images: int = 0
    count: int = 0


_UNSEEN_TEXT = (c.FPDF_TEXTRENDERMODE_INVISIBLE, c.FPDF_TEXTRENDERMODE_CLIP)
_UNKNOWN = sys.maxsize


def _objects(parent, height: float, drawn: _Drawn, outer: tuple | None, count_fn, get_fn) -> None:
    """Walk the page objects in drawing order (forms included), noting what each draws."""
    matrix = c.FS_MATRIX()
    bounds = [ctypes.c_float() for _ in range(4)]
    for i in range(count_fn(parent)):
        obj = get_fn(parent, i)
        drawn.count += 1
        kind = c.FPDFPageObj_GetType(obj)
        if kind == c.FPDF_PAGEOBJ_IMAGE:
            drawn.images += 1
        elif kind == c.FPDF_PAGEOBJ_TEXT:
            _check_text_bounds(obj, bounds)
            key = ctypes.cast(obj, ctypes.c_void_p).value or 0
            drawn.orders[key] = drawn.count
            if c.FPDFTextObj_GetTextRenderMode(obj) in _UNSEEN_TEXT:
                drawn.unseen.add(key)
        elif kind in (c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_FORM):
            if not c.FPDFPageObj_GetMatrix(obj, matrix):
                raise NeedsPdfplumber("object without a matrix")
            m = tuple(_decimal(v) for v in (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f))
            m = _times(m, outer) if outer else m
            if kind == c.FPDF_PAGEOBJ_FORM:
                _objects(obj, height, drawn, m, c.FPDFFormObj_CountObjects, c.FPDFFormObj_GetObject)
                continue
            paint, stroked, opaque = _paint(obj)
            # A path only filled in white is nothing on the page: no table rule (pdf_tables.invisible_path).
            edges = drawn.edges if stroked or paint != "white" else []
            boxes = _path_edges(obj, m, height, edges)
            if paint is not None and opaque:
                drawn.covers.extend(Cover(drawn.count, *box, paint == "white") for box in boxes)


def _paint(path) -> tuple[str | None, bool, bool]:
    """What a path's fill paints (pdf_tables.fill_paint, from pdfium's RGBA), whether it is stroked, and whether the
    fill is opaque."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not c.FPDFPath_GetDrawMode(path, fill, stroke):
        return None, False, False
    rgba = [ctypes.c_uint() for _ in range(4)]
    if fill.value == c.FPDF_FILLMODE_NONE or not c.FPDFPageObj_GetFillColor(path, *rgba):
        return None, bool(stroke.value), False
    colour = tuple(v.value / 255 for v in rgba[:3])
    return fill_paint(True, colour), bool(stroke.value), rgba[3].value == 255


def _check_text_bounds(obj, bounds: list) -> None:
    """pdfium's text page silently leaves out a text object whose glyph boxes are empty, and it measures glyphs in
    the font it substitutes for a non-embedded one: on a machine without CJK fonts every such glyph is empty, so
    a wrapped cell's last digit ("11" / "6") would vanish and 116 be read as 11. pdfminer keeps every character
    whatever fonts the machine has, so such a page is left to it."""
    left, bottom, right, top = bounds
    if not c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        raise NeedsPdfplumber("text object without bounds")
    if right.value - left.value <= 0 or top.value - bottom.value <= 0:
        raise NeedsPdfplumber("text with empty glyph boxes (a font this machine lacks)")


def _path_edges(path, m: tuple, height: float, edges: list[dict]) -> list[tuple]:
    """pdfminer's reading of one painted path (LTLine, LTRect or LTCurve per subpath) as pdfplumber's edges; the
    boxes of its rectangles (its LTRects)."""
    x = ctypes.c_float()
    y = ctypes.c_float()
    subpaths: list[tuple[str, list[tuple[float, float]]]] = []
    shape: list[str] = []
    points: list[tuple[float, float]] = []
    a, b, c_, d, e, f = m
    bezier = 0
    for i in range(c.FPDFPath_CountSegments(path)):
        segment = c.FPDFPath_GetPathSegment(path, i)
        kind = c.FPDFPathSegment_GetType(segment)
        if kind != c.FPDF_SEGMENT_BEZIERTO:
            bezier = 0
        if not c.FPDFPathSegment_GetPoint(segment, x, y):
            raise NeedsPdfplumber("unreadable path segment")
        px, py = _decimal(x.value), _decimal(y.value)
        point = (a * px + c_ * py + e, b * px + d * py + f)
        if kind == c.FPDF_SEGMENT_MOVETO:
            if shape:
                subpaths.append(("".join(shape), points))
            shape, points = ["m"], [point]
        elif kind == c.FPDF_SEGMENT_LINETO:
            shape.append("l")
            points.append(point)
        elif kind == c.FPDF_SEGMENT_BEZIERTO:
            # pdfium lists a curve as three segments (two control points, the end); pdfminer keeps the end.
            bezier += 1
            if bezier % 3:
                continue
            shape.append("c")
            points.append(point)
        else:
            raise NeedsPdfplumber("unknown path segment")
        if c.FPDFPathSegment_GetClose(segment) and shape:
            shape.append("h")
            points.append(points[0])
    if shape:
        subpaths.append(("".join(shape), points))
    boxes = [_subpath_edges(shape_, pts, height, edges) for shape_, pts in subpaths]
    return [box for box in boxes if box is not None]


def _subpath_edges(shape: str, pts: list[tuple[float, float]], height: float, edges: list[dict]) -> tuple | None:
    """Append a subpath's edges; return its box (left, top, right, bottom) when it is a rectangle."""
    if shape[:1] != "m":
        return None
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-2] + pts[-1:]
    if shape in ("mlh", "ml"):
        (x0, y0), (x1, y1) = pts[0], pts[1]
        edges.append(_edge("line", min(x0, x1), max(x0, x1), height - max(y0, y1), height - min(y0, y1), None))
        return None
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        closed = pts[0] == pts[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if closed and square:
            left, right = min(x0, x2), max(x0, x2)
            top, bottom = height - max(y0, y2), height - min(y0, y2)
            edges.append(_edge("rect_edge", left, right, top, top, "h"))
            edges.append(_edge("rect_edge", left, right, bottom, bottom, "h"))
            edges.append(_edge("rect_edge", left, left, top, bottom, "v"))
            edges.append(_edge("rect_edge", right, right, top, bottom, "v"))
            return left, top, right, bottom
    flipped = [(px, height - py) for px, py in pts]
    for (px0, py0), (px1, py1) in itertools.pairwise(flipped):
        orientation = "v" if px0 == px1 else ("h" if py0 == py1 else None)
        edges.append(_edge("curve_edge", min(px0, px1), max(px0, px1), min(py0, py1), max(py0, py1), orientation))
    return None


def _edge(kind: str, x0: float, x1: float, top: float, bottom: float, orientation: str | None) -> dict:
    if orientation is None and kind == "line":
        orientation = "h" if top == bottom else "v"  # pdfplumber's line_to_edge: a sloped line counts as "v"
    return {
        "object_type": kind,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }
