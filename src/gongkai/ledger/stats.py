"""Year-end statistics: 表三 and 表四 of an agency-year, cell for cell, from the ledger.

Year boundaries, as the format defines them (表三 each column: 一＋二＝三（七）＋四):

- 一 本年新收: received in the year;
- 二 上年结转: received before the year and not closed before 1 January;
- 三 办理结果: closed in the year, by the outcome of the closing event;
- 四 结转下年度: received by 31 December and not closed by then (so next year's 二
  equals this year's 四).

表四 counts the cases filed (复议申请 received / 起诉) in the year; a case concluded
after 31 December counts as 尚未审结.

Every cell has the ids of the requests (or cases) behind it in `drill`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from gongkai.checking.checks import run_checks
from gongkai.ledger.model import APPLICANT_TYPES, CASE_OUTCOMES, OUTCOMES, Case, Request
from gongkai.report import Cell, Finding, Report
from gongkai.spec import COMMON_REQUEST_ROWS, FORMATS, REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_ROWS, checks

FORMAT = FORMATS["2021"]
REQUEST_ROW_KEYS: tuple[str, ...] = tuple(r.key for r in COMMON_REQUEST_ROWS)
REQUEST_COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in REQUEST_COLUMNS)
REVIEW_ROW_KEYS: tuple[str, ...] = tuple(r.key for r in REVIEW_ROWS)
REVIEW_COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in REVIEW_COLUMNS)
_ROW_LABEL = {r.key: r.full_label for r in COMMON_REQUEST_ROWS}
_COL_LABEL = {c.key: c.label for c in REQUEST_COLUMNS}
_REVIEW_ROW_LABEL = {r.key: r.label for r in REVIEW_ROWS}
_REVIEW_COL_LABEL = {c.key: c.label for c in REVIEW_COLUMNS}
#: The checker's rules that concern 表三 and 表四 (the rest need a whole published document).
TABLE_RULES: frozenset[str] = frozenset(
    c.id for c in checks() if c.table in ("requests", "review_litigation") or c.id == "cells.non_negative_integer"
)


def cell_label(path: str) -> str:
    """The Chinese label of a cell path, e.g. "一、本年新收政府信息公开申请数量 / 自然人"."""
    table, row, col = path.split(".")
    if table == "requests":
        return f"{_ROW_LABEL[row]} / {_COL_LABEL[col]}"
    return f"{_REVIEW_ROW_LABEL[row]} / {_REVIEW_COL_LABEL[col]}"


@dataclass
class Statistics:
    agency: str | None
    year: int
    requests: dict[str, list[int]]  # row key → 7 numbers (six applicant types, total), report/v1 shape
    review_litigation: dict[str, list[int]]  # row key → 5 numbers (维持, 纠正, 其他, 尚未审结, 总计)
    drill: dict[str, list[str]]  # "requests.<row>.<column>" / "review_litigation.<row>.<column>" → ids
    excluded: dict[str, str] = field(default_factory=dict)  # request id → why it is not counted

    def value(self, path: str) -> int:
        table, row, col = path.split(".")
        if table == "requests":
            return self.requests[row][REQUEST_COLUMN_KEYS.index(col)]
        return self.review_litigation[row][REVIEW_COLUMN_KEYS.index(col)]

    def paths(self) -> list[str]:
        return [f"requests.{r}.{c}" for r in REQUEST_ROW_KEYS for c in REQUEST_COLUMN_KEYS] + [
            f"review_litigation.{r}.{c}" for r in REVIEW_ROW_KEYS for c in REVIEW_COLUMN_KEYS
        ]

    def to_report(self) -> Report:
        """A `gongkai.report.Report` (2021 format, 表三 and 表四 only) that `run_checks` accepts."""
        cells = {
            path: Cell(
                path=path, label=cell_label(path), value=self.value(path), kind="number", raw=str(self.value(path))
            )
            for path in self.paths()
        }
        meta = {
            "agency": {"name": self.agency, "source": "ledger", "confidence": 1.0} if self.agency else None,
            "year": {"value": self.year, "source": "ledger", "confidence": 1.0},
        }
        return Report(source=f"ledger:{self.agency or ''}:{self.year}", text="", format=FORMAT, cells=cells, meta=meta,
                      input_kind="ledger")  # fmt: skip

    def check(self) -> list[Finding]:
        """The published-report checker's findings on these tables (identities, non-negative integers)."""
        return [f for f in run_checks(self.to_report()) if f.rule in TABLE_RULES]

    def to_text(self) -> str:
        """表三 and 表四 as a plain-text report in the national layout, readable by `gongkai parse/check`."""
        head = f"{self.agency or ''}{self.year}年政府信息公开工作年度报告（依申请公开台账统计）"
        lines = [head, "", "三、收到和处理政府信息公开申请情况", ""]
        lines.append(" | ".join(["申请人情况", *(c.label for c in REQUEST_COLUMNS)]))
        for row in COMMON_REQUEST_ROWS:
            label = [row.group, row.label] if row.group else [row.label]
            lines.append(" | ".join([*label, *map(str, self.requests[row.key])]))
        lines += ["", "四、政府信息公开行政复议、行政诉讼情况", ""]
        header = " | ".join(c.label for c in REVIEW_COLUMNS)
        lines += ["行政复议 | 行政诉讼", " | ".join([header] * len(REVIEW_ROWS))]
        lines.append(" | ".join(str(v) for row in REVIEW_ROWS for v in self.review_litigation[row.key]))
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict:
        return {
            "schema": "gongkai.ledger_stats/v1",
            "agency": self.agency,
            "year": self.year,
            "format": FORMAT.id,
            "requests": self.requests,
            "review_litigation": self.review_litigation,
            "drill": self.drill,
            "excluded": self.excluded,
            "findings": [f.to_json() for f in self.check()],
        }


