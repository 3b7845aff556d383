"""The generator of publishing damage keeps the truth of every printed cell and knows which cells the text loses."""

from __future__ import annotations

import itertools
import json
import random

import pytest

from gongkai.proving.evaluate import evaluate_damaged, flatten
from gongkai.proving.synth_damage import (
    DAMAGES,
    _parts_with_total,
    _review_splits,
    _row_splits,
    damage_case,
    damaged_report,
    write_damaged,
)


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_every_class_writes_a_report_whose_truth_is_printed(damage):
    case = damaged_report(random.Random(7), damage)
    assert case.damage == damage and "三、收到和处理政府信息公开申请情况" in case.text
    cells = flatten(case.truth)
    assert len(cells) > 150
    assert case.undetermined <= set(cells)
    for path, value in cells.items():
        if value is not None and value >= 10:  # each printed number is in the text (small ones are everywhere)
            assert str(value) in case.text, (damage, path, value)


def test_a_seed_reproduces_the_document():
    assert damage_case(3, 5).text == damage_case(3, 5).text
    assert damage_case(3, 5).text != damage_case(4, 5).text


def test_the_single_other_row_moves_the_truth():
    case = damaged_report(random.Random(1), "single_other_row")
    requests = case.truth["requests"]
    assert case.format == "2021"
    assert requests["other_overdue_correction"] is None and requests["other_overdue_fee"] is None
    assert "（六）其他处理" in case.text and "逾期不补正" not in case.text
    assert requests["total"][6] == sum(
        v[6] for k, v in requests.items() if v and k not in ("new_received", "carried_over", "total", "carried_forward")
    )


def test_plain_lines_print_the_active_figures_outside_a_grid():
    case = damaged_report(random.Random(2), "active_plain_lines")
    licensing = case.truth["active"]["licensing"]["decisions"]
    plain = f"行政许可 {licensing}"
    piped = f"| 行政许可 | {licensing} |"
    assert plain in case.text.splitlines() or piped in case.text


def _brute_force(s: str, n: int) -> list[list[str]]:
    out = []
    for cuts in itertools.combinations(range(1, len(s)), n):
        parts = [s[a:b] for a, b in zip((0, *cuts), (*cuts, len(s)), strict=True)]
        if any(len(p) > 1 and p[0] == "0" for p in parts):
            continue
        if sum(int(p) for p in parts[:-1]) == int(parts[-1]):
            out.append(parts)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_the_splits_of_glued_digits_are_all_found(seed):
    rng = random.Random(seed)
    values = [rng.choice((0, 0, 1, 2, 5, 11, 12, 30, 105)) for _ in range(6)]
    s = "".join(map(str, [*values, sum(values)]))
    found = sorted(parts for parts, end in _parts_with_total(s, 6) if end == len(s))
    assert found == sorted(_brute_force(s, 6))
    assert [int(p) for p in found[0]] in _row_splits(s) or len(found) == 0


def test_glued_review_digits_are_split_by_the_block_totals():
    assert list(_review_splits("0" * 15)) == [["0"] * 15]
    # 1+1+0+0=2 | 0 0 0 0 0 | 1 0 0 0 1: the only cut where every block's total is its sum
    assert list(_review_splits("11002" + "00000" + "10001")) == [[*"11002", *"00000", *"10001"]]
    # 10+1+0+0=11 and 1+0+10+0=11 print the same digits: the text does not determine the block
    assert len(list(_review_splits("1010011" + "00000" + "00000"))) == 2


def test_a_glued_row_has_one_split_or_several():
    assert _row_splits("1200003") == [[1, 2, 0, 0, 0, 0, 3]]
    assert sorted(_row_splits("101000011")) == [[1, 0, 10, 0, 0, 0, 11], [10, 1, 0, 0, 0, 0, 11]]


def test_written_damaged_reports_carry_their_undetermined_cells(tmp_path):
    paths = write_damaged(tmp_path, 2, damages=["glued_cells", "label_typo"])
    docs = [json.loads(p.with_name(p.stem + ".expected.json").read_text(encoding="utf-8")) for p in paths]
    assert [d["damage"] for d in docs] == ["glued_cells", "label_typo"]
    assert all(isinstance(d["undetermined"], list) and d["schema"] == "gongkai.report/v1" for d in docs)


def test_the_damaged_evaluation_counts_per_class():
    result = evaluate_damaged(len(DAMAGES))
    assert set(result["by_damage"]) == set(DAMAGES)
    t = result["totals"]
    assert t["reports"] == len(DAMAGES) and t["cells"] > 2000 and t["crashed"] == 0
    assert t["right"] + t["unread"] + t["unread_allowed"] <= t["cells"]
    assert t["recovered"] == t["right"] / t["cells"]


def test_the_cli_writes_damaged_reports_and_refuses_an_unknown_class(tmp_path):
    from typer.testing import CliRunner

    from gongkai.cli import app

    run = CliRunner().invoke(app, ["synth", str(tmp_path / "out"), "-n", "2", "--damage", "glued_cells"])
    assert run.exit_code == 0, run.output
    assert len(list((tmp_path / "out").glob("*.expected.json"))) == 2
    run = CliRunner().invoke(app, ["synth", str(tmp_path / "bad"), "--damage", "no_such_damage"])
    assert run.exit_code == 2 and "未知的损坏类别" in run.output and "Traceback" not in run.output


def test_a_value_read_wrong_in_a_damaged_report_is_counted_and_listed(monkeypatch):
    from gongkai.proving import evaluate

    real = evaluate.parse_text

    def one_cell_off(text):
        report = real(text)
        cell = next(c for c in report.cells.values() if c.present and c.path.startswith("requests."))
        cell.value += 1
        return report

    monkeypatch.setattr(evaluate, "parse_text", one_cell_off)
    result = evaluate_damaged(3)
    assert result["totals"]["wrong"] == 3 and len(result["failures"]) == 3
    assert all(len(f["wrong"]) == 1 for f in result["failures"])
