"""One description of the three official tables, built from the format spec, for every writer.

A table is rows of real cells with rowspan/colspan, as the official template draws
them (shared/docs/annual-report-format.md §2.4–§2.6, §3.2): merged block headers in
表二, the three-row header of 表三 with its 勾稽 note, the three-row header of 表四.
Value cells carry the cell path of `gongkai.report/v1`; the writers (Word, HTML, PDF)
only decide how a cell looks, never what it says.  Labels come from the TOML files of
`gongkai.spec`; the few words the format files lack are in spec/authoring.toml.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from gongkai.authoring.spec import authoring
from gongkai.reading.values import unit_in_header
from gongkai.spec import BALANCE_NOTE, FORMATS, REVIEW_COLUMNS, REVIEW_ROWS, Axis, Format


@dataclass(frozen=True)
class LayoutCell:
    text: str
    kind: str  # "head" (header), "label" (row label) or "value"
    rowspan: int = 1
    colspan: int = 1
    path: str | None = None  # value cells: the cell path (e.g. "requests.total.total")


@dataclass(frozen=True)
class TableLayout:
    key: str  # "active" | "requests" | "review_litigation"
    heading: str  # the section heading above it, e.g. "二、主动公开政府信息情况"
    rows: tuple[tuple[LayoutCell, ...], ...]
    widths_mm: tuple[float, ...]
    header_rows: int  # rows repeated when the table continues on the next page
    wide: bool = False  # many narrow columns: printed in the smaller table size

    @property
    def ncols(self) -> int:
        return len(self.widths_mm)

    def value_paths(self) -> list[str]:
        return [c.path for row in self.rows for c in row if c.path]


def _section_heading(key: str) -> str:
    from gongkai.spec import SECTIONS

    section = next(s for s in SECTIONS if s.key == key)
    return f"{section.number}、{section.label}"


def _active(fmt: Format) -> TableLayout:
    words = authoring()["tables"]
    widths = tuple(words["active_widths_mm"])
    ncols = len(widths) - 1  # value columns
    rows: list[tuple[LayoutCell, ...]] = []
    for block in fmt.active:
        rows.append((LayoutCell(block.article, "head", colspan=len(widths)),))
        spans = _spans(len(block.fields), ncols)
        head = [LayoutCell(words["content_header"], "head")]
        head += [LayoutCell(_field_head(f), "head", colspan=span) for f, span in zip(block.fields, spans, strict=True)]
        rows.append(tuple(head))
        for row in block.rows:
            cells = [LayoutCell(row.label, "label")]
            cells += [
                LayoutCell("", "value", colspan=span, path=f"active.{row.key}.{f.key}")
                for f, span in zip(block.fields, spans, strict=True)
            ]
            rows.append(tuple(cells))
    return TableLayout("active", _section_heading("active"), tuple(rows), widths, header_rows=0)


def _field_head(field: Axis) -> str:
    """A column's header; an amount whose format states no unit (2019 采购总金额) says its unit, 万元."""
    if field.kind == "money" and unit_in_header(field.label) is None:
        return f"{field.label}（万元）"
    return field.label


def _spans(fields: int, columns: int) -> list[int]:
    """How many grid columns each field takes: one field spans all; the last of two takes the rest."""
    if fields >= columns:
        return [1] * fields
    return [1] * (fields - 1) + [columns - fields + 1]


