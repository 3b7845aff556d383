"""Ingest jobs: stage the uploads, then process them one by one (Celery worker, a thread, or inline)."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.errors import InputError
from gongkai.web.center.models import IngestJob, JobItem
from gongkai.web.center.services.ingest import RACE_ATTEMPTS, check_size, expand_zip, is_zip, prepare, store
from gongkai.web.center.services.permissions import ADMIN, role

log = logging.getLogger("gongkai.web")
PASTED = "粘贴的文本"
UNREACHABLE_STORAGE = (
    "处理进程读不到暂存文件：网站与处理进程不共用存储。请管理员设置 GONGKAI_STORAGE=database 或 s3"
    "（见 docs/deploy.md），然后重新上传"
)


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
            try:  # refused here rather than by the worker: a file over the limit is never staged
                check_size(len(data), name)
            except InputError as exc:
                add(name, status="refused", error=exc)
            else:
                add(name, data)
    if text.strip():
        add(PASTED, text.encode("utf-8"))


def process_job(job_id: int) -> IngestJob:
    """Process the job's waiting items, if this process can take the job's lease; the job as it stands.

    Exactly once, whatever dies when: the lease lets one process at a time work on a job (a second delivery of
    the task, or a job queued again by a restarted site, finds it held and returns), and each item is stored
    and marked in one transaction that first checks the item is still waiting, so a report is never stored
    for an item twice, nor stored without its item saying so. The staged copy is removed only once that
    transaction has committed."""
    owner = _new_owner()
    if not _acquire(job_id, owner):
        log.info("ingest job %s is held by another process or finished: nothing to do", job_id)
        return IngestJob.objects.get(pk=job_id)
    job = IngestJob.objects.select_related("created_by").get(pk=job_id)
    with _Heartbeat(job_id, owner) as heartbeat:
        for item in job.items.filter(status="pending").order_by("position"):
            if heartbeat.lost:
                log.warning("ingest job %s: lease lost to another process, stopping", job_id)
                return IngestJob.objects.get(pk=job_id)
            _process_item(item, job.created_by)
            IngestJob.objects.filter(pk=job_id).update(processed=job.items.exclude(status="pending").count())
        _finish(job_id, owner)
    return IngestJob.objects.get(pk=job_id)


def _finish(job_id: int, owner: str) -> None:
    with transaction.atomic():
        if JobItem.objects.filter(job_id=job_id, status="pending").exists():
            return  # stopped early: the lease expires and the job is taken up again
        processed = JobItem.objects.filter(job_id=job_id).count()
        IngestJob.objects.filter(pk=job_id, lease_owner=owner).update(
            status="done", finished=timezone.now(), processed=processed, lease_owner="", lease_until=None
        )


def _process_item(item: JobItem, user) -> None:
    try:
        if not item.staged or not item.staged.storage.exists(item.staged.name):
            if settings.CELERY_BROKER_URL and settings.GONGKAI_STORAGE == "local":
                # The usual cause: this worker runs on another machine (or with another data directory).
                log.error(
                    "staged file missing: %s. GONGKAI_STORAGE=local with a Celery broker: this worker does not share"
                    " the web server's media folder; set GONGKAI_STORAGE=database or s3 everywhere",
                    item.staged.name,
                )
                _record(item, None, ("failed", "storage", UNREACHABLE_STORAGE))
                return
            raise InputError(
                "暂存文件丢失，该文件未处理，请重新上传", f"staged file missing: {item.staged.name}", "interrupted"
            )
        with item.staged.open("rb") as fh:
            data = fh.read()
        prepared = prepare(data, f"{PASTED}.txt" if item.filename == PASTED else item.filename)
        _record(item, lambda: store(prepared, user))
    except InputError as exc:
        _record(item, None, ("refused", exc.code, exc.message_zh))
    except Exception:
        log.exception("ingest failed for %s", item.filename)
        _record(item, None, ("failed", "internal", "处理该文件时发生内部错误，已记录，请联系管理员"))


def _record(item: JobItem, store_it, refusal: tuple[str, str, str] | None = None) -> None:
    """Store (when `store_it`) and mark the item in one transaction, only if it is still waiting."""
    staged = item.staged.name
    for attempt in range(1, RACE_ATTEMPTS + 1):
        item.staged = staged
        try:
            return _record_once(item, store_it, refusal)
        except IntegrityError:
            # Another worker created a row this report needs (its province, its county) between this one's
            # lookup and insert: the transaction rolled back whole, and a second try finds the row.
            if attempt == RACE_ATTEMPTS:
                raise
            log.info("job item %s: a row was created concurrently by another process, trying again", item.pk)


def _record_once(item: JobItem, store_it, refusal: tuple[str, str, str] | None) -> None:
    try:
        with transaction.atomic():
            if not JobItem.objects.select_for_update().filter(pk=item.pk, status="pending").exists():
                log.info("job item %s was processed elsewhere: not stored again", item.pk)
                return
            if store_it is not None:
                outcome = store_it()
                item.report = outcome.report
                item.status = "created" if outcome.created else "duplicate"
                item.code, item.message = "", "" if outcome.created else "相同内容的文件已入库，未重复创建"
            else:
                item.status, item.code, item.message = refusal
            staged = item.staged.name
            item.staged = ""
            item.worker = this_process()
            item.save(update_fields=["report", "status", "code", "message", "staged", "worker"])
            if staged:
                storage = JobItem._meta.get_field("staged").storage
                transaction.on_commit(lambda: storage.delete(staged))
    except InputError as exc:  # refused while storing (outside the uploader's region): nothing was written
        _record(item, None, ("refused", exc.code, exc.message_zh))


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
        _record(item, None, ("failed", "interrupted", message))
    processed = JobItem.objects.filter(job_id=job_id).count()
    IngestJob.objects.filter(pk=job_id).update(
        status="failed", finished=timezone.now(), processed=processed, lease_owner="", lease_until=None
    )


# Leases. A holder renews its lease every LEASE/3 seconds while it runs; a holder that died (a worker killed,
# a server stopped) stops renewing, and once the lease is past any process may take the job up again.
QUEUED = "queued"  # the job's task is on its way to a worker (or a thread): the first taker gets the job


def _lease_seconds() -> int:
    return int(getattr(settings, "GONGKAI_JOB_LEASE_SECONDS", 60))


def this_process() -> str:
    """Which machine and process: shown for each processed file (several workers, several machines)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _new_owner() -> str:
    return f"{this_process()}:{uuid.uuid4().hex[:8]}"[:100]


