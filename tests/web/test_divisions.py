"""The division data (spec/divisions.json) and placing agencies in the tree with it."""

import pytest

from gongkai.fitting.divisions import division_code, divisions, region_chain
from gongkai.fitting.meta import agency_level
from gongkai.web.center.models import Agency
from gongkai.web.center.services.agencies import place_agency


def _codes() -> dict[str, str]:
    return {code: name for code, name in divisions()["divisions"]}


def _chain(name: str) -> list[tuple[str, str | None, str]]:
    return [(u.name, u.level, u.code) for u in region_chain(name)]


def _path(agency: Agency) -> list[tuple[str, str]]:
    return [(a.name, a.division_code) for a in [*agency.ancestors(), agency]]


# -- the data ------------------------------------------------------------------------------------------------


def test_every_code_is_six_digits_unique_and_sorted():
    rows = divisions()["divisions"]
    codes = [code for code, _ in rows]
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(set(codes)) == len(codes) and codes == sorted(codes)
    assert all(name and name not in ("市辖区", "县") and "直辖" not in name for _, name in rows)
    assert divisions()["_source"]


def test_levels_are_complete_and_every_unit_has_its_parent():
    codes = _codes()
    provinces = [c for c in codes if c.endswith("0000")]
    prefectures = [c for c in codes if c.endswith("00") and c not in provinces]
    counties = [c for c in codes if not c.endswith("00")]
    assert len(provinces) == 31
    assert 330 <= len(prefectures) <= 340 and 2800 <= len(counties) <= 2900
    assert all(c[:2] + "0000" in codes for c in prefectures + counties)
    # No statistical functional zones (PPCC7x: 开发区 …).
    assert not [c for c in counties if c[4] == "7"]


def test_known_codes():
    codes = _codes()
    assert codes["130100"] == "石家庄市" and codes["130102"] == "长安区"
    assert codes["110105"] == "朝阳区" and codes["220104"] == "朝阳区" and codes["220100"] == "长春市"
    assert codes["419001"] == "济源市" and "419000" not in codes and codes["410000"] == "河南省"
    assert codes["441900"] == "东莞市" and codes["620200"] == "嘉峪关市"
    assert "110100" not in codes  # 北京市's districts hang under 北京市 itself
    assert [division_code(n) for n in ("河北省", "石家庄市", "正定县")] == ["130000", "130100", "130123"]
    assert division_code("朝阳区") == ""  # two places have the name


# -- reading the chain ---------------------------------------------------------------------------------------


def test_a_name_shared_nationally_is_placed_inside_the_unit_before_it():
    assert _chain("北京市朝阳区人民政府") == [("北京市", "province", "110000"), ("朝阳区", "county", "110105")]
    assert _chain("长春市朝阳区人民政府")[1:] == [("长春市", "city", "220100"), ("朝阳区", "county", "220104")]
    assert _chain("长春市朝阳区人民政府")[0] == ("吉林省", "province", "220000")


def test_a_chain_is_completed_upward_only_when_the_name_is_unique():
    assert _chain("石家庄市长安区财政局") == [
        ("河北省", "province", "130000"),
        ("石家庄市", "city", "130100"),
        ("长安区", "county", "130102"),
    ]
    assert [u.name for u in region_chain("正定县人民政府")] == ["河北省", "石家庄市", "正定县"]
    assert [u.name for u in region_chain("河南省济源市人民政府")] == ["河南省", "济源市"]
    assert [u.name for u in region_chain("济源市人民政府")] == ["河南省", "济源市"]
    assert _chain("东莞市人民政府") == [("广东省", "province", "440000"), ("东莞市", "city", "441900")]
    assert _chain("朝阳区人民政府") == [("朝阳区", "county", "")]
    assert _chain("长安区财政局") == [("长安区", "county", "")]


