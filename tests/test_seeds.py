"""Every cell of every bundled real report, as a careful reader writes it down.

The expected tables below were transcribed by hand from corpus/seeds/*.txt, not
produced by the parser.  Where a report's own arithmetic is wrong, the expected
values are what is printed and the expected findings say so.
"""

from decimal import Decimal

import pytest

from gongkai.parse import parse_file
from tests.conftest import seed_path

Z = [0, 0, 0, 0, 0, 0, 0]

REQUEST_ROWS = [
    "new_received", "carried_over", "granted", "partially_granted", "withheld_state_secret", "withheld_law_forbids",
    "withheld_three_safety", "withheld_third_party", "withheld_internal_affairs", "withheld_process_info",
    "withheld_enforcement_file", "withheld_admin_query", "unavailable_not_held", "unavailable_needs_creation",
    "unavailable_unclear_after_correction", "not_processed_complaint", "not_processed_duplicate",
    "not_processed_publication", "not_processed_excessive", "not_processed_confirm_existing",
    "other_overdue_correction", "other_overdue_fee", "other_other", "total", "carried_forward",
]  # fmt: skip


def requests(**rows):
    return {key: rows.get(key, Z) for key in REQUEST_ROWS}


EXPECTED = {
    "000": {
        "format": "2021",
        "active": {
            "rules": {"issued": 2, "repealed": 14, "in_force": 61},
            "normative_documents": {"issued": 56, "repealed": 21, "in_force": 94},
            "licensing": {"decisions": 914390},
            "punishment": {"decisions": 51476},
            "enforcement": {"decisions": 10041},
            "fees": {"amount_wan_yuan": 243108},
        },
        "requests": requests(
            new_received=[1861, 177, 5, 5, 13, 22, 2083],
            carried_over=[23, 0, 0, 0, 0, 0, 23],
            granted=[1084, 155, 3, 5, 5, 21, 1273],
            partially_granted=[126, 1, 0, 0, 2, 1, 130],
            withheld_state_secret=[1, 0, 0, 0, 0, 0, 1],
            withheld_law_forbids=[1, 0, 0, 0, 0, 0, 1],
            withheld_third_party=[5, 0, 0, 0, 0, 0, 5],
            withheld_internal_affairs=[13, 0, 0, 0, 0, 0, 13],
            withheld_process_info=[1, 0, 0, 0, 0, 0, 1],
            withheld_enforcement_file=[2, 0, 0, 0, 0, 0, 2],
            withheld_admin_query=[5, 2, 0, 0, 0, 0, 7],
            unavailable_not_held=[509, 10, 2, 0, 6, 0, 527],
            unavailable_needs_creation=[20, 1, 0, 0, 0, 0, 21],
            unavailable_unclear_after_correction=[3, 0, 0, 0, 0, 0, 3],
            not_processed_complaint=[11, 3, 0, 0, 0, 0, 14],
            not_processed_duplicate=[7, 0, 0, 0, 0, 0, 7],
            not_processed_confirm_existing=[3, 2, 0, 0, 0, 0, 5],
            other_overdue_correction=[8, 0, 0, 0, 0, 0, 8],
            other_other=[70, 0, 0, 0, 0, 0, 70],
            total=[1869, 174, 5, 5, 13, 22, 2088],
            carried_forward=[17, 1, 0, 0, 0, 0, 18],
        ),
        "review_litigation": {
            "review": [69, 22, 15, 10, 116],
            "litigation_direct": [34, 40, 7, 17, 98],
            "litigation_after_review": [18, 4, 3, 8, 33],
        },
    },
    "001": {
        "format": "2021",
        "active": {
            "rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_documents": {"issued": 0, "repealed": 0, "in_force": 0},
            "licensing": {"decisions": 0},
            "punishment": {"decisions": 0},
            "enforcement": {"decisions": 0},
            "fees": {"amount_wan_yuan": 0},
        },
        "requests": requests(),
        "review_litigation": {"review": Z[:5], "litigation_direct": Z[:5], "litigation_after_review": Z[:5]},
    },
    "002": {
        "format": "2019",
        "active": {
            "rules": {"new_made": 2, "new_published": 2, "total_published": 3},
            "normative_documents": {"new_made": 1166, "new_published": 829, "total_published": 3663},
            "licensing": {"prev_items": 14519, "delta": 5193, "decisions": 128651},
            "other_services": {"prev_items": 1024, "delta": 92, "decisions": 40809},
            "punishment": {"prev_items": 9891, "delta": 931, "decisions": 526252},
            "enforcement": {"prev_items": 630, "delta": 86, "decisions": 13573},
            "fees": {"prev_items": 875, "delta": 144},
            "procurement": {"projects": 6191, "amount_wan_yuan": Decimal("92042.4403")},
        },
        "requests": requests(
            new_received=[199, 9, 0, 0, 61, 1, 270],
            granted=[89, 1, 0, 0, 61, 1, 152],
            partially_granted=[20, 3, 0, 0, 0, 0, 23],
            withheld_state_secret=[1, 0, 0, 0, 0, 0, 1],
            withheld_third_party=[1, 0, 0, 0, 0, 0, 1],
            unavailable_not_held=[77, 5, 0, 0, 0, 0, 82],
            other_overdue_correction=None,
            other_overdue_fee=None,
            other_other=[11, 0, 0, 0, 0, 0, 11],
            total=[199, 9, 0, 0, 61, 1, 270],
        ),
        "review_litigation": {
            "review": [1, 2, 0, 1, 4],
            "litigation_direct": [1, 1, 0, 0, 2],
            "litigation_after_review": [0, 0, 0, 0, 0],
        },
    },
    "004": {
        "format": "2019",
        "active": {
            "rules": {"new_made": 1, "new_published": 1, "total_published": 1},
            "normative_documents": {"new_made": 14, "new_published": 338, "total_published": 606},
            "licensing": {"prev_items": 209, "delta": 12, "decisions": 512366},
            "other_services": {"prev_items": 257, "delta": -13, "decisions": 5031},
            "punishment": {"prev_items": 4848, "delta": 821, "decisions": 69775},
            "enforcement": {"prev_items": 177, "delta": 8, "decisions": 4660},
            "fees": {"prev_items": 17, "delta": 7},
            # 31.17亿元 printed in the cell = 311700 万元
            "procurement": {"projects": 1796, "amount_wan_yuan": 311700},
        },
        "requests": requests(
            new_received=[193, 19, 0, 0, 0, 12, 224],
            carried_over=[1, 0, 0, 0, 0, 0, 1],  # 其他 is a blank cell, read as 0
            granted=[50, 4, 0, 0, 0, 1, 55],
            partially_granted=[94, 1, 0, 0, 0, 1, 96],
            withheld_state_secret=[1, 0, 0, 0, 0, 1, 2],
            withheld_internal_affairs=[2, 3, 0, 0, 0, 0, 5],
            withheld_process_info=[0, 3, 0, 0, 0, 0, 3],
            unavailable_not_held=[30, 3, 0, 0, 0, 7, 40],
            unavailable_needs_creation=[3, 3, 0, 0, 0, 0, 6],
            unavailable_unclear_after_correction=[1, 0, 0, 0, 0, 2, 3],
            other_overdue_correction=None,
            other_overdue_fee=None,
            other_other=[11, 2, 0, 0, 0, 0, 13],
            total=[192, 19, 0, 0, 0, 12, 223],
            carried_forward=[2, 0, 0, 0, 0, 0, 2],
        ),
        "review_litigation": {
            "review": [8, 0, 1, 3, 12],
            "litigation_direct": [0, 0, 0, 0, 0],
            "litigation_after_review": [3, 0, 1, 0, 4],
        },
    },
}


