"""A glued 表二 row whose digits split several ways is placed by the prose only when exactly one split agrees with
every figure the prose states for it (issue 9: never a silently wrong number)."""

from __future__ import annotations

from pathlib import Path

from gongkai.parse import parse_text
from gongkai.render import render_report

PINGTAN_2022 = Path(__file__).parent.parent / "corpus" / "real" / "009_pingtan_2022.txt"
ROW = "active.normative_documents"
PATHS = [f"{ROW}.issued", f"{ROW}.repealed", f"{ROW}.in_force"]
# 009's prose: "集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件" (with a line break in 制发).
IN_FORCE = "现行有效行政规范性文件698件"


def _text() -> str:
    text = PINGTAN_2022.read_text(encoding="utf-8")
    assert IN_FORCE in text and "行政规范性文件8855698" in text
    return text


def _values(report) -> list:
    return [report.value(p) for p in PATHS]


def _rules(report) -> list[str]:
    return [f.rule for f in report.findings]


def test_the_one_split_the_prose_agrees_with_is_read_with_its_quotes():
    report = parse_text(_text(), "009.txt")
    assert _values(report) == [88, 55, 698]
    for path in PATHS:
        cell = report.cells[path]
        assert cell.placed == "prose"
        assert "698件" in (cell.identity or "") and "88件" in (cell.identity or "")
        evidence = report.cell_json(cell)["evidence"]
        assert evidence["placed"] == "prose" and "8855698" in evidence["note"]
        assert report.text[cell.start : cell.end] == cell.raw  # the digits of the glued run
    placed = [f for f in report.findings if f.rule == "cells.placed_by_prose"]
    assert len(placed) == 1 and placed[0].severity == "warning"
    assert set(placed[0].cells) == set(PATHS)
    message = placed[0].message
    assert "行政规范性文件" in message and "8855698" in message and "88、55、698" in message and IN_FORCE in message
    assert "cells.ambiguous" not in _rules(report)
    assert not [f for f in report.findings if f.rule == "prose.table_mismatch" and set(f.cells) & set(PATHS)]
    shown = report.to_json()
    assert [c["placed"] for c in shown["cells"] if c["path"] in PATHS] == ["prose"] * 3


def test_the_cli_marks_prose_placed_values():
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(render_report(parse_text(_text(), "009.txt")))
    out = console.export_text()
    assert "698†" in out and "带 † 的数字" in out


def test_two_agreeing_splits_leave_the_row_unread():
    # Only 本年度制发 88 stated: 88|5|5698, 88|55|698, 88|556|98 and 88|5569|8 all agree.
    report = parse_text(_text().replace(IN_FORCE, "现行有效行政规范性文件若干件"), "009.txt")
    assert _values(report) == [None, None, None]
    assert all(report.cells[p].placed is None for p in PATHS)
    ambiguous = [f for f in report.findings if f.rule == "cells.ambiguous"]
    assert len(ambiguous) == 1 and "与其中4种拆分都相符" in ambiguous[0].message
    assert "cells.placed_by_prose" not in _rules(report)


def test_prose_disagreeing_with_every_split_leaves_the_row_unread():
    report = parse_text(_text().replace(IN_FORCE, "现行有效行政规范性文件393件"), "009.txt")
    assert _values(report) == [None, None, None]
    ambiguous = [f for f in report.findings if f.rule == "cells.ambiguous"]
    assert len(ambiguous) == 1 and "与任何一种拆分都不符" in ambiguous[0].message
    assert "cells.placed_by_prose" not in _rules(report)


def test_without_prose_figures_the_row_stays_unread_as_before():
    text = _text().replace(IN_FORCE, "现行有效行政规范性文件").replace("规范性文件88件", "规范性文件")
    report = parse_text(text, "009.txt")
    assert _values(report) == [None, None, None]
    ambiguous = [f for f in report.findings if f.rule == "cells.ambiguous"]
    assert len(ambiguous) == 1 and "正文" not in ambiguous[0].message


def test_figures_inside_the_table_are_not_prose():
    # The prose figures taken out of section 一 and written inside section 二, next to the glued table.
    text = _text().replace(IN_FORCE, "现行有效行政规范性文件若干件").replace("规范性文件88件", "规范性文件")
    at = text.index("二、主动公开政府信息情况第二十条") + len("二、主动公开政府信息情况")
    text = text[:at] + "本年度制发的规范性文件88件，现行有效行政规范性文件698件。" + text[at:]
    report = parse_text(text, "009.txt")
    assert _values(report) == [None, None, None]
    assert "cells.placed_by_prose" not in _rules(report)


TABLE_TEXT = (
    "某某县人民政府2022年政府信息公开工作年度报告\n一、总体情况\n"
    "本年度制发行政规范性文件5件，废止行政规范性文件1件，现行有效行政规范性文件40件。\n"
    "二、主动公开政府信息情况\n| 第二十条第（一）项 | | | |\n|---|---|---|---|\n"
    "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
    "| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 6 | 1 | 41 |\n"
    "| 第二十条第（五）项 | | | |\n| 信息内容 | 本年处理决定数量 | | |\n| 行政许可 | 17 | | |\n"
    "三、收到和处理政府信息公开申请情况\n| 申请人情况 | 自然人 | 总计 |\n|---|---|---|\n"
    "| 一、本年新收政府信息公开申请数量 | 12 | 12 |\n"
)


def test_prose_never_overrides_a_cell_the_table_places():
    report = parse_text(TABLE_TEXT, "table.md")
    assert _values(report) == [6, 1, 41]
    assert all(report.cells[p].placed == "label" for p in PATHS)
    assert "cells.placed_by_prose" not in _rules(report)
    # The new prose facts are checked against the table like the others.
    mismatches = {tuple(f.cells): (f.found, f.expected) for f in report.findings if f.rule == "prose.table_mismatch"}
    assert mismatches[(f"{ROW}.issued",)] == (5, 6)
    assert mismatches[(f"{ROW}.in_force",)] == (40, 41)
    assert (f"{ROW}.repealed",) not in mismatches


def test_the_new_facts_read_real_phrasings():
    text = (
        "某某市人民政府2022年政府信息公开工作年度报告\n一、总体情况\n"
        "全年出台政府规章2件，废止规章1件；动态更新本年度制\n发的规范性文件88件，宣布废止行政规范性文件12件。\n"
    )
    facts = {f.key: f.value for f in parse_text(text).facts}
    assert facts["rules_issued"] == 2 and facts["rules_repealed"] == 1
    assert facts["normative_issued"] == 88 and facts["normative_repealed"] == 12


def test_show_says_how_a_prose_placed_cell_was_placed():
    from typer.testing import CliRunner

    from gongkai.cli import app

    result = CliRunner().invoke(app, ["show", str(PINGTAN_2022), f"{ROW}.in_force"])
    assert result.exit_code == 0, result.output
    assert "定位方式：按正文所述数字" in result.output and "8855698" in result.output
