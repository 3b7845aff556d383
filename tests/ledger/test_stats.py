"""Year-end 表三/表四: hand-counted cells, drill-down, the checker, comparison, and properties."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.checking.checks import run_checks
from gongkai.ledger.calendar import default_calendar
from gongkai.ledger.model import APPLICANT_TYPES, CASE_KINDS, CASE_OUTCOMES, OUTCOMES, Case, Event, Request
from gongkai.ledger.stats import (
    REQUEST_COLUMN_KEYS,
    REQUEST_ROW_KEYS,
    compare_with_published,
    year_statistics,
)
from gongkai.ledger.synth import generate_cases, generate_ledger

D = date


def r(rid, received, applicant="natural_person", closed=None, outcome="granted", agency="甲局"):
    events = (Event("reply", closed, outcome=outcome),) if closed else ()
    return Request(rid, agency, received, "online", applicant, events)


LEDGER = [
    r("a", D(2023, 12, 20), closed=D(2024, 1, 10)),  # carried over, closed in 2024 → 二 and 三
    r("b", D(2023, 12, 28)),  # carried over and still open → 二 and 四
    r("c", D(2023, 11, 1), closed=D(2023, 11, 20)),  # finished in 2023: not in 2024 at all
    r("d", D(2024, 3, 1), "commercial", D(2024, 3, 20), "partially_granted"),
    r("e", D(2024, 12, 30), "legal_service"),  # open at year end → 四
    r("f", D(2024, 12, 10), "legal_service", D(2025, 1, 5)),  # closed next year → 四
    r("g", D(2025, 1, 2)),  # next year
    r("h", D(2024, 5, 6), "other_org", D(2024, 5, 6), "other_other"),
    r("x", D(2024, 5, 6), closed=D(2024, 5, 7), agency="乙局"),
]
CASES = [
    Case("k1", "甲局", "review", D(2024, 2, 1), "maintained", D(2024, 4, 1), "a"),
    Case("k2", "甲局", "review", D(2024, 11, 1), "corrected", D(2025, 2, 1)),  # concluded next year → 尚未审结
    Case("k3", "甲局", "litigation_after_review", D(2024, 6, 1)),
    Case("k4", "甲局", "litigation_direct", D(2023, 6, 1), "other", D(2024, 1, 3)),  # filed last year
]


def test_hand_counted_cells_and_drill():
    s = year_statistics(LEDGER, CASES, 2024, agency="甲局")
    assert s.requests["new_received"] == [0, 1, 0, 0, 2, 1, 4]
    assert s.requests["carried_over"] == [2, 0, 0, 0, 0, 0, 2]
    assert s.requests["granted"] == [1, 0, 0, 0, 0, 0, 1]
    assert s.requests["partially_granted"] == [0, 1, 0, 0, 0, 0, 1]
    assert s.requests["other_other"] == [0, 0, 0, 0, 0, 1, 1]
    assert s.requests["total"] == [1, 1, 0, 0, 0, 1, 3]
    assert s.requests["carried_forward"] == [1, 0, 0, 0, 2, 0, 3]
    assert s.drill["requests.carried_forward.legal_service"] == ["e", "f"]
    assert s.drill["requests.carried_over.total"] == ["a", "b"]
    assert s.review_litigation["review"] == [1, 0, 0, 1, 2]
    assert s.review_litigation["litigation_after_review"] == [0, 0, 0, 1, 1]
    assert s.review_litigation["litigation_direct"] == [0, 0, 0, 0, 0]
    assert s.drill["review_litigation.review.pending"] == ["k2"]
    assert s.check() == []


def test_json_shape_is_report_v1():
    s = year_statistics(LEDGER, CASES, 2024, agency="甲局")
    report = s.to_report()
    doc = report.to_json()
    assert doc["requests"] == s.requests
    assert doc["review_litigation"] == s.review_litigation
    assert list(doc["requests"]) == list(REQUEST_ROW_KEYS)
    assert all(len(v) == len(REQUEST_COLUMN_KEYS) for v in doc["requests"].values())


def test_checker_catches_a_broken_table():
    s = year_statistics(LEDGER, CASES, 2024, agency="甲局")
    s.requests["granted"][0] += 1  # tamper: the outcome rows no longer add up to （七）, nor the row to its total
    assert {f.rule for f in s.check()} == {"requests.outcomes_total", "requests.applicant_total"}
    s = year_statistics(LEDGER, CASES, 2024, agency="甲局")
    s.requests["carried_forward"][4] -= 1  # tamper: 一＋二 ≠ 三（七）＋四 in that column
    assert "requests.balance" in {f.rule for f in s.check()}


def test_compare_with_published_lists_differences_with_requests():
    s = year_statistics(LEDGER, CASES, 2024, agency="甲局")
    published = s.to_report()
    assert compare_with_published(s, published) == []
    published.cells["requests.carried_forward.legal_service"].value = 1
    published.cells["requests.carried_forward.total"].value = 2
    diffs = compare_with_published(s, published)
    assert [d.path for d in diffs] == ["requests.carried_forward.legal_service", "requests.carried_forward.total"]
    assert diffs[0].ids == ("e", "f") and diffs[0].delta == 1
    assert "相差 +1" in diffs[0].message_zh()


def test_compare_with_a_parsed_published_report():
    """A published report as gongkai reads it: render the ledger's tables as text, parse them back."""
    from gongkai.parse import parse_text

    s = year_statistics(LEDGER, CASES, 2024, agency="甲局")
    report = parse_text(_report_text(s, bump=("granted", 0)))
    assert report.format.id == "2021"
    diffs = compare_with_published(s, report)
    assert {d.path for d in diffs} == {"requests.granted.natural_person"}


