"""Fixing the agency tree: create, change, merge, delete — in the service, the pages and the API."""

import pytest

from gongkai.web.center.models import Agency, AgencyChange, Profile, Report
from gongkai.web.center.services import agency_edits
from gongkai.web.center.services.agencies import place_agency
from gongkai.web.center.services.agency_edits import AgencyEditError
from gongkai.web.center.services.tokens import issue
from tests.web.test_api import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def hebei(db):
    return place_agency("河北省石家庄市教育局").parent.parent


def test_create_update_and_history(hebei, editor):
    city = Agency.objects.get(name="石家庄市")
    county = agency_edits.create_agency(editor, name=" 正定县 ", parent=city, level="county", division_code="130123")
    assert (county.name, county.parent, county.level, county.kind) == ("正定县", city, "county", "government")
    with pytest.raises(AgencyEditError) as clash:
        agency_edits.create_agency(editor, name="正定县", parent=city)
    assert clash.value.status == 409 and "合并" in clash.value.message

    agency_edits.update_agency(county, editor, name="正定县人民政府", level="city")
    change = county.changes.get(action="update")
    assert change.detail == {"name": ["正定县", "正定县人民政府"], "level": ["县级", "市级"]}
    assert change.user == editor
    with pytest.raises(AgencyEditError, match="没有需要保存的修改"):
        agency_edits.update_agency(county, editor, name="正定县人民政府")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "x"}, "2 至 200"),
        ({"level": "galaxy"}, "层级"),
        ({"kind": "club"}, "类型"),
        ({"division_code": "13010"}, "6 位"),
        ({"colour": "red"}, "不能修改"),
    ],
)
def test_bad_changes_are_refused_and_change_nothing(hebei, editor, changes, message):
    city = Agency.objects.get(name="石家庄市")
    with pytest.raises(AgencyEditError, match=message):
        agency_edits.update_agency(city, editor, **changes)
    city.refresh_from_db()
    assert (city.name, city.level, city.kind) == ("石家庄市", "city", "government") and not city.changes.exists()


def test_moves_cannot_make_a_cycle(hebei, editor):
    city = Agency.objects.get(name="石家庄市")
    bureau = Agency.objects.get(name="河北省石家庄市教育局")
    with pytest.raises(AgencyEditError, match="下级之下"):
        agency_edits.update_agency(hebei, editor, parent=bureau)
    with pytest.raises(AgencyEditError, match="下级之下"):
        agency_edits.update_agency(city, editor, parent=city)
    moved = agency_edits.update_agency(bureau, editor, parent=hebei)
    assert moved.parent == hebei and moved.changes.get().detail == {"parent": ["石家庄市", "河北省"]}


def test_merge_moves_reports_children_and_regions_then_deletes(shijiazhuang, editor, make_user):
    real = shijiazhuang.agency  # 石家庄市, placed from the report
    duplicate = agency_edits.create_agency(editor, name="石家庄市人民政府", parent=real.parent)
    same_child = Agency.objects.create(name="长安区", parent=real)
    Agency.objects.create(name="长安区", parent=duplicate)
    Agency.objects.create(name="桥西区", parent=duplicate)
    Report.objects.filter(pk=shijiazhuang.pk).update(agency=duplicate)
    profile = make_user("city", "editor", region=duplicate).gongkai_profile

    moved = agency_edits.merge_agency(duplicate, real, editor)

    assert moved == {"reports": 1, "children": 2}
    assert not Agency.objects.filter(pk=duplicate.pk).exists()
    assert Report.objects.get(pk=shijiazhuang.pk).agency == real
    assert sorted(real.children.values_list("name", flat=True)) == ["桥西区", "长安区"]
    assert Agency.objects.filter(name="长安区").get() == same_child  # the two 长安区 became one
    profile.refresh_from_db()
    assert profile.region == real
    log = real.changes.get(action="merge")
    assert log.detail == {"from": "石家庄市人民政府", "reports": 1, "children": 2}
    # The duplicate's own history now belongs to the agency it was merged into.
    assert real.changes.filter(action="create", agency_name="石家庄市人民政府").exists()


def test_merge_refuses_itself_and_its_own_subtree(hebei, editor):
    city = Agency.objects.get(name="石家庄市")
    with pytest.raises(AgencyEditError, match="自己"):
        agency_edits.merge_agency(city, city, editor)
    with pytest.raises(AgencyEditError, match="下级"):
        agency_edits.merge_agency(hebei, city, editor)
    assert Agency.objects.filter(pk=hebei.pk).exists()


def test_delete_only_empty_agencies(shijiazhuang, editor):
    with pytest.raises(AgencyEditError) as refused:
        agency_edits.delete_agency(shijiazhuang.agency, editor)
    assert refused.value.status == 409
    empty = agency_edits.create_agency(editor, name="新华区", parent=shijiazhuang.agency)
    agency_edits.delete_agency(empty, editor)
    assert not Agency.objects.filter(pk=empty.pk).exists()
    assert AgencyChange.objects.get(action="delete").agency_name == "新华区"


