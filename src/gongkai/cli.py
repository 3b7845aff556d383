"""The `gongkai` command line."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from gongkai.checking.cross_year import YearBook
from gongkai.errors import InputError
from gongkai.fitting.continuity import LastYears, PreviousYear, agency_year, left_open
from gongkai.ledger.cli import app as ledger_app
from gongkai.parse import parse_file
from gongkai.proving.synth_damage import DAMAGES
from gongkai.render import SEVERITY_NAME, SEVERITY_STYLE, cross_year_table, render_report
from gongkai.report import SCHEMA, Report

app = typer.Typer(
    help="gongkai：政府信息公开工作年度报告解析与检查 / parse and check disclosure annual reports",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(ledger_app, name="ledger")
log = logging.getLogger("gongkai")

READABLE_SUFFIXES = {
    ".txt", ".text", ".md", ".html", ".htm", ".shtml", ".xhtml",
    ".pdf", ".docx", ".doc", ".xlsx", ".xls", ".ods", ".odt",
}  # fmt: skip
EXIT_FINDINGS = 1
DAMAGE_NAMES = tuple(DAMAGES)
DAMAGE_HELP = "按真实发布途径损坏报告（文本），可重复；all 表示全部类别：" + "、".join(DAMAGE_NAMES)
EXIT_UNREADABLE = 2


def _progress_bar(err: Console, show: bool) -> Progress:
    """The files-done bar on stderr, gone when the run ends."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not show,
        transient=True,
    )


def _expand(paths: list[Path]) -> Iterator[Path]:
    """Files as given; directories contribute their readable files, recursively, sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES)
        else:
            yield path


def _read(path: Path, previous: PreviousYear | None = None) -> tuple[Report | None, tuple[str, str, str] | None]:
    """(report, None) or (None, (code, Chinese reason, English reason)); never raises for bad input."""
    try:
        return parse_file(path, previous), None
    except FileNotFoundError:
        return None, ("not_found", "文件不存在", "file not found")
    except IsADirectoryError:
        return None, ("is_directory", "这是一个目录", "is a directory")
    except PermissionError:
        return None, ("permission", "没有读取权限", "permission denied")
    except InputError as exc:
        return None, (exc.code, exc.message_zh, exc.message_en)
    except RecursionError:
        return None, ("too_complex", "文档结构过于复杂，无法解析", "document nesting too deep")
    except Exception as exc:
        log.exception("internal error while parsing %s", path)
        return None, (
            "internal_error",
            f"解析时发生内部错误（{type(exc).__name__}），请报告此问题",
            f"internal error: {exc!r}",
        )


def _read_job(job: tuple[Path, PreviousYear | None]) -> tuple[Report | None, tuple[str, str, str] | None]:
    return _read(*job)


def _read_all(
    paths: list[Path], jobs: int, timeout: float | None, previous: PreviousYear | None = None
) -> Iterator[tuple[Path, Report | None, tuple]]:
    """(path, report, error) for every path, in input order: in this process with one job, else in a pool of
    worker processes where a crash or a timeout is that file's error."""
    jobs = min(jobs, len(paths))
    if jobs <= 1:
        for path in paths:
            yield path, *_read(path, previous)
        return
    from gongkai.parallel import Failure, imap_ordered

    jobs_of = imap_ordered(_read_job, paths, jobs=jobs, timeout=timeout, argument=lambda path: (path, previous))
    for path, result in jobs_of:
        if isinstance(result, Failure):
            log.warning("%s: %s", path, result.message_en)
            yield path, None, (result.code, result.message_zh, result.message_en)
        else:
            yield path, *result


def _error_document(path: Path, error: tuple[str, str, str]) -> dict:
    code, zh, en = error
    return {"schema": SCHEMA, "source": str(path), "error": {"code": code, "message": zh, "message_en": en}}


