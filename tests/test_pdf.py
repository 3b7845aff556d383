"""PDF reports drawn with reportlab, read back cell by cell, and hostile PDFs refused with a reason.

The reports carry what published PDFs carry: ruled tables in the official layout
with real merged cells, labels wrapped inside their cells, a running head and
page numbers on every page, and 表三 split over two pages — by platypus itself,
or, as Word does, inside a merged group label with the header rows repeated.
No font file is needed: STSong-Light is one of the CID fonts every PDF viewer
has, and pdfminer maps its glyphs back to Unicode with the Adobe-GB1 tables.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import stat
import subprocess
import time

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from gongkai.errors import Encrypted, InputError, NoTextLayer, TooLarge
from gongkai.parse import parse_bytes
from gongkai.proving import synth
from gongkai.proving.evaluate import table_differences as differences
from gongkai.proving.synth_files import FONT, REQUESTS_HEADER_ROWS, report_pdf
from gongkai.reading import ocr_image
from gongkai.reading import pdf as pdf_reader
from gongkai.reading.files import read_bytes
from gongkai.reading.textnorm import fold
from tests.conftest import SEEDS
from tests.test_layouts import PDF_LIKE


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def _printed(data: bytes, page: int, bbox: list[float]) -> str:
    """What pdfium (a second, independent PDF engine) finds printed inside a box."""
    doc = pdfium.PdfDocument(data)
    try:
        p = doc[page - 1]
        height = p.get_height()
        x0, top, x1, bottom = bbox
        return p.get_textpage().get_text_bounded(left=x0, bottom=height - bottom, right=x1, top=height - top)
    finally:
        doc.close()


def _pages_with(data: bytes, label: str) -> list[int]:
    doc = pdfium.PdfDocument(data)
    try:
        texts = ["".join(fold(doc[i].get_textpage().get_text_range()).split()) for i in range(len(doc))]
    finally:
        doc.close()
    key = "".join(fold(label).split())
    return [i + 1 for i, text in enumerate(texts) if key in text]


def _tables(seed: int, format_id: str) -> tuple[dict, random.Random]:
    rng = random.Random(seed)
    return synth.random_tables(rng, format_id), rng


# Seeds whose 表三 platypus splits over two pages (asserted below, not assumed).
CASES = [("2021", 1), ("2021", 17), ("2019", 6), ("2019", 9)]


@pytest.fixture(scope="module", params=CASES, ids=[f"{f}-{s}" for f, s in CASES])
def case(request):
    format_id, seed = request.param
    tables, rng = _tables(seed, format_id)
    data = report_pdf(tables, rng)
    return tables, data, parse_bytes(data, "report.pdf")


# ---------------------------------------------------------------------------
# Reading reports
# ---------------------------------------------------------------------------
def test_every_cell_read_exactly(case):
    tables, _, report = case
    got = report.to_json()
    assert got["input"]["kind"] == "pdf"
    assert differences(tables, got) == []
    assert [f["rule"] for f in got["findings"] if f["severity"] == "error"] == []


def test_requests_table_split_over_two_pages(case):
    tables, data, report = case
    pages = [report.cells[f"requests.{row}.total"].location["page"] for row, v in tables["requests"].items() if v]
    assert pages == sorted(pages) and pages[-1] == pages[0] + 1
    # requests.total.total lies on the page where another engine finds the printed "（七）总计" row.
    assert _pages_with(data, "（七）总计") == [report.cells["requests.total.total"].location["page"]]


def test_locations_hold_the_printed_numbers(case):
    _, data, report = case
    paths = [
        "requests.total.total",
        "requests.new_received.natural_person",
        "requests.carried_forward.total",
        "review_litigation.litigation_after_review.total",
        "active.rules.in_force" if "active.rules.in_force" in report.cells else "active.rules.total_published",
    ]
    for path in paths:
        cell = report.cells[path]
        assert set(cell.location) == {"page", "bbox"}
        x0, top, x1, bottom = cell.location["bbox"]
        assert 0 <= x0 < x1 <= A4[0] and 0 <= top < bottom <= A4[1]
        if cell.kind != "empty":
            assert "".join(_printed(data, cell.location["page"], cell.location["bbox"]).split()) == cell.raw, path


def test_page_furniture_is_dropped(case):
    _, data, report = case
    doc = pdf_reader.read(data, "pdf")
    assert "- 2 -" not in doc.text
    title = report.meta["title"]
    assert title and doc.text.count(title) == 1  # the running head is gone, the title stays


def test_word_style_split_inside_a_merged_label():
    """表三 cut inside （三）不予公开: its merged label continues as an empty merged cell and the
    three header rows are printed again on the new page, as Word prints a split table."""
    tables, rng = _tables(3, "2021")
    keys = [r.key for r in synth.FORMATS["2021"].requests.rows]
    at = REQUESTS_HEADER_ROWS + keys.index("withheld_three_safety")
    data = report_pdf(tables, rng, cut_requests=at)
    report = parse_bytes(data, "report.pdf")
    assert differences(tables, report.to_json()) == []
    assert not report.has_errors
    cells = report.cells
    before = cells["requests.withheld_law_forbids.total"].location["page"]
    assert cells["requests.withheld_three_safety.total"].location["page"] == before + 1
    text = pdf_reader.read(data, "pdf").text
    assert text.count("申请人情况") == 1  # the repeated header rows are read once
    row = next(line for line in text.splitlines() if "危及" in line)
    assert row.startswith("3")  # no empty cell before the label


def test_row_split_by_the_page_break():
    """A row cut by the page break (Word allows it): the first line of its label and its values on
    one page, the rest of the label on the next.  It is read as one row, its values once."""
    tables, rng = _tables(8, "2021")
    keys = [r.key for r in synth.FORMATS["2021"].requests.rows]
    at = REQUESTS_HEADER_ROWS + keys.index("other_overdue_fee")
    data = report_pdf(tables, rng, noise=False, cut_requests=at, split_row=True)
    report = parse_bytes(data, "report.pdf")
    assert differences(tables, report.to_json()) == []
    assert not report.has_errors
    lines = pdf_reader.read(data, "pdf").text.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("2．申请人逾期未按收费通知"))
    assert lines[row].startswith("2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 |")
    assert lines[row].count("|") == 8  # the label and seven values
    assert lines[row + 1].startswith("3．其他 |")
    cells = report.cells
    assert (
        cells["requests.other_overdue_fee.total"].location["page"] + 1
        == cells["requests.other_other.total"].location["page"]
    )


def test_owner_password_only_is_readable():
    """Permissions without an open password (common on government sites) do not stop reading.

    Helvetica, not STSong: pdfminer mis-decrypts the CIDSystemInfo strings that reportlab
    writes for a non-embedded CID font in an encrypted file (pdfium reads them), and the
    glyphs then have no Unicode mapping; see test_unmapped_glyphs_refused.
    """
    style = ParagraphStyle("ascii", fontName="Helvetica", fontSize=10)
    rows = [["label", "a", "b", "total"], ["row one", "1", "", "1"], ["row two", "2", "3", "5"]]
    out = io.BytesIO()
    encrypt = pdfencrypt.StandardEncryption("", ownerPassword="owner", canModify=0, canCopy=0)
    doc = SimpleDocTemplate(out, pagesize=A4, encrypt=encrypt)
    doc.build(
        [Paragraph("Information disclosure", style), Table(rows, style=[("GRID", (0, 0), (-1, -1), 0.5, "black")])]
    )
    text = pdf_reader.read(out.getvalue(), "pdf").text
    assert text.splitlines() == [
        "Information disclosure",
        "label |a |b |total |",
        "row one |1 | |1 |",
        "row two |2 |3 |5 |",
    ]


def test_unmapped_glyphs_refused():
    encrypt = pdfencrypt.StandardEncryption("", ownerPassword="owner")
    data = _one_page(
        lambda c: (c.setFont(FONT, 12), c.drawString(60, 700, "政府信息公开工作年度报告" * 3)), encrypt=encrypt
    )
    with pytest.raises(NoTextLayer) as err:
        read_bytes(data, "report.pdf")
    assert "乱码" in err.value.message_zh


def test_unruled_table_lines():
    """Text without ruling lines (a PDF made from plain text) is read as lines: no table finder needed."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    y = A4[1] - 40
    for line in PDF_LIKE.splitlines():
        if y < 40:
            c.showPage()
            y = A4[1] - 40
        c.setFont(FONT, 9)
        c.drawString(30, y, line)
        y -= 13
    c.save()
    want = parse_bytes(PDF_LIKE.encode(), "report.txt").to_json()
    got = parse_bytes(out.getvalue(), "report.pdf").to_json()
    for key in ("format", "active", "requests", "review_litigation"):
        assert got[key] == want[key], key
    assert not [f for f in got["findings"] if f["severity"] == "error"]


