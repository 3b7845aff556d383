"""现行有效 continuity: this year's 现行有效件数 = last year's + 本年制发件数 − 本年废止件数 (2021 format, 表二（一）).

The identity is soft (revisions and clean-ups break it, format doc §2.7 K6), so it never overrides a row the
text establishes: it is asked only about a 规章 / 行政规范性文件 run that would otherwise stay unread (a glued
"693665", blanks or stray values whose placement is not unique), and a run is read only when exactly one
placement satisfies it.  When the row's printed values break it, the report gets a warning instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from gongkai.spec import Block, Format

if TYPE_CHECKING:
    from gongkai.report import Report

Identity = Callable[[list[int]], bool]
FIELDS = ("issued", "repealed", "in_force")  # 本年制发件数, 本年废止件数, 现行有效件数
IN_FORCE_PATHS = ("active.rules.in_force", "active.normative_documents.in_force")  # only the 2021 format has them


@dataclass(frozen=True, slots=True)
class PreviousYear:
    """What continuity needs of last year's report: its 现行有效件数 per 表二（一） row, and where they were read."""

    in_force: dict[str, int]  # row key ("rules", "normative_documents") → last year's 现行有效件数
    source: str  # last year's file or record, for the evidence
    year: int | None = None

    @classmethod
    def from_report(cls, report: Report) -> PreviousYear | None:
        """Last year's read 现行有效件数, or None when its format prints none (before 2021) or none was read."""
        if in_force_block(report.format) is None:
            return None
        year = (report.meta.get("year") or {}).get("value")
        values = {path: report.value(path) for path in IN_FORCE_PATHS}
        return cls.from_values(values, report.source, int(year) if year else None)

    @classmethod
    def from_values(
        cls, values: Mapping[str, int | Decimal | None], source: str, year: int | None = None
    ) -> PreviousYear | None:
        """From stored cell values by path (`IN_FORCE_PATHS`; e.g. a database's current, corrected values);
        None when none is a count."""
        in_force = {
            path.split(".")[1]: int(value)
            for path, value in values.items()
            if path in IN_FORCE_PATHS and value is not None and value == int(value) and value >= 0
        }
        return cls(in_force, source, year) if in_force else None

    @classmethod
    def from_json(cls, doc: Mapping | None) -> PreviousYear | None:
        """From a report's JSON `previous_year` (what it was read with), so it can be read again the same way."""
        if not doc or not doc.get("in_force"):
            return None
        return cls({k: int(v) for k, v in doc["in_force"].items()}, str(doc.get("source") or ""), doc.get("year"))

    def describe(self, row: str) -> str:
        """The evidence of a cell placed by this identity (Simplified Chinese, shown to users)."""
        year = f"{self.year}年" if self.year else "上年"
        return (
            f"按现行有效件数连续性定位：{year}现行有效{self.in_force[row]}件（来源：{self.source}）"
            "＋本年制发件数－本年废止件数＝本年现行有效件数，只有这一种拆分/位置满足"
        )


def in_force_block(fmt: Format) -> Block | None:
    """表二's block with 本年制发 / 本年废止 / 现行有效 (the 2021 format), or None."""
    return next((b for b in fmt.active if tuple(f.key for f in b.fields) == FIELDS), None)


def row_identities(fmt: Format, previous: PreviousYear | None) -> dict[str, Identity]:
    """Per 表二（一） row: numbers (制发, 废止, 现行有效) satisfy continuity with last year's count."""
    block = in_force_block(fmt)
    if previous is None or block is None:
        return {}
    out: dict[str, Identity] = {}
    for row in block.rows:
        last = previous.in_force.get(row.key)
        if last is not None:
            out[row.key] = lambda n, last=last: n[0] >= 0 and n[1] >= 0 and n[2] == last + n[0] - n[1]
    return out


def broken_rows(report: Report) -> list[tuple[str, dict]]:
    """Rows whose three label-placed values break continuity with last year: (row key, message fields)."""
    previous: PreviousYear | None = getattr(report, "previous", None)
    block = in_force_block(report.format)
    if previous is None or block is None:
        return []
    out = []
    for row in block.rows:
        cells = [report.cells.get(f"active.{row.key}.{key}") for key in FIELDS]
        last = previous.in_force.get(row.key)
        if last is None or any(c is None or c.value is None or c.placed != "label" for c in cells):
            continue
        issued, repealed, in_force = (Decimal(str(c.value)) for c in cells)  # type: ignore[union-attr]
        expected = last + issued - repealed
        if expected != in_force:
            fields = {"label": row.label, "before": last, "issued": issued, "repealed": repealed}
            fields |= {"previous_year": f"{previous.year}年" if previous.year else "上年", "source": previous.source}
            out.append((row.key, {"expected_value": expected, "found_value": in_force, **fields}))
    return out


# Years are chained only for an agency named by the report's own title (not guessed from a compiler's line or the
# site's owner), and matched by the exact name.
CERTAIN_AGENCY_SOURCES = ("title", "title_above")


def agency_year(report: Report) -> tuple[str, int] | None:
    """The report's agency, as its title names it, and year; None unless both are certain."""
    agency, year = report.meta.get("agency") or {}, report.meta.get("year") or {}
    if not agency.get("name") or agency.get("source") not in CERTAIN_AGENCY_SOURCES or not year.get("value"):
        return None
    return agency["name"], int(year["value"])


def left_open(report: Report) -> bool:
    """True when a 表二（一） row's text was found but not placed: last year's count might place it."""
    block = in_force_block(report.format)
    if block is None or report.previous is not None:
        return False
    cells = (report.cells.get(f"active.{row.key}.{key}") for row in block.rows for key in FIELDS)
    return any(c is not None and c.value is None and c.unread_reason for c in cells)


class LastYears:
    """Reports' 现行有效件数 by (agency, year), for chaining the years of one agency given together (a folder).
    An agency and year given twice with different counts is not used: which is right is not known."""

    def __init__(self) -> None:
        self._by: dict[tuple[str, int], PreviousYear | None] = {}

    def add(self, report: Report) -> None:
        key = agency_year(report)
        counts = PreviousYear.from_report(report) if key else None
        if key is None or counts is None:
            return
        known = self._by.get(key, counts)
        if key in self._by and (known is None or (known.in_force != counts.in_force and known.source != counts.source)):
            self._by[key] = None
        else:
            self._by[key] = counts  # new, the same counts again, or the same file read again with its last year

    def before(self, report: Report) -> PreviousYear | None:
        """The same agency's previous year, when it was added exactly once (or always with the same counts)."""
        key = agency_year(report)
        return self._by.get((key[0], key[1] - 1)) if key else None
