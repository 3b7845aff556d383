"""Filtering reports: one implementation for the pages, the exports and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from gongkai.spec import FORMATS
from gongkai.web.center.models import Agency, Finding, Report

# Large columns a list never shows: the parsed JSON and the document texts.
LIST_DEFERRED = ("parsed", "document__source_text", "document__rendered_text")


def parse_id(text) -> int | None:
    """A non-negative integer a database column can hold, from a query parameter; else None. Only ASCII
    digits: int() also takes "٣" and "1_000", and "²".isdigit() is true."""
    text = str(text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


@dataclass
class ReportFilter:
    agency: int | None = None  # an agency and its whole subtree
    q: str = ""  # agency name contains
    year: int | None = None
    format: str = ""
    has_errors: bool | None = None
    status: str = ""
    rule: str = ""  # reports with a finding of this rule

    @classmethod
    def from_params(cls, params) -> ReportFilter:
        """From query parameters; values that do not parse are ignored (a page never fails on a bad filter)."""

        def as_int(name: str) -> int | None:
            return parse_id(params.get(name, ""))

        has_errors = {"true": True, "1": True, "false": False, "0": False}.get(
            str(params.get("has_errors", "")).lower()
        )
        fmt = params.get("format", "")
        status = params.get("status", "")
        return cls(
            agency=as_int("agency"),
            q=(params.get("q") or "").strip()[:100],
            year=as_int("year"),
            format=fmt if fmt in FORMATS else "",
            has_errors=has_errors,
            status=status if status in dict(Report.STATUS) else "",
            rule=(params.get("rule") or "").strip()[:64],
        )

    def apply(self, qs: QuerySet[Report] | None = None) -> QuerySet[Report]:
        qs = Report.objects.select_related("agency", "document") if qs is None else qs
        qs = qs.defer(*LIST_DEFERRED)
        if self.agency is not None:
            agency = Agency.objects.filter(pk=self.agency).first()
            qs = qs.filter(agency_id__in=agency.subtree_ids()) if agency else qs.none()
        if self.q:
            qs = qs.filter(Q(agency__name__icontains=self.q) | Q(document__filename__icontains=self.q))
        if self.year is not None:
            qs = qs.filter(year=self.year)
        if self.format:
            qs = qs.filter(format=self.format)
        if self.has_errors is not None:
            qs = qs.filter(error_count__gt=0) if self.has_errors else qs.filter(error_count=0)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.rule:
            qs = qs.filter(pk__in=Finding.objects.filter(rule=self.rule).values("report_id"))
        return qs

    def query_string(self) -> str:
        from urllib.parse import urlencode

        pairs = {
            "agency": self.agency,
            "q": self.q,
            "year": self.year,
            "format": self.format,
            "status": self.status,
            "has_errors": None if self.has_errors is None else str(self.has_errors).lower(),
            "rule": self.rule,
        }
        return urlencode({k: v for k, v in pairs.items() if v not in (None, "")})
