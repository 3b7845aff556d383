"""表二 rows printed as a label and nothing else, in text a cell a line whose blank cells are left out (a
traditional-character mirror of a 2020 report, a 2021 乡 report): blank, when every number of the table went to a
row.  The layout is the pages'; the numbers are made up."""

from __future__ import annotations

import io

import docx
import openpyxl

from gongkai.parse import parse_bytes, parse_text

HEAD = "某市国资委2020年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
BLOCK_ONE = """  第二十条第(一)项
  信息内容
本年新制作数量
本年新公开数量
对外公开总数量
  规章
0
0
0
  规范性文件
4
4
96
"""
BARE_BLOCKS = """  第二十条第(五)项
  信息内容
上一年项目数量
本年增/减
处理决定数量
  行政许可
其他对外管理服务事项
  第二十条第(六)项
  信息内容
上一年项目数量
本年增/减
处理决定数量
  行政处罚
  行政强制
  第二十条第(八)项
  信息内容
上一年项目数量
本年增/减
  行政事业性收费
  第二十条第(九)项
  信息内容
采购项目数量
采购总金额
  政府集中采购
"""
TAIL = "三、收到和处理政府信息公开申请情况\n"
BARE_ROWS = ("licensing", "other_services", "punishment", "enforcement", "fees", "procurement")


def _active(text: str) -> dict:
    return parse_text(text).to_json()["active"]


def test_rows_that_print_nothing_are_blank():
    active = _active(HEAD + BLOCK_ONE + BARE_BLOCKS + TAIL)
    assert active["normative_documents"] == {"new_made": 4, "new_published": 4, "total_published": 96}
    assert active["licensing"] == {"prev_items": 0, "delta": 0, "decisions": 0}
    assert active["procurement"] == {"projects": 0, "amount_wan_yuan": 0}
    report = parse_text(HEAD + BLOCK_ONE + BARE_BLOCKS + TAIL)
    cell = report.cells["active.punishment.decisions"]
    assert (cell.kind, cell.raw) == ("empty", "")


def test_a_number_no_row_took_keeps_the_bare_rows_unread():
    # A 5 printed after the last label belongs to some row, maybe one of those printed bare: none is blank.
    active = _active(HEAD + BLOCK_ONE + BARE_BLOCKS + "5\n" + TAIL)
    for row in BARE_ROWS:
        assert set(active[row].values()) == {None}, row


def test_labels_printed_above_their_values_leave_both_rows_unread():
    # Labels stacked above a run of values (text from a PDF): 1 2 3 may be 行政处罚's and 4 5 6 行政强制's, or
    # 1 2 3 行政强制's and 4 5 6 nobody's.  Neither row is blank, and neither takes values by guesswork.
    stacked = BARE_BLOCKS.replace("  行政处罚\n  行政强制\n", "  行政处罚\n  行政强制\n1\n2\n3\n4\n5\n6\n")
    report = parse_text(HEAD + BLOCK_ONE + stacked + TAIL).to_json()
    assert report["active"]["punishment"] == {"prev_items": None, "delta": None, "decisions": None}
    assert report["active"]["enforcement"] == {"prev_items": None, "delta": None, "decisions": None}
    assert any("多出的数不属于任何一行" in f["message"] for f in report["findings"])


def test_a_table_that_prints_no_number_at_all_stays_unread():
    # Every number lost (a table as an image, a broken text layer): blanks would be a guess.
    empty_one = BLOCK_ONE.replace("0\n0\n0\n", "").replace("4\n4\n96\n", "")
    active = _active(HEAD + empty_one + BARE_BLOCKS + TAIL)
    assert all(v is None for row in active.values() for v in row.values())


def test_a_row_without_cells_in_a_table_of_separated_cells_is_not_blank():
    # A web page's table: blank cells are printed as cells, so 行政强制 with none lies under a value cell merged
    # over both rows (rowspan): its own figure is not printed, and 0 would be a guess.
    html = """<html><body><h1>某县2022年政府信息公开工作年度报告</h1><p>二、主动公开政府信息情况</p><table>
<tr><td colspan="2">第二十条第（六）项</td></tr><tr><td>信息内容</td><td>本年处理决定数量</td></tr>
<tr><td>行政处罚</td><td rowspan="2">656</td></tr><tr><td>行政强制</td></tr>
<tr><td colspan="2">第二十条第（八）项</td></tr><tr><td>信息内容</td><td>本年收费金额（单位：万元）</td></tr>
<tr><td>行政事业性收费</td><td>12.5</td></tr></table><p>三、收到和处理政府信息公开申请情况</p></body></html>"""
    report = parse_text(html).to_json()
    active = report["active"]
    assert active["enforcement"] == {"decisions": None}
    # Nor is 656 行政处罚's own: it is the two rows' together.
    assert active["punishment"] == {"decisions": None}
    assert any("印在跨几行合并的单元格中" in f["message"] for f in report["findings"])
    assert active["fees"] == {"amount_wan_yuan": 12.5}


def test_a_number_merged_over_rows_in_a_word_table_is_no_rows():
    document = docx.Document()
    document.add_paragraph("某县2022年政府信息公开工作年度报告")
    document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=4, cols=2)
    for row, texts in zip(
        table.rows,
        (("第二十条第（六）项", ""), ("信息内容", "本年处理决定数量"), ("行政处罚", "656"), ("行政强制", "")),
        strict=True,
    ):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    table.cell(2, 1).merge(table.cell(3, 1))  # one figure for both rows
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    out = io.BytesIO()
    document.save(out)
    active = parse_bytes(out.getvalue(), "report.docx").to_json()["active"]
    assert active["punishment"] == {"decisions": None}
    assert active["enforcement"] == {"decisions": None}


# A sheet whose 行政处罚 figure (row 5) is merged down over 行政强制's cell (row 6).
MERGED_SHEET_ROWS = (
    ("某县2022年政府信息公开工作年度报告",),
    ("二、主动公开政府信息情况",),
    ("第二十条第（六）项",),
    ("信息内容", "本年处理决定数量"),
    ("行政处罚", 656),
    ("行政强制", None),
    ("三、收到和处理政府信息公开申请情况",),
)


def test_a_number_merged_over_rows_in_a_spreadsheet_is_no_rows():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in MERGED_SHEET_ROWS:
        sheet.append(row)
    sheet.merge_cells("B5:B6")  # one figure for both rows
    out = io.BytesIO()
    workbook.save(out)
    active = parse_bytes(out.getvalue(), "report.xlsx").to_json()["active"]
    assert active["punishment"] == {"decisions": None}
    assert active["enforcement"] == {"decisions": None}
