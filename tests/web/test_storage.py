"""GONGKAI_STORAGE: originals and staged uploads in the database (DatabaseStorage) or an S3-compatible store (a real
HTTP S3 server, moto's, started here), read back by every page that shows an original; and the configuration
check that warns when workers could not read the uploads (a broker with the local folder)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from gongkai.proving import synth, synth_files
from gongkai.web.center.models import Document, JobItem, StoredFile
from gongkai.web.center.storage import DatabaseStorage
from tests.web.conftest import seed

DATABASE_STORAGE = {
    "default": {"BACKEND": "gongkai.web.center.storage.DatabaseStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PATH = "requests.total.total"


def _pdf() -> bytes:
    tables = synth.random_tables(random.Random(7), "2021")
    return synth_files.report_pdf(tables, random.Random(7))


def _files_under(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


# DatabaseStorage itself ------------------------------------------------------------------------------------------


def test_database_storage_saves_reads_sizes_lists_and_deletes(db):
    storage = DatabaseStorage()
    name = storage.save("documents/2026/a.txt", ContentFile(b"\x00bytes\xff" * 1000))
    assert name == "documents/2026/a.txt"
    assert storage.exists(name) and storage.size(name) == 7000
    with storage.open(name) as fh:
        assert fh.read() == b"\x00bytes\xff" * 1000
    storage.save("documents/2025/b.txt", ContentFile(b"b"))
    storage.save("staging/1-0.bin", ContentFile(b"c"))
    assert storage.listdir("documents") == (["2025", "2026"], [])
    assert storage.listdir("documents/2026/") == ([], ["a.txt"])
    assert storage.listdir("") == (["documents", "staging"], [])
    assert storage.get_modified_time(name) == StoredFile.objects.get(name=name).created
    storage.delete(name)
    assert not storage.exists(name)
    with pytest.raises(FileNotFoundError):
        storage.open(name)
    with pytest.raises(FileNotFoundError):
        storage.size(name)


def test_a_second_file_of_the_same_name_gets_a_name_of_its_own(db):
    storage = DatabaseStorage()
    first = storage.save("staging/1-0.bin", ContentFile(b"one"))
    second = storage.save("staging/1-0.bin", ContentFile(b"two"))
    assert first != second and second.startswith("staging/1-0_")
    assert storage.open(first).read() == b"one" and storage.open(second).read() == b"two"


def test_a_name_taken_between_the_check_and_the_insert_is_not_an_error(db, monkeypatch):
    # Another process saved the same name after this one found it free: the unique name refuses the row,
    # the storage takes another name, and the caller's transaction goes on.
    storage = DatabaseStorage()
    StoredFile.objects.create(name="staging/7-0.bin", content=b"theirs", size=6)
    exists, checks = DatabaseStorage.exists, []

    def free_when_first_checked(self, name):
        checks.append(name)
        return len(checks) > 1 and exists(self, name)

    monkeypatch.setattr(DatabaseStorage, "exists", free_when_first_checked)
    with transaction.atomic():
        saved = storage.save("staging/7-0.bin", ContentFile(b"ours"))
        assert saved != "staging/7-0.bin" and saved.startswith("staging/7-0_")
        assert bytes(StoredFile.objects.get(name=saved).content) == b"ours"
    assert bytes(StoredFile.objects.get(name="staging/7-0.bin").content) == b"theirs"


def test_database_files_open_for_reading_only(db):
    storage = DatabaseStorage()
    name = storage.save("x.txt", ContentFile(b"x"))
    with pytest.raises(ValueError, match="reading only"):
        storage.open(name, "wb")
    with pytest.raises(NotImplementedError):
        storage.path(name)  # nothing may read an original by its path on disk


# The site with GONGKAI_STORAGE=database ---------------------------------------------------------------------------


@pytest.fixture
def database_storage(settings):
    settings.STORAGES = DATABASE_STORAGE
    return settings


def test_uploads_and_originals_live_in_the_database_and_every_page_reads_them(
    database_storage, editor_client, django_capture_on_commit_callbacks
):
    name, text = seed("002")
    with django_capture_on_commit_callbacks(execute=True):  # the staged copies are removed once committed
        response = editor_client.post(
            "/upload/", {"files": [ContentFile(text, name=name), ContentFile(_pdf(), name="report.pdf")]}
        )
    assert response.status_code == 302
    job = JobItem.objects.first().job
    items = list(job.items.order_by("position"))
    assert [i.status for i in items] == ["created", "created"], [i.message for i in items]
    assert all(i.worker for i in items)  # which process handled each file: shown on the job page
    assert items[0].worker in editor_client.get(f"/jobs/{job.pk}/").content.decode()
    # The originals are rows; the staged copies were removed once processed; nothing went to the media folder.
    names = set(StoredFile.objects.values_list("name", flat=True))
    assert names == {d.file.name for d in Document.objects.all()} and len(names) == 2
    assert not any(n.startswith("staging/") for n in names)
    assert _files_under(database_storage.MEDIA_ROOT) == []

    text_report, pdf_report = (i.report for i in items)
    assert editor_client.get(f"/reports/{text_report.pk}/").status_code == 200
    original = editor_client.get(f"/reports/{text_report.pk}/original/")
    assert original.status_code == 200 and b"".join(original.streaming_content) == text
    assert b"".join(editor_client.get(f"/reports/{pdf_report.pk}/original/").streaming_content).startswith(b"%PDF")
    image = editor_client.get(f"/reports/{pdf_report.pk}/page.png?path={PATH}")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert editor_client.get(f"/reports/{text_report.pk}/source/").status_code == 200


def test_re_reading_an_original_goes_through_the_database(database_storage, editor_client):
    from gongkai.web.center.services.ingest import ingest_bytes

    name, data = seed("000")
    report = ingest_bytes(data, name).report
    assert report.document.read() == data
    StoredFile.objects.filter(name=report.document.file.name).update(content=b"changed")
    assert Document.objects.get(pk=report.document.pk).read() == b"changed"


def test_ledger_imports_are_staged_in_the_database(database_storage, db):
    from gongkai.web.ledger.services import transfer

    token = transfer.stage(b"a,b\n1,2\n", "台账.csv")
    assert token.endswith(".csv") and "/" not in token
    assert StoredFile.objects.filter(name=f"ledger-imports/{token}").exists()
    assert transfer.staged(token) == b"a,b\n1,2\n"
    transfer.unstage(token)
    assert not StoredFile.objects.exists()
    with pytest.raises(transfer.Refused):
        transfer.staged(token)
    assert _files_under(database_storage.MEDIA_ROOT) == []


# S3: a real S3-compatible HTTP server ----------------------------------------------------------------------------


@pytest.fixture
def s3_storage(settings):
    boto3 = pytest.importorskip("boto3")
    server_module = pytest.importorskip("moto.server")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    keys = {"aws_access_key_id": "gongkai-test", "aws_secret_access_key": "gongkai-test-secret"}
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
    client.create_bucket(Bucket="gongkai-originals")
    settings.STORAGES = {
        **DATABASE_STORAGE,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "gongkai-originals",
                "endpoint_url": endpoint,
                "access_key": keys["aws_access_key_id"],
                "secret_key": keys["aws_secret_access_key"],
                "region_name": "us-east-1",
                "location": "site",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    yield client
    server.stop()


def test_uploads_and_originals_live_in_an_s3_bucket(
    s3_storage, settings, editor_client, django_capture_on_commit_callbacks
):
    name, text = seed("002")
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/upload/", {"files": [ContentFile(text, name=name), ContentFile(_pdf(), name="report.pdf")]}
        )
    items = list(JobItem.objects.order_by("position"))
    assert [i.status for i in items] == ["created", "created"], [i.message for i in items]
    keys = {o["Key"] for o in s3_storage.list_objects_v2(Bucket="gongkai-originals").get("Contents", [])}
    assert keys == {f"site/{d.file.name}" for d in Document.objects.all()} and len(keys) == 2  # staged ones gone
    assert _files_under(settings.MEDIA_ROOT) == []
    text_report, pdf_report = (i.report for i in items)
    assert b"".join(editor_client.get(f"/reports/{text_report.pk}/original/").streaming_content) == text
    image = editor_client.get(f"/reports/{pdf_report.pk}/page.png?path={PATH}")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    # A duplicate upload stores nothing new; deleting the report's file removes the object.
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post("/upload/", {"files": [ContentFile(text, name="again.txt")]})
    assert JobItem.objects.order_by("-pk").first().status == "duplicate"
    assert len(s3_storage.list_objects_v2(Bucket="gongkai-originals")["Contents"]) == 2


# The configuration: settings read from the environment, and the check --------------------------------------------

SETTINGS = """
    import json, os
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.web.settings"
    import django
    django.setup()
    from django.conf import settings
    from django.core.checks import run_checks
    print(json.dumps({
        "storage": settings.STORAGES["default"],
        "static": str(settings.STATIC_ROOT),
        "checks": [m.id for m in run_checks(tags=["gongkai"])],
    }))
