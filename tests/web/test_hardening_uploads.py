"""Hostile uploads meet a 4xx and a Chinese reason: compression bombs, absurd file names."""

from __future__ import annotations

import time

from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.web.center.models import IngestJob, Report
from tests.pdf_bombs import flate_bomb
from tests.web.test_api import bearer


def test_api_refuses_a_pdf_bomb_with_413_and_the_right_reason(client, editor_token):
    started = time.monotonic()
    response = client.post(
        "/api/ingest", {"files": SimpleUploadedFile("炸弹.pdf", flate_bomb(256))}, **bearer(editor_token)
    )
    assert time.monotonic() - started < 15
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large" and "压缩炸弹" in body["message"] and "扫描件" not in body["message"]
    assert not Report.objects.exists()


def test_upload_page_shows_the_bomb_refused_for_what_it_is(editor_client):
    response = editor_client.post("/upload/", {"files": [SimpleUploadedFile("炸弹.pdf", flate_bomb(256))]})
    assert response.status_code == 302
    item = IngestJob.objects.get().items.get()
    assert item.status == "refused" and "压缩炸弹" in item.message
    assert "压缩炸弹" in editor_client.get(response["Location"]).content.decode()


def _long_name_body(name: str) -> tuple[bytes, str]:
    """A multipart body as a browser sends it: the test client would cut the name to 255 characters."""
    boundary = "gongkaiBoundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        f"Content-Type: text/plain\r\n\r\nx\r\n--{boundary}--\r\n"
    ).encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_file_name_over_the_multipart_header_limit_is_a_4xx_not_a_500(client, editor_token, editor_client):
    body, content_type = _long_name_body("长" * 400 + ".txt")  # 1,200 bytes of UTF-8: over Django's 1 KB limit
    response = client.post("/api/ingest", body, content_type=content_type, **bearer(editor_token))
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "bad_request" and "文件名过长" in response.json()["message"]
    page = editor_client.post("/upload/", body, content_type=content_type, follow=True)
    assert page.status_code == 200 and "文件名过长" in page.content.decode()
    assert not IngestJob.objects.exists()


def test_with_csrf_checks_a_long_file_name_is_a_400_page_not_a_500(editor):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    browser.get("/upload/")  # the CSRF cookie, as a browser has it
    token = browser.cookies["csrftoken"].value
    body, content_type = _long_name_body("长" * 400 + ".txt")
    response = browser.post("/upload/", body, content_type=content_type, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 400
