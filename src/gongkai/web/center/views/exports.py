"""Downloads: one report or a filtered set, as CSV, XLSX or JSON, with corrected values."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from gongkai.web.center.services import exports
from gongkai.web.center.services.queries import ReportFilter
from gongkai.web.center.views.common import get_report

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "layout.csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
    "sqlite": "application/vnd.sqlite3",
}
MAX_SET = 5000  # a larger set should be exported with filters or through the API in pages


def export_response(reports: list, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404("不支持的导出格式")
    writers = {
        "csv": exports.to_csv,
        "layout.csv": exports.to_layout_csv,
        "xlsx": exports.to_xlsx,
        "json": exports.to_json,
        "sqlite": exports.to_sqlite,
    }
    body = writers[fmt](reports)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = exports.filename_for(reports, fmt)
    response["Content-Disposition"] = f"attachment; filename=\"gongkai.{fmt}\"; filename*=UTF-8''{quote(name)}"
    return response


@require_GET
def export_report(request, pk: int, fmt: str):
    return export_response([get_report(pk)], fmt)


@require_GET
def export_set(request, fmt: str):
    reports = list(ReportFilter.from_params(request.GET).apply().select_related("agency").order_by("pk")[:MAX_SET])
    return export_response(reports, fmt)
