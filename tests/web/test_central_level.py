"""The central level (中央级): a State Council body's report sits under 国务院 and is filtered and compared as
central; a provincial department with a ministry-like name stays provincial."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps

from gongkai.web.center.models import Agency, AgencyChange
from gongkai.web.center.services.agencies import place_agency
from gongkai.web.center.services.ingest import ingest_bytes
from tests.web.conftest import seed
from tests.web.test_api import bearer
from tests.web.test_daily_search import _found

pytestmark = pytest.mark.django_db


def _as(agency: str, filename: str):
    """Seed 000 (made-up numbers) published by another agency."""
    text = seed("000")[1].decode("utf-8")
    for old in ("石家庄市人民政府", "石家庄市", "石家庄"):
        text = text.replace(old, agency)
    return ingest_bytes(text.encode("utf-8"), filename).report


@pytest.fixture
def reports(db):
    return {
        "moe": _as("教育部", "moe.txt"),
        "ndrc": _as("国家发展改革委", "ndrc.txt"),
        "jiangsu": _as("江苏省教育厅", "js.txt"),
        "beijing": _as("北京市发展和改革委员会", "bj.txt"),
    }


def _api_found(client, query: str) -> set[int]:
    response = client.get("/api/reports?" + query)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_a_ministry_s_report_is_central_under_the_state_council(reports):
    moe = reports["moe"].agency
    assert (moe.name, moe.level, moe.kind) == ("教育部", "central", "department")
    assert (moe.parent.name, moe.parent.level, moe.parent.kind, moe.parent.parent) == (
        "国务院",
        "central",
        "government",
        None,
    )
    # A short name is stored under the full name, so both spellings are one agency.
    ndrc = reports["ndrc"].agency
    assert (ndrc.name, ndrc.level, ndrc.parent) == ("国家发展和改革委员会", "central", moe.parent)
    assert _as("国家发展和改革委员会", "ndrc2.txt").agency == ndrc


def test_provincial_departments_with_ministry_like_names_are_not_central(reports):
    for key, region in (("jiangsu", "江苏省"), ("beijing", "北京市")):
        agency = reports[key].agency
        assert (agency.level, agency.kind, agency.parent.name) == ("province", "department", region)
    assert not Agency.objects.filter(level="central", name__in=["江苏省教育厅", "北京市发展和改革委员会"]).exists()


def test_the_list_and_the_api_filter_by_the_central_level(client, reports):
    central = {reports["moe"].pk, reports["ndrc"].pk}
    provincial = {reports["jiangsu"].pk, reports["beijing"].pk}
    assert _found(client, "level=central") == central
    assert _found(client, "level=province") == provincial
    assert _api_found(client, "level=central") == central
    assert _api_found(client, "level=province") == provincial
    assert _api_found(client, "region=国务院") == central
    page = client.get("/reports/?level=central").content.decode()
    assert '<option value="central" selected>中央级</option>' in page
    bad = client.get("/api/reports?level=national")
    assert bad.status_code == 422


def test_comparison_of_central_bodies_only(client, reports):
    api = client.get("/api/compare?year=2021&level=central").json()
    assert {item["report_id"] for item in api["items"]} == {reports["moe"].pk, reports["ndrc"].pk}
    assert client.get("/api/compare?year=2021&level=national").status_code == 422
    html = client.get("/compare/?year=2021&level=central").content.decode()
    names = set(re.findall(r'<td><a href="/reports/\d+/">([^<]+)</a></td>', html))
    assert names == {"教育部", "国家发展和改革委员会"}
    assert "只比中央级" in html
    root = Agency.objects.get(name="国务院", parent=None)
    assert f'<option value="{root.pk}"' in html  # 国务院 is a region to compare within


def test_pages_show_the_central_level(client, reports):
    moe = reports["moe"]
    assert "教育部（中央级部门" in client.get(f"/reports/{moe.pk}/").content.decode()
    tree = client.get("/agencies/").content.decode()
    assert tree.index("国务院") < tree.index("江苏省")  # the central level heads the tree
    assert client.get(f"/api/agencies/{moe.agency.pk}").json()["level"] == "central"


def test_state_council_office_and_sub_units(db):
    office = place_agency("国务院办公厅")
    assert (office.level, office.kind, office.parent.name) == ("central", "department", "国务院")
    sub_unit = place_agency("教育部办公厅")
    assert (sub_unit.level, sub_unit.parent.name) == ("central", "国务院")
    assert place_agency("中华人民共和国国务院") == office.parent
    branch = place_agency("国家税务总局江苏省税务局")
    assert (branch.level, branch.kind, branch.parent.name) == ("province", "department", "江苏省")


def test_an_editor_may_set_the_central_level(client, editor_token):
    json = {"content_type": "application/json", **bearer(editor_token)}
    created = client.post("/api/agencies", {"name": "国家某某局", "level": "central"}, **json)
    assert created.status_code == 201, created.content
    assert created.json()["level"] == "central"
    patched = client.patch(f"/api/agencies/{created.json()['id']}", {"level": "province"}, **json)
    assert patched.status_code == 200 and patched.json()["level"] == "province"


def test_the_migration_moves_bodies_stored_before_the_central_level(db, django_user_model):
    migration = importlib.import_module("gongkai.web.center.migrations.0010_central_level")
    stats = Agency.objects.create(name="国家统计局", level="", kind="department")
    made_up = Agency.objects.create(name="国家市", level="city", kind="government")
    market = Agency.objects.create(name="国家市场监督管理总局", parent=made_up, level="city", kind="department")
    edited = Agency.objects.create(name="审计署", level="province", kind="department")
    user = django_user_model.objects.create_user("editor")
    AgencyChange.objects.create(agency=edited, agency_name=edited.name, action="update", user=user)
    local = Agency.objects.create(name="江苏省", level="province", kind="government", division_code="320000")
    local_dept = Agency.objects.create(name="江苏省教育厅", parent=local, level="province", kind="department")

    migration.central_bodies_to_central_level(apps, None)

    root = Agency.objects.get(name="国务院", parent=None)
    assert root.level == "central"
    for agency in (stats, market):
        agency.refresh_from_db()
        assert (agency.parent, agency.level, agency.kind) == (root, "central", "department")
    assert not Agency.objects.filter(name="国家市").exists()
    edited.refresh_from_db()
    assert (edited.parent, edited.level) == (None, "province")  # a user's edit is theirs
    local_dept.refresh_from_db()
    assert (local_dept.parent, local_dept.level) == (local, "province")


def test_a_level_refused_names_every_level_there_is(django_user_model):
    from gongkai.web.center.services.agency_edits import AgencyEditError, create_agency

    admin = django_user_model.objects.create_superuser("chief", password="x")
    with pytest.raises(AgencyEditError, match="层级只能是中央级、省级、市级、县级、乡镇级或不填"):
        create_agency(admin, name="国家某某局", parent=None, level="national", kind="department", division_code="")
