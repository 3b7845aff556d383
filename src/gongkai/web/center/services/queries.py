"""Filtering reports: one implementation for the pages, the exports and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from gongkai.spec import FORMATS
from gongkai.web.center.models import LEVELS, Agency, Finding, Report

# Large columns a list never shows: the parsed JSON and the document texts.
LIST_DEFERRED = ("parsed", "document__source_text", "document__rendered_text")


def parse_id(text) -> int | None:
    """A non-negative integer a database column can hold, from a query parameter; else None. Only ASCII
    digits: int() also takes "٣" and "1_000", and "²".isdigit() is true."""
    text = str(text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


# Suffixes people type after a place name: "洪泽区人民政府" is the agency "洪泽区" in the division tree.
_GOVERNMENT_SUFFIXES = ("人民政府", "政府")
LEVEL_CHOICES = LEVELS
MISSING_CHOICES = [("agency", "未识别机关"), ("year", "未识别年度")]
# Sortable list columns: parameter value → order_by fields (the pk last keeps pages stable).
SORTS = {
    "agency": ("agency__name", "-year", "pk"),
    "year": ("year", "agency__name", "pk"),
    "status": ("error_count", "warning_count", "pk"),
    "filename": ("document__filename", "pk"),
    "created": ("created", "pk"),
}
DEFAULT_SORT = "-year"
MAX_MATCHED_AGENCIES = 500  # a search word matching more agencies than this matches by name only (no subtrees)


def subtrees(ids) -> set[int]:
    """The agencies with these ids and everything below them: one query per tree level."""
    found, frontier = set(ids), list(ids)
    while frontier:
        below = Agency.objects.filter(parent_id__in=frontier).exclude(pk__in=found)
        frontier = list(below.values_list("pk", flat=True))
        found.update(frontier)
    return found


def name_core(text: str) -> str:
    """A place or agency name without the government suffix, when something meaningful is left."""
    for suffix in _GOVERNMENT_SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            return text[: -len(suffix)]
    return text


def agencies_named(text: str, *, subtree: bool = True) -> set[int]:
    """Agencies whose name contains the text (or its form without 人民政府), with their subtrees:
    "淮安" finds 淮安市 and so 洪泽区 below it."""
    names = {text, name_core(text)}
    query = Q()
    for name in names:
        query |= Q(name__icontains=name)
    ids = list(Agency.objects.filter(query).values_list("pk", flat=True)[: MAX_MATCHED_AGENCIES + 1])
    if not subtree or len(ids) > MAX_MATCHED_AGENCIES:
        return set(ids)
    return subtrees(ids)


@dataclass
class ReportFilter:
    agency: int | None = None  # an agency and its whole subtree
    q: str = ""  # title, agency (and the agencies below it) or file name contains
    year: int | None = None
    format: str = ""
    has_errors: bool | None = None
    status: str = ""
    rule: str = ""  # reports with a finding of this rule
    region: str = ""  # a region by name, with its subtree
    level: str = ""  # the agency's level
    missing: str = ""  # "agency" or "year": reports where it was not recognised
    sort: str = ""  # a key of SORTS, "-" first for descending

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
        level = params.get("level", "")
        missing = params.get("missing", "")
        sort = params.get("sort", "")
        return cls(
            agency=as_int("agency"),
            q=(params.get("q") or "").strip()[:100],
            year=as_int("year"),
            format=fmt if fmt in FORMATS else "",
            has_errors=has_errors,
            status=status if status in dict(Report.STATUS) else "",
            rule=(params.get("rule") or "").strip()[:64],
            region=(params.get("region") or "").strip()[:100],
            level=level if level in dict(LEVEL_CHOICES) else "",
            missing=missing if missing in dict(MISSING_CHOICES) else "",
            sort=sort if sort.lstrip("-") in SORTS else "",
        )

    def apply(self, qs: QuerySet[Report] | None = None) -> QuerySet[Report]:
        qs = Report.objects.select_related("agency", "document") if qs is None else qs
        qs = qs.defer(*LIST_DEFERRED)
        if self.agency is not None:
            agency = Agency.objects.filter(pk=self.agency).first()
            qs = qs.filter(agency_id__in=agency.subtree_ids()) if agency else qs.none()
        if self.q:
            qs = qs.filter(
                Q(printed_title__icontains=self.q)
                | Q(document__filename__icontains=self.q)
                | Q(agency_id__in=agencies_named(self.q))
            )
        if self.region:
            qs = qs.filter(agency_id__in=agencies_named(self.region))
        if self.level:
            qs = qs.filter(agency__level=self.level)
        if self.missing == "agency":
            qs = qs.filter(agency=None)
        elif self.missing == "year":
            qs = qs.filter(year=None)
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

    def ordered(self, qs: QuerySet[Report] | None = None) -> QuerySet[Report]:
        """The filtered reports in the chosen order (newest year first by default)."""
        qs = self.apply(qs)
        if not self.sort:
            return qs.order_by("-year", "agency__name", "pk")
        fields = SORTS[self.sort.lstrip("-")]
        if self.sort.startswith("-"):
            fields = tuple(f[1:] if f.startswith("-") else "-" + f for f in fields)
        return qs.order_by(*fields)

    def query_string(self, *, sort: bool = True) -> str:
        from urllib.parse import urlencode

        pairs = {
            "agency": self.agency,
            "q": self.q,
            "year": self.year,
            "format": self.format,
            "status": self.status,
            "has_errors": None if self.has_errors is None else str(self.has_errors).lower(),
            "rule": self.rule,
            "region": self.region,
            "level": self.level,
            "missing": self.missing,
            "sort": self.sort if sort else "",
        }
        return urlencode({k: v for k, v in pairs.items() if v not in (None, "")})

    def sort_link(self, key: str) -> dict:
        """A column header's link: ascending first, then descending; marks the current order."""
        current = self.sort.lstrip("-") == key
        descending = self.sort.startswith("-")
        target = (key if descending else "-" + key) if current else key
        base = self.query_string(sort=False)
        return {
            "url": "?" + (base + "&" if base else "") + "sort=" + target,
            "mark": ("▼" if descending else "▲") if current else "",
        }
