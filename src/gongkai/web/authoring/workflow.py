"""Who may do what with a draft, and the review steps: submit → return or approve → publish.

The agency writes (an editor whose region holds the agency); its supervising office reviews (an editor whose
region holds the agency strictly above it, or an admin), and never the person who submitted.  A draft is
submitted and approved only when the core finds nothing blocking (`AnnualReportDraft.readiness`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from gongkai.authoring import AnnualReportDraft, DraftError
from gongkai.authoring.history import changes
from gongkai.web.center.models import Agency, Report
from gongkai.web.center.services.permissions import ADMIN, EDITOR, can_edit_agency, region_id, role

from .models import APPROVED, DRAFT, PUBLISHED, RETURNED, STATUSES, SUBMITTED, DraftEvent, ReportDraft


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


def _event(draft: ReportDraft, user, action: str, comment: str = "", changes: list | None = None) -> DraftEvent:
    return DraftEvent.objects.create(
        draft=draft, user=user, action=action, comment=comment, status=draft.status, changes=changes or []
    )


def _status_change(before: str, after: str) -> list[dict]:
    names = dict(STATUSES)
    return [{"path": "status", "label": "状态", "before": names.get(before, before), "after": names.get(after, after)}]


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
    _event(draft, user, "create", changes=changes(None, draft.data))
    return draft


def _take_stored(new: AnnualReportDraft, data: dict) -> None:
    """Last year's published report as stored by the data center (report/v1 JSON: its tables, no text)."""
    active = data.get("active") or {}
    new.previous_in_force = {
        row: int(active[row]["in_force"])
        for row in ("rules", "normative_documents")
        if isinstance(active.get(row), dict) and active[row].get("in_force") is not None
    }


def check_writable(draft: ReportDraft, user) -> None:
    if not can_write(user, draft):
        raise Refused("没有编辑该机关年报的权限")
    if draft.status not in (DRAFT, RETURNED):
        raise Refused("报告已报送，审核退回后才能修改")


@transaction.atomic
def save(draft: ReportDraft, user, updated: AnnualReportDraft, action: str = "save", comment: str = "") -> list[dict]:
    """Store a new version; the event records every value that changed (before and after).  Returns them."""
    check_writable(draft, user)
    before = ReportDraft.objects.select_for_update().get(pk=draft.pk).data
    draft.data = updated.to_json()
    diff = changes(before, draft.data)
    draft.save()
    _event(draft, user, action, comment, diff)
    return diff


def _blocking(draft: ReportDraft) -> list[str]:
    return [issue.message for issue in core(draft).readiness()]


@transaction.atomic
def act(draft: ReportDraft, user, action: str, comment: str = "", url: str = "") -> None:
    """`url`, with publish: the address of the report on the agency's website (http or https)."""
    draft = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    before, before_data, before_url = draft.status, draft.data, draft.published_url
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
        if url.strip():
            try:
                URLValidator(schemes=["http", "https"])(url.strip())
            except ValidationError:
                raise Refused("发布网址无效：请填写以 http:// 或 https:// 开头的完整网址") from None
            draft.published_url = url.strip()
        draft.published_report = _publish(draft, user)
        draft.status = PUBLISHED
    else:
        raise Refused(f"未知的操作：{action}")
    draft.save()
    diff = _status_change(before, draft.status)
    if action == "publish" and draft.data != before_data:
        diff += changes(before_data, draft.data)
    if draft.published_url != before_url:
        diff.append({"path": "published_url", "label": "发布网址", "before": before_url, "after": draft.published_url})
    _event(draft, user, action, comment, diff)


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


