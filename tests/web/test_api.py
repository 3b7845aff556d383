import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.web.center.models import Correction, Document, Report
from tests.web.conftest import make_zip, seed

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_openapi_document_lists_every_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/reports", "/api/reports/{pk}", "/api/reports/{pk}/cells", "/api/reports/{pk}/findings"} <= paths
    assert {"/api/agencies", "/api/agencies/{pk}", "/api/ingest", "/api/reports/{pk}/corrections"} <= paths
    assert {"/api/agencies/{pk}/merge", "/api/compare", "/api/jobs/{pk}"} <= paths
    docs = client.get("/api/docs").content.decode()
    assert "cdn." not in docs and "/static/ninja/" in docs  # no CDN, ever


def test_list_and_filter_reports(client, shijiazhuang, puyang):
    data = client.get("/api/reports").json()
    assert data["count"] == 2 and {r["year"] for r in data["items"]} == {2019, 2021}
    assert client.get("/api/reports?year=2019").json()["items"][0]["id"] == puyang.pk
    assert [r["id"] for r in client.get("/api/reports?has_errors=true").json()["items"]] == [shijiazhuang.pk]
    assert client.get("/api/reports?format=2019").json()["count"] == 1
    province = shijiazhuang.agency.parent
    assert [r["id"] for r in client.get(f"/api/reports?agency={province.pk}").json()["items"]] == [shijiazhuang.pk]
    page = client.get("/api/reports?limit=1&offset=1").json()
    assert page["count"] == 2 and len(page["items"]) == 1


@pytest.mark.parametrize(
    "query", ["year=abc", "has_errors=maybe", "limit=0", "limit=100000", "offset=-1", "format=1999"]
)
def test_bad_query_parameters_get_422(client, db, query):
    response = client.get(f"/api/reports?{query}")
    assert response.status_code == 422 and response.json()["message"]


def test_report_detail_cells_findings_agencies(client, shijiazhuang):
    doc = client.get(f"/api/reports/{shijiazhuang.pk}").json()
    assert doc["schema"] == "gongkai.report/v1" and doc["id"] == shijiazhuang.pk and doc["corrections"] == []
    cells = client.get(f"/api/reports/{shijiazhuang.pk}/cells").json()
    total = next(c for c in cells if c["path"] == "requests.total.total")
    assert total["value"] == 2088 and total["evidence"]["line"] > 0
    findings = client.get(f"/api/reports/{shijiazhuang.pk}/findings").json()
    assert sum(f["severity"] == "error" for f in findings) == 2
    assert client.get(f"/api/reports/{shijiazhuang.pk}/corrections").json() == []
    roots = client.get("/api/agencies").json()
    assert [a["name"] for a in roots] == ["河北省"]
    children = client.get(f"/api/agencies?parent={roots[0]['id']}").json()
    assert children[0]["name"] == "石家庄市" and children[0]["division_code"] == "130100"
    assert client.get("/api/agencies?q=石家庄").json()[0]["level"] == "city"
    assert client.get(f"/api/agencies/{roots[0]['id']}").json()["level"] == "province"
    assert client.get("/api/reports/999999").status_code == 404
    assert client.get("/api/reports/abc").status_code == 422


