"""Round trip: synthetic reports with known tables, rendered in every layout, parsed back.

The generator (gongkai.proving.synth) draws tables whose identities hold, writes them as
a whole report in one of the published layouts with real-world noise, and the
parser must read back every cell exactly and find nothing wrong.  Breaking one
count cell must produce an error that names that cell, and the cell must be read
as printed.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.parse import parse_text
from gongkai.proving.evaluate import table_differences as differences
from gongkai.proving.synth import (
    FORMAT_IDS,
    LAYOUTS,
    make_report,
    perturb,
    random_tables,
    render,
)
from gongkai.spec import FORMATS

CASES = [pytest.param(f, layout, id=f"{f}-{layout}") for f in FORMAT_IDS for layout in LAYOUTS]
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
BUDGET = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TABLE_KEYS = ("format", "active", "requests", "review_litigation")


def _errors(report_json: dict) -> list[dict]:
    return [f for f in report_json["findings"] if f["severity"] == "error"]


def _describe(findings: list[dict]) -> str:
    return "\n".join(f"  {f['rule']}: {f['message']} {f['cells'][:4]}" for f in findings)


# ---------------------------------------------------------------------------
# The generator itself
# ---------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(seed=SEEDS, format_id=st.sampled_from(FORMAT_IDS))
def test_generated_tables_keep_every_identity(seed, format_id):
    tables = random_tables(random.Random(seed), format_id)
    fmt = FORMATS[format_id]
    req = tables["requests"]
    assert set(req) == {r.key for r in fmt.all_requests_rows()}
    outcomes = [r.key for r in fmt.requests.rows if r.outcome]
    for i in range(7):
        assert req["new_received"][i] + req["carried_over"][i] == req["total"][i] + req["carried_forward"][i]
        assert req["total"][i] == sum(req[key][i] for key in outcomes)
    for key, values in req.items():
        if values is None:
            assert format_id == "2019" and key in ("other_overdue_correction", "other_overdue_fee")
            continue
        assert len(values) == 7 and values[6] == sum(values[:6]) and min(values) >= 0
    for values in tables["review_litigation"].values():
        assert len(values) == 5 and values[4] == sum(values[:4]) and min(values) >= 0
    expected_active = {(row.key, f.key) for block in fmt.active for row in block.rows for f in block.fields}
    assert {(row, key) for row, fields in tables["active"].items() for key in fields} == expected_active


def test_generation_is_deterministic():
    for seed in range(5):
        assert make_report(seed) == make_report(seed)


@pytest.mark.parametrize("format_id", FORMAT_IDS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_renders_the_labels(layout, format_id):
    tables = random_tables(random.Random(1), format_id)
    text = render(tables, layout, random.Random(2), noise=False)
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "五、", "六、"):
        assert heading in text
    for label in (
        "政府信息公开工作年度报告",
        "第二十条第（一）项",
        "第二十条第（八）项",
        "信息内容",
        "申请人情况",
        "法人或其他组织",
        "一、本年新收政府信息公开申请数量",
        "（三）不予公开",
        "（七）总计",
        "四、结转下年度继续办理",
        "未经复议直接起诉",
        "复议后起诉",
        "尚未审结",
    ):
        assert label in text, label
    markers = ("本年制发件数", "现行有效件数") if format_id == "2021" else ("本年新制作数量", "第二十条第（九）项")
    for marker in markers:
        assert marker in text
    if format_id == "2021":
        assert "3．其他" in text and "（六）其他处理" in text
    else:
        assert "3．其他" not in text and "（六）其他处理" in text
    if layout == "html":
        assert text.lstrip().startswith("<!DOCTYPE html>")
        assert 'rowspan="3" colspan="3"' in text and 'colspan="7"' in text and "<td" in text
    elif layout == "markdown":
        assert "|---" in text or "|:---:" in text or "|----" in text
    elif layout == "tabs":
        assert "\t" in text
    else:
        assert " |" in text or "\n|\n" in text


# ---------------------------------------------------------------------------
# Round trip
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(("format_id", "layout"), CASES)
@BUDGET
@given(seed=SEEDS, noise=st.booleans())
def test_roundtrip_reads_every_cell(format_id, layout, seed, noise):
    rng = random.Random(seed)
    tables = random_tables(rng, format_id)
    text = render(tables, layout, rng, noise=noise)
    report = parse_text(text).to_json()
    got = {key: report[key] for key in TABLE_KEYS}
    diffs = differences(tables, got)
    assert not diffs, f"{format_id}/{layout} seed={seed} noise={noise}:\n  " + "\n  ".join(diffs)
    errors = _errors(report)
    assert not errors, f"{format_id}/{layout} seed={seed} noise={noise}: unexpected errors\n{_describe(errors)}"


@pytest.mark.parametrize(("format_id", "layout"), CASES)
@BUDGET
@given(seed=SEEDS)
def test_a_broken_cell_is_read_as_printed_and_reported(format_id, layout, seed):
    rng = random.Random(seed)
    tables, path, value = perturb(random_tables(rng, format_id), rng)
    # The broken row's identity cannot place an empty cell, so that row gets none.
    text = render(tables, layout, rng, keep_rows=[path.rsplit(".", 1)[0]])
    report = parse_text(text)
    assert report.value(path) == value, f"{format_id}/{layout} seed={seed}: {path} read as {report.value(path)}"
    errors = _errors(report.to_json())
    naming = [f for f in errors if path in f["cells"]]
    assert naming, f"{format_id}/{layout} seed={seed}: no error names {path}; errors:\n{_describe(errors)}"