def _requests(fmt: Format) -> TableLayout:
    words = authoring()["tables"]
    grid = fmt.requests
    assert grid is not None
    columns = list(grid.columns)
    group = next(c.group for c in columns if c.group)
    in_group = [c for c in columns if c.group == group]
    rows: list[tuple[LayoutCell, ...]] = [
        (
            LayoutCell(BALANCE_NOTE, "head", rowspan=3, colspan=3),
            LayoutCell(words["applicants_header"], "head", colspan=len(columns)),
        ),
        (
            LayoutCell(columns[0].label, "head", rowspan=2),
            LayoutCell(group, "head", colspan=len(in_group)),
            LayoutCell(columns[-1].label, "head", rowspan=2),
        ),
        tuple(LayoutCell(c.label, "head") for c in in_group),
    ]
    outcome_group = words["outcome_group"]
    outcome_rows = [r for r in grid.rows if r.outcome or r.key == "total"]
    sub_groups: dict[str, int] = {}
    for r in outcome_rows:
        if r.group and r.group != outcome_group:
            sub_groups[r.group] = sub_groups.get(r.group, 0) + 1
    seen: set[str] = set()
    for r in grid.rows:
        cells: list[LayoutCell] = []
        if r in outcome_rows:
            if r is outcome_rows[0]:
                cells.append(LayoutCell(outcome_group, "label", rowspan=len(outcome_rows)))
            if r.group and r.group != outcome_group:
                if r.group not in seen:
                    seen.add(r.group)
                    cells.append(LayoutCell(r.group, "label", rowspan=sub_groups[r.group]))
                cells.append(LayoutCell(r.label, "label"))
            else:
                cells.append(LayoutCell(r.label, "label", colspan=2))
        else:
            cells.append(LayoutCell(r.label, "label", colspan=3))
        cells += [LayoutCell("", "value", path=f"requests.{r.key}.{c.key}") for c in columns]
        rows.append(tuple(cells))
    return TableLayout(
        "requests",
        _section_heading("requests"),
        tuple(rows),
        tuple(words["requests_widths_mm"]),
        header_rows=3,
        wide=True,
    )


def _review() -> TableLayout:
    words = authoring()["tables"]
    heads = [c.label for c in REVIEW_COLUMNS]
    n = len(heads)
    review, direct, after = (r.key for r in REVIEW_ROWS)
    header = FORMATS["2021"].review_litigation.header_labels[:4]  # 行政复议, 行政诉讼, 未经复议直接起诉, 复议后起诉
    labels = dict(zip(("review", "litigation", "direct", "after"), header, strict=True))
    rows = (
        (LayoutCell(labels["review"], "head", colspan=n), LayoutCell(labels["litigation"], "head", colspan=2 * n)),
        (
            *(LayoutCell(h, "head", rowspan=2) for h in heads),
            LayoutCell(labels["direct"], "head", colspan=n),
            LayoutCell(labels["after"], "head", colspan=n),
        ),
        tuple(LayoutCell(h, "head") for h in heads * 2),
        tuple(
            LayoutCell("", "value", path=f"review_litigation.{row}.{c.key}")
            for row in (review, direct, after)
            for c in REVIEW_COLUMNS
        ),
    )
    return TableLayout(
        "review_litigation",
        _section_heading("review_litigation"),
        rows,
        tuple(words["review_widths_mm"]),
        header_rows=3,
        wide=True,
    )


def layouts(format_id: str) -> dict[str, TableLayout]:
    """The three tables of a format, keyed as the report/v1 JSON keys them."""
    fmt = FORMATS[format_id]
    if not fmt.has_tables:
        raise ValueError(f"format {format_id} has no tables")
    return {"active": _active(fmt), "requests": _requests(fmt), "review_litigation": _review()}


def format_value(value: int | Decimal | None) -> str:
    """A value as printed in the official tables: integers plain, amounts without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    return str(value)


def filled(layout: TableLayout, value_of: Callable[[str], int | Decimal | None]) -> TableLayout:
    """The layout with every value cell's text set from `value_of(path)`."""
    rows = tuple(
        tuple(
            LayoutCell(format_value(value_of(c.path)), c.kind, c.rowspan, c.colspan, c.path) if c.path else c
            for c in row
        )
        for row in layout.rows
    )
    return TableLayout(layout.key, layout.heading, rows, layout.widths_mm, layout.header_rows, layout.wide)


def grid_positions(layout: TableLayout) -> list[list[tuple[int, LayoutCell]]]:
    """Each row's cells with their first grid column (merged cells from rows above skipped)."""
    covered: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(layout.rows):
        c = 0
        placed = []
        for cell in row:
            while (r, c) in covered:
                c += 1
            placed.append((c, cell))
            covered |= {(r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)}
            c += cell.colspan
        out.append(placed)
    return out
