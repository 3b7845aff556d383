"""Terminal rendering of a report: the three tables in Chinese, aligned, with findings."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from gongkai.report import Cell, Report

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_NAME = {"error": "错误", "warning": "警告", "info": "提示"}


def _flagged(report: Report) -> dict[str, str]:
    """Cell path → the most severe finding's severity among those naming it."""
    order = {"error": 0, "warning": 1, "info": 2}
    out: dict[str, str] = {}
    for finding in report.findings:
        for path in finding.cells:
            if path not in out or order[finding.severity] < order[out[path]]:
                out[path] = finding.severity
    return out


# Marks a value whose cell was decided by the table's identities (its label or column was not printed with it).
IDENTITY_MARK = "*"
IDENTITY_NOTE = "带 * 的数字：原文中数字与行名或列名没有印在一起，其位置由表格的勾稽关系唯一确定。"
# Marks a value of a glued 表二 row whose split the report's prose decided (prose_placement.py).
PROSE_MARK = "†"
PROSE_NOTE = "带 † 的数字：原文表格中这一行的数字粘连在一起，拆分方式由正文所述数字唯一确定（见问题列表）。"


def _value_text(cell: Cell | None, flags: dict[str, str]) -> Text:
    if cell is None:
        return Text("—", style="dim")  # a row the report does not print (the 2021 （六） sub-rows)
    if not cell.present:
        return Text("？", style="bold red")
    value = cell.value
    if isinstance(value, Decimal):
        shown = f"{value:f}"
    elif cell.kind == "delta" and isinstance(value, int) and value > 0:
        shown = f"+{value}"
    else:
        shown = str(value)
    if cell.kind == "empty":
        shown, style = "（空）", "dim"
    elif cell.kind == "placeholder":
        shown, style = f"{cell.raw}", "dim"
    else:
        style = ""
    if cell.placed == "identity":
        shown += IDENTITY_MARK
    elif cell.placed == "prose":
        shown += PROSE_MARK
    severity = flags.get(cell.path)
    if severity in ("error", "warning"):
        style = SEVERITY_STYLE[severity] + " reverse"
    return Text(shown, style=style, justify="right")


def active_table(report: Report, flags: dict[str, str]) -> Table:
    table = Table(title="二、主动公开政府信息情况", title_justify="left", show_header=False)
    width = max(len(block.fields) for block in report.format.active)
    table.add_column("信息内容", no_wrap=True)
    for _ in range(width):
        table.add_column(justify="right", no_wrap=True)
    for block in report.format.active:
        header = [Text(f.label, style="bold", justify="right") for f in block.fields]
        table.add_row(Text(block.article, style="bold"), *header)
        for row in block.rows:
            values = [_value_text(report.cells.get(f"active.{row.key}.{f.key}"), flags) for f in block.fields]
            table.add_row("  " + row.label, *values)
        table.add_section()
    return table


def requests_table(report: Report, flags: dict[str, str]) -> Table:
    grid = report.format.requests
    assert grid is not None
    table = Table(title="三、收到和处理政府信息公开申请情况", title_justify="left")
    table.add_column("申请 / 办理结果", no_wrap=True, ratio=1)
    rows = [
        [_value_text(report.cells.get(f"requests.{row.key}.{c.key}"), flags) for c in grid.columns] for row in grid.rows
    ]
    for i, column in enumerate(grid.columns):
        widest = max(len(r[i].plain) for r in rows)
        table.add_column(column.short or column.label, justify="right", min_width=widest, overflow="fold")
    for row, values in zip(grid.rows, rows, strict=True):
        table.add_row(row.short or row.label, *values, end_section=row.key in ("carried_over", "total"))
    return table


def review_table(report: Report, flags: dict[str, str]) -> Table:
    grid = report.format.review_litigation
    assert grid is not None
    table = Table(title="四、政府信息公开行政复议、行政诉讼情况", title_justify="left")
    table.add_column("", no_wrap=True, ratio=1)
    for column in grid.columns:
        table.add_column(column.label, justify="right", min_width=5, overflow="fold")
    for row in grid.rows:
        values = [_value_text(report.cells.get(f"review_litigation.{row.key}.{c.key}"), flags) for c in grid.columns]
        table.add_row(row.label, *values)
    return table


def findings_table(report: Report) -> Table | Text:
    if not [f for f in report.findings if not f.rule.startswith("tamper.")]:
        return Text("检查未发现问题。", style="green")
    table = Table(title="检查结果", title_justify="left", show_lines=False, expand=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("规则", no_wrap=True, style="dim")
    table.add_column("说明")
    for finding in report.findings:
        if finding.rule.startswith("tamper."):
            continue  # shown in their own panel
        table.add_row(
            Text(SEVERITY_NAME[finding.severity], style=SEVERITY_STYLE[finding.severity]),
            finding.rule,
            finding.message,
        )
    return table


def header(report: Report) -> Panel:
    meta = report.meta
    agency = meta.get("agency") or {}
    year = meta.get("year") or {}
    lines = [
        f"机关：{agency.get('name') or '未识别'}"
        + (
            f"（{agency['level_name']}{'部门' if agency.get('is_department') else ''}）"
            if agency.get("level_name")
            else ""
        ),
        f"年度：{year.get('value') or '未识别'}    格式：{report.format.name}",
    ]
    if meta.get("published"):
        lines.append(f"发布日期：{meta['published']}")
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in SEVERITY_NAME}
    lines.append("检查：" + "，".join(f"{SEVERITY_NAME[s]} {n}" for s, n in counts.items()))
    return Panel("\n".join(lines), title=report.source, title_align="left")


def tamper_panel(report: Report) -> Panel | None:
    """Injected spam is shown first and in red: a hacked page is news to the clerk."""
    items = [f for f in report.findings if f.rule.startswith("tamper.")]
    if not items:
        return None
    lines = [f"• {f.message}" for f in items]
    return Panel("\n".join(lines), title="⚠ 疑似网页被篡改", title_align="left", border_style="bold red")


def render_report(report: Report, *, tables: bool = True) -> Group:
    flags = _flagged(report)
    parts: list = [header(report)]
    tamper = tamper_panel(report)
    if tamper:
        parts.append(tamper)
    if tables and report.format.has_tables:
        parts += [active_table(report, flags), requests_table(report, flags), review_table(report, flags)]
        if any(cell.placed == "identity" for cell in report.cells.values()):
            parts.append(Text(IDENTITY_NOTE, style="dim"))
        if any(cell.placed == "prose" for cell in report.cells.values()):
            parts.append(Text(PROSE_NOTE, style="dim"))
    elif tables:
        parts.append(Text("该报告为2019年以前的文字版年报，没有规定格式的统计表。", style="italic"))
        if report.facts:
            facts = Table(title="正文中的主要数字", title_justify="left")
            facts.add_column("事项")
            facts.add_column("数值", justify="right")
            facts.add_column("原文")
            for fact in report.facts:
                facts.add_row(fact.label, str(fact.value), fact.quote)
            parts.append(facts)
    parts.append(findings_table(report))
    return Group(*parts)


def cross_year_table(agency: str, findings: list) -> Table:
    """The cross-year findings of one agency (gongkai.checking.cross_year)."""
    table = Table(title=f"跨年度检查：{agency}", title_justify="left", expand=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("年度", no_wrap=True)
    table.add_column("规则", no_wrap=True, style="dim")
    table.add_column("说明")
    for finding in findings:
        name = Text(SEVERITY_NAME[finding.severity], style=SEVERITY_STYLE[finding.severity])
        table.add_row(name, f"{finding.year - 1}→{finding.year}", finding.rule, finding.message)
    return table
