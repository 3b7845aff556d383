"""Bulk-ingest throughput: `gongkai ingest` of N generated reports into a fresh database, with 1 and 2 processes.

Writes N reports with gongkai.proving.synth (every layout and file format by default: text, HTML, docx, xlsx, PDF),
then, for each --jobs value, loads them into an empty database (SQLite in a fresh data directory, or a fresh
PostgreSQL database with --postgres) through gongkai.web.bulk_ingest.ingest_paths — the code behind
`gongkai ingest` — in a child process of its own. Prints reports/s and the parent's resident memory sampled
along the run (the growth from the first to the last tenth of the run is what "no memory growth" means), the
CPU time per report of the parent (reading, dedupe, database writes) and of the workers (parsing), and
writes the JSON to bench/results/ingest_scale.json. The machine's load average is recorded: on a shared
machine the figures are noisy.

    uv run python bench/ingest_scale.py [--reports 2000] [--jobs 1 2] [--layout cell_per_line ...] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import console, machine, write_json  # bench/ is on sys.path when run as a script
from rich.table import Table

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "ingest_scale.json"


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def child(directory: Path, jobs: int) -> dict:
    """In a fresh process: set up Django on the database the environment names, ingest, report."""
    from gongkai.web.bulk_ingest import configure, ingest_paths

    configure(None, None)
    from django.db import connection

    total = sum(1 for p in directory.iterdir() if not p.name.endswith(".json"))
    every = max(1, total // 20)
    samples: list[tuple[int, float]] = []  # (files done, resident MB of this process)
    done = 0

    def sample(_outcome) -> None:
        nonlocal done
        done += 1
        if done % every == 0 or done == total:
            samples.append((done, round(_rss_mb(), 1)))

    rss_before = _rss_mb()
    started = time.perf_counter()
    summary = ingest_paths([directory], jobs=jobs, on_outcome=sample)
    seconds = time.perf_counter() - started
    files = max(1, summary.total)
    parent_ms, worker_ms = 1000 * summary.cpu_seconds / files, 1000 * summary.worker_cpu_seconds / files
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    # What the CPU time alone allows on an idle machine: the parent writes every report in turn, the workers
    # parse side by side, and all of it shares the cores.
    if jobs <= 1:
        capacity = 1000 / parent_ms
    else:
        capacity = min(1000 / parent_ms, jobs * 1000 / max(worker_ms, 1e-9), cores * 1000 / (parent_ms + worker_ms))
    tenth = max(1, len(samples) // 10)
    first = sum(r for _, r in samples[:tenth]) / tenth
    last = sum(r for _, r in samples[-tenth:]) / tenth
    return {
        "jobs": jobs,
        "database": connection.vendor,
        "files": summary.total,
        "counts": dict(summary.counts),
        "reasons": {f"{code}: {reason}": n for (code, reason), n in summary.reasons.items()},
        "seconds": seconds,
        "reports_per_second": summary.total / seconds,
        "parent_cpu_ms_per_report": round(parent_ms, 2),
        "worker_cpu_ms_per_report": round(worker_ms, 2),
        "cpu_share": round((summary.cpu_seconds + summary.worker_cpu_seconds) / seconds, 2),
        "idle_machine_estimate_reports_per_second": round(capacity, 1),
        "rss_mb_before": round(rss_before, 1),
        "rss_mb_samples": samples,
        "rss_mb_first_tenth": round(first, 1),
        "rss_mb_last_tenth": round(last, 1),
        "rss_growth_mb": round(last - first, 1),
    }


def _run_child(directory: Path, jobs: int, database_url: str | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="gongkai-ingest-bench-") as data_dir:
        env = os.environ | {"GONGKAI_DATA_DIR": data_dir, "GONGKAI_LOG_LEVEL": "WARNING"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = _fresh_postgres(database_url)
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(directory), "--jobs", str(jobs)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            if database_url:
                _drop_postgres(database_url)
    if done.returncode != 0:
        raise SystemExit(f"ingest run failed (jobs={jobs}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fresh_postgres(url: str) -> str:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    return url


def _drop_postgres(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=2000, help="generated reports (default 2000)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="process counts to compare (1 2)")
    parser.add_argument("--layout", nargs="+", default=None, help="synth layouts (default: all, with files)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--postgres", default=None, help="PostgreSQL URL of a database to create and drop")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.jobs[0])))
        return 0

    from gongkai.proving import synth

    layouts = tuple(args.layout or synth.LAYOUTS + synth.FILE_LAYOUTS)
    out = console()
    with tempfile.TemporaryDirectory(prefix="gongkai-ingest-corpus-") as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        synth.write_corpus(directory, args.reports, seed=args.seed, layouts=layouts)
        generation = time.perf_counter() - started
        load_before = machine()["load_average"]
        runs = [_run_child(directory, jobs, args.postgres) for jobs in args.jobs]
    result = {
        "benchmark": "gongkai ingest (bulk_ingest.ingest_paths) of generated reports into an empty database",
        "machine": machine() | {"load_average_before": load_before},
        "note": "2 CPU cores shared with other work: figures are noisy; see load_average",
        "corpus": {"reports": args.reports, "seed": args.seed, "layouts": list(layouts), "generation_s": generation},
        "runs": runs,
    }
    if len(runs) > 1:
        result["speedup"] = runs[-1]["reports_per_second"] / runs[0]["reports_per_second"]
    write_json(result, args.out)

    table = Table(title=f"gongkai ingest — {args.reports} generated reports ({', '.join(layouts)})")
    columns = ("jobs", "database", "files", "stored", "dup", "refused", "seconds", "reports/s", "RSS MB", "growth")
    for col in (*columns, "parent CPU ms", "worker CPU ms", "CPU used", "idle est./s"):
        table.add_column(col, justify="right")
    for r in runs:
        table.add_row(
            str(r["jobs"]),
            r["database"],
            str(r["files"]),
            str(r["counts"].get("created", 0)),
            str(r["counts"].get("duplicate", 0)),
            str(r["counts"].get("refused", 0) + r["counts"].get("failed", 0)),
            f"{r['seconds']:.1f}",
            f"{r['reports_per_second']:.1f}",
            f"{r['rss_mb_first_tenth']:.0f}→{r['rss_mb_last_tenth']:.0f}",
            f"{r['rss_growth_mb']:+.1f}",
            f"{r['parent_cpu_ms_per_report']:.1f}",
            f"{r['worker_cpu_ms_per_report']:.1f}",
            f"{r['cpu_share']:.2f} cores",
            f"{r['idle_machine_estimate_reports_per_second']:.1f}",
        )
    out.print(table)
    out.print(
        "CPU ms are per report (parent: reading, dedupe, database writes, and parsing with 1 job; workers: "
        "parsing). “CPU used” is CPU seconds per wall second: below the cores there is, other work took the rest. "
        "“idle est.” is what the CPU time alone allows on an idle machine (a model, not a measurement)."
    )
    m = result["machine"]
    out.print(
        f"load average {m['load_average_before']} before, {m['load_average']} after · {m['cpu_count']} CPUs · "
        + (f"speedup {result['speedup']:.2f}× · " if "speedup" in result else "")
        + f"written: {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
