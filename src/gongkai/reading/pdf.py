"""PDF reports: the text layer read with pdfium (pdf_fast) or pdfplumber, ruled tables as rows of cells.

The cheap checks come first: pypdfium2 opens a file in milliseconds, so a
truncated or corrupt file, a password and the page count are decided before any
page is parsed.  Then each page in turn becomes text lines and ruled-table rows —
its characters and drawn lines read by pdfium where that gives exactly what
pdfplumber gives (several times faster), else by pdfplumber; the tables are found
by pdfplumber's table finder either way (see pdf_tables) — its parsed objects
are freed, and the pages are written with
the page and box of every line and cell as evidence:
`{"page": n, "bbox": [x0, top, x1, bottom]}` in PDF points, origin top left.
What the page does not show is not read: text drawn invisible among printed
text, and text under an opaque box drawn over it (pdf_tables.seen_glyphs; such a
page is read by pdfplumber, whose characters keep their drawing order).

A scan has no text to read.  It is refused (NoTextLayer) rather than read as an
empty report, unless OCR is asked for (GONGKAI_OCR=1) and tesseract with its
chi_sim language is installed: then the image-only pages are rendered with
pypdfium2 and read with tesseract, and the words' boxes become the evidence.
"""

from __future__ import annotations

import bisect
import functools
import io
import logging
import os
import shutil
import subprocess
import tempfile
import time
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from gongkai.errors import Encrypted, InputError, NoTextLayer, TooLarge
from gongkai.reading import pdf_limits
from gongkai.reading.document import Document, load_layout
from gongkai.reading.layout import LayoutBuilder, Location
from gongkai.reading.pdf_tables import (
    Cover,
    Glyph,
    Line,
    Page,
    Table,
    drop_furniture,
    fill_paint,
    group_lines,
    invisible_path,
    invisible_text_hidden,
    join_pages,
    on_page,
    reflow,
    seen_glyphs,
    split_tables,
    trim_row,
    visible_object,
)

if TYPE_CHECKING:
    from PIL import Image

    from gongkai.reading.ocr_image import Rule

MAX_PAGES = 300  # an annual report has a few dozen pages at most
MAX_SECONDS = 180.0  # the whole text layer; ~20 s for 300 ordinary pages
MAX_GLYPHS_PER_PAGE = 100_000  # a page of small print has ~5,000
MAX_TABLE_EDGES = 20_000  # beyond this the table finder's cost explodes; the text is still read as lines
MIN_PAGE_GLYPHS = 20  # fewer on an image page: a page number or a stamp, not text
OCR_DPI = 300
MAX_OCR_PAGES = 40
OCR_TIMEOUT_S = 120
# Table rules in a scan, in inches: longer than the strokes of body-size characters.
RULE_MIN_WIDTH = 0.4
RULE_MIN_HEIGHT = 0.2
RULE_GAP = 12  # pixels at OCR_DPI: breaks and slant that still leave one rule
CELL_INSET = 5  # pixels at OCR_DPI: a cell is read inside its rules, clear of what is left of them
CELL_GAP = 30  # pixels at OCR_DPI: white between the cells stacked for tesseract
# Tesseract's boxes hug the ink, about 0.8 of the font size for Chinese; the size is what spacing is
# measured against, so the ink gaps between characters of spaced-out text are not read as word breaks.
INK_HEIGHT = 0.8

log = logging.getLogger(__name__)
_CORRUPT = ("PDF 文件已损坏，无法读取", "corrupt PDF")


def read(data: bytes, kind: str = "pdf") -> Document:
    pdf_limits.check(data)  # compression bombs, before pdfium or pdfminer inflates anything
    count = _check(data)
    pages, title, unread, reason = _text_layer(data, count)
    if unread:
        pages = _ocr(data, pages, unread, reason)
    drop_furniture(pages)
    for page in pages:
        page.items = reflow(page.items)
    join_pages(pages)
    return _document(pages, title, ocr_pages=frozenset(unread))


def _check(data: bytes) -> int:
    """Truncation, corruption, passwords and page count, from pdfium in milliseconds."""
    if b"%%EOF" not in data[-2048:]:
        raise InputError(
            "PDF 文件不完整（可能下载中断），无法读取", "truncated PDF: no %%EOF at the end", code="corrupt"
        )
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise Encrypted(
                "PDF 文件已加密，无法读取；请提供未加密的文件", "encrypted PDF (needs a password)"
            ) from None
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise Encrypted(
                "PDF 文件使用了不支持的加密方式，无法读取", "PDF with an unsupported security handler"
            ) from None
        raise InputError(*_CORRUPT, code="corrupt") from None
    try:
        count = len(doc)
    finally:
        doc.close()
    if count == 0:
        raise InputError("PDF 文件没有页面", "PDF without pages", code="corrupt")
    if count > MAX_PAGES:
        raise TooLarge(f"PDF 共 {count} 页，超过上限 {MAX_PAGES} 页，已拒绝", f"{count} pages > limit {MAX_PAGES}")
    return count


