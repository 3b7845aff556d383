"""Prose figures are read outside the tables' cells, and a sentence among the cells is still read."""

from __future__ import annotations

from gongkai.fitting.facts import _prose_parts
from gongkai.parse import parse_text


def test_the_table_spans_are_left_out_unless_they_hold_a_sentence():
    text = "前言。收到申请3件。| 1 | 2 | 3 |尾声。本年共办结5件。| 4 |"
    table = (text.index("| 1"), text.index("尾声"))
    assert list(_prose_parts(text, 0, len(text), [table])) == [(0, table[0]), (table[1], len(text))]
    prose_inside = (text.index("收到"), text.index("| 4"))
    assert list(_prose_parts(text, 0, len(text), [prose_inside])) == [(0, len(text))]


def test_a_figure_written_between_two_tables_is_found():
    text = (
        "某某县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n本年度共收到政府信息公开申请12件。\n"
        "二、主动公开政府信息情况\n| 第二十条第（一）项 | | | |\n|---|---|---|---|\n"
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "| 规章 | 0 | 0 | 1 |\n| 行政规范性文件 | 2 | 0 | 9 |\n"
        "| 第二十条第（五）项 | | | |\n| 信息内容 | 本年处理决定数量 | | |\n| 行政许可 | 17 | | |\n"
        "另有2件申请结转下年度办理。\n"
        "三、收到和处理政府信息公开申请情况\n| 申请人情况 | 自然人 | 总计 |\n|---|---|---|\n"
        "| 一、本年新收政府信息公开申请数量 | 12 | 12 |\n"
    )
    report = parse_text(text)
    assert report.value("active.licensing.decisions") == 17
    facts = {f.key: f.value for f in report.facts}
    assert facts.get("requests_received") == 12 and facts.get("requests_carried_forward") == 2