def _takeable(now) -> Q:
    return Q(lease_owner=QUEUED) | Q(lease_until__isnull=True) | Q(lease_until__lt=now)


UNFINISHED = ("pending", "running")  # the statuses of a job (an upload's or an export's) still to be run


def _acquire(job_id: int, owner: str, model=IngestJob) -> bool:
    """Take the lease of the job (a row of `model`: IngestJob, ExportJob) if nobody holds it; True if taken."""
    now = timezone.now()
    taken = (
        model.objects.filter(pk=job_id, status__in=UNFINISHED)
        .filter(_takeable(now))
        .update(lease_owner=owner, lease_until=now + timedelta(seconds=_lease_seconds()), status="running")
    )
    return taken == 1


class _Heartbeat:
    """Renews the lease of a job (a row of `model`) from a thread while it runs (an item can take minutes); `lost`
    once another process has taken the job over (this one was too slow to renew: it stops before its next step).
    With `progress`, a callable giving fields, each beat (every `every` seconds) also writes them: from this
    thread's own connection, so the runner need not write while it reads (on SQLite a connection in the middle
    of a long read cannot write once another connection has written)."""

    def __init__(self, job_id: int, owner: str, model=IngestJob, progress=None, every: float | None = None) -> None:
        self.job_id, self.owner, self.lost, self.model = job_id, owner, False, model
        self.progress, self.every = progress, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"lease-{job_id}")

    def __enter__(self):
        if not getattr(settings, "GONGKAI_JOBS_INLINE", False):  # inline (tests): the request is the runner
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every or max(_lease_seconds() / 3, 0.5)):
                until = timezone.now() + timedelta(seconds=_lease_seconds())
                fields = self.progress() if self.progress is not None else {}
                try:
                    renewed = self.model.objects.filter(pk=self.job_id, lease_owner=self.owner).update(
                        lease_until=until, **fields
                    )
                except Exception:  # a busy database: try again at the next beat, well within the lease
                    log.warning("could not renew the lease of %s %s", self.model.__name__, self.job_id, exc_info=True)
                    continue
                if not renewed:
                    self.lost = True
                    return
        finally:
            connection.close()


def _job_kinds() -> list[tuple[type, object]]:
    """Every kind of job that runs under a lease, with how to send one to be run."""
    from gongkai.web.center.models import ExportJob
    from gongkai.web.center.services.export_jobs import dispatch_export

    return [(IngestJob, _dispatch), (ExportJob, dispatch_export)]


