"""Glued 表三 rows (crawler text, `（一）予以公开1230000016`): a cut of a row's digits chosen only because its total is
the sum of its columns may fit by chance when the report's own figures do not add up (a typo).  Such a cut is read
only when the column identities confirm it; a run that cuts one way at all is the row as printed.  A note mark or a
superscript (①, ¹: the fold makes them digits) is no digit of a value, in a cell or in glued text."""

from __future__ import annotations

import copy
import random
from decimal import Decimal

import pytest

from gongkai.fitting.glued import GluedRun, _only_split
from gongkai.parse import parse_text
from gongkai.proving.synth_damage import damaged_report
from gongkai.reading.values import looks_numeric, parse_value
from gongkai.spec import FORMATS
from tests.test_layout_classes import GLUED

TITLE = "某区2021年政府信息公开工作年度报告 一、总体情况 无。"


def _report(text: str) -> dict:
    return parse_text(TITLE + text).to_json()


def _cells(data: dict) -> dict[str, dict]:
    return {c["path"]: c for c in data["cells"]}


def _reasons(data: dict) -> list[str]:
    return [f["message"] for f in data["findings"] if f["rule"] == "cells.ambiguous"]


# -- a typo in one row: the cut that adds up by chance is not read ------------------------------------------------


def test_a_typo_row_whose_digits_add_up_another_way_is_not_read():
    # 一、本年新收 prints 46 0 0 2 0 4 70 (64 mistyped): the digits also cut as 4 60 0 2 0 4 70, which adds up, and
    # was read as 4 natural persons and 60 commercial.  一＋二＝（七）＋四 fails for that cut: unread.
    data = _report(GLUED.replace("640020470", "460020470"))
    assert data["requests"]["new_received"] == [None] * 7
    assert any("460020470" in m and "勾稽关系不符" in m for m in _reasons(data))
    # The outcomes adding up to （七） do not involve 一: they confirm their rows.
    assert data["requests"]["total"] == [63, 0, 0, 2, 0, 4, 69]
    assert data["requests"]["granted"] == [27, 0, 0, 2, 0, 1, 30]
    assert data["requests"]["unavailable_not_held"] == [22, 0, 0, 0, 0, 3, 25]


def test_a_typo_in_the_total_row_leaves_every_cut_unconfirmed():
    # （七）总计 prints 36 … 69 (63 mistyped), which also cuts as 3 60 0 2 0 4 69: both identities involve （七）
    # and neither holds, so no row that cuts several ways is read; the rows the digits cut one way are.
    data = _report(GLUED.replace("630020469", "360020469"))
    for key in ("total", "new_received", "granted", "unavailable_not_held"):
        assert data["requests"][key] == [None] * 7, key
    assert data["requests"]["withheld_enforcement_file"] == [6, 0, 0, 0, 0, 0, 6]
    assert data["requests"]["carried_forward"] == [1, 0, 0, 0, 0, 0, 1]


def test_a_row_whose_cut_no_checkable_identity_involves_stays_unread():
    # 予以公开's digits cut no way that adds up: the outcomes' sum cannot be checked, so 本机关不掌握's one adding-up
    # cut (22 0 0 0 0 3 25) is not confirmed by anything; 一＋二＝（七）＋四 still confirms its own rows.
    data = _report(GLUED.replace("270020130", "270020131"))
    assert data["requests"]["granted"] == [None] * 7
    assert data["requests"]["unavailable_not_held"] == [None] * 7
    assert any("220000325" in m and "未能全部读出" in m for m in _reasons(data))
    assert data["requests"]["new_received"] == [64, 0, 0, 2, 0, 4, 70]
    assert data["requests"]["total"] == [63, 0, 0, 2, 0, 4, 69]
    assert data["requests"]["other_other"] == [1, 0, 0, 0, 0, 0, 1]


def test_an_identity_the_report_breaks_leaves_the_other_to_confirm_its_rows():
    # 部分公开 6 0 0 0 0 0 6 (seven digits: read as printed) makes the outcomes sum to 64, not 63, whatever the
    # other cuts: that identity confirms nothing, 一＋二＝（七）＋四 confirms 一 and （七）.
    data = _report(GLUED.replace("5000005", "6000006"))
    cells = _cells(data)
    assert data["requests"]["partially_granted"] == [6, 0, 0, 0, 0, 0, 6]
    assert cells["requests.partially_granted.total"]["placed"] == "label"
    assert data["requests"]["new_received"] == [64, 0, 0, 2, 0, 4, 70]
    assert data["requests"]["total"] == [63, 0, 0, 2, 0, 4, 69]
    assert cells["requests.total.natural_person"]["placed"] == "identity"
    assert data["requests"]["granted"] == [None] * 7
    assert any("270020130" in m and "勾稽关系不符" in m for m in _reasons(data))


