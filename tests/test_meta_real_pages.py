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


# Round 2 of real pages (made-up names and numbers, the pages' layouts).


@pytest.mark.parametrize("comma", [",", "，", "、"])
def test_the_statistics_period_with_a_comma_after_qi(comma):
    head = f"本报告所列统计数据的期限自2024年1月1日起{comma}至2024年12月31日止。"
    meta = meta_of(head, "\n一、总体情况\n本年度，我们认真贯彻落实《条例》。\n")
    assert (meta["year"]["value"], meta["year"]["source"]) == (2024, "statistics_period")


def test_the_verb_xiangongkai_is_not_part_of_the_agency():
    meta = meta_of("根据规定,现公开某某区人民政府办公室2024年政府信息公开工作年度报告。")
    assert meta["agency"]["name"] == "某某区人民政府办公室"
    assert meta["year"]["value"] == 2024


@pytest.mark.parametrize("tag", ["【图文】", "(图解)", "（图文）"])
def test_a_page_tag_before_the_title_is_dropped(tag):
    meta = meta_of(f"{tag}某某市市场监督管理局2022年度政府信息公开工作年度报告")
    assert meta["title"] == "某某市市场监督管理局2022年度政府信息公开工作年度报告"
    assert (meta["agency"]["name"], meta["agency"]["source"]) == ("某某市市场监督管理局", "title")


def test_an_agency_with_an_unbalanced_parenthesis_is_no_agency():
    meta = meta_of("图文)某某市市场监督管理局2022年度政府信息公开工作年度报告")
    assert meta["agency"] is None or ")" not in meta["agency"]["name"]


@pytest.mark.parametrize(
    "title", ["某某乡人民政府2019年度政府信息公开年度工作报告", "某某乡人民政府2019年政府信息公开年度工作报告"]
)
def test_a_niandu_gongzuo_baogao_title(title):
    meta = meta_of(title)
    assert meta["title"] == title
    assert (meta["agency"]["name"], meta["year"]["value"]) == ("某某乡人民政府", 2019)


def test_a_niandu_gongzuo_baogao_title_broken_over_two_lines():
    meta = meta_of("某某乡2019年政府信息公开年度工作\n报 告")
    assert (meta["agency"]["name"], meta["year"]["value"]) == ("某某乡", 2019)


def test_a_customs_disclosure_title():
    meta = meta_of("当前位置:首页 >> 政务公开>公开年报\n海关总署2010年海关信息公开工作年度报告")
    assert meta["title"] == "海关总署2010年海关信息公开工作年度报告"
    assert (meta["agency"]["name"], meta["year"]["value"]) == ("海关总署", 2010)


def test_a_year_first_mention_of_the_report_in_a_sentence():
    head = "一、总体情况 根据《条例》的文件精神,特向社会公布2020年某某市农业农村局政府信息公开工作年度报告。"
    meta = extract_meta(load_text(head + "\n二、主动公开政府信息情况\n"))
    assert (meta["agency"]["name"], meta["agency"]["source"]) == ("某某市农业农村局", "text")
    assert meta["year"]["value"] == 2020


@pytest.mark.parametrize("name", ["上海市人民政府参事室", "某某市人民政府研究室"])
def test_an_agency_ending_in_shi(name):
    meta = meta_of(f"2022年{name}政府信息公开工作年度报告")
    assert (meta["agency"]["name"], meta["agency"]["source"]) == (name, "title")
    assert meta["agency"]["is_department"]


def test_the_year_of_the_work_reported_in_the_opening_sentence():
    text = (
        "一、总体情况\n本报告是根据《条例》要求,主要从总体情况等六个方面汇报我镇2023年政府信息公开工作。\n"
        "二、主动公开政府信息情况\n"
    )
    year = extract_meta(load_text(text))["year"]
    assert (year["value"], year["source"]) == (2023, "text")
    assert year["confidence"] < 0.9


def test_the_year_opening_a_clause_of_the_overview():
    text = (
        "一、总体情况\n按照《条例》等相关要求,进一步健全工作机制。\n"
        "(一)主动公开方面。坚持依法公开,2022年,我局在某某县人民政府网站主动公开信息16条。\n"
        "二、主动公开政府信息情况\n"
    )
    year = extract_meta(load_text(text))["year"]
    assert (year["value"], year["confidence"]) == (2022, 0.6)


def test_two_years_opening_clauses_of_the_overview_give_no_year():
    text = (
        "一、总体情况\n按照《条例》等相关要求,进一步健全工作机制。\n"
        "(一)主动公开方面。2022年,我局主动公开信息16条。2021年,我局主动公开信息12条。\n"
        "二、主动公开政府信息情况\n"
    )
    assert extract_meta(load_text(text))["year"] is None


