"""Red team round 7: shapes that made the fitter write a number the report does not print in that cell.  Each is
now read right where the text determines it, else left unread with a finding that says why.  Made-up numbers,
distinct and non-zero, every row and block adding up (so no identity check catches a shift by accident)."""

from __future__ import annotations

import random

import pytest

from gongkai.parse import parse_text
from gongkai.spec import FORMATS

_FMT = FORMATS["2021"]
_ROWS = _FMT.requests.rows
_H5 = "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计"
_BALANCE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况"
_SUB = "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他"
_ACTIVE = {
    "rules": [14, 5, 66],
    "normative_documents": [87, 8, 166],
    "licensing": [793],
    "punishment": [75],
    "enforcement": [272],
    "fees": [13],
}
_REVIEW = {
    "review": [19, 30, 26, 17, 92],
    "litigation_direct": [6, 12, 14, 21, 53],
    "litigation_after_review": [23, 18, 11, 4, 56],
}


def _requests(seed: int = 3) -> dict[str, list[int]]:
    """A 表三 whose rows add up (总计 = the six applicants) and whose columns balance (一＋二＝（七）＋四)."""
    rnd = random.Random(seed)
    table = {}
    for row in _ROWS:
        parts = [rnd.randint(1, 60) for _ in range(6)]
        table[row.key] = [*parts, sum(parts)]
    keys = [row.key for row in _ROWS]
    outcomes = keys[2:-2]
    table[keys[-2]] = [sum(table[k][c] for k in outcomes) for c in range(7)]
    table[keys[0]] = [table[keys[-2]][c] + table[keys[-1]][c] - table[keys[1]][c] for c in range(7)]
    return table


def _line(*cells: object) -> str:
    return " | ".join(map(str, cells))


def _active_text(active: dict[str, list[int]] = _ACTIVE, extra: tuple[int, str] | None = None) -> str:
    lines = [
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
        _line("规章", *active["rules"]),
        _line("行政规范性文件", *active["normative_documents"]),
        "第二十条第（五）项",
        "信息内容 | 本年处理决定数量",
        _line("行政许可", *active["licensing"]),
        "第二十条第（六）项",
        "信息内容 | 本年处理决定数量",
        _line("行政处罚", *active["punishment"]),
        _line("行政强制", *active["enforcement"]),
        "第二十条第（八）项",
        "信息内容 | 本年收费金额（单位：万元）",
        _line("行政事业性收费", *active["fees"]),
    ]
    if extra:
        lines.insert(*extra)
    return "\n".join(lines) + "\n"


def _requests_text(table: dict[str, list[int]], header: list[str] | None = None, order: list[int] | None = None) -> str:
    order = order or list(range(7))
    lines = ["三、收到和处理政府信息公开申请情况", *(header or [_BALANCE, "自然人 | 法人或其他组织 | 总计", _SUB])]
    lines += [_line(row.label, *(table[row.key][i] for i in order)) for row in _ROWS]
    return "\n".join(lines) + "\n"


def _review_text(review: dict[str, list[int]] = _REVIEW) -> str:
    values = review["review"] + review["litigation_direct"] + review["litigation_after_review"]
    return (
        "\n".join(
            [
                "四、政府信息公开行政复议、行政诉讼情况",
                "行政复议 | 行政诉讼",
                f"{_H5} | 未经复议直接起诉 | 复议后起诉",
                f"{_H5} | {_H5}",
                _line(*values),
            ]
        )
        + "\n"
    )


def _report(active: str | None = None, requests: str | None = None, review: str | None = None) -> dict:
    text = (
        "某县人民政府2022年政府信息公开工作年度报告\n一、总体情况\n本机关认真做好政府信息公开工作。\n"
        + (active if active is not None else _active_text())
        + (requests if requests is not None else _requests_text(_requests()))
        + (review if review is not None else _review_text())
        + "五、存在的主要问题及改进情况\n一是工作还需加强。\n六、其他需要报告的事项\n无。\n"
    )
    return parse_text(text).to_json()


