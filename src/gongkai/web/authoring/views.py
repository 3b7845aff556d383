"""Pages: the drafts a user may write or review, one draft's page (tables with live checks, the written sections
beside last year's, what still blocks it, the review steps), and its files (Word, PDF, web page)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.authoring import DraftError
from gongkai.authoring.spec import authoring
from gongkai.authoring.tables import layouts
from gongkai.spec import SECTIONS
from gongkai.web.center.models import Agency
from gongkai.web.center.services.permissions import can_upload, region_id

from . import workflow
from .models import DRAFT, RETURNED, ReportDraft

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def _visible(user) -> list[ReportDraft]:
    drafts = ReportDraft.objects.select_related("agency", "agency__parent")
    return [d for d in drafts if workflow.can_write(user, d) or workflow.can_review(user, d)]


@login_required
def draft_list(request):
    if request.method == "POST":
        if not can_upload(request.user):
            raise PermissionDenied("需要编辑账号")
        agency = get_object_or_404(Agency, pk=request.POST.get("agency") or 0)
        try:
            year = int(request.POST.get("year", ""))
            draft = workflow.start(agency, year, request.user)
        except ValueError:
            messages.error(request, "请填写年度")
        except workflow.Refused as exc:
            messages.error(request, exc.message)
        else:
            return redirect("authoring:draft", pk=draft.pk)
    root = region_id(request.user)  # an agency writes its own report; an editor for the whole tree any
    agencies = Agency.objects.all() if root is None else Agency.objects.filter(pk=root)
    return render(
        request,
        "authoring/draft_list.html",
        {"drafts": _visible(request.user), "agencies": agencies[:500], "can_start": can_upload(request.user)},
    )


def _get(request, pk: int) -> ReportDraft:
    draft = get_object_or_404(ReportDraft.objects.select_related("agency"), pk=pk)
    if not (workflow.can_write(request.user, draft) or workflow.can_review(request.user, draft)):
        raise PermissionDenied("没有查看该草稿的权限")
    return draft


def _apply_form(core, post) -> list[str]:
    """The posted form into the core draft; returns the messages of values it refused."""
    errors = []
    for table in layouts(core.format_id).values():
        for path in table.value_paths():
            if f"cell:{path}" in post:
                raw = post[f"cell:{path}"].strip()
                try:
                    core.set_value(path, raw.replace(",", "") or None)
                except DraftError as exc:
                    errors.append(f"{path}：{exc}")
    for section in SECTIONS:
        if f"text:{section.key}" in post:
            core.texts[section.key] = post[f"text:{section.key}"].replace("\r\n", "\n")
    if "fee" in post:
        try:
            core.processing_fee_yuan = core_amount(post["fee"])
        except DraftError as exc:
            errors.append(str(exc))
    if "published" in post:
        try:
            core.published = date.fromisoformat(post["published"]) if post["published"].strip() else None
        except ValueError:
            errors.append("计划发布日期格式应为 2024-01-20")
    for key, value in post.items():
        if key.startswith("ack:"):
            rule = key[4:]
            if value.strip():
                core.acknowledgements[rule] = value.strip()
            else:
                core.acknowledgements.pop(rule, None)
    return errors


def core_amount(raw: str):
    from gongkai.authoring.figures import amount_in_wan_yuan

    raw = raw.strip()
    if not raw:
        return None
    return (amount_in_wan_yuan(raw, "元") * 10000).normalize()  # the fee is entered in 元, exactly


@login_required
def draft_detail(request, pk: int):
    draft = _get(request, pk)
    core = workflow.core(draft)
    if request.method == "POST":
        errors = _apply_form(core, request.POST)
        if "refresh_figures" in request.POST:
            changed = core.refresh_figures()
            messages.info(request, f"已按表格更新正文中的{changed}处数字")
        for text in errors:
            messages.error(request, text)
        if not errors:
            try:
                workflow.save(draft, request.user, core)
            except workflow.Refused as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "已保存")
                return redirect("authoring:draft", pk=draft.pk)
    report = core.to_report()
    flagged = core.cell_findings(report)
    tables = []
    for table in layouts(core.format_id).values():
        rows = []
        for row in table.rows:
            cells = []
            for cell in row:
                item = {"cell": cell}
                if cell.path:
                    value = core.value(cell.path)
                    item["value"] = "" if value is None else str(value)
                    item["findings"] = [f.message for f in flagged.get(cell.path, [])]
                cells.append(item)
            rows.append(cells)
        tables.append({"heading": table.heading, "rows": rows})
    sections = [
        {
            "key": s.key,
            "heading": f"{s.number}、{s.label}",
            "text": core.texts.get(s.key, ""),
            "previous": core.previous_texts.get(s.key, ""),
            "offered": core.offered_sentences().get(s.key, []),
        }
        for s in SECTIONS
        if not s.table
    ]
    issues = core.readiness(report)
    ack_rules = sorted({i.rule for i in issues if i.acknowledgeable and i.rule} | set(core.acknowledgements))
    deadline = core.deadline()
    editable = workflow.can_write(request.user, draft) and draft.status in (DRAFT, RETURNED)
    return render(
        request,
        "authoring/draft_detail.html",
        {
            "draft": draft,
            "core": core,
            "title": core.title(),
            "tables": tables,
            "sections": sections,
            "issues": issues,
            "acks": [(rule, core.acknowledgements.get(rule, "")) for rule in ack_rules],
            "previous_problems": core.previous_problems(),
            "reconciliation": core.in_force_reconciliation(),
            "deadline": deadline,
            "editable": editable,
            "can_review": workflow.can_review(request.user, draft),
            "can_write": workflow.can_write(request.user, draft),
            "events": draft.events.select_related("user"),
            "fee": "" if core.processing_fee_yuan is None else core.processing_fee_yuan,
            "consolidation": draft.events.filter(action="consolidate").order_by("-at", "-pk").first(),
            "chars_per_line": authoring()["page"]["chars_per_line"],
            **_live(core),
        },
    )


@login_required
@require_POST
def draft_action(request, pk: int, action: str):
    draft = _get(request, pk)
    try:
        workflow.act(draft, request.user, action, request.POST.get("comment", ""), request.POST.get("url", ""))
    except workflow.Refused as exc:
        messages.error(request, exc.message)
    else:
        done = {"submit": "已报送", "return": "已退回", "approve": "已审核通过", "publish": "已发布"}
        messages.success(request, done.get(action, "已完成"))
    return redirect("authoring:draft", pk=pk)


@login_required
@require_POST
def draft_import(request, pk: int, kind: str):
    """A spreadsheet into 表二: the register of 规章 and 行政规范性文件 (第二十条（一）, reconciled with last year),
    or the decisions and fees of （五）（六）（八） with their units."""
    from gongkai.authoring.figures import import_active_figures
    from gongkai.authoring.registry import import_register

    draft = _get(request, pk)
    core = workflow.core(draft)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择 Excel 文件（.xlsx）")
        return redirect("authoring:draft", pk=pk)
    try:
        data = upload.read()
        if kind == "register":
            register = import_register(data)
            core.apply_register(register)
            for line in register.reconcile(core.year, core.previous_in_force or None):
                (messages.info if line.holds else messages.warning)(request, line.explain())
            for problem in register.problems():
                messages.warning(request, f"登记簿：{problem}")
        elif kind == "figures":
            for row, values in import_active_figures(data, core.format_id).items():
                core.active[row].update(values)
        else:
            raise DraftError(f"未知的导入类型：{kind}")
        workflow.save(draft, request.user, core, action="import", comment=upload.name)
    except DraftError as exc:
        messages.error(request, str(exc))
    except workflow.Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已导入 {upload.name}")
    return redirect("authoring:draft", pk=pk)


@login_required
def draft_file(request, pk: int, fmt: str):
    from gongkai.authoring.render import TARGETS
    from gongkai.authoring.render import render as render_file

    draft = _get(request, pk)
    if fmt not in TARGETS:
        raise PermissionDenied("未知的文件格式")
    core = workflow.core(draft)
    try:
        data = render_file(core, fmt)
    except DraftError as exc:
        messages.error(request, str(exc))
        return redirect("authoring:draft", pk=pk)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(core.title())}.{fmt}"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


@login_required
def supervision(request):
    """Every agency the office oversees, with the state of its report for a year and who is late."""
    from . import supervision as sup

    if not sup.may_supervise(request.user):
        raise PermissionDenied("需要编辑账号（政府信息公开工作主管部门）")
    year = date.today().year - 1
    if request.GET.get("year"):
        try:
            asked = int(request.GET["year"])
        except ValueError:
            asked = 0
        if 2008 <= asked <= 2100:
            year = asked
        else:
            messages.error(request, f"年度应为2008至2100之间的年份，已显示{year}年度")
    rows = sup.board(request.user, year)
    summary = sup.counts(rows)
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    late = request.GET.get("late", "")
    shown = [
        r
        for r in rows
        if (not state or r.state == state) and (not kind or r.agency.kind == kind) and (not late or r.late)
    ]
    return render(
        request,
        "authoring/supervision.html",
        {
            "year": year,
            "rows": shown,
            "summary": summary,
            "states": sup.STATES,
            "state": state,
            "kind": kind,
            "late": late,
            "today": date.today(),
            "offices": [r.agency for r in rows if r.depth == 0 and workflow.may_write_for(request.user, r.agency)],
        },
    )


@login_required
def draft_history(request, pk: int):
    draft = _get(request, pk)
    return render(
        request,
        "authoring/history.html",
        {"draft": draft, "events": draft.events.select_related("user").order_by("-at", "-pk")},
    )


@login_required
@require_POST
def draft_ledger(request, pk: int):
    """表三、表四 (and the 信息处理费 of section 六) from the agency's request ledger, as a new version."""
    draft = _get(request, pk)
    try:
        note = workflow.take_ledger(draft, request.user)
    except workflow.Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, note)
    return redirect("authoring:draft", pk=pk)