def test_units_are_read_by_their_full_names():
    # A unit word inside a name ("广州", "沙市", "新乡") is not the end of the unit.
    assert [u.name for u in region_chain("广州市天河区人民政府")] == ["广东省", "广州市", "天河区"]
    assert [u.name for u in region_chain("荆州市沙市区人民政府")] == ["湖北省", "荆州市", "沙市区"]
    assert [u.name for u in region_chain("新乡市红旗区人民政府")] == ["河南省", "新乡市", "红旗区"]
    assert [u.name for u in region_chain("延边朝鲜族自治州延吉市")] == ["吉林省", "延边朝鲜族自治州", "延吉市"]
    # Departments that look like units are not read as one.
    assert [u.name for u in region_chain("石家庄市住房和城乡建设局")] == ["河北省", "石家庄市"]
    assert [u.name for u in region_chain("北京市城市管理委员会")] == ["北京市"]
    # Townships are not in the data: read from their unit word, below the county.
    assert _chain("石家庄市长安区建北街道办事处")[-1] == ("建北街道", "township", "")


def test_levels_agree_with_agency_level_for_the_unit_names():
    for name in ("北京市", "海淀区", "河北省", "石家庄市", "长安区", "正定县", "东莞市", "锡林郭勒盟", "阿拉善左旗"):
        (unit,) = [u for u in region_chain(name) if u.name == name]
        assert unit.level == agency_level(name)["level"], name
    # A 县级市 is county level by its code, though its name ends in 市.
    assert region_chain("晋州市人民政府")[-1].level == "county" == agency_level("晋州市人民政府")["level"]


# -- placing in the database -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_place_agency_in_a_municipality():
    department = place_agency("北京市海淀区教育委员会")
    district = department.parent
    assert (department.kind, department.level) == ("department", "county")
    assert (district.name, district.level, district.division_code) == ("海淀区", "county", "110108")
    assert (district.parent.name, district.parent.level, district.parent.parent) == ("北京市", "province", None)
    assert district.parent.division_code == "110000"


@pytest.mark.django_db
def test_place_agency_completes_the_chain_and_reuses_nodes():
    bureau = place_agency("石家庄市长安区财政局")
    assert _path(bureau) == [
        ("河北省", "130000"),
        ("石家庄市", "130100"),
        ("长安区", "130102"),
        ("石家庄市长安区财政局", ""),
    ]
    county = place_agency("正定县人民政府")
    assert _path(county) == [("河北省", "130000"), ("石家庄市", "130100"), ("正定县", "130123")]
    assert county.parent == bureau.parent.parent
    # Fuller names of the same governments reach the same nodes.
    assert place_agency("河北省石家庄市正定县人民政府") == county
    assert place_agency("石家庄市正定县教育局").parent == county
    assert place_agency("石家庄市长安区人民政府") == bureau.parent
    for name in ("河北省", "石家庄市", "长安区", "正定县"):
        assert Agency.objects.filter(name=name).count() == 1, name


@pytest.mark.django_db
def test_a_shared_name_alone_is_not_guessed():
    placed = place_agency("北京市朝阳区人民政府")
    alone = place_agency("朝阳区人民政府")
    assert (alone.name, alone.parent, alone.division_code) == ("朝阳区", None, "")
    assert alone != placed and placed.division_code == "110105"
    other = place_agency("长春市朝阳区人民政府")
    assert [a.name for a in other.ancestors()] == ["吉林省", "长春市"] and other.division_code == "220104"
    assert Agency.objects.filter(name="朝阳区").count() == 3


@pytest.mark.django_db
def test_a_node_left_at_the_top_level_is_moved_into_place():
    # Placed before the data knew 邯郸市's province, without a code.
    earlier = Agency.objects.create(name="邯郸市", level="city", kind="government")
    bureau = place_agency("邯郸市教育局")
    earlier.refresh_from_db()
    assert bureau.parent == earlier and earlier.division_code == "130400"
    assert earlier.parent.name == "河北省" and Agency.objects.filter(name="邯郸市").count() == 1


@pytest.mark.django_db
def test_a_node_a_user_placed_stays_where_they_put_it(editor):
    from gongkai.web.center.services.agency_edits import create_agency

    chosen = create_agency(editor, name="邯郸市", parent=None, level="city")
    bureau = place_agency("河北省邯郸市教育局")
    chosen.refresh_from_db()
    assert chosen.parent is None and bureau.parent != chosen and bureau.parent.parent.name == "河北省"


@pytest.mark.django_db
def test_a_name_present_once_is_returned_as_is():
    existing = Agency.objects.create(name="某某县教育局", kind="department")
    assert place_agency("某某县教育局") == existing
