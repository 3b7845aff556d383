"""`gongkai ledger …`: reply deadlines, year-end 表三/表四 from a ledger file, comparison, import/export."""

from __future__ import annotations

import json
import logging
import sys
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gongkai.ledger.calendar import CalendarError, CalendarMissing, add_year, default_calendar
from gongkai.ledger.clock import Pause, TraceEntry, compute_deadline, reply_clock
from gongkai.ledger.fees import fee_by_piece, fee_by_volume
from gongkai.ledger.importer import (
    ImportFailed,
    ImportResult,
    import_ledger,
    load_mapping,
    parse_date,
    save_mapping,
)
from gongkai.ledger.model import APPLICANT_FULL_LABELS, Case, Request
from gongkai.ledger.stats import Statistics, compare_with_published, year_statistics

app = typer.Typer(
    help="依申请公开台账：答复期限、年度统计表三/表四、与已发布年报对比、导入导出 / the request ledger",
    no_args_is_help=True,
    add_completion=False,
)
calendar_app = typer.Typer(help="节假日安排（工作日历） / the official working-day calendar", no_args_is_help=True)
app.add_typer(calendar_app, name="calendar")
log = logging.getLogger("gongkai.ledger")

EXIT_FINDINGS = 1
EXIT_INPUT = 2
_SEVERITY = {"error": ("错误", "bold red"), "warning": ("警告", "yellow"), "info": ("提示", "cyan")}
_KIND = {
    "start": "起算",
    "counted": "计入",
    "skipped": "不计（休息日）",
    "paused": "不计（中止）",
    "extension": "延期",
}


def _console() -> Console:
    # Rich wraps at 80 columns when stdout is not a terminal; the tables need more.
    return Console(width=None if sys.stdout.isatty() else 150)


def _fail(message_zh: str, message_en: str, code: int = EXIT_INPUT) -> typer.Exit:
    Console(stderr=True).print(f"[bold red]错误：[/]{message_zh}", highlight=False)
    log.info(message_en)
    return typer.Exit(code)


def _date(text: str, what: str) -> date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise _fail(f"{what}：{exc}", f"bad date for {what}: {text!r}") from None


def _pause(text: str) -> Pause:
    if ":" not in text:
        raise _fail(f"--pause 应写作 起始日期:结束日期（如 2024-02-01:2024-02-20），现为“{text}”", "bad --pause")
    a, b = text.split(":", 1)
    start, end = _date(a, "--pause 起始日期"), _date(b, "--pause 结束日期")
    if end < start:
        raise _fail(f"--pause 的结束日期 {end} 早于起始日期 {start}", "pause ends before it starts")
    return Pause(start, end, f"中止计算（{start} 至 {end}，含首尾两日）：征求意见或缴费等，不计算在期限内")


