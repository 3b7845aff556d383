"""Downloads: one report or a filtered set, as CSV, XLSX, JSON or SQLite, with corrected values."""

from __future__ import annotations

import tempfile
from urllib.parse import quote

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from gongkai.web.center.models import Report
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
STREAMED = {"csv": exports.csv_chunks, "layout.csv": exports.layout_csv_chunks, "json": exports.json_chunks}
# Reports in one export of a set, made while the request waits (1000 synthetic reports on two cores: XLSX about
# 23 s, the other formats 3–6 s). A larger set is refused, never cut short: the user narrows the filter.
SET_EXPORT_LIMIT = 1000


def _require_format(fmt: str) -> None:
    if fmt not in CONTENT_TYPES:
        raise Http404("不支持的导出格式")


def export_response(reports: QuerySet[Report], count: int, fmt: str, filename: str) -> HttpResponseBase:
    """CSV and JSON stream as the reports are read; XLSX and SQLite are written to a temporary file first.
    Either way memory does not grow with the set."""
    rows = exports.prefetched(reports, fmt)
    if fmt in STREAMED:
        response = StreamingHttpResponse(STREAMED[fmt](rows), content_type=CONTENT_TYPES[fmt])
    else:
        out = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it, which deletes it, once sent
        if fmt == "xlsx":
            exports.write_xlsx(rows, out, layouts=count <= exports.LAYOUT_SHEET_LIMIT)
        else:
            exports.write_sqlite(rows, out)
        out.seek(0)
        response = FileResponse(out, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename=\"gongkai.{fmt}\"; filename*=UTF-8''{quote(filename)}"
    return response


@require_GET
def export_report(request, pk: int, fmt: str):
    _require_format(fmt)
    report = get_report(pk)
    return export_response(Report.objects.filter(pk=report.pk), 1, fmt, exports.filename_for(report, 1, fmt))


@require_GET
def export_set(request, fmt: str):
    _require_format(fmt)
    flt = ReportFilter.from_params(request.GET)
    reports = flt.apply().order_by("pk")
    count = reports.count()
    if count > SET_EXPORT_LIMIT:
        messages.error(
            request,
            f"筛选结果共 {count} 份，超过一次导出上限 {SET_EXPORT_LIMIT} 份，请缩小筛选范围（按年度、地区）后再导出。",
        )
        query = flt.query_string()
        return redirect(reverse("center:reports") + (f"?{query}" if query else ""))
    single = reports.first() if count == 1 else None
    return export_response(reports, count, fmt, exports.filename_for(single, count, fmt))
