import pytest

from gongkai.errors import InputError, NotAReport, TooLarge
from gongkai.web.center.models import Cell, Document, Finding, IngestJob, Report
from gongkai.web.center.services.ingest import expand_zip, ingest_bytes, ingest_text
from gongkai.web.center.services.jobs import create_job, start_job
from gongkai.web.center.services.samples import load_samples
from gongkai.web.center.tasks import process_job_task
from tests.web.conftest import make_zip, seed

pytestmark = pytest.mark.django_db


def test_ingest_stores_report_cells_findings_and_identifies_agency(shijiazhuang):
    report = shijiazhuang
    assert report.format == "2021" and report.year == 2021 and report.year_confidence == pytest.approx(0.95)
    assert report.agency.name == "石家庄市" and report.agency_source == "title"
    assert report.parsed["schema"] == "gongkai.report/v1"
    assert report.cell_rows.count() == len(report.parsed["cells"]) == 200
    cell = report.cell_rows.get(path="requests.total.total")
    assert cell.value == cell.extracted == 2088 and not cell.corrected
    assert cell.evidence["start"] < cell.evidence["end"]
    assert report.status == "errors" and report.error_count == 2
    assert Finding.objects.filter(report=report, rule="tamper.spam").exists()
    assert report.document.file.read()[:10] == seed("000")[1][:10]


def test_same_content_never_creates_a_duplicate(shijiazhuang):
    again = ingest_bytes(seed("000")[1], "renamed.txt")
    assert not again.created and again.report == shijiazhuang
    assert Report.objects.count() == Document.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("这是一段普通的文字，没有任何年报内容。".encode(), "not_a_report"),
        (b"", "not_a_report"),
        (bytes(range(256)) * 40, None),
    ],
)
def test_refusals_write_nothing(data, code):
    with pytest.raises(InputError) as info:
        ingest_bytes(data, "x.txt")
    assert info.value.message_zh
    if code:
        assert info.value.code == code
    assert not Report.objects.exists() and not Document.objects.exists() and not Cell.objects.exists()


def test_too_large_is_refused_before_parsing(settings):
    settings.GONGKAI_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(TooLarge) as info:
        ingest_bytes(seed("000")[1], "big.txt")
    assert "过大" in info.value.message_zh


def test_pasted_text():
    text = seed("001")[1].decode("utf-8")
    outcome = ingest_text(text, "曲阳街道年报")
    assert outcome.created and outcome.report.document.filename == "曲阳街道年报.txt"
    assert outcome.report.agency.level == "township"


def test_zip_names_cannot_traverse_and_limits_hold(settings):
    data = make_zip({"../../etc/evil.txt": b"a", "dir/sub/report.txt": b"b", "__MACOSX/._x": b"c", ".hidden": b"d"})
    assert [name for name, _ in expand_zip(data)] == ["evil.txt", "report.txt"]
    settings.GONGKAI_MAX_ZIP_FILES = 1
    with pytest.raises(TooLarge):
        expand_zip(data)
    with pytest.raises(InputError):
        expand_zip(b"PK\x03\x04 not really a zip")


def test_zip_member_over_the_limit_is_refused(settings):
    settings.GONGKAI_MAX_UPLOAD_BYTES = 100
    with pytest.raises(TooLarge):
        expand_zip(make_zip({"big.txt": b"x" * 1000}))


def test_job_reports_every_outcome(shijiazhuang):
    zipped = make_zip({"a/002.txt": seed("002")[1], "a/junk.txt": "不是年报".encode()})
    job = create_job(
        [seed("000"), ("reports.zip", zipped), ("broken.zip", b"PK\x03\x04garbage")],
        text=seed("004")[1].decode("utf-8"),
    )
    start_job(job)
    job.refresh_from_db()
    assert job.status == "done" and job.total == job.processed == 5
    outcomes = {i.filename: (i.status, i.code) for i in job.items.all()}
    assert outcomes["000_shijiazhuang_2021.txt"] == ("duplicate", "")
    assert outcomes["002.txt"] == ("created", "")
    assert outcomes["junk.txt"] == ("refused", NotAReport.code)
    assert outcomes["broken.zip"] == ("refused", "bad_zip")
    assert outcomes["粘贴的文本"] == ("created", "")
    assert "不是政府信息公开工作年度报告" in job.items.get(filename="junk.txt").message
    assert not any(i.staged for i in job.items.all())  # staged uploads are removed