def _run(
    files: list[Path],
    *,
    as_json: bool,
    as_jsonl: bool,
    tables: bool,
    progress: bool | None,
    jobs: int = 1,
    timeout: float | None = None,
    previous: PreviousYear | None = None,
) -> tuple[int, int]:
    """Parse every file and print it, then the cross-year checks of agencies with several years among them;
    returns (files with error findings + agencies with cross-year errors, unreadable files).

    `previous`: last year's counts for every file.  Without it, a report whose 表二（一） row the text leaves
    open waits until the end, and is parsed again with its agency's previous year when that is among the files."""
    out = Console(soft_wrap=False)
    if not out.is_terminal:
        out = Console(soft_wrap=False, width=120)  # files and pipes: wide enough for every table
    err = Console(stderr=True, soft_wrap=True)
    paths = list(_expand(files))
    show_progress = progress if progress is not None else (len(paths) > 3 and err.is_terminal)
    with_errors = unreadable = 0
    book = YearBook()  # one agency's several years in the input: checked against each other at the end
    last_years = LastYears()
    waiting: list[tuple[Path, Report]] = []  # a 表二（一） row left open: parsed again with last year at the end
    bar = _progress_bar(err, show_progress)

    def show(report: Report) -> None:
        nonlocal with_errors
        with_errors += report.has_errors
        book.add(report)
        if as_jsonl:
            print(json.dumps(report.to_json(), ensure_ascii=False, separators=(",", ":")))
        elif as_json:
            print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        else:
            out.print(render_report(report, tables=tables))
            out.print()

    with bar:
        task = bar.add_task("解析中", total=len(paths))
        for path, report, error in _read_all(paths, jobs, timeout, previous):
            bar.advance(task)
            if error:
                unreadable += 1
                err.print(
                    f"[bold red]无法处理[/] {path}：{error[1]}  [dim](error: {path}: {error[2]})[/]", highlight=False
                )
                if as_json or as_jsonl:
                    doc = _error_document(path, error)
                    print(json.dumps(doc, ensure_ascii=False, indent=None if as_jsonl else 2))
                continue
            assert report is not None
            last_years.add(report)
            if len(paths) > 1 and left_open(report):
                waiting.append((path, report))
            else:
                show(report)
    # Earliest year first: a year read again with its last year gives its own counts to the year after.
    for path, report in sorted(waiting, key=lambda pair: (agency_year(pair[1]) or ("", 0))[1]):
        before = last_years.before(report)
        again = _read(path, before)[0] if before is not None else None
        if again is not None:
            last_years.add(again)
        show(again or report)
    cross_errors = 0  # agencies whose consecutive years disagree
    for agency, findings in book.findings().items():
        cross_errors += any(f.severity == "error" for f in findings)
        if as_json or as_jsonl:
            doc = {"schema": "gongkai.cross_year/v1", "agency": agency}
            doc["findings"] = [f.to_json() | {"year": f.year} for f in findings]
            print(json.dumps(doc, ensure_ascii=False, indent=None if as_jsonl else 2))
        else:
            out.print(cross_year_table(agency, findings))
            out.print()
    if len(paths) > 1:
        done = len(paths) - unreadable
        err.print(
            f"共 {len(paths)} 个文件：已解析 {done}，无法处理 {unreadable}，含错误级问题 {with_errors}"
            + (f"，跨年度不一致的机关 {cross_errors}" if cross_errors else "")
            + f"  [dim]({len(paths)} files: {done} parsed, {unreadable} unreadable, {with_errors} with errors"
            + (f", {cross_errors} agencies with cross-year errors" if cross_errors else "")
            + ")[/]",
            highlight=False,
        )
    return with_errors + cross_errors, unreadable


FILES = typer.Argument(..., help="报告文件或目录（文本、网页） / report files or directories", show_default=False)
JOBS = typer.Option(
    None, "--jobs", "-j", min=1, help="并行进程数（默认：CPU 核数；1 表示在本进程内逐个处理）", show_default=False
)
TIMEOUT = typer.Option(600.0, "--timeout", min=0, help="并行时每个文件的超时秒数，超时的文件记为无法处理（0 表示不限）")


def _jobs(jobs: int | None) -> int:
    from gongkai.parallel import default_jobs

    return jobs or default_jobs()


