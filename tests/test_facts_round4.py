"""Prose figures from round 4 of real pages: counts said of a part of what the report covers (a province's own
government and departments, the cities and counties, "其中" a named body, the outcomes "在对申请答复的N件中") are not
the report's own figures, and phrasings that were not read.  Names and numbers are made up."""

from __future__ import annotations

import re

import pytest

from gongkai.fitting.facts import extract_facts
from gongkai.parse import parse_text
from gongkai.proving.synth import make_report
from gongkai.reading.document import load_text


def facts(text: str) -> list[tuple[str, int]]:
    return [(f.key, f.value) for f in extract_facts(load_text(text))]


# -- P1: a part's figures are not the report's -----------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "某省政府及其部门受理政府信息公开申请61件,比上年增长12.5%。",
        "市、县(市、区)政府及其部门和乡镇政府受理政府信息公开申请470件,比上年增长3.1%。",
        "市政府及其部门主动公开政府信息5120条,县(区)政府及其部门主动公开政府信息7311条。",
        "区直各部门共受理政府信息公开申请12件,全部按时答复。",
        "全年主动公开政府信息900条。其中,区管委会及区直各部门主动公开政府信息600条,占66.7%。",
        "各乡镇主动公开政府信息300条,占33.3%。",
        "共收到政府信息公开申请30件,其中网上受理政府信息公开申请21件。",
    ],
)
def test_a_parts_figure_is_not_read(sentence):
    got = facts(sentence)
    parts = {"某省": 61, "市、县": 470, "市政府": 5120, "区直": 12, "全年": 600, "各乡镇": 300, "共收到": 21}
    part = next(v for k, v in parts.items() if sentence.startswith(k))
    assert part not in [value for _key, value in got]


def test_the_outcomes_within_a_parts_answers_are_not_read():
    text = "某省政府及其部门受理政府信息公开申请61件,比上年增长12.5%,在对申请答复的58件中,属同意公开的17件。"
    assert facts(text) == []


def test_the_wholes_figures_around_its_parts_are_read():
    text = (
        "2022年全省全年受理申请90件,较上年增长8.2%。省政府及其部门受理政府信息公开申请61件,全省共受理政府信息公开"
        "申请90件。我局受理政府信息公开申请7件。"
    )
    assert facts(text) == [("requests_received", 90), ("requests_received", 90), ("requests_received", 7)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The whole's subject: "各级", or the 各县(区)、各部门 of a city's summary.
        ("全省各级政府及其部门共受理政府信息公开申请140件。", [("requests_received", 140)]),
        ("2019年,各县(区)、各部门主动公开政府信息6204条。", [("active_disclosed", 6204)]),
        # 其中 breaking the report's own figures down, not naming a part.
        (
            "共收到政府信息公开申请50件,其中,予以公开20件,部分公开11件。",
            [("requests_received", 50), ("requests_granted", 20), ("requests_partially_granted", 11)],
        ),
        (
            "全年共办理依申请政府信息公开88件,均依法答复,其中引发行政复议案件6件,行政诉讼案件3件。",
            [("requests_answered", 88), ("review_cases", 6), ("litigation_cases", 3)],
        ),
        (
            "受理政府信息依申请公开14件,其中网络申请14件,申请办结数9件。",
            [("requests_received", 14), ("requests_answered", 9)],
        ),
    ],
)
def test_the_reports_own_figures_are_still_read(text, expected):
    assert facts(text) == expected


def test_outcomes_of_all_the_answered_requests_are_read():
    text = "全年共收到政府信息公开申请40件,办结38件。在办结的38件中,予以公开20件。"
    assert ("requests_granted", 20) in facts(text)
    assert "requests_granted" not in dict(facts("全年共收到政府信息公开申请40件。在答复的12件申请中,同意公开8件。"))


def test_a_parts_figures_give_no_false_mismatch_with_the_tables():
    text, _truth = make_report(3, "2021", "markdown")
    report = parse_text(text)
    total, granted = report.value("requests.new_received.total"), report.value("requests.granted.total")
    assert total >= 3
    parts = (
        f"某省政府及其部门受理政府信息公开申请{total - 1}件,比上年增长5.1%,在对申请答复的{total - 2}件中,"
        f"属同意公开的{granted + 1}件。市、县(市、区)政府及其部门和乡镇政府受理政府信息公开申请1件。"
    )
    text = text.replace("（二）依申请公开情况\n", "（二）依申请公开情况\n" + parts, 1)
    report = parse_text(text)
    assert not [f for f in report.findings if f.rule == "prose.table_mismatch"]


