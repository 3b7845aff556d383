"""Write a parsed report to the database: Document, Report, its Cells and Findings."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import PurePath

from django.core.files.base import ContentFile

from gongkai.report import Report as ParsedReport
from gongkai.spec import RATE_PATHS
from gongkai.web.center.models import Cell, Document, Finding, Report
from gongkai.web.center.services.agencies import place_agency

_YEAR_IN_NAME = re.compile(r"(?<!\d)(20[0-4]\d|199\d)(?!\d)")


def to_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def figures_from_values(values: dict[str, Decimal | None]) -> dict[str, str | None]:
    """What Report.figures stores: the rate cells a report has, each value exact (a decimal string) or None."""
    out = {}
    for path in RATE_PATHS:
        if path in values:
            value = values[path]
            out[path] = None if value is None else str(int(value) if value == value.to_integral_value() else value)
    return out


def document_figures(doc_json: dict) -> dict[str, str | None]:
    return figures_from_values({c["path"]: to_decimal(c["value"]) for c in doc_json["cells"]})


def current_figures(report: Report) -> dict[str, str | None]:
    return figures_from_values(
        dict(Cell.objects.filter(report=report, path__in=RATE_PATHS).values_list("path", "value"))
    )


def status_of(findings) -> tuple[str, int, int]:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning")
    return ("errors" if errors else "warnings" if warnings else "ok"), errors, warnings


def identify(parsed: dict, filename: str) -> dict:
    """Agency and year with their confidence: from the report's metadata, else from the file name."""
    meta = parsed.get("meta") or {}
    out: dict = {"agency": None, "agency_confidence": 0.0, "agency_source": "", "year": None}
    out |= {"year_confidence": 0.0, "year_source": ""}
    agency = meta.get("agency")
    if agency and agency.get("name"):
        out["agency"] = place_agency(agency["name"], agency.get("level"), agency.get("is_department"))
        out["agency_confidence"] = float(agency.get("confidence") or 0)
        out["agency_source"] = (agency.get("source") or "")[:32]
    year = meta.get("year")
    if year and year.get("value"):
        out |= {"year": int(year["value"]), "year_confidence": float(year.get("confidence") or 0)}
        out["year_source"] = (year.get("source") or "")[:32]
    elif m := _YEAR_IN_NAME.search(PurePath(filename).stem):
        out |= {"year": int(m[1]), "year_confidence": 0.5, "year_source": "filename"}
    return out


def save_report(data: bytes, digest: str, filename: str, parsed: ParsedReport, rendered: str, user=None) -> Report:
    """Create every row for one new report. Call inside a transaction; the caller removes the file on failure."""
    doc_json = parsed.to_json()
    document = Document(
        sha256=digest,
        filename=filename[:255],
        size=len(data),
        kind=parsed.input_kind,
        source_text=parsed.text,
        rendered_text=rendered,
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    suffix = PurePath(filename).suffix.lower()[:10]
    document.file.save(f"{digest}{suffix}", ContentFile(data), save=False)
    try:
        return _save_rows(document, doc_json, parsed, filename)
    except BaseException:
        document.file.delete(save=False)  # the transaction drops the rows; the stored file must go too
        raise


def _save_rows(document: Document, doc_json: dict, parsed: ParsedReport, filename: str) -> Report:
    document.save()
    status, errors, warnings = status_of(parsed.findings)
    report = Report.objects.create(
        document=document,
        format=parsed.format.id,
        parsed=doc_json,
        printed_title=((doc_json.get("meta") or {}).get("title") or "")[:255],
        status=status,
        error_count=errors,
        warning_count=warnings,
        figures=document_figures(doc_json),
        **identify(doc_json, filename),
    )
    Cell.objects.bulk_create(cell_rows(report, doc_json))
    replace_findings(report, doc_json["findings"])
    return report


def replace_findings(report: Report, findings: list[dict]) -> None:
    report.finding_rows.all().delete()
    Finding.objects.bulk_create(finding_rows(report, findings))


def cell_rows(report: Report, doc_json: dict) -> list[Cell]:
    """The report's cells as rows (unsaved), extracted value and current value alike."""
    return [
        Cell(
            report=report,
            path=c["path"],
            table=c["path"].split(".", 1)[0],
            label=c["label"][:255],
            kind=c["kind"],
            raw=c.get("raw"),
            extracted=to_decimal(c["value"]),
            value=to_decimal(c["value"]),
            evidence=c.get("evidence"),
        )
        for c in doc_json["cells"]
    ]


def finding_rows(report: Report, findings: list[dict]) -> list[Finding]:
    """The report's findings as rows (unsaved)."""
    return [
        Finding(
            report=report,
            rule=f["rule"],
            severity=f["severity"],
            title=f["title"][:255],
            message=f["message"],
            cells=f.get("cells") or [],
            expected=f.get("expected"),
            found=f.get("found"),
            span=f.get("span"),
        )
        for f in findings
    ]


def replace_reading(report: Report, parsed: ParsedReport) -> None:
    """Store a new reading of a report's unchanged original (read again with more context: its previous year).
    Only for a report nobody has corrected: its cells are written anew. Call inside a transaction."""
    doc_json = parsed.to_json()
    report.cell_rows.all().delete()
    Cell.objects.bulk_create(cell_rows(report, doc_json))
    replace_findings(report, doc_json["findings"])
    report.parsed = doc_json
    report.status, report.error_count, report.warning_count = status_of(parsed.findings)
    report.figures = document_figures(doc_json)
    report.save(update_fields=["parsed", "status", "error_count", "warning_count", "figures", "updated"])