@app.command()
def parse(
    files: list[Path] = FILES,
    as_json: bool = typer.Option(False, "--json", help="每个文件输出一个 JSON 文档 (gongkai.report/v1)"),
    as_jsonl: bool = typer.Option(False, "--jsonl", help="每个文件输出一行 JSON，适合批量处理"),
    progress: bool | None = typer.Option(None, "--progress/--no-progress", help="显示进度条（默认：多个文件时显示）"),
    jobs: int | None = JOBS,
    timeout: float = TIMEOUT,
    previous: Path | None = typer.Option(
        None,
        "--previous",
        help="同一机关上一年度的报告：用其“现行有效件数”确定表二（一）中无法唯一确定的数字，并检查连续性",
        show_default=False,
    ),
) -> None:
    """解析报告，输出三张统计表和检查结果 / extract the tables and findings."""
    last_year = None
    if previous is not None:
        report, error = _read(previous)
        if error:
            Console(stderr=True).print(
                f"[bold red]无法处理上一年度报告[/] {previous}：{error[1]}  [dim](error: {previous}: {error[2]})[/]",
                highlight=False,
            )
            raise typer.Exit(EXIT_UNREADABLE)
        assert report is not None
        last_year = PreviousYear.from_report(report)
        if last_year is None:
            Console(stderr=True).print(
                f"[yellow]上一年度报告 {previous} 中没有读到“现行有效件数”（2021年版格式才有），不作连续性定位[/]"
                f"  [dim](no 现行有效件数 read in {previous}; continuity not used)[/]",
                highlight=False,
            )
    _, unreadable = _run(
        files,
        as_json=as_json,
        as_jsonl=as_jsonl,
        tables=True,
        progress=progress,
        jobs=_jobs(jobs),
        timeout=timeout,
        previous=last_year,
    )
    raise typer.Exit(EXIT_UNREADABLE if unreadable else 0)


@app.command()
def check(
    files: list[Path] = FILES,
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    as_jsonl: bool = typer.Option(False, "--jsonl", help="每个文件输出一行 JSON"),
    progress: bool | None = typer.Option(None, "--progress/--no-progress", help="显示进度条"),
    jobs: int | None = JOBS,
    timeout: float = TIMEOUT,
) -> None:
    """检查报告；有“错误”级问题时以非零状态退出 / exit 1 on error-level findings, 2 on unreadable input."""
    with_errors, unreadable = _run(
        files, as_json=as_json, as_jsonl=as_jsonl, tables=False, progress=progress, jobs=_jobs(jobs), timeout=timeout
    )
    if unreadable:
        raise typer.Exit(EXIT_UNREADABLE)
    raise typer.Exit(EXIT_FINDINGS if with_errors else 0)


INGEST_STATUS = {
    "created": ("新入库", "stored"),
    "duplicate": ("已存在（相同内容，跳过）", "duplicate"),
    "refused": ("未入库（无法识别）", "refused"),
    "failed": ("失败（内部错误）", "failed"),
}


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="报告文件、目录或 zip 压缩包", show_default=False),
    database_url: str | None = typer.Option(
        None, "--database-url", help="数据库地址，如 postgres://用户@主机:5432/库名（默认 $DATABASE_URL 或内置 SQLite）"
    ),
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="数据目录，保存原件（默认 $GONGKAI_DATA_DIR 或 ~/.local/share/gongkai）"
    ),
    jobs: int | None = JOBS,
    timeout: float = TIMEOUT,
    progress: bool | None = typer.Option(None, "--progress/--no-progress", help="显示进度条（默认：终端中显示）"),
) -> None:
    """把年报批量载入数据中心数据库（与网页上传相同的解析、去重与归类；可中断后重跑，已入库的跳过）
    / bulk-load reports into the data center's database."""
    from rich.table import Table

    from gongkai.web import bulk_ingest

    err = Console(stderr=True, soft_wrap=True)
    try:
        bulk_ingest.configure(database_url, data_dir)
    except Exception as exc:  # a wrong URL or an unreachable server: one clear line
        log.debug("database setup failed", exc_info=True)
        err.print(f"[bold red]无法连接或初始化数据库[/]：{exc}  [dim](database error: {type(exc).__name__})[/]")
        raise typer.Exit(EXIT_UNREADABLE) from None
    jobs = _jobs(jobs)
    total = bulk_ingest.count_items(paths, READABLE_SUFFIXES)
    bar = _progress_bar(err, progress if progress is not None else err.is_terminal)

    def report(outcome: bulk_ingest.Outcome) -> None:
        bar.advance(task)
        if outcome.status in ("refused", "failed"):
            err.print(
                f"[bold red]未入库[/] {outcome.item.shown}：{outcome.message}  [dim](error: {outcome.code})[/]",
                highlight=False,
            )

    try:
        with bar:
            task = bar.add_task("入库中", total=total)
            summary = bulk_ingest.ingest_paths(
                paths, jobs=jobs, timeout=timeout or None, on_outcome=report, readable=READABLE_SUFFIXES
            )
    except KeyboardInterrupt:
        err.print("已中断；再次运行同一命令会跳过已入库的文件，继续处理其余文件  (interrupted; re-run to resume)")
        raise typer.Exit(130) from None
    except Exception as exc:  # the database went away mid-run: what is stored stays stored
        log.debug("ingest stopped", exc_info=True)
        err.print(
            f"[bold red]入库中断[/]：{exc}；再次运行同一命令会跳过已入库的文件  "
            f"[dim](ingest stopped: {type(exc).__name__}; re-run to resume)[/]",
            highlight=False,
        )
        raise typer.Exit(EXIT_UNREADABLE) from None
    table = Table(title=f"共 {summary.total} 个文件，用时 {summary.seconds:.1f} 秒（{jobs} 个进程）")
    table.add_column("结果 / result")
    table.add_column("文件数 / files", justify="right")
    for status, (zh, en) in INGEST_STATUS.items():
        table.add_row(f"{zh} / {en}", str(summary.counts[status]))
    for (code, reason), n in summary.reasons.most_common():
        table.add_row(f"  [dim]{code}[/]  {reason}", str(n))
    Console(stderr=True).print(table)
    raise typer.Exit(EXIT_UNREADABLE if summary.counts["refused"] + summary.counts["failed"] else 0)


