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
