"""Word (.docx) throughput: parse_bytes over generated reports, with an exact-match check.

Generates N .docx reports from gongkai.proving.synth ground truth (both formats, with
and without noise; the official layout with real merged cells, written by the
test suite's `build_docx`), then times `gongkai.parse.parse_bytes` on each in
this one process, and also the reader alone (bytes → rendered Document).  Prints
files/s and ms/file beside the target of >= 50 DOCX/s per core, and writes
bench/results/docx_throughput.json.

    uv run python bench/docx_throughput.py [--files 300] [--rounds 3] [--seed 0] [--out PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from common import console, machine, write_json  # bench/ is on sys.path when run as a script
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent

from gongkai.parse import parse_bytes  # noqa: E402
from gongkai.proving.evaluate import table_differences as differences  # noqa: E402
from gongkai.proving.synth import FORMAT_IDS, random_tables  # noqa: E402
from gongkai.proving.synth_files import build_docx  # noqa: E402
from gongkai.reading.files import read_bytes  # noqa: E402

TARGET_PER_CORE = 50.0  # DOCX files per second per core
DEFAULT_OUT = ROOT / "bench" / "results" / "docx_throughput.json"


def _corpus(n: int, seed: int) -> list[dict]:
    docs = []
    for i in range(n):
        format_id = FORMAT_IDS[i % len(FORMAT_IDS)]
        noise = (i // len(FORMAT_IDS)) % 4 != 0  # three in four with real-world noise
        truth = random_tables(random.Random(seed + i), format_id)
        data = build_docx(truth, seed + i, noise=noise)
        docs.append({"seed": seed + i, "format": format_id, "noise": noise, "data": data, "truth": truth})
    return docs


def _best_times(docs: list[dict], work, rounds: int) -> list[float]:
    """Each file's fastest of `rounds` runs: other load on the machine only ever adds time."""
    best = [float("inf")] * len(docs)
    for _ in range(rounds):
        for i, doc in enumerate(docs):
            t0 = time.perf_counter()
            work(doc["data"])
            best[i] = min(best[i], time.perf_counter() - t0)
    return best


def _summary(times: list[float]) -> dict:
    ordered = sorted(times)
    total = sum(times)
    return {
        "files": len(times),
        "seconds": total,
        "files_per_second": len(times) / total if total else None,
        "ms_per_file": 1000 * total / len(times),
        "ms_p50": 1000 * statistics.median(ordered),
        "ms_p95": 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
        "ms_max": 1000 * ordered[-1],
    }


def run(n: int, seed: int, rounds: int, warmup: int) -> dict:
    started = time.perf_counter()
    docs = _corpus(n, seed)
    generation_s = time.perf_counter() - started
    for doc in docs[:warmup]:  # imports and caches load on first use
        parse_bytes(doc["data"], "report.docx")

    parse_times = _best_times(docs, lambda data: parse_bytes(data, "report.docx"), rounds)
    read_times = _best_times(docs, lambda data: read_bytes(data, "report.docx"), rounds)

    groups: dict[str, dict] = {}
    mismatches = []
    for doc, elapsed, read_s in zip(docs, parse_times, read_times, strict=True):
        report = parse_bytes(doc["data"], "report.docx")
        diff = differences(doc["truth"], report.to_json())
        errors = any(f.severity == "error" for f in report.findings)
        if diff:
            mismatches.append({"seed": doc["seed"], "format": doc["format"], "noise": doc["noise"], "first": diff[0]})
        keys = ("overall", f"format:{doc['format']}", "noise:on" if doc["noise"] else "noise:off")
        for key in keys:
            g = groups.setdefault(key, {"times": [], "read": [], "bytes": 0, "matched": 0, "errors": 0})
            g["times"].append(elapsed)
            g["read"].append(read_s)
            g["bytes"] += len(doc["data"])
            g["matched"] += not diff
            g["errors"] += errors

    results = {}
    for key, g in sorted(groups.items()):
        results[key] = _summary(g["times"]) | {
            "reader_ms_per_file": 1000 * sum(g["read"]) / len(g["read"]),
            "mean_kb": g["bytes"] / len(g["times"]) / 1024,
            "exact_match": g["matched"],
            "with_error_findings": g["errors"],
        }
    return {
        "benchmark": "parse_bytes on .docx, single process",
        "target_files_per_second_per_core": TARGET_PER_CORE,
        "machine": machine(),
        "corpus": {
            "files": n,
            "seed": seed,
            "formats": list(FORMAT_IDS),
            "noise_share": sum(d["noise"] for d in docs) / n,
            "generation_seconds": generation_s,
            "timing": f"fastest of {rounds} rounds per file",
            "warmup_files": min(warmup, n),
        },
        "results": results,
        "mismatches": mismatches,
    }