@app.command()
def fetch(
    url: str = typer.Argument(..., help="报告网页或附件的网址 / URL of a report page or attachment"),
    out: Path = typer.Option(".", "--out", "-o", help="保存到的目录或文件名"),
    timeout: float = typer.Option(20.0, help="超时秒数"),
    then_parse: bool = typer.Option(False, "--parse", help="下载后立即解析"),
) -> None:
    """下载报告网页或附件（需要联网） / download a report page or attachment."""
    from gongkai.fetch import fetch as download

    err = Console(stderr=True, soft_wrap=True)
    try:
        saved = download(url, out, timeout=timeout)
    except InputError as exc:
        err.print(f"[bold red]下载失败[/] {url}：{exc.message_zh}  [dim](error: {exc.message_en})[/]", highlight=False)
        raise typer.Exit(EXIT_UNREADABLE) from None
    err.print(f"已保存 {saved}  [dim](saved {saved.stat().st_size} bytes)[/]", highlight=False)
    if then_parse:
        _, unreadable = _run([saved], as_json=False, as_jsonl=False, tables=True, progress=False)
        raise typer.Exit(EXIT_UNREADABLE if unreadable else 0)


@app.command()
def synth(
    out: Path = typer.Argument(..., help="输出目录"),
    count: int = typer.Option(100, "--count", "-n", min=1, help="生成的报告份数"),
    seed: int = typer.Option(0, help="随机种子（相同种子生成相同的报告）"),
    layout: list[str] = typer.Option(
        None,
        "--layout",
        help="版式，可重复；默认全部：cell_per_line、inline_pipes、tabs、markdown、html、docx、xlsx、pdf",
    ),
    format_id: list[str] = typer.Option(None, "--format", help="格式，可重复；默认 2021 和 2019"),
    damage: list[str] = typer.Option(
        None,
        "--damage",
        help=DAMAGE_HELP,
    ),
) -> None:
    """生成带标准答案的合成年报，用于测试解析器 / write synthetic reports with their ground truth."""
    from gongkai.proving import synth as generator

    if damage:
        from gongkai.proving.synth_damage import write_damaged

        names = list(DAMAGE_NAMES) if "all" in damage else list(damage)
        unknown = [x for x in names if x not in DAMAGE_NAMES]
        if unknown:
            Console(stderr=True).print(f"[bold red]未知的损坏类别：{'、'.join(unknown)}[/]  (unknown damage class)")
            raise typer.Exit(EXIT_UNREADABLE)
        written = write_damaged(out, count, seed=seed, damages=names)
        Console(stderr=True).print(f"已生成 {len(written)} 份损坏的报告及其标准答案（*.expected.json）于 {out}")
        return

    every_layout = generator.LAYOUTS + generator.FILE_LAYOUTS
    layouts = tuple(layout or every_layout)
    formats = tuple(format_id or generator.FORMAT_IDS)
    bad = [x for x in layouts if x not in every_layout] + [x for x in formats if x not in generator.FORMAT_IDS]
    if bad:
        Console(stderr=True).print(f"[bold red]未知的版式或格式：{'、'.join(bad)}[/]  (unknown layout/format)")
        raise typer.Exit(EXIT_UNREADABLE)
    written = generator.write_corpus(out, count, seed=seed, layouts=layouts, formats=formats)
    Console(stderr=True).print(f"已生成 {len(written)} 份报告及其标准答案（*.expected.json）于 {out}")


