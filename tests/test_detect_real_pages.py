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