@app.command()
def deadline(
    received: str = typer.Argument(..., help="收到申请之日，如 2024-01-31 或 2024年1月31日", show_default=False),
    extend: bool = typer.Option(False, "--extend", help="经批准延期 20 个工作日（条例第三十三条）"),
    pause: list[str] = typer.Option([], "--pause", help="不计算的期间 FROM:TO（含首尾），可重复"),
    corrected: str | None = typer.Option(
        None, "--corrected", help="收到补正申请之日：期限自此重新计算（条例第三十条）"
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON：{deadline, trace}"),
) -> None:
    """答复期限及逐日计算过程 / the reply deadline with its day-by-day trace."""
    day = _date(received, "收到日期")
    pauses = [_pause(p) for p in pause]
    corr = _date(corrected, "补正日期") if corrected else None
    if corr is not None and corr < day:
        raise _fail(f"收到补正之日 {corr} 早于收到申请之日 {day}", "corrected before received")
    try:
        result = compute_deadline(day, default_calendar(), pauses=pauses, corrected=corr, extend=extend)
    except CalendarMissing as exc:
        raise _fail(exc.message_zh, exc.message_en) from None
    except CalendarError as exc:
        raise _fail(f"节假日数据有误：{exc.message_zh}", "invalid calendar data") from None
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    out = _console()
    out.print(_trace_table(f"答复期限计算：{day} 收到申请", result.trace))
    out.print(f"原答复期限：{result.first_due}" + (f"；延期后：{result.due}" if extend else ""), highlight=False)
    out.print(f"[bold]答复期限：{result.due}[/]（星期{'一二三四五六日'[result.due.weekday()]}）", highlight=False)


def _trace_table(title: str, trace: list[TraceEntry]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("日期", no_wrap=True)
    table.add_column("星期", no_wrap=True)
    table.add_column("计入", justify="right")
    table.add_column("说明")
    for t in trace:
        style = {"counted": "", "skipped": "dim", "paused": "yellow", "start": "bold", "extension": "bold"}[t.kind]
        table.add_row(
            t.day.isoformat(),
            "一二三四五六日"[t.day.weekday()],
            str(t.n) if t.n else "",
            Text(f"{_KIND[t.kind]}：{t.reason}", style=style),
        )
    return table


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise _fail(f"文件不存在：{path}", f"file not found: {path}") from None
    except IsADirectoryError:
        raise _fail(f"这是一个目录：{path}", f"is a directory: {path}") from None
    except PermissionError:
        raise _fail(f"没有读取权限：{path}", f"permission denied: {path}") from None
    except OSError as exc:
        raise _fail(f"无法读取 {path}", f"cannot read {path}: {exc}") from None


def _load(files: list[Path], agency: str) -> tuple[list[Request], list[Case], list[ImportResult]]:
    requests: list[Request] = []
    cases: list[Case] = []
    results = []
    for path in files:
        data = _read_bytes(path)
        mapping = None
        if agency:
            try:
                mapping = load_mapping(agency)
            except ImportFailed:
                mapping = None
        result = import_ledger(data, path.name, mapping=mapping, agency=agency)
        results.append(result)
        if result.errors:
            err = Console(stderr=True)
            err.print(f"[bold red]{path.name}：{len(result.errors)} 处错误，未导入任何记录[/]", highlight=False)
            for e in result.errors[:50]:
                err.print(f"  {e}", highlight=False)
            if len(result.errors) > 50:
                err.print(f"  ……另有 {len(result.errors) - 50} 处", highlight=False)
            raise typer.Exit(EXIT_INPUT)
        requests += result.requests
        cases += result.cases
    return requests, cases, results


def _only_agency(requests: list[Request]) -> str | None:
    """The agency of a one-agency ledger (None when it has several: then they are counted together)."""
    agencies = {r.agency for r in requests}
    return agencies.pop() if len(agencies) == 1 else None


def _print_stats(stats: Statistics) -> None:
    from gongkai.render import requests_table, review_table

    report = stats.to_report()
    report.findings = stats.check()
    out = _console()
    out.print(f"[bold]{stats.agency or '全部机关'} {stats.year} 年度（台账统计）[/]", highlight=False)
    out.print(requests_table(report, {}))
    out.print(review_table(report, {}))
    if stats.excluded:
        out.print(f"[yellow]未计入的记录 {len(stats.excluded)} 条：[/]", highlight=False)
        for rid, why in list(stats.excluded.items())[:20]:
            out.print(f"  {rid}：{why}", highlight=False)
    if report.findings:
        for f in report.findings:
            name, style = _SEVERITY[f.severity]
            out.print(Text(f"{name} {f.rule}：{f.message}", style=style))
    else:
        out.print("[green]表三、表四勾稽关系检查通过。[/]")


@app.command()
def stats(
    ledger: list[Path] = typer.Argument(..., help="台账文件（.xlsx 或 .csv，标准导入格式）", show_default=False),
    year: int = typer.Option(..., "--year", help="统计年度"),
    agency: str = typer.Option("", "--agency", help="只统计这个机关（台账含多个机关时）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON（requests、review_litigation 同 gongkai.report/v1）"),
    drill: str | None = typer.Option(None, "--drill", help="列出某一格背后的申请，如 requests.granted.total"),
    report: Path | None = typer.Option(None, "--report", help="另存为规定格式的文本表格（可用 gongkai check 检查）"),
) -> None:
    """年度统计：由台账生成表三、表四并按年报规则检查 / year-end tables 三 and 四 from a ledger."""
    requests, cases, _ = _load(ledger, agency)
    result = year_statistics(requests, cases, year, agency or _only_agency(requests))
    if report is not None:
        report.write_text(result.to_text(), encoding="utf-8")
    if drill:
        if drill not in result.drill:
            raise _fail(f"没有这一格：{drill}（形如 requests.granted.natural_person）", "unknown cell")
        for rid in result.drill[drill]:
            print(rid)
        return
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_stats(result)
    raise typer.Exit(EXIT_FINDINGS if any(f.severity == "error" for f in result.check()) else 0)


@app.command()
def compare(
    ledger: Path = typer.Argument(..., help="台账文件", show_default=False),
    published: Path = typer.Argument(..., help="机关已公开的年报（gongkai 能读取的任何格式）", show_default=False),
    year: int = typer.Option(..., "--year", help="统计年度"),
    agency: str = typer.Option("", "--agency", help="只统计这个机关"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """把台账统计与已公开的年报逐格对比 / compare the ledger's tables with the published report, cell by cell."""
    from gongkai.cli import _read

    requests, cases, _ = _load([ledger], agency)
    report, error = _read(published)
    if report is None:
        assert error is not None
        raise _fail(f"{published.name}：{error[1]}", error[2])
    if not report.format.has_tables:
        raise _fail(f"{published.name} 是2019年以前的文字版年报，没有表三、表四可对比", "no tables to compare")
    result = year_statistics(requests, cases, year, agency or _only_agency(requests))
    diffs = compare_with_published(result, report)
    printed_year = (report.meta.get("year") or {}).get("value")
    if printed_year is not None and printed_year != year:
        Console(stderr=True).print(
            f"[yellow]注意：{published.name} 看来是 {printed_year} 年度的年报，而台账按 {year} 年统计[/]",
            highlight=False,
        )
    if as_json:
        doc = {"year": year, "published": str(published), "differences": [d.to_json() for d in diffs]}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        out = _console()
        if not diffs:
            out.print(f"[green]台账与 {published.name} 的表三、表四逐格一致。[/]", highlight=False)
        else:
            table = Table(title=f"台账与已公开年报不一致之处（{len(diffs)} 格）", title_justify="left")
            table.add_column("单元格")
            table.add_column("台账", justify="right")
            table.add_column("年报", justify="right")
            table.add_column("差", justify="right")
            table.add_column("台账中的记录")
            for d in diffs:
                ids = "、".join(d.ids[:8]) + (f" 等{len(d.ids)}件" if len(d.ids) > 8 else "")
                table.add_row(
                    d.label,
                    str(d.ledger),
                    "—" if d.published is None else str(d.published),
                    "" if d.delta is None else f"{d.delta:+}",
                    ids,
                )
            out.print(table)
    raise typer.Exit(EXIT_FINDINGS if diffs else 0)


@app.command("import")
def import_cmd(
    ledger: Path = typer.Argument(..., help="机关现有的台账（.xlsx 或 .csv）", show_default=False),
    agency: str = typer.Option("", "--agency", help="机关名称（台账没有“机关”列时使用；也用于保存列对应）"),
    mapping_file: Path | None = typer.Option(
        None, "--mapping", help='列对应文件（TOML：[mapping] "收到日期" = "受理时间"）'
    ),
    save: bool = typer.Option(False, "--save-mapping", help="把列对应保存到该机关（需要 GONGKAI_DATA_DIR）"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查，不输出"),
    out: Path | None = typer.Option(None, "--out", help="把导入的台账写成标准格式 XLSX"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON 结果"),
) -> None:
    """导入台账：逐行检查，全部正确才导入 / import a ledger: all rows or none, with row-numbered errors."""
    import tomllib

    mapping = None
    if mapping_file is not None:
        try:
            with open(mapping_file, "rb") as fh:
                mapping = dict(tomllib.load(fh).get("mapping", {}))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise _fail(f"无法读取列对应文件 {mapping_file}：{exc}", "bad mapping file") from None
    elif agency:
        try:
            mapping = load_mapping(agency)
        except ImportFailed:
            mapping = None
    data = _read_bytes(ledger)
    result = import_ledger(data, ledger.name, mapping=mapping, dry_run=dry_run, agency=agency)
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        console = Console()
        for e in result.errors:
            console.print(Text(f"错误 {e}", style="red"))
        for w in result.warnings:
            console.print(Text(f"提示 {w}", style="yellow"))
        for column, words in result.unmapped.items():
            console.print(
                f"无法对应的{column}："
                + "、".join(f"“{w}”（第{','.join(map(str, rows))}行）" for w, rows in words.items()),
                highlight=False,
            )
        n_req, n_case = len(result.requests), len(result.cases)
        if result.ok:
            verb = "检查通过（试运行，未输出）" if dry_run else "导入成功"
            console.print(
                f"[green]{verb}：{result.rows} 行，申请 {n_req} 件，复议诉讼 {n_case} 件。[/]", highlight=False
            )
        else:
            console.print(f"[bold red]{len(result.errors)} 处错误：本文件未导入任何记录。[/]", highlight=False)
    if not result.ok:
        raise typer.Exit(EXIT_INPUT)
    if save and agency:
        try:
            path = save_mapping(agency, mapping or result.mapping)
        except ImportFailed as exc:
            raise _fail(exc.message_zh, "cannot save mapping") from None
        Console(stderr=True).print(f"列对应已保存：{path}", highlight=False)
    if out is not None and not dry_run:
        from gongkai.ledger.export import to_xlsx

        out.write_bytes(to_xlsx(result.requests, result.cases, mask=False))


@app.command("export")
def export_cmd(
    ledger: list[Path] = typer.Argument(..., help="台账文件", show_default=False),
    out: Path = typer.Option(..., "--out", help="输出的 XLSX 文件"),
    unmasked: bool = typer.Option(False, "--no-mask", help="不遮蔽申请人姓名、联系方式和证件号码"),
) -> None:
    """导出标准格式 XLSX（默认遮蔽个人信息） / export the ledger to XLSX (personal data masked by default)."""
    from gongkai.ledger.export import to_xlsx

    requests, cases, _ = _load(ledger, "")
    out.write_bytes(to_xlsx(requests, cases, mask=not unmasked))
    Console(stderr=True).print(f"已导出 {len(requests)} 件申请、{len(cases)} 件复议诉讼：{out}", highlight=False)


@app.command()
def template(out: Path = typer.Option(..., "--out", help="输出的 XLSX 文件")) -> None:
    """空白的标准格式台账（申请、复议诉讼两个工作表） / an empty ledger in the canonical import layout."""
    from gongkai.ledger.export import to_xlsx

    out.write_bytes(to_xlsx([], []))
    Console(stderr=True).print(f"已生成空白台账：{out}", highlight=False)


@app.command()
def status(
    ledger: list[Path] = typer.Argument(..., help="台账文件", show_default=False),
    today: str | None = typer.Option(None, "--today", help="按哪一天计算（默认今天）"),
    show_all: bool = typer.Option(False, "--all", help="也列出已办结的申请"),
    request_id: str | None = typer.Option(None, "--id", help="只看这一件申请，并列出逐日计算过程"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """每件申请的答复期限与状态（逾期、3个工作日内到期、中止） / deadline and state of every request."""
    day = _date(today, "--today") if today else date.today()
    requests, _, _ = _load(ledger, "")
    cal = default_calendar()
    if request_id is not None:
        one = next((r for r in requests if r.id == request_id), None)
        if one is None:
            raise _fail(f"台账中没有编号为“{request_id}”的申请", "no such request")
        clock = reply_clock(one, cal, day)
        if as_json:
            print(json.dumps({"id": one.id, **clock.to_json()}, ensure_ascii=False, indent=2))
            return
        out = _console()
        if clock.trace:
            out.print(_trace_table(f"申请 {one.id}：{one.received} 收到", clock.trace))
        due = clock.due.isoformat() if clock.due else "—"
        out.print(f"答复期限：{due}；状态（{day}）：{clock.state_label}", highlight=False)
        for p in clock.problems:
            out.print(Text(f"问题：{p.message_zh}", style="yellow"))
        return
    rows = []
    for r in requests:
        clock = reply_clock(r, cal, day)
        if clock.state == "closed" and not show_all:
            continue
        rows.append((r, clock))
    order = {"overdue": 0, "due_soon": 1}
    rows.sort(key=lambda rc: (order.get(rc[1].state, 2), rc[1].due or date.max, rc[0].id))
    if as_json:
        doc = [{"id": r.id, **{k: v for k, v in c.to_json().items() if k != "trace"}} for r, c in rows]
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"台账状态（{day}）", title_justify="left")
    for name in ("编号", "收到日期", "申请人类型", "答复期限", "剩余工作日", "状态"):
        table.add_column(name, no_wrap=True)
    table.add_column("问题")
    styles = {"overdue": "bold red", "due_soon": "yellow", "paused": "cyan", "awaiting_payment": "cyan"}
    for r, c in rows:
        table.add_row(
            r.id,
            r.received.isoformat(),
            APPLICANT_FULL_LABELS.get(r.applicant_type, r.applicant_type),
            c.due.isoformat() if c.due else "—",
            "" if c.remaining is None else str(c.remaining),
            Text(c.state_label, style=styles.get(c.state, "")),
            "；".join(p.message_zh for p in c.problems),
        )
    _console().print(table)


@app.command()
def fee(
    pieces: int | None = typer.Option(None, "--pieces", help="按件计收：同一申请人本自然月累计申请件数"),
    pages: int | None = typer.Option(None, "--pages", help="按量计收：一件申请的页数"),
) -> None:
    """信息处理费（国办函〔2020〕109号） / the information-processing fee, band by band."""
    if (pieces is None) == (pages is None):
        raise _fail("请只选一种计收方式：--pieces（按件）或 --pages（按量），不得同时按两种标准计算", "one method")
    n = pieces if pieces is not None else pages
    assert n is not None
    if n < 0:
        raise _fail("数量不能为负", "negative count")
    result = fee_by_piece(n) if pieces is not None else fee_by_volume(n)
    Console().print(f"{result.method} {n}{result.unit}：{result.explain()}", highlight=False)


@calendar_app.command("add")
def calendar_add(file: Path = typer.Argument(..., help="YYYY.toml（格式同 src/gongkai/spec/calendars/）")) -> None:
    """录入一年的节假日安排（存入 $GONGKAI_DATA_DIR/calendars/） / add a year's holiday arrangement."""
    try:
        path = add_year(_read_bytes(file).decode("utf-8"))
    except UnicodeDecodeError:
        raise _fail(f"{file} 不是 UTF-8 编码的文本", "calendar file is not UTF-8") from None
    except CalendarError as exc:
        raise _fail(exc.message_zh, "invalid calendar file") from None
    Console().print(f"已录入：{path}", highlight=False)


@calendar_app.command("show")
def calendar_show(year: int = typer.Argument(..., help="年份")) -> None:
    """列出一年的放假日与调休上班日 / list a year's holidays and make-up working days."""
    cal = default_calendar()
    if not cal.covers(year):
        raise _fail(CalendarMissing(year).message_zh, f"no calendar for {year}")
    y = cal.years[year]
    out = Console()
    out.print(f"[bold]{year}年[/] 依据：{y.source}", highlight=False)
    for d, name in sorted(y.holidays.items()):
        out.print(f"  放假 {d} 星期{'一二三四五六日'[d.weekday()]} {name}", highlight=False)
    for d, name in sorted(y.workdays.items()):
        out.print(f"  上班 {d} 星期{'一二三四五六日'[d.weekday()]} {name}（调休）", highlight=False)


def main() -> None:  # pragma: no cover - `gongkai ledger` is the entry point
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    app()