@app.command()
def show(
    file: Path = typer.Argument(..., help="报告文件"),
    cell: str = typer.Argument(..., help="单元格路径，如 requests.total.total"),
    png: Path | None = typer.Option(None, "--png", help="PDF：把该页连同单元格位置框保存为 PNG"),
) -> None:
    """显示某个数字的出处 / show where a value came from."""
    from rich.text import Text

    from gongkai.proving.evidence import pdf_page_png, text_context

    err = Console(stderr=True, soft_wrap=True)
    report, error = _read(file)
    if error:
        err.print(f"[bold red]无法处理[/] {file}：{error[1]}  [dim](error: {error[2]})[/]", highlight=False)
        raise typer.Exit(EXIT_UNREADABLE)
    assert report is not None
    found = report.cells.get(cell)
    if found is None:
        err.print(f"[bold red]没有这个单元格：{cell}[/]  (unknown cell path; see `gongkai parse --json`)")
        raise typer.Exit(EXIT_UNREADABLE)
    out = Console()
    out.print(f"{found.label}：{found.value if found.present else '未找到'}（{found.kind}，原文“{found.raw or ''}”）")
    where = found.location or {}
    if where:
        out.print("位置：" + "，".join(f"{k}={v}" for k, v in where.items()))
    if found.placed and found.placed != "label":
        note = f"。{found.identity}" if found.identity else ""
        out.print(f"定位方式：{_PLACED.get(found.placed, found.placed)}{note}")
    context = text_context(report, found) if report.input_kind in ("text", "html") else None
    if context:
        before, printed, after = context
        printed = "［空白单元格］" if found.kind == "empty" else printed
        out.print(
            Text(before.replace("\n", "⏎")) + Text(printed, style="bold reverse red") + Text(after.replace("\n", "⏎"))
        )
    if png is not None:
        if report.input_kind != "pdf" or "page" not in where:
            err.print("[bold red]--png 只用于 PDF 报告[/]  (--png needs a PDF cell)")
            raise typer.Exit(EXIT_UNREADABLE)
        png.write_bytes(pdf_page_png(file.read_bytes(), where["page"], where["bbox"]))
        err.print(f"已保存 {png}")


# How a cell was placed (Cell.placed), as `gongkai show` says it.
_PLACED = {
    "position": "按表格中的位置（原文标签不完整）",
    "identity": "按表内勾稽关系（原文数字与行名或列名没有印在一起）",
    "prose": "按正文所述数字（原文表格中这一行的数字粘连）",
}


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="监听地址（0.0.0.0 表示所有网卡）"),
    port: int = typer.Option(8000, help="端口"),
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="数据目录（默认 $GONGKAI_DATA_DIR 或 ~/.local/share/gongkai）"
    ),
    samples: bool = typer.Option(True, "--samples/--no-samples", help="载入随附的示例年报"),
    samples_dir: Path | None = typer.Option(None, "--samples-dir", help="从此目录载入示例年报（默认 corpus/seeds）"),
    threads: int = typer.Option(8, min=1, max=64, help="处理请求的线程数（每个进程）"),
    workers: int = typer.Option(1, min=1, max=32, help="进程数：多于 1 时多个进程共用一个端口（需支持 fork 的系统）"),
) -> None:
    """启动年报数据中心网站（内置 SQLite，随附示例年报） / start the web data center."""
    # Imported here: it must choose the data directory before Django reads its settings.
    from gongkai.web.cli import serve as run_site
    from gongkai.web.workers import serve_workers

    chosen = (samples_dir or True) if samples else False
    if workers > 1:
        serve_workers(host, port, data_dir, chosen, threads, workers)
    else:
        run_site(host, port, data_dir, chosen, threads)


