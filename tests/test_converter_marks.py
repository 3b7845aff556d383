"""Markdown from PDF converters: merged cells printed in every column they span (docling), placeholder headers
(`Col2`, pymupdf4llm)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from gongkai.parse import parse_text
from gongkai.proving.evaluate import flatten
from gongkai.proving.synth_damage import damaged_report
from gongkai.reading.tokens import tokenize

LABEL = "一、本年新收政府信息公开申请数量"
ROW = f"| {LABEL} | {LABEL} | {LABEL} | 7 | 7 | 0 | 0 | 0 | 0 | 14 |"


def test_a_label_repeated_across_its_span_is_one_token_and_repeated_numbers_stay():
    texts = [t.text for t in tokenize(ROW)]
    assert texts == [LABEL, "7", "7", "0", "0", "0", "0", "14"]


def test_a_repeated_label_on_the_next_line_is_another_cell():
    # The same text on two lines is two cells of two rows, not a span.
    texts = [t.text for t in tokenize("其他\n其他 | 3 |")]
    assert texts == ["其他", "其他", "3"]


def test_a_placeholder_header_is_an_empty_cell():
    tokens = tokenize("|行政复议|Col2|Col3|行政诉讼|Col15|\n|Col|Column2|")
    assert [(t.text, t.empty) for t in tokens] == [
        ("行政复议", False),
        ("", True),
        ("", True),
        ("行政诉讼", False),
        ("", True),
        ("", True),  # between the two rows
        ("Col", False),
        ("Column2", False),
    ]


@pytest.mark.parametrize("damage", ["spans_repeated", "placeholder_headers"])
@pytest.mark.parametrize("seed", range(8))
def test_converter_markdown_is_read_without_a_wrong_value(damage, seed):
    case = damaged_report(random.Random(f"spans:{seed}"), damage)
    got = flatten(parse_text(case.text).to_json())
    truth = flatten(case.truth)
    wrong = {p: (v, got.get(p)) for p, v in truth.items() if got.get(p) is not None and got.get(p) != v}
    assert not wrong
    # Every cell is read: the identities hold and the labels are found once the repeats go, and values printed
    # once per column of a spanning header are read once.
    unread = [p for p, v in truth.items() if v is not None and got.get(p) is None]
    assert not unread


# docling's 2019 表二 blocks (八) and (九): a field's header spans two of the grid's columns and is printed in
# both, and so is the value under it.
SPANNED_2019 = """一、总体情况
二、主动公开政府信息情况
| 第二十条第（八）项 | 第二十条第（八）项 | 第二十条第（八）项 | 第二十条第（八）项 |
|---|---|---|---|
| 信息内容 | 上一年项目数量 | 本年增/减 | 本年增/减 |
| 行政事业性收费 | 6 | {fees} |
| 第二十条第（九）项 | 第二十条第（九）项 | 第二十条第（九）项 | 第二十条第（九）项 |
| 信息内容 | 采购项目数量 | 采购总金额 | 采购总金额 |
| 政府集中采购 | 4 | {amount} |
三、收到和处理政府信息公开申请情况
"""


def _spanned(fees: str, amount: str) -> dict:
    text = "2019年度政府信息公开工作年度报告\n本年新公开规章\n" + SPANNED_2019.format(fees=fees, amount=amount)
    return parse_text(text).to_json()["active"]


def test_values_printed_once_per_column_of_a_spanning_header_are_read_once():
    active = _spanned("-2 | -2", "35.5 | 35.5")
    assert active["fees"] == {"prev_items": 6, "delta": -2}
    assert active["procurement"] == {"projects": 4, "amount_wan_yuan": Decimal("35.5")}


def test_copies_that_differ_under_a_spanning_header_stay_unread():
    # Under one header two different numbers are not one value printed twice: which is the field's is open.
    active = _spanned("-2 | 3", "35.5 | 35.5")
    assert active["fees"] == {"prev_items": None, "delta": None}
    assert active["procurement"] == {"projects": 4, "amount_wan_yuan": Decimal("35.5")}
