"""Values go to the format's columns by their order only when the printed header has that order: a template whose
header prints the columns in another order leaves the table unread with a finding, never with values shifted into
the wrong columns.  Made-up numbers."""

from __future__ import annotations

import re

import opencc
import pytest

from gongkai.parse import parse_text
from gongkai.proving.synth import LAYOUTS, make_report

_T2S = opencc.OpenCC("t2s")  # the generator prints some labels in traditional characters

REQUESTS = """某县人民政府2022年政府信息公开工作年度报告
三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 |
自然人 | 法人或其他组织 | 总计 |
{sub} |
一、本年新收政府信息公开申请数量 | 5 | 1 | 3 | 0 | 0 | 0 | 9 |
二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
四、政府信息公开行政复议、行政诉讼情况
"""
STANDARD_SUB = "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他"

REVIEW = """某县人民政府2022年政府信息公开工作年度报告
四、政府信息公开行政复议、行政诉讼情况
行政复议 | 行政诉讼 |
{head} | 未经复议直接起诉 | 复议后起诉 |
{head} | {head} |
2 | 1 | 0 | 0 | 3 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 |
五、存在的主要问题及改进情况
"""
STANDARD_HEAD = "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计"


def _report(text: str) -> dict:
    return parse_text(text).to_json()


def _reasons(report: dict) -> list[str]:
    return [f["message"] for f in report["findings"] if "表头栏目的顺序" in f["message"]]


def test_a_request_table_whose_legal_person_columns_are_in_another_order_is_read_by_its_header():
    # 科研机构 printed before 商业企业: each value is its header's, and each row still adds up.
    report = _report(REQUESTS.format(sub="科研机构 | 商业企业 | 社会公益组织 | 法律服务机构 | 其他"))
    assert report["requests"]["new_received"] == [5, 3, 1, 0, 0, 0, 9]
    [hint] = [f for f in report["findings"] if f["rule"] == "labels.nonstandard"]
    assert "科研机构、商业企业" in hint["message"] and hint["severity"] == "info"
    assert not _reasons(report)


def test_the_standard_request_header_is_read_and_so_is_one_with_a_column_missing():
    assert _report(REQUESTS.format(sub=STANDARD_SUB))["requests"]["new_received"] == [5, 1, 3, 0, 0, 0, 9]
    # A label lost (or mistyped) says nothing about the order: the format's columns stand.
    missing = STANDARD_SUB.replace("科研机构", "科研机")
    assert _report(REQUESTS.format(sub=missing))["requests"]["new_received"] == [5, 1, 3, 0, 0, 0, 9]


def test_a_review_table_whose_outcome_columns_are_in_another_order_is_read_by_its_header():
    swapped = "结果纠正 | 结果维持 | 其他结果 | 尚未审结 | 总计"
    report = _report(REVIEW.format(head=swapped))
    assert report["review_litigation"]["review"] == [1, 2, 0, 0, 3]
    assert report["review_litigation"]["litigation_direct"] == [0, 1, 0, 0, 1]
    assert not _reasons(report)
    assert _report(REVIEW.format(head=STANDARD_HEAD))["review_litigation"]["review"] == [2, 1, 0, 0, 3]
    # 总计 moved too: the block totals no longer settle anything in printed order, so the table is not read.
    moved = "总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结"
    assert _report(REVIEW.format(head=moved))["review_litigation"]["review"] == [None] * 5


def test_an_active_block_whose_fields_are_in_another_order_is_read_by_its_header():
    text = """某县人民政府2022年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第（一）项 |
信息内容 | 现行有效件数 | 本年制发件数 | 本年废止件数 |
规章 | 3 | 1 | 0 |
行政规范性文件 | 40 | 6 | 2 |
三、收到和处理政府信息公开申请情况
"""
    report = _report(text)
    assert report["active"]["normative_documents"] == {"issued": 6, "repealed": 2, "in_force": 40}
    assert report["active"]["rules"] == {"issued": 1, "repealed": 0, "in_force": 3}


def test_a_review_table_whose_litigation_blocks_are_in_another_order_is_not_read():
    # Each block adds up either way: only the header says 复议后起诉 comes first.
    head = REVIEW.replace("| 未经复议直接起诉 | 复议后起诉 |", "| 复议后起诉 | 未经复议直接起诉 |")
    report = _report(head.format(head=STANDARD_HEAD))
    assert report["review_litigation"]["litigation_direct"] == [None] * 5
    assert report["review_litigation"]["litigation_after_review"] == [None] * 5
    assert "复议后起诉、未经复议直接起诉" in _reasons(report)[0]


