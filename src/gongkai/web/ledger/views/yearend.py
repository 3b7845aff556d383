"""Year-end page: 表三 and 表四 from the ledger, each cell opening its requests; comparison with the published
report; the tables as gongkai.report/v1 JSON for report authoring."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gongkai.ledger.stats import cell_label
from gongkai.web.ledger.services import labels, yearend
from gongkai.web.ledger.views.common import get_agency


def _year(year: int) -> int:
    if not 1990 <= year <= 2100:
        raise Http404("年度不正确")
    return year


def _drill(stats, path: str) -> dict | None:
    if path not in stats.drill:
        return None
    total, rows, is_case = yearend.drill_rows(stats, path)
    return {
        "path": path,
        "label": cell_label(path),
        "value": stats.value(path),
        "total": total,
        "rows": rows,
        "is_case": is_case,
        "more": total - len(rows),
    }


@login_required
@require_GET
def year_end(request, pk: int, year: int):
    agency = get_agency(pk)
    year = _year(year)
    stats = yearend.statistics(agency, year)
    report = yearend.published_report(agency, year)
    differences = yearend.compare(stats, report) if report is not None and request.GET.get("compare") else None
    marks = {d.path: "sev-warning" for d in differences or []}
    open_path = request.GET.get("path", "")
    base = reverse("ledger:year", args=[agency.pk, year])
    return render(
        request,
        "ledger/year.html",
        {
            "agency": agency,
            "year": year,
            "years": range(year + 1, year - 6, -1),
            "stats": stats,
            "tables": yearend.filled(stats, marks),
            "findings": stats.check(),
            "report": report,
            "differences": differences,
            "open_path": open_path,
            "page_url": base + ("?compare=1&" if differences is not None else "?") + "path=",
            "cell_url": reverse("ledger:year_cell", args=[agency.pk, year]) + "?path=",
            "drill": _drill(stats, open_path) if open_path else None,
            "excluded": stats.excluded,
            "applicant_types": labels.applicant_types(),
            "states": labels.STATES,
        },
    )


@login_required
@require_GET
def year_cell(request, pk: int, year: int):
    agency = get_agency(pk)
    stats = yearend.statistics(agency, _year(year))
    drill = _drill(stats, request.GET.get("path", ""))
    if drill is None:
        raise Http404("没有这个单元格")
    return render(request, "ledger/_drill.html", {"drill": drill, "agency": agency, "year": year})


@login_required
@require_GET
def year_json(request, pk: int, year: int):
    agency = get_agency(pk)
    stats = yearend.statistics(agency, _year(year))
    response = JsonResponse(yearend.report_json(stats, agency), json_dumps_params={"ensure_ascii": False, "indent": 1})
    name = f"{agency.name}-{year}-台账统计.json"
    response["Content-Disposition"] = f"attachment; filename=\"ledger.json\"; filename*=UTF-8''{quote(name)}"
    return response