def test_ingest_needs_an_editor_token(client, viewer_token):
    name, data = seed("002")
    assert client.post("/api/ingest", {"files": SimpleUploadedFile(name, data)}).status_code == 401
    response = client.post("/api/ingest", {"files": SimpleUploadedFile(name, data)}, **bearer("gk_wrong"))
    assert response.status_code == 401
    response = client.post("/api/ingest", {"files": SimpleUploadedFile(name, data)}, **bearer(viewer_token))
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_ingest_creates_then_deduplicates(client, editor_token):
    name, data = seed("002")
    first = client.post("/api/ingest", {"files": SimpleUploadedFile(name, data)}, **bearer(editor_token))
    assert first.status_code == 201 and first.json()["items"][0]["created"] is True
    again = client.post("/api/ingest", {"files": SimpleUploadedFile("copy.txt", data)}, **bearer(editor_token))
    assert again.status_code == 200 and again.json()["items"][0]["report_id"] == first.json()["items"][0]["report_id"]
    text = client.post("/api/ingest", {"text": seed("001")[1].decode()}, **bearer(editor_token))
    assert text.status_code == 201
    zipped = make_zip({"x/000.txt": seed("000")[1], "x/004.txt": seed("004")[1]})
    response = client.post("/api/ingest", {"files": SimpleUploadedFile("all.zip", zipped)}, **bearer(editor_token))
    assert response.status_code == 201 and [i["filename"] for i in response.json()["items"]] == ["000.txt", "004.txt"]
    assert Report.objects.count() == 4


def test_ingest_refuses_non_reports_and_writes_nothing(client, editor_token, settings):
    good = SimpleUploadedFile(*seed("002"))
    bad = SimpleUploadedFile("notes.txt", "会议纪要：今天讨论了午餐安排。".encode())
    response = client.post("/api/ingest", {"files": [good, bad]}, **bearer(editor_token))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "not_a_report" and "不是政府信息公开工作年度报告" in body["message"]
    assert body["filename"] == "notes.txt"
    assert not Report.objects.exists() and not Document.objects.exists()
    assert (
        not list((settings.MEDIA_ROOT / "documents").rglob("*.*"))
        if (settings.MEDIA_ROOT / "documents").exists()
        else True
    )
    binary = SimpleUploadedFile("x.bin", bytes(range(256)) * 10)
    assert client.post("/api/ingest", {"files": binary}, **bearer(editor_token)).status_code == 422
    assert client.post("/api/ingest", {}, **bearer(editor_token)).status_code == 422


def test_huge_upload_gets_413(client, editor_token, settings):
    settings.GONGKAI_MAX_UPLOAD_BYTES = 2000
    response = client.post("/api/ingest", {"files": SimpleUploadedFile(*seed("000"))}, **bearer(editor_token))
    assert response.status_code == 413 and "过大" in response.json()["message"]
    assert not Report.objects.exists()


def test_post_correction(client, shijiazhuang, editor_token, viewer_token):
    url = f"/api/reports/{shijiazhuang.pk}/corrections"
    body = {"path": "requests.carried_forward.natural_person", "value": 15, "reason": "核实"}
    assert client.post(url, body, content_type="application/json").status_code == 401
    assert client.post(url, body, content_type="application/json", **bearer(viewer_token)).status_code == 403
    response = client.post(url, body, content_type="application/json", **bearer(editor_token))
    assert response.status_code == 201
    assert response.json()["version"] == 1 and response.json()["report_status"] in ("ok", "warnings", "errors")
    assert response.json()["new"] == "15" and response.json()["user"] == "editor"
    doc = client.get(f"/api/reports/{shijiazhuang.pk}").json()
    assert doc["requests"]["carried_forward"][0] == 15 and len(doc["corrections"]) == 1
    year = client.post(
        url,
        {"field": "year", "value": "2021", "reason": "确认"},
        content_type="application/json",
        **bearer(editor_token),
    )
    assert year.status_code == 201 and year.json()["field"] == "year"
    agency = client.post(
        url,
        {"field": "agency", "value": "石家庄市人民政府", "reason": "确认"},
        content_type="application/json",
        **bearer(editor_token),
    )
    assert agency.status_code == 201 and agency.json()["new"] == "石家庄市"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"path": "requests.total.total", "value": "abc", "reason": "x"}, 400),
        ({"path": "requests.total.total", "value": 5, "reason": ""}, 400),
        ({"path": "no.such.cell", "value": 5, "reason": "x"}, 404),
        ({"value": 5, "reason": "x"}, 422),
        ({"path": "requests.total.total", "value": [1, 2], "reason": "x"}, 422),
        ({"path": "requests.total.total", "value": 5}, 422),
        ({"field": "colour", "value": 5, "reason": "x"}, 422),
        ({"field": "agency", "value": 999999, "reason": "x"}, 404),
    ],
)
def test_bad_corrections_get_4xx_and_change_nothing(client, shijiazhuang, editor_token, body, status):
    url = f"/api/reports/{shijiazhuang.pk}/corrections"
    response = client.post(url, body, content_type="application/json", **bearer(editor_token))
    assert response.status_code == status and response.json()["message"]
    assert not Correction.objects.exists()
    assert (
        client.post(
            "/api/reports/999999/corrections",
            {"path": "a", "value": 1, "reason": "x"},
            content_type="application/json",
            **bearer(editor_token),
        ).status_code
        == 404
    )