@login_required
@require_POST
def draft_check(request, pk: int):
    """The live check of the tables as typed (htmx): the entered values are checked, not saved."""
    draft = _get(request, pk)
    core = workflow.core(draft)
    errors = _apply_form(core, request.POST)
    return render(request, "authoring/_live_check.html", _live(core, errors))


def _live(core, errors: list[str] | None = None) -> dict:
    """Findings that name a table cell, with the cells to mark."""
    paths = {p for t in layouts(core.format_id).values() for p in t.value_paths()}
    findings, cells, seen = [], set(), set()
    for finding in core.to_report().findings:
        named = [c for c in finding.cells if c in paths]
        if not named or finding.message in seen:
            continue
        seen.add(finding.message)
        findings.append(finding)
        cells.update(named)
    return {"live_findings": findings, "live_cells": sorted(cells), "live_errors": errors or []}


@login_required
@require_POST
def consolidate(request):
    """The office's own report made the consolidated one (本级 + 所属部门 + 下级政府)."""
    agency = get_object_or_404(Agency, pk=request.POST.get("agency") or 0)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, "请填写年度")
        return redirect("authoring:supervision")
    try:
        draft, note = workflow.consolidate(agency, year, request.user)
    except workflow.Refused as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('authoring:supervision')}?year={year}")
    messages.success(request, note)
    return redirect("authoring:draft", pk=draft.pk)
