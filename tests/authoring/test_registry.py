"""The register of 规章 and 行政规范性文件: counts for 表二, reconciliation across years, Excel import."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from gongkai.authoring.draft import AnnualReportDraft, DraftError
from gongkai.authoring.registry import (
    NORMATIVE,
    RULES,
    Register,
    RegisteredDocument,
    import_register,
    parse_date,
)


def _register() -> Register:
    d = RegisteredDocument
    return Register(
        [
            d("石家庄市城市绿化管理办法", "石家庄市人民政府令第201号", RULES, date(2019, 5, 1)),
            d("石家庄市停车场管理规定", "石家庄市人民政府令第210号", RULES, date(2022, 3, 1)),
            d("旧规章", "令第150号", RULES, date(2015, 1, 1), repealed=date(2022, 6, 30)),
            d("关于加强扬尘治理的通知", "石政规〔2020〕1号", NORMATIVE, date(2020, 2, 1)),
            d("关于优化营商环境的若干措施", "石政规〔2022〕3号", NORMATIVE, date(2022, 4, 8)),
            d("临时措施", "石政规〔2022〕5号", NORMATIVE, date(2022, 5, 1), expired=date(2022, 11, 30)),
            d("到期文件", "石政规〔2018〕2号", NORMATIVE, date(2018, 1, 1), expired=date(2023, 1, 1)),
        ]
    )


def test_counts_for_the_report_year():
    counts = _register().counts(2022)
    assert counts[RULES] == {"issued": 1, "repealed": 1, "in_force": 2}
    # 临时措施 was made and expired within 2022: counted as made and as ended.
    assert counts[NORMATIVE] == {"issued": 2, "repealed": 1, "in_force": 3}
    assert _register().counts(2023)[NORMATIVE] == {"issued": 0, "repealed": 1, "in_force": 2}


def test_counts_fill_table_two_of_a_draft():
    draft = AnnualReportDraft(agency="石家庄市人民政府", year=2022, active=_register().counts(2022))
    assert draft.value("active.normative_documents.in_force") == 3
    assert "cross_year" not in {f.rule for f in draft.to_report().findings}


def test_reconciliation_with_last_years_published_figures():
    lines = _register().reconcile(2022)
    assert all(line.holds for line in lines)  # the register agrees with itself
    assert "一致" in lines[0].explain()
    broken = _register().reconcile(2022, {RULES: 2, NORMATIVE: 2})
    rules, normative = broken
    assert rules.expected == 2 + 1 - 1 and rules.difference == 0 and rules.holds
    assert (normative.previous_in_force, normative.expected, normative.in_force) == (2, 3, 3)
    assert normative.holds
    off = _register().reconcile(2022, {NORMATIVE: 5})[1]
    assert off.expected == 5 + 2 - 1 and off.difference == -3 and not off.holds
    text = off.explain()
    assert "上年现行有效5件（上年报告公布）" in text and "相差-3件" in text and "登记簿推算的上年现行有效为2件" in text


def test_register_problems():
    register = _register()
    register.documents += [
        RegisteredDocument("无日期", "石政规〔2022〕9号", NORMATIVE, None, row=9),
        RegisteredDocument("倒序", "石政规〔2022〕10号", NORMATIVE, date(2022, 5, 1), date(2021, 1, 1), row=10),
        RegisteredDocument("重复", "石政规〔2022〕 3号", NORMATIVE, date(2022, 6, 1), row=11),
    ]
    problems = register.problems()
    assert any("第9行" in p and "没有制发日期" in p for p in problems)
    assert any("第10行" in p and "早于制发日期" in p for p in problems)
    assert any("第11行" in p and "重复" in p for p in problems)


def _xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_excel_import_reads_any_column_order_and_date_form():
    data = _xlsx(
        [
            ["序号", "文号", "文件名称", "类别", "制发日期", "废止日期", "失效日期"],
            [1, "石政规〔2022〕3号", "关于优化营商环境的若干措施", "行政规范性文件", datetime(2022, 4, 8), None, None],
            [2, "石家庄市人民政府令第210号", "石家庄市停车场管理规定", "规章", "2022年3月1日", "", None],
            [3, "石政规〔2020〕1号", "关于加强扬尘治理的通知", "规范性文件", "2020.2.1", None, "2022-12-31"],
            [None, None, None, None, None, None, None],
        ]
    )
    register = import_register(data)
    assert [d.kind for d in register.documents] == [NORMATIVE, RULES, NORMATIVE]
    assert register.documents[1].issued == date(2022, 3, 1)
    assert register.documents[2].expired == date(2022, 12, 31) and register.documents[2].row == 4
    assert register.counts(2022)[NORMATIVE] == {"issued": 1, "repealed": 1, "in_force": 1}


def test_excel_import_errors_are_chinese_and_name_the_row():
    bad = _xlsx([["标题", "制发日期", "类别"], ["某文件", "去年春天", "规章"], ["另一文件", "2022-01-01", "通知"]])
    with pytest.raises(DraftError) as caught:
        import_register(bad)
    message = str(caught.value)
    assert "第2行" in message and "不是日期" in message and "第3行" in message and "应为“规章”" in message
    with pytest.raises(DraftError, match="未找到登记簿的表头"):
        import_register(_xlsx([["甲", "乙"], [1, 2]]))
    with pytest.raises(DraftError, match="无法读取"):
        import_register(b"not a workbook")


def test_parse_date_refuses_impossible_dates():
    assert parse_date("2022/2/28") == date(2022, 2, 28)
    with pytest.raises(DraftError, match="不是有效的日期"):
        parse_date("2022-02-30")


def test_register_fills_a_2021_draft_only():
    draft = AnnualReportDraft(agency="石家庄市人民政府", year=2022)
    draft.apply_register(_register())
    assert draft.active["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 3}
    old = AnnualReportDraft(agency="石家庄市人民政府", year=2020)
    with pytest.raises(DraftError, match="2019年版格式"):
        old.apply_register(_register())