def test_malformed_json_body_gets_4xx(client, shijiazhuang, editor_token):
    url = f"/api/reports/{shijiazhuang.pk}/corrections"
    response = client.post(url, "{not json", content_type="application/json", **bearer(editor_token))
    assert response.status_code == 400 and response.json()["code"] == "invalid_body"


def test_job_endpoint_shows_a_job_only_to_its_uploader_and_admins(client, editor, editor_token, make_user):
    from gongkai.web.center.services.jobs import create_job, start_job
    from gongkai.web.center.services.tokens import issue

    job = create_job([seed("002")], user=editor)
    start_job(job)
    url = f"/api/jobs/{job.pk}"
    data = client.get(url, **bearer(editor_token)).json()
    assert data["status"] == "done" and data["items"][0]["status"] == "created"
    assert client.get(url).status_code == 401  # file names and refusal reasons are not public
    other = issue(make_user("other", "editor"), "t")[1]
    assert client.get(url, **bearer(other)).status_code == 404
    assert client.get(url, **bearer(issue(make_user("boss", "admin"), "t")[1])).status_code == 200
    client.force_login(editor)  # the job page polls with the session
    assert client.get(url).json()["id"] == job.pk


def test_ingest_outside_the_editors_region_is_403(client, make_user, shijiazhuang):
    from gongkai.web.center.services.tokens import issue

    token = issue(make_user("hebei", "editor", region=shijiazhuang.agency.parent))[1]
    response = client.post("/api/ingest", {"files": SimpleUploadedFile(*seed("002"))}, **bearer(token))
    assert response.status_code == 403 and response.json()["code"] == "outside_region"
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/reports/999999", 404),
        ("/api/reports/999999/cells", 404),
        ("/api/reports/999999/findings", 404),
        ("/api/reports/999999/corrections", 404),
        ("/api/reports/x/cells", 422),
        ("/api/agencies/999999", 404),
        ("/api/agencies/x", 422),
        ("/api/agencies?parent=x", 422),
        ("/api/agencies/999999/years", 404),
        ("/api/agencies/999999/consolidation?year=2021", 404),
        ("/api/agencies/1/consolidation", 422),
        ("/api/agencies/1/consolidation?year=twenty", 422),
        ("/api/compare", 422),
        ("/api/jobs/999999", 401),
        ("/api/reports?offset=99999999999999999999", 422),
        ("/api/reports?limit=0", 422),
        ("/api/reports/99999999999999999999", 422),
        ("/api/agencies?parent=99999999999999999999", 422),
        ("/api/agencies?limit=5000", 422),
        ("/api/compare?year=99999", 422),
        ("/api/compare?year=2021&rate=nonsense", 422),
        ("/api/agencies/1/consolidation?year=-1", 422),
    ],
)
def test_every_read_endpoint_rejects_bad_input_with_4xx(client, db, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json") and response.json()["message"]


def test_write_endpoints_reject_other_methods(client, editor_token):
    assert client.get("/api/ingest", **bearer(editor_token)).status_code == 405
    assert client.put("/api/reports/1/corrections", **bearer(editor_token)).status_code == 405


def test_job_endpoint_rejects_bad_ids(client, editor_token):
    assert client.get("/api/jobs/999999", **bearer(editor_token)).status_code == 404
    assert client.get("/api/jobs/x", **bearer(editor_token)).status_code == 422


def test_a_json_boolean_is_not_an_agency_id(client, shijiazhuang, editor_token):
    url = f"/api/reports/{shijiazhuang.pk}/corrections"
    body = {"field": "agency", "value": True, "reason": "x"}
    response = client.post(url, body, content_type="application/json", **bearer(editor_token))
    assert response.status_code == 422
    shijiazhuang.refresh_from_db()
    assert shijiazhuang.agency.name == "石家庄市" and not Correction.objects.exists()


def test_oversized_request_bodies_get_a_json_413(client, editor_token, settings, shijiazhuang):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/api/ingest", {"text": "年报" * 2000}, **bearer(editor_token))
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    url = f"/api/reports/{shijiazhuang.pk}/corrections"
    big = {"path": "requests.total.total", "value": 1, "reason": "x" * 5000}
    response = client.post(url, big, content_type="application/json", **bearer(editor_token))
    assert response.status_code == 413 and response["Content-Type"].startswith("application/json")


def test_the_request_total_is_bounded(client, editor_token, settings):
    settings.GONGKAI_MAX_REQUEST_BYTES = 20_000
    files = [SimpleUploadedFile(f"{i}.txt", seed("000")[1]) for i in range(2)]
    response = client.post("/api/ingest", {"files": files}, **bearer(editor_token))
    assert response.status_code == 413 and "合计" in response.json()["message"] and not Report.objects.exists()


def test_a_damaged_zip_member_is_a_clear_422(client, editor_token):
    zipped = bytearray(make_zip({"a.txt": seed("000")[1]}))
    zipped[60:64] = b"\xff\xff\xff\xff"  # inside the compressed data: the CRC check fails
    response = client.post("/api/ingest", {"files": SimpleUploadedFile("a.zip", bytes(zipped))}, **bearer(editor_token))
    assert (
        response.status_code == 422 and response.json()["code"] == "bad_zip" and "a.txt" in response.json()["message"]
    )
    assert not Report.objects.exists()


def test_unexpected_errors_are_json_500s(client, monkeypatch, shijiazhuang):
    from gongkai.web.center import api

    def boom(report):
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "current_document", boom)
    response = client.get(f"/api/reports/{shijiazhuang.pk}")
    assert response.status_code == 500 and response.json()["code"] == "server_error"


