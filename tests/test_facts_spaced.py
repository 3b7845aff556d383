"""Prose figures as PDF text and converters print them: spaces around numbers, sentences broken over lines, and
the prose-vs-table check applied to them."""

from __future__ import annotations

import random

import pytest

from gongkai.fitting.facts import extract_facts
from gongkai.parse import parse_text
from gongkai.proving.synth import random_tables, render
from gongkai.reading.document import load_text


def facts_of(text: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for fact in extract_facts(load_text(text)):
        out.setdefault(fact.key, []).append(fact.value)
    return out


@pytest.mark.parametrize(
    ("sentence", "key", "value"),
    [
        ("本年度受理政府信息公开申请 17 件。", "requests_received", 17),
        ("全年主动发布各类政府信息 2428 条。", "active_disclosed", 2428),
        ("全年收到政府信息公开\n申请 34 件，上年结转政府信息公开\n申请 2 件。", "requests_received", 34),
        ("全年收到政府信息公开\n申请 34 件，上年结转政府信息公开\n申请 2 件。", "requests_carried_over", 2),
        ("本年度全区共收到70件申请，及时办理。", "requests_received_counted_first", 70),
        ("收到申请 80 件。及时依法依规办结69件，1件结转下年度继续办理。", "requests_carried_forward", 1),
        ("转下一\n年度办理答复的有 1 件。", "requests_carried_forward_later", 1),
        ("同意公开答复 9 件，部分公开答复 0 件，不予公开答复 2\n件，无法提供的 10 件。", "requests_withheld", 2),
        ("收到申请 80 件。其中无法提供的 10 件，不予处理 0 件，其他处理 14 件。", "requests_other_processing", 14),
        (
            "2024 年市科委有 1 件涉及政府信息公开工作的行政复\n议，涉及的行政诉讼数为\n0 件。",
            "review_cases_counted_first",
            1,
        ),
        ("2024 年市科委有 1 件涉及政府信息公开工作的行政复\n议，涉及的行政诉讼数为\n0 件。", "litigation_cases", 0),
    ],
)
def test_spaced_and_broken_figures_are_read(sentence, key, value):
    assert facts_of(sentence).get(key) == [value]


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        ("其他应主动公开政府信息856条。", "active_disclosed"),  # what should be published, not what was
        ("同意公开和部分公开共32件。", "requests_partially_granted"),  # a sum of two outcomes
    ],
)
def test_figures_that_are_not_the_fact_are_left(sentence, key):
    assert key not in facts_of(sentence)


def test_two_numbers_spaced_apart_are_never_one():
    assert facts_of("受理政府信息公开申请 1 2 件。").get("requests_received") is None


def test_the_evidence_of_a_spaced_figure_points_at_the_source():
    text = "一、总体情况\n本年度受理政府信息公开\n申请 17 件，均已答复。\n"
    (fact,) = [f for f in extract_facts(load_text(text)) if f.key == "requests_received"]
    assert text[fact.start : fact.end] == "受理政府信息公开\n申请 17 件"
    assert fact.quote.startswith("本年度受理政府信息公开")


def test_a_spaced_prose_figure_is_checked_against_the_table():
    rng = random.Random(5)
    tables = random_tables(rng, "2021")
    received = tables["requests"]["new_received"][6]
    text = render(tables, "markdown", rng, noise=False)
    text = text.replace("一、总体情况\n", f"一、总体情况\n本年度受理政府信息公开申请 {received + 5} 件。\n", 1)
    report = parse_text(text).to_json()
    mismatches = [f for f in report["findings"] if f["rule"] == "prose.table_mismatch"]
    assert any(f["found"] == received + 5 and f["expected"] == received for f in mismatches), report["findings"]


@pytest.mark.parametrize(
    ("sentence", "key", "value"),
    [
        ("全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件）。", "requests_answered", 3050),
        ("我区政府信息公开单位共公布政府信息2599条。", "active_disclosed", 2599),
        ("全年主动公开我区各级单位政府信息2645条。", "active_disclosed", 2645),
        ("回落12.3%；答复政府信息公开申请805件（含上年度结转申请18件）。", "requests_answered", 805),
        ("信息公开类行政复议7件，诉讼9件，均获维持。", "litigation_cases", 9),
    ],
)
def test_more_verbs_of_real_reports(sentence, key, value):
    assert facts_of(sentence).get(key) == [value]


def test_an_answer_rate_is_not_an_answer_count():
    assert "requests_answered" not in facts_of("依申请公开按时答复率100%，答复满意度高。")


def test_a_lawsuit_not_after_a_count_is_not_a_litigation_figure():
    assert "litigation_cases" not in facts_of("加强应诉工作，诉讼3件案件的材料已归档。")
