"""The three tables in the official layout, as rows of cells with row/column spans.

One description serves the HTML page and the XLSX export. Header and label cells carry `text`;
value cells carry `path` (the v1 cell path).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.spec import BALANCE_NOTE, FORMATS, REVIEW_COLUMNS, REVIEW_ROWS

RESULTS = "三、本年度办理结果"


@dataclass
class Slot:
    text: str = ""
    path: str | None = None
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    cls: str = ""


@dataclass
class Table:
    key: str
    number: str  # 表二 …
    title: str
    rows: list[list[Slot]] = field(default_factory=list)
    columns: int = 0


def _h(text: str, rowspan: int = 1, colspan: int = 1, cls: str = "") -> Slot:
    return Slot(text=text, rowspan=rowspan, colspan=colspan, header=True, cls=cls)


def active_table(format_id: str) -> Table | None:
    fmt = FORMATS[format_id]
    if not fmt.active:
        return None
    width = max(len(b.fields) for b in fmt.active)
    table = Table("active", "表二", "主动公开政府信息情况", columns=width + 1)
    for block in fmt.active:
        table.rows.append([_h(block.article, colspan=width + 1, cls="block")])
        spans = [1] * len(block.fields)
        spans[-1] += width - len(block.fields)  # a block with fewer fields merges its last value column
        table.rows.append([_h("信息内容")] + [_h(f.label, colspan=s) for f, s in zip(block.fields, spans, strict=True)])
        for row in block.rows:
            values = [
                Slot(path=f"active.{row.key}.{f.key}", colspan=s) for f, s in zip(block.fields, spans, strict=True)
            ]
            table.rows.append([_h(row.label, cls="label"), *values])
    return table


def _requests_label_cells(rows, i: int) -> list[Slot]:
    """Label cells of row i of 表三: three label columns, merged where the official table merges them."""
    row = rows[i]
    in_results = row.group == RESULTS or (row.group or "").startswith("（")
    if not in_results:
        return [_h(row.label, colspan=3, cls="label")]
    cells: list[Slot] = []
    first_of_results = i == 0 or not _in_results(rows[i - 1])
    if first_of_results:
        span = 1
        while i + span < len(rows) and _in_results(rows[i + span]):
            span += 1
        cells.append(_h(RESULTS, rowspan=span, cls="group"))
    if row.group == RESULTS:
        cells.append(_h(row.label, colspan=2, cls="label"))
        return cells
    if i == 0 or rows[i - 1].group != row.group:
        span = 1
        while i + span < len(rows) and rows[i + span].group == row.group:
            span += 1
        cells.append(_h(row.group, rowspan=span, cls="group"))
    cells.append(_h(row.label, cls="label"))
    return cells


def _in_results(row) -> bool:
    return row.group == RESULTS or (row.group or "").startswith("（")


def requests_table(format_id: str) -> Table | None:
    grid = FORMATS[format_id].requests
    if grid is None:
        return None
    table = Table("requests", "表三", grid.title, columns=3 + len(grid.columns))
    orgs = [c for c in grid.columns if c.group]
    table.rows.append([_h(BALANCE_NOTE, rowspan=3, colspan=3, cls="note"), _h("申请人情况", colspan=len(grid.columns))])
    second: list[Slot] = []
    for column in grid.columns:
        if not column.group:
            second.append(_h(column.label, rowspan=2))
        elif column is orgs[0]:
            second.append(_h(column.group, colspan=len(orgs)))
    table.rows.append(second)
    table.rows.append([_h(c.label) for c in orgs])
    for i, row in enumerate(grid.rows):
        values = [Slot(path=f"requests.{row.key}.{c.key}") for c in grid.columns]
        table.rows.append(_requests_label_cells(grid.rows, i) + values)
    return table


def review_table(format_id: str) -> Table | None:
    if FORMATS[format_id].review_litigation is None:
        return None
    n = len(REVIEW_COLUMNS)
    table = Table("review_litigation", "表四", "政府信息公开行政复议、行政诉讼情况", columns=n * len(REVIEW_ROWS))
    review, direct, after = REVIEW_ROWS
    table.rows.append([_h("行政复议", colspan=n), _h("行政诉讼", colspan=2 * n)])
    table.rows.append(
        [_h(c.label, rowspan=2) for c in REVIEW_COLUMNS]
        + [_h("未经复议直接起诉", colspan=n), _h("复议后起诉", colspan=n)]
    )
    table.rows.append([_h(c.label) for c in REVIEW_COLUMNS] * 2)
    table.rows.append(
        [Slot(path=f"review_litigation.{r.key}.{c.key}") for r in (review, direct, after) for c in REVIEW_COLUMNS]
    )
    return table


def tables(format_id: str) -> list[Table]:
    return [t for t in (active_table(format_id), requests_table(format_id), review_table(format_id)) if t]


def place(table: Table) -> list[tuple[int, int, Slot]]:
    """(row, column, slot) of every slot, skipping grid positions taken by spans from rows above."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(table.rows):
        c = 0
        for slot in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, slot))
            for dr in range(slot.rowspan):
                for dc in range(slot.colspan):
                    taken.add((r + dr, c + dc))
            c += slot.colspan
    return out