# -- N1: phrasings not read before -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("2021年,本机关主动公开政府信息1325件。", "active_disclosed", 1325),
        ("2018年,某某局在门户网站发布各类政务信息4180条。", "active_disclosed", 4180),
        ("全年共收到政府信息申请公开件73件,均按时答复。", "requests_received", 73),
        ("共收到依申请公开件3件,涉及复议0件,诉讼0件。", "review_cases", 0),
        ("全年办理政府信息公开申请900件。信息公开复议12件,行政诉讼案件7件。", "review_cases", 12),
        ("全年收到政府信息公开申请900件,予以公开及部分公开512件。", "requests_granted_in_full_or_part", 512),
        ("全年收到政府信息公开申请30件,同意公开和部分公开共21件。", "requests_granted_in_full_or_part", 21),
        ("全年收到政府信息公开申请9件,予以公开6件,予以部份公开2件。", "requests_partially_granted", 2),
    ],
)
def test_round_four_phrasings_are_read(text, key, value):
    assert (key, value) in facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "全年共公开政府信息140件,其中主动公开25件,不予公开115件。",  # documents, not only the disclosed ones
        "全年向市政府报送政务信息55条。",  # sent up, not disclosed
    ],
)
def test_near_phrasings_are_not_active_disclosure(text):
    assert "active_disclosed" not in dict(facts(text))


def test_the_sum_of_granted_and_partial_is_compared_with_both_rows():
    text, _truth = make_report(3, "2021", "markdown")
    report = parse_text(text)
    both = report.value("requests.granted.total") + report.value("requests.partially_granted.total")
    sentence = f"全年收到政府信息公开申请若干件,予以公开及部分公开{both + 5}件。"
    report = parse_text(text.replace("（二）依申请公开情况\n", "（二）依申请公开情况\n" + sentence, 1))
    mismatches = [f for f in report.findings if f.rule == "prose.table_mismatch"]
    assert [(f.found, f.expected) for f in mismatches] == [(both + 5, both)]


# The round-4 patterns start with their first word and look behind it afterwards; they match as the plain forms.
_N = r"(?<!\d)(?<!\d,)(?P<n>\d[\d,]*)"
PLAIN = {
    "复议(?<!行政复议)": r"(?<!行政)复议(?:案件|申请|案)?(?:数)?(?:为|共计|共|有)?" + _N + "(?:件|起)",
    "部份(?<!": r"(?<![和或及与])(?<![^件]、)部份(?:予以|同意)?公开(?:答复|的)?(?:共计|共|有)?" + _N + "件",
    "(?:同意|予以)公开(?<!": r"(?<![和或及与])(?<![^件]、)(?<!部分)(?<!部份)(?:同意公开|予以公开)(?:答复)?"
    r"(?:及|和|与|或|、|以及)(?:部分|部份)(?:予以|同意)?公开(?:答复|的)?(?:共计|共|有)?" + _N + "件",
    "主动(?<!应主动)": r"(?<!应)主动(?:公开|发布)(?:[^，。；,;:：\d]{0,10}?)政府信息(?:共计|共)?" + _N + "件",
}
SAMPLES = [
    "信息公开复议12件,行政复议3件,行政复议案件4起,涉及复议0件,复议后起诉1件",
    "予以部份公开2件,和部份公开3件,1件、部份公开4件,部份同意公开5件",
    "予以公开及部分公开512件,同意公开和部分公开共21件,和予以公开或部分公开3件,部分予以公开及部分公开4件",
    "1件、予以公开与部份公开6件,部份同意公开以及部分公开7件,予以公开答复、部分公开的8件",
    "主动公开政府信息1325件,应主动公开政府信息3件,主动发布各类政府信息44件,主动公开的文件类政府信息5件",
]


@pytest.mark.parametrize("start", sorted(PLAIN))
def test_round_four_patterns_match_as_their_plain_forms(start):
    from gongkai.spec import facts as fact_specs

    (spec,) = [f for f in fact_specs() if f.pattern.pattern.startswith(start)]
    plain = re.compile(PLAIN[start])
    for sample in SAMPLES:
        assert [m.span() for m in spec.pattern.finditer(sample)] == [m.span() for m in plain.finditer(sample)], sample
