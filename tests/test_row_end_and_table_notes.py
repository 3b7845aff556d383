"""Two real PDF-to-Markdown artefacts (上海市人民政府办公厅 2025, corpus/real/014):

- a pipe row that lost a cell ("| 规章 | 22 | 235 |") is not completed with the line break that ends it: that
  made 22, 235, 0 of 22, 22, 235 (a wrong value); without an identity to confirm a blank there, it stays unread;
- a note printed between table 四's header and its values ("注：…含上年度结转数量。") does not stop the reading."""

from __future__ import annotations

from gongkai.parse import parse_file, parse_text
from tests.conftest import ROOT

FIELDS = ("issued", "repealed", "in_force")

TABLE_TWO = """2025年某机关政府信息公开工作年度报告
二、主动公开政府信息情况
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | 22 | 235 |
| 行政规范性文件 | {row} |
第二十条第（五）项
行政许可 0
"""


def _row(report, key: str) -> list:
    return [report.value(f"active.{key}.{field}") for field in FIELDS]


def test_a_pipe_row_short_of_a_cell_is_not_completed_by_its_line_break():
    report = parse_text(TABLE_TWO.format(row="34 | 55 | 189"))
    assert _row(report, "rules") == [None, None, None]
    assert _row(report, "normative_documents") == [34, 55, 189]
    assert "行末的换行不是空白格" in report.cells["active.rules.issued"].unread_reason


def test_a_blank_cell_written_inside_the_row_still_counts():
    report = parse_text(TABLE_TWO.format(row="34 |  | 189"))
    assert _row(report, "normative_documents") == [34, 0, 189]


def test_a_trailing_tab_blank_is_taken_when_the_row_total_confirms_it():
    # A tab-separated 表三 row whose last cell is blank before the line end ("0\t\n"): 0 = 0+…+0 holds with it.
    from gongkai.evaluate import generated_case

    case = generated_case(0, 5, "2019", "tabs")
    assert not case["mismatches"]


def test_a_note_under_table_four_header_is_skipped():
    report = parse_file(ROOT / "corpus" / "real" / "014_shanghai_bangongting_2025.md")
    got = [report.value(f"review_litigation.review.{c}") for c in ("maintained", "corrected", "other", "pending")]
    assert got == [40, 0, 10, 5] and report.value("review_litigation.litigation_after_review.total") == 22
    assert "cells.missing" not in {f.rule for f in report.findings}
    assert [report.value(f"active.rules.{f}") for f in FIELDS] == [None, None, None]  # was 22, 235, 0