"""


def _settings(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "CELERY_", "DATABASE_URL"))}
    environment |= {"GONGKAI_DATA_DIR": str(tmp_path / "data"), **env}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SETTINGS)], env=environment, capture_output=True, text=True, timeout=60
    )


def _json(done: subprocess.CompletedProcess) -> dict:
    import json

    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_storage_is_chosen_by_the_environment(tmp_path):
    local = _json(_settings(tmp_path))
    assert local["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage" and local["checks"] == []
    database = _json(_settings(tmp_path, GONGKAI_STORAGE="database", CELERY_BROKER_URL="redis://127.0.0.1:6379/9"))
    assert database["storage"]["BACKEND"] == "gongkai.web.center.storage.DatabaseStorage"
    assert database["checks"] == []
    s3 = _json(
        _settings(
            tmp_path, GONGKAI_STORAGE="S3", GONGKAI_S3_BUCKET="b", GONGKAI_S3_ENDPOINT_URL="http://127.0.0.1:9000"
        )
    )
    assert s3["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s3["storage"]["OPTIONS"]
    assert (options["bucket_name"], options["addressing_style"], options["file_overwrite"]) == ("b", "path", False)


def test_a_wrong_storage_setting_is_refused_in_chinese_and_english(tmp_path):
    wrong = _settings(tmp_path, GONGKAI_STORAGE="nfs")
    assert wrong.returncode != 0
    assert "GONGKAI_STORAGE 只能是 local、database 或 s3" in wrong.stderr and "must be local" in wrong.stderr
    no_bucket = _settings(tmp_path, GONGKAI_STORAGE="s3")
    assert no_bucket.returncode != 0 and "GONGKAI_S3_BUCKET" in no_bucket.stderr


def test_a_broker_with_the_local_folder_is_warned_about(tmp_path):
    warned = _json(_settings(tmp_path, CELERY_BROKER_URL="redis://127.0.0.1:6379/9"))
    assert warned["checks"] == ["gongkai.W001"]


def test_the_warning_reads_in_chinese_and_english(settings):
    from gongkai.web.center.checks import storage_reaches_the_workers

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/9"
    settings.GONGKAI_STORAGE = "local"
    (warning,) = storage_reaches_the_workers()
    assert "GONGKAI_STORAGE=database 或 s3" in warning.msg and "cannot read them" in warning.msg
    settings.GONGKAI_STORAGE = "database"
    assert storage_reaches_the_workers() == []


def test_static_files_can_be_collected_outside_the_data_directory(tmp_path):
    outside = tmp_path / "www" / "static"
    assert _json(_settings(tmp_path, GONGKAI_STATIC_ROOT=str(outside)))["static"] == str(outside)
    assert outside.is_dir()


def test_a_worker_that_cannot_read_a_local_upload_says_why(settings, db, tmp_path):
    # A worker with another data directory (GONGKAI_STORAGE=local and a broker): the staged file is not in its
    # media folder. The file is marked failed with the reason and the fix, not "missing, upload again".
    from gongkai.web.center.services.jobs import create_job, process_job

    name, data = seed("002")
    job = create_job([(name, data)])
    settings.MEDIA_ROOT = tmp_path / "another-machine"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/9"
    settings.GONGKAI_STORAGE = "local"
    process_job(job.pk)
    item = job.items.get()
    assert (item.status, item.code) == ("failed", "storage")
    assert "GONGKAI_STORAGE=database 或 s3" in item.message


# Several workers at once ------------------------------------------------------------------------------------------


def test_a_row_another_worker_created_meanwhile_makes_the_file_try_again(
    database_storage, db, monkeypatch, django_capture_on_commit_callbacks
):
    # Two workers placing reports of one province at once: the second insert of "河北省" breaks the unique name,
    # its transaction rolls back (with the original it had stored), and the file is stored on the next try
    # (it was marked failed before).
    from gongkai.web.center.models import Agency
    from gongkai.web.center.services import agencies, jobs

    name, data = seed("000")  # 石家庄市 → 河北省
    job = jobs.create_job([(name, data)])
    real, calls = agencies._government, []

    def raced(unit, parent):
        calls.append(unit.name)
        if len(calls) == 1:  # as if another worker had just created the province after this one looked
            Agency.objects.create(name=unit.name, parent=parent, level=unit.level or "", kind="government")
            return Agency.objects.create(name=unit.name, parent=parent, level=unit.level or "", kind="government")
        return real(unit, parent)

    monkeypatch.setattr(agencies, "_government", raced)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.process_job(job.pk)
    item = job.items.get()
    assert (item.status, item.code) == ("created", ""), item.message
    assert calls.count("河北省") == 2 and item.report.agency.ancestors()[0].name == "河北省"
    assert list(StoredFile.objects.values_list("name", flat=True)) == [item.report.document.file.name]


def test_a_row_conflict_that_persists_fails_the_file_after_a_few_tries(db, monkeypatch):
    from django.db import IntegrityError

    from gongkai.web.center.services import jobs

    calls = []

    def always_conflicting(prepared, user):
        calls.append(prepared.filename)
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(jobs, "store", always_conflicting)
    name, data = seed("000")
    job = jobs.create_job([(name, data)])
    jobs.process_job(job.pk)
    item = job.items.get()
    assert (item.status, item.code, len(calls)) == ("failed", "internal", jobs.RACE_ATTEMPTS)


def test_a_worker_logs_the_warning_when_it_starts(settings, caplog):
    # Celery runs Django's checks at start but prints none of them: the worker logs this one itself.
    from gongkai.web.celery_app import _warn_about_the_configuration

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/9"
    settings.GONGKAI_STORAGE = "local"
    with caplog.at_level("WARNING", logger="gongkai.web"):
        _warn_about_the_configuration()
    assert "gongkai.W001" in caplog.text and "GONGKAI_STORAGE=database" in caplog.text
    caplog.clear()
    settings.GONGKAI_STORAGE = "database"
    _warn_about_the_configuration()
    assert caplog.text == ""


def test_a_file_over_the_limit_is_refused_when_uploaded_not_staged(database_storage, db):
    # Up to ten times the limit passes the upload page (for zips); a plain file that large used to be staged
    # (a row of that size with GONGKAI_STORAGE=database) only for the worker to refuse it.
    from gongkai.web.center.services.jobs import create_job

    database_storage.GONGKAI_MAX_UPLOAD_BYTES = 1000
    name, data = seed("002")
    job = create_job([("大文件.pdf", b"%PDF" + b"x" * 5000), (name, data[:900])])
    big, small = job.items.order_by("position")
    assert (big.status, big.code, bool(big.staged)) == ("refused", "too_large", False)
    assert "过大" in big.message and job.processed == 1
    assert small.status == "pending" and list(StoredFile.objects.values_list("name", flat=True)) == [small.staged.name]


def test_gongkai_ingest_keeps_the_originals_in_the_database(tmp_path):
    # The command-line bulk load stores through the same storage as the site: nothing under the data directory.
    import sqlite3

    from tests.web.conftest import ROOT, SEEDS

    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "CELERY_", "DJANGO_", "DATABASE_"))}
    env |= {"GONGKAI_DATA_DIR": str(tmp_path / "data"), "GONGKAI_STORAGE": "database"}
    done = subprocess.run(
        [sys.executable, "-m", "gongkai", "ingest", str(SEEDS), "--jobs", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    with sqlite3.connect(tmp_path / "data" / "gongkai.sqlite3") as db:
        stored = db.execute("SELECT count(*), sum(size) FROM center_storedfile").fetchone()
        documents = db.execute("SELECT count(*), sum(size) FROM center_document").fetchone()
    assert stored == documents and stored[0] == len(list(SEEDS.iterdir()))
    assert _files_under(tmp_path / "data" / "media") == []
