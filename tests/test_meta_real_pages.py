"""Metadata as real published pages print it: towns with a unit word in their name, "关于…情况的报告" titles, the
agency between a generic and a repeated title, pronouns, breadcrumbs, page index fields, and the year only in the
first words of the overview. Names and numbers are made up; the layouts are those of the pages."""

from __future__ import annotations

import pytest

from gongkai.fitting.meta import agency_level, extract_meta
from gongkai.reading.document import load_text

BODY = "\n一、总体情况\n本年度，我们认真贯彻落实《中华人民共和国政府信息公开条例》。\n"


def meta_of(text: str, body: str = BODY) -> dict:
    return extract_meta(load_text(text + body))


@pytest.mark.parametrize("name", ["拖市镇", "新市镇人民政府", "天门市拖市镇", "某某县新市镇", "某某区城区街道办事处"])
def test_a_town_with_a_unit_word_in_its_name_is_a_township(name):
    assert agency_level(name)["level"] == "township"


@pytest.mark.parametrize(("name", "level"), [("某某县乡村振兴局", "county"), ("新市区人民政府", "county")])
def test_a_township_word_starting_a_longer_word_is_not_a_town(name, level):
    assert agency_level(name)["level"] == level


def test_a_town_with_shi_in_its_name_from_the_title():
    agency = meta_of("拖市镇2020年政府信息公开工作年度报告")["agency"]
    assert (agency["name"], agency["level_name"]) == ("拖市镇", "乡镇级")


def test_a_guanyu_title_gives_agency_year_and_title():
    meta = meta_of("某某县自然资源局关于2021年度政府信息公开情况的报告")
    assert meta["title"] == "某某县自然资源局关于2021年度政府信息公开情况的报告"
    assert (meta["agency"]["name"], meta["agency"]["source"]) == ("某某县自然资源局", "title")
    assert meta["year"]["value"] == 2021


def test_a_guanyu_title_without_an_agency_gives_the_year_only():
    meta = meta_of("关于2022年度政府信息公开情况的报告")
    assert (meta["title"], meta["year"]["value"], meta["agency"]) == ("关于2022年度政府信息公开情况的报告", 2022, None)


def test_the_agency_between_a_generic_title_and_its_repeat():
    meta = meta_of("2022年政府信息公开工作年度报告\n某某县某某镇人民政府\n2022年政府信息公开工作年度报告")
    assert (meta["agency"]["name"], meta["agency"]["source"]) == ("某某县某某镇人民政府", "title_above")
    assert meta["agency"]["level"] == "township"


@pytest.mark.parametrize("pronoun", ["我局", "我委", "本局", "我办"])
def test_a_pronoun_is_never_an_agency(pronoun):
    head = f"按照《条例》相关规定，现将{pronoun}2021年政府信息公开工作报告如下:"
    meta = meta_of(head, "\n一、总体情况\n2021年我们公开政务信息11条。\n")
    assert meta["agency"] is None
    assert meta["year"]["value"] == 2021
    assert meta["title"] is None  # the sentence is no title


@pytest.mark.parametrize(
    "breadcrumb",
    [
        "您当前的位置:首页\n > 政府信息公开 > 政府信息公开年报 > 2021 > 旗政府组成部门",
        "当前位置:街镇 > 某某镇 > 政府信息公开年报",
    ],
)
def test_a_breadcrumb_is_no_title(breadcrumb):
    meta = meta_of(f"{breadcrumb}\n\n某某旗工业和信息化局2021年度政府信息公开工作年度报告")
    assert meta["title"] == "某某旗工业和信息化局2021年度政府信息公开工作年度报告"
    assert (meta["agency"]["name"], meta["agency"]["source"]) == ("某某旗工业和信息化局", "title")


def test_a_file_name_title_loses_its_suffix():
    title = "某某旗某某苏木2021年政府信息公开工作年度报告"
    assert meta_of(f"{title}.docx")["title"] == title


def test_index_field_labels_are_not_part_of_the_title_or_the_agency():
    head = (
        "名称 某某市2017年政府信息公开年度报告\n"
        "索引号 00000001/2018-00001 分类 信息公开年报   其他    报告\n"
        "发布机构 某某市人民政府办公室 发文日期 2018-02-26\n\n"
        "某某市2017年政府信息公开年度报告"
    )
    meta = meta_of(head)
    assert meta["title"] == "某某市2017年政府信息公开年度报告"
    assert (meta["agency"]["name"], meta["agency"]["confidence"]) == ("某某市", 0.95)
    assert meta["year"]["value"] == 2017


def test_a_classification_field_is_no_title():
    head = "索 引 号 | 000000000/2018-00001 | 分 类 | 政府信息公开年报 综合政务,文秘工作 其他 |"
    assert meta_of(head)["title"] is None


@pytest.mark.parametrize("opening", ["2021年，我局通过门户网站公开信息43条。", "2021年我局通过门户网站公开信息43条。"])
def test_the_year_in_the_first_words_of_the_overview(opening):
    meta = meta_of("政府信息公开工作年度报告", f"\n一、总体情况\n{opening}\n")
    assert meta["year"] == {"value": 2021, "source": "text", "confidence": 0.7}


def test_a_date_opening_the_overview_gives_no_year():
    meta = meta_of("政府信息公开工作年度报告", "\n一、总体情况\n2019年5月15日，新修订的《条例》正式施行。\n")
    assert meta["year"] is None


def test_the_statistics_period_wins_over_the_overview():
    body = "\n一、总体情况\n2021年，我局认真落实。\n本报告统计期限为2020年1月1日至12月31日。\n"
    assert meta_of("政府信息公开工作年度报告", body)["year"]["source"] == "statistics_period"
