"""Corrections: a cell value, the agency or the year. Each is a new version; the extracted value stays."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max

from gongkai.web.center.models import Agency, Cell, Correction, Report
from gongkai.web.center.services.documents import number, recheck
from gongkai.web.center.services.permissions import can_edit_agency, can_edit_report
from gongkai.web.center.services.refusal import Refused


class CorrectionError(Refused):
    """A correction that cannot be applied."""

    code = "invalid_correction"


def _check(user, report: Report, reason: str) -> str:
    if not can_edit_report(user, report):
        raise CorrectionError("您没有修改该年报的权限（仅限本人负责地区的编辑或管理员）", 403)
    reason = (reason or "").strip()
    if not reason:
        raise CorrectionError("请填写修改原因")
    return reason[:2000]


def parse_value(text: str, kind: str) -> Decimal:
    text = (text or "").strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CorrectionError(f"“{text}”不是数字") from None
    if not value.is_finite() or abs(value) >= Decimal("1e15"):
        raise CorrectionError("数值超出范围")
    if kind != "delta" and value < 0:
        raise CorrectionError("金额不能为负数" if kind == "money" else "件数不能为负数")
    if kind == "money":
        return value.quantize(Decimal("0.0001"))
    if value != value.to_integral_value():
        raise CorrectionError("件数必须是整数")
    return value


def _next_version(report: Report) -> int:
    return (report.corrections.aggregate(v=Max("version"))["v"] or 0) + 1


def _locked(report: Report) -> Report:
    # Serialises concurrent corrections of one report so versions stay 1, 2, 3…
    return Report.objects.select_for_update().get(pk=report.pk)


def _shown(value: Decimal | None, kind: str) -> str:
    shown = number(value, kind)
    return "" if shown is None else str(shown)


@transaction.atomic
def correct_cell(report: Report, path: str, value: str, reason: str, user) -> Correction:
    report = _locked(report)
    reason = _check(user, report, reason)
    cell = Cell.objects.filter(report=report, path=path).first()
    if cell is None:
        raise CorrectionError(f"该年报没有单元格 {path}", 404)
    new = parse_value(str(value), cell.kind)
    if cell.value is not None and new == cell.value:
        raise CorrectionError("新值与当前值相同，无需修改")
    correction = Correction.objects.create(
        report=report,
        cell=cell,
        field="value",
        old=_shown(cell.value, cell.kind),
        new=_shown(new, cell.kind),
        reason=reason,
        user=user,
        version=_next_version(report),
    )
    cell.value = new
    cell.corrected = new != cell.extracted or cell.kind in ("missing", "empty", "placeholder")
    cell.save(update_fields=["value", "corrected"])
    recheck(report)
    return correction


@transaction.atomic
def correct_year(report: Report, value, reason: str, user) -> Correction:
    report = _locked(report)
    reason = _check(user, report, reason)
    try:
        year = int(str(value).strip())
    except ValueError:
        raise CorrectionError("年度必须是四位数字") from None
    if not 1990 <= year <= 2100:
        raise CorrectionError("年度应在 1990 至 2100 之间")
    return _confirm_field(report, "year", str(report.year or ""), year, str(year), reason, user)


@transaction.atomic
def correct_agency(report: Report, agency_id, reason: str, user) -> Correction:
    report = _locked(report)
    reason = _check(user, report, reason)
    try:
        agency = Agency.objects.get(pk=int(agency_id))
    except (ValueError, TypeError, Agency.DoesNotExist):
        raise CorrectionError("所选机关不存在", 404) from None
    if not can_edit_agency(user, agency):
        raise CorrectionError("只能把年报归入您负责地区内的机关", 403)
    old = report.agency.name if report.agency else ""
    return _confirm_field(report, "agency", old, agency, agency.name, reason, user)


@transaction.atomic
def correct_agency_by_name(report: Report, name: str, reason: str, user) -> Correction:
    """Confirm or fix the agency by its name: an existing agency is linked, a new one is placed in the tree.
    A refusal rolls back any agency created on the way."""
    from gongkai.web.center.services.agencies import place_agency

    name = (name or "").strip()
    if not 2 <= len(name) <= 200:
        raise CorrectionError("请填写机关全称（2 至 200 个字）")
    _check(user, report, reason)
    return correct_agency(report, place_agency(name).pk, reason, user)


def _confirm_field(report: Report, field: str, old: str, value, shown: str, reason: str, user) -> Correction:
    """Record a user's fix of the report's agency or year: versioned, confidence 1, checks re-run."""
    correction = Correction.objects.create(
        report=report, field=field, old=old, new=shown, reason=reason, user=user, version=_next_version(report)
    )
    setattr(report, field, value)
    setattr(report, f"{field}_confidence", 1.0)
    setattr(report, f"{field}_source", "user")
    report.save(update_fields=[field, f"{field}_confidence", f"{field}_source", "updated"])
    recheck(report)
    return correction
