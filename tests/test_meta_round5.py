"""Metadata from rounds 5 and 6 of real pages: the agency named only by the overview's first clause or by
"结合X…实际,编制发布本报告" when no title line is there, a year and agency with no comma between them, a mirror's pinyin
notes in the title, a relative or generic name in the title, a publication date in an index table's cell.  Names and
numbers are made up; the layouts are those of the pages."""

from __future__ import annotations

from gongkai.fitting.meta import extract_meta
from gongkai.reading.document import load_text

PERIOD = "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。"


def meta_of(text: str) -> dict:
    return extract_meta(load_text(text))


def agency_of(text: str) -> str | None:
    agency = meta_of(text)["agency"]
    return agency and agency["name"]


# -- M1: the agency named only in the overview's first clause ----------------------------------------


def test_the_agency_the_overviews_year_clause_opens_with():
    head = f"根据《条例》,特将本年度信息公开工作形成如下报告。{PERIOD}\n一、总体情况\n"
    meta = meta_of(head + "2022年,某某街道办事处全面贯彻落实《条例》,主动公开政府信息88条。\n二、主动公开\n")
    agency = meta["agency"]
    assert (agency["name"], agency["source"], agency["level"]) == ("某某街道办事处", "text", "township")
    assert agency["confidence"] < 0.8
    # A subject followed by 在…领导下, and a traditional-script mirror of a province's office.
    assert agency_of(head + "2022年,某坊街道在区委、区政府的正确领导下,推进政务公开。\n二、") == "某坊街道"
    assert agency_of(head + "2022年,某某省人民政府辦公廳認真落實條例。\n二、") == "某某省人民政府办公厅"
    # No full name: a pronoun, a relative or bare name, the whole division, a clause opening with 在.
    for clause in (
        "2022年,我处认真落实《条例》。",
        "2022年,市政府办公室认真落实《条例》。",
        "2022年,全区认真落实《条例》。",
        "2022年,某某区认真落实《条例》。",
        "2022年,在区委领导下,某坊街道认真落实《条例》。",
    ):
        assert meta_of(head + clause + "\n二、")["agency"] is None, clause


def test_the_agency_whose_work_the_report_is_compiled_on():
    text = (
        f"根据《条例》要求,结合某某市人民政府办公室政府信息公开工作实际,编制发布本报告。{PERIOD}\n一、总体情况\n"
        "2022年度某某市人民政府办公室立足工作实际,持续深化政务公开。\n二、主动公开政府信息情况\n"
    )
    agency = meta_of(text)["agency"]
    assert (agency["name"], agency["source"], agency["level"]) == ("某某市人民政府办公室", "text", "city")
    assert agency["confidence"] < 0.8
    assert agency_of(f"根据《条例》要求,结合本单位工作实际,编制发布本报告。{PERIOD}\n一、总体情况\n") is None


# -- M2: no comma after the year -------------------------------------------------------------------


def test_the_year_and_agency_of_clauses_with_no_comma_after_the_year():
    text = (
        '各...">\n一、總體情況\n2019年某某鎮政府嚴格按照《條例》的原則公開政府信息。\n2019年收到申請公開0條。\n'
        "2019年某某鎮政府嚴格按照上級部門要求,明確1名工作人員專職負責。\n二、主動公開政府信息情況\n"
    )
    meta = meta_of(text)
    assert (meta["year"]["value"], meta["year"]["source"]) == (2019, "text")
    assert meta["year"]["confidence"] < 0.9
    assert (meta["agency"]["name"], meta["agency"]["source"]) == ("某某镇政府", "text")


# -- M3: a mirror's pinyin notes -------------------------------------------------------------------


def test_pinyin_notes_in_a_mirrors_title():
    text = (
        "某某鎮(zhèn)2021年政府信息公開工作年度報告\n????一、總體情況\n"
        "根據(jù)《條例》要求,特編制2021年度某某鎮(zhen)政府信息公開年度報告。\n二、主動公開政府信息情況\n"
    )
    meta = meta_of(text)
    assert meta["title"] == "某某镇2021年政府信息公开工作年度报告"
    assert (meta["agency"]["name"], meta["agency"]["source"]) == ("某某镇", "title")


# -- M4: a relative or generic name in the title ---------------------------------------------------


def test_the_full_name_a_sentence_gives_for_the_titles_relative_one():
    text = (
        "市人民政府办公室2021年政府信息公开工作年度报告\n根据《条例》要求,现公开某某市人民政府办公室2021年政府信息"
        "公开工作年度报告。\n一、总体情况\n2021年,市政府办公室认真贯彻落实中央和省市部署。\n"
    )
    agency = meta_of(text)["agency"]
    assert (agency["name"], agency["printed"], agency["level"]) == ("某某市人民政府办公室", "市人民政府办公室", "city")
    assert agency["confidence"] < 0.95


def test_a_generic_name_left_by_spam_is_no_agency():
    text = "spam_mobile 12345人民政府2021年政府信息公开年度报告\n一、总体情况\n2021年,全市认真落实《条例》。\n二、\n"
    meta = meta_of(text)
    assert meta["agency"] is None
    assert meta["year"]["value"] == 2021


# -- M5: the publication date in an index table's cell ---------------------------------------------


def test_the_publication_date_in_an_index_tables_cell():
    fields = "索引号: | 001/2023-0001 | ||\n---|---|---|---|\n发布机构: | 某某镇 | {label}: | 2023-01-19 |\n"
    body = "2022年某某镇政府信息公开工作年度报告\n一、总体情况\n2022年,某某镇公开信息68条。\n"
    assert meta_of(fields.format(label="公开日期") + body)["published"] == "2023-01-19"
    assert meta_of(fields.format(label="成文日期") + body)["published"] is None
