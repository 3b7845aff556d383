"""The report formats as data: loaded once from the TOML files beside this module.

Everything a parser or checker needs to know about the national format (rows,
columns, labels and their variants, headings, checks, prose figures) lives in
these files; code refers to stable keys only.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from gongkai.reading.textnorm import label_key

SPEC_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Axis:
    """A row or a column of a table."""

    key: str
    label: str
    variants: tuple[str, ...] = ()
    group: str | None = None
    short: str | None = None
    outcome: bool = False
    kind: str = "count"

    @functools.cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(label_key(x) for x in (self.label, *self.variants)))

    @property
    def full_label(self) -> str:
        return f"{self.group} {self.label}" if self.group else self.label


@dataclass(frozen=True)
class Block:
    """One block of 表二 (an item of 条例第二十条)."""

    article: str
    fields: tuple[Axis, ...]
    rows: tuple[Axis, ...]


@dataclass(frozen=True)
class Grid:
    """A table whose every row has the same columns (表三, 表四)."""

    name: str
    title: str
    rows: tuple[Axis, ...]
    columns: tuple[Axis, ...]
    header_labels: tuple[str, ...] = ()

    def row(self, key: str) -> Axis:
        return next(r for r in self.rows if r.key == key)

    def column(self, key: str) -> Axis:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class Section:
    number: str
    key: str
    label: str
    variants: tuple[str, ...] = ()
    table: str | None = None


@dataclass(frozen=True)
class Format:
    id: str
    name: str
    markers: tuple[str, ...]
    has_tables: bool
    active: tuple[Block, ...] = ()
    requests: Grid | None = None
    review_litigation: Grid | None = None
    expected_from_year: int | None = None
    expected_until_year: int | None = None

    def all_requests_rows(self) -> tuple[Axis, ...]:
        """Every row key of 表三 in the JSON contract, including those this format lacks."""
        return COMMON_REQUEST_ROWS

    def cell_paths(self) -> list[str]:
        paths = []
        for block in self.active:
            for row in block.rows:
                paths += [f"active.{row.key}.{f.key}" for f in block.fields]
        for grid in (self.requests, self.review_litigation):
            if grid:
                paths += [f"{grid.name}.{r.key}.{c.key}" for r in grid.rows for c in grid.columns]
        return paths


@dataclass(frozen=True)
class Check:
    id: str
    kind: str
    severity: str
    title: str
    message: str
    table: str | None = None
    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()
    scope: str = "report"  # "years": needs the same agency's report of the year before (gongkai.checking.cross_year)
    limit: int | None = None  # a threshold the check's engine compares with (see the check's comment)


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    pattern: re.Pattern
    compare: tuple[str, ...] = ()
    target_label: str | None = None
    value: int | None = None


def _load(name: str) -> dict:
    with open(SPEC_DIR / name, "rb") as fh:
        return tomllib.load(fh)


def _axis(d: dict, **extra) -> Axis:
    return Axis(
        key=d["key"],
        label=d["label"],
        variants=tuple(d.get("variants", ())),
        group=d.get("group"),
        short=d.get("short"),
        outcome=d.get("outcome", False),
        kind=d.get("kind", "count"),
        **extra,
    )


_COMMON = _load("common.toml")
COMMON_REQUEST_ROWS = tuple(_axis(r) for r in _COMMON["requests"]["rows"])


def _requests_grid(format_id: str) -> Grid:
    rows = []
    for r in _COMMON["requests"]["rows"]:
        if "formats" in r and format_id not in r["formats"]:
            continue
        r = dict(r)
        if format_id in r.get("format_labels", {}):
            r["label"] = r["format_labels"][format_id]
            r["group"] = "三、本年度办理结果"
        rows.append(_axis(r))
    return Grid(
        name="requests",
        title=_COMMON["requests"]["title"],
        rows=tuple(rows),
        columns=tuple(_axis(c) for c in _COMMON["requests"]["columns"]),
    )


def _review_grid() -> Grid:
    d = _COMMON["review_litigation"]
    return Grid(
        name="review_litigation",
        title=d["title"],
        rows=tuple(_axis(r) for r in d["rows"]),
        columns=tuple(_axis(c) for c in d["columns"]),
        header_labels=tuple(d["header_labels"]),
    )


def _format(name: str) -> Format:
    d = _load(name)
    blocks = tuple(
        Block(
            article=b["article"],
            fields=tuple(_axis(f) for f in b["fields"]),
            rows=tuple(_axis(r) for r in b["rows"]),
        )
        for b in d.get("active", {}).get("blocks", ())
    )
    has_tables = d["has_tables"]
    return Format(
        id=d["id"],
        name=d["name"],
        markers=tuple(d.get("markers", ())),
        has_tables=has_tables,
        active=blocks,
        requests=_requests_grid(d["id"]) if has_tables else None,
        review_litigation=_review_grid() if has_tables else None,
        expected_from_year=d.get("expected_from_year"),
        expected_until_year=d.get("expected_until_year"),
    )


FORMATS: dict[str, Format] = {
    f.id: f for f in map(_format, ("format_2021.toml", "format_2019.toml", "format_pre2019.toml"))
}
SECTIONS: tuple[Section, ...] = tuple(
    Section(s["number"], s["key"], s["label"], tuple(s.get("variants", ())), s.get("table"))
    for s in _COMMON["sections"]
)
REQUEST_COLUMNS: tuple[Axis, ...] = tuple(_axis(c) for c in _COMMON["requests"]["columns"])
REVIEW_ROWS: tuple[Axis, ...] = _review_grid().rows
REVIEW_COLUMNS: tuple[Axis, ...] = _review_grid().columns
BALANCE_NOTE: str = _COMMON["requests"]["balance_note"]


@functools.cache
def checks() -> tuple[Check, ...]:
    return tuple(
        Check(
            id=c["id"],
            kind=c["kind"],
            severity=c["severity"],
            title=c["title"],
            message=c["message"],
            table=c.get("table"),
            left=tuple(c.get("left", ())),
            right=tuple(c.get("right", ())),
            scope=c.get("scope", "report"),
            limit=c.get("limit"),
        )
        for c in _load("checks.toml")["check"]
    )


@functools.cache
def facts() -> tuple[Fact, ...]:
    return tuple(
        Fact(
            key=f["key"],
            label=f["label"],
            pattern=re.compile(f["pattern"]),
            compare=tuple(f.get("compare", ())),
            target_label=f.get("target_label"),
            value=f.get("value"),
        )
        for f in _load("facts.toml")["fact"]
    )


@dataclass(frozen=True)
class Deadline:
    agency: str  # "department" | "government" | "any"
    month: int
    day: int
    basis: str
    levels: tuple[str, ...] = ()
    from_year: int | None = None
    until_year: int | None = None

    def applies(self, year: int, level: str | None, is_department: bool) -> bool:
        if self.from_year is not None and year < self.from_year:
            return False
        if self.until_year is not None and year > self.until_year:
            return False
        if self.agency == "department":
            return is_department
        if self.agency == "government":
            return not is_department and level in self.levels
        return True


@functools.cache
def deadlines() -> tuple[Deadline, ...]:
    return tuple(
        Deadline(
            agency=d["agency"],
            month=d["month"],
            day=d["day"],
            basis=d["basis"],
            levels=tuple(d.get("levels", ())),
            from_year=d.get("from_year"),
            until_year=d.get("until_year"),
        )
        for d in _load("deadlines.toml")["deadline"]
    )


@dataclass(frozen=True)
class Rate:
    """A ratio of summed cells for comparing agencies (rates.toml)."""

    key: str
    name: str
    definition: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    minus: tuple[str, ...] = ()  # subtracted from the denominator

    @property
    def paths(self) -> tuple[str, ...]:
        return (*self.numerator, *self.denominator, *self.minus)


_RATES = _load("rates.toml")
SMALL_DENOMINATOR: int = _RATES["small_denominator"]
RATES: tuple[Rate, ...] = tuple(
    Rate(
        key=r["key"],
        name=r["name"],
        definition=r["definition"],
        numerator=tuple(r["numerator"]),
        denominator=tuple(r["denominator"]),
        minus=tuple(r.get("minus", ())),
    )
    for r in _RATES["rate"]
)
# Every cell any rate reads: stored per report so a ranking of thousands of agencies reads one row each.
RATE_PATHS: tuple[str, ...] = tuple(dict.fromkeys(p for r in RATES for p in r.paths))


def check_by_id(check_id: str) -> Check:
    return next(c for c in checks() if c.id == check_id)
