"""Requests and their events: conversion to the core's dataclasses, the stored clock columns, validation of
each change by the core, and the version history (who, when, the whole request before and after)."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongkai.ledger import model as core
from gongkai.ledger.calendar import CalendarMissing, default_calendar
from gongkai.ledger.clock import reply_clock
from gongkai.ledger.validate import validate
from gongkai.web.center.services.refusal import Refused
from gongkai.web.ledger.models import Event, Request, RequestVersion
from gongkai.web.ledger.services import labels

QUERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone


class InvalidChange(Refused):
    code = "invalid_sequence"


def today() -> date:
    return timezone.localdate()


def calendar():
    return default_calendar()


def new_query_code() -> str:
    while True:
        code = "".join(secrets.choice(QUERY_ALPHABET) for _ in range(10))
        if not Request.objects.filter(query_code=code).exists():
            return code


def core_event(e: Event) -> core.Event:
    return core.Event(
        kind=e.kind,
        on=e.on,
        outcome=e.outcome or None,
        party=e.party or None,
        pages=e.pages,
        amount=e.amount,
        note=e.note or "",
    )


def core_request(req: Request, events=None, by_number: bool = False) -> core.Request:
    """The core's Request for a stored one. Its id is the row's primary key (what the statistics' drill-down
    returns), or the ledger's own number (编号) for an export."""
    if events is None:
        events = list(req.events.all())
    return core.Request(
        id=req.number if by_number else str(req.pk),
        agency=req.agency.name if req.agency_id else "",
        received=req.received,
        channel=req.channel,
        applicant_type=req.applicant_type,
        events=tuple(e if isinstance(e, core.Event) else core_event(e) for e in events),
        applicant_name=req.applicant_name,
        contact=req.contact,
        id_number=req.id_number,
        content=req.content,
        fee_method=req.fee_method or None,
    )


def clock_of(req: Request, on: date | None = None):
    """The core's clock for a stored request (due date, state, trace, problems)."""
    return reply_clock(core_request(req), calendar(), on or today())


def apply_clock(req: Request, clock, events) -> None:
    """Copy the clock's today-independent part onto the row: the due date, and the phase: closed,
    awaiting_correction, an open pause (paused / awaiting_payment until `pause_end`, running after it) or running.
    services.queries turns it into the state of a given day."""
    req.due = clock.due
    req.pause_end = None
    if clock.state in ("closed", "awaiting_correction"):
        req.phase = clock.state
    else:
        open_pause = max((p for p in clock.pauses if p.open), key=lambda p: p.end, default=None)
        if open_pause is None:
            req.phase = "running"
        else:
            req.phase = "awaiting_payment" if "收费" in open_pause.reason else "paused"
            req.pause_end = open_pause.end
    request = core_request(req, events)
    req.outcome = request.outcome or ""
    req.closed_on = request.closed
    req.problem_count = len(clock.problems)
    req.year = req.received.year


def refresh(req: Request) -> None:
    events = list(req.events.all())
    try:
        clock = reply_clock(core_request(req, events), calendar(), today())
    except CalendarMissing as exc:
        raise Refused(str(exc)) from None
    apply_clock(req, clock, events)


def snapshot(req: Request) -> dict:
    """The request as versioned: its fields and its events (personal data included: the history is staff-only)."""
    return {
        "number": req.number,
        "received": req.received.isoformat(),
        "channel": req.channel,
        "applicant_type": req.applicant_type,
        "applicant_name": req.applicant_name,
        "contact": req.contact,
        "id_number": req.id_number,
        "content": req.content,
        "fee_method": req.fee_method,
        "due": req.due.isoformat() if req.due else None,
        "events": [
            {
                "kind": e.kind,
                "on": e.on.isoformat(),
                "outcome": e.outcome,
                "party": e.party,
                "pages": e.pages,
                "amount": str(e.amount) if e.amount is not None else None,
                "note": e.note,
            }
            for e in req.events.all()
        ],
    }


def _record(req: Request, action: str, summary: str, before, user) -> None:
    last = req.versions.order_by("-version").values_list("version", flat=True).first() or 0
    RequestVersion.objects.create(
        request=req,
        version=last + 1,
        action=action,
        summary=summary[:255],
        before=before,
        after=snapshot(req),
        user=user if user is not None and user.is_authenticated else None,
    )
    Request.objects.filter(pk=req.pk).update(version=last + 1)
    req.version = last + 1


def _check(candidate: core.Request, existing: core.Request | None) -> None:
    """Refuse a change that brings a problem the request did not have before (an impossible sequence)."""
    try:
        cal = calendar()
        old = {p.code for p in validate(existing, cal)} if existing is not None else set()
        new = [p for p in validate(candidate, cal) if p.code not in old]
    except CalendarMissing as exc:
        raise Refused(str(exc)) from None
    if new:
        raise InvalidChange("；".join(p.message_zh for p in new))


FIELDS = ("number", "received", "channel", "applicant_type", "applicant_name", "contact", "id_number", "content")


def _clean_fields(data: dict) -> dict:
    out = {}
    for key in (*FIELDS, "fee_method"):
        if key in data:
            value = data[key]
            out[key] = value.strip() if isinstance(value, str) else value
    if "received" in out and not isinstance(out["received"], date):
        out["received"] = parse_date(out["received"], "收到日期")
    for key, allowed, name in (
        ("channel", core.CHANNELS, "渠道"),
        ("applicant_type", core.APPLICANT_TYPES, "申请人类型"),
    ):
        if key in out and out[key] not in allowed:
            raise Refused(f"{name}“{out[key]}”不在可选范围内")
    if out.get("fee_method") and out["fee_method"] not in core.FEE_METHODS:
        raise Refused("收费方式只能是按件或按量")
    if "number" in out and not out["number"]:
        raise Refused("请填写编号")
    return out


