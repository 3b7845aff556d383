"""`pdftotext` text without -layout: a cell a line, and the labels of the rows beside a tall merged cell printed
after later rows while their values stay in place.  Such rows are placed by position only when the run of values
between the labelled rows is exactly theirs and every row adds up; otherwise they stay unread with a finding."""

from __future__ import annotations

import random

from gongkai.parse import parse_text
from gongkai.proving.evaluate import flatten
from gongkai.proving.synth_damage import damaged_report
from gongkai.spec import FORMATS

ROWS = list(FORMATS["2021"].requests.rows)  # type: ignore[union-attr]
HEAD = "\n".join(["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织"])
HEAD += "\n法律服务机构\n其他\n总计\n"


def _row(label: str | None, values: list[int]) -> str:
    return (f"{label}\n\n" if label else "") + "".join(f"{v}\n\n" for v in values)


def _values(key: str) -> list[int]:
    """Made-up rows that add up: 予以公开 12+3=15, 部分公开 4+1=5, every other outcome zero."""
    return {
        "new_received": [16, 4, 0, 0, 0, 0, 20],
        "granted": [12, 3, 0, 0, 0, 0, 15],
        "partially_granted": [4, 1, 0, 0, 0, 0, 5],
        "total": [16, 4, 0, 0, 0, 0, 20],
    }.get(key, [0] * 7)


def _report(granted_values: list[int] | None = None) -> str:
    """予以公开 and 部分公开 print their values after 上年结转's; their labels come after 1．本机关不掌握…'s row."""
    text = "某县人民政府2024年政府信息公开工作年度报告\n一、总体情况\n无。\n二、主动公开政府信息情况\n无。\n" + HEAD
    for row in ROWS:
        if row.key in ("granted", "partially_granted"):
            values = granted_values if granted_values and row.key == "granted" else _values(row.key)
            text += _row(None, values)
            continue
        text += _row(row.label, _values(row.key))
        if row.key == "unavailable_not_held":
            text += "（一）予以公开\n（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n三、本年度办理结果\n"
    return (
        text
        + "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"
    )


def test_rows_whose_labels_floated_down_are_placed_by_position():
    cells = {c["path"]: c for c in parse_text(_report()).to_json()["cells"]}
    assert [cells[f"requests.granted.{c}"]["value"] for c in ("natural_person", "commercial", "total")] == [12, 3, 15]
    assert cells["requests.partially_granted.total"]["value"] == 5
    assert cells["requests.granted.total"]["placed"] == "position"
    # the rows after them keep their own labels
    assert cells["requests.withheld_state_secret.total"]["value"] == 0
    assert cells["requests.total.total"]["value"] == 20


def test_a_run_that_does_not_add_up_leaves_the_rows_unread_with_a_finding():
    report = parse_text(_report(granted_values=[12, 3, 0, 0, 0, 0, 16])).to_json()
    cells = {c["path"]: c for c in report["cells"]}
    assert cells["requests.granted.total"]["value"] is None
    assert cells["requests.partially_granted.total"]["value"] is None
    assert any("行名不在原位" in f["message"] for f in report["findings"] if f["rule"] == "cells.ambiguous")
    assert not [f for f in report["findings"] if f["rule"] == "cells.missing" and "公开申请" in f["message"]]
    assert not [f for f in report["findings"] if f["rule"] == "cells.missing" and "予以公开" in f["message"]]


def test_generated_floating_labels_are_read_whole():
    for seed in range(10):
        case = damaged_report(random.Random(f"floating:{seed}"), "floating_labels")
        got = flatten(parse_text(case.text).to_json())
        truth = {p: v for p, v in flatten(case.truth).items() if p.startswith("requests.") and v is not None}
        assert {p: got.get(p) for p in truth} == truth, seed
