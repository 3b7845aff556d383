"""The ledger API: requests, events, statistics; tokens, roles, masking, OpenAPI."""

from __future__ import annotations

import json

import pytest

from gongkai.web.center.services.tokens import issue
from gongkai.web.ledger.models import PersonalDataView


@pytest.fixture
def clerk_token(clerk):
    return issue(clerk, "t")[1]


@pytest.fixture
def outsider_token(outsider):
    return issue(outsider, "t")[1]


def _auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _post(client, url, body, token):
    return client.post(url, json.dumps(body), content_type="application/json", **_auth(token))


def test_create_add_events_and_read_back(client, agency, clerk_token):
    created = _post(client, f"/api/ledger/agencies/{agency.pk}/requests",
                    {"received": "2025-06-03", "channel": "post", "applicant_type": "research",
                     "applicant_name": "某大学", "id_number": "12100000400000624D"}, clerk_token)  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    pk, due = body["id"], body["clock"]["due"]
    assert body["state"] == "open" and body["id_number"] != "12100000400000624D"
    assert body["clock"]["trace"][0]["kind"] == "start"

    moved = _post(
        client, f"/api/ledger/requests/{pk}/events", {"kind": "correction_requested", "on": "2025-06-05"}, clerk_token
    )
    assert moved.status_code == 201 and moved.json()["state"] == "awaiting_correction"
    moved = _post(
        client, f"/api/ledger/requests/{pk}/events", {"kind": "correction_received", "on": "2025-06-10"}, clerk_token
    )
    assert moved.json()["clock"]["due"] > due

    refused = _post(client, f"/api/ledger/requests/{pk}/events",
                    {"kind": "reply", "on": "2025-05-01", "outcome": "granted"}, clerk_token)  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_sequence" and "早于收到申请之日" in refused.json()["message"]

    closed = _post(client, f"/api/ledger/requests/{pk}/events",
                   {"kind": "reply", "on": "2025-06-20", "outcome": "partially_granted"}, clerk_token)  # fmt: skip
    assert closed.json()["state"] == "closed" and closed.json()["outcome"] == "partially_granted"

    listed = client.get(f"/api/ledger/agencies/{agency.pk}/requests?state=closed", **_auth(clerk_token)).json()
    assert listed["count"] == 1 and listed["counts"]["all"] == 1 and listed["items"][0]["id"] == pk
    versions = client.get(f"/api/ledger/requests/{pk}/versions", **_auth(clerk_token)).json()
    assert [v["version"] for v in versions] == [1, 2, 3, 4] and versions[-1]["user"] == "clerk"


def test_personal_data_only_for_staff_and_logged(client, make_request, clerk_token, outsider_token):
    req = make_request()
    masked = client.get(f"/api/ledger/requests/{req.pk}", **_auth(clerk_token)).json()
    assert masked["id_number"] == "110***********1234" and PersonalDataView.objects.count() == 0
    shown = client.get(f"/api/ledger/requests/{req.pk}?personal=true", **_auth(clerk_token)).json()
    assert shown["id_number"] == "110101199001011234"
    assert PersonalDataView.objects.get().where == "api"
    refused = client.get(f"/api/ledger/requests/{req.pk}?personal=true", **_auth(outsider_token))
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert client.get(f"/api/ledger/requests/{req.pk}/versions", **_auth(outsider_token)).status_code == 403


def test_writes_need_an_editor_of_the_region(client, agency, make_request, outsider_token, viewer_token):
    req = make_request()
    for token in (outsider_token, viewer_token):
        response = _post(
            client, f"/api/ledger/requests/{req.pk}/events", {"kind": "extension", "on": "2025-06-20"}, token
        )
        assert response.status_code == 403
    assert client.get(f"/api/ledger/requests/{req.pk}").status_code == 401  # no account, no ledger
    bad = _post(client, f"/api/ledger/requests/{req.pk}/events", {"kind": "teleport", "on": "2025-06-20"}, viewer_token)
    assert bad.status_code == 422


def test_statistics_endpoint(client, agency, make_request, clerk_token):
    make_request(received="2025-03-03", events=[{"kind": "reply", "on": "2025-03-20", "outcome": "granted"}])
    body = client.get(f"/api/ledger/agencies/{agency.pk}/statistics/2025", **_auth(clerk_token)).json()
    assert body["requests"]["granted"][-1] == 1 and len(body["drill"]["requests.granted.total"]) == 1
    assert body["report"]["schema"] == "gongkai.report/v1"


def test_openapi_documents_the_ledger(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/ledger/agencies/{pk}/requests", "/api/ledger/requests/{pk}/events",
                 "/api/ledger/agencies/{pk}/statistics/{year}", "/api/ledger/lookup"):  # fmt: skip
        assert path in paths, path
    assert "依申请公开台账" in json.dumps(schema, ensure_ascii=False)


def test_out_of_range_parameters_are_422_not_server_errors(client, agency, make_request, clerk_token):
    make_request()
    for query in ("offset=10000000000000000000", "limit=0", "year=99999", "state=lost"):
        response = client.get(f"/api/ledger/agencies/{agency.pk}/requests?{query}", **_auth(clerk_token))
        assert response.status_code == 422, query