def _text_layer(data: bytes, count: int) -> tuple[list[Page], str | None, list[int], str]:
    """Every page's lines and tables, the document title, the pages that need OCR and why: with pdfium where
    it gives exactly what pdfplumber gives (see pdf_fast), else with pdfplumber."""
    if os.environ.get("GONGKAI_PDF_READER") != "pdfplumber":
        fast = _fast_text_layer(data, count)
        if fast is not None:
            return fast
    return _plumber_text_layer(data, count)


def _fast_text_layer(data: bytes, count: int) -> tuple[list[Page], str | None, list[int], str] | None:
    """The text layer read by pdfium, or None when the document needs pdfplumber (a scan, unmapped glyphs,
    rotated text or pages, anything pdf_fast does not reproduce exactly)."""
    from gongkai.reading import pdf_fast

    started = time.monotonic()
    pages: list[Page] = []
    glyphs = 0
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        if pdfium_c.FPDF_GetSecurityHandlerRevision(doc.raw) != -1:
            return None  # encrypted (an owner password): pdfminer decrypts some strings differently
        title = _plumber_title(data)
        for index in range(count):
            text = pdf_fast.read_page(doc, index, MAX_GLYPHS_PER_PAGE)
            if text.chars > MAX_GLYPHS_PER_PAGE:
                raise _too_many_glyphs(text.number, text.chars)
            if len(text.glyphs) < MIN_PAGE_GLYPHS and text.images:
                return None  # a scanned page: the OCR decision stays with the pdfplumber reader
            found = pdf_fast.find_tables(text) if text.glyphs and len(text.edges) <= MAX_TABLE_EDGES else []
            tables, outside = split_tables(found, text.glyphs, text.number)
            items = sorted([*tables, *group_lines(outside, text.number)], key=lambda item: item.top)
            pages.append(Page(text.number, text.width, text.height, items))
            glyphs += len(text.glyphs)
            if time.monotonic() - started > MAX_SECONDS:
                raise TooLarge(f"PDF 处理超过 {MAX_SECONDS:.0f} 秒，已放弃", f"PDF over {MAX_SECONDS} s")
    except pdf_fast.NeedsPdfplumber:
        return None
    except InputError:
        raise
    except Exception:  # anything unexpected in pdfium's answers: the careful reader decides
        log.debug("pdfium text layer failed; reading with pdfplumber", exc_info=True)
        return None
    finally:
        doc.close()
    if glyphs < MIN_PAGE_GLYPHS:
        return None  # (almost) no text: pdfplumber's path decides between a scan and an empty file
    return pages, _text(title), [], ""


