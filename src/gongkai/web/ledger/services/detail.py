"""What the request page shows, all computed by the core: the clock with its trace, the problems, the fee."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from gongkai.ledger.calendar import CalendarMissing
from gongkai.ledger.fees import fee_by_piece, fee_by_volume, piece_fee_of
from gongkai.web.ledger.models import Request
from gongkai.web.ledger.services import labels, records


def request_context(req: Request, today: date) -> dict:
    events = list(req.events.select_related("created_by"))
    kinds, outcomes, parties = labels.event_kinds(), labels.outcomes(), labels.parties()
    for e in events:
        e.kind_name = kinds.get(e.kind, e.kind)
        e.outcome_name = outcomes.get(e.outcome, e.outcome)
        e.party_name = parties.get(e.party, e.party)
    clock, calendar_error = None, ""
    try:
        clock = records.reply_clock(records.core_request(req, events), records.calendar(), today)
    except CalendarMissing as exc:
        calendar_error = exc.message_zh
    return {
        "events": events,
        "clock": clock,
        "calendar_error": calendar_error,
        "fee": fee_of(req, events),
        "versions_count": req.versions.count(),
        "cases": req.cases.all(),
    }


def fee_of(req: Request, events) -> dict | None:
    """The fee the core computes for this request: 按件 by the applicant's count in the month, 按量 by pages."""
    if req.fee_method == "piece":
        key = Q(id_number=req.id_number) if req.id_number else Q(applicant_name=req.applicant_name)
        month = Request.objects.filter(
            key,
            agency_id=req.agency_id,
            fee_method="piece",
            received__year=req.received.year,
            received__month=req.received.month,
        )
        nth = month.filter(Q(received__lt=req.received) | Q(received=req.received, pk__lte=req.pk)).count()
        total = fee_by_piece(nth)
        return {
            "method": "按件计收",
            "basis": f"该申请人本月第 {nth} 件申请",
            "amount": piece_fee_of(nth),
            "explain": f"本月累计：{total.explain()}；本件应收 {piece_fee_of(nth)} 元",
            "noticed": _noticed(events),
        }
    if req.fee_method == "volume":
        pages = next((e.pages for e in reversed(events) if e.pages is not None), None)
        if pages is None:
            return {
                "method": "按量计收",
                "basis": "尚未记录页数（在收费通知中填写页数）",
                "amount": None,
                "noticed": None,
            }
        fee = fee_by_volume(pages)
        return {
            "method": "按量计收",
            "basis": f"{pages} 页",
            "amount": fee.amount,
            "explain": fee.explain(),
            "noticed": _noticed(events),
        }
    return None


def _noticed(events):
    return next((e.amount for e in reversed(events) if e.kind == "fee_notice" and e.amount is not None), None)


def version_rows(versions) -> list[dict]:
    """Each version with what changed between before and after, in Chinese."""
    names = {f.name: str(f.verbose_name) for f in Request._meta.get_fields() if hasattr(f, "verbose_name")}
    kinds, outcomes = labels.event_kinds(), labels.outcome_short()

    def event(e: dict) -> str:
        outcome = f"（{outcomes.get(e.get('outcome'), e.get('outcome'))}）" if e.get("outcome") else ""
        return f"{e.get('on')} {kinds.get(e.get('kind'), e.get('kind'))}{outcome}"

    rows = []
    for v in versions:
        before, after = v.before or {}, v.after or {}
        changes = [
            (names.get(key, key), before.get(key), after.get(key))
            for key in after
            if key != "events" and before.get(key) != after.get(key)
        ]
        added = [event(e) for e in after.get("events", []) if e not in before.get("events", [])]
        removed = [event(e) for e in before.get("events", []) if e not in after.get("events", [])]
        rows.append({"v": v, "changes": changes, "added": added, "removed": removed})
    return rows
