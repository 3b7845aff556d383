"""Request and response schemas of the REST API (they make the OpenAPI document)."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictFloat, StrictInt, StrictStr

from gongkai.spec import RATES
from gongkai.web.center.models import LEVELS

# Bounded so an absurd number is a 422, not a database overflow (a 500).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Year = Annotated[int, Field(ge=1900, le=2100)]
RateKey = Literal[tuple(rate.key for rate in RATES)]  # spec/rates.toml
LevelKey = Literal[tuple(key for key, _ in LEVELS)]  # central, province, city, county, township
AgencyName = Annotated[str, Field(min_length=2, max_length=200)]


class AgencyOut(Schema):
    id: int
    name: str
    level: str
    kind: str
    parent_id: int | None
    division_code: str


class AgencyIn(Schema):
    name: AgencyName
    parent_id: Id | None = None
    level: LevelKey | Literal[""] = ""
    kind: Literal["government", "department"] = "government"
    division_code: str = ""


class AgencyPatch(Schema):
    """Only the fields sent change; `"parent_id": null` moves the agency to the top of the tree."""

    name: AgencyName | None = None
    parent_id: Id | None = None
    level: LevelKey | Literal[""] | None = None
    kind: Literal["government", "department"] | None = None
    division_code: str | None = None


class AgencyMergeIn(Schema):
    into: Id


class AgencyMergeOut(Schema):
    into: AgencyOut
    reports: int
    children: int


class ReportOut(Schema):
    id: int
    title: str
    agency: AgencyOut | None
    agency_confidence: float
    year: int | None
    year_confidence: float
    format: str
    status: str
    error_count: int
    warning_count: int
    filename: str
    sha256: str


class ReportPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReportOut]


class CellOut(Schema):
    path: str
    label: str
    kind: str
    raw: str | None
    value: int | float | None
    extracted: int | float | None
    corrected: bool
    evidence: dict | None


class FindingOut(Schema):
    rule: str
    severity: str
    title: str
    message: str
    cells: list[str]
    expected: int | float | str | None = None
    found: int | float | str | None = None
    span: dict | None = None


class CorrectionIn(Schema):
    field: Literal["value", "year", "agency"] = "value"
    path: str | None = None
    value: StrictStr | StrictInt | StrictFloat  # strict: JSON true is not agency 1
    reason: str


class CorrectionOut(Schema):
    version: int
    field: str
    path: str | None
    old: str
    new: str
    reason: str
    user: str | None
    report_status: str


class IngestItemOut(Schema):
    filename: str
    report_id: int
    created: bool


class IngestOut(Schema):
    items: list[IngestItemOut]


class ErrorOut(Schema):
    code: str
    message: str


class JobItemOut(Schema):
    filename: str
    status: str
    code: str
    message: str
    report_id: int | None


class JobOut(Schema):
    id: int
    status: str
    total: int
    processed: int
    items: list[JobItemOut]