def test_an_agency_that_is_someones_region_cannot_be_deleted(hebei, make_user, editor):
    empty = agency_edits.create_agency(editor, name="新华区", parent=Agency.objects.get(name="石家庄市"))
    make_user("xinhua", "editor", region=empty)
    with pytest.raises(AgencyEditError, match="负责地区") as refused:
        agency_edits.delete_agency(empty, editor)
    assert refused.value.status == 409 and Agency.objects.filter(pk=empty.pk).exists()


def test_editors_change_only_their_region(hebei, make_user, viewer):
    city = Agency.objects.get(name="石家庄市")
    other = place_agency("河南省濮阳市")
    local = make_user("local", "editor", region=city)
    assert agency_edits.create_agency(local, name="长安区", parent=city).parent == city
    for action in (
        lambda: agency_edits.create_agency(local, name="华龙区", parent=other),
        lambda: agency_edits.create_agency(local, name="某某省", parent=None),
        lambda: agency_edits.update_agency(other, local, name="濮阳"),
        lambda: agency_edits.update_agency(Agency.objects.get(name="长安区"), local, parent=other),
        lambda: agency_edits.update_agency(city, local, parent=None),  # the root of their own region
        lambda: agency_edits.merge_agency(Agency.objects.get(name="长安区"), other, local),
        lambda: agency_edits.delete_agency(city, local),
        lambda: agency_edits.create_agency(viewer, name="长安区二", parent=city),
    ):
        with pytest.raises(AgencyEditError) as refused:
            action()
        assert refused.value.status == 403
    assert Agency.objects.filter(name="长安区").count() == 1 and not Agency.objects.filter(name="华龙区").exists()
    assert Profile.objects.get(user=local).region == city


# -- pages ---------------------------------------------------------------------------------------------------


def test_agency_page_edit_merge_delete(client, editor, shijiazhuang):
    city = shijiazhuang.agency
    client.force_login(editor)
    html = client.get(f"/agencies/{city.pk}/").content.decode()
    assert "修改本机关" in html and "新建下级机关" in html and "合并到另一个机关" in html
    assert 'placeholder="如：石家庄市教育局"' in html and f'name="parent" value="{city.pk}"' in html

    response = client.post("/agencies/new/", {"parent": city.pk, "name": "石家庄市长安区", "level": "county"})
    child = Agency.objects.get(name="石家庄市长安区")
    assert response.status_code == 302 and response["Location"] == f"/agencies/{child.pk}/"

    client.post(f"/agencies/{child.pk}/edit/", {"name": "长安区", "level": "county", "kind": "government"})
    child.refresh_from_db()
    assert child.name == "长安区"
    page = client.get(f"/agencies/{child.pk}/").content.decode()
    assert "修改记录" in page and "名称：石家庄市长安区 → 长安区" in page and "editor" in page

    picked = client.get(f"/agencies/pick/?field=target&exclude={child.pk}&q=石家庄").content.decode()
    assert f'value="{city.pk}"' in picked and f'value="{child.pk}"' not in picked

    response = client.post(f"/agencies/{child.pk}/edit/", {"name": "x"}, follow=True)
    assert "2 至 200" in response.content.decode()

    response = client.post(f"/agencies/{child.pk}/delete/", follow=True)
    assert "已删除" in response.content.decode() and not Agency.objects.filter(pk=child.pk).exists()

    duplicate = Agency.objects.create(name="石家庄", parent=city.parent)
    response = client.post(f"/agencies/{duplicate.pk}/merge/", {"target": city.pk}, follow=True)
    assert "已把“石家庄”合并到“石家庄市”" in response.content.decode()
    assert not Agency.objects.filter(pk=duplicate.pk).exists()


