"""Downloads: one report or a filtered set, as CSV, XLSX, JSON or SQLite, with corrected values."""

from __future__ import annotations

import tempfile
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from gongkai.web.center.models import ExportJob, Report
from gongkai.web.center.services import export_jobs, exports
from gongkai.web.center.services.queries import ReportFilter
from gongkai.web.center.views.common import get_report

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "layout.csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
    "sqlite": "application/vnd.sqlite3",
}
STREAMED = exports.STREAMED
# A set of up to GONGKAI_EXPORT_BACKGROUND_OVER reports is written while the request waits (1000 synthetic
# reports on two cores: XLSX about 23 s, the other formats 3–6 s); a larger one becomes an export job, and one
# over GONGKAI_EXPORT_MAX_REPORTS is refused, never cut short: the user narrows the filter.


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
        exports.write_file(rows, fmt, count, out)  # as an export job writes its file
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
    if count > export_jobs.max_reports():
        messages.error(request, export_jobs.too_many(count))
        query = flt.query_string()
        return redirect(reverse("center:reports") + (f"?{query}" if query else ""))
    if count > export_jobs.background_over():
        if not request.user.is_authenticated:
            messages.info(
                request,
                f"超过 {export_jobs.background_over()} 份年报的导出在后台生成，完成后由导出人下载：请先登录。",
            )
            return redirect_to_login(request.get_full_path())
        job = export_jobs.request_export(request.user, flt, fmt, count)
        return redirect("center:export_job", pk=job.pk)
    single = reports.first() if count == 1 else None
    return export_response(reports, count, fmt, exports.filename_for(single, count, fmt))


def _own_job(request, pk: int) -> ExportJob:
    """The user's own export job; anyone else's is not found (an export is its owner's alone)."""
    return get_object_or_404(ExportJob, pk=pk, owner=request.user)


@login_required
@require_GET
def export_job(request, pk: int):
    job = _own_job(request, pk)
    finished = job.status not in ("pending", "running")
    expired = finished and job.expires_at is not None and job.expires_at < timezone.now()
    template = "center/_export_progress.html" if request.headers.get("HX-Request") else "center/export_job.html"
    context = {"job": job, "expired": expired, "again": reverse("center:export_set", args=[job.format])}
    return render(request, template, context)


@login_required
@require_GET
def export_download(request, pk: int):
    job = _own_job(request, pk)
    if job.status != "done" or not job.file or job.expires_at < timezone.now():
        return redirect("center:export_job", pk=job.pk)  # the page says why: not yet done, failed or expired
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        messages.error(request, "导出文件已不在存储中（可能已过期删除），请重新导出")
        return redirect("center:export_job", pk=job.pk)
    response = FileResponse(handle, content_type=CONTENT_TYPES.get(job.format, "application/octet-stream"))
    response["Content-Disposition"] = (
        f"attachment; filename=\"gongkai.{job.format}\"; filename*=UTF-8''{quote(job.filename)}"
    )
    return response


@login_required
@require_GET
def export_list(request):
    jobs = ExportJob.objects.filter(owner=request.user)[:100]
    context = {"jobs": jobs, "now": timezone.now(), "background_over": export_jobs.background_over()}
    return render(request, "center/export_list.html", context)
