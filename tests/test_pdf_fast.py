"""The pdfium reader of the PDF text layer gives exactly what the pdfplumber reader gives, or steps aside.

Every PDF the tests and `gongkai synth` make, and the real report of 淮安市, is read twice — with pdfium
(the default) and with pdfplumber (GONGKAI_PDF_READER=pdfplumber) — and the two readings must agree in the
text, in every cell with its evidence (page and box), and in every finding, fact and piece of metadata.
"""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from gongkai.parse import parse_document
from gongkai.proving import synth
from gongkai.proving.synth_files import FONT, REQUESTS_HEADER_ROWS, report_pdf
from gongkai.reading import pdf as pdf_reader
from gongkai.reading.pdf_fast import _decimal
from tests.test_layouts import PDF_LIKE
from tests.test_pdf import CASES, _one_page, _tables

REAL = Path("/work/shared/real-reports/huaian_2024.pdf")


def _unruled() -> bytes:
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
    return out.getvalue()


def _cut(seed: int, row: str, **kwargs) -> bytes:
    tables, rng = _tables(seed, "2021")
    keys = [r.key for r in synth.FORMATS["2021"].requests.rows]
    return report_pdf(tables, rng, cut_requests=REQUESTS_HEADER_ROWS + keys.index(row), **kwargs)


def _pdfs(tmp: Path) -> dict[str, bytes]:
    pdfs = {f"case-{f}-{s}": report_pdf(*_tables(s, f)) for f, s in CASES}
    pdfs["word-split"] = _cut(3, "withheld_three_safety")
    pdfs["row-split"] = _cut(8, "other_overdue_fee", noise=False, split_row=True)
    pdfs["unruled"] = _unruled()
    synth.write_corpus(tmp, 24, seed=7, layouts=("pdf",))
    pdfs |= {path.name: path.read_bytes() for path in sorted(tmp.glob("*.pdf"))}
    if REAL.exists():
        pdfs["huaian_2024"] = REAL.read_bytes()
    return pdfs


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, bytes]:
    return _pdfs(tmp_path_factory.mktemp("synth-pdf"))


def _read(data: bytes, reader: str, monkeypatch) -> tuple[str, dict]:
    monkeypatch.setenv("GONGKAI_PDF_READER", reader)
    document = pdf_reader.read(data, "pdf")
    return document.text, parse_document(document, "report.pdf").to_json()


def test_both_readers_agree_on_every_pdf(pdfs, monkeypatch):
    assert len(pdfs) >= 31
    for name, data in pdfs.items():
        # The pdfium reader really ran: it did not step aside for these files.
        assert pdf_reader._fast_text_layer(data, pdf_reader._check(data)) is not None, name
        fast_text, fast = _read(data, "pdfium", monkeypatch)
        slow_text, slow = _read(data, "pdfplumber", monkeypatch)
        assert fast_text == slow_text, name
        assert fast["cells"] == slow["cells"], name  # values, raw text, kinds and evidence boxes
        assert json.dumps(fast, sort_keys=True) == json.dumps(slow, sort_keys=True), name


@pytest.mark.skipif(not REAL.exists(), reason="the real report is not on this machine")
def test_real_report_cells_as_expected(monkeypatch):
    monkeypatch.delenv("GONGKAI_PDF_READER", raising=False)
    expected = json.loads(REAL.with_name("huaian_2024.expected.json").read_text(encoding="utf-8"))
    report = parse_document(pdf_reader.read(REAL.read_bytes(), "pdf"), REAL.name).to_json()
    from gongkai.proving.evaluate import table_differences

    assert table_differences(expected, report) == []


def test_steps_aside_for_what_it_does_not_reproduce():
    rotated = io.BytesIO()
    c = canvas.Canvas(rotated, pagesize=A4)
    c.setFont(FONT, 12)
    c.rotate(90)
    c.drawString(100, -100, "政府信息公开工作年度报告" * 3)
    c.save()
    scan = _one_page(lambda c: c.drawImage(_image(), 0, 0, 595, 842))
    from reportlab.lib import pdfencrypt

    encrypted = _one_page(
        lambda c: (c.setFont(FONT, 12), c.drawString(60, 700, "政府信息公开工作年度报告" * 3)),
        encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner"),
    )
    for data in (rotated.getvalue(), scan, encrypted):
        assert pdf_reader._fast_text_layer(data, pdf_reader._check(data)) is None


def _image():
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    return ImageReader(Image.new("L", (200, 280), 255))


def test_single_precision_numbers_read_as_the_decimals_written():
    assert _decimal(123.94999694824219) == 123.95
    assert _decimal(0.05000000074505806) == 0.05
    assert _decimal(538.3499755859375) == 538.35
    third = struct.unpack("f", struct.pack("f", 1 / 3))[0]
    assert _decimal(third) == 0.33333334
    assert struct.pack("f", _decimal(third)) == struct.pack("f", third)  # never another single-precision number


def test_cell_search_finds_what_pdfplumbers_finds(pdfs):
    import pypdfium2 as pdfium
    from pdfplumber.table import TableFinder, TableSettings, edges_to_intersections, intersections_to_cells

    from gongkai.reading import pdf_fast

    compared = 0
    for name, data in pdfs.items():
        doc = pdfium.PdfDocument(data)
        try:
            for index in range(len(doc)):
                page = pdf_fast.read_page(doc, index, 100_000)
                finder = TableFinder(pdf_fast._EdgePage(page.edges, page.width, page.height))
                settings = TableSettings.resolve(None)
                points = edges_to_intersections(
                    finder.edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance
                )
                assert pdf_fast.cells(points) == intersections_to_cells(points) == finder.cells, (name, index)
                assert [t.bbox for t in pdf_fast.find_tables(page)] == [t.bbox for t in finder.tables]
                compared += bool(finder.cells)
        finally:
            doc.close()
    assert compared >= 60  # pages with ruled tables
