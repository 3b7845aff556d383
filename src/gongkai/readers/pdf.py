"""PDF reports: the text layer read with pdfplumber, ruled tables as rows of cells.

The cheap checks come first: pypdfium2 opens a file in milliseconds, so a
truncated or corrupt file, a password and the page count are decided before any
page is parsed.  Then each page in turn becomes text lines and ruled-table rows
(see pdf_tables), its parsed objects are freed, and the pages are written with
the page and box of every line and cell as evidence:
`{"page": n, "bbox": [x0, top, x1, bottom]}` in PDF points, origin top left.

A scan has no text to read.  It is refused (NoTextLayer) rather than read as an
empty report, unless OCR is asked for (GONGKAI_OCR=1) and tesseract with its
chi_sim language is installed: then the image-only pages are rendered with
pypdfium2 and read with tesseract, and the words' boxes become the evidence.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import time

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from gongkai.document import Document, load_layout
from gongkai.errors import Encrypted, InputError, NoTextLayer, TooLarge
from gongkai.layout import LayoutBuilder, Location
from gongkai.readers.pdf_tables import (
    Glyph,
    Line,
    Page,
    drop_furniture,
    group_lines,
    join_pages,
    reflow,
    split_tables,
    trim_row,
)

MAX_PAGES = 300  # an annual report has a few dozen pages at most
MAX_SECONDS = 180.0  # the whole text layer; ~20 s for 300 ordinary pages
MAX_GLYPHS_PER_PAGE = 100_000  # a page of small print has ~5,000
MAX_TABLE_EDGES = 20_000  # beyond this the table finder's cost explodes; the text is still read as lines
MIN_PAGE_GLYPHS = 20  # fewer on an image page: a page number or a stamp, not text
OCR_DPI = 300
MAX_OCR_PAGES = 40
OCR_TIMEOUT_S = 120

_CORRUPT = ("PDF 文件已损坏，无法读取", "corrupt PDF")


def read(data: bytes, kind: str = "pdf") -> Document:
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
    """Every page's lines and tables, the document title, the pages that need OCR and why."""
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
    chars = page.chars
    if len(chars) > MAX_GLYPHS_PER_PAGE:
        raise TooLarge(
            f"PDF 第 {page.page_number} 页的字符超过 {MAX_GLYPHS_PER_PAGE:,} 个，不像年报，已拒绝",
            f"page {page.page_number} has {len(chars)} characters (limit {MAX_GLYPHS_PER_PAGE})",
        )
    n = page.page_number
    glyphs = [Glyph(c["x0"], c["top"], c["x1"], c["bottom"], c["text"], c["size"]) for c in chars if c["text"].strip()]
    unmapped = sum(1 for g in glyphs if g.text.startswith("(cid:"))
    found = page.find_tables() if glyphs and len(page.edges) <= MAX_TABLE_EDGES else []
    tables, outside = split_tables(found, glyphs, n)
    items = sorted([*tables, *group_lines(outside, n)], key=lambda item: item.top)
    return Page(n, float(page.width), float(page.height), items), len(glyphs), unmapped


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
            image = os.path.join(tmp, "page.png")
            for n in numbers:
                page = doc[n - 1]
                try:
                    width, height = page.get_size()
                    page.render(scale=OCR_DPI / 72).to_pil().save(image)
                finally:
                    page.close()
                words = list(_tsv_words(_run_tesseract(exe, image), 72 / OCR_DPI))
                lines = sorted(group_lines(words, n), key=lambda line: line.top)
                by_number[n] = Page(n, width, height, list(lines))
    finally:
        doc.close()
    return [by_number[p.number] for p in pages]


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
    """Words (level 5) of tesseract's TSV output, in PDF points."""
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) == 12 and cols[0] == "5" and cols[11].strip():
            left, top, width, height = (int(v) * scale for v in cols[6:10])
            yield Glyph(left, top, left + width, top + height, cols[11].strip(), height)


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
    return load_layout(text, locator, kind="pdf", title=title)
