"""PDF text layers red-teamed at the pdf_reader, round 8: text under an opaque box drawn after it, invisible text.

Both readers (pdfium, the default, and pdfplumber) must give the same answer.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from gongkai.proving.synth_files import FONT
from gongkai.reading.files import read_bytes
from gongkai.reading.values import COVERED_NOTE, OVERPRINTED_NOTE
from tests.test_readers7_pdf import active_table, paint_box, pdf_page


@pytest.mark.parametrize("ruled", [True, False])
def test_a_coloured_patch_with_the_new_figure_on_it_hides_the_old(pdf_reader, ruled):
    """7148 under a grey patch, 7147 printed on the patch a little to the right: the page shows 7147."""

    def draw(c, y):
        c.drawString(250, y, "7148")
        paint_box(c, y, (0.85, 0.85, 0.85))
        c.drawString(262, y, "7147")

    active = active_table(pdf_page(draw_figure=draw, ruled=ruled))
    assert (active["licensing"], active["punishment"]) == ({"decisions": 7147}, {"decisions": 656})


@pytest.mark.parametrize("ruled", [True, False])
def test_a_figure_blacked_out_is_not_read(pdf_reader, ruled):
    """A black box over 7147 with nothing on it: the figure is not seen, and it is not a blank 0 either."""

    def draw(c, y):
        c.drawString(250, y, "7147")
        paint_box(c, y, (0, 0, 0))

    data = pdf_page(draw_figure=draw, ruled=ruled)
    assert f"7147{COVERED_NOTE}" in read_bytes(data, "report.pdf").text
    active = active_table(data)
    assert (active["licensing"], active["punishment"]) == ({"decisions": None}, {"decisions": 656})


def test_a_figure_under_a_white_box_is_not_read(pdf_reader):
    """A white box over 7147 with nothing on it: the cell shows nothing."""

    def draw(c, y):
        c.drawString(250, y, "7147")
        paint_box(c, y, (1, 1, 1))

    data = pdf_page(draw_figure=draw)
    assert "7147" not in read_bytes(data, "report.pdf").text
    assert active_table(data)["licensing"]["decisions"] in (0, None)


def test_a_box_drawn_before_the_figure_hides_nothing(pdf_reader):
    """A cell's shading drawn first, the figure on it: read."""

    def draw(c, y):
        paint_box(c, y, (0.2, 0.3, 0.6))
        c.drawString(250, y, "7147")

    assert active_table(pdf_page(draw_figure=draw))["licensing"] == {"decisions": 7147}


def _invisible(c, x: float, y: float, text: str) -> None:
    t = c.beginText(x, y)
    t.setFont(FONT, 10.5)
    t.setTextRenderMode(3)
    t.textOut(text)
    t.setTextRenderMode(0)
    c.drawText(t)


def test_invisible_text_beside_a_figure_is_not_read(pdf_reader):
    """Text drawn in render mode 3 (neither filled nor stroked) is not on the page: 99 before 7147 is not read."""

    def draw(c, y):
        _invisible(c, 238, y, "99")
        c.drawString(250, y, "7147")

    data = pdf_page(draw_figure=draw, ruled=False)
    assert "99" not in read_bytes(data, "report.pdf").text
    assert active_table(data)["licensing"] == {"decisions": 7147}


def _invisible_page(*, scan: bool) -> bytes:
    """A page whose text is all invisible, over a picture of the page (`scan`) or over nothing."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    if scan:
        c.drawImage(ImageReader(Image.new("RGB", (40, 60), "white")), 0, 0, *A4)
    y = 800
    for line in ("某县2022年政府信息公开工作年度报告", "二、主动公开政府信息情况", "行政许可  7147", "行政处罚  656"):
        _invisible(c, 50, y, line)
        y -= 20
    c.showPage()
    c.save()
    return out.getvalue()


def test_invisible_text_over_a_scan_is_read(pdf_reader):
    """A scan with the text an OCR laid over it, invisible: that text is the page's, read as before."""
    assert "行政许可 7147" in read_bytes(_invisible_page(scan=True), "report.pdf").text


def test_a_page_of_invisible_text_is_read(pdf_reader):
    """All of a page's text invisible, no picture: a text layer laid over glyphs drawn as outlines, read as before."""
    assert "行政许可 7147" in read_bytes(_invisible_page(scan=False), "report.pdf").text


def test_a_figure_printed_over_another_without_a_box_is_still_noted(pdf_reader):
    """No box between them: which of the two shows is not in the file (a figure printed twice, differently)."""

    def draw(c, y):
        c.drawString(250, y, "7148")
        c.drawString(250, y, "7147")

    data = pdf_page(draw_figure=draw)
    assert OVERPRINTED_NOTE in read_bytes(data, "report.pdf").text
    assert active_table(data)["licensing"] == {"decisions": None}


@pytest.mark.parametrize("x", [640, -80])
def test_text_off_the_page_is_not_read(pdf_reader, x):
    """99 drawn beyond the page's right (or left) edge on 行政许可's line: no viewer shows it."""

    def draw(c, y):
        c.drawString(250, y, "7147")
        c.drawString(x, y, "99")

    data = pdf_page(draw_figure=draw, ruled=False)
    assert "99" not in read_bytes(data, "report.pdf").text
    assert active_table(data)["licensing"] == {"decisions": 7147}
