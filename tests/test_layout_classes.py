"""Real layout classes, written by hand: a value is placed by its label, by position among labelled rows, or by
the one placement the identities allow; otherwise it stays unread with a finding, never in a wrong cell."""

from __future__ import annotations

from gongkai.parse import parse_text
from tests.test_layouts import PDF_LIKE


def _cells(text: str) -> dict[str, dict]:
    return {c["path"]: c for c in parse_text(text).to_json()["cells"]}


def _findings(text: str, rule: str) -> list[dict]:
    return [f for f in parse_text(text).to_json()["findings"] if f["rule"] == rule]


def test_a_row_with_a_cell_missing_stays_unread_with_a_finding():
    text = PDF_LIKE.replace("（一）予以公开 3 1 0 0 0 0 4", "（一）予以公开 3 1 0 0 0 4")
    cells = _cells(text)
    assert all(cells[f"requests.granted.{c}"]["value"] is None for c in ("natural_person", "total"))
    [finding] = _findings(text, "cells.ambiguous")
    assert "requests.granted.total" in finding["cells"] and "少于7列" in finding["message"]


def test_a_stray_number_is_left_out_by_the_row_identity():
    # "22" of a wrapped "22（其中…）" cell or a page number lands in the row: the total says which one is extra.
    text = PDF_LIKE.replace("（一）予以公开 3 1 0 0 0 0 4", "（一）予以公开 3 1 0 0 0 0 4 9")
    cells = _cells(text)
    assert [cells[f"requests.granted.{c}"]["value"] for c in ("natural_person", "commercial", "total")] == [3, 1, 4]
    assert cells["requests.granted.total"]["placed"] == "identity"


def test_a_stray_number_that_fits_two_ways_leaves_the_row_unread():
    text = PDF_LIKE.replace("2．重复申请 0 0 0 0 0 0 0", "2．重复申请 0 0 0 0 0 0 0 0")
    cells = _cells(text)
    # every choice gives the same zeros: nothing is ambiguous about the numbers
    assert cells["requests.not_processed_duplicate.total"]["value"] == 0
    text = PDF_LIKE.replace("（一）予以公开 3 1 0 0 0 0 4", "（一）予以公开 3 1 0 1 0 0 0 4")
    cells = _cells(text)  # 3 1 0 0 0 0 4 or 3 0 1 0 0 0 4: both add up
    assert cells["requests.granted.commercial"]["value"] is None
    assert _findings(text, "cells.ambiguous")


def test_a_note_printed_in_a_value_cell_is_not_a_label():
    text = PDF_LIKE.replace("行政规范性文件 2 0 11", "行政规范性文件\n2\n（其中修订1件）\n0\n11")
    assert parse_text(text).to_json()["active"]["normative_documents"] == {"issued": 2, "repealed": 0, "in_force": 11}


MARKDOWN_FLOATING = """
三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）
| 一、本年新收政府信息公开申请数量 | 7 | 2 | 0 | 0 | 0 | 0 | 9 |
| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| （一）予以公开 | 3 | 1 | 0 | 0 | 0 | 0 | 4 |
| 1 | 0 | 0 | 0 | 0 | 0 | 1 |
|---|---|---|---|---|---|---|
（二）部分公开（区分处理的，只计这一情形，
2.其他法律行政法规禁止公开
| 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 2 | 0 | 0 | 0 | 0 | 0 | 2 |
"""


def test_markdown_rows_without_labels_take_their_place_between_labelled_rows():
    text = PDF_LIKE.replace(PDF_LIKE[PDF_LIKE.index("三、收到") : PDF_LIKE.index("3．危及")], MARKDOWN_FLOATING)
    text = text.replace("3．危及“三安全一稳定” 0 0 0 0 0 0 0", "| 3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |")
    cells = _cells(text)
    # the floating label "2.其他法律…" stands above 国家秘密's row: it is not trusted, position decides
    assert cells["requests.partially_granted.total"]["value"] == 1
    assert cells["requests.partially_granted.total"]["placed"] == "position"
    assert cells["requests.withheld_state_secret.total"]["value"] == 0
    assert cells["requests.withheld_law_forbids.total"]["value"] == 2
    assert cells["requests.withheld_law_forbids.natural_person"]["placed"] == "position"


