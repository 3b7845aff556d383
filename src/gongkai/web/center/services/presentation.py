"""What the report page shows: the layout tables filled with current values and marked by findings."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from gongkai.render import SEVERITY_NAME
from gongkai.web.center.models import Report
from gongkai.web.center.services.documents import number
from gongkai.web.center.services.layout import tables

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class _AsFinding:
    severity: str
    cells: list[str]


def cell_marks(findings) -> dict[str, str]:
    """The worst severity of a finding on each cell path."""
    marks: dict[str, str] = {}
    for finding in findings:
        for path in finding.cells or []:
            current = marks.get(path)
            if current is None or SEVERITY_ORDER[finding.severity] < SEVERITY_ORDER[current]:
                marks[path] = finding.severity
    return marks


def fill(format_id: str, lookup) -> list[dict]:
    """The layout tables of a format with each value slot filled by `lookup(path)` → (display, css classes)."""
    out = []
    for table in tables(format_id):
        rows = []
        for row in table.rows:
            slots = []
            for slot in row:
                item = {"slot": slot}
                if slot.path:
                    display, classes, *title = lookup(slot.path)
                    item |= {"display": display, "classes": classes, "title": title[0] if title else ""}
                slots.append(item)
            rows.append(slots)
        out.append({"table": table, "rows": rows})
    return out


IDENTITY_NOTE = "由表内勾稽关系推定位置"
PROSE_NOTE = "原文表格数字粘连，按正文所述数字确定拆分"
EMPTY_NOTE = "原文此格空白（按 0 计）"


def placed(cell: dict | None) -> str:
    """How the parser placed a cell: "label", "position", "identity" or "prose" (older documents say nothing:
    "label")."""
    if not cell:
        return "label"
    return cell.get("placed") or (cell.get("evidence") or {}).get("placed") or "label"


def money_text(value) -> str:
    """An amount in 万元 as the table shows it, with its unit."""
    return f"{value} 万元"


def cell_display(cell, value) -> tuple[str, list[str], str]:
    """What a value cell shows: blank for a blank printed cell, amounts with their unit; extra classes; a tooltip."""
    if value is None:
        return "—", [], ""
    if cell.kind == "empty" and not cell.corrected:
        return "", ["empty"], EMPTY_NOTE
    if cell.kind == "money":
        return money_text(value), ["money"], f"原文“{cell.raw}”，统一换算为万元" if cell.raw else "单位：万元"
    return str(value), [], ""


def filled_tables(report: Report, findings, cross_year=(), parsed: dict | None = None) -> list[dict]:
    """The report's tables with current values, marked by its findings and by the cross-year checks."""
    cells = {c.path: c for c in report.cell_rows.all()}
    parsed = report.parsed if parsed is None else parsed
    placement = {c.get("path"): placed(c) for c in (parsed.get("cells") or []) if isinstance(c, dict)}
    marks = cell_marks([*findings, *(_AsFinding(f.severity, f.cells) for f in cross_year)])

    def lookup(path: str):
        cell = cells.get(path)
        value = number(cell.value, cell.kind) if cell else None
        classes = ["v"]
        titles = []
        if cell is None or (cell.kind == "missing" and not cell.corrected):
            classes.append("missing")
        display, extra, title = cell_display(cell, value) if cell else ("—", [], "")
        classes += extra
        if title:
            titles.append(title)
        if cell and cell.corrected:
            classes.append("corrected")
            titles.append("已人工更正")
        how = placed(cell.evidence if cell else None)
        if how == "label":
            how = placement.get(path, "label")
        if how == "identity":
            classes.append("identity")
            titles.append(IDENTITY_NOTE)
        elif how == "prose":
            classes.append("prose")
            titles.append(PROSE_NOTE)
        if path in marks:
            classes.append(f"sev-{marks[path]}")
        return display, " ".join(classes), "；".join(titles)

    return fill(report.format, lookup)


def sorted_findings(findings) -> list:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.pk))


def severity_name(severity: str) -> str:
    return SEVERITY_NAME.get(severity, severity)


# -- the evidence panel ------------------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"(?:\s*(?:⏎|\||｜)\s*)+")
_TR_OPEN = re.compile(r"<tr\b", re.I)
_TR_CLOSE = re.compile(r"</tr\s*>", re.I)
_CELL_OPEN = re.compile(r"<t[dh]\b[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]*>", re.S)
ROW_REACH = 6000  # characters either side of a value where its table row's tags are looked for


def clean_text(text: str) -> str:
    """Evidence text without line-break marks and table rules: cells separated by one thin divider."""
    return _SEPARATORS.sub(" ｜ ", text or "").strip()


def html_row(source: str, start: int, end: int) -> dict | None:
    """The table row of an HTML page holding the value at [start, end): its cells as text and which one it is."""
    window_start = max(0, start - ROW_REACH)
    opens = list(_TR_OPEN.finditer(source, window_start, start))
    close = _TR_CLOSE.search(source, end, end + ROW_REACH)
    if not opens or close is None:
        return None
    row_start = opens[-1].start()
    if _TR_CLOSE.search(source, row_start, start):  # the value is not inside that row
        return None
    cells, index = [], None
    bounds = [m.end() for m in _CELL_OPEN.finditer(source, row_start, close.start())]
    for n, cell_start in enumerate(bounds):
        cell_end = bounds[n + 1] if n + 1 < len(bounds) else close.start()
        text = html.unescape(_TAGS.sub(" ", source[cell_start:cell_end]))
        cells.append(" ".join(text.split()))
        if cell_start <= start < cell_end:
            index = n
    if index is None:
        return None
    return {"cells": cells, "index": index, "column": index + 1}


def location_text(location: dict | None) -> str:
    """A reader's location in words: 第 3 页, 表格 2 第 5 行第 3 格, 工作表“表三” D7, 第 12 段."""
    if not location:
        return ""
    if "page" in location:
        return f"PDF 第 {location['page']} 页（红框处）"
    if "sheet" in location:
        return f"工作表“{location['sheet']}”{(' 单元格 ' + location['cell']) if location.get('cell') else ''}"
    if "table" in location:
        return f"文档中第 {location['table']} 个表格，第 {location.get('row', '?')} 行第 {location.get('cell', '?')} 格"
    if "paragraph" in location:
        return f"正文第 {location['paragraph']} 段"
    return "，".join(f"{k}={v}" for k, v in location.items())


def evidence_view(cell, snip, document) -> dict | None:
    """The evidence panel's content: clean quoted text, and where in the original it is in words a user can use."""
    if snip is None:
        return None
    view = {
        "before": clean_text(snip.before),
        "match": snip.match.strip(),
        "after": clean_text(snip.after),
        "location": location_text(snip.location),
        "line": None,
        "row": None,
        "placed": placed(cell.evidence),
        "note": (cell.evidence or {}).get("note"),  # how an identity or the prose placed it, with the quotes
    }
    evidence = cell.evidence or {}
    if document.kind == "html" and evidence.get("start") is not None:
        view["row"] = html_row(document.source_text, evidence["start"], evidence["end"])
        view["offset"] = evidence["start"]
    elif snip.line and document.source_text.count("\n") >= 2:  # a line number only helps in a text of lines
        view["line"] = snip.line
    return view
