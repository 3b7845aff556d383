"""Home page and the findings overview."""

from __future__ import annotations

from pathlib import Path

from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.web.center.models import Agency, Finding, IngestJob, Report
from gongkai.web.center.services.presentation import severity_name
from gongkai.web.center.services.queries import LIST_DEFERRED, ReportFilter

FAVICON = Path(__file__).resolve().parents[2] / "static" / "gongkai" / "favicon.ico"


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links."""
    response = FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def home(request):
    reports = Report.objects.select_related("agency", "document").defer(*LIST_DEFERRED)
    return render(
        request,
        "center/home.html",
        {
            "report_count": reports.count(),
            "agency_count": Agency.objects.count(),
            "error_count": reports.filter(error_count__gt=0).count(),
            "recent": reports.order_by("-created")[:10],
            "jobs": IngestJob.objects.filter(created_by=request.user).order_by("-created")[:5]
            if request.user.is_authenticated
            else [],
        },
    )


@require_GET
def findings_overview(request):
    """Which checks fail how often, over the reports of the current filter: where to look first."""
    flt = ReportFilter.from_params(request.GET)
    flt.rule = ""
    reports = flt.apply()
    rows = (
        Finding.objects.filter(report__in=reports.values("pk"))
        .values("rule", "severity", "title")
        .annotate(reports=Count("report", distinct=True), findings=Count("pk"))
        .order_by("severity", "-reports", "rule")
    )
    order = {"error": 0, "warning": 1, "info": 2}
    rows = sorted(rows, key=lambda r: (order.get(r["severity"], 9), -r["reports"], r["rule"]))
    for row in rows:
        row["severity_name"] = severity_name(row["severity"])
    years = Report.objects.exclude(year=None).order_by("-year").values_list("year", flat=True).distinct()
    return render(
        request,
        "center/findings.html",
        {"rows": rows, "flt": flt, "query": flt.query_string(), "total": reports.count(), "years": years},
    )
