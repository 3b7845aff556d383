"""Ingest jobs: stage the uploads, then process them one by one (Celery worker, a thread, or inline)."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import close_old_connections, transaction
from django.utils import timezone

from gongkai.errors import InputError
from gongkai.web.center.models import IngestJob, JobItem
from gongkai.web.center.services.ingest import expand_zip, ingest_bytes, ingest_text, is_zip
from gongkai.web.center.services.permissions import ADMIN, role

log = logging.getLogger("gongkai.web")
PASTED = "粘贴的文本"


def visible_jobs(user):
    """Editors follow their own uploads; administrators see everyone's."""
    jobs = IngestJob.objects.select_related("created_by")
    return jobs if role(user) == ADMIN else jobs.filter(created_by=user)


@transaction.atomic
def create_job(files: list[tuple[str, bytes]], text: str = "", user=None) -> IngestJob:
    """Stage every file (a zip becomes one item per member) and return the job, not yet processed.
    All or nothing: a failure leaves neither a job nor staged files behind."""
    job = IngestJob.objects.create(created_by=user if user is not None and user.is_authenticated else None)
    items: list[JobItem] = []
    try:
        _stage(job, items, files, text)
        JobItem.objects.bulk_create(items)
    except BaseException:
        for item in items:
            if item.staged:
                item.staged.delete(save=False)
        raise
    job.total = len(items)
    job.processed = sum(1 for i in items if i.status != "pending")
    job.save(update_fields=["total", "processed"])
    return job


def _stage(job: IngestJob, items: list[JobItem], files: list[tuple[str, bytes]], text: str) -> None:
    """Append one unsaved item per file (per member of a zip), its bytes saved to staging."""

    def add(name: str, data: bytes | None = None, status: str = "pending", error: InputError | None = None):
        item = JobItem(job=job, position=len(items), filename=name[:255], status=status)
        if error is not None:
            item.code, item.message = error.code, error.message_zh
        if data is not None:
            item.staged.save(f"{job.pk}-{len(items)}.bin", ContentFile(data), save=False)
        items.append(item)

    for name, data in files:
        if is_zip(name, data):
            try:
                for member_name, content in expand_zip(data):
                    add(member_name, content)
            except InputError as exc:
                add(name, status="refused", error=exc)
        else:
            add(name, data)
    if text.strip():
        add(PASTED, text.encode("utf-8"))


def process_job(job_id: int) -> IngestJob:
    job = IngestJob.objects.get(pk=job_id)
    if job.status == "done":
        return job
    job.status = "running"
    job.save(update_fields=["status"])
    for item in job.items.filter(status="pending"):
        _process_item(item, job.created_by)
        IngestJob.objects.filter(pk=job.pk).update(processed=job.items.exclude(status="pending").count())
    job.refresh_from_db()
    job.status, job.finished = "done", timezone.now()
    job.save(update_fields=["status", "finished"])
    return job


def _process_item(item: JobItem, user) -> None:
    try:
        data = item.staged.read() if item.staged else b""
        item.staged.close()
        if item.filename == PASTED:
            outcome = ingest_text(data.decode("utf-8"), user=user)
        else:
            outcome = ingest_bytes(data, item.filename, user)
        item.report = outcome.report
        item.status = "created" if outcome.created else "duplicate"
        item.message = "" if outcome.created else "相同内容的文件已入库，未重复创建"
    except InputError as exc:
        item.status, item.code, item.message = "refused", exc.code, exc.message_zh
    except Exception:
        log.exception("ingest failed for %s", item.filename)
        item.status, item.code, item.message = "failed", "internal", "处理该文件时发生内部错误，已记录，请联系管理员"
    if item.staged:
        item.staged.delete(save=False)
    item.save()


def run_job(job_id: int) -> None:
    """process_job for a worker or a thread: whatever goes wrong, the job ends as failed, never stuck as running,
    and the files still waiting are marked and their staged copies removed."""
    try:
        process_job(job_id)
    except Exception:
        log.exception("ingest job %s failed", job_id)
        _fail_remaining(job_id)


def _fail_remaining(job_id: int) -> None:
    message = "任务中断，该文件未处理，请重新上传"
    for item in JobItem.objects.filter(job_id=job_id, status="pending"):
        if item.staged:
            item.staged.delete(save=False)
        item.status, item.code, item.message = "failed", "interrupted", message
        item.save()
    processed = JobItem.objects.filter(job_id=job_id).count()
    IngestJob.objects.filter(pk=job_id).update(status="failed", finished=timezone.now(), processed=processed)


def resume_interrupted_jobs() -> int:
    """Jobs left pending or running when the site stopped (the embedded server runs them in a thread that
    dies with it): start them again; items already processed are kept. Returns how many were restarted."""
    jobs = list(IngestJob.objects.filter(status__in=("pending", "running")).values_list("pk", flat=True))
    for job_id in jobs:
        start_job(IngestJob.objects.get(pk=job_id))
    return len(jobs)


def start_job(job: IngestJob) -> None:
    """Run the job where the deployment says: a Celery worker, inline (tests), or a background thread."""
    if settings.CELERY_BROKER_URL:
        from gongkai.web.center.tasks import process_job_task

        transaction.on_commit(lambda: process_job_task.delay(job.pk))
    elif getattr(settings, "GONGKAI_JOBS_INLINE", False):
        process_job(job.pk)
    else:
        transaction.on_commit(lambda: threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True).start())


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        run_job(job_id)
    finally:
        close_old_connections()
