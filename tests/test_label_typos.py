"""Cut and mistyped labels beyond 表三: 表二 row labels and column headers, 表四 headers, in text, markdown and HTML.

A label one character off names its row (with a labels.nonstandard hint) only when it is close to no other
label; close to two, neither row takes it, and the row stays unread with the reason.
"""

from __future__ import annotations

import pytest

from gongkai.parse import parse_text

ACTIVE = [
    ["第二十条第（一）项"],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "1", "0", "10"],
    ["行政规范性文件", "5", "2", "40"],
    ["第二十条第（五）项"],
    ["信息内容", "本年处理决定数量"],
    ["行政许可", "120"],
    ["第二十条第（六）项"],
    ["信息内容", "本年处理决定数量"],
    ["行政处罚", "33"],
    ["行政强制", "7"],
    ["第二十条第（八）项"],
    ["信息内容", "本年收费金额（单位：万元）"],
    ["行政事业性收费", "12.5"],
]
REVIEW = [
    ["行政复议", "行政诉讼"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
    ["1", "0", "0", "0", "1", "2", "1", "0", "0", "3", "0", "0", "0", "1", "1"],
]
REVIEW_VALUES = [1, 0, 0, 0, 1, 2, 1, 0, 0, 3, 0, 0, 0, 1, 1]
KINDS = ("text", "markdown", "html")


def _table(rows: list[list[str]], kind: str) -> str:
    if kind == "html":
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table>{body}</table>"
    if kind == "markdown":
        width = max(len(row) for row in rows)
        lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
        return "\n".join([lines[0], "|" + "---|" * width, *lines[1:]])
    return "\n".join("  ".join(row) for row in rows)


def _report(kind: str, active: list[list[str]] = ACTIVE, review: list[list[str]] = REVIEW) -> str:
    parts = [
        "某某市人民政府2021年政府信息公开工作年度报告",
        "一、总体情况",
        "本机关认真贯彻落实《条例》，全年主动公开政府信息。",
        "二、主动公开政府信息情况",
        _table(active, kind),
        "三、收到和处理政府信息公开申请情况",
        "本年度未收到政府信息公开申请。",
        "四、政府信息公开行政复议、行政诉讼情况",
        _table(review, kind),
        "五、存在的主要问题及改进情况",
        "无。",
        "六、其他需要报告的事项",
        "无。",
    ]
    if kind == "html":
        return "<html><body>" + "".join(f"<p>{p}</p>" if not p.startswith("<") else p for p in parts) + "</body></html>"
    return "\n".join(parts) + "\n"


def _replace(rows: list[list[str]], old: str, new: str, nth: int = 0) -> list[list[str]]:
    seen = 0
    out = []
    for row in rows:
        cells = []
        for cell in row:
            if cell == old:
                cells.append(new if seen == nth else cell)
                seen += 1
            else:
                cells.append(cell)
        out.append(cells)
    assert seen > nth
    return out


def _hints(report) -> dict[str, str]:
    return {f.found: f.expected for f in report.findings if f.rule == "labels.nonstandard"}


def _review(report) -> list:
    rows = ("review", "litigation_direct", "litigation_after_review")
    columns = ("maintained", "corrected", "other", "pending", "total")
    return [report.value(f"review_litigation.{r}.{c}") for r in rows for c in columns]


@pytest.mark.parametrize("kind", KINDS)
def test_the_clean_tables_read_in_every_kind(kind):
    report = parse_text(_report(kind))
    assert report.value("active.licensing.decisions") == 120
    assert report.value("active.normative_documents.in_force") == 40
    assert _review(report) == REVIEW_VALUES
    assert _hints(report) == {}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("standard", "printed", "path", "value"),
    [
        ("行政许可", "行政许司", "active.licensing.decisions", 120),  # one character replaced
        ("行政事业性收费", "行政事业性收", "active.fees.amount_wan_yuan", 12.5),  # cut at the end
        ("行政规范性文件", "行政规范性文仵", "active.normative_documents.in_force", 40),
    ],
)
def test_a_mistyped_or_cut_active_row_label_names_its_row(kind, standard, printed, path, value):
    report = parse_text(_report(kind, active=_replace(ACTIVE, standard, printed)))
    assert report.value(path) == value
    assert report.cells[path].matched_label == printed
    assert _hints(report) == {printed: standard}


