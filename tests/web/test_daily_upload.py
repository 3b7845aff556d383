"""Upload results: each stored file with its check summary, what needs confirming, and a useful link."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import make_zip, seed

pytestmark = pytest.mark.django_db


def _anonymous() -> bytes:
    text = seed("000")[1].decode("utf-8")
    for old, new in (("石家庄市人民政府", "本机关"), ("石家庄市", "本市"), ("石家庄", "本地")):
        text = text.replace(old, new)
    return text.encode("utf-8")


def test_job_page_lists_checks_confirmations_and_titles(editor_client):
    archive = make_zip({"a.txt": seed("000")[1], "b.txt": seed("004")[1], "c.txt": _anonymous()})
    response = editor_client.post("/upload/", {"files": _upload("reports.zip", archive)}, follow=True)
    html = response.content.decode()
    job = re.search(r"上传任务 #(\d+)", html)
    assert job, html[:2000]
    html = editor_client.get(f"/jobs/{job.group(1)}/").content.decode()
    assert ">石家庄市人民政府2021年政府信息公开工作年度报告</a>" in html
    assert ">本机关2021年政府信息公开工作年度报告</a>" in html
    assert "未识别机关 未知年" not in html
    assert "2 个错误，1 个警告" in html  # seed 000
    assert "机关未识别" in html  # the anonymous one
    assert "机关待确认（可信度 50%）" in html  # seed 004: agency from the site owner, 50%
    assert "3 份年报：2 份有错误，2 份需确认机关或年度" in html


def test_report_page_opens_the_confirmation_when_needed(editor_client):
    from gongkai.web.center.services.ingest import ingest_bytes

    report = ingest_bytes(_anonymous(), "x.txt").report
    html = editor_client.get(f"/reports/{report.pk}/").content.decode()
    assert '<details style="margin-top:8px" id="confirm" open>' in html and "机关未识别" in html


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
