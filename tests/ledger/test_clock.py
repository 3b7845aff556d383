"""Reply clock states, pauses from events, validation and fees."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.ledger.calendar import default_calendar
from gongkai.ledger.clock import reply_clock
from gongkai.ledger.fees import fee_by_piece, fee_by_volume, piece_fee_of, piece_schedule
from gongkai.ledger.model import APPLICANT_TYPES, CASE_KINDS, CASE_OUTCOMES, OUTCOMES, Case, Event, Request, received_on
from gongkai.ledger.validate import validate, validate_case
from gongkai.spec import FORMATS

CAL = default_calendar()
D = date


RECEIVED = D(2024, 1, 31)


def req(*events: Event, received=RECEIVED, fee_method=None, rid="R1") -> Request:
    return Request(rid, "测试局", received, "online", "natural_person", tuple(events), fee_method=fee_method)


def codes(request: Request) -> set[str]:
    return {p.code for p in validate(request, CAL)}


def test_vocabularies_come_from_the_2021_table():
    grid = FORMATS["2021"].requests
    assert tuple(c.key for c in grid.columns)[:6] == APPLICANT_TYPES
    assert tuple(r.key for r in grid.rows if r.outcome) == OUTCOMES
    assert len(OUTCOMES) == 21  # (一) + (二) + 8 of (三) + 3 of (四) + 5 of (五) + 3 of (六)
    assert OUTCOMES[0] == "granted" and OUTCOMES[-1] == "other_other"
    assert CASE_KINDS == ("review", "litigation_direct", "litigation_after_review")
    assert CASE_OUTCOMES == ("maintained", "corrected", "other", "pending")


def test_open_due_soon_overdue():
    r = req()
    assert reply_clock(r, CAL, D(2024, 2, 20)).state == "open"
    soon = reply_clock(r, CAL, D(2024, 2, 28))  # 2/29, 3/1, 3/4 left
    assert soon.state == "due_soon" and soon.remaining == 3
    assert reply_clock(r, CAL, D(2024, 2, 27)).state == "open"  # 4 working days left
    assert reply_clock(r, CAL, D(2024, 3, 4)).state == "due_soon"
    late = reply_clock(r, CAL, D(2024, 3, 6))
    assert late.state == "overdue" and late.remaining == -2 and late.due == D(2024, 3, 4)


def test_closed_on_time_and_late():
    on_time = reply_clock(req(Event("reply", D(2024, 3, 4), outcome="granted")), CAL, D(2024, 5, 1))
    assert on_time.state == "closed" and not on_time.late and not on_time.problems
    late = reply_clock(req(Event("reply", D(2024, 3, 5), outcome="granted")), CAL, D(2024, 5, 1))
    assert late.late and [p.code for p in late.problems] == ["late_reply"]
    withdrawn = reply_clock(req(Event("withdrawn", D(2024, 4, 1))), CAL, D(2024, 5, 1))
    assert withdrawn.state == "closed" and not withdrawn.late and not withdrawn.problems


def test_consultation_pauses_and_open_consultation_state():
    sent = Event("consult_sent", D(2024, 2, 1), party="third_party")
    answered = Event("consult_answered", D(2024, 2, 1), party="third_party")
    clock = reply_clock(req(sent, answered), CAL, D(2024, 2, 2))
    assert clock.due == D(2024, 3, 5)  # one working day paused
    waiting = reply_clock(req(sent), CAL, D(2024, 2, 5))
    assert waiting.state == "paused"
    # no answer: the pause ends after the 15 working days of 第三十二条 (2/2, 2/4调, 2/5-9, 2/18调, 2/19-23, 2/26-27)
    assert waiting.pauses[0].end == D(2024, 2, 27) and waiting.pauses[0].open
    assert waiting.due > clock.due


def test_third_party_answer_after_its_period_does_not_extend_the_pause():
    sent = Event("consult_sent", D(2024, 2, 1), party="third_party")
    answered = Event("consult_answered", D(2024, 4, 1), party="third_party")
    clock = reply_clock(req(sent, answered), CAL, D(2024, 4, 2))
    assert clock.pauses[0].end == D(2024, 2, 27)


def test_correction_states_and_restart():
    asked = Event("correction_requested", D(2024, 2, 2))
    assert reply_clock(req(asked), CAL, D(2024, 2, 20)).state == "awaiting_correction"
    got = Event("correction_received", D(2024, 3, 8))
    clock = reply_clock(req(asked, got, received=D(2024, 3, 1)), CAL, D(2024, 3, 11))
    assert clock.due == D(2024, 4, 8)


def test_fee_notice_pauses_until_payment():
    notice = Event("fee_notice", D(2024, 2, 1), pages=120, amount=Decimal(1100))
    waiting = reply_clock(req(notice, fee_method="volume"), CAL, D(2024, 2, 6))
    assert waiting.state == "awaiting_payment"
    paid = reply_clock(req(notice, Event("fee_paid", D(2024, 2, 2)), fee_method="volume"), CAL, D(2024, 2, 5))
    assert paid.due == D(2024, 3, 6)  # 2/1 and 2/2 not counted
    lapsed = reply_clock(req(notice, fee_method="volume"), CAL, D(2024, 4, 1))
    assert "fee_unpaid" in {p.code for p in lapsed.problems}


def test_extension_adds_twenty_working_days():
    clock = reply_clock(req(Event("extension", D(2024, 3, 1))), CAL, D(2024, 3, 2))
    assert clock.first_due == D(2024, 3, 4) and clock.due == D(2024, 4, 1)


def test_on_the_spot_reply():
    r = req(Event("reply_on_the_spot", D(2024, 1, 31), outcome="granted"))
    clock = reply_clock(r, CAL, D(2024, 2, 1))
    assert clock.state == "closed" and clock.due == D(2024, 1, 31)
    assert not validate(r, CAL)


def test_missing_calendar_is_a_problem_not_a_crash():
    clock = reply_clock(req(received=D(2026, 12, 10)), CAL, D(2026, 12, 11))
    assert clock.due is None and "2027年节假日安排尚未录入" in clock.problems[0].message_zh


@pytest.mark.parametrize(
    ("events", "code", "kw"),
    [
        ((Event("reply", D(2024, 1, 30), outcome="granted"),), "before_receipt", {}),
        ((Event("reply", D(2024, 2, 5), outcome="granted"), Event("extension", D(2024, 2, 6))), "after_closing", {}),
        ((Event("extension", D(2024, 3, 5)),), "extension_after_deadline", {}),
        ((Event("extension", D(2024, 2, 5)), Event("extension", D(2024, 2, 6))), "extension_twice", {}),
        ((Event("reply", D(2024, 2, 5), outcome="approved"),), "outcome_unknown", {}),
        ((Event("reply", D(2024, 2, 5)),), "outcome_unknown", {}),
        ((Event("correction_requested", D(2024, 2, 19)),), "correction_late", {}),  # 7th working day is 2/18
        ((Event("correction_received", D(2024, 2, 5)),), "correction_unrequested", {}),
        ((Event("reply", D(2024, 2, 5), outcome="other_overdue_correction"),), "outcome_inconsistent", {}),
        ((Event("reply", D(2024, 2, 5), outcome="other_overdue_fee"),), "outcome_inconsistent", {}),
        ((Event("fee_notice", D(2024, 2, 5), pages=40),), "two_fee_methods", {"fee_method": "piece"}),
        ((Event("fee_notice", D(2024, 2, 5), pages=40, amount=Decimal(90)),), "fee_amount", {"fee_method": "volume"}),
        ((Event("fee_notice", D(2024, 2, 5)),), "fee_method_missing", {}),
        ((Event("fee_paid", D(2024, 2, 5)),), "fee_unnoticed", {}),
        ((Event("consult_sent", D(2024, 2, 6)), Event("consult_answered", D(2024, 2, 5))), "events_unordered", {}),
        ((Event("reply_on_the_spot", D(2024, 2, 1), outcome="granted"),), "on_the_spot_date", {}),
        (
            (
                Event("fee_notice", D(2024, 2, 1), pages=40, amount=Decimal(100)),
                Event("reply", D(2024, 2, 20), outcome="other_overdue_fee"),
            ),
            "fee_closed_early",
            {"fee_method": "volume"},
        ),
    ],
)
def test_impossible_sequences_are_refused(events, code, kw):
    assert code in codes(req(*events, **kw))


def test_consistent_requests_pass():
    ok = [
        req(Event("reply", D(2024, 3, 4), outcome="granted")),
        req(
            Event("correction_requested", D(2024, 2, 2)),
            Event("reply", D(2024, 3, 1), outcome="other_overdue_correction"),
        ),
        req(
            Event("correction_requested", D(2024, 2, 2)),
            Event("correction_received", D(2024, 2, 6)),
            Event("reply", D(2024, 3, 1), outcome="unavailable_unclear_after_correction"),
        ),
        req(
            Event("fee_notice", D(2024, 2, 1), pages=120, amount=Decimal(1100)),
            Event("fee_paid", D(2024, 2, 2)),
            Event("reply", D(2024, 3, 1), outcome="granted"),
            fee_method="volume",
        ),
        # the 20-working-day payment period of a notice on 2/1 ends on 3/5
        req(
            Event("fee_notice", D(2024, 2, 1), pages=40, amount=Decimal(100)),
            Event("reply", D(2024, 3, 6), outcome="other_overdue_fee"),
            fee_method="volume",
        ),
        req(Event("withdrawn", D(2024, 2, 1))),
    ]
    for r in ok:
        assert validate(r, CAL) == [], r
    assert ok[-1].outcome == "other_other"


def test_case_validation():
    assert validate_case(Case("C1", "a", "review", D(2024, 1, 1), "maintained", D(2024, 3, 1))) == []
    assert {p.code for p in validate_case(Case("C2", "a", "appeal", D(2024, 1, 1), "won"))} == {
        "case_kind_unknown",
        "case_outcome_unknown",
    }
    assert validate_case(Case("C3", "a", "review", D(2024, 1, 1), "corrected"))[0].code == "case_closed_missing"


@pytest.mark.parametrize(
    ("n", "amount"),
    [(0, 0), (10, 0), (11, 100), (30, 2000), (31, 2200), (40, 4000), (41, 4300), (50, 7000), (51, 7400)],
)
def test_fee_by_piece(n, amount):
    # hand computed: 11-30 at 100, 31-40 at 200, 41-50 at 300, 51-60 at 400 (109号: +100元/件 per 10-piece band)
    assert fee_by_piece(n).amount == amount


@pytest.mark.parametrize(
    ("pages", "amount"), [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (300, 6700)]
)
def test_fee_by_volume(pages, amount):
    # hand computed: 31-100 at 10, 101-200 at 20, above 200 at 40, 超额累进
    assert fee_by_volume(pages).amount == amount


def test_piece_fee_of_the_nth_request():
    assert [piece_fee_of(k) for k in (10, 11, 30, 31, 41)] == [0, 100, 100, 200, 300]
    assert "合计" in fee_by_volume(150).explain()
    with pytest.raises(ValueError):
        fee_by_volume(-1)


def test_piece_schedule_per_applicant_per_natural_month():
    def one(i, day, who):
        return Request(f"p{i}", "局", day, "online", "natural_person", id_number=who)

    ledger = [one(i, D(2024, 3, 1 + i % 28), "A") for i in range(12)]  # 12 in March from A
    ledger += [one(100, D(2024, 4, 1), "A"), one(101, D(2024, 3, 31), "B")]
    schedule = piece_schedule(ledger)
    march = sorted((schedule[r.id] for r in ledger[:12]), key=lambda x: x[0])
    assert [fee for _, fee in march] == [0] * 10 + [100, 100]
    assert schedule["p100"] == (1, 0)  # a new natural month starts again
    assert schedule["p101"] == (1, 0)  # another applicant


def test_received_date_by_channel():
    sent, signed, confirmed = D(2024, 3, 1), D(2024, 3, 4), D(2024, 3, 5)
    assert received_on("in_person", submitted=sent) == sent
    assert received_on("post", submitted=sent, signed=signed) == signed
    assert received_on("online", submitted=sent, confirmed=confirmed) == confirmed
    assert received_on("fax", confirmed=confirmed) == confirmed
    with pytest.raises(ValueError, match="签收"):
        received_on("post", submitted=sent)
    with pytest.raises(ValueError):
        received_on("pigeon", submitted=sent)
