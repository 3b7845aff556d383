"""Agency and year as real reports print them: titles split over lines, the agency above the title, the year
first, spaces from a PDF's text layer, short forms, zones governed by a committee, the compiler named in the
opening sentence, and a division name one character off."""

from __future__ import annotations

import pytest

from gongkai.fitting.meta import extract_meta
from gongkai.reading.document import load_text

BODY = "\n一、总体情况\n本年度，我们认真贯彻落实《中华人民共和国政府信息公开条例》。\n"


def meta_of(text: str) -> dict:
    return extract_meta(load_text(text + BODY))


@pytest.mark.parametrize(
    ("head", "agency", "source", "year"),
    [
        # the agency on the line above a title that starts with the year (淮安市洪泽区 2024)
        ("淮安市洪泽区人民政府\n2024 年政府信息公开工作年度报告", "淮安市洪泽区人民政府", "title_above", 2024),
        # the year first
        ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", "title", 2019),
        # a PDF-to-markdown title broken over two lines, spaces around the year, a short form
        ("正文\n2024 年上海市科委政府信息公开工作\n年度报告", "上海市科学技术委员会", "title", 2024),
        # the agency's name before the year, with a space the PDF left
        ("淮安市人民政府2024 年政府信息公开工作年度报告", "淮安市人民政府", "title", 2024),
        # a crawler's "标题:" label before the title
        ("标题: 正定县2022年度政府信息公开工作年度报告", "正定县", "title", 2022),
    ],
)
def test_agency_and_year_from_the_title(head, agency, source, year):
    meta = meta_of(head)
    assert (meta["agency"]["name"], meta["agency"]["source"], meta["year"]["value"]) == (agency, source, year)


def test_a_short_form_is_expanded_and_kept_as_printed():
    agency = meta_of("2024 年上海市科委政府信息公开工作\n年度报告")["agency"]
    assert (agency["name"], agency["printed"]) == ("上海市科学技术委员会", "上海市科委")
    assert agency["confidence"] < 0.95


def test_a_zone_is_the_report_of_its_committee_when_the_text_names_it():
    head = "平潭综合实验区2021年度政府信息公开工作年度报告\n本报告由平潭综合实验区管委会办公室编制。"
    agency = meta_of(head)["agency"]
    assert (agency["name"], agency["printed"]) == ("平潭综合实验区管委会", "平潭综合实验区")
    # without the committee in the text the printed name stays
    assert meta_of("某某经济开发区2021年度政府信息公开工作年度报告")["agency"]["name"] == "某某经济开发区"


@pytest.mark.parametrize(
    ("opening", "agency"),
    [
        ("本报告由淮安市洪泽区人民政府办公室根据《条例》规定编制。", "淮安市洪泽区人民政府"),
        ("根据《条例》要求，正定县教育局编制了 2023 年度政府信息公开工作年度报告。", "正定县教育局"),
    ],
)
def test_the_compiler_named_in_the_opening_sentence(opening, agency):
    meta = meta_of(f"政府信息公开工作年度报告\n{opening}")
    assert (meta["agency"]["name"], meta["agency"]["source"]) == (agency, "compiled_by")


def test_a_relative_name_in_the_opening_sentence_is_not_an_agency():
    meta = meta_of("政府信息公开工作年度报告\n根据《条例》，市科委编制了 2024 年度政务公开工作报告。")
    assert meta["agency"] is None


def test_the_statistics_period_with_spaces_gives_the_year():
    meta = meta_of("政府信息公开工作年度报告\n本年度报告中所列数据的统计周期为 2024 年 1 月 1 日至 12 月 31 日。")
    assert meta["year"] == {"value": 2024, "source": "statistics_period", "confidence": 0.9}


def test_an_empty_publisher_field_does_not_take_the_next_line():
    meta = meta_of("标题: 正定县2022年度政府信息公开工作年度报告\n发布机构: \n栏目: 政府信息公开年报")
    assert "publisher" not in meta


def test_a_division_name_one_character_off_keeps_the_printed_name_and_offers_the_division():
    agency = meta_of("沐阳县人民政府2023年政府信息公开工作年度报告")["agency"]
    assert agency["name"] == "沐阳县人民政府"
    likely = agency["likely_division"]
    assert (likely["name"], likely["code"], likely["printed"]) == ("沭阳县", "321322", "沐阳县")
    assert "沭阳县" in likely["hint"] and "请核对" in likely["hint"]


@pytest.mark.parametrize("name", ["沭阳县人民政府", "石家庄市长安区财政局", "曲阳街道办事处", "呼伦贝尔市人民政府"])
def test_real_names_get_no_hint(name):
    assert "likely_division" not in meta_of(f"{name}2023年政府信息公开工作年度报告")["agency"]


def test_the_sentence_naming_the_report_with_pdf_spaces():
    head = "政府信息公开工作年度报告\n根据《条例》要求，特编制淮安市 洪泽区 2024 年度政府信息公开工作年度报告。"
    meta = meta_of(head)
    assert (meta["agency"]["name"], meta["year"]["value"], meta["agency"]["source"]) == ("淮安市洪泽区", 2024, "text")
