"""Home page and the agency tree."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from gongkai.web.center.models import Agency, Finding, IngestJob, Report
from gongkai.web.center.services.presentation import severity_name
from gongkai.web.center.services.queries import LIST_DEFERRED, ReportFilter


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


TREE_DEPTH = 2  # provinces, cities and their direct children; deeper levels are one click away


@require_GET
def agency_list(request):
    q = request.GET.get("q", "").strip()[:50]
    if q:
        matches = Agency.objects.filter(name__icontains=q).annotate(n=Count("reports")).order_by("name")[:200]
        rows = [{"agency": a, "depth": 0, "indent": 0} for a in matches]
        return render(request, "center/agency_list.html", {"rows": rows, "q": q, "searched": True})
    show_all = request.GET.get("all") == "1"
    agencies = list(Agency.objects.annotate(n=Count("reports"), k=Count("children", distinct=True)).order_by("name"))
    agencies.sort(key=lambda a: a.kind != "government")  # stable: governments first, each group by name
    children: dict[int | None, list[Agency]] = {}
    for agency in agencies:
        children.setdefault(agency.parent_id, []).append(agency)

    def walk(parent_id, depth, seen):
        for agency in children.get(parent_id, []):
            if agency.pk in seen:
                continue
            seen.add(agency.pk)
            yield agency, depth
            if show_all or depth + 1 < TREE_DEPTH:
                yield from walk(agency.pk, depth + 1, seen)

    rows = [{"agency": a, "depth": d, "indent": d * 1.5} for a, d in walk(None, 0, set())]
    return render(request, "center/agency_list.html", {"rows": rows, "show_all": show_all, "total": len(agencies)})


@require_GET
def agency_detail(request, pk: int):
    agency = get_object_or_404(Agency, pk=pk)
    reports = Report.objects.filter(agency=agency).select_related("agency", "document").defer(*LIST_DEFERRED)
    reports = reports.order_by("-year", "-created")
    subtree = Report.objects.filter(agency_id__in=agency.subtree_ids()).exclude(agency=agency)
    return render(
        request,
        "center/agency_detail.html",
        {
            "agency": agency,
            "ancestors": agency.ancestors(),
            "children": agency.children.annotate(n=Count("reports")).order_by("kind", "name"),
            "reports": reports,
            "subtree_count": subtree.count(),
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
