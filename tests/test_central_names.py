"""The central level: the State Council (国务院) and its bodies by name, from spec/central_agencies.toml."""

from __future__ import annotations

import pytest

from gongkai.fitting.divisions import central_body, central_unit, region_chain
from gongkai.fitting.meta import agency_level, extract_meta
from gongkai.reading.document import load_text


@pytest.mark.parametrize(
    ("name", "department"),
    [
        ("国务院", False),
        ("中华人民共和国国务院", False),
        ("国务院办公厅", True),
        ("教育部", True),
        ("中华人民共和国教育部", True),
        ("国家发展和改革委员会", True),
        ("生态环境部", True),
        ("国家税务总局", True),
        ("海关总署", True),
        ("中国人民银行", True),  # ends in 行, like no department of a local government
        ("国务院国有资产监督管理委员会", True),
        ("国家统计局", True),
        ("新华通讯社", True),
        ("国家林业和草原局", True),
        # Read as a unit before: "国家市" a city, "国家乡" a township.
        ("国家市场监督管理总局", True),
        ("国家乡村振兴局", True),
        ("住房和城乡建设部", True),
    ],
)
def test_the_state_council_and_its_bodies_are_central(name, department):
    info = agency_level(name)
    assert (info["level"], info["level_name"], info["is_department"]) == ("central", "中央级", department)
    assert region_chain(name) == []


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("国家发展改革委", "国家发展和改革委员会"),
        ("国家发改委", "国家发展和改革委员会"),
        ("发展改革委", "国家发展和改革委员会"),
        ("人社部", "人力资源和社会保障部"),
        ("人力资源社会保障部", "人力资源和社会保障部"),
        ("住房城乡建设部", "住房和城乡建设部"),
        ("国家卫健委", "国家卫生健康委员会"),
        ("市场监管总局", "国家市场监督管理总局"),
        ("中国证监会", "中国证券监督管理委员会"),
    ],
)
def test_short_names_stand_for_the_full_name(short, full):
    assert central_unit(short).full_name == full
    assert agency_level(short)["level"] == "central"


def test_a_sub_unit_of_a_ministry_is_central_not_a_province():
    for name in ("教育部办公厅", "国家税务总局驻广州特派员办事处", "交通运输部长江航务管理局"):
        assert agency_level(name)["level"] == "central", name
        assert region_chain(name) == [], name
    assert central_unit("国家发展改革委办公厅").full_name == "国家发展和改革委员会办公厅"


@pytest.mark.parametrize(
    ("name", "level", "chain"),
    [
        ("国家税务总局江苏省税务局", "province", ["江苏省"]),
        ("国家税务总局北京市朝阳区税务局", "county", ["北京市", "朝阳区"]),
        ("中国人民银行江苏省分行", "province", ["江苏省"]),
    ],
)
def test_a_central_body_s_branch_in_a_region_is_at_the_region_s_level(name, level, chain):
    info = agency_level(name)
    assert (info["level"], info["is_department"]) == (level, True)
    assert [u.name for u in region_chain(name)] == chain
    assert central_unit(name) is None


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("江苏省教育厅", "province"),
        ("北京市发展和改革委员会", "province"),
        ("上海市生态环境局", "province"),
        ("石家庄市财政局", "city"),
    ],
)
def test_local_departments_with_ministry_like_names_are_not_central(name, level):
    assert central_body(name) is None
    assert agency_level(name)["level"] == level


def test_a_title_naming_a_central_body_gives_its_agency_and_level():
    for title, name in (
        ("中国人民银行2023年政府信息公开工作年度报告", "中国人民银行"),
        ("2023年新华通讯社政府信息公开工作年度报告", "新华通讯社"),
        ("国家发展改革委2023年政府信息公开工作年度报告", "国家发展改革委"),
    ):
        agency = extract_meta(load_text(f"{title}\n一、总体情况\n"))["agency"]
        assert (agency["name"], agency["level"], agency["level_name"]) == (name, "central", "中央级"), title
