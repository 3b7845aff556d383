"""Report pages: the tables, the evidence of one cell, the original text, corrections."""

from __future__ import annotations

import json
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gongkai.spec import FORMATS
from gongkai.web.center.models import Agency, Finding, Report
from gongkai.web.center.services import corrections, export_jobs
from gongkai.web.center.services.compare import against_previous_year
from gongkai.web.center.services.documents import number
from gongkai.web.center.services.evidence import page_png, snippet
from gongkai.web.center.services.permissions import can_edit_report
from gongkai.web.center.services.presentation import (
    IDENTITY_NOTE,
    evidence_view,
    filled_tables,
    severity_name,
    sorted_findings,
)
from gongkai.web.center.services.queries import LEVEL_CHOICES, MISSING_CHOICES, SORTS, ReportFilter
from gongkai.web.center.templatetags.gongkai_tags import to_confirm
from gongkai.web.center.views.common import attempt, get_report

PAGE_SIZE = 50
# The report page reads its parsed JSON and the document's texts only when it needs them (cache misses, evidence).
DETAIL_DEFERRED = ("parsed", "document__source_text", "document__rendered_text")


@require_GET
def report_list(request):
    flt = ReportFilter.from_params(request.GET)
    page = Paginator(flt.ordered(), PAGE_SIZE).get_page(request.GET.get("page"))
    years = Report.objects.exclude(year=None).order_by("-year").values_list("year", flat=True).distinct()
    rules = Finding.objects.order_by("rule").values_list("rule", "title").distinct()
    return render(
        request,
        "center/report_list.html",
        {
            "page": page,
            "flt": flt,
            "query": flt.query_string(),
            "years": years,
            "formats": FORMATS.values(),
            "statuses": Report.STATUS,
            "levels": LEVEL_CHOICES,
            "missing_choices": MISSING_CHOICES,
            "rules": dict(rules),  # one title per rule
            "sorts": {key: flt.sort_link(key) for key in SORTS},
            "agency": Agency.objects.filter(pk=flt.agency).first() if flt.agency else None,
            "export_limit": export_jobs.max_reports(),
            "background_over": export_jobs.background_over(),
        },
    )


RENDER_VERSION = "2"  # bump when the cached fragments' templates change in a way old entries must not survive


class ReportPage:
    """The costly parts of the report page: computed only when its cached fragments are rendered afresh
    (the template reads them through these properties, inside `{% cache %}` blocks)."""

    def __init__(self, report: Report, open_path: str) -> None:
        self.report, self.open_path = report, open_path

    @cached_property
    def parsed(self) -> dict:
        return Report.objects.values_list("parsed", flat=True).get(pk=self.report.pk)

    @cached_property
    def findings(self) -> list:
        findings = sorted_findings(self.report.finding_rows.all())
        labels = dict(self.report.cell_rows.values_list("path", "label"))
        for f in findings:
            f.severity_name = severity_name(f.severity)
            f.cell_links = [(p, labels.get(p, p)) for p in f.cells or []]
        return findings

    @cached_property
    def _previous(self):
        return against_previous_year(self.report)

    @property
    def previous(self):
        return self._previous[0]

    @property
    def cross_year(self):
        return self._previous[1]

    @cached_property
    def tables(self) -> list[dict]:
        return filled_tables(self.report, self.findings, self.cross_year, self.parsed)

    @cached_property
    def tamper_findings(self) -> list:
        return [f for f in self.findings if f.rule.startswith("tamper.")]

    @cached_property
    def tamper(self) -> list:
        return self.parsed.get("tamper") or []

    @cached_property
    def narrative_facts(self) -> list:
        return self.parsed.get("narrative_facts") or []

    @cached_property
    def corrections(self):
        return list(self.report.corrections.select_related("cell", "user"))


def page_version(report: Report) -> str:
    """What the cached parts of a report page depend on: the report's data (its `updated` moves with every
    correction and re-check), its agency and year, and the previous year's report it is checked against."""
    previous = None
    if report.agency_id is not None and report.year is not None:
        earlier = Report.objects.filter(agency_id=report.agency_id, year=report.year - 1).order_by("-created", "-pk")
        previous = earlier.values_list("pk", "updated").first()
    prev = f"{previous[0]}@{previous[1].timestamp()}" if previous else "-"
    return f"{RENDER_VERSION}:{report.updated.timestamp()}:{report.agency_id}:{report.year}:{prev}"


def _meta(pk: int) -> dict:
    """The parsed document's `meta` (agency guess, publication date) without loading the whole document."""
    meta = Report.objects.filter(pk=pk).values_list("parsed__meta", flat=True).first() or {}
    return json.loads(meta) if isinstance(meta, str) else meta  # some backends return a key's JSON text


