"""Layouts found on real published pages (湖北's annotated 2019 template, cells a line with blank rows as lone
`|` lines), written here with made-up numbers."""

from __future__ import annotations

from decimal import Decimal

from gongkai.parse import parse_text
from gongkai.reading.tokens import tokenize

ANNOTATED = """某镇2020年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第(一)项

信息内容

本年新制作数量

本年新公开数量

对外公开总数量

规章(设区的市、自治州人民政府应提供相关数据)

1

2

3

规范性文件(行政机关制定发布的决定、公告、通告、意见、通知,以及标题采用“规定”“办法”等字样的公文)

21

5

40

其他主动公开文件(含以本单位名义正式签发的、除规范性文件以外的主动公开文件)

9

9

9

第二十条第(五)项

信息内容

上一年项目数量

本年增/减

处理决定数量

行政许可

8

5

93

其他对外管理服务事项(指行政许可以外的政务服务事项,如行政处罚、行政强制以外的事项)

117

0

165
"""


def test_a_row_label_with_the_templates_note_in_brackets_is_its_row():
    active = parse_text(ANNOTATED).to_json()["active"]
    assert active["rules"] == {"new_made": 1, "new_published": 2, "total_published": 3}
    assert active["normative_documents"] == {"new_made": 21, "new_published": 5, "total_published": 40}
    assert active["other_services"] == {"prev_items": 117, "delta": 0, "decisions": 165}
    assert active["licensing"]["decisions"] == 93  # 行政处罚、行政强制 in a note are not those rows' labels
    assert active["punishment"] is None or active["punishment"]["decisions"] is None


BLANK_ROWS = """某局2022年政府信息公开工作年度报告
三、收到和处理政府信息公开申请情况
(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) |
申请人情况 |
自然人 |
法人或其他组织 |
总计 |
商业企业 |
科研机构 |
社会公益组织 |
法律服务机构 |
其他 |
一、本年新收政府信息公开申请数量 |
3 |
|
|
|
|
|
3 |
||
二、上年结转政府信息公开申请数量 |
|
|
|
|
|
|
|
||
三、本年度办理结果 |
(一)予以公开 |
3 |
|
|
|
|
|
3 |
|
(二)部分公开(区分处理的,只计这一情形,不计其他情形) |
|
|
|
|
|
|
|
||
(三)不予公开 |
1.属于国家秘密 |
|
|
|
|
|
|
|
|
2.其他法律行政法规禁止公开 |
"""


def test_a_row_of_lone_bar_lines_is_a_row_of_blanks():
    cells = {c["path"]: c for c in parse_text(BLANK_ROWS).to_json()["cells"]}
    for row in ("carried_over", "partially_granted", "withheld_state_secret"):
        assert [cells[f"requests.{row}.{c}"]["value"] for c in ("natural_person", "other_org", "total")] == [0, 0, 0]
        assert cells[f"requests.{row}.total"]["kind"] == "empty"  # shown blank, counted as 0
    assert cells["requests.new_received.total"]["value"] == 3


ROW_OPENERS = """某区政府办公室2022年政府信息公开工作年度报告
二、主动公开政府信息情况
|
第二十条第(一)项 | |||
|
信息内容 |
本年制发件数 |
本年废止件数 |
现行有效件数 |
|
规章 |
2 |
1 |
|
|
行政规范性文件 |
6 |
3 |
17 |
|
第二十条第(五)项 | |||
"""


def test_a_blank_last_cell_before_the_next_rows_opening_bar_is_blank():
    # Every row opens with a lone "|" line: two bare line breaks after 规章's values are its blank cell and the
    # next row's opening; one alone would only end the row.
    active = parse_text(ROW_OPENERS).to_json()["active"]
    assert active["rules"] == {"issued": 2, "repealed": 1, "in_force": 0}
    assert active["normative_documents"] == {"issued": 6, "repealed": 3, "in_force": 17}
    one_break = ROW_OPENERS.replace("1 |\n|\n|\n行政规范性文件", "1 |\n|\n行政规范性文件")
    assert parse_text(one_break).to_json()["active"]["rules"]["in_force"] is None


def test_a_minus_typed_twice_is_a_minus():
    # 2019 format 本年增/减 of a page: "行政处罚 | 253 | --253 | 0 |" (all 253 items dropped this year)
    text = ANNOTATED.replace("行政许可\n\n8\n\n5\n\n93", "行政许可\n\n8\n\n--8\n\n93")
    assert parse_text(text).to_json()["active"]["licensing"] == {"prev_items": 8, "delta": -8, "decisions": 93}


PROCUREMENT = """某区审批局2020年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第(九)项 |
信息内容 | 采购项目数量 | 采购总金额 |
政府集中采购 | 3 | 1035000 |
三、收到和处理政府信息公开申请情况
"""


def _procurement(text: str) -> tuple[dict, list[dict]]:
    report = parse_text(text).to_json()
    cell = next(c for c in report["cells"] if c["path"] == "active.procurement.amount_wan_yuan")
    return cell, [f for f in report["findings"] if f["rule"] == "cells.unit_assumed"]