def recover_jobs(take_over: bool = False, model=None, dispatch=None) -> int:
    """Queue again the unfinished jobs nobody holds: their holder died (its lease ran out), or their task never
    reached a worker. Safe from any number of processes at once (each job is claimed by a conditional update),
    and a job queued twice is still processed once (the lease). `take_over` also claims leases not yet run out:
    only for a server that runs jobs in its own threads, at its start, when the previous holder was itself.
    Jobs of `model` sent on with `dispatch(job_id)`; without a model, every kind (uploads and exports).
    Returns how many jobs were queued."""
    if model is None:
        return sum(recover_jobs(take_over, kind, send) for kind, send in _job_kinds())
    now = timezone.now()
    unfinished = model.objects.filter(status__in=UNFINISHED)
    if not take_over:
        unfinished = unfinished.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now)).exclude(
            lease_owner=QUEUED, lease_until__gte=now
        )
    queued = 0
    for job_id in list(unfinished.values_list("pk", flat=True)):
        claim = model.objects.filter(pk=job_id, status__in=UNFINISHED)
        if not take_over:
            claim = claim.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        if claim.update(lease_owner=QUEUED, lease_until=now + timedelta(seconds=_lease_seconds())):
            log.info("%s %s queued again (its holder stopped, or its task was lost)", model.__name__, job_id)
            dispatch(job_id)
            queued += 1
    return queued


def resume_interrupted_jobs() -> int:
    """At the start of `gongkai serve`: jobs left unfinished are taken up again; items already processed are
    kept. Without a broker the jobs ran in this server's threads, which died with it: their leases are taken
    over at once. With a broker the workers may still be running them: only jobs whose lease ran out."""
    return recover_jobs(take_over=not settings.CELERY_BROKER_URL)


def start_job(job: IngestJob) -> None:
    """Run the job where the deployment says: a Celery worker, inline (tests), or a background thread."""
    start(job, process_job, _dispatch)


def start(job, process, dispatch) -> None:
    """Run a leased job (upload or export): inline (tests, no broker) with `process(pk)`, else marked queued and,
    once the request's transaction has committed, sent with `dispatch(pk)`."""
    if getattr(settings, "GONGKAI_JOBS_INLINE", False) and not settings.CELERY_BROKER_URL:
        process(job.pk)
        return
    type(job).objects.filter(pk=job.pk).update(
        lease_owner=QUEUED, lease_until=timezone.now() + timedelta(seconds=_lease_seconds())
    )
    transaction.on_commit(lambda: dispatch(job.pk))


def send(job_id: int, run, task) -> None:
    """Send a job to be run: to a Celery worker (`task()` gives the task) when there is a broker, else `run(job_id)`
    inline (tests) or in a background thread of this process."""
    if settings.CELERY_BROKER_URL:
        task().delay(job_id)
    elif getattr(settings, "GONGKAI_JOBS_INLINE", False):
        run(job_id)
    else:
        threading.Thread(target=_run_in_thread, args=(run, job_id), daemon=True).start()


def _ingest_task():
    from gongkai.web.center.tasks import process_job_task

    return process_job_task


def _dispatch(job_id: int) -> None:
    send(job_id, run_job, _ingest_task)


def _run_in_thread(run, job_id: int) -> None:
    close_old_connections()
    try:
        run(job_id)
    finally:
        close_old_connections()


_last_sweep = 0.0
_sweep_lock = threading.Lock()


def sweep_now_and_then() -> None:
    """From a web process, on requests: at most every GONGKAI_JOB_SWEEP_SECONDS in any one process (and once
    per period across processes sharing a cache), recover_jobs in a background thread. So jobs are never left
    waiting on which process starts first, in any deployment (gunicorn, waitress, several of them)."""
    global _last_sweep
    period = int(getattr(settings, "GONGKAI_JOB_SWEEP_SECONDS", 30))
    now = time.monotonic()
    if getattr(settings, "GONGKAI_JOBS_INLINE", False) or now - _last_sweep < period:
        return
    with _sweep_lock:
        if now - _last_sweep < period:
            return
        _last_sweep = now
    if cache.add("gongkai:job-sweep", 1, period):
        threading.Thread(target=_sweep_in_thread, daemon=True, name="job-sweep").start()


def _sweep_in_thread() -> None:
    close_old_connections()
    try:
        recover_jobs()
        from gongkai.web.center.services.export_jobs import sweep_exports

        sweep_exports()
    except Exception:
        log.exception("job recovery sweep failed")
    finally:
        close_old_connections()
