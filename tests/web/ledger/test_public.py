"""The applicant's side: the optional application form and the status lookup by 查询码."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.web.ledger.models import Attachment, LedgerSettings, Request
from gongkai.web.ledger.services import public

FORM = {"applicant_type": "natural_person", "applicant_name": "李四", "contact": "lisi@example.cn",
        "content": "请公开2024年度某项目的批复文件"}  # fmt: skip
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_form_is_off_until_the_agency_opens_it(client, agency, clerk_client):
    assert client.get(f"/ledger/apply/{agency.pk}/").status_code == 404
    clerk_client.post(f"/ledger/agency/{agency.pk}/settings/", {"public_form": "1"})
    assert LedgerSettings.objects.get(agency=agency).public_form
    client.logout()
    assert client.get(f"/ledger/apply/{agency.pk}/").status_code == 200


def test_application_gives_a_query_code_and_lookup_shows_state_and_deadline_only(client, agency):
    LedgerSettings.objects.create(agency=agency, public_form=True)
    scan = SimpleUploadedFile("身份证.png", PNG, content_type="image/png")
    page = client.post(f"/ledger/apply/{agency.pk}/", FORM | {"attachments": [scan]})
    assert page.status_code == 200
    req = Request.objects.get()
    assert req.channel == "online" and req.query_code in page.text
    assert req.versions.get().action == "public" and req.versions.get().user is None
    assert Attachment.objects.get().content_type == "image/png"

    found = client.post("/ledger/lookup/", {"code": req.query_code.lower()})
    assert found.status_code == 200
    assert "办理中" in found.text or "即将到期" in found.text
    assert req.due.strftime("%Y年") in found.text
    for private in ("李四", "lisi@example.cn", "批复文件", req.number, agency.name):
        assert private not in found.text
    missing = client.post("/ledger/lookup/", {"code": "ZZZZZZZZZZ"})
    assert "没有找到" in missing.text


def test_only_safe_attachments(client, agency):
    LedgerSettings.objects.create(agency=agency, public_form=True)
    exe = SimpleUploadedFile("表格.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    page = client.post(f"/ledger/apply/{agency.pk}/", FORM | {"attachments": [exe]})
    assert page.status_code == 400 and "不是 PDF、PNG 或 JPEG" in page.text
    script = SimpleUploadedFile(
        "a.pdf", b"%PDF-1.4\n1 0 obj << /S /JavaScript /JS (app.alert(1)) >>", content_type="application/pdf"
    )
    assert "含有脚本" in client.post(f"/ledger/apply/{agency.pk}/", FORM | {"attachments": [script]}).text
    assert Request.objects.count() == 0 and Attachment.objects.count() == 0


def test_form_and_lookup_are_rate_limited(client, agency, monkeypatch):
    LedgerSettings.objects.create(agency=agency, public_form=True)
    monkeypatch.setattr(public, "APPLY_LIMIT", (2, 3600))
    monkeypatch.setattr(public, "LOOKUP_LIMIT", (3, 600))
    statuses = [client.post(f"/ledger/apply/{agency.pk}/", FORM).status_code for _ in range(3)]
    assert statuses == [200, 200, 429] and Request.objects.count() == 2
    statuses = [client.post("/ledger/lookup/", {"code": "ABCDEFGHJK"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_lookup_api_is_public_and_minimal(client, make_request):
    req = make_request()
    response = client.post(f"/api/ledger/lookup?code={req.query_code}")
    assert response.status_code == 200
    assert response.json() == {"state": "open", "state_label": "办理中", "due": req.due.isoformat()}
    assert client.post("/api/ledger/lookup?code=NOPE").status_code == 404


def test_attachments_are_for_staff_only_and_logged(client, clerk_client, outsider, agency):
    from gongkai.web.ledger.models import PersonalDataView

    LedgerSettings.objects.create(agency=agency, public_form=True)
    client.post(f"/ledger/apply/{agency.pk}/", FORM | {"attachments": [SimpleUploadedFile("证件.png", PNG)]})
    req, item = Request.objects.get(), Attachment.objects.get()
    url = f"/ledger/requests/{req.pk}/attachments/{item.pk}/"
    assert url in clerk_client.get(f"/ledger/requests/{req.pk}/").text
    download = clerk_client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert "attachment" in download["Content-Disposition"]
    assert PersonalDataView.objects.get().where == "attachment"
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_a_private_site_still_lets_applicants_apply_and_look_up(client, agency, settings):
    settings.GONGKAI_PUBLIC_READ = False
    LedgerSettings.objects.create(agency=agency, public_form=True)
    assert client.get(f"/ledger/apply/{agency.pk}/").status_code == 200
    assert client.get("/ledger/lookup/").status_code == 200
    assert client.get("/favicon.ico").status_code == 200
    assert client.get(f"/ledger/agency/{agency.pk}/").status_code == 302  # the ledger itself stays private
