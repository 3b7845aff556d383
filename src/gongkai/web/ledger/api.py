"""The ledger's REST endpoints, mounted at /api/ledger/ in the site's API (one OpenAPI document, /api/docs).

Every endpoint needs an account (a session or `Authorization: Bearer <token>`), except the applicant's status
lookup. Personal data is masked in every response unless staff of the agency ask for it (`personal=true`),
and then the view is logged. Writes need an editor of the agency's region or an admin.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from gongkai.ledger import model as core
from gongkai.web.center.api import READ_ERRORS, UserAuth
from gongkai.web.center.models import Agency
from gongkai.web.center.schemas import ErrorOut, Id, Year
from gongkai.web.center.services.permissions import can_edit_agency
from gongkai.web.center.services.refusal import Refused
from gongkai.web.center.services.throttle import client_address
from gongkai.web.ledger.models import Request
from gongkai.web.ledger.services import detail, public, records, yearend
from gongkai.web.ledger.services.privacy import is_staff_of, log_view, personal
from gongkai.web.ledger.services.queries import LedgerFilter, soon_limit, state_of

router = Router(tags=["依申请公开台账"], auth=UserAuth())
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

State = Literal["open", "due_soon", "overdue", "paused", "awaiting_correction", "awaiting_payment", "closed"]
ApplicantType = Literal[core.APPLICANT_TYPES]
Outcome = Literal[core.OUTCOMES]
Channel = Literal[core.CHANNELS]
EventKind = Literal[core.EVENT_KINDS]


class Forbidden(Refused):
    code = "forbidden"

    def __init__(self, message: str) -> None:
        super().__init__(message, status=403)


class EventOut(Schema):
    id: int
    kind: EventKind
    on: date
    outcome: str
    party: str
    pages: int | None
    amount: Decimal | None
    note: str


class RequestOut(Schema):
    id: int
    agency_id: int
    number: str
    received: date
    channel: str
    applicant_type: str
    applicant_name: str = Field(description="申请人（非本机关工作人员或未要求时已遮蔽）")
    contact: str
    id_number: str
    fee_method: str
    state: State
    due: date | None
    outcome: str
    closed_on: date | None
    version: int


class RequestPage(Schema):
    count: int
    counts: dict[str, int]
    items: list[RequestOut]


class ClockOut(Schema):
    due: date | None
    first_due: date | None
    state: State
    state_label: str
    remaining: int | None
    late: bool
    trace: list[dict]
    problems: list[dict]


class FeeOut(Schema):
    method: str
    basis: str
    amount: Decimal | None
    explain: str = ""


class RequestDetail(RequestOut):
    content: str
    events: list[EventOut]
    clock: ClockOut | None
    fee: FeeOut | None


class RequestIn(Schema):
    number: Annotated[str, Field(max_length=64)] = ""
    received: date
    channel: Channel
    applicant_type: ApplicantType
    applicant_name: Annotated[str, Field(max_length=200)] = ""
    contact: Annotated[str, Field(max_length=200)] = ""
    id_number: Annotated[str, Field(max_length=64)] = ""
    content: str = ""
    fee_method: Literal["", "piece", "volume"] = ""


class RequestPatch(Schema):
    """Only the fields sent change."""

    number: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    received: date | None = None
    channel: Channel | None = None
    applicant_type: ApplicantType | None = None
    applicant_name: Annotated[str, Field(max_length=200)] | None = None
    contact: Annotated[str, Field(max_length=200)] | None = None
    id_number: Annotated[str, Field(max_length=64)] | None = None
    content: str | None = None
    fee_method: Literal["", "piece", "volume"] | None = None


class EventIn(Schema):
    kind: EventKind
    on: date
    outcome: Outcome | Literal[""] = ""
    party: Literal["", "third_party", "agency"] = ""
    pages: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    amount: Annotated[Decimal, Field(ge=0, le=10_000_000)] | None = None
    note: Annotated[str, Field(max_length=2000)] = ""


class VersionOut(Schema):
    version: int
    action: str
    summary: str
    user: str | None
    at: str
    before: dict | None
    after: dict | None


class LookupOut(Schema):
    state: State
    state_label: str
    due: date | None


def _agency(pk: int) -> Agency:
    return get_object_or_404(Agency, pk=pk)


def _request(pk: int) -> Request:
    return get_object_or_404(Request.objects.select_related("agency"), pk=pk)


def _editor(request, agency: Agency) -> None:
    if not can_edit_agency(request.user, agency):
        raise Forbidden("需要该机关所在地区的编辑或管理员账号")


def _unmasked(request, req_or_agency, want: bool) -> bool:
    agency = getattr(req_or_agency, "agency", req_or_agency)
    if not want:
        return False
    if not is_staff_of(request.user, agency):
        raise Forbidden("申请人个人信息仅本机关工作人员可查看")
    return True


def _out(req: Request, state: str, unmasked: bool) -> dict:
    return {
        "id": req.pk,
        "agency_id": req.agency_id,
        "number": req.number,
        "received": req.received,
        "channel": req.channel,
        "applicant_type": req.applicant_type,
        **personal(req, unmasked),
        "fee_method": req.fee_method,
        "state": state,
        "due": req.due,
        "outcome": req.outcome,
        "closed_on": req.closed_on,
        "version": req.version,
    }


def _detail(request, req: Request, unmasked: bool) -> dict:
    today = records.today()
    context = detail.request_context(req, today)
    clock = context["clock"]
    fee = context["fee"]
    return _out(req, clock.state if clock else state_of(req, today, soon_limit(today)), unmasked) | {
        "content": req.content,
        "events": [
            {
                "id": e.pk,
                "kind": e.kind,
                "on": e.on,
                "outcome": e.outcome,
                "party": e.party,
                "pages": e.pages,
                "amount": e.amount,
                "note": e.note,
            }
            for e in context["events"]
        ],
        "clock": clock.to_json() | {"problems": [{"code": p.code, "message": p.message_zh} for p in clock.problems]}
        if clock
        else None,
        "fee": {
            k: fee.get(k) or ("" if k == "explain" else fee.get(k)) for k in ("method", "basis", "amount", "explain")
        }
        if fee
        else None,
    }


@router.get(
    "/agencies/{pk}/requests",
    response={200: RequestPage, **READ_ERRORS, 403: ErrorOut},
    summary="一个机关的台账（可筛选）",
)
def list_requests(
    request,
    pk: Id,
    state: State | None = None,
    year: Year | None = None,
    outcome: Outcome | None = None,
    applicant_type: ApplicantType | None = None,
    personal_data: Annotated[bool, Query(alias="personal")] = False,
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0,
):
    agency = _agency(pk)
    unmasked = _unmasked(request, agency, personal_data)
    params = {
        "state": state or "",
        "year": str(year or ""),
        "outcome": outcome or "",
        "applicant_type": applicant_type or "",
    }
    flt = LedgerFilter.from_params(agency.pk, params)
    today = records.today()
    soon = soon_limit(today)
    rows = list(flt.apply(today, soon).order_by("-received", "-pk")[offset : offset + limit])
    if unmasked and rows:
        log_view(request, agency, "api", count=len(rows))
    counts = flt.counts(today, soon)
    return {
        "count": counts["all"] if not state else counts[state],
        "counts": counts,
        "items": [_out(r, state_of(r, today, soon), unmasked) for r in rows],
    }


@router.post("/agencies/{pk}/requests", response={201: RequestDetail, **WRITE_ERRORS}, summary="登记申请")
def create_request(request, pk: Id, body: RequestIn):
    agency = _agency(pk)
    _editor(request, agency)
    req = records.create_request(agency, body.dict(), request.user)
    return Status(201, _detail(request, req, unmasked=False))


@router.get(
    "/requests/{pk}", response={200: RequestDetail, **READ_ERRORS, 403: ErrorOut}, summary="一件申请（含期限计算过程）"
)
def get_request(request, pk: Id, personal_data: Annotated[bool, Query(alias="personal")] = False):
    req = _request(pk)
    unmasked = _unmasked(request, req, personal_data)
    if unmasked:
        log_view(request, req.agency, "api", req)
    return _detail(request, req, unmasked)


@router.patch("/requests/{pk}", response={200: RequestDetail, **WRITE_ERRORS}, summary="修改申请信息（留有版本）")
def update_request(request, pk: Id, body: RequestPatch):
    req = _request(pk)
    _editor(request, req.agency)
    req = records.update_request(req, body.dict(exclude_unset=True), request.user)
    return _detail(request, req, unmasked=False)


@router.post(
    "/requests/{pk}/events", response={201: RequestDetail, **WRITE_ERRORS}, summary="记录办理事项（补正、延期、答复等）"
)
def add_event(request, pk: Id, body: EventIn):
    req = _request(pk)
    _editor(request, req.agency)
    data = body.dict()
    data["on"] = data["on"].isoformat()
    records.add_event(req, data, request.user)
    return Status(201, _detail(request, _request(pk), unmasked=False))


@router.delete(
    "/requests/{pk}/events/{event_id}", response={200: RequestDetail, **WRITE_ERRORS}, summary="删除办理事项"
)
def delete_event(request, pk: Id, event_id: Id):
    req = _request(pk)
    _editor(request, req.agency)
    records.delete_event(req, event_id, request.user)
    return _detail(request, _request(pk), unmasked=False)


@router.get(
    "/requests/{pk}/versions",
    response={200: list[VersionOut], **READ_ERRORS, 403: ErrorOut},
    summary="修改记录（仅本机关工作人员）",
)
def versions(request, pk: Id):
    req = _request(pk)
    if not is_staff_of(request.user, req.agency):
        raise Forbidden("修改记录含申请人个人信息，仅本机关工作人员可查看")
    log_view(request, req.agency, "api", req)
    return [
        {
            "version": v.version,
            "action": v.action,
            "summary": v.summary,
            "user": v.user.get_username() if v.user_id else None,
            "at": v.created.isoformat(),
            "before": v.before,
            "after": v.after,
        }
        for v in req.versions.select_related("user").order_by("version")
    ]  # fmt: skip


@router.get(
    "/agencies/{pk}/statistics/{year}",
    response={200: dict, **READ_ERRORS},
    summary="年度统计：表三、表四（含每格对应的申请编号）",
)
def statistics(request, pk: Id, year: Year):
    agency = _agency(pk)
    stats = yearend.statistics(agency, year)
    return stats.to_json() | {"report": yearend.report_json(stats, agency)}


@router.post(
    "/lookup",
    auth=None,
    response={200: LookupOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="申请人凭查询码查询办理状态",
)
def lookup(request, code: Annotated[str, Field(max_length=32)]):
    public.throttle("lookup", client_address(request), public.LOOKUP_LIMIT)
    result = public.lookup(code)
    if result is None:
        return Status(404, {"code": "not_found", "message": "没有找到该查询码对应的申请"})
    return result
