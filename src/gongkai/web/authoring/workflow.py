"""Who may do what with a draft, and the review steps: submit → return or approve → publish.

The agency writes (an editor whose region holds the agency); its supervising office reviews (an editor whose
region holds the agency strictly above it, or an admin), and never the person who submitted.  A draft is
submitted and approved only when the core finds nothing blocking (`AnnualReportDraft.readiness`)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from gongkai.authoring import AnnualReportDraft, DraftError
from gongkai.web.center.models import Agency, Report
from gongkai.web.center.services.permissions import ADMIN, EDITOR, can_edit_agency, region_id, role

from .models import APPROVED, DRAFT, PUBLISHED, RETURNED, SUBMITTED, DraftEvent, ReportDraft


class Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def may_write_for(user, agency: Agency) -> bool:
    """The agency itself writes: an editor whose region is that agency (or an editor for the whole tree, or
    an admin).  An editor whose region holds it strictly above is its supervising office: it reviews."""
    if not can_edit_agency(user, agency):
        return False
    root = region_id(user)
    return role(user) == ADMIN or root is None or root == agency.pk


def can_write(user, draft: ReportDraft) -> bool:
    return may_write_for(user, draft.agency)


def can_review(user, draft: ReportDraft) -> bool:
    """The supervising office: its region holds the agency strictly above it."""
    who = role(user)
    if who == ADMIN:
        return True
    if who != EDITOR:
        return False
    root = region_id(user)
    if root is None:
        return True  # an editor for the whole tree
    return root != draft.agency_id and root in {a.pk for a in draft.agency.ancestors()}


def core(draft: ReportDraft) -> AnnualReportDraft:
    return AnnualReportDraft.from_json(draft.data)


def _event(draft: ReportDraft, user, action: str, comment: str = "") -> None:
    DraftEvent.objects.create(draft=draft, user=user, action=action, comment=comment, status=draft.status)


def start(agency: Agency, year: int, user) -> ReportDraft:
    """A new draft for an agency's year, with last year's report (a draft, else a stored report) beside it."""
    if not may_write_for(user, agency):
        raise Refused("只能为本机关编写年报（上级主管部门负责审核）")
    if ReportDraft.objects.filter(agency=agency, year=year).exists():
        raise Refused(f"{agency.name}{year}年度的报告已在编写")
    try:
        new = AnnualReportDraft(agency=agency.name, year=year, level=agency.level or None)
    except DraftError as exc:
        raise Refused(str(exc)) from None
    new.is_department = agency.kind == "department"
    previous = ReportDraft.objects.filter(agency=agency, year=year - 1).first()
    if previous is not None:
        new.take_previous(core(previous))
    else:
        stored = Report.objects.filter(agency=agency, year=year - 1).order_by("-pk").first()
        if stored is not None:
            _take_stored(new, stored.parsed)
    draft = ReportDraft.objects.create(agency=agency, year=year, data=new.to_json(), created_by=user)
    _event(draft, user, "create")
    return draft


def _take_stored(new: AnnualReportDraft, data: dict) -> None:
    """Last year's published report as stored by the data center (report/v1 JSON: its tables, no text)."""
    active = data.get("active") or {}
    new.previous_in_force = {
        row: int(active[row]["in_force"])
        for row in ("rules", "normative_documents")
        if isinstance(active.get(row), dict) and active[row].get("in_force") is not None
    }


def save(draft: ReportDraft, user, updated: AnnualReportDraft) -> None:
    if not can_write(user, draft):
        raise Refused("没有编辑该机关年报的权限")
    if draft.status not in (DRAFT, RETURNED):
        raise Refused("报告已报送，审核退回后才能修改")
    draft.data = updated.to_json()
    draft.save()
    _event(draft, user, "save")


def _blocking(draft: ReportDraft) -> list[str]:
    return [issue.message for issue in core(draft).readiness()]


@transaction.atomic
def act(draft: ReportDraft, user, action: str, comment: str = "") -> None:
    draft = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    if action == "submit":
        if not can_write(user, draft):
            raise Refused("只有编写机关可以报送")
        if draft.status not in (DRAFT, RETURNED):
            raise Refused("报告已报送")
        blocking = _blocking(draft)
        if blocking:
            raise Refused("报告尚不能报送：" + "；".join(blocking))
        draft.status = SUBMITTED
    elif action in ("return", "approve"):
        if not can_review(user, draft):
            raise Refused("只有上级政府信息公开工作主管部门可以审核")
        if draft.status != SUBMITTED:
            raise Refused("只能审核已报送的报告")
        submitter = draft.events.filter(action="submit").order_by("-at", "-pk").first()
        if submitter is not None and submitter.user_id == user.pk:
            raise Refused("不能审核自己报送的报告")
        if action == "return":
            if not comment.strip():
                raise Refused("退回时请写明修改意见")
            draft.status = RETURNED
        else:
            blocking = _blocking(draft)
            if blocking:
                raise Refused("报告未通过检查，不能审核通过：" + "；".join(blocking))
            draft.status = APPROVED
    elif action == "publish":
        if not (can_write(user, draft) or can_review(user, draft)):
            raise Refused("没有发布该报告的权限")
        if draft.status != APPROVED:
            raise Refused("报告审核通过后才能发布")
        draft.published_report = _publish(draft, user)
        draft.status = PUBLISHED
    else:
        raise Refused(f"未知的操作：{action}")
    draft.save()
    _event(draft, user, action, comment)


def _publish(draft: ReportDraft, user) -> Report:
    """Publication date set (today when not planned), and the web page stored in the data center."""
    from gongkai.authoring.html_writer import build_html
    from gongkai.web.center.services.ingest import ingest_bytes

    report = core(draft)
    if report.published is None:
        report.published = date.today()
        draft.data = report.to_json()
    page = build_html(report).encode("utf-8")
    return ingest_bytes(page, f"{report.title()}.html", user).report