def take_ledger(draft: ReportDraft, user) -> str:
    """表三 and 表四 of the agency's year from its request ledger (the ledger app's year-end statistics, the
    core's year_statistics), and the 信息处理费 collected that year when the ledger records payments; saved
    as a new version.  Returns what was done, in Chinese."""
    from django.db.models import Sum

    from gongkai.web.ledger.models import Case, Event, Request
    from gongkai.web.ledger.services.yearend import statistics

    check_writable(draft, user)
    agency = draft.agency
    if not Request.objects.filter(agency=agency).exists() and not Case.objects.filter(agency=agency).exists():
        raise Refused(f"依申请公开台账中没有{agency.name}的申请和复议诉讼记录，无法取数")
    stats = statistics(agency, draft.year)
    updated = core(draft)
    try:
        updated.set_requests({"requests": stats.requests, "review_litigation": stats.review_litigation})
    except DraftError as exc:
        raise Refused(f"台账统计无法填入{updated.format.name}的表格：{exc}") from None
    fees = Event.objects.filter(request__agency=agency, kind="fee_paid", on__year=draft.year)
    note = f"已从依申请台账取得{draft.year}年度表三、表四数据"
    if fees.exists():
        total = fees.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        updated.processing_fee_yuan = Decimal(total).normalize()  # 200, not 200.00 (PostgreSQL keeps the scale)
        note += f"，信息处理费{format(updated.processing_fee_yuan, 'f')}元"
    else:
        note += "（台账没有收费记录，信息处理费未改动）"
    if stats.excluded:
        note += f"；{len(stats.excluded)}件申请按年末统计规则未计入"
    diff = save(draft, user, updated, action="ledger")
    return note + f"；{len(diff)}项数值有变化"


@transaction.atomic
def consolidate(agency: Agency, year: int, user) -> tuple[ReportDraft, str]:
    """The office's own report made the consolidated one: its 本级 figures (kept aside the first time, so that a
    second run does not count them twice) plus its departments' and lower governments' figures.  Reports the
    data center stores (published drafts among them) are summed by the center's consolidation; a subordinate's
    draft that is submitted or approved but not yet published is added from the draft.  Saved as a version."""
    from gongkai.authoring.consolidation import consolidate_into, draft_values
    from gongkai.web.center.services.consolidate import consolidate as center_consolidate

    draft = ReportDraft.objects.filter(agency=agency, year=year).first() or start(agency, year, user)
    check_writable(draft, user)
    draft = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    target = core(draft)
    if draft.own_tables is None:
        plain = {p: format(v, "f") if isinstance(v, Decimal) else v for p, v in draft_values(target).items()}
        draft.own_tables = plain
        draft.save(update_fields=["own_tables"])
    own = {p: Decimal(v) if isinstance(v, str) else v for p, v in draft.own_tables.items()}
    center = center_consolidate(agency, year)
    stored = {c.agency.pk for c in center.contributors if c.report is not None}
    if center.reports and center.format_id and center.format_id != target.format_id:
        raise Refused(f"下级报告的格式（{center.format_id}）与本报告（{target.format_id}）不同，不能汇总")
    in_review = {
        d.agency_id: d
        for d in ReportDraft.objects.filter(
            agency__parent=agency, year=year, status__in=(SUBMITTED, APPROVED, PUBLISHED)
        )
        if d.agency_id not in stored
    }
    parts = [center.sums, *(draft_values(core(d)) for d in in_review.values())]
    try:
        foreign = consolidate_into(target, own, parts)
    except DraftError as exc:
        raise Refused(f"汇总数无法填入报告：{exc}") from None
    if foreign:
        raise Refused("下级报告中有本报告格式没有的栏目，不能汇总：" + "、".join(foreign[:5]))
    used = [c.agency.name for c in center.contributors if c.report is not None]
    used += [d.agency.name for d in in_review.values()]
    missing = [c.agency.name for c in center.contributors if c.report is None and c.agency.pk not in in_review]
    note = f"汇总本级及{len(used)}个所属部门、下级政府：" + ("、".join(used) or "无")
    if missing:
        note += f"；未报送或未审核的{len(missing)}个未计入：" + "、".join(missing)
    failed = [c.agency.name for c in center.failed]
    if failed:
        note += "；以下单位的报告未通过检查（已计入）：" + "、".join(failed)
    save(draft, user, target, action="consolidate", comment=note)
    return draft, note