# ---------------------------------------------------------------------------
# Hostile and unreadable files
# ---------------------------------------------------------------------------
def _one_page(draw, **kwargs) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, **kwargs)
    draw(c)
    c.showPage()
    c.save()
    return out.getvalue()


def test_encrypted_refused():
    encrypt = pdfencrypt.StandardEncryption("secret", ownerPassword="owner")
    data = _one_page(lambda c: c.drawString(100, 700, "hello"), encrypt=encrypt)
    with pytest.raises(Encrypted) as err:
        read_bytes(data, "report.pdf")
    assert err.value.message_zh == "PDF 文件已加密，无法读取；请提供未加密的文件"


def test_too_many_pages_refused_quickly():
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(72, 72))
    for n in range(500):
        c.drawString(10, 30, f"p{n}")
        c.showPage()
    c.save()
    started = time.perf_counter()
    with pytest.raises(TooLarge) as err:
        read_bytes(out.getvalue(), "big.pdf")
    assert time.perf_counter() - started < 5
    assert "500" in err.value.message_zh and "300" in err.value.message_zh


def _scan_image() -> ImageReader:
    image = Image.new("RGB", (600, 300), "white")
    draw = ImageDraw.Draw(image)
    for y in range(20, 280, 20):
        draw.line([(20, y), (580, y)], fill="black", width=3)
    return ImageReader(image)


