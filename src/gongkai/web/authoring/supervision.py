"""The supervising office's view of a report year: every agency it oversees (its own government, its
departments, the governments below and theirs), the state of each one's draft, and who is late against the
statutory deadline (spec/deadlines.toml, by the agency's kind and level as the data center records them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongkai.spec import deadlines
from gongkai.web.center.models import Agency
from gongkai.web.center.services.permissions import ADMIN, EDITOR, region_id, role

from .models import PUBLISHED, STATUSES, ReportDraft

NOT_STARTED = "none"
STATES = [(NOT_STARTED, "未开始"), *STATUSES]


@dataclass
class Row:
    agency: Agency
    depth: int  # 0: the office's own agency
    draft: ReportDraft | None
    deadline: date | None
    basis: str
    late: bool
    late_days: int

    @property
    def state(self) -> str:
        return self.draft.status if self.draft is not None else NOT_STARTED

    @property
    def state_label(self) -> str:
        return dict(STATES)[self.state]


def may_supervise(user) -> bool:
    return role(user) in (EDITOR, ADMIN)


def statutory_deadline(agency: Agency, year: int) -> tuple[date, str] | None:
    """The deadline the law sets for this agency's report of `year`, or None (乡镇、街道: local rules)."""
    for rule in deadlines():
        if rule.applies(year, agency.level or None, agency.kind == "department"):
            return date(year + 1, rule.month, rule.day), rule.basis
    return None


def published_on(draft: ReportDraft | None) -> date | None:
    if draft is None or draft.status != PUBLISHED:
        return None
    raw = (draft.data or {}).get("published")
    try:
        return date.fromisoformat(raw) if raw else draft.updated.date()
    except ValueError:
        return draft.updated.date()


def overseen(user) -> list[tuple[Agency, int]]:
    """The agencies under the user's region, its root first, in tree order (whole tree for an admin or an editor
    without a region)."""
    agencies = list(Agency.objects.all().order_by("name"))
    children: dict[int | None, list[Agency]] = {}
    for agency in agencies:
        children.setdefault(agency.parent_id, []).append(agency)
    root = None if role(user) == ADMIN else region_id(user)
    starts = [a for a in agencies if a.pk == root] if root is not None else children.get(None, [])
    out: list[tuple[Agency, int]] = []
    seen: set[int] = set()

    def walk(agency: Agency, depth: int) -> None:
        if agency.pk in seen:
            return
        seen.add(agency.pk)
        out.append((agency, depth))
        # governments' own departments first, then the governments below
        for child in sorted(children.get(agency.pk, []), key=lambda a: (a.kind != "department", a.name)):
            walk(child, depth + 1)

    for start in starts:
        walk(start, 0)
    return out


def board(user, year: int, today: date | None = None) -> list[Row]:
    today = today or date.today()
    agencies = overseen(user)
    ids = {a.pk for a, _ in agencies}
    drafts = {d.agency_id: d for d in ReportDraft.objects.filter(year=year) if d.agency_id in ids}
    rows = []
    for agency, depth in agencies:
        draft = drafts.get(agency.pk)
        due = statutory_deadline(agency, year)
        late, days = False, 0
        if due is not None:
            done = published_on(draft)
            end = done or today
            if end > due[0]:
                late, days = True, (end - due[0]).days
        rows.append(Row(agency, depth, draft, due[0] if due else None, due[1] if due else "", late, days))
    return rows


def counts(rows: list[Row]) -> dict:
    by_state = {key: 0 for key, _ in STATES}
    for row in rows:
        by_state[row.state] += 1
    return {
        "total": len(rows),
        "states": [(key, label, by_state[key]) for key, label in STATES],
        "late": sum(row.late for row in rows),
    }
