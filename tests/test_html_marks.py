"""Web pages: a note mark raised after a figure and a figure struck through are not digits of the figure.

A browser shows `49<sup>1</sup>` as 49 with a note mark, and `<del>12</del>15` as 15 with the old figure struck
out; read as text they were 491 and 1215, wrong values with evidence.  The Word reader already reads them as Word
shows them (tests/test_readers7_docx.py, tests/test_readers8_docx.py); these are the same cases in HTML.
"""

from __future__ import annotations

import pytest

from gongkai.parse import parse_text
from gongkai.proving.synth import make_report
from gongkai.reading.html_render import STRUCK_NOTE, render_html

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
    ],
)
def test_marks_and_struck_figures_render_as_a_browser_shows_them(html, text):
    assert render_html(html).text == text


def _report_with(seed: int, replace) -> tuple[dict, dict, object]:
    """A generated 2021 web page, one 表三 cell's printed figure rewritten by `replace(raw)`; the truth, the
    cells as read from the page as generated, and the report read from the rewritten page."""
    page, truth = make_report(seed, "2021", "html")
    before = parse_text(page)
    cell = before.cells[PATH]
    changed = page[: cell.start] + replace(cell.raw) + page[cell.end :]
    return truth, {p: c.value for p, c in before.cells.items()}, parse_text(changed)


@pytest.mark.parametrize(
    "replace",
    [
        lambda raw: f"{raw}<sup>1</sup>",
        lambda raw: f"{raw}<sup>①</sup>",
        lambda raw: f'{raw}<span style="vertical-align:super">2</span>',
        lambda raw: f"<del>9{raw}</del>{raw}",
        lambda raw: f"{raw}<s>7</s>",
        lambda raw: f'<span style="text-decoration:line-through">8</span>{raw}',
    ],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_figure_with_a_mark_or_a_struck_neighbour_reads_as_printed(seed, replace):
    _, before, report = _report_with(seed, replace)
    assert {p: c.value for p, c in report.cells.items()} == before


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_figure_struck_alone_is_unread_with_a_finding_never_wrong(seed):
    _, before, report = _report_with(seed, lambda raw: f"<del>{raw}</del>")
    assert report.cells[PATH].value is None
    named = {p for f in report.findings for p in f.cells}
    assert PATH in named
    for path, cell in report.cells.items():
        assert cell.value is None or cell.value == before[path], path
