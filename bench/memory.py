"""Peak memory per report, by input kind: generated reports parsed one at a time.

Measures the Python heap with tracemalloc (peak while parsing one report, minus
what was allocated before), which is what grows with the input; prints a table
and writes bench/results/memory.json.  Not a test.

    uv run python bench/memory.py [--reports 20]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tracemalloc
from pathlib import Path

from common import console, machine, write_json  # bench/ is on sys.path when run as a script
from rich.table import Table

from gongkai.parse import parse_bytes
from gongkai.proving import synth, synth_files

KINDS = ("cell_per_line", "html", "docx", "xlsx", "pdf")


def _document(kind: str, seed: int) -> tuple[bytes, str]:
    rng = random.Random(seed)
    tables = synth.random_tables(rng, synth.FORMAT_IDS[seed % 2])
    if kind in synth_files.FILE_LAYOUTS:
        return synth_files.build(kind, tables, rng), f"report{synth_files.SUFFIXES[kind]}"
    suffix = ".html" if kind == "html" else ".txt"
    return synth.render(tables, kind, rng).encode(), f"report{suffix}"


def measure(kind: str, reports: int) -> dict:
    peaks, sizes = [], []
    parse_bytes(*_document(kind, 10_000))  # warm-up: imports and caches are not per report
    for seed in range(reports):
        data, name = _document(kind, seed)
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        parse_bytes(data, name)
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        peaks.append(peak)
        sizes.append(len(data))
    return {
        "reports": reports,
        "mean_input_kb": round(statistics.mean(sizes) / 1024, 1),
        "mean_peak_mb": round(statistics.mean(peaks) / 2**20, 2),
        "max_peak_mb": round(max(peaks) / 2**20, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "memory.json"))
    args = parser.parse_args()
    results = {kind: measure(kind, args.reports) for kind in KINDS}
    table = Table(title="每份报告解析时的内存峰值（Python 堆，tracemalloc）")
    for column in ("input", "reports", "mean input KB", "mean peak MB", "max peak MB"):
        table.add_column(column, justify="right" if column != "input" else "left")
    for kind, r in results.items():
        table.add_row(kind, str(r["reports"]), str(r["mean_input_kb"]), str(r["mean_peak_mb"]), str(r["max_peak_mb"]))
    console().print(table)
    out = Path(args.out)
    write_json({"benchmark": "memory per report", "machine": machine(), "results": results}, out)
    print(f"written: {out}")


if __name__ == "__main__":
    main()