@pytest.mark.parametrize(
    "draw",
    [
        pytest.param(lambda c: c.drawImage(_scan_image(), 40, 300, width=500, height=250), id="image"),
        pytest.param(lambda c: c.rect(40, 300, 500, 250, fill=1), id="filled-rectangle"),
    ],
)
def test_no_text_layer_refused(draw, monkeypatch):
    monkeypatch.delenv("GONGKAI_OCR", raising=False)
    with pytest.raises(NoTextLayer) as err:
        read_bytes(_one_page(draw), "scan.pdf")
    assert "扫描件" in err.value.message_zh


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda d: d[: len(d) // 2], id="truncated"),
        pytest.param(lambda d: d[: len(d) - 300], id="truncated-at-the-end"),
        pytest.param(lambda d: d[:9] + bytes(random.Random(0).randbytes(4000)) + b"\n%%EOF\n", id="garbage"),
        pytest.param(lambda d: d.replace(b"/Type /Page", b"/Type /Pagx"), id="broken-page-tree"),
    ],
)
def test_corrupt_refused_cleanly(mangle):
    tables, rng = _tables(1, "2021")
    data = mangle(report_pdf(tables, rng))
    with pytest.raises(InputError) as err:
        parse_bytes(data, "report.pdf")
    assert err.value.message_zh.startswith("PDF")


# ---------------------------------------------------------------------------
# OCR (optional)
# ---------------------------------------------------------------------------
def _scanned(data: bytes) -> bytes:
    """The pages of a PDF as images only, as a scanner would produce them."""
    src = pdfium.PdfDocument(data)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    try:
        for i in range(len(src)):
            image = src[i].render(scale=200 / 72).to_pil()
            c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
            c.showPage()
    finally:
        src.close()
    c.save()
    return out.getvalue()