def _same(got, want) -> bool:
    if isinstance(want, Decimal) or isinstance(got, float):
        return Decimal(str(got)) == Decimal(str(want))
    return got == want and type(got) is type(want)


@pytest.fixture(scope="module")
def parsed():
    return {prefix: parse_file(seed_path(prefix)) for prefix in ("000", "001", "002", "003", "004")}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_every_cell(parsed, prefix):
    report = parsed[prefix].to_json()
    want = EXPECTED[prefix]
    assert report["format"] == want["format"]
    assert set(report["active"]) == set(want["active"])
    for row, fields in want["active"].items():
        assert set(report["active"][row]) == set(fields), row
        for field, value in fields.items():
            assert _same(report["active"][row][field], value), (row, field, report["active"][row][field], value)
    assert report["requests"] == want["requests"]
    assert report["review_litigation"] == want["review_litigation"]
    # Every cell has a value and evidence that points at exactly the printed text.
    text = seed_path(prefix).read_text(encoding="utf-8")
    for cell in report["cells"]:
        assert cell["kind"] != "missing", cell
        ev = cell["evidence"]
        if cell["kind"] == "empty":  # the blank stretch between two cell separators
            assert text[ev["start"] : ev["end"]].strip() == "", cell
            assert text[ev["start"] - 1] in "|\t" and text[ev["end"]] in "|\t", cell
        else:
            assert text[ev["start"] : ev["end"]] == cell["raw"], cell
        assert ev["line"] == text.count("\n", 0, ev["start"]) + 1


def _errors(report):
    return [f for f in report.findings if f.severity == "error"]


def test_000_has_exactly_its_two_balance_errors(parsed):
    errors = _errors(parsed["000"])
    assert [(f.rule, f.expected, f.found) for f in errors] == [
        ("requests.balance", 1884, 1886),
        ("requests.balance", 177, 175),
    ]
    assert "requests.new_received.natural_person" in errors[0].cells
    assert "requests.carried_forward.commercial" in errors[1].cells
    assert "自然人" in errors[0].message and "1884" in errors[0].message and "1886" in errors[0].message
    assert [f.rule for f in parsed["000"].findings if f.severity == "warning"] == ["tamper.spam"]