def _messages(report: dict) -> list[str]:
    return [f["message"] for f in report["findings"]]


def test_the_standard_report_is_read_whole():
    report = _report()
    table = _requests()
    assert report["requests"] == {row.key: table[row.key] for row in _ROWS}
    assert report["review_litigation"] == _REVIEW
    assert report["active"]["rules"] == {"issued": 14, "repealed": 5, "in_force": 66}


# -- 表四 with its two parts in the other order ------------------------------------------------------------------


def test_a_review_table_printing_litigation_before_review_is_not_read_in_the_formats_order():
    # 行政诉讼 (two blocks) first, then 行政复议: the block names under 行政诉讼 are in the format's order, so only
    # the top line shows the swap.  Before, the litigation numbers went into 行政复议's cells.
    values = _REVIEW["litigation_direct"] + _REVIEW["litigation_after_review"] + _REVIEW["review"]
    review = (
        "\n".join(
            [
                "四、政府信息公开行政复议、行政诉讼情况",
                "行政诉讼 | 行政复议",
                f"未经复议直接起诉 | 复议后起诉 | {_H5}",
                f"{_H5} | {_H5}",
                _line(*values),
            ]
        )
        + "\n"
    )
    report = _report(review=review)
    assert report["review_litigation"] == {key: [None] * 5 for key in _REVIEW}
    assert any("表头栏目的顺序印为“行政诉讼、行政复议”" in m for m in _messages(report))


def test_a_review_web_table_printing_litigation_first_is_not_read_either():
    def tr(*cells: str) -> str:
        return "<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in cells) + "</tr>"

    h5 = _H5.split(" | ")
    values = _REVIEW["litigation_direct"] + _REVIEW["litigation_after_review"] + _REVIEW["review"]
    table = "".join(
        [
            tr('<td colspan="10">行政诉讼</td>', '<td colspan="5">行政复议</td>'),
            tr(
                '<td colspan="5">未经复议直接起诉</td>',
                '<td colspan="5">复议后起诉</td>',
                *[f'<td rowspan="2">{h}</td>' for h in h5],
            ),
            tr(*h5, *h5),
            tr(*map(str, values)),
        ]
    )
    html = (
        "<html><body><p>某县人民政府2022年政府信息公开工作年度报告</p><p>四、政府信息公开行政复议、行政诉讼情况</p>"
        f"<table>{table}</table><p>五、存在的主要问题及改进情况</p><p>无。</p></body></html>"
    )
    report = parse_text(html, kind="html").to_json()
    assert report["review_litigation"] == {key: [None] * 5 for key in _REVIEW}


# -- 表三 with 自然人 or 总计 beside the legal persons' columns ------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "order"),
    [
        # one header line, 自然人 after the five legal-person columns (no group name printed)
        ([_BALANCE, f"{_SUB} | 自然人 | 总计"], [1, 2, 3, 4, 5, 0, 6]),
        # the group's name on a line of its own, 自然人 and 总计 on the sub-columns' line
        ([_BALANCE, "法人或其他组织", f"{_SUB} | 自然人 | 总计"], [1, 2, 3, 4, 5, 0, 6]),
        # legal persons reordered as well: the header permutation must not take 自然人's column for 商业企业's
        ([_BALANCE, "科研机构 | 商业企业 | 社会公益组织 | 法律服务机构 | 其他 | 自然人 | 总计"], [2, 1, 3, 4, 5, 0, 6]),
    ],
)
def test_a_request_header_printing_natural_persons_after_the_legal_persons_is_not_read_by_position(header, order):
    table = _requests()
    report = _report(requests=_requests_text(table, header, order))
    assert all(v is None for row in report["requests"].values() for v in row)
    assert any("表头栏目的顺序印为“商业企业" in m or "表头栏目的顺序印为“科研机构" in m for m in _messages(report))