def test_ocr_reads_tesseract_words_with_their_boxes(tmp_path, monkeypatch):
    """The OCR plumbing with a stand-in tesseract that prints the words of a known page as TSV."""
    words = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    for n, line in enumerate(PDF_LIKE.splitlines()):
        x = 100
        for w, word in enumerate(line.split(" ")):
            width = 40 * len(word)
            words.append(f"5\t1\t1\t1\t{n + 1}\t{w + 1}\t{x}\t{100 + 52 * n}\t{width}\t40\t95\t{word}")
            x += width + 80
    (tmp_path / "page.tsv").write_text("\n".join(words) + "\n", encoding="utf-8")
    fake = tmp_path / "tesseract"
    fake.write_text(
        f'#!/bin/sh\nif [ "$1" = "--list-langs" ]; then printf "langs\\nchi_sim\\neng\\n"; exit 0; fi\n'
        f'test -s "$1" && cat "{tmp_path / "page.tsv"}"\n',
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GONGKAI_OCR", "1")
    scan = _one_page(lambda c: c.drawImage(_scan_image(), 40, 300, width=500, height=250))
    report = parse_bytes(scan, "scan.pdf")
    want = parse_bytes(PDF_LIKE.encode(), "report.txt").to_json()
    got = report.to_json()
    for key in ("format", "active", "requests", "review_litigation"):
        assert got[key] == want[key], key
    # Evidence is the word's box, converted from 300-dpi pixels to points.
    total = report.cells["requests.total.total"]
    line = PDF_LIKE.splitlines().index("（七）总计 6 2 0 0 0 0 8")
    assert total.location["page"] == 1 and total.location["ocr"] is True
    assert total.location["bbox"][1] == pytest.approx((100 + 52 * line) * 72 / 300, abs=0.05)
    ocr = [f for f in report.findings if f.rule == "input.ocr"]
    assert [(f.severity, len(f.cells)) for f in ocr] == [("warning", 200)]
    assert "第1页" in ocr[0].message


def _has_chi_sim() -> bool:
    exe = shutil.which("tesseract")
    if exe is None:
        return False
    langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, check=False)
    return "chi_sim" in (langs.stdout + langs.stderr).split()


@pytest.mark.skipif(not _has_chi_sim(), reason="tesseract with chi_sim is not installed")
def test_ocr_reads_the_prose_of_a_scanned_report(monkeypatch):
    tables, rng = _tables(1, "2021")
    scan = _scanned(report_pdf(tables, rng, noise=False))
    monkeypatch.setenv("GONGKAI_OCR", "1")
    report = parse_bytes(scan, "scan.pdf")
    # Read from the image alone: the title, the format (from the table labels) and the headings.
    assert report.meta["title"].replace(" ", "").endswith("政府信息公开工作年度报告")
    assert report.meta["year"]["value"] in (2021, 2022, 2023, 2024)
    assert report.format.id == tables["format"]
    assert {"overview", "active", "requests", "review_litigation", "problems"} <= set(report.sections)
    read = [cell for cell in report.cells.values() if cell.present]
    assert all(cell.location["page"] >= 1 and cell.location["ocr"] for cell in read)
    # Numbers read by OCR are never taken on trust: the user is told to check them.
    if read:
        ocr = next(f for f in report.findings if f.rule == "input.ocr")
        assert ocr.severity == "warning" and set(ocr.cells) == {cell.path for cell in read}


@pytest.mark.skipif(not _has_chi_sim(), reason="tesseract with chi_sim is not installed")
def test_ocr_reads_a_scanned_report(monkeypatch):
    tables, rng = _tables(1, "2021")
    scan = _scanned(report_pdf(tables, rng, noise=False))
    monkeypatch.delenv("GONGKAI_OCR", raising=False)
    with pytest.raises(NoTextLayer):
        read_bytes(scan, "scan.pdf")
    monkeypatch.setenv("GONGKAI_OCR", "1")
    got = parse_bytes(scan, "scan.pdf").to_json()
    assert got["format"] == "2021"
    # Every cell of 表三 and 表四, the rows whose labels OCR misreads by a character (逾期) included.
    assert got["requests"] == tables["requests"]
    assert got["review_litigation"] == tables["review_litigation"]