def test_an_amount_with_no_unit_printed_anywhere_is_flagged_when_it_looks_like_yuan():
    # The 2019 format prints no unit for 采购总金额: 万元 is an assumption, and 1035000 looks like 元.
    cell, findings = _procurement(PROCUREMENT)
    assert cell["value"] == 1035000 and "unit" not in cell
    [finding] = findings
    assert "103.5万元" in finding["message"]
    # 52.15 is plausibly 万元: no warning, but still no unit claimed
    cell, findings = _procurement(PROCUREMENT.replace("1035000", "52.15"))
    assert float(cell["value"]) == 52.15 and "unit" not in cell and not findings
    # A unit in the header or the cell is what it says
    cell, findings = _procurement(PROCUREMENT.replace("| 采购总金额 |", "| 采购总金额（万元） |"))
    assert cell["unit"] == "万元" and not findings
    cell, findings = _procurement(PROCUREMENT.replace("1035000", "1035000元"))
    assert float(cell["value"]) == 103.5 and cell["unit"] == "元" and not findings


def test_an_amount_with_no_unit_is_judged_per_project():
    # A township's one project of 6350 "万元" is 63.5 million yuan: more likely 6350 元.
    [finding] = _procurement(PROCUREMENT.replace("| 3 | 1035000 |", "| 1 | 6350 |"))[1]
    assert "1个项目，平均每项6350万元" in finding["message"] and "0.635万元" in finding["message"]
    # 12000 万元 over 40 projects is 300 万元 each: a plausible amount in 万元.
    assert not _procurement(PROCUREMENT.replace("| 3 | 1035000 |", "| 40 | 12000 |"))[1]
    # With no project counted the whole amount is judged.
    [finding] = _procurement(PROCUREMENT.replace("| 3 | 1035000 |", "| 0 | 6350 |"))[1]
    assert "项目数为0" in finding["message"]


def _paragraphs(rows: list[tuple[str, list[str]]]) -> str:
    """Cells a paragraph each (an empty line after a filled cell), a blank cell one line break more."""
    out = "某镇2023年政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n\n"
    for head in ("申请人情况", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织"):
        out += head + "\n\n"
    out += "法律服务机构\n\n其他\n\n"
    for label, cells in rows:
        out += label + "\n\n" + "".join("\n" if c == "" else f"{c}\n\n" for c in cells)
    return out + "四、政府信息公开行政复议、行政诉讼情况\n\n"


def test_a_blank_cell_is_one_more_line_break_among_paragraph_cells():
    blank = [""] * 7
    text = _paragraphs(
        [
            ("一、本年新收政府信息公开申请数量", ["9", "", "", "3", "", "", "12"]),
            ("二、上年结转政府信息公开申请数量", blank),
            ("三、本年度办理结果", []),
            ("(一)予以公开", ["", "", "", "3", "", "", "3"]),
            ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", blank),
            ("(三)不予公开", []),
            ("1.属于国家秘密", ["9", "", "", "", "", "", "9"]),
        ]
        + [(label, blank) for label in ("2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益")]
        + [(label, blank) for label in ("5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷")]
        + [("8.属于行政查询事项", blank), ("(四)无法提供", []), ("1.本机关不掌握相关政府信息", blank)]
    )
    cells = {c["path"]: c["value"] for c in parse_text(text).to_json()["cells"]}
    assert [cells[f"requests.new_received.{c}"] for c in ("natural_person", "public_interest", "total")] == [9, 3, 12]
    assert cells["requests.new_received.commercial"] == 0
    assert [cells[f"requests.granted.{c}"] for c in ("natural_person", "public_interest", "total")] == [0, 3, 3]
    assert cells["requests.carried_over.total"] == 0 and cells["requests.partially_granted.natural_person"] == 0
    assert [cells[f"requests.withheld_state_secret.{c}"] for c in ("natural_person", "total")] == [9, 9]


def test_a_table_of_contents_page_number_is_no_cell():
    # A flipbook's contents page: "四、…情况 .......... 12" is a heading and its page, not a row and its value.
    toc = "".join(
        f"{heading} .......... {page}\n"
        for heading, page in (
            ("一、总体情况", 1),
            ("三、收到和处理政府信息公开申请情况", 8),
            ("四、政府信息公开行政复议、行政诉讼情况", 12),
        )
    )
    tokens = tokenize(toc)
    assert [t.text for t in tokens][-1] == "四、政府信息公开行政复议、行政诉讼情况 .......... 12"
    assert not any(t.numeric for t in tokens)
    report = parse_text("某厅2019年政府信息公开工作年度报告\n目录\n" + toc).to_json()
    assert not [f for f in report["findings"] if f["rule"] == "cells.ambiguous"]


def test_a_money_unit_printed_in_the_row_label_is_the_cells():
    text = """某县人民政府2022年政府信息公开工作年度报告
二、主动公开政府信息情况
| 第二十条第（八）项 |||
| 信息内容 | 本年收费金额 |
| 行政事业性收费（单位：元） | 435000 |
三、收到和处理政府信息公开申请情况
"""
    report = parse_text(text)
    cell = report.cells["active.fees.amount_wan_yuan"]
    assert (cell.value, cell.unit) == (Decimal("43.5"), "元")
