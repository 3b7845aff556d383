"""The ledger's records: a request with its events, and a 行政复议 / 行政诉讼 case.

Every vocabulary (applicant types, outcomes, channels, event kinds, case kinds and
outcomes) comes from the spec: applicant types and outcomes are the columns and the
outcome rows of 表三 in the 2021 format (spec/common.toml), the rest is
spec/ledger.toml.  Keys are the stable keys of `gongkai.report/v1`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from gongkai.spec import FORMATS, REVIEW_COLUMNS, REVIEW_ROWS, SPEC_DIR


def _load_spec() -> dict[str, Any]:
    with open(SPEC_DIR / "ledger.toml", "rb") as fh:
        return tomllib.load(fh)


SPEC: dict[str, Any] = _load_spec()

_REQUESTS_2021 = FORMATS["2021"].requests
assert _REQUESTS_2021 is not None

#: The six applicant columns of 表三, in printed order (the total column is not a type).
APPLICANT_TYPES: tuple[str, ...] = tuple(c.key for c in _REQUESTS_2021.columns if c.key != "total")
APPLICANT_LABELS: dict[str, str] = {c.key: c.label for c in _REQUESTS_2021.columns if c.key != "total"}
#: Display labels that tell the two "其他" apart: the org columns carry their group.
APPLICANT_FULL_LABELS: dict[str, str] = {
    c.key: (f"{c.group}-{c.label}" if c.group else c.label) for c in _REQUESTS_2021.columns if c.key != "total"
}

#: The leaf outcome rows of the 2021 表三 （一）予以公开 … （六）3.其他, in printed order.
OUTCOMES: tuple[str, ...] = tuple(r.key for r in _REQUESTS_2021.rows if r.outcome)
OUTCOME_LABELS: dict[str, str] = {r.key: r.full_label for r in _REQUESTS_2021.rows if r.outcome}
OUTCOME_SHORT: dict[str, str] = {r.key: r.short or r.label for r in _REQUESTS_2021.rows if r.outcome}

CHANNELS: tuple[str, ...] = tuple(c["key"] for c in SPEC["channels"])
CHANNEL_LABELS: dict[str, str] = {c["key"]: c["label"] for c in SPEC["channels"]}
CHANNEL_RULES: dict[str, str] = {c["key"]: c["received_rule"] for c in SPEC["channels"]}
_RECEIVED_FROM: dict[str, str] = {c["key"]: c["received_from"] for c in SPEC["channels"]}
_RECEIVED_FROM_LABELS = {"submitted": "提交日期", "signed": "签收日期", "office_received": "工作机构收到日期",
                         "confirmed": "双方确认日期"}  # fmt: skip


def received_on(
    channel: str,
    *,
    submitted: date | None = None,
    signed: date | None = None,
    office_received: date | None = None,
    confirmed: date | None = None,
) -> date:
    """The 收到申请之日 of 条例第三十一条 for a channel, from the dates the office recorded.

    Raises ValueError (Chinese message) for an unknown channel or when the date the rule needs is missing.
    """
    if channel not in _RECEIVED_FROM:
        raise ValueError(f"收到方式“{channel}”不是规定的方式")
    given = {"submitted": submitted, "signed": signed, "office_received": office_received, "confirmed": confirmed}
    needed = _RECEIVED_FROM[channel]
    day = given[needed]
    if day is None:
        raise ValueError(f"{CHANNEL_LABELS[channel]}：{CHANNEL_RULES[channel]}，缺少{_RECEIVED_FROM_LABELS[needed]}")
    return day


EVENT_KINDS: tuple[str, ...] = tuple(e["key"] for e in SPEC["events"])
EVENT_LABELS: dict[str, str] = {e["key"]: e["label"] for e in SPEC["events"]}
CLOSING_EVENTS: frozenset[str] = frozenset(e["key"] for e in SPEC["events"] if e.get("closes"))
#: Closing events whose outcome is fixed (撤回 → （六）3.其他).
FIXED_OUTCOMES: dict[str, str] = {e["key"]: e["outcome"] for e in SPEC["events"] if "outcome" in e}

PARTIES: tuple[str, ...] = tuple(p["key"] for p in SPEC["parties"])
PARTY_LABELS: dict[str, str] = {p["key"]: p["label"] for p in SPEC["parties"]}

FEE_METHODS: tuple[str, ...] = tuple(SPEC["fee_methods"])
FEE_METHOD_LABELS: dict[str, str] = dict(SPEC["fee_methods"])

CASE_KINDS: tuple[str, ...] = tuple(r.key for r in REVIEW_ROWS)
CASE_KIND_LABELS: dict[str, str] = {c["key"]: c["label"] for c in SPEC["case_kinds"]}
CASE_OUTCOMES: tuple[str, ...] = tuple(c.key for c in REVIEW_COLUMNS if c.key != "total")
CASE_OUTCOME_LABELS: dict[str, str] = {c["key"]: c["label"] for c in SPEC["case_outcomes"]}

assert CASE_KINDS == ("review", "litigation_direct", "litigation_after_review")
assert tuple(CASE_KIND_LABELS) == CASE_KINDS and tuple(CASE_OUTCOME_LABELS) == CASE_OUTCOMES


@dataclass(frozen=True, slots=True)
class Event:
    """One step of a request.

    kind: a key of EVENT_KINDS.  on: the day it happened.  outcome: for `reply` and
    `reply_on_the_spot`, a key of OUTCOMES.  party: for `consult_sent` /
    `consult_answered`, "third_party" or "agency".  pages: 按量计收 page count (on
    `fee_notice`).  amount: the fee in 元 (on `fee_notice` / `fee_paid`).
    """

    kind: str
    on: date
    outcome: str | None = None
    party: str | None = None
    pages: int | None = None
    amount: Decimal | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Request:
    """A 政府信息公开申请 and its events, in the order they happened.

    received: the 收到申请之日 fixed by the channel (条例第三十一条).  applicant_type: a
    key of APPLICANT_TYPES.  fee_method: None, "piece" (按件) or "volume" (按量).
    applicant_name, contact and id_number are personal data: exports mask them.
    """

    id: str
    agency: str
    received: date
    channel: str
    applicant_type: str
    events: tuple[Event, ...] = ()
    applicant_name: str = ""
    contact: str = ""
    id_number: str = ""
    content: str = ""
    fee_method: str | None = None

    @property
    def closing_event(self) -> Event | None:
        """The first event that ends the request, or None while it is open."""
        return next((e for e in self.events if e.kind in CLOSING_EVENTS), None)

    @property
    def closed(self) -> date | None:
        event = self.closing_event
        return event.on if event else None

    @property
    def outcome(self) -> str | None:
        """The outcome row key of 表三 of a closed request (None while open)."""
        event = self.closing_event
        if event is None:
            return None
        return FIXED_OUTCOMES.get(event.kind, event.outcome)

    def open_on(self, day: date) -> bool:
        """Received on or before `day` and not closed by the end of it."""
        closed = self.closed
        return self.received <= day and (closed is None or closed > day)


@dataclass(frozen=True, slots=True)
class Case:
    """A 行政复议 or 行政诉讼 about the agency's disclosure work (表四).

    kind: a key of CASE_KINDS.  outcome: a key of CASE_OUTCOMES ("pending" while
    not concluded).  closed: the day it was concluded.  request_id: the request it is
    about, when known.
    """

    id: str
    agency: str
    kind: str
    filed: date
    outcome: str = "pending"
    closed: date | None = None
    request_id: str | None = None

    def outcome_on(self, day: date) -> str:
        """The outcome as it stood at the end of `day`: concluded later means 尚未审结."""
        if self.outcome == "pending" or self.closed is None or self.closed > day:
            return "pending"
        return self.outcome


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a record: a stable code and a Chinese message."""

    code: str
    message_zh: str
    event_index: int | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)


__all__ = [
    "APPLICANT_FULL_LABELS",
    "APPLICANT_LABELS",
    "APPLICANT_TYPES",
    "CASE_KINDS",
    "CASE_KIND_LABELS",
    "CASE_OUTCOMES",
    "CASE_OUTCOME_LABELS",
    "CHANNELS",
    "CHANNEL_LABELS",
    "CHANNEL_RULES",
    "CLOSING_EVENTS",
    "EVENT_KINDS",
    "EVENT_LABELS",
    "FEE_METHODS",
    "FEE_METHOD_LABELS",
    "OUTCOMES",
    "OUTCOME_LABELS",
    "OUTCOME_SHORT",
    "PARTIES",
    "PARTY_LABELS",
    "SPEC",
    "Case",
    "Event",
    "Problem",
    "Request",
    "received_on",
]