def _report_text(s, bump=None) -> str:
    """The ledger's tables as a published text report, optionally with one cell off by one."""
    if bump:
        s = copy.deepcopy(s)
        s.requests[bump[0]][bump[1]] += 1
    return s.to_text()


def test_text_report_passes_gongkai_check(tmp_path):
    from typer.testing import CliRunner

    from gongkai.cli import app

    s = year_statistics(generate_ledger(300, 2024, seed=11), [], 2024)
    path = tmp_path / "ledger_2024.txt"
    path.write_text(s.to_text(), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "--json"])
    doc = json.loads(result.output)
    assert doc["requests"] == s.requests and doc["review_litigation"] == s.review_litigation
    # the text has no 表二 (the ledger has no active-disclosure data): only findings on 表三/表四 matter
    on_tables = [
        f for f in doc["findings"] if any(c.startswith(("requests.", "review_litigation.")) for c in f["cells"])
    ]
    assert on_tables == []
    path.write_text(_report_text(s, bump=("granted", 0)), encoding="utf-8")
    bad = json.loads(CliRunner().invoke(app, ["check", str(path), "--json"]).output)
    assert {"requests.outcomes_total", "requests.applicant_total"} <= {f["rule"] for f in bad["findings"]}


# -- properties --------------------------------------------------------------
START = D(2022, 1, 1)

requests_strategy = st.lists(
    st.tuples(
        st.integers(0, 365 * 3),  # received, days after START
        st.sampled_from(APPLICANT_TYPES),
        st.one_of(st.none(), st.integers(0, 400)),  # closed, days after receipt (None = still open)
        st.sampled_from(OUTCOMES),
        st.booleans(),  # withdrawn instead of replied
    ),
    max_size=80,
)
cases_strategy = st.lists(
    st.tuples(
        st.integers(0, 365 * 3),
        st.sampled_from(CASE_KINDS),
        st.sampled_from(CASE_OUTCOMES),
        st.integers(0, 400),
    ),
    max_size=20,
)


def _build(raw_requests, raw_cases):
    requests = []
    for i, (offset, applicant, closed, outcome, withdrawn) in enumerate(raw_requests):
        received = START + timedelta(days=offset)
        events = ()
        if closed is not None:
            on = received + timedelta(days=closed)
            events = (Event("withdrawn", on),) if withdrawn else (Event("reply", on, outcome=outcome),)
        requests.append(Request(f"r{i}", "甲局", received, "online", applicant, events))
    cases = []
    for i, (offset, kind, outcome, days) in enumerate(raw_cases):
        filed = START + timedelta(days=offset)
        closed = None if outcome == "pending" else filed + timedelta(days=days)
        cases.append(Case(f"c{i}", "甲局", kind, filed, outcome, closed))
    return requests, cases


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests_strategy, cases_strategy)
def test_statistics_always_satisfy_every_identity_and_carry_over(raw_requests, raw_cases):
    requests, cases = _build(raw_requests, raw_cases)
    previous = None
    for year in (2022, 2023, 2024, 2025):
        s = year_statistics(requests, cases, year)
        findings = run_checks(s.to_report())
        assert [f for f in findings if f.severity == "error"] == []
        assert s.check() == []
        # drill-down: every cell lists exactly its count of distinct requests
        for path in s.paths():
            assert len(s.drill[path]) == s.value(path) == len(set(s.drill[path]))
        if previous is not None:
            assert s.requests["carried_over"] == previous.requests["carried_forward"]
            assert s.drill["requests.carried_over.total"] == previous.drill["requests.carried_forward.total"]
        previous = s


def test_generated_ledger_is_valid_and_balances():
    from gongkai.ledger.validate import validate

    cal = default_calendar()
    requests = generate_ledger(600, 2024, seed=7)
    assert all(validate(r, cal) == [] for r in requests)
    cases = generate_cases(requests, share=0.1, seed=7)
    s2024 = year_statistics(requests, cases, 2024)
    s2025 = year_statistics(requests, cases, 2025)
    assert s2024.check() == [] and s2025.check() == []
    assert s2025.requests["carried_over"] == s2024.requests["carried_forward"]
    assert s2024.requests["new_received"][-1] > 400
    assert sum(s2024.review_litigation["review"]) > 0


def test_compare_with_a_2019_format_report_merges_row_six():
    from gongkai.spec import FORMATS

    ledger = [*LEDGER, r("i", D(2024, 6, 3), closed=D(2024, 6, 20), outcome="other_overdue_fee")]
    s = year_statistics(ledger, CASES, 2024, agency="甲局")
    report = s.to_report()
    report.format = FORMATS["2019"]
    merged = ("other_overdue_correction", "other_overdue_fee", "other_other")
    for col in ("natural_person", "total"):
        report.cells[f"requests.other_other.{col}"].value = sum(s.value(f"requests.{m}.{col}") for m in merged)
    for m in merged[:2]:
        for path in [p for p in report.cells if p.startswith(f"requests.{m}.")]:
            del report.cells[path]
    assert compare_with_published(s, report) == []


def test_records_that_cannot_be_counted_are_listed():
    bad = [r("z1", D(2024, 3, 1), applicant="alien"), r("z2", D(2024, 3, 5), closed=D(2024, 3, 1))]
    s = year_statistics(bad, [Case("zc", "甲局", "appeal", D(2024, 1, 1))], 2024)
    assert set(s.excluded) == {"z1", "z2", "zc"}
    assert s.requests["new_received"][-1] == 0 and s.check() == []
