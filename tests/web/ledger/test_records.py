"""Requests and events through the web layer: the core computes, the rows keep the due date, every change is
versioned, and impossible sequences are refused with the core's Chinese message."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.ledger.calendar import default_calendar
from gongkai.ledger.clock import reply_clock
from gongkai.web.center.services.refusal import Refused
from gongkai.web.ledger.services import records


def test_due_date_moves_with_a_correction_and_the_request_closes(make_request, clerk):
    req = make_request(received="2025-06-03")
    cal = default_calendar()
    assert req.due == cal.add_workdays(date(2025, 6, 3), 20)  # 20 working days, receipt day not counted
    assert req.phase == "running" and req.version == 1

    records.add_event(req, {"kind": "correction_requested", "on": "2025-06-05"}, clerk)
    req.refresh_from_db()
    assert (req.phase, req.due) == ("awaiting_correction", None)

    records.add_event(req, {"kind": "correction_received", "on": "2025-06-12"}, clerk)
    req.refresh_from_db()
    assert req.due == cal.add_workdays(date(2025, 6, 12), 20)  # counted again from the corrected application

    records.add_event(req, {"kind": "reply", "on": "2025-07-01", "outcome": "granted"}, clerk)
    req.refresh_from_db()
    assert (req.phase, req.outcome, req.closed_on) == ("closed", "granted", date(2025, 7, 1))
    versions = list(req.versions.order_by("version"))
    assert [v.version for v in versions] == [1, 2, 3, 4] and req.version == 4
    assert versions[-1].user.username == "clerk"
    assert versions[-1].before["events"][-1]["kind"] == "correction_received"
    last = versions[-1].after["events"][-1]
    assert (last["kind"], last["on"], last["outcome"], last["amount"]) == ("reply", "2025-07-01", "granted", None)


@pytest.mark.parametrize(
    ("events", "fields", "words"),
    [
        ([{"kind": "reply", "on": "2025-05-30", "outcome": "granted"}], {}, "早于收到申请之日"),
        ([{"kind": "extension", "on": "2025-08-20"}], {}, "延期"),
        ([{"kind": "fee_notice", "on": "2025-06-10", "pages": 120}], {"fee_method": "piece"}, "同时按件和按量"),
        ([{"kind": "reply", "on": "2025-06-10"}], {}, "须写明办理结果"),
    ],
)  # fmt: skip
def test_impossible_sequences_are_refused(make_request, clerk, events, fields, words):
    req = make_request(received="2025-06-03", **fields)
    with pytest.raises(Refused) as refused:
        for event in events:
            records.add_event(req, event, clerk)
    assert words in refused.value.message
    req.refresh_from_db()
    assert req.events.count() == 0 and req.version == 1  # nothing stored, nothing versioned


def test_an_event_after_closing_is_refused(make_request, clerk):
    req = make_request(events=[{"kind": "reply", "on": "2025-06-10", "outcome": "granted"}])
    with pytest.raises(Refused, match="办结"):
        records.add_event(req, {"kind": "extension", "on": "2025-06-11"}, clerk)


def test_deleting_an_event_recomputes_and_is_versioned(make_request, clerk):
    req = make_request(events=[{"kind": "extension", "on": "2025-06-20"}])
    extended = req.due
    event = req.events.get()
    records.delete_event(req, event.pk, clerk)
    req.refresh_from_db()
    assert req.due < extended and req.version == 3
    assert req.versions.get(version=3).action == "delete_event"


def test_stored_state_columns_agree_with_the_core_clock_on_every_day(make_request, clerk):
    """The list's SQL state (phase, pause_end, due against a day) equals the core's state for that day."""
    from gongkai.web.ledger.models import Request
    from gongkai.web.ledger.services.queries import soon_limit, state_of, state_q

    make_request(received="2025-05-06")
    make_request(received="2025-05-19")
    make_request(received="2025-06-03", events=[{"kind": "correction_requested", "on": "2025-06-04"}])
    make_request(received="2025-06-03", events=[{"kind": "consult_sent", "on": "2025-06-05", "party": "third_party"}])
    make_request(received="2025-06-02", fee_method="volume",
                 events=[{"kind": "fee_notice", "on": "2025-06-06", "pages": 50, "amount": "200"}])  # fmt: skip
    make_request(received="2025-05-20", events=[{"kind": "reply", "on": "2025-06-03", "outcome": "partially_granted"}])
    make_request(received="2025-05-19", events=[{"kind": "extension", "on": "2025-06-10"}])
    cal = default_calendar()
    states_seen = set()
    for day in (date(2025, 6, 9), date(2025, 6, 16), date(2025, 6, 30), date(2025, 7, 8), date(2025, 8, 1)):
        soon = soon_limit(day)
        for row in Request.objects.all():
            expected = reply_clock(records.core_request(row), cal, day).state
            assert state_of(row, day, soon) == expected, (row.number, day)
            assert Request.objects.filter(state_q(expected, day, soon), pk=row.pk).exists(), (row.number, day)
            states_seen.add(expected)
    assert {"open", "due_soon", "overdue", "paused", "awaiting_correction", "awaiting_payment", "closed"} <= states_seen


def test_fields_are_checked_and_numbers_unique(make_request, agency, clerk):
    req = make_request(number="A-1")
    with pytest.raises(Refused, match="已被本机关"):
        make_request(number="A-1")
    with pytest.raises(Refused, match="不在可选范围"):
        records.update_request(req, {"channel": "pigeon"}, clerk)
    with pytest.raises(Refused, match="有效日期"):
        records.update_request(req, {"received": "2025-13-01"}, clerk)
    records.update_request(req, {"contact": "010-12345678"}, clerk)
    req.refresh_from_db()
    last = req.versions.order_by("-version").first()
    assert (last.before["contact"], last.after["contact"]) == ("13812345678", "010-12345678")
    assert "联系方式" in last.summary