def test_celery_task_runs_in_process_without_a_broker():
    job = create_job([seed("002")])
    process_job_task.delay(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.items.get().status == "created"


def test_load_samples_is_idempotent():
    created, existing, refused = load_samples()
    assert (created, existing, refused) == (5, 0, [])
    assert load_samples()[:2] == (0, 5)


def test_upload_page_creates_a_job_and_shows_outcomes(editor_client):
    name, data = seed("002")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = editor_client.post("/upload/", {"files": [SimpleUploadedFile(name, data)], "text": ""})
    assert response.status_code == 302
    job = IngestJob.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    page = editor_client.get(response["Location"])
    assert "已入库" in page.content.decode() and name in page.content.decode()
    # The htmx poll gets only the progress fragment.
    fragment = editor_client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "已处理 1 / 1" in fragment


def test_upload_needs_an_editor(client, viewer):
    assert client.get("/upload/").status_code == 302  # anonymous → login
    client.force_login(viewer)
    response = client.get("/upload/")
    assert response.status_code == 403 and "没有权限" in response.content.decode()


def test_empty_upload_is_explained(editor_client):
    response = editor_client.post("/upload/", {"text": "  "}, follow=True)
    assert "请选择文件" in response.content.decode()
    assert not IngestJob.objects.exists()


def test_editor_cannot_upload_outside_their_region(make_user, shijiazhuang):
    hebei_editor = make_user("hebei", "editor", region=shijiazhuang.agency.parent)
    with pytest.raises(InputError) as info:
        ingest_bytes(seed("002")[1], "puyang.txt", hebei_editor)  # 濮阳市 is in 河南省
    assert info.value.code == "outside_region" and "濮阳市" in info.value.message_zh
    assert Report.objects.count() == 1 and not Report.objects.filter(year=2019).exists()
    from gongkai.web.center.models import Agency

    assert not Agency.objects.filter(name__in=["濮阳市", "河南省"]).exists()  # rolled back with the report
    assert ingest_bytes(seed("001")[1], "quyang.txt").created  # no user (samples, CLI): no region check


def test_evidence_of_structured_inputs_shows_the_location(client, shijiazhuang):
    cell = shijiazhuang.cell_rows.get(path="requests.total.total")
    cell.evidence = {"location": {"page": 3, "table": 2, "row": 24, "cell": 8}}
    cell.save()
    html = client.get(f"/reports/{shijiazhuang.pk}/evidence/?path=requests.total.total").content.decode()
    assert "位置：PDF 第 3 页" in html


def test_with_a_broker_jobs_go_to_the_celery_worker(settings, monkeypatch, django_capture_on_commit_callbacks):
    from gongkai.web.center import tasks

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    sent = []
    monkeypatch.setattr(tasks.process_job_task, "delay", sent.append)
    job = create_job([seed("002")])
    with django_capture_on_commit_callbacks(execute=True):
        start_job(job)
    assert sent == [job.pk]
    job.refresh_from_db()
    assert job.status == "pending"  # the worker, not the web process, runs it


def test_a_job_that_crashes_ends_failed_not_running(monkeypatch, editor):
    from gongkai.web.center.services import jobs

    job = create_job([seed("000"), seed("002")], user=editor)
    calls = []

    def crash_on_second(item, user):
        calls.append(item.filename)
        if len(calls) == 2:
            raise RuntimeError("worker lost its database")
        item.status = "created"
        item.save()

    monkeypatch.setattr(jobs, "_process_item", crash_on_second)
    process_job_task(job.pk)  # what a Celery worker runs
    job.refresh_from_db()
    items = list(job.items.order_by("position"))
    assert job.status == "failed" and job.finished is not None and job.processed == 2
    assert [i.status for i in items] == ["created", "failed"] and items[1].code == "interrupted"
    assert not items[1].staged  # no staged copy left behind


def test_jobs_interrupted_by_a_restart_are_resumed(editor):
    from gongkai.web.center.services.jobs import resume_interrupted_jobs

    job = create_job([seed("000")], user=editor)  # staged, never started: the server stopped
    IngestJob.objects.filter(pk=job.pk).update(status="running")
    assert resume_interrupted_jobs() == 1
    job.refresh_from_db()
    assert job.status == "done" and job.items.get().status == "created"
    assert resume_interrupted_jobs() == 0


def test_a_failure_while_staging_leaves_no_job(monkeypatch, editor, settings):
    from gongkai.web.center.models import JobItem

    def broken_save(*args, **kwargs):
        raise OSError("disk full")

    zipped = make_zip({"a.txt": seed("000")[1], "b.txt": seed("002")[1]})
    monkeypatch.setattr(JobItem.objects, "bulk_create", broken_save)
    with pytest.raises(OSError):
        create_job([("all.zip", zipped)], user=editor)
    assert not IngestJob.objects.exists()
    staging = settings.MEDIA_ROOT / "staging"
    assert not staging.exists() or not any(staging.iterdir())


def test_upload_page_explains_too_many_files(editor_client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = [SimpleUploadedFile(f"{i}.txt", b"x") for i in range(3)]
    response = editor_client.post("/upload/", {"files": files}, follow=True)
    assert response.status_code == 200 and "一次最多上传 2 个文件" in response.content.decode()
    assert not IngestJob.objects.exists()


def test_a_stray_nul_in_a_text_file_is_stored_on_every_database():
    # PostgreSQL refuses U+0000 in text and JSON; a NUL past the binary sniffing window must not break ingest.
    name, data = seed("000")
    at = data.index(b"\n", 9000) + 1  # past the binary sniffing window, between two lines
    data = data[:at] + b"\x00" + data[at:]
    report = ingest_bytes(data, name).report
    report.refresh_from_db()
    assert "\x00" not in report.document.source_text and report.cell_rows.count() > 100
    stored = report.document.source_text
    for cell in report.parsed["cells"]:
        span = (cell.get("evidence") or {}).get("span")
        if span and cell.get("raw"):
            assert stored[span[0] : span[1]] == cell["raw"] or cell["raw"] in stored[span[0] - 5 : span[1] + 5]