GLUED = (
    "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件693665"
    "第二十条第（五）项信息内容本年处理决定数量行政许可2293第二十条第（六）项信息内容本年处理决定数量行政处罚1282"
    "行政强制42第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费24252.311"
    "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况"
    "自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
    "一、本年新收政府信息公开申请数量640020470二、上年结转政府信息公开申请数量0000000"
    "三、本年度办理结果（一）予以公开270020130（二）部分公开（区分处理的，只计这一情形，不计其他情形）5000005"
    "（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开00000003.危及“三安全一稳定”0000000"
    "4.保护第三方合法权益00000005.属于三类内部事务信息10000016.属于四类过程性信息0000000"
    "7.属于行政执法案卷60000068.属于行政查询事项1000001（四）无法提供1.本机关不掌握相关政府信息220000325"
    "2.没有现成信息需要另行制作00000003.补正后申请内容仍不明确0000000（五）不予处理1.信访举报投诉类申请0000000"
    "2.重复申请00000003.要求提供公开出版物00000004.无正当理由大量反复申请0000000"
    "5.要求行政机关确认或重新出具已获取信息0000000（六）其他处理"
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请0000000"
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请00000003.其他1000001"
    "（七）总计630020469四、结转下年度继续办理1000001 四、政府信息公开行政复议、行政诉讼情况"
    "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计"
    "结果维持结果纠正其他结果尚未审结总计10203120001200000五、存在的主要问题及改进情况无。"
)