def _plumber_title(data: bytes) -> object:
    """The Title as pdfplumber decodes it (metadata only, no page is parsed: a millisecond or two), so both
    readers name the document alike."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return pdf.metadata.get("Title")


def _too_many_glyphs(number: int, count: int) -> TooLarge:
    return TooLarge(
        f"PDF 第 {number} 页的字符超过 {MAX_GLYPHS_PER_PAGE:,} 个，不像年报，已拒绝",
        f"page {number} has {count} characters (limit {MAX_GLYPHS_PER_PAGE})",
    )


def _plumber_text_layer(data: bytes, count: int) -> tuple[list[Page], str | None, list[int], str]:
    import pdfplumber  # here, not at the top: refusing a file must not wait for pdfminer to import

    started = time.monotonic()
    pages: list[Page] = []
    scanned: list[int] = []
    glyphs = unmapped = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            title = pdf.metadata.get("Title")
            if len(pdf.pages) != count:  # pdfium found pages that pdfminer cannot: a broken page tree
                raise InputError(*_CORRUPT, code="corrupt")
            for page in pdf.pages:
                try:
                    result, found, cid = _read_page(page)
                    if found < MIN_PAGE_GLYPHS and page.images:
                        scanned.append(result.number)
                finally:
                    page.close()  # frees the page's parsed objects: memory stays one page deep
                pages.append(result)
                glyphs += found
                unmapped += cid
                if time.monotonic() - started > MAX_SECONDS:
                    raise TooLarge(f"PDF 处理超过 {MAX_SECONDS:.0f} 秒，已放弃", f"PDF over {MAX_SECONDS} s")
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many types on malformed input; every one means "cannot read"
        raise InputError(_CORRUPT[0], f"{_CORRUPT[1]}: {type(exc).__name__}: {exc}", code="corrupt") from exc
    all_pages = [p.number for p in pages]
    if unmapped > 0.3 * glyphs:
        # Glyphs without a Unicode mapping come out as "(cid:123)": no digit can be read.
        return pages, _text(title), all_pages, "unmapped"
    if glyphs < MIN_PAGE_GLYPHS or 2 * len(scanned) >= len(pages):
        return pages, _text(title), scanned or all_pages, "scan"
    return pages, _text(title), [], ""  # a stray image-only page (a seal, a signature) among text pages


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _read_page(page) -> tuple[Page, int, int]:
    orders, unseen, rect_orders = _lay_out(page)
    chars = page.chars
    if len(chars) > MAX_GLYPHS_PER_PAGE:
        raise _too_many_glyphs(page.page_number, len(chars))
    n = page.page_number
    if len(orders) != len(chars) or len(rect_orders) != len(page.rects):  # pragma: no cover - pdfplumber's own order
        orders, unseen, rect_orders = [0] * len(chars), [False] * len(chars), []
    # What a reader of the page does not see is not read: invisible text among printed text, text under an opaque
    # box drawn after it (pdf_fast leaves such pages to this reader).
    invisible = sum(1 for c, hidden in zip(chars, unseen, strict=True) if hidden and c["text"].strip())
    printed = sum(1 for c in chars if c["text"].strip()) - invisible
    hide_unseen = invisible_text_hidden(invisible, printed, bool(page.images))
    kept = [
        (Glyph(c["x0"], c["top"], c["x1"], c["bottom"], c["text"], c["size"]), order)
        for c, order, invisible in zip(chars, orders, unseen, strict=True)
        if c["text"].strip() and not (invisible and hide_unseen)
    ]
    painted = [
        (r, Cover(order, r["x0"], r["top"], r["x1"], r["bottom"], paint == "white"))
        for r, order in zip(page.rects, rect_orders, strict=False)
        if (paint := fill_paint(bool(r.get("fill")), r.get("non_stroking_color"))) is not None
    ]
    glyphs, hiding = seen_glyphs([g for g, _ in kept], [order for _, order in kept], [cover for _, cover in painted])
    glyphs = on_page(glyphs, tuple(page.cropbox))
    patches = {id(painted[k][0]) for k in hiding}  # boxes over the text: no table rules (see pdf_fast._glyphs)
    unmapped = sum(1 for g in glyphs if g.text.startswith("(cid:"))
    found = []
    if glyphs and len(page.edges) <= MAX_TABLE_EDGES:
        hidden = patches or any(map(invisible_path, (*page.rects, *page.curves, *page.lines)))
        drawn = page.filter(lambda obj: id(obj) not in patches and visible_object(obj)) if hidden else page
        found = drawn.find_tables()
    tables, outside = split_tables(found, glyphs, n)
    items = sorted([*tables, *group_lines(outside, n)], key=lambda item: item.top)
    return Page(n, float(page.width), float(page.height), items), len(glyphs), unmapped


@functools.cache
def _device_class():
    """pdfplumber's layout device, also marking the characters drawn invisible (render mode 3 or 7: pdfminer lays
    them out like any other)."""
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class Device(PDFPageAggregatorWithMarkedContent):
        def render_string(self, textstate, seq, ncs, graphicstate) -> None:  # type: ignore[no-untyped-def]
            objs = self.cur_item._objs
            start = len(objs)
            super().render_string(textstate, seq, ncs, graphicstate)
            if textstate.render in (3, 7):
                for obj in objs[start:]:
                    obj.gongkai_unseen = True

    return Device


def _lay_out(page) -> tuple[list[int], list[bool], list[int]]:
    """Lay the page out as pdfplumber does (page.layout), and list in the order of page.chars each character's place
    in the drawing order and whether it is drawn invisible, and in the order of page.rects each rectangle's place:
    pdfplumber lists each kind of object apart, so which was drawn over which is read from the layout."""
    from pdfminer.layout import LTChar, LTContainer, LTRect
    from pdfminer.pdfinterp import PDFPageInterpreter

    device = _device_class()(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()  # what page.layout would have built, without the marks
    orders: list[int] = []
    unseen: list[bool] = []
    rect_orders: list[int] = []
    stack = [iter(page._layout._objs)]
    count = 0
    while stack:  # pdfplumber's iter_layout_objects: depth first, a container's objects in its place
        obj = next(stack[-1], None)
        if obj is None:
            stack.pop()
            continue
        if isinstance(obj, LTContainer):
            stack.append(iter(obj._objs))
            continue
        count += 1
        if isinstance(obj, LTChar):
            orders.append(count)
            unseen.append(getattr(obj, "gongkai_unseen", False))
        elif isinstance(obj, LTRect):
            rect_orders.append(count)
    return orders, unseen, rect_orders


# ---------------------------------------------------------------------------
# OCR (optional)
# ---------------------------------------------------------------------------
def _tesseract() -> str | None:
    """The tesseract executable when OCR is asked for and can read simplified Chinese."""
    if os.environ.get("GONGKAI_OCR") != "1":
        return None
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return exe if "chi_sim" in (langs.stdout + langs.stderr).split() else None


def _ocr(data: bytes, pages: list[Page], numbers: list[int], reason: str) -> list[Page]:
    exe = _tesseract()
    if exe is None and reason == "unmapped":
        raise NoTextLayer(
            "该 PDF 的字体缺少字符映射，提取出的文字是乱码，无法读取数字；可安装 OCR 扩展后重试",
            "PDF text layer without a Unicode mapping (cid glyphs)",
        )
    if exe is None:
        raise NoTextLayer(
            "该 PDF 为扫描件，没有文字层，无法读取数字；可安装 OCR 扩展后重试", "scanned PDF without a text layer"
        )
    if len(numbers) > MAX_OCR_PAGES:
        raise TooLarge(
            f"扫描件需要识别的页数（{len(numbers)} 页）超过上限 {MAX_OCR_PAGES} 页，已拒绝",
            f"{len(numbers)} pages to OCR > limit {MAX_OCR_PAGES}",
        )
    by_number = {p.number: p for p in pages}
    doc = pdfium.PdfDocument(data)
    try:
        with tempfile.TemporaryDirectory(prefix="gongkai-ocr-") as tmp:
            for n in numbers:
                page = doc[n - 1]
                try:
                    width, height = page.get_size()
                    image = page.render(scale=OCR_DPI / 72).to_pil()
                finally:
                    page.close()
                by_number[n] = Page(n, width, height, _ocr_page(exe, image, n, tmp))
    finally:
        doc.close()
    return [by_number[p.number] for p in pages]


def _ocr_page(exe: str, image: Image.Image, n: int, tmp: str) -> list[Line | Table]:
    """A page image read as the text layer is: ruled tables as rows of cells, the rest as lines.

    The rules are found in the image and turned into cells by pdfplumber's own table
    builder.  Tesseract reads the page with the tables blanked out, then the cells,
    cut out and stacked one per line (it reads the rules of a table as characters and
    runs neighbouring cells together); each word goes back to its place on the page.
    """
    from gongkai.reading import ocr_image  # here, not at the top: only scans need Pillow

    scale = 72 / OCR_DPI
    rules = ocr_image.find_rules(
        ocr_image.ink(image), round(RULE_MIN_WIDTH * OCR_DPI), round(RULE_MIN_HEIGHT * OCR_DPI), RULE_GAP
    )
    found = _ruled_tables([_edge(rule, scale) for rule in rules])
    boxes = [t.bbox for t in found]
    ruling = [rule for rule in rules if any(_inside(_edge(rule, scale), box) for box in boxes)]
    clean = ocr_image.erase(image, ruling)
    prose = clean.copy()
    for box in boxes:
        prose.paste(255, tuple(round(v / scale) for v in box))
    words = _read_image(exe, prose, os.path.join(tmp, "page.png"), scale)
    cells = sorted({cell for t in found for cell in t.cells}, key=lambda c: (c[1], c[0]))
    words += _cell_words(exe, clean, [tuple(round(v / scale) for v in cell) for cell in cells], tmp, scale)
    tables, outside = split_tables(found, words, n)
    return sorted([*tables, *group_lines(outside, n)], key=lambda item: item.top)


def _cell_words(exe: str, image: Image.Image, cells: list[tuple[int, ...]], tmp: str, scale: float) -> list[Glyph]:
    """The words of the table cells (pixel boxes), read in one pass from the cells stacked one per line."""
    from gongkai.reading import ocr_image

    inside = [
        (x0 + CELL_INSET, top + CELL_INSET, x1 - CELL_INSET, bottom - CELL_INSET) for x0, top, x1, bottom in cells
    ]
    stacked, pieces = ocr_image.stack(image, inside, CELL_GAP)
    if not pieces:
        return []
    tops = [piece.top for piece in pieces]
    words = []
    for g in _read_image(exe, stacked, os.path.join(tmp, "cells.png"), 1):
        piece = pieces[max(0, bisect.bisect_right(tops, (g.top + g.bottom) / 2) - 1)]
        x0, top, x1, bottom = piece.box
        # Clamped to the cell it was cut from: a word's box may spill into the gap around it.
        box = (
            max(x0, g.x0 + piece.dx),
            max(top, g.top + piece.dy),
            min(x1, g.x1 + piece.dx),
            min(bottom, g.bottom + piece.dy),
        )
        words.append(Glyph(*(v * scale for v in box), g.text, g.size * scale))
    return words


def _read_image(exe: str, image: Image.Image, path: str, scale: float) -> list[Glyph]:
    image.save(path)
    return list(_tsv_words(_run_tesseract(exe, path), scale))


def _edge(rule: Rule, scale: float) -> dict:
    """A rule as pdfplumber describes a drawn line, in points: on its middle, along its length."""
    x0, top, x1, bottom = (v * scale for v in rule.box)
    at = rule.position * scale
    if rule.horizontal:
        return {"orientation": "h", "x0": x0, "x1": x1, "top": at, "bottom": at, "width": x1 - x0, "height": 0}
    return {"orientation": "v", "x0": at, "x1": at, "top": top, "bottom": bottom, "width": 0, "height": bottom - top}


def _ruled_tables(edges: list[dict]) -> list:
    """pdfplumber's tables built from the given lines, with its default tolerances (3 pt)."""
    from pdfplumber import table as plumber

    edges = plumber.merge_edges(edges, 3, 3, 3, 3)
    cells = plumber.intersections_to_cells(plumber.edges_to_intersections(edges, 3, 3))
    return [plumber.Table(None, group) for group in plumber.cells_to_tables(cells)]


