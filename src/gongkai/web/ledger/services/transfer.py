"""Excel/CSV ledgers in (the core's importer: mapping saved per agency, dry run, all or nothing) and XLSX out
(the core's exporter; personal data masked unless staff ask for it, and then logged)."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch

from gongkai.ledger.importer import import_ledger
from gongkai.web.center.services.refusal import Refused
from gongkai.web.ledger.models import Case, Event, LedgerSettings, Request, RequestVersion
from gongkai.web.ledger.services import records
from gongkai.web.ledger.services.cases import core_case

MAX_IMPORT_BYTES = 20 * 1024 * 1024


STAGING = "ledger-imports"  # in the site's storage: the dry run and the import may reach different web servers


def stage(data: bytes, filename: str) -> str:
    """Keep an uploaded ledger between the dry run and the import; returns its token."""
    if len(data) > MAX_IMPORT_BYTES:
        raise Refused(f"文件超过 {MAX_IMPORT_BYTES // 1024 // 1024} MB")
    suffix = Path(filename).suffix.lower()[:8]
    name = default_storage.save(f"{STAGING}/{secrets.token_hex(16)}{suffix}", ContentFile(data))
    return name.rsplit("/", 1)[-1]


def staged(token: str) -> bytes:
    name = Path(token).name
    if not name or name != token:
        raise Refused("导入文件已失效，请重新上传")
    try:
        with default_storage.open(f"{STAGING}/{name}", "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise Refused("导入文件已失效，请重新上传") from None


def unstage(token: str) -> None:
    name = Path(token).name
    if name:
        default_storage.delete(f"{STAGING}/{name}")


def saved_mapping(agency) -> dict:
    row = LedgerSettings.objects.filter(agency=agency).first()
    return dict(row.import_mapping) if row else {}


def save_mapping(agency, mapping: dict) -> None:
    row, _ = LedgerSettings.objects.get_or_create(agency=agency)
    row.import_mapping = mapping
    row.save(update_fields=["import_mapping"])


def read(data: bytes, filename: str, mapping: dict, dry_run: bool = True):
    try:
        return import_ledger(data, filename, mapping=mapping or None, dry_run=dry_run)
    except Refused:
        raise
    except (ValueError, LookupError) as exc:
        message = getattr(exc, "message_zh", None) or str(exc)
        raise Refused(f"无法读取该台账文件：{message}") from None


def clashes(agency, result) -> list[str]:
    numbers = [r.id for r in result.requests]
    taken = set(Request.objects.filter(agency=agency, number__in=numbers).values_list("number", flat=True))
    case_numbers = [c.id for c in result.cases]
    taken_cases = set(Case.objects.filter(agency=agency, number__in=case_numbers).values_list("number", flat=True))
    return [f"编号“{n}”的申请已在台账中" for n in numbers if n in taken] + [
        f"编号“{n}”的案件已在台账中" for n in case_numbers if n in taken_cases
    ]


@transaction.atomic
def store(agency, result, user, mapping: dict | None = None) -> tuple[int, int]:
    """Write an import that had no errors: every request, event and case, or nothing."""
    problems = clashes(agency, result)
    if problems:
        raise Refused("导入未执行（全部不导入）：" + "；".join(problems[:20]) + ("……" if len(problems) > 20 else ""))
    codes = _codes(len(result.requests))
    rows, events_of = [], []
    for core_req, code in zip(result.requests, codes, strict=True):
        req = Request(
            agency=agency,
            number=core_req.id[:64],
            received=core_req.received,
            year=core_req.received.year,
            channel=core_req.channel,
            applicant_type=core_req.applicant_type,
            applicant_name=core_req.applicant_name[:200],
            contact=core_req.contact[:200],
            id_number=core_req.id_number[:64],
            content=core_req.content,
            fee_method=core_req.fee_method or "",
            query_code=code,
        )
        try:
            records.apply_clock(
                req, records.reply_clock(core_req, records.calendar(), records.today()), core_req.events
            )
        except records.CalendarMissing as exc:
            raise Refused(str(exc)) from None
        rows.append(req)
        events_of.append(core_req.events)
    Request.objects.bulk_create(rows, batch_size=1000)
    if rows and rows[0].pk is None:  # databases without RETURNING on bulk inserts
        by_number = dict(
            Request.objects.filter(agency=agency, number__in=[r.number for r in rows]).values_list("number", "pk")
        )
        for r in rows:
            r.pk = by_number[r.number]
    user = user if user is not None and user.is_authenticated else None
    Event.objects.bulk_create(
        [
            Event(
                request_id=req.pk,
                kind=e.kind,
                on=e.on,
                outcome=e.outcome or "",
                party=e.party or "",
                pages=e.pages,
                amount=e.amount,
                note=e.note or "",
            )
            for req, events in zip(rows, events_of, strict=True)
            for e in events
        ],
        batch_size=2000,
    )
    RequestVersion.objects.bulk_create(
        [
            RequestVersion(
                request_id=req.pk,
                version=1,
                action="import",
                summary="从台账文件导入",
                after=_after(req, ev),
                user=user,
            )
            for req, ev in zip(rows, events_of, strict=True)
        ],
        batch_size=1000,
    )
    by_number = {r.number: r.pk for r in rows}
    cases = []
    for c in result.cases:
        request_id = by_number.get(c.request_id) if c.request_id else None
        if c.request_id and request_id is None:
            request_id = Request.objects.filter(agency=agency, number=c.request_id).values_list("pk", flat=True).first()
        cases.append(
            Case(
                agency=agency,
                number=c.id[:64],
                kind=c.kind,
                filed=c.filed,
                outcome=c.outcome,
                closed=c.closed,
                request_id=request_id,
            )
        )
    Case.objects.bulk_create(cases, batch_size=1000)
    if mapping is not None:
        save_mapping(agency, mapping)
    return len(rows), len(cases)


def _after(req: Request, events) -> dict:
    snap = {k: getattr(req, k) for k in records.FIELDS}
    snap["received"] = req.received.isoformat()
    snap["fee_method"] = req.fee_method
    snap["due"] = req.due.isoformat() if req.due else None
    snap["events"] = [
        {"kind": e.kind, "on": e.on.isoformat(), "outcome": e.outcome or "", "party": e.party or "",
         "pages": e.pages, "amount": str(e.amount) if e.amount is not None else None, "note": e.note or ""}
        for e in events
    ]  # fmt: skip
    return snap


def _codes(n: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < n:
        batch = {"".join(secrets.choice(records.QUERY_ALPHABET) for _ in range(10)) for _ in range(n - len(codes))}
        batch -= set(Request.objects.filter(query_code__in=list(batch)).values_list("query_code", flat=True))
        codes |= batch
    return list(codes)


def export_rows(queryset):
    """The core's dataclasses of the requests of a queryset, and the cases of the same agency."""
    rows = queryset.select_related("agency").prefetch_related(
        Prefetch("events", queryset=Event.objects.order_by("on", "pk"))
    )
    return [records.core_request(r, list(r.events.all()), by_number=True) for r in rows]


def export_cases(agency, year: int | None):
    qs = Case.objects.filter(agency=agency).select_related("agency", "request")
    if year:
        qs = qs.filter(filed__year=year)
    return [core_case(c, by_number=True) for c in qs]
