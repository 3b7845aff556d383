"""Background exports: a set of more than GONGKAI_EXPORT_BACKGROUND_OVER reports is written by a job to the storage
and downloaded later by its owner; the file is the same export a download of a smaller set gets."""

from __future__ import annotations

import io
import os
import re
import sqlite3
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.web.center.models import ExportJob, Report, StoredFile
from gongkai.web.center.services import bench, export_jobs, exports
from gongkai.web.center.services.jobs import recover_jobs
from tests.web.test_storage import DATABASE_STORAGE

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _job_from(response) -> ExportJob:
    assert response.status_code == 302, response
    match = re.fullmatch(r"/exports/(\d+)/", response["Location"])
    assert match, response["Location"]
    return ExportJob.objects.get(pk=int(match.group(1)))


def _streamed_then_job(client, settings, url: str) -> tuple[bytes, ExportJob, bytes]:
    """The export of `url` as a direct download, then as a job (threshold lowered); the job's download."""
    settings.GONGKAI_EXPORT_BACKGROUND_OVER = 200
    streamed = client.get(url)
    assert streamed.status_code == 200
    settings.GONGKAI_EXPORT_BACKGROUND_OVER = 2
    job = _job_from(client.get(url))
    job.refresh_from_db()
    assert job.status == "done", job.message
    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    return _body(streamed), job, _body(download)


# The threshold -----------------------------------------------------------------------------------------------------


def test_200_reports_stream_and_201_become_a_job_with_the_default_threshold(editor_client, settings):
    assert settings.GONGKAI_EXPORT_BACKGROUND_OVER == 200  # the shipped default, not a lowered one
    bench.load(200, templates=2, progress=lambda _: None)
    assert Report.objects.count() == 200
    response = editor_client.get("/reports/export.csv")
    assert response.status_code == 200 and response.streaming and not ExportJob.objects.exists()
    bench.load(201, templates=2, progress=lambda _: None)
    assert Report.objects.count() == 201
    job = _job_from(editor_client.get("/reports/export.csv"))
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.format) == ("done", 201, 201, "csv")
    assert job.filename == "gongkai-201份年报.csv"
    page = editor_client.get(f"/exports/{job.pk}/").content.decode()
    assert "已写出 201 / 201 份年报" in page and f"/exports/{job.pk}/download/" in page


@pytest.mark.parametrize("fmt", ["csv", "layout.csv", "json"])
def test_the_jobs_file_is_the_streamed_export_byte_for_byte(editor_client, settings, six_reports, fmt):
    streamed, job, downloaded = _streamed_then_job(editor_client, settings, f"/reports/export.{fmt}?year=2030")
    assert downloaded == streamed and job.size == len(streamed) and job.total == 3
    assert job.query == "year=2030"


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def test_the_jobs_workbook_has_the_rows_of_the_streamed_one(editor_client, settings, six_reports):
    streamed, job, downloaded = _streamed_then_job(editor_client, settings, "/reports/export.xlsx")
    rows = _sheets(downloaded)
    assert rows == _sheets(streamed) and len(rows["单元格"]) > 6 and job.total == 6
    assert any(row[7] == 7 for row in rows["单元格"][1:])  # a corrected value


def _tables(data: bytes, tmp_path, name: str) -> dict[str, list[tuple]]:
    path = tmp_path / name
    path.write_bytes(data)
    db = sqlite3.connect(path)
    try:
        names = [r[0] for r in db.execute("select name from sqlite_master where type = 'table' order by name")]
        return {t: sorted(db.execute(f'select * from "{t}"').fetchall(), key=repr) for t in names}
    finally:
        db.close()


def test_the_jobs_sqlite_file_has_the_rows_of_the_streamed_one(editor_client, settings, six_reports, tmp_path):
    streamed, _job, downloaded = _streamed_then_job(editor_client, settings, "/reports/export.sqlite")
    tables = _tables(downloaded, tmp_path, "job.sqlite")
    assert tables == _tables(streamed, tmp_path, "streamed.sqlite")
    assert len(tables["reports"]) == 6 and len(tables["corrections"]) == 2


# Who sees what ------------------------------------------------------------------------------------------------------