def test_000_label_variants_are_noted(parsed):
    notes = {f.found for f in parsed["000"].findings if f.rule == "labels.nonstandard"}
    assert notes == {"规范性文件", "(一)予已公开"}


@pytest.mark.parametrize(
    ("prefix", "spans"),
    [
        ("000", ["天天棋牌"]),
        ("001", []),
        ("002", []),
        ("003", []),
        ("004", ["188比分直播:", "188比分直播:", "雷速体育:", "雷速体育:"]),
    ],
)
def test_injected_spam_is_flagged_with_exact_spans(parsed, prefix, spans):
    text = seed_path(prefix).read_text(encoding="utf-8")
    found = [f for f in parsed[prefix].findings if f.rule == "tamper.spam"]
    assert [text[f.span[0] : f.span[1]] for f in found] == spans
    assert all(f.severity == "warning" for f in found)


def test_spam_does_not_break_prose_facts(parsed):
    # "发布天天棋牌现行有效规章61件": the fact is read through the injected words.
    facts = {f.key: (f.value, f.quote) for f in parsed["000"].facts}
    assert facts["rules_in_force"][0] == 61
    assert "棋牌" not in facts["rules_in_force"][1]


def test_004_prose_disagrees_with_total(parsed):
    report = parsed["004"]
    assert not _errors(report)
    mismatches = [f for f in report.findings if f.rule == "prose.table_mismatch"]
    assert len(mismatches) == 1
    finding = mismatches[0]
    assert (finding.found, finding.expected) == (222, 223)
    assert finding.cells == ["requests.total.total"]
    text = seed_path("004").read_text(encoding="utf-8")
    assert text[finding.span[0] : finding.span[1]] == "已答复222件"


def test_004_blank_cell_is_remembered(parsed):
    cell = parsed["004"].cells["requests.carried_over.other_org"]
    assert (cell.value, cell.kind, cell.raw) == (0, "empty", "")
    blank = [f for f in parsed["004"].findings if f.rule == "cells.blank"]
    assert [(f.cells, f.message) for f in blank] == [
        ([cell.path], "表三（依申请公开）有1个单元格为空白，均按0计（如“二、上年结转政府信息公开申请数量 / 其他”）。")
    ]


def test_004_money_and_deltas(parsed):
    cells = parsed["004"].cells
    amount = cells["active.procurement.amount_wan_yuan"]
    assert (amount.raw, amount.value, amount.unit) == ("31.17亿元", 311700, "亿元")
    assert cells["active.other_services.delta"].raw == "减13"
    assert cells["active.other_services.delta"].kind == "delta"


def test_002_prose_received_count_disagrees(parsed):
    report = parsed["002"]
    assert not _errors(report)
    warnings = [(f.rule, f.found, f.expected) for f in report.findings if f.severity == "warning"]
    assert warnings == [("prose.table_mismatch", 199, 270)]


def test_001_is_clean(parsed):
    assert [f for f in parsed["001"].findings if f.severity in ("error", "warning")] == []


def test_003_is_a_prose_report(parsed):
    report = parsed["003"]
    data = report.to_json()
    assert data["format"] == "pre2019"
    assert data["active"] == {} and data["requests"] == {} and data["review_litigation"] == {}
    assert data["cells"] == []
    facts = {(f["key"], f["value"]) for f in data["narrative_facts"]}
    assert {("requests_received", 162), ("review_cases", 4), ("litigation_cases", 4)} <= facts
    assert not [f for f in report.findings if f.severity in ("error", "warning")]


@pytest.mark.parametrize(
    ("prefix", "agency", "level", "year", "published"),
    [
        ("000", "石家庄市人民政府", "city", 2021, None),
        ("001", "曲阳街道", "township", 2021, None),
        ("002", "濮阳市人民政府", "city", 2019, None),
        ("003", "秦皇岛市", "city", 2016, "2017-02-22"),
        ("004", "呼伦贝尔市人民政府", "city", 2020, None),
    ],
)
def test_metadata(parsed, prefix, agency, level, year, published):
    meta = parsed[prefix].meta
    assert meta["agency"]["name"] == agency
    assert meta["agency"]["level"] == level
    assert meta["year"]["value"] == year
    assert meta["published"] == published


def test_003_page_metadata(parsed):
    meta = parsed["003"].meta
    assert meta["publisher"] == "市政府办公厅"
    assert meta["index_no"] == "58/2017-092426"


def test_sections_found(parsed):
    for prefix in ("000", "001", "002", "004"):
        assert set(parsed[prefix].sections) == {
            "overview", "active", "requests", "review_litigation", "problems", "other_matters",
        }, prefix  # fmt: skip
