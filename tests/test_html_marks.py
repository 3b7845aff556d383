"""Web pages: what a browser does not show as digits of a figure is not read as digits of it.

A browser shows `49<sup>1</sup>` as 49 with a note mark, `<del>12</del>15` as 15 with the old figure struck out,
`1<br>2` in a cell as two figures on two lines, and nothing of `<span hidden>9</span>`; read as text they were 491,
1215, 12 and 495, wrong values with evidence.  The Word reader already reads such cells as Word shows them
(tests/test_readers7_docx.py, tests/test_readers8_docx.py); these are the same cases in HTML.
"""

from __future__ import annotations

import pytest

from gongkai.parse import parse_text
from gongkai.proving.synth import make_report
from gongkai.reading.html_render import render_html
from gongkai.reading.values import STRUCK_NOTE
from gongkai.report import Report

PATH = "requests.new_received.natural_person"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<td>49<sup>1</sup></td>", "49 |"),
        ("<td>49<sub>2</sub></td>", "49 |"),
        ('<td>3<span style="vertical-align: super">①</span></td>', "3 |"),
        ("<td>49<SUP><span>注1</span></SUP></td>", "49 |"),
        # Raised text that follows no figure, or is no mark, is text as before.
        ("<td><sup>5</sup></td>", "5 |"),
        ("<p>注<sup>1</sup>：说明</p>", "注1：说明\n"),
        ("<td>12<sup>10000</sup></td>", "1210000 |"),
        # A struck figure beside its replacement is dropped; alone, the cell is noted.
        ("<td><del>12</del>15</td>", "15 |"),
        ("<td><s>12</s> <span>15</span></td>", "15 |"),
        ("<td>15<strike>12</strike></td>", "15 |"),
        ('<td>7<span style="text-decoration: line-through">8</span></td>', "7 |"),
        ("<td><del>12</del></td><td>3</td>", f"{STRUCK_NOTE} |3 |"),
        ("<td><del>旧</del>新</td>", "旧新 |"),  # no figure struck: shown as printed
        # A line break between two figures in a cell parts them; elsewhere in a cell it joins the lines.
        ("<td>1<br>2</td>", "1  2 |"),
        ("<td><p>1</p><p>2</p></td>", "1  2 |"),
        ("<td>1<div>2</div></td>", "1  2 |"),
        ("<td>—<br>7</td>", "—  7 |"),
        ("<td>7<br>/</td>", "7  / |"),
        ("<td>三、本年度办<br>理结果</td>", "三、本年度办理结果 |"),
        ("<td>22<br>（其中修订16件）</td>", "22（其中修订16件） |"),
        ("<td><p>12</p></td><td><p>3</p></td>", "12 |3 |"),
        # The hidden attribute hides; aria-hidden and a class named hidden say nothing a page alone can tell.
        ("<td>4<span hidden>9</span>5</td>", "45 |"),
        ('<td>4<span hidden="hidden">9</span>5</td>', "45 |"),
        ('<td>4<span aria-hidden="true">9</span>5</td>', "495 |"),
        ('<td style="overflow:hidden">7</td>', "7 |"),
    ],
)
def test_marks_and_struck_figures_render_as_a_browser_shows_them(html, text):
    assert render_html(html).text == text


def _report_with(seed: int, replace) -> tuple[dict, Report]:
    """A generated 2021 web page, one 表三 cell's printed figure rewritten by `replace(raw)`: the cells as read
    from the page as generated, and the report read from the rewritten page."""
    page, _ = make_report(seed, "2021", "html")
    before = parse_text(page)
    cell = before.cells[PATH]
    changed = page[: cell.start] + replace(cell.raw) + page[cell.end :]
    return {p: c.value for p, c in before.cells.items()}, parse_text(changed)


@pytest.mark.parametrize(
    "replace",
    [
        lambda raw: f"{raw}<sup>1</sup>",
        lambda raw: f"{raw}<sup>①</sup>",
        lambda raw: f'{raw}<span style="vertical-align:super">2</span>',
        lambda raw: f"<del>9{raw}</del>{raw}",
        lambda raw: f"{raw}<s>7</s>",
        lambda raw: f'<span style="text-decoration:line-through">8</span>{raw}',
        lambda raw: f"{raw[:-1]}<span hidden>9</span>{raw[-1]}",
    ],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_figure_with_a_mark_or_a_struck_neighbour_reads_as_printed(seed, replace):
    before, report = _report_with(seed, replace)
    assert {p: c.value for p, c in report.cells.items()} == before


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_figure_struck_alone_is_unread_with_a_finding_never_wrong(seed):
    before, report = _report_with(seed, lambda raw: f"<del>{raw}</del>")
    assert report.cells[PATH].value is None
    named = {p for f in report.findings for p in f.cells}
    assert PATH in named
    for path, cell in report.cells.items():
        assert cell.value is None or cell.value == before[path], path


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_figures_on_two_lines_of_a_cell_are_placed_by_the_identity_or_not_at_all(seed):
    """ "39<br>7" was read as 397; parted, the 7 took the next column's place.  A cell holds one column's value:
    which of its two figures is the row's only the row's identity can tell (then the cells say so), else the row is
    unread with a finding that says why."""
    before, report = _report_with(seed, lambda raw: f"{raw}<br>7")
    row = [p for p in report.cells if p.startswith("requests.new_received.")]
    if report.cells[PATH].value is None:
        assert any("单元格印有不止一个数" in (report.cells[p].unread_reason or "") for p in row)
        assert PATH in {p for f in report.findings for p in f.cells}
    else:
        assert all(report.cells[p].placed == "identity" for p in row)
    for path, cell in report.cells.items():
        assert cell.value is None or cell.value == before[path], path


_COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total")


@pytest.mark.parametrize(
    ("cells", "read"),
    [
        # Seven cells for seven columns, one holding two figures: only 34 makes the total (7 went to 商业企业).
        ("34\n7 | 6 |  | — | 22 | 2 | 64", [34, 6, 0, 0, 22, 2, 64]),
        ("34 | 6 |  | — | 22 | 2 | 64", [34, 6, 0, 0, 22, 2, 64]),  # as printed: the blank is 科研机构's
        ("34\n7 | 6 | 0 | — | 22 | 2 | 64", [34, 6, 0, 0, 22, 2, 64]),  # eight figures: only dropping 7 adds up
        ("34\n7 | 6 | — | 22 | 2 | 64", None),  # six cells for seven columns: which is missing is not known
        ("34\n30 | 6\n10 |  | — | 22 | 2 | 64", None),  # 34 and 6 or 30 and 10: both add up, not known
    ],
)
def test_a_cell_on_two_lines_in_a_table_whose_rows_end_with_a_separator(cells, read):
    """A Word cell's two paragraphs ("34⏎7 |") were read as two columns' values, the blank cell passed over."""
    head = "某县人民政府2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
    header = "申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
    report = parse_text(f"{head}{header}一、本年新收政府信息公开申请数量 | {cells} |\n")
    row = [report.cells[f"requests.new_received.{c}"] for c in _COLUMNS]
    assert [c.value for c in row] == (read or [None] * 7)
    if read and "\n" in cells:
        assert all(c.placed == "identity" for c in row)