def year_statistics(
    requests: Iterable[Request], cases: Iterable[Case], year: int, agency: str | None = None
) -> Statistics:
    """表三 and 表四 for one year (and one agency when `agency` is given)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    cols = {key: i for i, key in enumerate(APPLICANT_TYPES)}
    ids: dict[tuple[str, str], list[str]] = {}
    excluded: dict[str, str] = {}
    outcome_set = set(OUTCOMES)

    def put(row: str, col: str, rid: str) -> None:
        ids.setdefault((row, col), []).append(rid)

    for r in requests:
        if agency is not None and r.agency != agency:
            continue
        if r.received > end:
            continue
        closed = r.closed
        if closed is not None and closed < start:
            continue  # finished before the year
        if r.applicant_type not in cols:
            excluded[r.id] = f"申请人类型“{r.applicant_type}”无法归入表三"
            continue
        if closed is not None and closed < r.received:
            excluded[r.id] = f"办结日期 {closed} 早于收到日期 {r.received}"
            continue
        outcome = r.outcome if closed is not None and closed <= end else None
        if closed is not None and closed <= end and outcome not in outcome_set:
            excluded[r.id] = f"办理结果“{outcome}”无法归入表三"
            continue
        col = r.applicant_type
        put("new_received" if r.received >= start else "carried_over", col, r.id)
        if outcome is not None:
            put(outcome, col, r.id)
            put("total", col, r.id)
        else:
            put("carried_forward", col, r.id)

    drill: dict[str, list[str]] = {}
    req_table = _tabulate("requests", REQUEST_ROW_KEYS, APPLICANT_TYPES, ids, drill)

    case_ids: dict[tuple[str, str], list[str]] = {}
    for c in cases:
        if agency is not None and c.agency != agency:
            continue
        if c.filed.year != year:
            continue
        outcome = c.outcome_on(end)
        if c.kind not in REVIEW_ROW_KEYS or outcome not in CASE_OUTCOMES:
            excluded[c.id] = f"案件类型“{c.kind}”或结果“{c.outcome}”无法归入表四"
            continue
        case_ids.setdefault((c.kind, outcome), []).append(c.id)
    review = _tabulate("review_litigation", REVIEW_ROW_KEYS, CASE_OUTCOMES, case_ids, drill)
    return Statistics(agency, year, req_table, review, drill, excluded)


def _tabulate(
    table: str, rows, columns, ids: dict[tuple[str, str], list[str]], drill: dict[str, list[str]]
) -> dict[str, list[int]]:
    """Counts per row (the columns, then the total) from the ids behind each cell; each cell's ids go to `drill`."""
    counts: dict[str, list[int]] = {}
    for row in rows:
        row_counts = []
        all_ids: list[str] = []
        for col in columns:
            found = ids.get((row, col), [])
            row_counts.append(len(found))
            drill[f"{table}.{row}.{col}"] = found
            all_ids += found
        row_counts.append(len(all_ids))
        drill[f"{table}.{row}.total"] = all_ids
        counts[row] = row_counts
    return counts


@dataclass(frozen=True)
class Difference:
    path: str
    label: str
    ledger: int
    published: int | float | None  # None: the published report lacks the cell
    ids: tuple[str, ...]  # the ledger's requests (or cases) behind the cell

    @property
    def delta(self) -> int | float | None:
        return None if self.published is None else self.ledger - self.published

    def message_zh(self) -> str:
        if self.published is None:
            return f"{self.label}：台账 {self.ledger}，公开的年报中没有此项"
        return f"{self.label}：台账 {self.ledger}，年报 {self.published}，相差 {self.delta:+}"

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "label": self.label,
            "ledger": self.ledger,
            "published": self.published,
            "delta": self.delta,
            "ids": list(self.ids),
            "message": self.message_zh(),
        }


def compare_with_published(stats: Statistics, report: Report) -> list[Difference]:
    """Each cell of 表三/表四 where the ledger and the published report differ.

    A 2019-format report has the single row （六）其他处理, stored under `other_other`:
    it is compared with the sum of the ledger's three （六） rows.
    """
    out: list[Difference] = []
    rows_2019 = report.format.id == "2019"
    merged = ("other_overdue_correction", "other_overdue_fee", "other_other")
    for path in stats.paths():
        table, row, col = path.split(".")
        if rows_2019 and table == "requests" and row in merged[:2]:
            continue
        ledger = stats.value(path)
        ids = stats.drill[path]
        if rows_2019 and table == "requests" and row == "other_other":
            ledger = sum(stats.value(f"requests.{r}.{col}") for r in merged)
            ids = [i for r in merged for i in stats.drill[f"requests.{r}.{col}"]]
        published = report.value(path)
        if published is None and path not in report.cells:
            published = None
        if published is None or ledger != published:
            number = (
                None if published is None else (int(published) if published == int(published) else float(published))
            )
            out.append(Difference(path, cell_label(path), ledger, number, tuple(ids)))
    return out


__all__ = [
    "REQUEST_COLUMN_KEYS",
    "REQUEST_ROW_KEYS",
    "REVIEW_COLUMN_KEYS",
    "REVIEW_ROW_KEYS",
    "TABLE_RULES",
    "Difference",
    "Statistics",
    "cell_label",
    "compare_with_published",
    "year_statistics",
]