def _inside(edge: dict, box: tuple, slack: float = 3) -> bool:
    return (
        edge["x0"] >= box[0] - slack
        and edge["top"] >= box[1] - slack
        and edge["x1"] <= box[2] + slack
        and edge["bottom"] <= box[3] + slack
    )


def _run_tesseract(exe: str, image: str) -> str:
    # --psm 6 reads the page as one block of lines: a table row stays one line, left to right.
    command = [exe, image, "stdout", "-l", "chi_sim", "--psm", "6", "-c", "preserve_interword_spaces=1", "tsv"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=OCR_TIMEOUT_S, check=True)
    except subprocess.TimeoutExpired:
        raise TooLarge(
            f"OCR 识别超时（{OCR_TIMEOUT_S} 秒），已放弃", f"tesseract timed out after {OCR_TIMEOUT_S} s"
        ) from None
    except (OSError, subprocess.CalledProcessError) as exc:
        raise InputError("OCR 识别失败，无法读取扫描件", f"tesseract failed: {exc}", code="ocr_failed") from None
    return done.stdout


def _tsv_words(tsv: str, scale: float):
    """Words (level 5) of tesseract's TSV output, in PDF points.

    A word is given the height of its line (level 4) when the line is listed: the box
    of a comma or a quotation mark alone sits below or above the line, and would be
    taken for a line of its own.
    """
    lines: dict[tuple[str, ...], tuple[int, int]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) != 12:
            continue
        left, top, width, height = (int(v) for v in cols[6:10])
        if cols[0] == "4":
            lines[tuple(cols[1:5])] = (top, height)
        elif cols[0] == "5" and cols[11].strip():
            top, height = lines.get(tuple(cols[1:5]), (top, height))
            x0, y0, w, h = (v * scale for v in (left, top, width, height))
            yield Glyph(x0, y0, x0 + w, y0 + h, cols[11].strip(), h / INK_HEIGHT)


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------
def _document(pages: list[Page], title: str | None, ocr_pages: frozenset[int] = frozenset()) -> Document:
    def _location(page: int, bbox: tuple[float, float, float, float]) -> Location:
        # Text read by OCR says so: its numbers must be checked against the image.
        location = {"page": page, "bbox": [round(v, 1) for v in bbox]}
        return location | {"ocr": True} if page in ocr_pages else location

    out = LayoutBuilder()
    for page in pages:
        for item in page.items:
            if isinstance(item, Line):
                out.line(item.text, _location(item.page, item.bbox))
                continue
            for row in item.rows:
                if row:
                    out.row([(cell.text, _location(cell.page, cell.bbox)) for cell in trim_row(row)])
    text, locator = out.build()
    return load_layout(text, locator, kind="pdf", title=title, ocr=bool(ocr_pages))
