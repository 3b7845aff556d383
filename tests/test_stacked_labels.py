"""Row labels printed one above the other before their rows' values (text of a PDF without -layout, a cell a line),
the first values after the last label are not that row's by position.  Found by reading the fitter's rules and
building the inputs that break them; the numbers are made up and every identity holds."""

from __future__ import annotations

from gongkai.parse import parse_text

HEAD = """某县人民政府2022年政府信息公开工作年度报告
三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）
申请人情况
自然人
法人或其他组织
总计
商业企业
科研机构
社会公益组织
法律服务机构
其他
一、本年新收政府信息公开申请数量
41
8
10
14
18
22
113
二、上年结转政府信息公开申请数量
4
1
1
1
1
1
9
三、本年度办理结果
"""
GRANTED = ["21", "2", "1", "3", "4", "6", "37"]
PARTLY = ["11", "5", "7", "8", "9", "12", "52"]
TOTAL = ["32", "7", "8", "11", "13", "18", "89"]
FORWARD = ["13", "2", "3", "4", "6", "5", "33"]


def _lines(*values: list[str]) -> str:
    return "".join(v + "\n" for row in values for v in row)


def test_two_labels_then_both_rows_values_leave_both_rows_unread():
    text = HEAD + "（一）予以公开\n（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n" + _lines(GRANTED, PARTLY)
    text += "（七）总计\n" + _lines(TOTAL) + "四、结转下年度继续办理\n" + _lines(FORWARD)
    requests = parse_text(text).to_json()["requests"]
    assert requests["partially_granted"] == [None] * 7  # not 予以公开's 21, 2, 1 …
    assert requests["total"] == [int(v) for v in TOTAL]


def test_the_last_two_labels_then_both_rows_values_leave_the_last_row_unread():
    text = HEAD + "（一）予以公开\n" + _lines(GRANTED) + "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n"
    text += _lines(PARTLY) + "（七）总计\n四、结转下年度继续办理\n" + _lines(TOTAL, FORWARD)
    requests = parse_text(text).to_json()["requests"]
    assert requests["carried_forward"] == [None] * 7  # not （七）总计's 32, 7, 8 …
    assert requests["granted"] == [int(v) for v in GRANTED]


def test_a_group_label_printed_as_a_row_of_its_own_is_not_its_first_rows_label():
    # Some templates give 三、本年度办理结果 its own row, its cells "/": they are not （一）予以公开's.
    text = HEAD.replace(HEAD[HEAD.index("（本列") :], "") + (
        "| 一、本年新收政府信息公开申请数量 | 41 | 8 | 10 | 14 | 18 | 22 | 113 |\n"
        "| 二、上年结转政府信息公开申请数量 | 4 | 1 | 1 | 1 | 1 | 1 | 9 |\n"
        "| 三、本年度办理结果 | / | / | / | / | / | / | / |\n"
        f"| （一）予以公开 | {' | '.join(GRANTED)} |\n"
        f"| （二）部分公开（区分处理的，只计这一情形，不计其他情形） | {' | '.join(PARTLY)} |\n"
    )
    requests = parse_text(text).to_json()["requests"]
    assert requests["granted"] == [int(v) for v in GRANTED]
    assert requests["partially_granted"] == [int(v) for v in PARTLY]


def test_a_request_table_whose_every_row_fails_its_total_is_not_read():
    # 总计 printed first, each header cell on a line of its own: nothing in the header shows the order, but no row
    # adds up read in the format's order.
    head = HEAD.replace("自然人\n法人或其他组织\n总计\n", "总计\n自然人\n法人或其他组织\n")
    rows = [GRANTED, PARTLY, TOTAL, FORWARD]
    text = head[: head.index("一、本年新收")]
    for label, values in zip(
        ("（一）予以公开", "（二）部分公开", "（七）总计", "四、结转下年度继续办理"), rows, strict=True
    ):
        text += label + "\n" + _lines([values[-1], *values[:-1]])
    report = parse_text(text).to_json()
    assert report["requests"]["granted"] == [None] * 7
    assert any("不是按规定的栏目顺序印的" in f["message"] for f in report["findings"])


def test_a_report_with_a_slip_in_some_totals_is_still_read():
    rows = [GRANTED, PARTLY, TOTAL]
    text = HEAD[: HEAD.index("一、本年新收")]
    for label, values in zip(("（一）予以公开", "（二）部分公开", "（七）总计"), rows, strict=True):
        text += label + "\n" + _lines(values)
    text = text.replace("\n37\n", "\n38\n")  # one row's total off by one: the report's slip, read as printed
    assert parse_text(text).to_json()["requests"]["granted"] == [21, 2, 1, 3, 4, 6, 38]