@pytest.mark.parametrize(
    "sentence",
    [
        "本年度报告是根据《条例》和某某区政府信息公开工作要求,由某某区审计局编制。",
        "本年报是根据有关要求,由某某区卫生健康局编制的2024年度政府信息公开年度报告。",
        "根据《通知》要求,由某某县公安局结合有关统计数据编制本报告。",
    ],
)
def test_the_agency_that_compiled_the_report(sentence):
    agency = meta_of(sentence)["agency"]
    assert agency["source"] == "compiled_by"
    assert agency["name"] in ("某某区审计局", "某某区卫生健康局", "某某县公安局")


def test_a_compiler_of_something_else_is_no_agency():
    meta = meta_of("本机关政府信息公开目录由某某区审计局编制。")
    assert meta["agency"] is None


def test_a_town_office_compiling_the_report_gives_the_town_government():
    agency = meta_of("本报告是根据《条例》要求,由某某镇人民政府党政办公室编制。")["agency"]
    assert agency["name"] == "某某镇人民政府"


def test_the_publisher_field_when_the_report_names_it():
    head = "2023年政府信息公开工作年度报告\n发布机构: 湖南省生态环境厅\n"
    body = "\n一、总体情况\n2023年,省生态环境厅认真贯彻落实《条例》。\n"
    agency = meta_of(head, body)["agency"]
    assert (agency["name"], agency["source"]) == ("湖南省生态环境厅", "publisher")
    assert agency["confidence"] < 0.9


def test_the_publisher_field_alone_is_no_agency():
    # A CMS's publisher may be the office that posts the reports of others.
    head = "2023年政府信息公开工作年度报告\n发布机构:政务服务管理局\n关键词 发布机构 政务服务管理局\n"
    assert meta_of(head)["agency"] is None


# Round 3 of real pages.


@pytest.mark.parametrize("verb", ["编制完成本报告", "编制本报告"])
def test_you_before_the_compiler_after_a_comma_is_no_part_of_the_name(verb):
    head = f"根据《中华人民共和国政府信息公开条例》规定,由某某镇办公室{verb},现予以公布。"
    agency = meta_of(head)["agency"]
    assert (agency["name"], agency["source"]) == ("某某镇办公室", "compiled_by")


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("某某县人民政府外事办公室政府信息公开工作2022年度报告", "某某县人民政府外事办公室"),
        ("某某区教育局政府信息公开2022年度报告", "某某区教育局"),
    ],
)
def test_a_title_with_the_year_after_the_disclosure(title, agency):
    meta = meta_of(title)
    assert meta["title"] == title
    assert (meta["agency"]["name"], meta["agency"]["source"], meta["year"]["value"]) == (agency, "title", 2022)


def test_a_title_without_a_year_names_the_agency():
    meta = meta_of("某某路街道办事处政府信息公开工作年度报告", "\n一、总体情况\n2020年度我街办未接到申请。\n")
    assert (meta["agency"]["name"], meta["agency"]["source"]) == ("某某路街道办事处", "title")
    assert meta["agency"]["level"] == "township"


def test_a_sentence_naming_the_report_and_its_year_beats_a_title_without_a_year():
    head = "某某县政府信息公开工作年度报告\n现将某某县财政局2021年政府信息公开工作年度报告公布如下。"
    assert meta_of(head)["agency"]["name"] == "某某县财政局"


def test_a_title_without_a_year_that_splits_two_ways_names_no_agency():
    # "某某县人民政府信息公开…": 人民政府 + 信息公开, or 人民 + 政府信息公开: left empty rather than guessed.
    assert meta_of("某某县人民政府信息公开工作年度报告")["agency"] is None


def test_a_title_with_xinxi_gongkai_alone_after_its_year():
    meta = meta_of("某某镇人民政府2021年信息公开年度报告")
    assert meta["title"] == "某某镇人民政府2021年信息公开年度报告"
    agency = meta["agency"]
    assert (agency["name"], agency["source"], meta["year"]["value"]) == ("某某镇人民政府", "title", 2021)


def test_xinxi_gongkai_alone_without_a_year_before_it_is_no_title():
    assert meta_of("某某镇信息公开年度报告")["title"] is None


def test_the_overview_runs_past_its_numbered_items_to_the_next_section():
    body = (
        "\n一、总体情况\n(一)主动公开政府信息情况\n1、对办事流程进行公开公示。\n2、在公告栏进行了公开公示。\n"
        "(二)政府信息依申请公开情况\n2020年度我街办未接到申请。\n二、主动公开政府信息情况\n"
    )
    meta = meta_of("某某路街道办事处政府信息公开工作年度报告", body)
    assert (meta["year"]["value"], meta["year"]["source"]) == (2020, "text")
