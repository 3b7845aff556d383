"""The extracted report: cells with evidence, metadata, facts and findings.

`Report.to_json()` is the public `gongkai.report/v1` contract.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gongkai.fitting.continuity import PreviousYear
from gongkai.spec import COMMON_REQUEST_ROWS, REVIEW_COLUMNS, REVIEW_ROWS, Format

SCHEMA = "gongkai.report/v1"


@dataclass(slots=True)
class Cell:
    path: str  # "<table>.<row>.<column>"
    label: str  # human label: row / column
    value: int | Decimal | None
    kind: str  # number | delta | money | empty | placeholder | missing
    raw: str | None = None
    start: int | None = None  # character offsets in the decoded source
    end: int | None = None
    unit: str | None = None
    location: dict | None = None  # structured formats: page and box, table/row/cell, sheet!cell
    matched_label: str | None = None  # the row label as printed, when it differs from the standard
    # How the cell's row and column were established: "label" (its row label and column header), "position"
    # (its place in a run of unlabeled rows between labelled ones), "identity" (the only placement that satisfies
    # the table's identities), "prose" (a glued 表二 row's only split that agrees with the figures its prose states,
    # prose_placement.py).  None for a cell that was not read.
    placed: str | None = None
    # Why a cell was left unread although text was found for it (several placements fit, or none did).
    unread_reason: str | None = None
    # For a cell placed by an identity that needs more than the table (last year's 现行有效件数) or by the prose:
    # which, and from where (shown to users).
    identity: str | None = None

    @property
    def table(self) -> str:
        return self.path.split(".", 1)[0]

    @property
    def present(self) -> bool:
        return self.kind != "missing"


@dataclass(slots=True)
class Finding:
    rule: str
    severity: str  # error | warning | info
    title: str
    message: str
    cells: list[str] = field(default_factory=list)
    expected: Any = None
    found: Any = None
    span: tuple[int, int] | None = None  # source offsets of the text concerned

    def to_json(self) -> dict:
        d = {
            "rule": self.rule,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "cells": self.cells,
        }
        if self.expected is not None or self.found is not None:
            d["expected"] = json_number(self.expected)
            d["found"] = json_number(self.found)
        if self.span:
            d["span"] = {"start": self.span[0], "end": self.span[1]}
        return d


@dataclass(slots=True)
class Fact:
    key: str
    label: str
    value: int
    quote: str
    start: int
    end: int

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "quote": self.quote,
            "evidence": {"start": self.start, "end": self.end},
        }


def json_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@dataclass
class Report:
    source: str  # file name or label
    text: str  # the decoded source
    format: Format
    cells: dict[str, Cell] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, dict] = field(default_factory=dict)  # section key → {label, start, end}
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    input_kind: str = "text"
    body: dict | None = None  # source offsets of the report body (web pages carry navigation and footers)
    tamper: list[dict] = field(default_factory=list)  # injected spam and hidden links, with source spans
    # "labels"; "headings" or "year" when no table label was found and the format is the one of the report's
    # year; "citation" when, without a year, the text cites the format's notice or the 2019 条例; "default" when
    # nothing decides (fitting/detect.py)
    format_basis: str = "labels"
    encoding: str | None = None
    previous: PreviousYear | None = None  # last year's 现行有效件数, when the caller gave last year's report
    header_hints: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (printed, standard, cells)
    heading_hints: list[tuple[str, str, str]] = field(default_factory=list)  # (section, printed, name it is near)
    prose_placed: list[dict] = field(default_factory=list)  # glued 表二 rows placed by the prose (prose_placement.py)
    next_report: dict | None = None  # a second report in the same file, not read: its title and source span
    _line_starts: list[int] | None = None

    def value(self, path: str) -> int | Decimal | None:
        cell = self.cells.get(path)
        return cell.value if cell is not None and cell.kind != "missing" else None  # not .present: called often

    def line_of(self, offset: int) -> int:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        return bisect.bisect_right(self._line_starts, offset)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    # -- JSON ---------------------------------------------------------------
    def _active_json(self) -> dict:
        out: dict[str, dict] = {}
        for block in self.format.active:
            for row in block.rows:
                out[row.key] = {f.key: json_number(self.value(f"active.{row.key}.{f.key}")) for f in block.fields}
        return out

    def _requests_json(self) -> dict:
        if not self.format.requests:
            return {}
        present = {r.key for r in self.format.requests.rows}
        columns = [c.key for c in self.format.requests.columns]
        # A row of the format that the report does not print (the 2021 （六） sub-rows under a single
        # （六）其他处理 row) has no cells: null, like a row of another format.
        printed = {path.split(".")[1] for path in self.cells if path.startswith("requests.")}
        return {
            row.key: [json_number(self.value(f"requests.{row.key}.{c}")) for c in columns]
            if row.key in present and row.key in printed
            else None
            for row in COMMON_REQUEST_ROWS
        }

    def _review_json(self) -> dict:
        if not self.format.review_litigation:
            return {}
        return {
            row.key: [json_number(self.value(f"review_litigation.{row.key}.{c.key}")) for c in REVIEW_COLUMNS]
            for row in REVIEW_ROWS
        }

    def cell_json(self, cell: Cell) -> dict:
        d: dict[str, Any] = {
            "path": cell.path,
            "label": cell.label,
            "value": json_number(cell.value),
            "kind": cell.kind,
            "raw": cell.raw,
        }
        if cell.unit:
            d["unit"] = cell.unit
        if cell.matched_label:
            d["printed_label"] = cell.matched_label
        if cell.placed:
            d["placed"] = cell.placed
        if cell.identity:
            d["identity"] = cell.identity
        if cell.start is not None:
            d["evidence"] = {"start": cell.start, "end": cell.end, "line": self.line_of(cell.start)}
            if cell.placed:  # how the cell was placed: label, position, identity or prose
                d["evidence"]["placed"] = cell.placed
            if cell.identity:
                d["evidence"]["note"] = cell.identity
            if cell.location:
                d["evidence"]["location"] = cell.location
        return d

    def to_json(self) -> dict:
        return {
            "schema": SCHEMA,
            "source": self.source,
            "input": {"kind": self.input_kind, "encoding": self.encoding, "chars": len(self.text)},
            "meta": self.meta,
            "body": self.body,
            "format": self.format.id,
            "format_name": self.format.name,
            "format_basis": self.format_basis,
            "sections": self.sections,
            "active": self._active_json(),
            "requests": self._requests_json(),
            "review_litigation": self._review_json(),
            "cells": [self.cell_json(c) for c in self.cells.values()],
            "narrative_facts": [f.to_json() for f in self.facts],
            "tamper": self.tamper,
            "findings": [f.to_json() for f in self.findings],
        } | self._previous_json()

    def _previous_json(self) -> dict:
        if self.previous is None:
            return {}
        p = self.previous
        return {"previous_year": {"source": p.source, "year": p.year, "in_force": p.in_force}}
