"""表二 decisions and fees: exact unit conversion and spreadsheet import."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from gongkai.authoring.draft import AnnualReportDraft, DraftError
from gongkai.authoring.figures import amount_in_wan_yuan, count, import_active_figures


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("1,234,567.89", "元", Decimal("123.456789")),
        ("1234567.89元", None, Decimal("123.456789")),
        (0.1, "亿元", Decimal("1000")),
        ("20.3", None, Decimal("20.3")),
        (Decimal("243108"), "万元", Decimal("243108")),
        ("１２３元", "", Decimal("0.0123")),
        (0, "元", Decimal(0)),
    ],
)
def test_amounts_are_converted_exactly(value, unit, expected):
    assert amount_in_wan_yuan(value, unit) == expected


def test_conflicting_or_unknown_units_are_refused():
    with pytest.raises(DraftError, match="不一致"):
        amount_in_wan_yuan("100元", "万元")
    with pytest.raises(DraftError, match="应为元、万元或亿元"):
        amount_in_wan_yuan("100", "美元")
    with pytest.raises(DraftError, match="非负整数"):
        count("1.5")
    with pytest.raises(DraftError, match="是金额"):
        count("100元")


def _xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_import_2021_figures():
    data = _xlsx(
        [
            ["事项", "数值", "单位"],
            ["行政许可", 12034, "件"],
            ["行政处罚", "1,206", None],
            ["行政强制", 0, None],
            ["行政事业性收费", 2431080000.5, "元"],
        ]
    )
    figures = import_active_figures(data, "2021")
    assert figures == {
        "licensing": {"decisions": 12034},
        "punishment": {"decisions": 1206},
        "enforcement": {"decisions": 0},
        "fees": {"amount_wan_yuan": Decimal("243108.00005")},
    }
    draft = AnnualReportDraft(agency="石家庄市人民政府", year=2022, active=figures)
    assert draft.value("active.fees.amount_wan_yuan") == Decimal("243108.00005")


def test_import_2019_figures_needs_the_column_where_a_block_has_several():
    rows = [["事项", "栏目", "数值"], ["行政许可", "上一年项目数量", 120], ["行政许可", "本年增/减", -3]]
    figures = import_active_figures(_xlsx(rows), "2019")
    assert figures == {"licensing": {"prev_items": 120, "delta": -3}}
    with pytest.raises(DraftError, match="请在“栏目”列注明"):
        import_active_figures(_xlsx([["事项", "数值"], ["行政许可", 5]]), "2019")
    with pytest.raises(DraftError, match=r"第2行.*不是.*表二中的事项"):
        import_active_figures(_xlsx([["事项", "数值"], ["政府采购", 5]]), "2021")
    with pytest.raises(DraftError, match="未找到表头"):
        import_active_figures(_xlsx([["a", "b"]]), "2021")
