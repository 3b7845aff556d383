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
    from gongkai.proving.evaluate import generated_case

    case = generated_case(0, 5, "2019", "tabs")
    assert not case["mismatches"]


def test_a_note_under_table_four_header_is_skipped():
    report = parse_file(ROOT / "corpus" / "real" / "014_shanghai_bangongting_2025.md")
    got = [report.value(f"review_litigation.review.{c}") for c in ("maintained", "corrected", "other", "pending")]
    assert got == [40, 0, 10, 5] and report.value("review_litigation.litigation_after_review.total") == 22
    assert "cells.missing" not in {f.rule for f in report.findings}
    assert [report.value(f"active.rules.{f}") for f in FIELDS] == [None, None, None]  # was 22, 235, 0


def _requests_row(report, key: str) -> list:
    columns = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total")
    return [report.value(f"requests.{key}.{c}") for c in columns]


def test_rows_whose_labels_the_converter_cut_are_placed_by_position():
    # 014 prints （五）5 as "| 0 | … |" and （六）1, （六）2 as "| 行政机关不再处理其政府信息公 | 40 | … |" and
    # "| 缴纳费用、 | 行政机关不再处理其政 | 0 | … |", their label heads moved above the table.
    report = parse_file(ROOT / "corpus" / "real" / "014_shanghai_bangongting_2025.md")
    assert _requests_row(report, "not_processed_confirm_existing") == [0] * 7
    assert _requests_row(report, "other_overdue_correction") == [40, 1, 0, 0, 2, 0, 43]
    assert _requests_row(report, "other_overdue_fee") == [0] * 7
    assert report.cells["requests.other_overdue_correction.total"].placed == "position"


def test_a_cut_label_piece_that_names_another_row_blocks_the_placement():
    text = (ROOT / "corpus" / "real" / "014_shanghai_bangongting_2025.md").read_text(encoding="utf-8")
    # The piece on （六）1's line now belongs to （五）5's label only: the lines cannot be given in order.
    swapped = text.replace("| 行政机关不再处理其政府信息公 | 40 |", "| 确认或重新出具 | 40 |")
    report = parse_text(swapped)
    assert _requests_row(report, "other_overdue_correction") == [None] * 7
    assert _requests_row(report, "not_processed_confirm_existing") == [None] * 7
