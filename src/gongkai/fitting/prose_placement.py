"""Placing a glued 表二 row by the figures the report's own prose states for it.

A crawler's text can glue a 表二 row into one digit run ("行政规范性文件8855698"): 表二 has no identities of its
own, so such a run often splits several ways (glued.py leaves it unread).  When the prose states figures for that
row ("集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件", spec/facts.toml), the row is read
only when exactly one admissible split agrees with every one of them; its cells then say so (placed = "prose",
with the quotes).  Prose never places any other cell and never overrides one the table itself places.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.report import Cell, Fact, Report
from gongkai.spec import facts as fact_specs


@dataclass(frozen=True, slots=True)
class Piece:
    """One number of a split: its text and its source offsets."""

    text: str
    value: int | Decimal
    start: int
    end: int
    location: dict | None = None


@dataclass(slots=True)
class OpenRow:
    """A glued 表二 row left unread because its run splits several ways."""

    key: str  # row key ("normative_documents")
    label: str  # its standard label
    fields: tuple[str, ...]  # its columns' keys, in order
    digits: str  # the glued run as printed
    options: list[list[Piece]]  # every admissible split, one Piece per column
    span: tuple[int, int]  # source offsets of the run
    placed: list[Piece] | None = field(default=None)


def _stated(report: Report, row: OpenRow, region: tuple[int, int] | None) -> dict[int, list[Fact]]:
    """Column index → the prose facts that state that one cell, outside the table (never a table's own text)."""
    single = {spec.key: spec.compare[0] for spec in fact_specs() if len(spec.compare) == 1}
    paths = {f"active.{row.key}.{f}": i for i, f in enumerate(row.fields)}
    out: dict[int, list[Fact]] = {}
    for fact in report.facts:
        column = paths.get(single.get(fact.key, ""))
        if column is None or isinstance(fact.value, bool):
            continue
        if region is not None and region[0] <= fact.start < region[1]:
            continue  # inside 表二: a table's text is not prose
        if fact.start < row.span[1] and row.span[0] < fact.end:
            continue
        out.setdefault(column, []).append(fact)
    return out


def table_region(report: Report, rows: Sequence[OpenRow]) -> tuple[int, int] | None:
    """Source offsets of section 二 (the 表二 table) up to section 三's heading; the runs' own span without them."""
    active, requests = report.sections.get("active"), report.sections.get("requests")
    if active and requests and active["start"] < requests["start"]:
        return active["start"], requests["start"]
    if not rows:
        return None
    return min(r.span[0] for r in rows), max(r.span[1] for r in rows)


def _quote_list(facts: list[Fact]) -> str:
    return "、".join(f"“{f.quote}”" for f in facts)


def place_by_prose(report: Report, rows: Sequence[OpenRow]) -> list[dict]:
    """Place the rows the prose decides (their cells are rewritten in `report.cells`); every row the prose states
    figures for gets a record for the finding `cells.placed_by_prose`, or its unread reason says why not."""
    region = table_region(report, rows)
    placed: list[dict] = []
    for row in rows:
        stated = _stated(report, row, region)
        if not stated:
            continue
        facts = [f for column in sorted(stated) for f in stated[column]]
        agreeing = [cut for cut in row.options if all(cut[c].value == f.value for c, fs in stated.items() for f in fs)]
        paths = [f"active.{row.key}.{f}" for f in row.fields]
        if len(agreeing) != 1:
            why = (
                "正文所述数字与任何一种拆分都不符" if not agreeing else f"正文所述数字与其中{len(agreeing)}种拆分都相符"
            )
            note = f"{why}（{_quote_list(facts)}），正文也无法确定"
            for path in paths:
                cell = report.cells.get(path)
                if cell is not None and not cell.present and cell.unread_reason:
                    cell.unread_reason = f"{cell.unread_reason}；{note}"
            continue
        cut = agreeing[0]
        split = "、".join(p.text for p in cut)
        quotes = _quote_list(facts)
        note = f"按正文定位：粘连的数字“{row.digits}”有{len(row.options)}种拆分，只有“{split}”与正文{quotes}相符"
        written = []
        for path, piece in zip(paths, cut, strict=True):
            old = report.cells.get(path)
            if old is not None and old.present:
                continue  # the run already places this cell (every split prints it the same): it stays as read
            report.cells[path] = Cell(
                path=path,
                label=old.label if old else path,
                value=piece.value,
                kind="number",
                raw=piece.text,
                start=piece.start,
                end=piece.end,
                location=piece.location,
                placed="prose",
                identity=note,
            )
            written.append(path)
        row.placed = cut
        placed.append(
            {
                "cells": written,
                "label": row.label,
                "digits": row.digits,
                "split": split,
                "count": len(row.options),
                "quotes": quotes,
                "span": (facts[0].start, facts[0].end),
            }
        )
    return placed
