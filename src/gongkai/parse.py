"""Parse one report: load → detect the format → fit the tables → read metadata and prose → check."""

from __future__ import annotations

import logging
from pathlib import Path

from gongkai.checking.checks import run_checks
from gongkai.errors import NotAReport
from gongkai.fitting.body import body_span
from gongkai.fitting.continuity import PreviousYear
from gongkai.fitting.detect import detect_format
from gongkai.fitting.extract import extract_cells
from gongkai.fitting.facts import extract_facts
from gongkai.fitting.meta import extract_meta
from gongkai.fitting.prose_placement import place_by_prose
from gongkai.fitting.reports import next_report
from gongkai.reading.document import Document, load_text
from gongkai.reading.files import read_bytes, read_file
from gongkai.reading.tamper import find_spam
from gongkai.reading.textnorm import fold
from gongkai.report import Report
from gongkai.spec import SECTIONS

log = logging.getLogger("gongkai")


def _ensure_report(doc: Document) -> None:
    if not doc.text.strip():
        raise NotAReport("文件为空", "empty document")
    if "信息公开" not in doc.folded:
        raise NotAReport(
            "不是政府信息公开工作年度报告：未找到“信息公开”字样",
            "not a government information disclosure annual report (no 信息公开 in the text)",
        )


Previous = Report | PreviousYear | None


def parse_document(doc: Document, source: str = "<text>", previous: Previous = None) -> Report:
    """`previous`: the same agency's report of the year before (or its `PreviousYear`), whose 现行有效件数 may
    place a 表二（一） row the text leaves open; without it nothing changes."""
    _ensure_report(doc)
    meta = extract_meta(doc)
    # A second report in the file is not this one: its labels do not decide this report's format.
    following = next_report(doc, doc.keys)
    text = doc.folded[: following.start] if following else doc.folded
    fmt, basis = detect_format(text, (meta.get("year") or {}).get("value"))
    last_year = PreviousYear.from_report(previous) if isinstance(previous, Report) else previous
    year = (meta.get("year") or {}).get("value")
    if last_year is not None and last_year.year and year and last_year.year != int(year) - 1:
        log.warning("%s: the previous report is of %s, not %s; continuity not used", source, last_year.year, year - 1)
        last_year = None  # another year's stock says nothing about this year's
    cells, headings, tables, header_hints, open_rows, heading_hints = extract_cells(doc, fmt, last_year, following)
    report = Report(source=source, text=doc.source, format=fmt, cells=cells, input_kind=doc.kind, encoding=doc.encoding)
    report.previous = last_year
    report.header_hints = header_hints
    report.heading_hints = heading_hints
    report.format_basis = basis
    report.meta = meta
    last_heading = max(headings.values(), default=None)
    body = body_span(doc, meta.get("title"), doc.tokens[last_heading].end if last_heading is not None else None)
    if following is not None:  # the file goes on with another report: its prose is not this report's
        body = (body[0], max(body[0], min(body[1], following.start)))
        start, end = doc.source_span(following.start, following.start + len(following.title))
        report.next_report = {"title": following.title, "start": start, "end": end}
    report.body = dict(zip(("start", "end"), doc.source_span(*body), strict=True))
    for section in SECTIONS:
        if section.key in headings:
            token = doc.tokens[headings[section.key]]
            start, end = doc.source_span(token.start, token.end)
            report.sections[section.key] = {"number": section.number, "label": token.text, "start": start, "end": end}
    report.facts = extract_facts(doc, *body, skip=tables)
    report.prose_placed = place_by_prose(report, open_rows)
    report.tamper = _tamper(doc)
    report.findings = run_checks(report)
    return report


def _tamper(doc: Document) -> list[dict]:
    found = []
    for span in doc.spam:
        start, end = doc.source_span(span.start, span.end)
        found.append({"kind": "spam", "text": doc.text[span.start : span.end], "start": start, "end": end})
    for hidden in doc.hidden:
        if hidden.links or find_spam(fold(hidden.text)):
            found.append(
                {"kind": "hidden", "text": hidden.text, "links": hidden.links, "start": hidden.start, "end": hidden.end}
            )
    return found


def parse_text(text: str, source: str = "<text>", kind: str | None = None, previous: Previous = None) -> Report:
    return parse_document(load_text(text, kind=kind), source, previous)


def parse_bytes(data: bytes, source: str = "<bytes>", previous: Previous = None) -> Report:
    """Any supported file's bytes; the type is sniffed, and the name (`source`) only tells HTML from text."""
    return parse_bytes_with_text(data, source, previous)[0]


def parse_bytes_with_text(data: bytes, source: str = "<bytes>", previous: Previous = None) -> tuple[Report, str]:
    """`parse_bytes`, and the document's text as read (rendered, for a web page): what the site stores."""
    document = read_bytes(data, source)
    return parse_document(document, source, previous), document.text


def parse_file(path: str | Path, previous: Previous = None) -> Report:
    return parse_document(read_file(path), str(path), previous)