def test_a_request_header_of_one_line_in_the_formats_order_is_still_read():
    table = _requests()
    report = _report(requests=_requests_text(table, [_BALANCE, f"自然人 | {_SUB} | 总计"]))
    assert report["requests"]["granted"] == table["granted"]


def test_an_active_table_printing_its_labels_after_the_values_is_not_read_a_row_down():
    # "14 | 5 | 66 | 规章" then "87 | 8 | 166 | 行政规范性文件": the values after 规章 are the next row's.  Before,
    # 规章 took them (and 行政处罚 took 行政强制's 272) with no finding.
    rows = ("规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费")
    lines = []
    for line in _active_text().splitlines():
        label, *values = line.split(" | ")
        lines.append(_line(*values, label) if label in rows else line)
    report = _report(active="\n".join(lines) + "\n")
    assert report["active"]["rules"] == {"issued": None, "repealed": None, "in_force": None}
    assert report["active"]["punishment"] == {"decisions": None}
    assert any("本行标签之前印有数字" in m for m in _messages(report))


def test_a_serial_number_before_a_label_with_its_values_on_its_line_is_no_obstacle():
    rows = ("规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费")
    printed = _active_text().splitlines()
    lines = [f"{k} | {line}" if line.split(" | ")[0] in rows else line for k, line in enumerate(printed)]
    report = _report(active="\n".join(lines) + "\n")
    assert report["active"]["rules"] == {"issued": 14, "repealed": 5, "in_force": 66}
    assert report["active"]["punishment"] == {"decisions": 75}


# -- a reordered header whose labels are not all worded as the format words them ------------------------------------


def _active_with_header(header: str, order: list[int]) -> str:
    lines = _active_text().splitlines()
    lines[2] = header
    for i in (3, 4):
        label, *values = lines[i].split(" | ")
        lines[i] = _line(label, *(values[k] for k in order))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("header", "order"),
    [
        ("信息内容 | 现行有效数 | 本年制发件数 | 本年废止件数", [2, 0, 1]),  # the moved label mistyped
        ("信息内容 | 现行有效 | 制发 | 废止", [2, 0, 1]),  # every label shortened
        ("信息内容 | 本年制发件数 | 现行有效件 | 本年废止件数", [0, 2, 1]),  # the last two swapped, one cut
    ],
)
def test_an_active_header_reordered_with_a_label_off_the_standard_is_not_read_in_the_formats_order(header, order):
    report = _report(active=_active_with_header(header, order))
    assert report["active"]["rules"] == {"issued": None, "repealed": None, "in_force": None}
    assert any("有的栏目名称与规定格式不完全一致" in m for m in _messages(report))


def test_an_active_header_in_the_formats_order_with_shortened_labels_is_read():
    report = _report(active=_active_with_header("信息内容 | 制发 | 废止 | 现行有效", [0, 1, 2]))
    assert report["active"]["rules"] == {"issued": 14, "repealed": 5, "in_force": 66}


def test_a_request_header_reordered_with_a_label_off_the_standard_is_not_read_in_the_formats_order():
    header = [_BALANCE, "自然人 | 法人或其他组织 | 总计", "科研单位 | 商业企业 | 社会公益组织 | 法律服务机构 | 其他"]
    report = _report(requests=_requests_text(_requests(), header, [0, 2, 1, 3, 4, 5, 6]))
    assert all(v is None for row in report["requests"].values() for v in row)


def test_a_review_header_reordered_with_a_label_off_the_standard_is_not_read_in_the_formats_order():
    head = "纠正 | 结果维持 | 其他结果 | 尚未审结 | 总计"
    order = [1, 0, 2, 3, 4]
    values = [_REVIEW[k][i] for k in ("review", "litigation_direct", "litigation_after_review") for i in order]
    review = "\n".join(
        [
            "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议 | 行政诉讼",
            f"{head} | 未经复议直接起诉 | 复议后起诉",
            f"{head} | {head}",
            _line(*values),
        ]
    )
    report = _report(review=review + "\n")
    assert report["review_litigation"] == {key: [None] * 5 for key in _REVIEW}


