"""Generated ledgers for benchmarks, demos and tests: plausible, valid, deterministic by seed.

Each request follows one of the usual paths (reply in time, 补正, 逾期不补正, 征求意见,
收费 paid or lapsed, 延期, 撤回, still open at `as_of`) with dates from the official
calendar, so `validate` accepts every generated request.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from gongkai.ledger.calendar import WorkCalendar, default_calendar
from gongkai.ledger.clock import PERIODS
from gongkai.ledger.fees import fee_by_volume
from gongkai.ledger.model import APPLICANT_TYPES, CASE_KINDS, CHANNELS, OUTCOMES, Case, Event, Request

_APPLICANT_WEIGHTS = (70, 12, 2, 2, 6, 8)
_REPLY_OUTCOMES = tuple(
    o for o in OUTCOMES if not o.startswith("other_overdue") and o != "unavailable_unclear_after_correction"
)
_OUTCOME_WEIGHTS = tuple(
    30 if o == "granted" else 10 if o.startswith("unavailable_not") else 3 for o in _REPLY_OUTCOMES
)
_PATHS = ("plain", "correction", "correction_lapsed", "consult", "fee", "fee_lapsed", "extension", "withdrawn")
_PATH_WEIGHTS = (60, 8, 4, 6, 3, 2, 5, 4)


def _request(rng: random.Random, cal: WorkCalendar, rid: str, agency: str, received: date, as_of: date) -> Request:
    path = rng.choices(_PATHS, _PATH_WEIGHTS)[0]
    events: list[Event] = []
    fee_method = None
    start = received
    close_kind, outcome = "reply", rng.choices(_REPLY_OUTCOMES, _OUTCOME_WEIGHTS)[0]
    budget = PERIODS["reply"]
    if path in ("correction", "correction_lapsed"):
        asked = cal.add_workdays(received, rng.randint(1, PERIODS["correction_notice"]))
        events.append(Event("correction_requested", asked))
        if path == "correction":
            start = asked + timedelta(days=rng.randint(1, 20))
            events.append(Event("correction_received", start))
            if rng.random() < 0.2:
                outcome = "unavailable_unclear_after_correction"
        else:
            outcome = "other_overdue_correction"
            start = asked + timedelta(days=rng.randint(16, 40))
            events.append(Event("reply", start, outcome=outcome))
            return _finish(rid, agency, received, events, fee_method, rng, as_of)
    elif path == "consult":
        sent = cal.add_workdays(received, rng.randint(1, 8))
        party = rng.choice(("third_party", "agency"))
        events.append(Event("consult_sent", sent, party=party))
        answered = cal.add_workdays(sent, rng.randint(1, PERIODS["consult_third_party"]))
        events.append(Event("consult_answered", answered, party=party))
        budget += cal.workdays_between(sent, answered) + 1
    elif path in ("fee", "fee_lapsed"):
        fee_method = "volume"
        pages = rng.randint(31, 400)
        notice = cal.add_workdays(received, rng.randint(1, 8))
        events.append(Event("fee_notice", notice, pages=pages, amount=fee_by_volume(pages).amount))
        if path == "fee":
            paid = cal.add_workdays(notice, rng.randint(1, PERIODS["payment"]))
            events.append(Event("fee_paid", paid, amount=fee_by_volume(pages).amount))
            budget += cal.workdays_between(notice, paid) + 1
        else:
            outcome = "other_overdue_fee"
            lapsed = cal.add_workdays(notice, PERIODS["payment"] + rng.randint(1, 5))
            events.append(Event("reply", lapsed, outcome=outcome))
            return _finish(rid, agency, received, events, fee_method, rng, as_of)
    elif path == "extension":
        events.append(Event("extension", cal.add_workdays(start, rng.randint(10, PERIODS["reply"]))))
        budget += PERIODS["extension"]
    elif path == "withdrawn":
        close_kind, outcome = "withdrawn", "other_other"
    last = max([start, *(e.on for e in events)])
    replied = cal.add_workdays(start, rng.randint(1, budget))
    if replied <= last:
        replied = cal.add_workdays(last, 1)
    events.append(Event(close_kind, replied, outcome=None if close_kind == "withdrawn" else outcome))
    return _finish(rid, agency, received, events, fee_method, rng, as_of)


def _finish(
    rid: str, agency: str, received: date, events: list[Event], fee_method: str | None, rng: random.Random, as_of: date
) -> Request:
    """Cut the events at `as_of`: what has not happened yet is not in the ledger."""
    kept = tuple(e for e in events if e.on <= as_of)
    return Request(
        id=rid,
        agency=agency,
        received=received,
        channel=rng.choice(CHANNELS),
        applicant_type=rng.choices(APPLICANT_TYPES, _APPLICANT_WEIGHTS)[0],
        events=kept,
        applicant_name=rng.choice("赵钱孙李周吴郑王") + rng.choice(("伟", "芳", "娜", "敏", "静", "强", "磊")),
        contact=f"1{rng.randint(3, 9)}{rng.randint(0, 999999999):09d}",
        id_number=_id_number(rng),
        content=rng.choice(("某项目环评文件", "征地补偿标准", "某规范性文件", "行政处罚决定书", "财政预算")),
        fee_method=fee_method if any(e.kind == "fee_notice" for e in kept) else None,
    )


def _id_number(rng: random.Random) -> str:
    born = f"19{rng.randint(50, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return f"{rng.randint(110000, 659999)}{born}{rng.randint(0, 999):03d}{rng.choice('0123456789X')}"


def generate_ledger(
    n: int,
    year: int,
    *,
    agency: str = "示例市某局",
    seed: int = 0,
    calendar: WorkCalendar | None = None,
    as_of: date | None = None,
    spread_from: date | None = None,
) -> list[Request]:
    """n requests received from `spread_from` (default 1 October of the year before) to 31 December.

    Events after `as_of` (default the last day of the year's calendar data) are not recorded yet,
    so some requests are still open.
    """
    cal = calendar or default_calendar()
    rng = random.Random(seed)
    first = spread_from or date(year - 1, 10, 1)
    last = date(year, 12, 31)
    as_of = as_of or max(date(y, 12, 31) for y in cal.years)
    span = (last - first).days
    out = []
    for i in range(n):
        received = first + timedelta(days=rng.randint(0, span))
        out.append(_request(rng, cal, f"{received.year}-{i + 1:05d}", agency, received, as_of))
    return out


def generate_cases(requests: list[Request], share: float = 0.03, *, seed: int = 0) -> list[Case]:
    """行政复议 / 行政诉讼 cases about a share of the closed requests."""
    rng = random.Random(seed)
    out = []
    for r in requests:
        if r.closed is None or rng.random() >= share:
            continue
        kind = rng.choices(CASE_KINDS, (6, 3, 1))[0]
        filed = r.closed + timedelta(days=rng.randint(5, 60))
        outcome = rng.choices(("maintained", "corrected", "other", "pending"), (6, 2, 1, 2))[0]
        closed = None if outcome == "pending" else filed + timedelta(days=rng.randint(30, 120))
        out.append(Case(f"C-{r.id}", r.agency, kind, filed, outcome, closed, r.id))
    return out


__all__ = ["generate_cases", "generate_ledger"]
