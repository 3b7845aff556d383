"""The reply clock of a request: its deadline, with a trace a reviewer can check.

Rules (periods and articles are data in spec/ledger.toml):

- 答复期限 20 个工作日 (条例第三十三条第二款), counted per 民法典第二百零一条: the day of
  receipt is not counted, counting starts the next day, and only working days of
  the official calendar count (holidays off, 调休 make-up days on).
- 补正 (条例第三十条): the count restarts on the day the corrected application is
  received; while a 补正告知 is unanswered the clock does not run.
- 征求第三方/其他机关意见 (第三十二、三十三、三十四条): the days from sending the request
  for opinion to receiving the answer, both inclusive, are not counted; without an
  answer the pause ends after the 15 working days the consulted party has.
- 收费 (国办函〔2020〕109号): the days from the fee notice to payment, both inclusive,
  are not counted; without payment the pause ends after the 20-working-day payment
  period (the request is then closed as （六）2).
- 延期 (第三十三条第二款): at most 20 more working days, approved before the first
  deadline.

`State` is computed for a given day, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from gongkai.ledger.calendar import CalendarMissing, WorkCalendar
from gongkai.ledger.model import PARTY_LABELS, SPEC, Problem, Request

PERIODS: dict[str, int] = SPEC["periods"]
BASIS: dict[str, str] = SPEC["basis"]

STATES = ("open", "due_soon", "overdue", "paused", "awaiting_correction", "awaiting_payment", "closed")
STATE_LABELS = {
    "open": "办理中",
    "due_soon": "即将到期",
    "overdue": "已逾期",
    "paused": "征求意见中（不计时）",
    "awaiting_correction": "等待补正",
    "awaiting_payment": "等待缴费（不计时）",
    "closed": "已办结",
}


@dataclass(frozen=True, slots=True)
class Pause:
    start: date  # first day not counted
    end: date  # last day not counted (inclusive)
    reason: str  # Chinese: why these days do not count
    open: bool = False  # the answer / payment has not come yet: `end` is the statutory cap
    kind: str = "manual"  # "consult" | "fee" | "manual" (given by hand, e.g. `--pause`)


@dataclass(frozen=True, slots=True)
class TraceEntry:
    day: date
    kind: str  # "start" | "counted" | "skipped" | "paused" | "extension"
    reason: str
    n: int | None = None  # the running count of working days, for "counted"

    def to_json(self) -> dict:
        d = {"date": self.day.isoformat(), "kind": self.kind, "reason": self.reason}
        if self.n is not None:
            d["n"] = self.n
        return d


@dataclass
class Deadline:
    due: date
    first_due: date  # the 20-working-day deadline before any extension
    start: date  # the day the count starts after (receipt, or the corrected application)
    trace: list[TraceEntry]
    extended: bool = False

    def to_json(self) -> dict:
        return {
            "deadline": self.due.isoformat(),
            "first_deadline": self.first_due.isoformat(),
            "start": self.start.isoformat(),
            "extended": self.extended,
            "trace": [t.to_json() for t in self.trace],
        }


def _in_pause(day: date, pauses: list[Pause]) -> Pause | None:
    for p in pauses:
        if p.start <= day <= p.end:
            return p
    return None


def compute_deadline(
    received: date,
    calendar: WorkCalendar,
    *,
    pauses: list[Pause] | tuple[Pause, ...] = (),
    corrected: date | None = None,
    extend: bool = False,
) -> Deadline:
    """The reply deadline and its day-by-day trace.  Raises CalendarMissing."""
    start = corrected or received
    active = sorted((p for p in pauses if p.end > start or p.start > start), key=lambda p: p.start)
    trace: list[TraceEntry] = []
    if corrected:
        trace.append(TraceEntry(received, "start", "收到申请；因补正，期限不从此日计算"))
        trace.append(
            TraceEntry(
                corrected, "start", f"收到补正后的申请，答复期限自此重新计算，当日不计入（{BASIS['correction']}）"
            )
        )
    else:
        calendar.require(received)
        trace.append(TraceEntry(received, "start", f"收到申请，当日不计入（{BASIS['counting']}）"))
    reply = PERIODS["reply"]
    total = reply + (PERIODS["extension"] if extend else 0)
    counted = 0
    day = start
    first_due: date | None = None
    while counted < total:
        day += timedelta(days=1)
        pause = _in_pause(day, active)
        if pause is not None:
            trace.append(TraceEntry(day, "paused", pause.reason))
            continue
        if calendar.is_workday(day):
            counted += 1
            trace.append(TraceEntry(day, "counted", calendar.workday_reason(day), counted))
            if counted == reply:
                first_due = day
                if extend:
                    trace.append(
                        TraceEntry(
                            day,
                            "extension",
                            f"原答复期限届满；延期{PERIODS['extension']}个工作日（{BASIS['extension']}）",
                        )
                    )
        else:
            trace.append(TraceEntry(day, "skipped", calendar.why_not_workday(day)))
    assert first_due is not None
    return Deadline(day, first_due, start, trace, extend)


@dataclass
class Clock:
    due: date | None
    state: str
    trace: list[TraceEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    first_due: date | None = None
    pauses: list[Pause] = field(default_factory=list)
    remaining: int | None = None  # working days left after `today` (0 on the due day; None when closed)
    closed: date | None = None
    late: bool = False  # closed after its deadline

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    def to_json(self) -> dict:
        return {
            "due": self.due.isoformat() if self.due else None,
            "first_due": self.first_due.isoformat() if self.first_due else None,
            "state": self.state,
            "state_label": self.state_label,
            "remaining": self.remaining,
            "closed": self.closed.isoformat() if self.closed else None,
            "late": self.late,
            "pauses": [
                {
                    "from": p.start.isoformat(),
                    "to": p.end.isoformat(),
                    "reason": p.reason,
                    "open": p.open,
                    "kind": p.kind,
                }
                for p in self.pauses
            ],
            "trace": [t.to_json() for t in self.trace],
            "problems": [{"code": p.code, "message": p.message_zh} for p in self.problems],
        }


def request_pauses(request: Request, calendar: WorkCalendar) -> list[Pause]:
    """The intervals of a request that do not count: consultations and fee payment periods."""
    pauses: list[Pause] = []
    events = request.events
    for i, e in enumerate(events):
        if e.kind == "consult_sent":
            party = e.party or "third_party"
            period = PERIODS["consult_agency" if party == "agency" else "consult_third_party"]
            cap = calendar.add_workdays(e.on, period)
            answer = next(
                (a for a in events[i + 1 :] if a.kind == "consult_answered" and (a.party or "third_party") == party),
                None,
            )
            who = PARTY_LABELS.get(party, party)
            if answer is not None and answer.on <= cap:
                pauses.append(
                    Pause(
                        e.on, answer.on, f"征求{who}意见，所需时间不计算在期限内（{BASIS['consult']}）", kind="consult"
                    )
                )
            else:
                pauses.append(
                    Pause(
                        e.on,
                        cap,
                        f"征求{who}意见，{who}应在{period}个工作日内提出意见，此期间不计算在期限内（{BASIS['consult']}）",
                        open=answer is None,
                        kind="consult",
                    )
                )
        elif e.kind == "fee_notice":
            cap = calendar.add_workdays(e.on, PERIODS["payment"])
            paid = next((a for a in events[i + 1 :] if a.kind == "fee_paid"), None)
            if paid is not None and paid.on <= cap:
                pauses.append(
                    Pause(e.on, paid.on, f"收费通知至缴费，缴费期间不计算在期限内（{BASIS['payment']}）", kind="fee")
                )
            else:
                pauses.append(
                    Pause(
                        e.on,
                        cap,
                        f"收费通知后{PERIODS['payment']}个工作日缴费期，不计算在期限内（{BASIS['payment']}）",
                        open=paid is None,
                        kind="fee",
                    )
                )
    return pauses


def reply_clock(request: Request, calendar: WorkCalendar, today: date | None = None) -> Clock:
    """The request's deadline and state on `today` (default: the current date).

    Never raises for a year without calendar data: the clock then has no due date
    and a `calendar_missing` problem with the Chinese message.
    """
    today = today or date.today()
    events = request.events
    closing = request.closing_event
    closed = closing.on if closing else None
    problems: list[Problem] = []

    corr_req = next((e for e in events if e.kind == "correction_requested"), None)
    corr_got = next((e for e in events if e.kind == "correction_received"), None)
    corrected = corr_got.on if corr_req is not None and corr_got is not None else None
    extend = any(e.kind == "extension" for e in events)

    if closing is not None and closing.kind == "reply_on_the_spot":
        return Clock(due=request.received, state="closed", closed=closed, first_due=request.received)

    try:
        if corr_req is not None and corr_got is None:
            # 补正告知 unanswered: the reply period has not started (条例第三十条).
            state = "closed" if closing else "awaiting_correction"
            return Clock(due=None, state=state, closed=closed, remaining=None)
        pauses = request_pauses(request, calendar)
        deadline = compute_deadline(request.received, calendar, pauses=pauses, corrected=corrected, extend=extend)
    except CalendarMissing as exc:
        problems.append(Problem("calendar_missing", exc.message_zh))
        return Clock(due=None, state="closed" if closing else "open", problems=problems, closed=closed)

    clock = Clock(
        due=deadline.due,
        state="open",
        trace=deadline.trace,
        problems=problems,
        first_due=deadline.first_due,
        pauses=pauses,
        closed=closed,
    )
    ext = next((e for e in events if e.kind == "extension"), None)
    if ext is not None and ext.on > deadline.first_due:
        problems.append(
            Problem(
                "extension_after_deadline",
                f"延期决定（{ext.on}）晚于原答复期限（{deadline.first_due}），延期应在期限届满前作出",
            )
        )
    if closing is not None:
        clock.state = "closed"
        clock.late = closing.kind != "withdrawn" and closing.on > deadline.due
        if clock.late:
            problems.append(Problem("late_reply", f"答复日期 {closing.on} 晚于答复期限 {deadline.due}"))
        return clock

    try:
        for p in pauses:
            if p.open and p.start <= today <= p.end:
                clock.state = "awaiting_payment" if p.kind == "fee" else "paused"
                return clock
        fee_lapsed = next((p for p in pauses if p.open and p.kind == "fee" and today > p.end), None)
        if fee_lapsed is not None:
            problems.append(
                Problem(
                    "fee_unpaid",
                    f"缴费期限已于 {fee_lapsed.end} 届满而未缴费，可按“（六）2.逾期未按收费通知要求缴纳费用”办结",
                )
            )
        if today > deadline.due:
            clock.state = "overdue"
            clock.remaining = -calendar.workdays_between(deadline.due, today)
        else:
            clock.remaining = calendar.workdays_between(today, deadline.due)
            clock.state = "due_soon" if clock.remaining <= PERIODS["due_soon"] else "open"
    except CalendarMissing as exc:
        problems.append(Problem("calendar_missing", exc.message_zh))
    return clock


def correction_deadline(request: Request, calendar: WorkCalendar) -> date:
    """The last day for a 补正告知: 7 working days after receipt (条例第三十条)."""
    return calendar.add_workdays(request.received, PERIODS["correction_notice"])


__all__ = [
    "STATES",
    "STATE_LABELS",
    "Clock",
    "Deadline",
    "Pause",
    "TraceEntry",
    "compute_deadline",
    "correction_deadline",
    "reply_clock",
    "request_pauses",
]