def test_only_the_owner_sees_and_downloads_the_export(client, editor_client, settings, six_reports, make_user):
    settings.GONGKAI_EXPORT_BACKGROUND_OVER = 2
    job = _job_from(editor_client.get("/reports/export.csv"))
    assert editor_client.get(f"/exports/{job.pk}/download/").status_code == 200
    assert f"/exports/{job.pk}/" in editor_client.get("/exports/").content.decode()  # 我的导出
    other = make_user("other", "admin")
    client.force_login(other)
    assert client.get(f"/exports/{job.pk}/").status_code == 404
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404
    assert f"/exports/{job.pk}/" not in client.get("/exports/").content.decode()
    client.logout()
    for url in (f"/exports/{job.pk}/", f"/exports/{job.pk}/download/", "/exports/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), url


def test_an_anonymous_large_export_asks_to_log_in_first(client, settings, six_reports):
    settings.GONGKAI_EXPORT_BACKGROUND_OVER = 2
    response = client.get("/reports/export.csv?year=2031")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/reports/export.csv")
    assert not ExportJob.objects.exists()
    assert "超过 2 份年报的导出在后台生成" in client.get(response["Location"]).content.decode()
    settings.GONGKAI_EXPORT_BACKGROUND_OVER = 3
    assert client.get("/reports/export.csv?year=2031").status_code == 200  # at the threshold: a download


def test_over_the_cap_is_refused_in_chinese(editor_client, settings, six_reports):
    settings.GONGKAI_EXPORT_BACKGROUND_OVER = 2
    settings.GONGKAI_EXPORT_MAX_REPORTS = 5
    page = editor_client.get("/reports/export.xlsx", follow=True).content.decode()
    assert "筛选结果共 6 份，超过一次导出上限 5 份，请缩小筛选范围" in page and not ExportJob.objects.exists()
    assert editor_client.get("/reports/export.xlsx?year=2030").status_code == 302  # 3: a job


def test_the_report_list_says_a_large_export_runs_in_the_background(editor_client, settings, six_reports):
    settings.GONGKAI_EXPORT_BACKGROUND_OVER = 4
    assert "超过 4 份在后台生成" in editor_client.get("/reports/").content.decode()
    assert "在后台生成" not in editor_client.get("/reports/?year=2030").content.decode()
    assert "我的导出" in editor_client.get("/jobs/").content.decode()


# Progress, failure, expiry ----------------------------------------------------------------------------------------


def test_a_waiting_job_polls_its_progress(editor_client, editor):
    job = ExportJob.objects.create(owner=editor, query="year=2030", format="csv", total=300, done=75)
    html = editor_client.get(f"/exports/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="/exports/{job.pk}/"' in html and "已写出 75 / 300 份年报" in html and "width: 25%" in html
    assert "/download/" not in html
    assert editor_client.get(f"/exports/{job.pk}/download/")["Location"] == f"/exports/{job.pk}/"


def test_a_failing_export_ends_failed_with_a_chinese_message(editor_client, settings, six_reports, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(exports, "write_file", broken)
    settings.GONGKAI_EXPORT_BACKGROUND_OVER = 2
    job = _job_from(editor_client.get("/reports/export.csv"))
    job.refresh_from_db()
    assert (job.status, job.message, job.file.name, job.lease_owner) == ("failed", export_jobs.FAILED, "", "")
    page = editor_client.get(f"/exports/{job.pk}/").content.decode()
    assert "导出失败：生成文件时发生内部错误" in page and "hx-get" not in page


def test_reports_added_past_the_cap_before_the_job_runs_fail_it_clearly(editor, settings, six_reports):
    settings.GONGKAI_EXPORT_MAX_REPORTS = 5
    job = ExportJob.objects.create(owner=editor, query="", format="csv", total=5, lease_owner="")
    export_jobs.process_export(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "筛选结果共 6 份，超过一次导出上限 5 份" in job.message and not job.file


def test_an_expired_export_says_so_and_the_sweep_deletes_file_and_row(
    editor_client, settings, six_reports, django_capture_on_commit_callbacks
):
    settings.GONGKAI_EXPORT_BACKGROUND_OVER = 2
    job = _job_from(editor_client.get("/reports/export.json"))
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name) and job.expires_at > timezone.now() + timedelta(days=6.9)  # seven days by default
    assert export_jobs.sweep_exports() == 0
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    page = editor_client.get(f"/exports/{job.pk}/").content.decode()
    assert "该导出已过期" in page and "重新导出" in page and "/download/" not in page
    assert editor_client.get(f"/exports/{job.pk}/download/").status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert export_jobs.sweep_exports() == 1
    assert not ExportJob.objects.filter(pk=job.pk).exists() and not storage.exists(name)
    assert editor_client.get(f"/exports/{job.pk}/").status_code == 404


def test_the_sweep_leaves_unfinished_and_unexpired_jobs(editor):
    past = timezone.now() - timedelta(days=1)
    running = ExportJob.objects.create(owner=editor, format="csv", status="running", expires_at=past)
    fresh = ExportJob.objects.create(owner=editor, format="csv", status="done", expires_at=past + timedelta(days=2))
    assert export_jobs.sweep_exports() == 0
    assert set(ExportJob.objects.values_list("pk", flat=True)) == {running.pk, fresh.pk}


# Leases and storage -------------------------------------------------------------------------------------------------


def test_a_job_whose_worker_died_is_run_again_by_the_recovery_sweep(editor, settings, six_reports, client):
    settings.GONGKAI_EXPORT_BACKGROUND_OVER = 200
    expected = _body(client.get("/reports/export.csv?year=2031"))
    gone = timezone.now() - timedelta(seconds=5)
    job = ExportJob.objects.create(
        owner=editor,
        query="year=2031",
        format="csv",
        status="running",
        done=1,
        lease_owner="dead:1:x",
        lease_until=gone,
    )
    live = ExportJob.objects.create(
        owner=editor,
        query="year=2030",
        format="csv",
        status="running",
        lease_owner="alive:2:y",
        lease_until=timezone.now() + timedelta(seconds=60),
    )
    assert recover_jobs() == 1  # inline here: queued and run at once; the live lease is left alone
    job.refresh_from_db()
    live.refresh_from_db()
    assert (job.status, job.done, job.total, job.lease_owner) == ("done", 3, 3, "")
    assert job.file.read() == expected
    assert (live.status, live.lease_owner) == ("running", "alive:2:y")
    assert recover_jobs() == 0


def test_a_job_taken_over_meanwhile_keeps_only_the_new_holders_file(editor, six_reports, monkeypatch):
    job = ExportJob.objects.create(owner=editor, query="", format="json")
    real = exports.write_file

    def slow_then_overtaken(*args, **kwargs):
        real(*args, **kwargs)
        ExportJob.objects.filter(pk=job.pk).update(lease_owner="another:3:z")  # the lease went to another process

    monkeypatch.setattr(exports, "write_file", slow_then_overtaken)
    export_jobs.process_export(job.pk)
    job.refresh_from_db()
    assert (job.status, job.file.name, job.lease_owner) == ("running", "", "another:3:z")
    storage = ExportJob._meta.get_field("file").storage
    assert storage.listdir("exports")[1] == []  # this process's file was removed, never left behind


def test_export_files_go_to_the_database_storage(
    editor_client, settings, six_reports, django_capture_on_commit_callbacks
):
    settings.STORAGES = DATABASE_STORAGE
    streamed, job, downloaded = _streamed_then_job(editor_client, settings, "/reports/export.csv")
    assert downloaded == streamed
    stored = StoredFile.objects.get(name=job.file.name)
    assert stored.name.startswith("exports/") and stored.size == len(streamed) == job.size
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert export_jobs.sweep_exports() == 1
    assert not StoredFile.objects.filter(name=job.file.name).exists()


def test_deleting_a_user_deletes_their_export_files(
    client, make_user, settings, six_reports, django_capture_on_commit_callbacks
):
    settings.GONGKAI_EXPORT_BACKGROUND_OVER = 2
    reader = make_user("reader", "viewer")
    client.force_login(reader)
    job = _job_from(client.get("/reports/export.csv"))
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        reader.delete()
    assert not ExportJob.objects.exists() and not storage.exists(name)  # no file left that nobody can reach


def test_with_a_broker_the_job_goes_to_a_celery_worker(
    editor_client, settings, six_reports, monkeypatch, django_capture_on_commit_callbacks
):
    from gongkai.web.center import tasks

    sent = []
    monkeypatch.setattr(tasks.export_job_task, "delay", sent.append)
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    settings.GONGKAI_EXPORT_BACKGROUND_OVER = 2
    with django_capture_on_commit_callbacks(execute=True):
        job = _job_from(editor_client.get("/reports/export.csv"))
    job.refresh_from_db()
    assert sent == [job.pk] and (job.status, job.lease_owner) == ("pending", "queued")
    with django_capture_on_commit_callbacks(execute=True):
        assert _job_from(editor_client.get("/reports/export.csv")).pk == job.pk  # a second click: the same job
    assert sent == [job.pk]


# The production path: Redis, a Celery worker of its own, files in the database ----------------------------------

EXPORT_SUBMIT = """
    import json
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from gongkai.web.center.services import bench, export_jobs
    from gongkai.web.center.services.queries import ReportFilter

    call_command("migrate", verbosity=0)
    bench.load(5, templates=2, progress=lambda _: None)
    user = get_user_model().objects.create_user("exporter")
    with transaction.atomic():  # as in the view: the job is queued once the transaction commits
        job = export_jobs.request_export(user, ReportFilter.from_params({}), "json", 5)
    print(json.dumps({"job": job.pk}))
"""

EXPORT_STATUS = """
    import io, json, sys
    import django
    django.setup()
    from gongkai.web.center.models import ExportJob, StoredFile
    from gongkai.web.center.services import export_jobs, exports

    job = ExportJob.objects.get(pk=int(sys.argv[1]))
    same = None
    if job.status == "done":
        out = io.BytesIO()
        reports = exports.prefetched(export_jobs.selection(job.query), "json")
        exports.write_file(reports, "json", job.total, out)
        stored = StoredFile.objects.get(name=job.file.name)
        same = bytes(stored.content) == out.getvalue()
    print(json.dumps({"status": job.status, "done": job.done, "same": same, "message": job.message}))
"""


def test_a_celery_worker_writes_an_export_queued_on_redis_into_the_database_storage(tmp_path):
    from tests.web.test_celery_redis import _env, _python, _redis_answers, _worker_runs

    if not _redis_answers():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("runs its own database")
    env = _env(tmp_path) | {"GONGKAI_STORAGE": "database"}
    submitted = _python(EXPORT_SUBMIT, env)
    assert _python(EXPORT_STATUS, env, str(submitted["job"]))["status"] == "pending"  # nothing runs it here
    state = _worker_runs(env, EXPORT_STATUS, submitted["job"])
    assert state == {"status": "done", "done": 5, "same": True, "message": ""}


class _Stop(BaseException):
    """Ends the Celery worker's endless sweep loop after its first round."""


def test_the_web_and_the_worker_sweeps_delete_expired_exports(editor, monkeypatch):
    import django.db

    from gongkai.web import celery_app
    from gongkai.web.center.services import jobs

    def expired() -> ExportJob:
        past = timezone.now() - timedelta(seconds=1)
        return ExportJob.objects.create(owner=editor, format="csv", status="done", expires_at=past)

    monkeypatch.setattr(jobs, "close_old_connections", lambda: None)  # the test's transaction stays open
    monkeypatch.setattr(django.db, "close_old_connections", lambda: None)
    job = expired()
    jobs._sweep_in_thread()  # a web process, every GONGKAI_JOB_SWEEP_SECONDS
    assert not ExportJob.objects.filter(pk=job.pk).exists()

    class Event:
        def wait(self, seconds):
            raise _Stop

    monkeypatch.setattr(celery_app, "threading", SimpleNamespace(Event=Event))
    job = expired()
    with pytest.raises(_Stop):
        celery_app._sweep_forever()  # a Celery worker's sweep thread
    assert not ExportJob.objects.filter(pk=job.pk).exists()


# SQLite (the embedded default): the export reads through one long query while other connections write --------

WHILE_OTHERS_WRITE = """
    import json, sys, threading, time
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from gongkai.web.center.models import ExportJob
    from gongkai.web.center.services import bench, export_jobs, exports

    call_command("migrate", verbosity=0)
    bench.load(120, templates=2, progress=lambda _: None)
    users = get_user_model()
    owner, other = users.objects.create_user("exporter"), users.objects.create_user("other")
    real, seen = exports.prefetched, []

    def another_request(n):  # a login, an upload: a write from another connection while the export reads
        users.objects.filter(pk=other.pk).update(first_name=str(n))
        seen.append(ExportJob.objects.get(pk=job.pk).done)
        connection.close()

    def meanwhile(reports, fmt):
        for n, report in enumerate(real(reports, fmt), 1):
            if n % 20 == 0:
                writer = threading.Thread(target=another_request, args=(n,))
                writer.start()
                writer.join()
                time.sleep(0.3)  # the export's heartbeat beats meanwhile
            yield report

    exports.prefetched = meanwhile
    export_jobs.PROGRESS_SECONDS = 0.1
    if sys.argv[1:] == ["fail"]:  # the disk fills up half-way
        def write_file(reports, fmt, count, out):
            for n, _report in enumerate(reports):
                if n == 50:
                    raise OSError("No space left on device")

        exports.write_file = write_file
    job = ExportJob.objects.create(owner=owner, format="csv")
    export_jobs.run_export(job.pk)
    job.refresh_from_db()
    state = {"status": job.status, "done": job.done, "total": job.total, "message": job.message, "seen": seen}
    print(json.dumps(state))
"""


def test_an_export_on_sqlite_finishes_while_other_connections_write(tmp_path):
    # On SQLite (WAL) a connection in the middle of a long read cannot write once another connection has
    # written: the export's progress is written by its heartbeat's own connection, never by the reading one.
    from tests.web.test_celery_redis import _python

    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("runs its own SQLite database")
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gongkai.web.settings"}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "GONGKAI_JOBS_INLINE"):
        env.pop(name, None)
    result = _python(WHILE_OTHERS_WRITE, env)
    assert (result["status"], result["done"], result["message"]) == ("done", result["total"], ""), result
    assert result["total"] > 100 and any(0 < done < result["total"] for done in result["seen"]), result  # progress
    failed = _python(WHILE_OTHERS_WRITE, env | {"GONGKAI_DATA_DIR": str(tmp_path / "failing")}, "fail")
    assert (failed["status"], failed["message"]) == ("failed", export_jobs.FAILED), failed  # not left running