def test_a_report_deleted_outside_the_site_can_be_uploaded_again(client, editor_token, shijiazhuang):
    stored = shijiazhuang.document.file.name
    Report.objects.filter(pk=shijiazhuang.pk).delete()  # as the admin did: the Document row stays
    assert Document.objects.count() == 1
    response = client.post("/api/ingest", {"files": SimpleUploadedFile(*seed("000"))}, **bearer(editor_token))
    assert response.status_code == 201 and Document.objects.count() == 1
    assert Report.objects.get().document.file.name.endswith(stored.rsplit("/", 1)[-1])


def test_nul_characters_are_refused_before_any_query(client, editor_token, shijiazhuang):
    # PostgreSQL cannot store or compare U+0000: it must never reach a query.
    response = client.get("/api/agencies?q=%E7%9F%B3%00")
    assert response.status_code == 400 and response.json()["code"] == "invalid_text"
    url = f"/api/reports/{shijiazhuang.pk}/corrections"
    body = '{"path": "requests.total.total", "value": 1, "reason": "a\\u0000b"}'
    response = client.post(url, body, content_type="application/json", **bearer(editor_token))
    assert response.status_code == 400 and not Correction.objects.exists()
    page = client.get("/reports/?q=%00")
    assert page.status_code == 400 and "空字符" in page.content.decode()
