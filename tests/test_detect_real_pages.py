"""Format detection of reports whose text has no table labels (武汉市公安局 2024, 四川省发改委 2020, 文登区信访局
2022): the year decides, never the 2007 条例 for a report under the 2019 条例."""

from __future__ import annotations

import pytest

from gongkai.fitting.detect import detect_format
from gongkai.parse import parse_text

PROSE = (
    "一、总体情况\n(一)政府信息主动公开情况。全年主动公开信息1830条。\n"
    "(二)政府信息依申请公开情况。全年收政府信息公开申请120件,本年度办结118件,剩余2件结转下年度办理。\n"
)


@pytest.mark.parametrize(("year", "fmt"), [(2024, "2021"), (2021, "2021"), (2020, "2019"), (2019, "2019")])
def test_year_decides_when_no_label_does(year, fmt):
    found, basis = detect_format(PROSE, year)
    assert (found.id, basis) == (fmt, "year")


def test_old_year_is_the_2007_format_by_year():
    found, basis = detect_format(PROSE, 2016)
    assert (found.id, basis) == ("pre2019", "year")


def test_no_label_no_year_is_not_called_labels():
    found, basis = detect_format(PROSE, None)
    assert (found.id, basis) == ("pre2019", "default")


def test_prose_2024_report_is_2021_format_by_year():
    report = parse_text("某市公安局2024年度政府信息公开工作报告\n" + PROSE)
    data = report.to_json()
    assert (data["format"], data["format_basis"]) == ("2021", "year")
    assert "format.no_tables" not in [f.rule for f in report.findings]
    assert data["requests"]["total"] == [None] * 7  # no table read from prose


def test_printed_table_four_is_read_in_a_prose_report():
    text = (
        "某区信访局2022年政府信息公开工作年度报告\n" + PROSE + "四、因政府信息公开工作被申请行政复议提起行政诉讼情况\n"
        "行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n"
        "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计\n"
        "1 0 0 0 1 0 0 0 0 0 0 0 0 0 0\n"
    )
    data = parse_text(text).to_json()
    assert (data["format"], data["format_basis"]) == ("2021", "year")
    assert data["review_litigation"]["review"] == [1, 0, 0, 0, 1]


def test_a_table_label_in_a_prose_sentence_does_not_decide_the_format():
    """潼南区公安局 2021 (prose only): "采购总金额" is a column of the 2019 表二, but here it is said in a sentence."""
    text = (
        "某区公安局2021年政府信息公开工作年度报告\n一、 总体情况\n"
        "(一)主动公开情况。通过门户网站专栏发布各类政府信息40条;主动公开《某某服务》等采购信息30条,"
        "采购总金额812.5万元。\n(二)依申请公开情况。2021年未受理依申请公开事项。\n"
    )
    found, basis = detect_format(text, 2021)
    assert (found.id, basis) == ("2021", "year")
    report = parse_text(text)
    assert "format.outdated" not in [f.rule for f in report.findings]
    assert detect_format("本年度办理结果如下:予以公开3件,结转下年度继续办理1件。\n", 2020) == detect_format("", 2020)


def test_a_table_label_on_a_line_of_its_own_still_decides():
    text = "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n采购总金额 | 12.5 |\n"
    found, basis = detect_format(text, 2021)
    assert (found.id, basis) == ("2019", "labels")


# Round 3: no year, but the text cites the 2019 条例 or a format's notice (某县生态环境局 2024, 大兴区某镇 2025).
OPENING_2021 = (
    "根据《中华人民共和国政府信息公开条例》(国务院令第711号)、《国务院办公厅政府信息与政务公开办公室关于印发<中华人民"
    "共和国政府信息公开工作年度报告格式>的通知》(国办公开办函〔2021〕30号)要求,编制本年度报告。\n"
)
NO_YEAR_BODY = "一、总体情况\n(一)主动公开情况\n我局主动公开政府信息120条。\n"
NO_YEAR_BODY += "(二)依申请公开政府信息情况\n我局未受理依申请公开申请。\n"


@pytest.mark.parametrize(
    ("opening", "fmt"),
    [
        (OPENING_2021, "2021"),
        ("依据《中华人民共和国政府信息公开条例》(以下简称《条例》)第五十条规定,编制本报告。\n", "2021"),
        ("根据《中华人民共和国政府信息公开条例》(国务院令第711号)要求,编制本报告。\n", "2021"),
        ("按照《关于政府信息公开工作年度报告有关事项的通知》(国办公开办函〔2019〕60号)要求,编制本报告。\n", "2019"),
    ],
)
def test_a_citation_of_the_2019_regime_decides_when_there_is_no_year(opening, fmt):
    found, basis = detect_format(opening + NO_YEAR_BODY, None)
    assert (found.id, basis) == (fmt, "citation")


def test_no_citation_and_no_year_is_still_the_default():
    text = "根据《中华人民共和国政府信息公开条例》第三十一条规定,编制本报告。\n某办〔2021〕30号文件要求。\n"
    text += NO_YEAR_BODY
    assert detect_format(text, None) == (detect_format(PROSE, None)[0], "default")


def test_the_year_still_decides_before_a_citation():
    found, basis = detect_format(OPENING_2021 + NO_YEAR_BODY, 2020)
    assert (found.id, basis) == ("2019", "year")


def test_headings_with_xingzheng_jiguan_are_the_sections():
    """湖北 template: "二、行政机关主动公开政府信息情况" / "三、行政机关收到和处理政府信息公开申请情况"."""
    text = (
        "2020年某街道办事处政府信息公开工作年度报告\n一、总体情况\n2020年,我处主动公开171条。\n"
        "二、行政机关主动公开政府信息情况\n无。\n三、行政机关收到和处理政府信息公开申请情况\n无。\n"
        "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况\n无。\n五、存在的主要问题及改进情况\n无。\n"
        "六、其他需要报告的事项\n无。\n"
    )
    report = parse_text(text)
    assert {"active", "requests"} <= set(report.to_json()["sections"])
    missing = [f.message for f in report.findings if f.rule == "sections.missing"]
    assert not [m for m in missing if "第二部分" in m or "第三部分" in m]
