"""PDF text layers red-teamed at the reader: a figure printed over another, white boxes inside ruled cells.

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
from gongkai.reading.values import OVERPRINTED_NOTE

ROWS = (
    ("第二十条第（五）项", ""),
    ("信息内容", "本年处理决定数量"),
    ("行政许可", "7147"),
    ("第二十条第（六）项", ""),
    ("信息内容", "本年处理决定数量"),
    ("行政处罚", "656"),
    ("行政强制", "38"),
)


def pdf_page(*, draw_figure=None, ruled: bool = True, image: bool = False) -> bytes:
    """表二's blocks (五) and (六); 行政许可's figure 7147 printed at x 250, or drawn by `draw_figure(canvas, y)`
    when given; `image`: a picture of the page under its text layer (a scan)."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    if image:
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


def paint_box(c, y: float, rgb: tuple[float, float, float], left: float = 248, right: float = 300) -> None:
    """A filled box without a border over the figure's line, from x `left` to `right`."""
    c.saveState()
    c.setFillColorRGB(*rgb)
    c.rect(left, y - 3, right - left, 13, stroke=0, fill=1)
    c.restoreState()


def _pdf(*, ruled: bool, old: str | None = None, white_box: tuple[float, float] | None = None) -> bytes:
    """The page, with `old` printed first where 7147 is and a white box over it (a figure pasted over the old one),
    or a white box from x white_box[0] to white_box[1] in its cell."""
    if not (old or white_box):
        return pdf_page(ruled=ruled)

    def draw(c, y):
        if old:
            c.drawString(250, y, old)
        paint_box(c, y, (1, 1, 1), *(white_box or (248, 288)))
        c.drawString(250, y, "7147")

    return pdf_page(draw_figure=draw, ruled=ruled)


def active_table(data: bytes) -> dict:
    return parse_bytes(data, "report.pdf").to_json()["active"]


@pytest.mark.parametrize("ruled", [True, False])
def test_the_layout_reads_back(pdf_reader, ruled):
    active = active_table(_pdf(ruled=ruled))
    assert (active["licensing"], active["punishment"]) == ({"decisions": 7147}, {"decisions": 656})


@pytest.mark.parametrize("ruled", [True, False])
def test_a_figure_printed_over_another_under_a_white_box_is_read_as_shown(pdf_reader, ruled):
    """7147 printed over 7148 hidden under a white box: the text layer holds both, interleaved as 71487; the
    drawing order says which shows (round 8: the figure on the box; without a box between them the two are noted
    as overprinted, see test_readers8_pdf)."""
    data = _pdf(ruled=ruled, old="7148")
    assert OVERPRINTED_NOTE not in read_bytes(data, "report.pdf").text
    active = active_table(data)
    assert active["licensing"] == {"decisions": 7147}
    assert active["punishment"] == {"decisions": 656}


def test_a_white_box_does_not_split_a_ruled_cell(pdf_reader):
    """A white box drawn in the left part of 行政许可's cell is nothing on the page: no empty cell read as 0."""
    data = _pdf(ruled=True, white_box=(241, 247))
    assert "行政许可 |7147 |" in read_bytes(data, "report.pdf").text
    assert active_table(data)["licensing"] == {"decisions": 7147}


def test_the_same_character_printed_twice_is_still_one():
    """Bold made by printing a figure twice at a small offset is one figure, not an overprint."""

    def page(offsets: tuple[float, ...]) -> str:
        out = io.BytesIO()
        c = canvas.Canvas(out, pagesize=A4)
        c.setFont(FONT, 14)
        c.drawString(60, 800, "某县2022年政府信息公开工作年度报告")
        c.setFont(FONT, 10.5)
        for dx in offsets:
            c.drawString(50 + dx, 700, "行政许可  7147")
        c.save()
        return read_bytes(out.getvalue(), "report.pdf").text

    assert page((0, 0.4)) == page((0,))
