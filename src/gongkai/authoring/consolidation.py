"""The figures of a consolidated report (本级 + 所属部门 + 下级政府): the office's own figures with the
subordinates' totals added, cell by cell, over the tables of the draft's format.

The subordinates' totals come from the caller: the data center's consolidation sums the reports it stores;
reports still being reviewed (submitted or approved drafts, not yet published) are handed as drafts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from gongkai.authoring.draft import AnnualReportDraft, DraftError
from gongkai.authoring.tables import layouts

Number = int | Decimal


def table_paths(draft: AnnualReportDraft) -> list[str]:
    return [p for t in layouts(draft.format_id).values() for p in t.value_paths()]


def draft_values(draft: AnnualReportDraft) -> dict[str, Number]:
    """Every filled cell of a draft's tables."""
    out = {}
    for path in table_paths(draft):
        value = draft.value(path)
        if value is not None:
            out[path] = value
    return out


def consolidate_into(
    target: AnnualReportDraft, own: Mapping[str, Number | None], parts: Iterable[Mapping[str, Number | None]]
) -> list[str]:
    """Set every table cell of `target` to its own (本级) value plus the parts' values; a cell nobody filled stays
    blank.  Returns the paths of the parts that the target's format has no cell for (a format mismatch)."""
    paths = table_paths(target)
    known = set(paths)
    totals: dict[str, Number] = {}
    foreign: set[str] = set()
    for values in [own, *parts]:
        for path, value in values.items():
            if value is None:
                continue
            if path not in known:
                if path.startswith(("active.", "requests.", "review_litigation.")) and value != 0:
                    foreign.add(path)
                continue
            totals[path] = totals.get(path, 0) + value
    for path in paths:
        try:
            target.set_value(path, totals.get(path))
        except DraftError as exc:
            raise DraftError(f"{path}：{exc}") from None
    return sorted(foreign)