def test_a_total_column_printed_before_the_applicants_on_their_line_is_not_read():
    text = REQUESTS.format(sub=STANDARD_SUB).replace(
        "自然人 | 法人或其他组织 | 总计 |", "总计 | 自然人 | 法人或其他组织 |"
    )
    report = _report(text)
    assert report["requests"]["new_received"] == [None] * 7
    assert "总计、自然人、法人或其他组织" in _reasons(report)[0]


def test_a_total_printed_on_the_header_line_above_the_applicants_says_nothing_of_its_column():
    # A real template: 总计 spans the header's lines and prints on the first, 自然人 on the second.
    text = REQUESTS.format(sub=STANDARD_SUB).replace(
        "申请人情况 |\n自然人 | 法人或其他组织 | 总计 |", "申请人情况 | 总计 |\n自然人 | 法人或其他组织 |"
    )
    assert _report(text)["requests"]["new_received"] == [5, 1, 3, 0, 0, 0, 9]


def test_header_labels_wrapped_over_lines_are_read_whole():
    # Text from a PDF: narrow header cells wrap ("科研\n机构"); a token inside a longer label ("其他" of the wrapped
    # "法人或\n其他\n组织") is no column of its own.
    text = """某县人民政府2022年政府信息公开工作年度报告
三、收到和处理政府信息公开申请情况
申请人情况
自然人
法人或
其他
组织
总计
科研
机构
商业
企业
社会公益组织
法律服务机构
其他
一、本年新收政府信息公开申请数量
5
1
3
0
0
0
9
四、政府信息公开行政复议、行政诉讼情况
"""
    assert _report(text)["requests"]["new_received"] == [5, 3, 1, 0, 0, 0, 9]
    standard = text.replace("科研\n机构\n商业\n企业", "商业\n企业\n科研\n机构")
    assert _report(standard)["requests"]["new_received"] == [5, 1, 3, 0, 0, 0, 9]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_generated_reports_with_two_column_labels_swapped_are_read_by_their_header(layout):
    # By its header the report now prints 科研机构's values under 商业企业 and the reverse: a reader trusting the
    # format's column order would swap them.  Each cell is read by the header or left unread, never by the old order.
    pair = re.compile(r"商[\s|]*业[\s|]*企[\s|]*业|科[\s|]*研[\s|]*机[\s|]*构")
    for seed in range(6):
        text, truth = make_report(seed, ("2021", "2019")[seed % 2], layout)
        text = pair.sub(lambda m: "科研机构" if m[0].startswith("商") else "商业企业", _T2S.convert(text))
        got = _report(text)["requests"]
        for row, values in truth["requests"].items():
            if values is None:
                continue
            read = got[row] or [None] * 7
            assert read[1] in (None, values[2]) and read[2] in (None, values[1]), (seed, row)


def test_a_review_table_read_by_position_whose_every_total_fails_is_not_read():
    # The block names, then the outcome names once, then the values outcome by outcome (a table printed
    # transposed): read in the standard order every block's total fails.
    text = (
        """某县人民政府2022年政府信息公开工作年度报告
四、政府信息公开行政复议、行政诉讼情况
行政复议
未经复议直接起诉
复议后起诉
结果维持
结果纠正
其他结果
尚未审结
总计
"""
        + "".join(f"{n}\n" for n in (11, 7, 12, 6, 3, 8, 4, 5, 13, 2, 9, 15, 23, 24, 48))
        + "五、存在的主要问题及改进情况\n"
    )
    report = _report(text)
    assert report["review_litigation"]["review"] == [None] * 5
    assert any("不是按规定的栏目顺序印的" in f["message"] for f in report["findings"])


def test_a_review_table_whose_totals_are_left_blank_is_still_read():
    # A real report's 总计 column left empty under figures: not a sign of misaligned columns.
    text = REVIEW.format(head=STANDARD_HEAD).replace(
        "2 | 1 | 0 | 0 | 3 | 1 | 0 | 0 | 0 | 1 |", "10 | 1 | 0 | 0 | 0 | 5 | 0 | 0 | 0 | 0 |"
    )
    assert _report(text)["review_litigation"]["review"] == [10, 1, 0, 0, 0]