def test_glued_cells_are_split_only_where_the_identities_allow_one_split():
    data = parse_text("某区2021年政府信息公开工作年度报告 一、总体情况 无。" + GLUED).to_json()
    assert data["active"]["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert data["active"]["licensing"] == {"decisions": 2293}
    # 693665 splits many ways into three numbers and 表二 has no identity: unread, with the reason
    assert data["active"]["normative_documents"] == {"issued": None, "repealed": None, "in_force": None}
    assert data["requests"]["new_received"] == [64, 0, 0, 2, 0, 4, 70]
    assert data["requests"]["unavailable_not_held"] == [22, 0, 0, 0, 0, 3, 25]
    assert data["requests"]["total"] == [63, 0, 0, 2, 0, 4, 69]
    assert data["review_litigation"]["review"] == [1, 0, 2, 0, 3]
    assert data["review_litigation"]["litigation_direct"] == [12, 0, 0, 0, 12]
    ambiguous = [f for f in data["findings"] if f["rule"] == "cells.ambiguous"]
    assert any("693665" in f["message"] for f in ambiguous)
    assert {"overview", "active", "requests", "review_litigation", "problems"} <= set(data["sections"])
    placed = {c["path"]: c.get("placed") for c in data["cells"]}
    assert placed["requests.new_received.total"] in ("label", "identity")


def test_glued_detection_leaves_space_separated_pdf_text_alone():
    from gongkai.fitting.glued import looks_glued

    assert not looks_glued("一、本年新收政府信息公开申请数量  0  0  0  0  0  0  0\n二、")
    assert not looks_glued("一、本年新收政府信息公开申请数量 7 12 0 0 0 0 19\n")
    assert looks_glued("一、本年新收政府信息公开申请数量230 000023二、上年结转")


def test_a_heading_numbered_differently_is_still_found():
    text = PDF_LIKE.replace("二、主动公开政府信息情况", "一、主动公开政府信息情况")
    assert "active" in parse_text(text).to_json()["sections"]


def test_a_label_one_character_off_is_that_row_with_a_hint():
    text = PDF_LIKE.replace("2．其他法律行政法规禁止公开 0 0 0 0 0 0 0", "2．其他法律行政止公开 0 0 0 0 0 0 0")
    text = text.replace("1．属于国家秘密 0 0 0 0 0 0 0", "1．数于国家秘密 0 0 0 0 0 0 0")
    data = parse_text(text).to_json()
    assert data["requests"]["withheld_law_forbids"] == [0] * 7
    assert data["requests"]["withheld_state_secret"] == [0] * 7
    hints = [f["found"] for f in data["findings"] if f["rule"] == "labels.nonstandard"]
    assert any("行政止公开" in h for h in hints) and any("数于国家秘密" in h for h in hints)
    assert not [f for f in data["findings"] if f["rule"] == "cells.missing"]


def test_labels_without_ordinals_and_cut_labels():
    text = PDF_LIKE.replace("一、本年新收政府信息公开申请数量 7 2", "本年新收政府信息公开申请数量 7 2")
    text = text.replace("（四）无法提供 1．本机关不掌握相关政府信息 1 1", "（四）无法提供 1．本机关不掌 1 1")
    text = text.replace("3．其他 0 0 0 0 0 0 0", "其他 0 0 0 0 0 0 0")

    data = parse_text(text).to_json()
    assert data["requests"]["new_received"] == [7, 2, 0, 0, 0, 0, 9]
    assert data["requests"]["unavailable_not_held"] == [1, 1, 0, 0, 0, 0, 2]
    assert data["requests"]["other_other"] == [0] * 7
    cut = PDF_LIKE.replace(
        "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0",
        "2．申请人逾 0 0 0 0 0 0 0\n期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    )
    assert parse_text(cut).to_json()["requests"]["other_overdue_fee"] == [0] * 7


def test_a_2021_report_with_the_single_other_row():
    start = PDF_LIKE.index("（六）其他处理")
    end = PDF_LIKE.index("（七）总计")
    text = PDF_LIKE[:start] + "（六）其他处理 0 0 0 0 0 0 0\n" + PDF_LIKE[end:]
    data = parse_text(text).to_json()
    assert data["format"] == "2021"
    assert data["requests"]["other_other"] == [0] * 7
    assert data["requests"]["other_overdue_correction"] is None and data["requests"]["other_overdue_fee"] is None
    rules = [f["rule"] for f in data["findings"]]
    assert rules.count("requests.other_not_split") == 1 and "cells.missing" not in rules


def test_review_table_as_three_tables_under_their_own_headings():
    start = PDF_LIKE.index("行政复议 行政诉讼")
    end = PDF_LIKE.index("五、存在")
    blocks = "".join(
        f"{name}\n结果维持 结果纠正 其他结果 尚未审结 总计\n{numbers}\n"
        for name, numbers in (
            ("行政复议", "0 1 0 0 1"),
            ("行政诉讼（未经复议直接起诉）", "2 0 0 1 3"),
            ("行政诉讼（复议后起诉）", "0 0 0 0 0"),
        )
    )
    data = parse_text(PDF_LIKE[:start] + blocks + PDF_LIKE[end:]).to_json()
    assert data["review_litigation"] == {
        "review": [0, 1, 0, 0, 1],
        "litigation_direct": [2, 0, 0, 1, 3],
        "litigation_after_review": [0, 0, 0, 0, 0],
    }


def test_identity_placed_values_are_marked_in_the_terminal():
    from rich.console import Console

    from gongkai.render import IDENTITY_NOTE, render_report

    report = parse_text("某区2021年政府信息公开工作年度报告 一、总体情况 无。" + GLUED)
    console = Console(width=200, record=True)
    console.print(render_report(report))
    shown = console.export_text()
    assert IDENTITY_NOTE in shown and "22*" in shown


def test_a_whole_blank_column_is_one_finding():
    from dataclasses import replace

    from gongkai.checking.checks import run_checks

    report = parse_text(PDF_LIKE)
    for row in report.format.requests.rows:
        if row.outcome:
            path = f"requests.{row.key}.total"
            report.cells[path] = replace(report.cells[path], value=0, kind="empty", raw="")
    findings = run_checks(report)
    [column] = [f for f in findings if f.rule == "cells.blank_column"]
    assert "总计" in column.message and len(column.cells) == sum(1 for r in report.format.requests.rows if r.outcome)
    assert not [f for f in findings if f.rule == "cells.blank"]  # not reported twice


def test_markdown_with_an_html_table_island_keeps_its_lines():
    from gongkai.reading.document import load_text

    island = (
        "<table><tr><td>行政复议</td><td>行政诉讼</td></tr>"
        "<tr><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td>" + "<td>0</td>" * 10 + "</tr></table>"
    )
    start = PDF_LIKE.index("行政复议 行政诉讼")
    end = PDF_LIKE.index("五、存在")
    text = PDF_LIKE[:start] + island + "\n" + PDF_LIKE[end:]
    doc = load_text(text)
    assert doc.kind == "text" and "四、结转下年度继续办理 1 0 0 0 0 0 1\n" in doc.text
    report = parse_text(text)
    data = report.to_json()
    assert data["review_litigation"]["review"] == [0, 1, 0, 0, 1]
    assert data["requests"]["carried_forward"] == [1, 0, 0, 0, 0, 0, 1]
    cell = report.cells["review_litigation.review.total"]
    assert text[cell.start : cell.end] == "1"  # evidence points into the source, inside the island


def test_a_label_standing_above_a_whole_row_of_values_is_not_trusted():
    # "（七）总计" and "四、结转…" printed above two unlabeled rows: each row by position, not the nearest label
    start = PDF_LIKE.index("（七）总计")
    end = PDF_LIKE.index("四、政府信息公开行政复议")
    rows = "（七）总计\n四、结转下年度继续办理\n| 6 | 2 | 0 | 0 | 0 | 0 | 8 |\n| 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
    data = parse_text(PDF_LIKE[:start] + rows + PDF_LIKE[end:]).to_json()
    assert data["requests"]["carried_forward"] in ([1, 0, 0, 0, 0, 0, 1], [None] * 7)
    assert data["requests"]["total"] in ([6, 2, 0, 0, 0, 0, 8], [None] * 7)


def test_a_cell_printed_alone_on_the_next_line_is_not_given_to_the_row_above():
    # "47（其中…）" stands between two rows of a PDF's text: it is the row below's as much as the row above's
    text = PDF_LIKE.replace("规章 0 0 0\n行政规范性文件 2 0 11", "规章 0 0\n47（其中新制定42件）\n行政规范性文件 2 11")
    data = parse_text(text).to_json()
    assert data["active"]["rules"] == {"issued": None, "repealed": None, "in_force": None}
    assert data["active"]["normative_documents"] == {"issued": None, "repealed": None, "in_force": None}
    # complete on its own line, the row keeps its values; the lone cell below stays out of it
    text = PDF_LIKE.replace("规章 0 0 0\n", "规章 0 0 0\n9（其中修订1件）\n")
    assert parse_text(text).to_json()["active"]["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}


def test_a_number_with_its_note_cut_at_the_line_end():
    text = PDF_LIKE.replace("行政规范性文件 2 0 11", "行政规范性文件  2（其中修订1件  0  11\n）")
    assert parse_text(text).to_json()["active"]["normative_documents"] == {"issued": 2, "repealed": 0, "in_force": 11}


def test_br_inside_markdown_cells_joins_the_cell_and_keeps_the_lines():
    from gongkai.reading.document import load_text

    text = PDF_LIKE.replace(
        "3．危及“三安全一稳定” 0 0 0 0 0 0 0", "| 3．危及“三安<br>全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    )
    text = text.replace("2．重复申请 0 0 0 0 0 0 0", "| 2．重<br/>复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |")
    doc = load_text(text)
    assert doc.kind == "text" and "| 3．危及“三安全一稳定” |" in doc.text and "行政规范性文件 2 0 11\n" in doc.text
    data = parse_text(text).to_json()
    assert data["requests"]["withheld_three_safety"] == [0] * 7
    assert data["active"]["normative_documents"] == {"issued": 2, "repealed": 0, "in_force": 11}
    assert not [f for f in data["findings"] if f["rule"] in ("cells.missing", "cells.ambiguous")]


def test_digit_runs_split_only_as_printed_numbers():
    from gongkai.fitting.glued import splits

    assert list(splits("000", 3)) == [["0", "0", "0"]]
    assert ["2", "30", "2"] in list(splits("2302", 3)) and ["23", "0", "2"] in list(splits("2302", 3))
    assert all(not (p.startswith("0") and p != "0") for cut in splits("100203", 4) for p in cut)
    assert list(splits("05.2", 2)) == [["0", "5.2"]]


def test_a_placement_is_kept_only_when_every_fitting_candidate_agrees():
    from gongkai.fitting.placement import unique_placement

    def total(numbers):
        return sum(numbers[:-1]) == numbers[-1]

    same = unique_placement([[0, 0, 0], [0, 0, 0]], lambda x: x, total)
    assert same is not None and same.placed == "label"
    chosen = unique_placement([[3, 1, 4], [3, 4, 1]], lambda x: x, total)
    assert chosen is not None and chosen.items == [3, 1, 4] and chosen.placed == "identity"
    assert unique_placement([[3, 1, 4], [1, 3, 4]], lambda x: x, total) is None  # both add up
    assert unique_placement([[3, 1, 5], [3, 5, 1]], lambda x: x, total) is None  # none adds up
    assert unique_placement([[1, 2], [2, 1]], lambda x: x, None) is None  # no identity to decide
