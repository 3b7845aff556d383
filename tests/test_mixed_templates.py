"""表二 blocks printed under another format's columns (a 2021 report that keeps the 2019 template for one block, or
the reverse), and one-column rows printed with more numbers than their one column: never placed by guesswork.

Layouts from real pages (a 2021 气象局 report whose 第二十条第（一）项 keeps the 2019 headers, crawler text with
inline pipes); the numbers are made up."""

from __future__ import annotations

from gongkai.parse import parse_text

HEAD = (
    "某市气象局2021年政府信息公开工作年度报告\n一、总体情况\n2021年，本级累计发布各类信息共120条。\n"
    "二、主动公开政府信息情况\n"
)
TAIL = "三、收到和处理政府信息公开申请情况\n"

BLOCK_ONE_2019 = """第二十条第(一)项 | ||||
信息内容 | {headers} | |
规章 | 0 | 0 | 0 | |
规范性文件 | 4 | 3 | 17 | |
"""
BLOCKS_2021 = """第二十条第(五)项 | ||||
信息内容 | 本年处理决定数量 | |||
行政许可 | 6 | |||
第二十条第(六)项 | ||||
信息内容 | 本年处理决定数量 | |||
行政处罚 | 2 | |||
行政强制 | 5 | |||
第二十条第(八)项 | ||||
信息内容 | 本年收费金额(单位:万元) | |||
行政事业性收费 | 1.5 |
"""


def _parse(headers: str) -> dict:
    return parse_text(HEAD + BLOCK_ONE_2019.format(headers=headers) + BLOCKS_2021 + TAIL).to_json()


def _messages(report: dict) -> list[str]:
    return [f["message"] for f in report["findings"]]


def test_a_2019_block_in_a_2021_table_is_not_read_into_the_2021_columns():
    # The crawler cut the two 本年新… headers; 对外公开总数量 still names the 2019 columns.  Its 3 is 本年新公开数量,
    # not 本年废止件数, and 17 is 对外公开总数量, not 现行有效件数.
    report = _parse("本年新 | 本年新 | 对外公开总数量")
    assert report["format"] == "2021"
    active = report["active"]
    assert active["normative_documents"] == {"issued": None, "repealed": None, "in_force": None}
    assert active["rules"] == {"issued": None, "repealed": None, "in_force": None}
    assert active["licensing"] == {"decisions": 6}
    assert active["enforcement"] == {"decisions": 5}
    assert any("2019年版格式的“本年新制作数量、本年新公开数量、对外公开总数量”" in m for m in _messages(report))


def test_2021_blocks_in_a_2019_table_are_not_read_into_the_2019_columns():
    # With the full 2019 headers the report reads as 2019: its 2021 one-column blocks must not give 本年处理决定数量
    # to 上一年项目数量 (nor 0 to 处理决定数量 from the blank cells after it).
    report = _parse("本年新制作数量 | 本年新公开数量 | 对外公开总数量")
    assert report["format"] == "2019"
    active = report["active"]
    assert active["normative_documents"] == {"new_made": 4, "new_published": 3, "total_published": 17}
    for row in ("licensing", "punishment", "enforcement"):
        assert active[row] == {"prev_items": None, "delta": None, "decisions": None}
    assert active["fees"] == {"prev_items": None, "delta": None}
    assert any("本项的栏目印的是2021年版格式的“本年处理决定数量”" in m for m in _messages(report))


def test_a_header_one_character_off_is_still_the_formats_own():
    report = _parse("本年制法件数 | 本年废止件数 | 现行有效件数")
    assert report["active"]["normative_documents"] == {"issued": 4, "repealed": 3, "in_force": 17}


def test_a_one_column_row_with_several_different_numbers_stays_unread():
    text = HEAD + BLOCKS_2021.replace("行政许可 | 6 | |||", "行政许可 | 6 | 3 | 7 |") + TAIL
    report = parse_text(text).to_json()
    assert report["active"]["licensing"] == {"decisions": None}
    assert report["active"]["punishment"] == {"decisions": 2}
    assert any("读到3个数，多于1列" in m for m in _messages(report))


def test_a_one_column_row_printed_once_per_spanned_column_is_read():
    # docling prints a merged cell in every column it spans: the same number three times is the one value.
    text = HEAD + BLOCKS_2021.replace("行政许可 | 6 | |||", "行政许可 | 6 | 6 | 6 |") + TAIL
    assert parse_text(text).to_json()["active"]["licensing"] == {"decisions": 6}


def _other_rows(rows: str) -> str:
    head = "某镇2021年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第(一)项 |\n"
    head += (
        "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n规章 | 0 | 0 | 0 |\n规范性文件 | 2 | 2 | 9 |\n"
    )
    head += "三、收到和处理政府信息公开申请情况\n"
    head += "一、本年新收政府信息公开申请数量 | 7 | 1 | 0 | 0 | 0 | 0 | 8 |\n"
    head += "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
    head += "三、本年度办理结果 | (一)予以公开 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |\n"
    return head + rows + "(七)总计 | 7 | 1 | 0 | 0 | 0 | 0 | 8 |\n四、政府信息公开行政复议、行政诉讼情况\n"


SPLIT_OTHER = (
    "(六)其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
    "3.其他 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
)


def test_a_2019_table_printing_the_2021_split_other_row_reads_its_sum_by_identity():
    # A transition year's template: 2019 表二 above a 2021 表三.  The 2019 （六） row is the three sub-rows' sum.
    report = parse_text(_other_rows(SPLIT_OTHER))
    assert report.format.id == "2019"
    cell = report.cells["requests.other_other.natural_person"]
    assert (cell.value, cell.placed, cell.raw) == (5, "identity", "2＋1＋2")
    assert "三项之和" in cell.identity
    assert report.to_json()["requests"]["other_other"] == [5, 0, 0, 0, 0, 0, 5]


def test_a_split_other_row_with_a_sub_row_that_does_not_add_up_stays_unread():
    broken = SPLIT_OTHER.replace("3.其他 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |", "3.其他 | 2 | 0 | 0 | 0 | 0 | 0 | 3 |")
    assert parse_text(_other_rows(broken)).to_json()["requests"]["other_other"] == [None] * 7


def test_a_cell_that_is_no_number_is_unreadable_not_missing():
    # "1234. 56": a space inside a number splits it into "1234." and "56"; the row is printed, its cell unreadable.
    text = HEAD + BLOCKS_2021.replace("行政事业性收费 | 1.5 |", "行政事业性收费 | 1234. 56 |") + TAIL
    report = parse_text(text).to_json()
    assert report["active"]["fees"] == {"amount_wan_yuan": None}
    [finding] = [f for f in report["findings"] if "active.fees.amount_wan_yuan" in (f.get("cells") or [])]
    assert finding["rule"] == "cells.ambiguous" and "“1234.”不能读成数字" in finding["message"]