def _print(result: dict, out: Path, console: Console) -> None:
    m = result["machine"]
    corpus = result["corpus"]
    console.print(
        f"[bold]gongkai .docx throughput[/bold] — {corpus['files']} generated reports (seed {corpus['seed']}, "
        f"{corpus['noise_share']:.0%} with noise), single process, {corpus['timing']}"
    )
    usable = f" ({m['usable_cpus']} usable)" if m["usable_cpus"] else ""
    console.print(
        f"machine: {m['platform']} · {m['machine']} · {m['cpu_count']} CPUs{usable}"
        f" · {m['implementation']} {m['python']}"
    )
    table = Table()
    for col in (
        "input",
        "files",
        "files/s",
        "target",
        "ms/file",
        "reader ms",
        "p50 ms",
        "p95 ms",
        "max ms",
        "KB",
        "exact",
        "errors",
    ):
        table.add_column(col, justify="left" if col == "input" else "right")
    order = [*(f"format:{f}" for f in FORMAT_IDS), "noise:off", "noise:on", "overall"]
    for key in order:
        r = result["results"].get(key)
        if r is None:
            continue
        rate = r["files_per_second"] or 0.0
        mark = "[green]✓[/green]" if rate >= TARGET_PER_CORE else "[red]✗[/red]"
        name = key.replace(":", " ")
        if key == "overall":
            table.add_section()
            name = "[bold]overall[/bold]"
        style = "green" if r["exact_match"] == r["files"] else "yellow"
        table.add_row(
            name,
            str(r["files"]),
            f"{rate:,.0f}",
            f"≥{TARGET_PER_CORE:.0f} {mark}",
            f"{r['ms_per_file']:.2f}",
            f"{r['reader_ms_per_file']:.2f}",
            f"{r['ms_p50']:.2f}",
            f"{r['ms_p95']:.2f}",
            f"{r['ms_max']:.1f}",
            f"{r['mean_kb']:.0f}",
            f"[{style}]{r['exact_match']}/{r['files']}[/{style}]",
            str(r["with_error_findings"]),
        )
    console.print(table)
    overall = result["results"]["overall"]
    verdict = "meets" if (overall["files_per_second"] or 0) >= TARGET_PER_CORE else "misses"
    console.print(
        f"overall {overall['files_per_second']:,.0f} DOCX/s per core — {verdict} the target of ≥{TARGET_PER_CORE:.0f}; "
        f"{overall['exact_match']}/{overall['files']} files matched the ground truth exactly "
        f"(generation took {corpus['generation_seconds']:.1f} s, not timed)."
    )
    for miss in result["mismatches"][:10]:
        console.print(f"[yellow]mismatch[/yellow] seed {miss['seed']} ({miss['format']}): {miss['first']}")
    console.print(f"written: {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=300, help="number of generated .docx reports (default 300)")
    parser.add_argument("--seed", type=int, default=0, help="first seed of the corpus (default 0)")
    parser.add_argument("--rounds", type=int, default=3, help="parse each file this often, keep the fastest (3)")
    parser.add_argument("--warmup", type=int, default=5, help="files parsed before timing (default 5)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON output (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    if args.files < 1 or args.rounds < 1:
        parser.error("--files and --rounds must be at least 1")
    result = run(args.files, args.seed, args.rounds, args.warmup)
    write_json(result, args.out)
    _print(result, args.out, console())
    return 0


if __name__ == "__main__":
    sys.exit(main())
