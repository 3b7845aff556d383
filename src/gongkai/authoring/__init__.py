"""Writing the annual report: a draft whose numbers come from registries and ledgers, checked by the same
rules as published reports, written out as Word in the official document style, PDF and a web page.

Pure Python (no Django); the web application is a thin layer over it.
"""

from gongkai.authoring.draft import AnnualReportDraft, DraftError, Issue, format_for_year, from_report_json

__all__ = ["AnnualReportDraft", "DraftError", "Issue", "format_for_year", "from_report_json"]