def parse_date(value, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise Refused(f"{label}不是有效日期（应为 2024-03-01 这样的格式）") from None


@transaction.atomic
def create_request(agency, data: dict, user, action: str = "create") -> Request:
    if not str(data.get("number") or "").strip():
        data = {k: v for k, v in data.items() if k != "number"}  # numbered below
    fields = _clean_fields(data)
    missing = [
        n
        for k, n in (("received", "收到日期"), ("channel", "渠道"), ("applicant_type", "申请人类型"))
        if k not in fields
    ]
    if missing:
        raise Refused("请填写" + "、".join(missing))
    if not fields.get("number"):
        fields["number"] = next_number(agency, fields["received"].year)
    if Request.objects.filter(agency=agency, number=fields["number"]).exists():
        raise Refused(f"编号“{fields['number']}”已被本机关的另一件申请使用")
    req = Request(agency=agency, query_code=new_query_code(), year=fields["received"].year, **fields)
    _check(core_request(req, []), None)
    refresh_unsaved(req, [])
    req.save()
    _record(req, action, "登记申请", None, user)
    return req


def refresh_unsaved(req: Request, events: list) -> None:
    try:
        clock = reply_clock(core_request(req, events), calendar(), today())
    except CalendarMissing as exc:
        raise Refused(str(exc)) from None
    apply_clock(req, clock, events)


def next_number(agency, year: int) -> str:
    prefix = f"{year}-"
    taken = set(Request.objects.filter(agency=agency, number__startswith=prefix).values_list("number", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:04d}" in taken:
        n += 1
    return f"{prefix}{n:04d}"


@transaction.atomic
def update_request(req: Request, data: dict, user) -> Request:
    req = Request.objects.select_for_update().select_related("agency").get(pk=req.pk)
    before = snapshot(req)
    existing = core_request(req)
    fields = _clean_fields(data)
    if (
        "number" in fields
        and Request.objects.filter(agency=req.agency, number=fields["number"]).exclude(pk=req.pk).exists()
    ):
        raise Refused(f"编号“{fields['number']}”已被本机关的另一件申请使用")
    changed = [k for k, v in fields.items() if getattr(req, k) != v]
    if not changed:
        raise Refused("没有修改任何内容")
    for key in changed:
        setattr(req, key, fields[key])
    _check(core_request(req), existing)
    refresh(req)
    req.save()
    _record(
        req, "update", "修改：" + "、".join(str(Request._meta.get_field(k).verbose_name) for k in changed), before, user
    )
    return req


def _event_from(data: dict) -> Event:
    kind = (data.get("kind") or "").strip()
    if kind not in core.EVENT_KINDS:
        raise Refused("请选择事项类型")
    outcome = (data.get("outcome") or "").strip()
    if outcome and outcome not in core.OUTCOMES:
        raise Refused(f"办理结果“{outcome}”不在可选范围内")
    pages = data.get("pages")
    if pages in ("", None):
        pages = None
    else:
        try:
            pages = int(pages)
        except (TypeError, ValueError):
            raise Refused("页数应为整数") from None
        if pages < 0:
            raise Refused("页数不能为负数")
    amount = data.get("amount")
    if amount in ("", None):
        amount = None
    else:
        try:
            amount = Decimal(str(amount))
        except ArithmeticError:
            raise Refused("金额应为数字") from None
        if not amount.is_finite() or amount < 0:
            raise Refused("金额应为非负数")
    return Event(
        kind=kind,
        on=parse_date(data.get("on"), "日期"),
        outcome=outcome,
        party=(data.get("party") or "").strip()[:200],
        pages=pages,
        amount=amount,
        note=(data.get("note") or "").strip(),
    )


@transaction.atomic
def add_event(req: Request, data: dict, user) -> Event:
    req = Request.objects.select_for_update().select_related("agency").get(pk=req.pk)
    before = snapshot(req)
    events = list(req.events.all())
    event = _event_from(data)
    event.request = req
    # Stored events are read back in date order: check the sequence as it will be.
    _check(core_request(req, sorted([*events, event], key=lambda e: e.on)), core_request(req, events))
    event.created_by = user if user is not None and user.is_authenticated else None
    event.save()
    refresh(req)
    req.save()
    _record(req, "event", f"{event_label(event.kind)}（{event.on.isoformat()}）", before, user)
    return event


@transaction.atomic
def delete_event(req: Request, event_id: int, user) -> None:
    req = Request.objects.select_for_update().select_related("agency").get(pk=req.pk)
    event = req.events.filter(pk=event_id).first()
    if event is None:
        raise Refused("该事项不存在或已删除", status=404)
    before = snapshot(req)
    events = list(req.events.all())
    rest = [e for e in events if e.pk != event.pk]
    _check(core_request(req, rest), core_request(req, events))
    event.delete()
    refresh(req)
    req.save()
    _record(req, "delete_event", f"删除：{event_label(event.kind)}（{event.on.isoformat()}）", before, user)


def event_label(kind: str) -> str:
    return labels.event_kinds().get(kind, kind)


DUE_SOON = core.SPEC["periods"]["due_soon"]


def working_days_ahead(day: date) -> date:
    """The due date `due_soon` working days after `day`: up to it a running request is 'due soon'. Without the
    calendar of that year the list still works: only a request due today counts as due soon then."""
    try:
        return calendar().add_workdays(day, DUE_SOON)
    except CalendarMissing:
        return day
