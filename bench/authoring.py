"""Writing reports: Word + PDF + web page for N reports, each read back by gongkai's own reader.

Draws N reports' tables with gongkai.proving.synth (both formats), makes each an
AnnualReportDraft with the sentences the draft offers for its figures, then times,
in this one process: the checks of a draft (to_report + readiness), the Word writer,
the web page writer, and the PDF (all the .docx files converted by one LibreOffice
start).  Every file is then read back with `gongkai.parse.parse_bytes` and compared
cell by cell with the draft.  Prints a table and writes bench/results/authoring.json.

    uv run python bench/authoring.py [--reports 100] [--seed 0] [--no-pdf] [--out PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from common import console, machine, write_json  # bench/ is on sys.path when run as a script
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent

from gongkai.authoring.docx_writer import build_docx  # noqa: E402
from gongkai.authoring.draft import AnnualReportDraft  # noqa: E402
from gongkai.authoring.html_writer import build_html  # noqa: E402
from gongkai.authoring.pdf_writer import convert_docx, soffice  # noqa: E402
from gongkai.parse import parse_bytes  # noqa: E402
from gongkai.proving.evaluate import table_differences  # noqa: E402
from gongkai.proving.synth import FORMAT_IDS, random_tables  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "results" / "authoring.json"
AGENCIES = ("石家庄市生态环境局", "濮阳市人民政府", "曲阳县人民政府办公室", "龙岗区交通运输局")


def _drafts(n: int, seed: int) -> list[tuple[AnnualReportDraft, dict]]:
    out = []
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        format_id = FORMAT_IDS[i % len(FORMAT_IDS)]
        tables = random_tables(rng, format_id)
        year = rng.choice((2019, 2020) if format_id == "2019" else (2021, 2022, 2023, 2024))
        draft = AnnualReportDraft(
            agency=rng.choice(AGENCIES),
            year=year,
            format_id=format_id,
            active=tables["active"],
            requests=tables["requests"],
            review_litigation=tables["review_litigation"],
            processing_fee_yuan=Decimal(rng.choice((0, 0, 120, 400))),
        )
        offered = draft.offered_sentences()
        draft.texts = {
            "overview": "".join(offered.get("overview", [])),
            "problems": "一是公开的深度有待拓展。针对上年度报告所列问题，已逐项整改。",
            "other_matters": "".join(offered.get("other_matters", [])),
        }
        out.append((draft, {"format": format_id, **tables}))
    return out


def _timed(work, items) -> tuple[list, list[float]]:
    results, times = [], []
    for item in items:
        start = time.perf_counter()
        results.append(work(item))
        times.append(time.perf_counter() - start)
    return results, times


def _exact(files: list[bytes], truths: list[dict], suffix: str) -> int:
    return sum(
        not table_differences(truth, parse_bytes(data, f"report{suffix}").to_json())
        for data, truth in zip(files, truths, strict=True)
    )


def _row(name: str, times: list[float], total: float | None = None) -> dict:
    total = sum(times) if total is None else total
    return {
        "output": name,
        "reports": len(times),
        "total_s": round(total, 3),
        "per_report_ms": round(1000 * total / len(times), 1),
        "median_ms": round(1000 * statistics.median(times), 1) if times else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF (LibreOffice) part")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    out = console()

    cases = _drafts(args.reports, args.seed)
    drafts, truths = [c[0] for c in cases], [c[1] for c in cases]
    readiness, check_times = _timed(lambda d: d.readiness(), drafts)
    docx_files, docx_times = _timed(build_docx, drafts)
    html_files, html_times = _timed(lambda d: build_html(d).encode(), drafts)
    rows = [_row("检查（to_report + readiness）", check_times), _row("Word (.docx)", docx_times)]
    rows.append(_row("网页 (.html)", html_times))
    exact = {"docx": _exact(docx_files, truths, ".docx"), "html": _exact(html_files, truths, ".html")}
    rows[1]["read_back_exact"], rows[2]["read_back_exact"] = exact["docx"], exact["html"]
    rows[0]["ready"] = sum(not issues for issues in readiness)

    if not args.no_pdf and soffice():
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for i, data in enumerate(docx_files):
                path = Path(tmp) / f"report-{i:05d}.docx"
                path.write_bytes(data)
                paths.append(path)
            start = time.perf_counter()
            pdfs = [p.read_bytes() for p in convert_docx(paths, Path(tmp) / "pdf")]
            elapsed = time.perf_counter() - start
        row = _row("PDF（LibreOffice，一次启动转换全部）", [elapsed / len(pdfs)] * len(pdfs), elapsed)
        row["read_back_exact"] = _exact(pdfs, truths, ".pdf")
        row["mean_kb"] = round(statistics.mean(len(p) for p in pdfs) / 1024, 1)
        rows.append(row)
    for row, files in zip(rows[1:3], (docx_files, html_files), strict=True):
        row["mean_kb"] = round(statistics.mean(len(f) for f in files) / 1024, 1)

    table = Table(title=f"生成年报：{args.reports} 份（两种格式），本机单进程")
    for name in ("输出", "份数", "总耗时 s", "每份 ms", "中位数 ms", "平均大小 KB", "读回完全一致"):
        table.add_column(name, justify="left" if name == "输出" else "right")
    for row in rows:
        exact_text = f"{row['read_back_exact']}/{row['reports']}" if "read_back_exact" in row else "—"
        if "ready" in row:
            exact_text = f"可提交 {row['ready']}/{row['reports']}"
        table.add_row(
            row["output"],
            str(row["reports"]),
            f"{row['total_s']:.2f}",
            f"{row['per_report_ms']:.1f}",
            "—" if row["median_ms"] is None else f"{row['median_ms']:.1f}",
            str(row.get("mean_kb", "—")),
            exact_text,
        )
    out.print(table)
    write_json({"machine": machine(), "reports": args.reports, "seed": args.seed, "rows": rows}, args.out)
    out.print(f"结果已写入 {args.out}")
    failed = any(row.get("read_back_exact", row["reports"]) != row["reports"] for row in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
