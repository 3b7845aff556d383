"""Export jobs: an export of more reports than GONGKAI_EXPORT_BACKGROUND_OVER is written by a worker (or a thread)
to the storage, a chunk of reports at a time into a temporary file, and downloaded by its owner once done.

The job holds a lease while it runs, like an upload job (services.jobs): a worker that dies leaves the job to be
queued again by the next sweep, and the export is written again from the start. The file goes through the site's
storage (GONGKAI_STORAGE), so a worker on another machine writes what the web server serves."""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from gongkai.web.center.models import ExportJob, Report
from gongkai.web.center.services import exports
from gongkai.web.center.services.jobs import UNFINISHED, _acquire, _Heartbeat, _new_owner, send, start
from gongkai.web.center.services.queries import ReportFilter

log = logging.getLogger("gongkai.web")
PROGRESS_SECONDS = 1.0  # how often a running export's progress (and lease) is written
FAILED = "导出失败：生成文件时发生内部错误，已记录。请稍后重新导出，或联系管理员"


def background_over() -> int:
    """More reports than this in one export: a job instead of a download while the request waits."""
    return int(getattr(settings, "GONGKAI_EXPORT_BACKGROUND_OVER", 200))


def max_reports() -> int:
    """More reports than this in one export: refused, the user narrows the filter."""
    return int(getattr(settings, "GONGKAI_EXPORT_MAX_REPORTS", 5000))


def keep_for() -> timedelta:
    return timedelta(days=float(getattr(settings, "GONGKAI_EXPORT_KEEP_DAYS", 7)))


def too_many(count: int) -> str:
    return f"筛选结果共 {count} 份，超过一次导出上限 {max_reports()} 份，请缩小筛选范围（按年度、地区）后再导出。"


def selection(query: str) -> QuerySet[Report]:
    """The reports of an export, in the order every export writes them."""
    return ReportFilter.from_params(QueryDict(query)).apply().order_by("pk")


def request_export(user, flt: ReportFilter, fmt: str, count: int) -> ExportJob:
    """The job exporting the filter's reports as `fmt` for `user`, started; the same one again when the user asks
    twice (a second click) while the first has not finished."""
    query = flt.query_string()
    waiting = ExportJob.objects.filter(owner=user, query=query, format=fmt, status__in=UNFINISHED).first()
    if waiting is not None:
        return waiting
    job = ExportJob.objects.create(
        owner=user,
        query=query,
        format=fmt,
        total=count,
        filename=exports.filename_for(None, count, fmt),
        expires_at=timezone.now() + keep_for(),
    )
    start(job, run_export, dispatch_export)
    return job


def _export_task():
    from gongkai.web.center.tasks import export_job_task

    return export_job_task


def dispatch_export(job_id: int) -> None:
    send(job_id, run_export, _export_task)


class _LeaseLost(Exception):
    pass


class _Counter:
    done = 0


def _counted(rows, counter: _Counter, heartbeat: _Heartbeat):
    """The reports as the writer reads them, counted; the heartbeat's thread writes the count. Nothing is written
    from here: this connection is in the middle of reading the reports."""
    try:
        for report in rows:
            if heartbeat.lost:
                raise _LeaseLost
            yield report
            counter.done += 1
    finally:
        rows.close()  # the query's cursor closed now, even when writing failed: the job's end can then be written


def process_export(job_id: int) -> ExportJob:
    """Write the job's file, if this process can take the job's lease; the job as it stands."""
    owner = _new_owner()
    if not _acquire(job_id, owner, ExportJob):
        log.info("export job %s is held by another process or finished: nothing to do", job_id)
        return ExportJob.objects.get(pk=job_id)
    job = ExportJob.objects.get(pk=job_id)
    reports = selection(job.query)
    total = reports.count()
    if total > max_reports():  # reports were added since the request
        _end(job_id, owner, status="failed", message=too_many(total), total=total)
        return ExportJob.objects.get(pk=job_id)
    ExportJob.objects.filter(pk=job_id).update(total=total, done=0)
    storage = ExportJob._meta.get_field("file").storage
    counter = _Counter()
    beat = _Heartbeat(job_id, owner, ExportJob, progress=lambda: {"done": counter.done}, every=PROGRESS_SECONDS)
    with beat as heartbeat, tempfile.TemporaryFile() as out:
        rows = _counted(exports.prefetched(reports, job.format), counter, heartbeat)
        try:
            exports.write_file(rows, job.format, total, out)
        except _LeaseLost:
            log.warning("export job %s: lease lost to another process, stopping", job_id)
            return ExportJob.objects.get(pk=job_id)
        finally:
            rows.close()
        size = out.tell()
        out.seek(0)
        ext = job.format
        name = storage.save(f"exports/gongkai-export-{job_id}.{ext}", File(out, name=f"{job_id}.{ext}"))
    if not _end(
        job_id,
        owner,
        status="done",
        file=name,
        size=size,
        total=total,
        done=total,
        filename=exports.filename_for(None, total, job.format),
    ):
        storage.delete(name)  # another process took the job over meanwhile: its file is the one kept
    return ExportJob.objects.get(pk=job_id)


def _end(job_id: int, owner: str, **fields) -> bool:
    now = timezone.now()
    return bool(
        ExportJob.objects.filter(pk=job_id, lease_owner=owner).update(
            finished=now, expires_at=now + keep_for(), lease_owner="", lease_until=None, **fields
        )
    )


def run_export(job_id: int) -> None:
    """process_export for a worker or a thread: whatever goes wrong, the job ends as failed with a Chinese
    message, never stuck as running."""
    try:
        process_export(job_id)
    except Exception:
        log.exception("export job %s failed", job_id)
        now = timezone.now()
        ExportJob.objects.filter(pk=job_id, status__in=UNFINISHED).update(
            status="failed",
            message=FAILED,
            finished=now,
            expires_at=now + keep_for(),
            lease_owner="",
            lease_until=None,
        )


def sweep_exports(now=None) -> int:
    """Delete the finished exports past their expiry, file and row; how many."""
    now = now or timezone.now()
    swept = 0
    for job in ExportJob.objects.filter(expires_at__lt=now).exclude(status__in=UNFINISHED):
        job.delete()  # and its file, once committed (apps._delete_export_file)
        swept += 1
    if swept:
        log.info("deleted %s expired export(s)", swept)
    return swept