def test_viewers_and_anonymous_users_cannot_edit_the_tree(client, viewer, shijiazhuang):
    city = shijiazhuang.agency
    assert "修改本机关" not in client.get(f"/agencies/{city.pk}/").content.decode()
    response = client.post(f"/agencies/{city.pk}/edit/", {"name": "改名"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(viewer)
    assert "修改本机关" not in client.get(f"/agencies/{city.pk}/").content.decode()
    client.post(f"/agencies/{city.pk}/edit/", {"name": "改名"})
    client.post(f"/agencies/{city.pk}/delete/")
    client.post("/agencies/new/", {"name": "某某省"})
    city.refresh_from_db()
    assert city.name == "石家庄市" and not Agency.objects.filter(name="某某省").exists()
    assert client.get(f"/agencies/{city.pk}/edit/").status_code == 405


def test_tree_counts_reports_and_children_separately(client, shijiazhuang):
    city = shijiazhuang.agency
    for name in ("长安区", "桥西区", "新华区"):
        Agency.objects.create(name=name, parent=city)
    html = client.get("/agencies/").content.decode()
    row = html.split(f'href="/agencies/{city.pk}/">石家庄市</a>', 1)[1].split("</tr>", 1)[0]
    # 3 children and 1 report: a join of both would have shown 3 reports.
    assert f'href="/agencies/{city.pk}/">3</a>' in row and f'?agency={city.pk}">1</a>' in row


# -- API -----------------------------------------------------------------------------------------------------


def test_api_create_patch_merge_delete(client, editor_token, shijiazhuang):
    city = shijiazhuang.agency
    json = {"content_type": "application/json", **bearer(editor_token)}
    created = client.post("/api/agencies", {"name": "长安区", "parent_id": city.pk, "level": "county"}, **json)
    assert created.status_code == 201 and created.json()["parent_id"] == city.pk
    pk = created.json()["id"]

    patched = client.patch(f"/api/agencies/{pk}", {"division_code": "130102"}, **json)
    assert patched.status_code == 200 and patched.json()["division_code"] == "130102"
    assert patched.json()["name"] == "长安区"  # fields not sent stay
    top = client.patch(f"/api/agencies/{pk}", {"parent_id": None}, **json)
    assert top.status_code == 200 and top.json()["parent_id"] is None

    other = client.post("/api/agencies", {"name": "长安区（重复）", "parent_id": city.pk}, **json).json()["id"]
    merged = client.post(f"/api/agencies/{other}/merge", {"into": pk}, **json)
    assert merged.status_code == 200 and merged.json() == {
        "into": client.get(f"/api/agencies/{pk}").json(),
        "reports": 0,
        "children": 0,
    }
    assert client.delete(f"/api/agencies/{pk}", **bearer(editor_token)).status_code == 204
    assert client.get(f"/api/agencies/{pk}").status_code == 404


@pytest.mark.parametrize(
    ("method", "url", "body", "status"),
    [
        ("post", "/api/agencies", {"name": "x"}, 422),
        ("post", "/api/agencies", {"name": "某区", "parent_id": 999999}, 404),
        ("post", "/api/agencies", {"name": "某区", "level": "galaxy"}, 422),
        ("post", "/api/agencies", {"parent_id": "abc"}, 422),
        ("post", "/api/agencies", {"name": "石家庄市", "parent_id": "PARENT"}, 409),
        ("patch", "/api/agencies/CITY", {"division_code": "abc"}, 400),
        ("patch", "/api/agencies/CITY", {"name": None}, 422),
        ("patch", "/api/agencies/CITY", {"parent_id": "CITY"}, 400),
        ("patch", "/api/agencies/999999", {"name": "某区"}, 404),
        ("post", "/api/agencies/CITY/merge", {"into": "CITY"}, 400),
        ("post", "/api/agencies/CITY/merge", {"into": 999999}, 404),
        ("post", "/api/agencies/CITY/merge", {}, 422),
        ("delete", "/api/agencies/CITY", None, 409),
    ],
)
def test_api_tree_edits_reject_bad_input_and_change_nothing(
    client, editor_token, shijiazhuang, method, url, body, status
):
    city = shijiazhuang.agency
    before = sorted(Agency.objects.values_list("pk", "name", "parent_id", "level", "division_code"))
    fill = {"CITY": city.pk, "PARENT": city.parent_id}

    def resolve(value):
        return fill.get(value, value) if isinstance(value, str) else value

    url = url.replace("CITY", str(city.pk))
    body = {k: resolve(v) for k, v in body.items()} if body is not None else None
    kwargs = {"content_type": "application/json", **bearer(editor_token)}
    response = (
        getattr(client, method)(url, body, **kwargs) if body is not None else getattr(client, method)(url, **kwargs)
    )
    assert response.status_code == status, response.content
    assert response.json()["message"]
    assert sorted(Agency.objects.values_list("pk", "name", "parent_id", "level", "division_code")) == before


def test_api_tree_edits_need_an_editor_token(client, viewer_token, make_user, shijiazhuang):
    json = {"content_type": "application/json"}
    assert client.post("/api/agencies", {"name": "某某省"}, **json).status_code == 401
    assert client.post("/api/agencies", {"name": "某某省"}, **json, **bearer(viewer_token)).status_code == 403
    local = issue(make_user("local", "editor", region=shijiazhuang.agency), "t")[1]
    response = client.post("/api/agencies", {"name": "某某省"}, **json, **bearer(local))
    assert response.status_code == 403 and "负责的地区" in response.json()["message"]
    assert not Agency.objects.filter(name="某某省").exists()


def test_the_picker_offers_only_agencies_the_user_may_use(client, hebei, make_user, viewer):
    city = Agency.objects.get(name="石家庄市")
    puyang = place_agency("河南省濮阳市")
    client.force_login(make_user("local", "editor", region=city))
    html = client.get("/agencies/pick/?field=target&q=市").content.decode()
    assert f'value="{city.pk}"' in html and f'value="{puyang.pk}"' not in html
    assert f'value="{hebei.pk}"' not in client.get("/agencies/pick/?q=河北").content.decode()
    assert 'name="target"' in html and "required" in html
    assert 'name="parent"' in client.get("/agencies/pick/?field=evil&q=市").content.decode()
    client.force_login(viewer)
    assert "石家庄市" not in client.get("/agencies/pick/?q=市").content.decode()