@app.command(name="eval")
def evaluate(
    directory: Path | None = typer.Argument(None, help="带预期结果（*.expected.json 或 ../expected/*.json）的报告目录"),
    generated: int = typer.Option(0, "--generated", "-g", min=0, help="另外生成并评测 N 份合成年报（含变异检测）"),
    seed: int = typer.Option(0, help="合成年报的随机种子"),
    layout: list[str] = typer.Option(
        None, "--layout", help="合成年报的版式，可重复；默认全部（文本、网页、docx、xlsx、pdf）"
    ),
    damaged: int = typer.Option(
        0, "--damaged", min=0, help="另外生成并评测 N 份按真实发布途径损坏的年报（各类别轮流）：错误值与未读出"
    ),
    json_out: Path | None = typer.Option(None, "--json", help="把完整结果写入此 JSON 文件"),
) -> None:
    """评测解析准确率：单元格、整份报告、格式识别、预期问题召回与变异检出 / measure accuracy.

    退出码：全部 100% 且无误报为 0，否则为 1。
    """
    from gongkai.proving.evaluate import (
        ExpectedError,
        evaluate_corpus,
        evaluate_damaged,
        evaluate_generated,
        render_damaged,
        render_eval,
        write_eval_json,
    )
    from gongkai.proving.synth import FILE_LAYOUTS, LAYOUTS

    out = Console()
    if directory is None and not generated and not damaged:
        Console(stderr=True).print("[bold red]请给出语料目录或 --generated N[/]  (give a directory or --generated N)")
        raise typer.Exit(EXIT_UNREADABLE)
    unknown = [x for x in layout or () if x not in LAYOUTS + FILE_LAYOUTS]
    if unknown:
        Console(stderr=True).print(f"[bold red]未知的版式：{'、'.join(unknown)}[/]  (unknown layout)")
        raise typer.Exit(EXIT_UNREADABLE)
    results = {}
    if directory is not None:
        if not directory.is_dir():
            Console(stderr=True).print(f"[bold red]找不到目录：{directory}[/]  (no such directory)")
            raise typer.Exit(EXIT_UNREADABLE)
        try:
            results["corpus"] = evaluate_corpus(directory)
        except ExpectedError as exc:
            Console(stderr=True).print(f"[bold red]{exc}[/]")
            raise typer.Exit(EXIT_UNREADABLE) from None
        out.print(render_eval(results["corpus"]))
    if generated:
        results["generated"] = evaluate_generated(generated, seed=seed, layouts=layout or None)
        out.print(render_eval(results["generated"]))
    if damaged:
        results["damaged"] = evaluate_damaged(damaged, seed=seed)
        out.print(render_damaged(results["damaged"]))
    if json_out:
        write_eval_json(results if len(results) > 1 else next(iter(results.values())), json_out)
    perfect = all(_perfect(r["totals"]) for r in results.values())
    raise typer.Exit(0 if perfect else EXIT_FINDINGS)


@app.command()
def render(
    report: Path = typer.Argument(..., help="报告：草稿或 gongkai parse --json 的 JSON，或报告文件本身"),
    to: str | None = typer.Option(None, "--to", help="docx、pdf 或 html（默认按输出文件扩展名）"),
    out: Path = typer.Option(..., "--out", "-o", help="输出文件"),
) -> None:
    """按规定格式生成报告：Word（公文格式）、PDF 或网页 / write a report in the official format."""
    from gongkai.authoring.render import run_command

    raise typer.Exit(run_command(report, to, out))


def _perfect(totals: dict) -> bool:
    ratios = [v for k, v in totals.items() if k.endswith(("accuracy", "exactness", "recall")) and v is not None]
    wrong = totals.get("wrong_values", totals.get("wrong", 0)) + totals.get("crashed", 0)
    return all(r == 1 for r in ratios) and totals.get("false_errors", 0) == 0 and wrong == 0


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    app()


__all__ = ["SEVERITY_NAME", "SEVERITY_STYLE", "app", "main"]
