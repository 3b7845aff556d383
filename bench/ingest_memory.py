"""What grows in the parent process of `gongkai ingest`: tracemalloc snapshots along a run, compared.

Writes N generated reports (text layouts, as the 10,000-report run of ingest_scale.py), ingests them into a
fresh SQLite database through gongkai.web.bulk_ingest.ingest_paths in a child process with tracemalloc on, takes
a snapshot of the Python heap at each checkpoint (after a garbage collection) and records the resident memory.
The largest differences between the first and the last checkpoint, by line of allocation, are what grows per
report; resident memory that grows without a matching Python heap growth is C-level (SQLite's page cache, the
allocator), bounded by its own settings. Writes bench/results/ingest_memory.json.

    uv run python bench/ingest_memory.py [--reports 3000] [--checkpoints 1000 3000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from common import console, machine, write_json  # bench/ is on sys.path when run as a script

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "ingest_memory.json"
TOP = 15


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def _short(filename: str) -> str:
    """A frame's file without the machine's own directories: django/…, gongkai/…, pathlib.py."""
    for root in ("site-packages/", "/src/", "/bench/"):
        if root in filename:
            return filename.split(root)[-1]
    stdlib = re.search(r"/lib/python3\.\d+/(.+)", filename)
    return stdlib.group(1) if stdlib else filename


def child(directory: Path, jobs: int, checkpoints: list[int], traced: bool) -> dict:
    from gongkai.web.bulk_ingest import configure, ingest_paths

    configure(None, None)
    from django.conf import settings

    if traced:
        tracemalloc.start(8)
    snapshots: dict[int, tracemalloc.Snapshot] = {}
    points: list[dict] = []
    done = 0
    every = max(1, max(checkpoints) // 20)
    samples: list[tuple[int, float]] = []

    def on_outcome(_outcome) -> None:
        nonlocal done
        done += 1
        if done % every == 0:
            samples.append((done, round(_rss_mb(), 1)))
        if done in checkpoints:
            gc.collect()
            point = {"reports": done, "rss_mb": round(_rss_mb(), 1)}
            if traced:
                point["python_heap_mb"] = round(tracemalloc.get_traced_memory()[0] / 2**20, 2)
                snapshots[done] = tracemalloc.take_snapshot().filter_traces(
                    [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, "<frozen *>")]
                )
            points.append(point)

    started = time.perf_counter()
    summary = ingest_paths([directory], jobs=jobs, on_outcome=on_outcome)
    result = {
        "jobs": jobs,
        "debug": settings.DEBUG,
        "traced": traced,
        "files": summary.total,
        "counts": dict(summary.counts),
        "seconds": round(time.perf_counter() - started, 1),
        "checkpoints": points,
        "rss_mb_samples": samples,
    }
    if traced and len(snapshots) >= 2:
        first, last = snapshots[min(snapshots)], snapshots[max(snapshots)]
        span = max(snapshots) - min(snapshots)
        growth = []
        for stat in last.compare_to(first, "traceback")[:TOP]:
            frames = [f"{_short(f.filename)}:{f.lineno}" for f in stat.traceback]
            growth.append(
                {
                    "kb": round(stat.size_diff / 1024, 1),
                    "bytes_per_report": round(stat.size_diff / span),
                    "blocks": stat.count_diff,
                    "where": frames[-4:],
                }
            )
        result["python_heap_growth_top"] = growth
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--checkpoints", type=int, nargs="+", default=None, help="default: a third and the end")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--untraced", action="store_true", help="resident memory only, at full speed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    checkpoints = args.checkpoints or [args.reports // 3, args.reports]
    if args.child:
        print(json.dumps(child(args.child, args.jobs, checkpoints, not args.untraced)))
        return 0

    from gongkai.proving import synth

    with (
        tempfile.TemporaryDirectory(prefix="gongkai-mem-corpus-") as tmp,
        tempfile.TemporaryDirectory(prefix="gongkai-mem-data-") as data_dir,
    ):
        synth.write_corpus(Path(tmp), args.reports, seed=args.seed, layouts=synth.LAYOUTS)
        env = os.environ | {"GONGKAI_DATA_DIR": data_dir, "GONGKAI_LOG_LEVEL": "WARNING"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.pop("DATABASE_URL", None)
        command = [sys.executable, __file__, "--child", tmp, "--jobs", str(args.jobs), "--reports", str(args.reports)]
        command += ["--checkpoints", *map(str, checkpoints)] + (["--untraced"] if args.untraced else [])
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"ingest run failed:\n{done.stderr[-3000:]}")
    run = json.loads(done.stdout.strip().splitlines()[-1])
    result = {
        "benchmark": "Python heap and resident memory of the `gongkai ingest` parent along a run",
        "machine": machine(),
        "note": "2 CPU cores shared with other work; tracemalloc slows the run, the memory figures stand",
        "corpus": {"reports": args.reports, "seed": args.seed, "layouts": list(synth.LAYOUTS)},
        "run": run,
    }
    write_json(result, args.out)
    out = console()
    for point in run["checkpoints"]:
        out.print(point)
    for row in run.get("python_heap_growth_top", []):
        out.print(
            f"{row['kb']:>9.1f} KB  {row['bytes_per_report']:>6} B/report  {row['blocks']:>7} blocks  "
            + " ← ".join(reversed(row["where"]))
        )
    out.print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
