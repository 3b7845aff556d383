"""Metadata from round 4 of real pages: the compiler named before 根据…编制本报告 or as a town's office, the year of a
pre-2019 report under 一、概述, a bare date line under the title, a relative name beside the printed one, a title
naming the division only, a news headline quoting the title, a flipbook's page title.  Names and numbers are made up;
the layouts are those of the pages."""

from __future__ import annotations

from gongkai.fitting.meta import extract_meta
from gongkai.reading.document import load_text

CITES = "根据《中华人民共和国政府信息公开条例》《关于印发〈年度报告格式〉的通知》要求,"
PERIOD = "本报告中所列数据统计期限为2022年1月1日至12月31日。"


def meta_of(text: str) -> dict:
    return extract_meta(load_text(text))


# -- M1: the compiler ------------------------------------------------------------------------------


def test_the_agency_before_its_basis_and_compiling():
    text = f"{CITES}某某市人民政府根据全市2022年度政府信息公开工作开展情况,编制本报告。{PERIOD}\n一、总体情况\n"
    agency = meta_of(text)["agency"]
    assert (agency["name"], agency["source"], agency["level"]) == ("某某市人民政府", "compiled_by", "city")
    assert agency["confidence"] < 0.9


def test_a_pronoun_before_its_basis_names_no_agency():
    text = f"{CITES}我局根据全局2022年度政府信息公开工作开展情况,编制本报告。{PERIOD}\n一、总体情况\n"
    assert meta_of(text)["agency"] is None


def test_a_towns_office_compiles_the_towns_report():
    text = (
        f"{CITES}由某某县某某镇人民政府综合信息指挥室(党政综合办公室)负责编制本报告。{PERIOD} 一、总体情况 "
        "(一)主动公开情况。 2022年,某某镇全年共通过门户网站主动公开政府信息12条。"
    )
    agency = meta_of(text)["agency"]
    assert (agency["name"], agency["source"], agency["level"]) == ("某某县某某镇人民政府", "compiled_by", "township")


# -- M2: the year of a pre-2019 report under 一、概述 --------------------------------------------------


def test_the_year_after_the_basis_under_gaishu():
    text = "一、概述\n根據《條例》要求,2012年,我局繼續開展政府信息公開工作。截至2012年底,運行正常。\n二、主動公開情況\n"
    year = meta_of(text)["year"]
    assert (year["value"], year["source"]) == (2012, "text")
    assert year["confidence"] < 0.9


def test_the_year_before_a_subject_under_gaishu_when_named_again():
    text = "一、概述\n2012年区文委在区委区政府正确领导下开展工作。截至2012年底,工作运行正常。\n(一)公开情况\n"
    year = meta_of(text)["year"]
    assert (year["value"], year["source"]) == (2012, "text")
    assert year["confidence"] < 0.7


def test_a_year_named_once_as_history_under_gaishu_is_no_report_year():
    text = "一、概述\n2007年国务院公布《条例》,自2008年5月1日起施行,我局认真贯彻落实。\n(一)公开情况\n"
    assert meta_of(text)["year"] is None


# -- M3: a bare date line under the title ----------------------------------------------------------


def test_a_bare_date_line_with_the_pages_fields_is_the_publication_date():
    text = (
        "当前位置:首页 > 公开年报\n\n国家某某局2016年政府信息公开年度报告\n\n2017-03-24   来源:国家某某局政府网\n\n"
        "【字体:  打印本页\n\n  一、总体情况\n\n  2016年,国家某某局在门户网站发布各类政务信息1200条。\n"
    )
    assert meta_of(text)["published"] == "2017-03-24"


def test_a_bare_date_line_alone_is_not_the_publication_date():
    text = "某某县某某局2016年政府信息公开年度报告\n2017-03-24\n一、总体情况\n2016年,我局公开信息12条。\n"
    assert meta_of(text)["published"] is None


# -- M4: names and titles --------------------------------------------------------------------------


def test_the_printed_full_name_for_a_relative_name():
    text = (
        "某某区国资局\n根据《条例》规定,现将区政府国资局2020年政府信息公开工作年度报告公布如下。\n"
        "一、总体情况\n2020年,我局公开信息20条。\n"
    )
    agency = meta_of(text)["agency"]
    assert (agency["name"], agency["printed"], agency["level"]) == ("某某区国资局", "区政府国资局", "county")


def test_a_title_naming_the_division_is_its_governments_report_when_it_compiles_it():
    text = (
        "某某省2012年政府信息公开工作报告(全文)\n本报告由某某省人民政府办公厅根据《条例》要求编制。\n"
        "一、概述\n2012年,全省政府信息公开工作平稳推进。\n"
    )
    agency = meta_of(text)["agency"]
    assert (agency["name"], agency["printed"], agency["source"]) == ("某某省人民政府", "某某省", "title")


def test_a_title_naming_a_division_alone_stays_without_its_compiler():
    text = "某某市2016年政府信息公开工作年度报告\n发布机构:市政府办公厅\n一、概述\n2016年,全市公开信息20条。\n"
    assert meta_of(text)["agency"]["name"] == "某某市"


def test_a_headline_quoting_the_title():
    meta = meta_of("《某某省人民政府办公厅2023年政府信息公开工作年度报告》公布\n一、总体情况\n2023年,本机关…\n")
    assert meta["title"] == "某某省人民政府办公厅2023年政府信息公开工作年度报告"
    assert meta["agency"]["name"] == "某某省人民政府办公厅"


def test_a_flipbook_page_title_names_the_year():
    html = (
        "<html><head><title>Page 9 - 2020年报_审计局</title></head><body><p>一、总体情况</p>"
        "<p>本年度，我局认真贯彻落实《条例》。</p></body></html>"
    )
    year = meta_of(html)["year"]
    assert (year["value"], year["source"]) == (2020, "title")
    assert year["confidence"] < 0.9
