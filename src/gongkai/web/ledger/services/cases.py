"""Reviews and lawsuits (表四): stored rows, checked by the core's validate_case."""

from __future__ import annotations

from django.db import transaction

from gongkai.ledger import model as core
from gongkai.ledger.validate import validate_case
from gongkai.web.center.services.refusal import Refused
from gongkai.web.ledger.models import Case, Request
from gongkai.web.ledger.services.records import InvalidChange, parse_date


def core_case(case: Case, by_number: bool = False) -> core.Case:
    """The core's Case; ids are primary keys, or the ledger's numbers for an export (as core_request)."""
    if by_number:
        request_id = case.request.number if case.request_id else None
    else:
        request_id = str(case.request_id) if case.request_id else None
    return core.Case(
        id=case.number if by_number else str(case.pk),
        agency=case.agency.name,
        kind=case.kind,
        filed=case.filed,
        outcome=case.outcome or "pending",
        closed=case.closed,
        request_id=request_id,
    )


def _fill(case: Case, data: dict) -> None:
    case.number = (data.get("number") or case.number or "").strip()[:64]
    case.kind = (data.get("kind") or "").strip()
    case.filed = parse_date(data.get("filed"), "收到日期")
    case.outcome = (data.get("outcome") or "pending").strip()
    case.closed = parse_date(data["closed"], "审结日期") if data.get("closed") else None
    number = (data.get("request_number") or "").strip()
    if number:
        req = Request.objects.filter(agency=case.agency, number=number).first()
        if req is None:
            raise Refused(f"本机关台账中没有编号为“{number}”的申请")
        case.request = req
    elif "request_number" in data:
        case.request = None
    if not case.number:
        raise Refused("请填写案件编号")
    problems = validate_case(core_case(case))
    if problems:
        raise InvalidChange("；".join(p.message_zh for p in problems))
    clash = Case.objects.filter(agency=case.agency, number=case.number).exclude(pk=case.pk)
    if clash.exists():
        raise Refused(f"案件编号“{case.number}”已被使用")


@transaction.atomic
def create_case(agency, data: dict) -> Case:
    case = Case(agency=agency)
    _fill(case, data)
    case.save()
    return case


@transaction.atomic
def update_case(case: Case, data: dict) -> Case:
    case = Case.objects.select_for_update().select_related("agency").get(pk=case.pk)
    _fill(case, data)
    case.save()
    return case