def test_a_consistent_glued_table_is_read_with_its_cuts_marked_as_identity_placements():
    data = _report(GLUED)
    cells = _cells(data)
    assert data["requests"]["granted"] == [27, 0, 0, 2, 0, 1, 30]
    assert data["requests"]["unavailable_not_held"] == [22, 0, 0, 0, 0, 3, 25]
    assert cells["requests.granted.total"]["placed"] == "identity"  # 270020130 cuts several ways
    assert cells["requests.carried_over.total"]["placed"] == "label"  # 0000000 cuts one way


# -- a run that cuts one way at all ----------------------------------------------------------------------------------


def _run(digits: str, gaps: frozenset[int] = frozenset()) -> GluedRun:
    return GluedRun(digits, list(range(len(digits))), gaps=gaps)


@pytest.mark.parametrize(
    ("digits", "gaps", "expected"),
    [
        ("0000000", frozenset(), ["0"] * 7),
        ("1200003", frozenset(), ["1", "2", "0", "0", "0", "0", "3"]),
        ("100000001", frozenset(), ["100", "0", "0", "0", "0", "0", "1"]),  # a zero starts no number
        ("10000010", frozenset(), None),  # 10 0 0 0 0 1 0 or 1 0 0 0 0 0 10
        ("12000003", frozenset(), None),  # 12 0 0 0 0 0 3 or 1 20 0 0 0 0 3
        ("000000", frozenset(), None),  # too few digits
        ("12000012", frozenset(), None),
        (
            "12000012",
            frozenset(range(1, 7)),
            ["1", "2", "0", "0", "0", "0", "12"],
        ),  # "1 2 0 0 0 0 12": spaces end numbers
    ],
)
def test_a_run_is_established_by_position_only_when_it_cuts_one_way(digits, gaps, expected):
    only = _only_split([_run(digits, gaps)], 7)
    assert (None if only is None else [v.text for v in only]) == expected


def test_a_run_with_a_possible_ordinal_cuts_one_way_only_if_one_reading_cuts_at_all():
    full = _run("00000002")  # "…00000002重复申请": the 2 may be 2．重复申请's ordinal
    cut = GluedRun("0000000", full.starts[:7], with_ordinal=full)
    assert [v.text for v in _only_split([cut, full], 7) or []] == ["0"] * 7  # 0000000 2 cannot be 7 numbers
    assert _only_split([_run("1000001"), _run("10000012")], 7) is None  # both readings cut


# -- fuzz: generated glued reports with a typo in one 表三 row -----------------------------------------------------


def _typo(rng: random.Random, value: int) -> int:
    """The number with one slip of the pen: off by a little, a digit doubled, dropped or two swapped, a zero added."""
    text = str(value)
    kind = rng.randrange(5)
    if kind == 1:
        k = rng.randrange(len(text))
        return int(text[: k + 1] + text[k:])
    if kind == 2:
        return value * 10 if value else 1
    if kind == 3 and len(text) > 1:
        k = rng.randrange(len(text))
        return int(text[:k] + text[k + 1 :])
    if kind == 4 and len(text) > 1:
        k = rng.randrange(len(text) - 1)
        return int(text[:k] + text[k + 1] + text[k] + text[k + 2 :])
    delta = rng.choice((1, 1, 2, 3, 7, 10, 100))
    return value - delta if value >= delta and rng.random() < 0.4 else value + delta


def _with_typo(seed: int) -> tuple[str, dict] | None:
    """A generated glued report with one 表三 cell mistyped (the row no longer adds up), and what it prints."""
    rng = random.Random(f"glued8:{seed}")
    case = damaged_report(rng, "glued_cells")
    printed = case.truth["requests"]
    rows = [r for r in FORMATS[case.format].requests.rows if printed.get(r.key) is not None]
    # A slip in a number of two digits or more is the one whose digits can cut another way.
    rows = [r for r in rows if max(printed[r.key]) >= 10] or rows
    for _ in range(20):
        row = rng.choice(rows)
        old = printed[row.key]
        new = list(old)
        column = rng.choice([c for c in range(7) if old[c] >= 10] or range(7))
        new[column] = _typo(rng, old[column])
        before, after = row.label + "".join(map(str, old)), row.label + "".join(map(str, new))
        if new != old and case.text.count(before) == 1:
            truth = copy.deepcopy(case.truth)
            truth["requests"][row.key] = new
            return case.text.replace(before, after), truth
    return None