def test_a_lone_number_after_a_row_whose_label_line_holds_none_is_not_taken_when_rows_print_on_their_lines():
    # Tab-separated rows, 行政处罚 printed with a blank cell and a page number "3" on the next line: before, 行政处罚
    # read 3.
    text = _active_text().replace("行政处罚 | 75", "行政处罚 | \n3").replace(" | ", "\t")
    report = _report(active=text)
    assert report["active"]["punishment"] == {"decisions": None}
    assert report["active"]["enforcement"] == {"decisions": 272}
    assert report["active"]["rules"] == {"issued": 14, "repealed": 5, "in_force": 66}


def test_a_row_wrapped_after_its_label_onto_a_line_with_separators_is_still_read():
    text = _active_text().replace("行政处罚 | 75", "行政处罚 |\n75 |")
    assert _report(active=text)["active"]["punishment"] == {"decisions": 75}


def test_values_printed_above_their_labels_one_a_line_are_not_read_a_row_down():
    # "75 / 行政处罚 / 272 / 行政强制" a cell a line: 75 belongs to no row read label-first, so the number after each
    # label may be the next row's.  Before, 行政处罚 read 272.
    lines = []
    for line in _active_text().splitlines():
        label, *values = line.split(" | ")
        lines += [*values, label] if label in ("行政处罚", "行政强制") else [label, *values]
    report = _report(active="\n".join(lines) + "\n")
    assert report["active"]["punishment"] == {"decisions": None}
    assert report["active"]["enforcement"] == {"decisions": None}
    assert report["active"]["licensing"] == {"decisions": 793}
    assert any("不属于任何一行的数" in m for m in _messages(report))


# -- a row printed twice -------------------------------------------------------------------------------------------


def _with_line(text: str, after_label: str, line: str, before: bool = False) -> str:
    lines = text.splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith(after_label + " |"))
    lines.insert(at if before else at + 1, line)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("before", [True, False])
def test_a_request_row_printed_twice_with_other_numbers_is_not_read(before):
    table = _requests()
    typo = [x + 2 for x in table["granted"][:6]]
    text = _with_line(_requests_text(table), "（一）予以公开", _line("（一）予以公开", *typo, sum(typo)), before)
    report = _report(requests=text)
    assert report["requests"]["granted"] == [None] * 7
    assert report["requests"]["partially_granted"] == table["partially_granted"]
    assert any("本行印了两次" in m for m in _messages(report))


def test_a_row_the_format_does_not_have_whose_label_starts_with_a_rows_is_not_taken_for_it():
    # “（一）予以公开（含部分）” reads as （一）予以公开 with a note; the real row follows: which is the row is unsure.
    table = _requests()
    text = _with_line(
        _requests_text(table), "（一）予以公开", _line("（一）予以公开（含部分）", 1, 2, 3, 4, 5, 6, 21), True
    )
    report = _report(requests=text)
    assert report["requests"]["granted"] == [None] * 7


def test_a_request_row_repeated_with_the_same_numbers_is_read():
    table = _requests()
    text = _with_line(_requests_text(table), "（一）予以公开", _line("（一）予以公开", *table["granted"]))
    assert _report(requests=text)["requests"]["granted"] == table["granted"]


@pytest.mark.parametrize("at", [3, 4])
def test_an_active_row_printed_twice_with_other_numbers_is_not_read(at):
    report = _report(active=_active_text(extra=(at, "规章 | 7 | 3 | 99")))
    assert report["active"]["rules"] == {"issued": None, "repealed": None, "in_force": None}
    assert report["active"]["normative_documents"] == {"issued": 87, "repealed": 8, "in_force": 166}
    assert any("本行印了两次" in m for m in _messages(report))


