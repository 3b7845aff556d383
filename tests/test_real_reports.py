"""The five real reports in ../shared/real-reports: every cell right, or unread with a finding; none wrong."""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.parse import parse_file

_ROOT = Path(__file__).resolve().parents[1]
# CI keeps shared/ beside the clone; a git worktree under wt/ has it one level further up.
REAL = next(
    (
        d
        for d in (_ROOT.parent / "shared" / "real-reports", _ROOT.parent.parent / "shared" / "real-reports")
        if d.is_dir()
    ),
    _ROOT.parent / "shared" / "real-reports",
)
NAMES = sorted(p.name.removesuffix(".expected.json") for p in REAL.glob("*.expected.json")) if REAL.is_dir() else []
pytestmark = pytest.mark.skipif(not NAMES, reason="../shared/real-reports is not beside the repository")


def _expected_cells(expected: dict) -> dict[str, int | float | None]:
    cells: dict[str, int | float | None] = {}
    for row, fields in (expected.get("active") or {}).items():
        for field, value in fields.items():
            cells[f"active.{row}.{field}"] = value
    for table in ("requests", "review_litigation"):
        for row, values in (expected.get(table) or {}).items():
            for i, value in enumerate(values or [None] * 7 if table == "requests" else values or [None] * 5):
                cells[f"{table}.{row}.{i}"] = value
    return cells


def _got_cells(report: dict) -> dict[str, int | float | None]:
    cells: dict[str, int | float | None] = {}
    for row, fields in report["active"].items():
        for field, value in fields.items():
            cells[f"active.{row}.{field}"] = value
    for table in ("requests", "review_litigation"):
        for row, values in report[table].items():
            for i, value in enumerate(values or [None] * (7 if table == "requests" else 5)):
                cells[f"{table}.{row}.{i}"] = value
    return cells


def _same(got, want) -> bool:
    return Decimal(str(got)) == Decimal(str(want))


@functools.cache
def _read(name: str):
    source = next(p for p in REAL.glob(name + ".*") if not p.name.endswith(".json"))
    expected = json.loads((REAL / f"{name}.expected.json").read_text(encoding="utf-8"))
    return name, expected, parse_file(source)


@pytest.fixture(params=NAMES)
def case(request):
    return _read(request.param)


def test_no_cell_is_wrong_and_every_unread_cell_has_a_finding(case):
    name, expected, report = case
    data = report.to_json()
    assert data["format"] == expected["format"], name
    got = _got_cells(data)
    wrong = []
    unread = []
    for path, want in _expected_cells(expected).items():
        value = got.get(path)
        if want is None:
            if value is not None:
                wrong.append((path, None, value))
        elif value is None:
            unread.append(path)
        elif not _same(value, want):
            wrong.append((path, want, value))
    assert not wrong, f"{name}: wrong values {wrong}"
    named = {cell for finding in data["findings"] for cell in finding["cells"]}
    for path in unread:
        table, row, column = path.split(".")
        if table != "active":
            column = report.format.requests.columns[int(column)].key if table == "requests" else None
            column = column or report.format.review_litigation.columns[int(path.rsplit(".", 1)[1])].key
        assert f"{table}.{row}.{column}" in named, f"{name}: {path} unread without a finding"


# How many cells each report gives; the rest are unread with a finding (the text does not determine them).
MINIMUM_RIGHT = {
    "huaian_2024": 200,
    "shanghai_kewei_2024_markdown": 200,
    "pingtan_2021_flattened": 197,  # 行政规范性文件 693665: three numbers glued, more than one split
    "pingtan_2019_flattened": 179,  # the 第二十条 table: glued runs with no identity to split them
}


@pytest.mark.parametrize("name", [n for n in NAMES if n in MINIMUM_RIGHT])  # the 2018 prose report has no grid
def test_cells_read(name):
    _, expected, report = _read(name)
    got = _got_cells(report.to_json())
    right = sum(
        1
        for path, want in _expected_cells(expected).items()
        if want is not None and got.get(path) is not None and _same(got[path], want)
    )
    assert right >= MINIMUM_RIGHT[name]


def test_every_cell_says_how_it_was_placed(case):
    _, _, report = case
    for cell in report.to_json()["cells"]:
        if cell["value"] is not None:
            assert cell["placed"] in ("label", "position", "identity"), cell