def _wrong(data: dict, truth: dict) -> list[tuple]:
    out = []
    for table in ("requests", "review_litigation"):
        for key, row in truth[table].items():
            got = data[table].get(key) or [None] * len(row or ())
            out += [(key, i, g, w) for i, (g, w) in enumerate(zip(got, row or (), strict=True)) if g not in (None, w)]
    for key, row in truth["active"].items():
        got = data["active"].get(key) or {}
        out += [(key, f, got.get(f), w) for f, w in row.items() if got.get(f) not in (None, w)]
    return out


def test_glued_reports_with_a_typo_in_a_requests_row_are_never_read_wrong():
    # Before, 18 of these 400 reports read a row's digits in a cut that added up by chance.
    cases = cells = read = 0
    for seed in range(400):
        made = _with_typo(seed)
        if made is None:
            continue
        text, truth = made
        data = parse_text(text).to_json()
        assert not _wrong(data, truth), (seed, _wrong(data, truth))
        cases += 1
        printed = {key: row for key, row in truth["requests"].items() if row is not None}
        cells += 7 * len(printed)
        read += sum(v is not None for key in printed for v in data["requests"][key])
    assert cases >= 380
    assert read > 0.85 * cells  # most cells are still read


# -- note marks and superscripts: the fold turns ① and ¹ into digits ------------------------------------------------


@pytest.mark.parametrize("cell", ["49①", "49¹", "4⁹", "49⑴", "49⒈", "㈠", "①", "12½", "4₉"])
def test_a_cell_with_a_note_mark_or_a_superscript_is_no_plain_number(cell):
    assert parse_value(cell) is None  # "49①" read as 491 before
    assert not looks_numeric(cell)


@pytest.mark.parametrize(("cell", "value"), [("49", 49), ("４９", 49), ("1,234", 1234), ("12.5万元", Decimal("12.5"))])
def test_plain_numbers_are_still_numbers(cell, value):
    assert parse_value(cell).value == value  # type: ignore[union-attr]


def test_a_superscript_after_a_glued_number_is_not_one_of_its_digits():
    # "行政许可229³": the fold reads ³ as 3, and the one number of the row was read as 2293.
    data = _report(GLUED.replace("行政许可2293", "行政许可229³"))
    assert data["active"]["licensing"] == {"decisions": 229}


@pytest.mark.parametrize("mark", ["①", "¹", "⑴", "⒈"])
def test_a_mark_between_glued_digits_leaves_the_row_unread(mark):
    # ⑴ and ⒈ stay themselves in the fold but are digits to str.isdigit: the reader crashed on int("⑴").
    data = _report(GLUED.replace("5000005", f"5{mark}000005"))
    assert data["requests"]["partially_granted"] == [None] * 7
    assert any(f"5{mark}000005" in m and "注释标记或上下标" in m for m in _reasons(data))
    assert data["requests"]["withheld_enforcement_file"] == [6, 0, 0, 0, 0, 0, 6]
    data = _report(GLUED.replace("10203120001200000", f"1020312000{mark}1200000"))
    assert data["review_litigation"]["review"] == [None] * 5


def test_a_mark_after_a_glued_label_is_not_read_with_its_digits():
    data = _report(GLUED.replace("不计其他情形）5000005", "不计其他情形）¹5000005"))
    assert data["requests"]["partially_granted"] == [5, 0, 0, 0, 0, 0, 5]


def test_glued_labels_numbered_with_ordinal_characters_are_found_and_their_digits_kept_apart():
    # "0000000⒉其他法律…": ⒉ was taken into the run before it, and int("0000000⒉") crashed the reader.  Now the
    # mark ends the run, and numbers the label as its 2 would.
    text = GLUED.replace("1.属于国家秘密", "⒈属于国家秘密").replace("2.其他法律", "⒉其他法律")
    data = _report(text.replace("1.本机关不掌握", "①本机关不掌握"))
    assert data["requests"]["withheld_state_secret"] == [0] * 7
    assert data["requests"]["withheld_law_forbids"] == [0] * 7
    assert data["requests"]["unavailable_not_held"] == [22, 0, 0, 0, 0, 3, 25]
    assert data["requests"]["withheld_enforcement_file"] == [6, 0, 0, 0, 0, 0, 6]
    assert data["requests"]["total"] == [63, 0, 0, 2, 0, 4, 69]


@pytest.mark.parametrize("mark", ["①", "¹"])
def test_a_prose_figure_with_a_note_mark_is_not_read_as_a_longer_number(mark):
    # "收到政府信息公开申请49①件": the fold reads ① as 1, and 收到申请 was 491.
    from gongkai.parse import parse_text

    text = "某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n全年共收到政府信息公开申请49{}件。\n"
    facts = {f.key: f.value for f in parse_text(text.format(mark)).facts}
    assert facts.get("requests_received") is None
    assert {f.key: f.value for f in parse_text(text.format("")).facts}.get("requests_received") == 49