@require_GET
def report_detail(request, pk: int):
    # The agency's ancestors come in the same query (the breadcrumb walks up to four levels).
    reports = Report.objects.select_related("agency__parent__parent__parent__parent", "document")
    report = get_object_or_404(reports.defer(*DETAIL_DEFERRED), pk=pk)
    open_path = request.GET.get("path", "")[:200]
    version = page_version(report)
    # Anonymous readers all see the same page (no form, no CSRF token, no message): served whole from the cache.
    shared = not request.user.is_authenticated and not request.GET and not len(messages.get_messages(request))
    page_key = f"report-page:{pk}:{version}"
    if shared and (html := cache.get(page_key)) is not None:
        return HttpResponse(html)
    can_edit = can_edit_report(request.user, report)
    meta = cache.get_or_set(f"report-meta:{pk}:{version}", lambda: _meta(pk), 86400)
    spec = FORMATS.get(report.format)
    response = render(
        request,
        "center/report_detail.html",
        {
            "report": report,
            "page": ReportPage(report, open_path),
            "version": version,
            "meta": meta,
            # The agency field starts from the confirmed agency, else the parser's guess (None when none was found).
            "agency_guess": report.agency.name if report.agency else (meta.get("agency") or {}).get("name") or "",
            "format_name": spec.name if spec else report.format,
            "identity_note": IDENTITY_NOTE,
            "page_url": "?path=",
            "cell_url": reverse("center:evidence", args=[report.pk]) + "?path=",
            "can_edit": can_edit,
            "needs_confirming": to_confirm(report),
            "open_path": open_path,
            # Rendered on the server too, so a link to a cell works without JavaScript.
            "evidence": evidence_context(request, report, open_path) if open_path else None,
        },
    )
    if shared:
        cache.set(page_key, response.content.decode(), 86400)
    return response


def evidence_context(request, report: Report, path: str) -> dict | None:
    cell = report.cell_rows.filter(path=path).first()
    if cell is None:
        return None
    findings = sorted_findings(f for f in report.finding_rows.all() if path in (f.cells or []))
    for f in findings:
        f.severity_name = severity_name(f.severity)
    current, extracted = number(cell.value, cell.kind), number(cell.extracted, cell.kind)
    document = report.document
    return {
        "report": report,
        "cell": cell,
        "current": current,
        "extracted": extracted,
        "unit": "万元" if cell.kind == "money" else "",
        "snippet": evidence_view(cell, snippet(cell, document.source_text, document.kind), document),
        "identity_note": IDENTITY_NOTE,
        "findings": findings,
        "history": cell.corrections.select_related("user"),
        "can_edit": can_edit_report(request.user, report),
    }


@require_GET
def evidence(request, pk: int):
    report = get_report(pk)
    path = request.GET.get("path", "")
    context = evidence_context(request, report, path)
    if context is None:
        return render(request, "center/_evidence_missing.html", {"path": path}, status=404)
    return render(request, "center/_evidence.html", context)


@require_GET
def page_image(request, pk: int):
    """A PDF page as PNG with the box of one cell's evidence drawn on it."""
    report = get_report(pk)
    cell = report.cell_rows.filter(path=request.GET.get("path", "")).first()
    location = (cell.evidence or {}).get("location") if cell else None
    if report.document.kind != "pdf" or not location or "page" not in location:
        raise Http404("该单元格没有 PDF 页面位置")
    png = page_png(report.document, location["page"], location["bbox"])
    if png is None:
        raise Http404("原文件中没有这一页")
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def source(request, pk: int):
    report = get_report(pk)
    lines = report.document.rendered_text.splitlines()
    return render(
        request,
        "center/report_source.html",
        {"report": report, "lines": lines, "tamper": report.parsed.get("tamper") or []},
    )


def _correction_response(request, report: Report, action, anchor: str = "") -> HttpResponse:
    """Apply a correction and go back to the report page, with the outcome as a message."""
    attempt(request, action, "已保存修改，检查结果已重新计算")
    return redirect(reverse("center:report", args=[report.pk]) + anchor)


@login_required
@require_POST
def correct_cell(request, pk: int):
    report = get_report(pk)
    path = request.POST.get("path", "")
    return _correction_response(
        request,
        report,
        lambda: corrections.correct_cell(
            report, path, request.POST.get("value", ""), request.POST.get("reason", ""), request.user
        ),
        f"?path={path}#evidence",
    )


@login_required
@require_POST
def correct_meta(request, pk: int):
    report = get_report(pk)
    field = request.POST.get("field")
    reason = request.POST.get("reason", "")
    if field == "year":
        return _correction_response(
            request,
            report,
            lambda: corrections.correct_year(report, request.POST.get("value", ""), reason, request.user),
        )
    if field == "agency":
        return _correction_response(
            request,
            report,
            lambda: corrections.correct_agency_by_name(report, request.POST.get("value", ""), reason, request.user),
        )
    messages.error(request, "未知的修改项")
    return redirect("center:report", pk=report.pk)


@login_required
@require_GET
def original(request, pk: int):
    """The uploaded file, as a download only: served as opaque bytes so a browser never renders its HTML."""
    report = get_report(pk)
    response = FileResponse(
        report.document.file.open("rb"),
        as_attachment=True,
        filename=report.document.filename,
        content_type="application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox"
    return response
