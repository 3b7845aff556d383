"""The job lease and the guarded item step, in-process (on SQLite here, on PostgreSQL in test_postgres)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.web.center.models import IngestJob, JobItem, Report
from gongkai.web.center.services import jobs
from gongkai.web.center.services.jobs import create_job, process_job, recover_jobs
from tests.web.conftest import seed

pytestmark = pytest.mark.django_db


def _held_by_another(job: IngestJob, seconds: int) -> None:
    IngestJob.objects.filter(pk=job.pk).update(
        status="running", lease_owner="otherhost:1:abc", lease_until=timezone.now() + timedelta(seconds=seconds)
    )


def test_a_job_held_by_a_live_process_is_not_processed_again(editor):
    job = create_job([seed("000")], user=editor)
    _held_by_another(job, 60)
    process_job(job.pk)  # a second delivery of the task, or a job queued again by a restarted site
    assert job.items.get().status == "pending" and not Report.objects.exists()
    assert recover_jobs() == 0  # a live lease is left alone


def test_a_job_whose_holder_died_is_queued_again_and_finished(editor, settings):
    settings.CELERY_BROKER_URL = ""
    job = create_job([seed("000"), seed("002")], user=editor)
    _held_by_another(job, -1)  # its holder stopped renewing
    assert recover_jobs() == 1  # inline here: queued and run at once
    job.refresh_from_db()
    assert job.status == "done" and job.lease_owner == "" and job.processed == 2
    assert [i.status for i in job.items.all()] == ["created", "created"]
    assert recover_jobs() == 0


def test_an_item_already_processed_elsewhere_is_not_stored_twice(editor, monkeypatch):
    job = create_job([seed("000")], user=editor)
    item = job.items.get()
    real_prepare = jobs.prepare

    def another_process_finishes_first(data, filename):
        # While this process parses, another process (which took over the job) stores and marks the item.
        prepared = real_prepare(data, filename)
        JobItem.objects.filter(pk=item.pk).update(status="created")
        return prepared

    monkeypatch.setattr(jobs, "prepare", another_process_finishes_first)
    jobs._process_item(item, editor)
    assert not Report.objects.exists()  # this process's store never ran: the guard saw the item done


def test_the_staged_copy_goes_only_with_the_committed_outcome(editor, django_capture_on_commit_callbacks):
    job = create_job([seed("000")], user=editor)
    item = job.items.get()
    storage, name = item.staged.storage, item.staged.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        jobs._process_item(item, editor)
    assert storage.exists(name)  # not yet committed: a retry still finds the file
    for callback in callbacks:
        callback()
    assert not storage.exists(name)
    item.refresh_from_db()
    assert item.status == "created" and item.report is not None and not item.staged


def test_a_missing_staged_file_is_a_clear_refusal_not_a_crash(editor):
    job = create_job([seed("000")], user=editor)
    item = job.items.get()
    item.staged.storage.delete(item.staged.name)
    jobs._process_item(item, editor)
    item.refresh_from_db()
    assert item.status == "refused" and "暂存文件丢失" in item.message


def test_web_processes_sweep_for_orphaned_jobs_now_and_then(client, settings, monkeypatch):
    settings.GONGKAI_JOBS_INLINE = False
    settings.GONGKAI_JOB_SWEEP_SECONDS = 60
    started = []

    class FakeThread:
        def __init__(self, target, **kwargs):
            self.target = target

        def start(self):
            started.append(self.target)

    monkeypatch.setattr(jobs, "_last_sweep", 0.0)
    monkeypatch.setattr(jobs.threading, "Thread", FakeThread)
    client.get("/")
    client.get("/reports/")
    assert started == [jobs._sweep_in_thread]  # once per period, in the background
