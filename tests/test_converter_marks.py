"""Markdown from PDF converters: merged cells printed in every column they span (docling), placeholder headers
(`Col2`, pymupdf4llm)."""

from __future__ import annotations

import random

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
    # Every 表三 and 表四 cell is read: the identities hold and the labels are found once the repeats go.
    unread = [p for p, v in truth.items() if v is not None and got.get(p) is None and not p.startswith("active.")]
    assert not unread