@pytest.mark.parametrize("kind", KINDS)
def test_a_typo_close_to_two_active_rows_names_neither(kind):
    # 行政处制 is one character from 行政处罚 and from 行政强制.
    report = parse_text(_report(kind, active=_replace(ACTIVE, "行政处罚", "行政处制")))
    assert report.value("active.punishment.decisions") is None
    assert report.value("active.enforcement.decisions") == 7  # its own row, not the typo's 33
    reason = report.cells["active.punishment.decisions"].unread_reason
    assert "行政处制" in reason and "行政强制" in reason
    assert any(f.rule == "cells.ambiguous" and "行政处制" in f.message for f in report.findings)


@pytest.mark.parametrize("kind", KINDS)
def test_a_mistyped_active_column_header_is_a_hint(kind):
    report = parse_text(_report(kind, active=_replace(ACTIVE, "本年制发件数", "本年制法件数")))
    assert report.value("active.rules.issued") == 1 and report.value("active.normative_documents.in_force") == 40
    (hint,) = [f for f in report.findings if f.rule == "labels.nonstandard"]
    assert (hint.found, hint.expected) == ("本年制法件数", "本年制发件数")
    assert hint.cells == ["active.rules.issued", "active.normative_documents.issued"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("standard", "printed"), [("结果维持", "结果维待"), ("未经复议直接起诉", "未经复议直接起拆")])
def test_a_mistyped_review_header_is_skipped_and_hinted(kind, standard, printed):
    report = parse_text(_report(kind, review=_replace(REVIEW, standard, printed)))
    assert _review(report) == REVIEW_VALUES
    assert _hints(report) == {printed: standard}


def test_a_short_table_three_typo_close_to_two_rows_is_unread_with_a_reason():
    # 予分公开 is one character from 予以公开 and from 部分公开: neither row takes its values.
    requests = (
        "| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n"
        "| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
        "| 予分公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
        "| （二）部分公开（区分处理的，只计这一情形，不计其他情形） | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
    )
    report = parse_text(_report("markdown").replace("本年度未收到政府信息公开申请。", requests))
    assert report.value("requests.new_received.total") == 3
    assert report.value("requests.partially_granted.total") == 2
    assert report.value("requests.granted.total") is None
    assert "予分公开" in report.cells["requests.granted.total"].unread_reason


def test_the_label_hint_names_the_printed_and_the_standard_label():
    report = parse_text(_report("markdown", active=_replace(ACTIVE, "本年制发件数", "本年制法件数")))
    (hint,) = [f for f in report.findings if f.rule == "labels.nonstandard"]
    assert hint.message == "表格标签印作“本年制法件数”，规定格式为“本年制发件数”；已按规定格式的这一项读取，请核对。"


def test_a_label_differing_only_in_punctuation_and_spaces_gives_no_hint():
    from gongkai.checking.checks import _nonstandard_labels
    from gongkai.report import Cell
    from gongkai.spec import checks

    report = parse_text(_report("markdown"))
    path = "requests.not_processed_excessive.total"
    cell = report.cells[path]
    check = next(c for c in checks() if c.id == "labels.nonstandard")
    cases = (("（五）不予处理4.无正当理由大量反复申请", False), ("（五）不予处理4.无正当理由大量申请", True))
    for printed, hinted in cases:
        report.cells[path] = Cell(cell.path, cell.label, cell.value, cell.kind, matched_label=printed)
        assert bool(list(_nonstandard_labels(check, report))) is hinted, printed
