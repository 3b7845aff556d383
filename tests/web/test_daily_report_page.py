"""The report page in daily use: editors open reports whose agency was not recognised."""

from __future__ import annotations

import pytest

from gongkai.web.center.services.ingest import ingest_bytes
from tests.web.conftest import seed

pytestmark = pytest.mark.django_db


def _anonymous_report():
    """Seed 000 with every mention of its agency removed: the agency is not recognised."""
    _name, data = seed("000")
    text = data.decode("utf-8")
    for old, new in (("石家庄市人民政府", "本机关"), ("石家庄市", "本市"), ("石家庄", "本地")):
        text = text.replace(old, new)
    report = ingest_bytes(text.encode("utf-8"), "未署名年报.txt").report
    assert report.agency is None and report.parsed["meta"]["agency"] is None
    return report


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_open_a_report_without_an_agency(client, make_user, role):
    report = _anonymous_report()
    client.force_login(make_user("u-" + role, role))
    response = client.get(f"/reports/{report.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "确认或修改机关、年度" in html and 'name="value" value=""' in html


def test_report_page_works_after_the_agency_is_set_through_the_api(client, editor, editor_token):
    report = _anonymous_report()
    response = client.post(
        f"/api/reports/{report.pk}/corrections",
        {"field": "agency", "value": "正定县人民政府", "reason": "按网站主办单位确认"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {editor_token}"},
    )
    assert response.status_code == 201, response.content
    client.force_login(editor)
    html = client.get(f"/reports/{report.pk}/").content.decode()
    # The government is the county's node in the division tree.
    assert 'name="value" value="正定县"' in html and "区划代码 130123" in html
    assert client.get("/reports/").status_code == 200


def test_anonymous_users_see_the_report_without_an_agency(client):
    report = _anonymous_report()
    response = client.get(f"/reports/{report.pk}/")
    assert response.status_code == 200 and "未识别" in response.content.decode()