def _ruled_page(skew: float = 0.0) -> Image.Image:
    """A white page with a 3×2 grid of 3-px rules (the top row one merged cell), strokes of
    "characters", and the whole turned by `skew` pixels per 100, as a scanner may turn it."""
    image = Image.new("L", (1200, 800), 255)
    draw = ImageDraw.Draw(image)
    k = skew / 100

    def turned(x: int, y: int) -> tuple[float, float]:
        return x - k * y, y + k * x

    def line(x0: int, y0: int, x1: int, y1: int) -> None:
        draw.line([turned(x0, y0), turned(x1, y1)], fill=0, width=3)

    for y in (100, 300, 500):
        line(100, y, 1100, y)
    for x in (100, 850, 1100):
        line(x, 100, x, 500)
    line(600, 300, 600, 500)
    for x in range(150, 500, 60):  # shorter than any rule
        draw.rectangle((x, 180, x + 40, 184), fill=0)
        draw.rectangle((x + 20, 160, x + 24, 210), fill=0)
    return image


@pytest.mark.parametrize("skew", [0.0, 0.6])
def test_rules_found_in_a_page_image(skew):
    rules = ocr_image.find_rules(ocr_image.ink(_ruled_page(skew)), 120, 60, 12)
    horizontal = sorted(r.position for r in rules if r.horizontal)
    vertical = sorted(r.position for r in rules if not r.horizontal)
    # A turned rule is found where its middle is, give or take the slant.
    assert horizontal == pytest.approx([y + skew * 6 for y in (100, 300, 500)], abs=2)
    assert vertical == pytest.approx([100 - skew * 3, 600 - skew * 4, 850 - skew * 3, 1100 - skew * 3], abs=2)
    for rule in rules:  # each rule whole, from end to end, not in pieces
        x0, top, x1, bottom = rule.box
        assert (x1 - x0 if rule.horizontal else bottom - top) >= 195


def test_rules_become_cells_and_are_erased():
    image = _ruled_page()
    rules = ocr_image.find_rules(ocr_image.ink(image), 120, 60, 12)
    tables = pdf_reader._ruled_tables([pdf_reader._edge(rule, 1) for rule in rules])
    assert len(tables) == 1
    assert [len([c for c in row.cells if c]) for row in tables[0].rows] == [2, 3]  # the merged cell read once
    clean = ocr_image.erase(image, rules)
    assert ocr_image.find_rules(ocr_image.ink(clean), 120, 60, 12) == []
    assert clean.getpixel((170, 182)) == 0  # the text stays


def test_cells_stacked_one_under_another():
    image = Image.new("L", (400, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 59, 39), fill=0)  # ink in the first box
    draw.rectangle((250, 200, 269, 259), fill=0)  # ink in the third; the second box is empty
    stacked, pieces = ocr_image.stack(image, [(0, 0, 100, 100), (100, 0, 200, 100), (200, 150, 300, 300)], 10)
    assert stacked.size == (10 + 40 + 10, 10 + 20 + 10 + 60 + 10)
    assert [p.box for p in pieces] == [(0, 0, 100, 100), (200, 150, 300, 300)]
    for piece, ink_at in zip(pieces, [(20, 20), (250, 200)], strict=True):
        assert (10 + piece.dx, piece.top + piece.dy) == ink_at  # back to the page
        assert stacked.getpixel((10, piece.top)) == 0


def test_a_label_one_character_off_is_matched_in_typed_and_ocr_text():
    from gongkai.parse import parse_document
    from gongkai.reading.document import load_text

    seed = (SEEDS / "000_shijiazhuang_2021.txt").read_text(encoding="utf-8")
    misread = seed.replace("逾期不补正", "这期不补正")
    path = "requests.other_overdue_correction.total"
    typed = parse_document(load_text(misread), "typed.txt")
    # a typed report's typo is that row too (no other row is as close), with a hint that the label is not standard
    assert typed.cells[path].value == parse_document(load_text(seed), "typed.txt").cells[path].value
    assert any(f.rule == "labels.nonstandard" and "这期不补正" in str(f.found) for f in typed.findings)
    scanned = load_text(misread)
    scanned.ocr = True
    expected = parse_document(load_text(seed), "typed.txt").cells[path].value
    assert expected is not None
    assert parse_document(scanned, "scan.pdf").cells[path].value == expected
