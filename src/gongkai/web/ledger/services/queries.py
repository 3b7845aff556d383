"""The ledger list: filters and counts in SQL. A request's state depends on today, so it is not stored: the row
keeps what the core's clock says independently of the day (`phase`: running, paused / awaiting_payment with the
last day of that open pause in `pause_end`, awaiting_correction, closed) and the `due` date. The state on a day
is then a condition on those columns: a pause is over once `pause_end` has passed, and a running request is
overdue after `due`, due soon up to the date `due_soon` working days ahead (computed once per page from the
core's calendar, the same rule as the core's clock), open otherwise."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Q

from gongkai.ledger import model as core
from gongkai.web.ledger.models import Request
from gongkai.web.ledger.services import records
from gongkai.web.ledger.services.labels import STATES

PAUSES = ("paused", "awaiting_payment")


def soon_limit(today: date) -> date:
    """The last due date that counts as 'due soon' today: `due_soon` working days ahead."""
    return records.working_days_ahead(today)


def state_q(state: str, today: date, soon: date) -> Q:
    if state in ("awaiting_correction", "closed"):
        return Q(phase=state)
    if state in PAUSES:
        return Q(phase=state, pause_end__gte=today)
    running = Q(phase="running") | Q(phase__in=PAUSES, pause_end__lt=today)
    if state == "overdue":
        return running & Q(due__lt=today)
    if state == "due_soon":
        return running & Q(due__gte=today, due__lte=soon)
    if state == "open":
        return running & (Q(due__gt=soon) | Q(due=None))
    return Q()


def state_of(req: Request, today: date, soon: date) -> str:
    if req.phase in ("awaiting_correction", "closed"):
        return req.phase
    if req.phase in PAUSES and req.pause_end is not None and req.pause_end >= today:
        return req.phase
    if req.due is None or req.due > soon:
        return "open"
    return "overdue" if req.due < today else "due_soon"


@dataclass
class LedgerFilter:
    agency_id: int
    state: str = ""
    outcome: str = ""
    applicant_type: str = ""
    year: int | None = None
    q: str = ""
    cell: str = ""  # a cell of the year-end tables ("requests.granted.total") …
    cell_year: int | None = None  # … of this year: the list shows the requests counted in it
    ids: list[int] | None = field(default=None, repr=False)  # set from the cell by the view

    @classmethod
    def from_params(cls, agency_id: int, params) -> LedgerFilter:
        year = params.get("year", "")
        cell = params.get("cell", "")
        cell_year = params.get("cell_year", "")
        return cls(
            agency_id=agency_id,
            state=params.get("state", "") if params.get("state", "") in STATES else "",
            outcome=params.get("outcome", "") if params.get("outcome", "") in core.OUTCOMES else "",
            applicant_type=params.get("applicant_type", "")
            if params.get("applicant_type", "") in core.APPLICANT_TYPES
            else "",
            year=int(year) if year.isdigit() and 1990 <= int(year) <= 2100 else None,
            q=params.get("q", "").strip()[:64],
            cell=cell[:80] if cell.startswith("requests.") else "",
            cell_year=int(cell_year) if cell_year.isdigit() and 1990 <= int(cell_year) <= 2100 else None,
        )

    def base(self):
        qs = Request.objects.filter(agency_id=self.agency_id)
        if self.year:
            qs = qs.filter(year=self.year)
        if self.outcome:
            qs = qs.filter(outcome=self.outcome)
        if self.applicant_type:
            qs = qs.filter(applicant_type=self.applicant_type)
        if self.q:
            qs = qs.filter(Q(number__icontains=self.q) | Q(content__icontains=self.q))
        if self.ids is not None:
            qs = qs.filter(pk__in=self.ids)
        return qs

    def apply(self, today: date, soon: date):
        qs = self.base()
        if self.state:
            qs = qs.filter(state_q(self.state, today, soon))
        return qs

    def counts(self, today: date, soon: date) -> dict[str, int]:
        """How many requests (under the other filters) are in each state, in one query."""
        aggregates = {key: Count("pk", filter=state_q(key, today, soon)) for key in STATES}
        return self.base().aggregate(all=Count("pk"), **aggregates)

    def query_string(self, **override) -> str:
        params = {
            "state": self.state,
            "outcome": self.outcome,
            "applicant_type": self.applicant_type,
            "year": self.year or "",
            "q": self.q,
            "cell": self.cell if self.cell_year else "",
            "cell_year": self.cell_year if self.cell else "",
        } | override
        return urlencode({k: v for k, v in params.items() if v})
