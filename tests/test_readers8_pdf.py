"""PDF text layers red-teamed at the reader, round 8: text under an opaque box drawn after it, invisible text.

Both readers (pdfium, the default, and pdfplumber) must give the same answer.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from gongkai.parse import parse_bytes
from gongkai.proving.synth_files import FONT
from gongkai.reading.files import read_bytes
from gongkai.reading.values import COVERED_NOTE, OVERPRINTED_NOTE
from tests.test_readers7_pdf import ROWS


@pytest.fixture(params=["pdfium", "pdfplumber"])
def reader(request, monkeypatch):
    if request.param == "pdfplumber":
        monkeypatch.setenv("GONGKAI_PDF_READER", "pdfplumber")
    else:
        monkeypatch.delenv("GONGKAI_PDF_READER", raising=False)
    return request.param


def _pdf(*, draw_figure=None, ruled: bool = True, image: bool = False) -> bytes:
    """表二's blocks (五) and (六) as in test_readers7_pdf; 行政许可's figure (7147 at x 250) drawn by
    `draw_figure(canvas, y)` when given."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    if image:  # a scanned page: a picture of the page under its text layer
        c.drawImage(ImageReader(Image.new("RGB", (40, 60), "white")), 0, 0, *A4)
    c.setFont(FONT, 14)
    c.drawString(60, 800, "某县2022年政府信息公开工作年度报告")
    c.setFont(FONT, 10.5)
    c.drawString(40, 770, "二、主动公开政府信息情况")
    y = 740
    for label, value in ROWS:
        c.drawString(50, y, label)
        if value == "7147" and draw_figure is not None:
            draw_figure(c, y)
        elif value:
            c.drawString(250, y, value)
        if ruled:
            for x0, y0, x1, y1 in ((45, y - 5, 400, y - 5), (45, y + 12, 400, y + 12)):
                c.line(x0, y0, x1, y1)
            for x in (45, 240, 400):
                c.line(x, y - 5, x, y + 12)
        y -= 17
    c.drawString(40, y - 20, "三、收到和处理政府信息公开申请情况")
    c.showPage()
    c.save()
    return out.getvalue()


def _box(c, y: float, rgb: tuple[float, float, float], left: float = 248, right: float = 300) -> None:
    c.saveState()
    c.setFillColorRGB(*rgb)
    c.rect(left, y - 3, right - left, 13, stroke=0, fill=1)
    c.restoreState()


def _active(data: bytes) -> dict:
    return parse_bytes(data, "report.pdf").to_json()["active"]


@pytest.mark.parametrize("ruled", [True, False])
def test_a_coloured_patch_with_the_new_figure_on_it_hides_the_old(reader, ruled):
    """7148 under a grey patch, 7147 printed on the patch a little to the right: the page shows 7147."""

    def draw(c, y):
        c.drawString(250, y, "7148")
        _box(c, y, (0.85, 0.85, 0.85))
        c.drawString(262, y, "7147")

    active = _active(_pdf(draw_figure=draw, ruled=ruled))
    assert (active["licensing"], active["punishment"]) == ({"decisions": 7147}, {"decisions": 656})


@pytest.mark.parametrize("ruled", [True, False])
def test_a_figure_blacked_out_is_not_read(reader, ruled):
    """A black box over 7147 with nothing on it: the figure is not seen, and it is not a blank 0 either."""

    def draw(c, y):
        c.drawString(250, y, "7147")
        _box(c, y, (0, 0, 0))

    data = _pdf(draw_figure=draw, ruled=ruled)
    assert f"7147{COVERED_NOTE}" in read_bytes(data, "report.pdf").text
    active = _active(data)
    assert (active["licensing"], active["punishment"]) == ({"decisions": None}, {"decisions": 656})


def test_a_figure_under_a_white_box_is_not_read(reader):
    """A white box over 7147 with nothing on it: the cell shows nothing."""

    def draw(c, y):
        c.drawString(250, y, "7147")
        _box(c, y, (1, 1, 1))

    data = _pdf(draw_figure=draw)
    assert "7147" not in read_bytes(data, "report.pdf").text
    assert _active(data)["licensing"]["decisions"] in (0, None)


def test_a_box_drawn_before_the_figure_hides_nothing(reader):
    """A cell's shading drawn first, the figure on it: read."""

    def draw(c, y):
        _box(c, y, (0.2, 0.3, 0.6))
        c.drawString(250, y, "7147")

    assert _active(_pdf(draw_figure=draw))["licensing"] == {"decisions": 7147}


def _invisible(c, x: float, y: float, text: str) -> None:
    t = c.beginText(x, y)
    t.setFont(FONT, 10.5)
    t.setTextRenderMode(3)
    t.textOut(text)
    t.setTextRenderMode(0)
    c.drawText(t)


def test_invisible_text_beside_a_figure_is_not_read(reader):
    """Text drawn in render mode 3 (neither filled nor stroked) is not on the page: 99 before 7147 is not read."""

    def draw(c, y):
        _invisible(c, 238, y, "99")
        c.drawString(250, y, "7147")

    data = _pdf(draw_figure=draw, ruled=False)
    assert "99" not in read_bytes(data, "report.pdf").text
    assert _active(data)["licensing"] == {"decisions": 7147}


def test_invisible_text_over_a_scan_is_read(reader):
    """A scan with the text an OCR laid over it, invisible: that text is the page's, read as before."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.drawImage(ImageReader(Image.new("RGB", (40, 60), "white")), 0, 0, *A4)
    y = 800
    for line in ("某县2022年政府信息公开工作年度报告", "二、主动公开政府信息情况", "行政许可  7147", "行政处罚  656"):
        _invisible(c, 50, y, line)
        y -= 20
    c.showPage()
    c.save()
    assert "行政许可 7147" in read_bytes(out.getvalue(), "report.pdf").text


def test_a_page_of_invisible_text_is_read(reader):
    """All of a page's text invisible, no picture: a text layer laid over glyphs drawn as outlines, read as before."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    y = 800
    for line in ("某县2022年政府信息公开工作年度报告", "二、主动公开政府信息情况", "行政许可  7147", "行政处罚  656"):
        _invisible(c, 50, y, line)
        y -= 20
    c.showPage()
    c.save()
    assert "行政许可 7147" in read_bytes(out.getvalue(), "report.pdf").text


def test_a_figure_printed_over_another_without_a_box_is_still_noted(reader):
    """No box between them: which of the two shows is not in the file (a figure printed twice, differently)."""

    def draw(c, y):
        c.drawString(250, y, "7148")
        c.drawString(250, y, "7147")

    data = _pdf(draw_figure=draw)
    assert OVERPRINTED_NOTE in read_bytes(data, "report.pdf").text
    assert _active(data)["licensing"] == {"decisions": None}


@pytest.mark.parametrize("x", [640, -80])
def test_text_off_the_page_is_not_read(reader, x):
    """99 drawn beyond the page's right (or left) edge on 行政许可's line: no viewer shows it."""

    def draw(c, y):
        c.drawString(250, y, "7147")
        c.drawString(x, y, "99")

    data = _pdf(draw_figure=draw, ruled=False)
    assert "99" not in read_bytes(data, "report.pdf").text
    assert _active(data)["licensing"] == {"decisions": 7147}