# -- a footnote mark the fold reads as a digit ---------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["①", "¹"])
def test_a_value_with_a_footnote_mark_is_not_read_as_a_longer_number(mark):
    table = _requests()
    text = _requests_text(table).replace(
        _line("（一）予以公开", *table["granted"]),
        _line("（一）予以公开", f"{table['granted'][0]}{mark}", *table["granted"][1:]),
    )
    report = _report(requests=text)
    granted = report["requests"]["granted"]
    assert granted[0] is None
    assert granted[1:] == table["granted"][1:]  # only the marked cell: the row keeps its places


@pytest.mark.parametrize("printed", ["1.2万", "12万元"])
def test_a_count_printed_with_a_money_unit_is_not_read_as_its_digits(printed):
    # Before, "1.2万" went into 行政许可's count as 1.2 (the 万 dropped), with no finding.
    active = {**_ACTIVE, "licensing": [printed]}
    report = _report(active=_active_text(active))
    assert report["active"]["licensing"] == {"decisions": None}
    assert report["active"]["punishment"] == {"decisions": 75}
    assert any(f"“{printed}”带有金额" in m for m in _messages(report))


# -- glued crawler text: a label's ordinal glued to the run before it ---------------------------------------------


def _glued(table: dict[str, list[int]]) -> str:
    def glue(text: str) -> str:
        return text.replace(" | ", "").replace("\n", "")

    body = _requests_text(table).split("\n", 1)[1]
    review = _review_text().split("\n", 1)[1]
    return (
        "某县人民政府2022年政府信息公开工作年度报告\n一、总体情况\n本机关认真做好政府信息公开工作。\n"
        + "二、主动公开政府信息情况\n"
        + glue(_active_text().split("\n", 1)[1])
        + "\n三、收到和处理政府信息公开申请情况\n"
        + glue(body)
        + "\n四、政府信息公开行政复议、行政诉讼情况\n"
        + glue(review)
        + "\n五、存在的主要问题及改进情况\n无。\n"
    )


def test_a_glued_row_followed_by_a_label_whose_ordinal_lost_its_point_is_split_both_ways():
    # "…24591612重复申请…": the 2 is 2．重复申请's ordinal, yet 6 10 253 7 245 91 612 also adds up (and was read).
    # Both readings compete now, and the columns' balance settles the row.
    table = _requests(10)
    assert table["not_processed_complaint"] == [6, 10, 25, 37, 24, 59, 161]
    report = parse_text(_glued(table).replace("．", "")).to_json()
    for key, row in report["requests"].items():
        assert all(got is None or got == want for got, want in zip(row, table[key], strict=True)), key
    assert report["requests"]["not_processed_complaint"] == table["not_processed_complaint"]


def test_glued_digits_the_text_prints_apart_are_never_joined_into_one_number():
    # A glued table whose 1．属于国家秘密 row prints its numbers apart, one of them lost: "49  50  1  29" is four
    # numbers, never 49 5 0 129 (49 5 0 129 1 8 192 adds up, and was read).
    table = _requests(1)
    assert table["withheld_state_secret"] == [49, 50, 1, 45, 29, 18, 192]
    text = _glued(table).replace("．", "").replace("49501452918192", "49  50  1  29  18  192", 1)
    report = parse_text(text).to_json()
    assert report["requests"]["withheld_state_secret"] == [None] * 7
    for key, row in report["requests"].items():
        assert all(got is None or got == want for got, want in zip(row, table[key], strict=True)), key


def test_a_dash_in_the_first_row_of_a_table_printed_with_spaces_does_not_make_it_read_as_glued():
    table = _requests()
    first = _line(_ROWS[0].label, *table["new_received"])
    dashed = _line(_ROWS[0].label, *table["new_received"][:3], "—", *table["new_received"][4:])
    text = _requests_text(table).replace(first, dashed).replace(" | ", "  ")
    report = _report(requests=text)
    assert report["requests"]["granted"] == table["granted"]
    assert report["requests"]["new_received"][:3] == table["new_received"][:3]
