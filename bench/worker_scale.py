"""Scale-out of upload processing: N generated reports through the job path (the upload page's create_job +
start_job) processed by 1 and then 2 Celery worker processes, on PostgreSQL + Redis with the originals in the
database (GONGKAI_STORAGE=database), each worker with a data directory of its own as on another machine.

For each worker count, in a fresh PostgreSQL database: the reports are staged as upload jobs of --batch files
(timed: what the web server does), then the workers are started and, once all are ready, every job is queued
at once; the clock runs until the last job has finished. Prints reports/s, each worker's share of the files,
its CPU time and peak resident memory; then the same for --pdf-reports generated PDFs. Writes the JSON to
bench/results/worker_scale.json. The machine's load average is recorded: with 2 cores shared with the database,
Redis and other work, 2 workers can at most double the rate.

    uv run python bench/worker_scale.py [--reports 2000] [--pdf-reports 200] [--workers 1 2] [--batch 20]
        [--postgres postgres://postgres@127.0.0.1:5432/gongkai_bench_workers] [--broker redis://127.0.0.1:6379/12]
    uv run python bench/worker_scale.py --reports 0 --pdf-reports 600 --out bench/results/worker_scale_pdf.json
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from common import console, machine, write_json  # bench/ is on sys.path when run as a script
from rich.table import Table

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "worker_scale.json"
TEXT_LAYOUTS = ("cell_per_line", "inline_pipes", "tabs", "markdown", "html", "docx", "xlsx")


# --- the worker process ------------------------------------------------------------------------------------------


def worker() -> None:
    """A real Celery worker (solo pool: one file at a time) that says when it is ready."""
    from celery.signals import worker_ready

    @worker_ready.connect
    def ready(**kwargs) -> None:
        (Path(os.environ["BENCH_READY_DIR"]) / str(os.getpid())).touch()

    from celery.__main__ import main as celery_main

    sys.argv = ["celery", "-A", "gongkai.web.celery_app", "worker", "--pool=solo", "--loglevel=WARNING"]
    sys.argv += ["-n", f"bench{os.getpid()}@%h"]
    celery_main()


def _proc(pid: int) -> dict:
    """Peak resident memory and CPU seconds of a live process, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    peak_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return {"peak_rss_mb": round(peak_kb / 1024, 1), "cpu_seconds": (int(fields[11]) + int(fields[12])) / ticks}


def _postgres_cpu_seconds() -> float | None:
    """CPU seconds used so far by the PostgreSQL server's processes on this machine (None: not readable)."""
    ticks, total, seen = os.sysconf("SC_CLK_TCK"), 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process has ended
            continue
        name, rest = text.split("(", 1)[1].rsplit(")", 1)
        if name == "postgres":
            fields = rest.split()  # utime, stime, and those of ended children (backends whose connection closed)
            total += sum(int(f) for f in fields[11:15])
            seen = True
    return total / ticks if seen else None


# --- one run: stage, start the workers, queue everything, wait ----------------------------------------------------


def run(directory: Path, workers: int, batch: int) -> dict:
    """In a fresh process whose environment names the database, broker and storage."""
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from gongkai.web.center.models import IngestJob, JobItem
    from gongkai.web.center.services.jobs import QUEUED, create_job, start_job

    call_command("migrate", verbosity=0)
    paths = sorted(p for p in directory.iterdir() if not p.name.endswith(".json"))
    started = time.perf_counter()
    jobs = []
    for i in range(0, len(paths), batch):
        with transaction.atomic():
            job = create_job([(p.name, p.read_bytes()) for p in paths[i : i + batch]])
            # Held back from the workers' start-up sweep (which queues unclaimed jobs) until the timed phase.
            IngestJob.objects.filter(pk=job.pk).update(
                lease_owner=QUEUED, lease_until=timezone.now() + timedelta(hours=1)
            )
        jobs.append(job.pk)
    staging = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="gongkai-bench-workers-") as tmp:
        ready = Path(tmp) / "ready"
        ready.mkdir()
        procs = []
        for n in range(workers):  # each with a data directory of its own: nothing shared but PG and Redis
            env = os.environ | {"GONGKAI_DATA_DIR": str(Path(tmp) / f"worker-{n}"), "BENCH_READY_DIR": str(ready)}
            procs.append(
                subprocess.Popen(
                    [sys.executable, __file__, "--worker"], env=env, stdout=subprocess.DEVNULL, start_new_session=True
                )
            )
        try:
            deadline = time.monotonic() + 120
            while len(list(ready.iterdir())) < workers:
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    raise SystemExit("the workers did not start")
                time.sleep(0.2)
            before = {p.pid: _proc(p.pid) for p in procs}
            database_before = _postgres_cpu_seconds()
            started = time.perf_counter()
            for pk in jobs:
                with transaction.atomic():
                    start_job(IngestJob.objects.get(pk=pk))
            while IngestJob.objects.filter(pk__in=jobs, status__in=("pending", "running")).exists():
                if any(p.poll() is not None for p in procs):
                    raise SystemExit("a worker died")
                time.sleep(0.2)
            seconds = time.perf_counter() - started
            after = {p.pid: _proc(p.pid) for p in procs}
            database_after = _postgres_cpu_seconds()
        finally:
            for p in procs:
                if p.poll() is None:
                    os.killpg(p.pid, signal.SIGTERM)
            for p in procs:
                p.wait(timeout=60)
        media = [str(f) for f in Path(tmp).glob("worker-*/media/**/*") if f.is_file()]

    items = JobItem.objects.filter(job_id__in=jobs)
    statuses = Counter(items.values_list("status", flat=True))
    by_worker = Counter(w.rsplit(":", 1)[-1] for w in items.values_list("worker", flat=True))
    per_worker = [
        {
            "pid": pid,
            "files": by_worker.get(str(pid), 0),
            "share": round(by_worker.get(str(pid), 0) / max(1, len(paths)), 3),
            "cpu_seconds": round(after[pid]["cpu_seconds"] - before[pid]["cpu_seconds"], 1),
            "peak_rss_mb": after[pid]["peak_rss_mb"],
        }
        for pid in after
    ]
    return {
        "workers": workers,
        "files": len(paths),
        "bytes": sum(p.stat().st_size for p in paths),
        "jobs": len(jobs),
        "batch": batch,
        "statuses": dict(statuses),
        "staging_seconds": round(staging, 2),
        "staging_files_per_second": round(len(paths) / staging, 1),
        "seconds": round(seconds, 2),
        "reports_per_second": round(len(paths) / seconds, 2),
        "per_worker": per_worker,
        "worker_cpu_ms_per_report": round(1000 * sum(w["cpu_seconds"] for w in per_worker) / len(paths), 1),
        # Includes the polling of this process and any other database on the server: an upper bound.
        "postgres_cpu_ms_per_report": (
            round(1000 * (database_after - database_before) / len(paths), 1)
            if database_before is not None and database_after is not None
            else None
        ),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "files_in_worker_media_folders": len(media),
    }


def _run_child(directory: Path, workers: int, batch: int, database_url: str, broker: str) -> dict:
    _fresh_postgres(database_url)
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-web-") as data_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "CELERY_", "DJANGO_"))}
        env |= {
            "DJANGO_SETTINGS_MODULE": "gongkai.web.settings",
            "GONGKAI_DATA_DIR": data_dir,
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker,
            "GONGKAI_CELERY_QUEUE": f"gongkai-bench-{uuid.uuid4().hex}",
            "GONGKAI_STORAGE": "database",
            "GONGKAI_SECRET_KEY": uuid.uuid4().hex,
            "GONGKAI_LOG_LEVEL": "WARNING",
        }
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(directory), "--workers", str(workers), "--batch", str(batch)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            _drop_postgres(database_url)
    if done.returncode != 0:
        raise SystemExit(f"worker run failed (workers={workers}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fresh_postgres(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")


def _drop_postgres(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- the benchmark -----------------------------------------------------------------------------------------------


def _series(label: str, count: int, layouts: tuple[str, ...], args, out) -> dict:
    from gongkai.proving import synth

    with tempfile.TemporaryDirectory(prefix="gongkai-bench-corpus-") as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        synth.write_corpus(directory, count, seed=args.seed, layouts=layouts)
        generation = time.perf_counter() - started
        load_before = machine()["load_average"]
        runs = []
        for workers in args.workers:
            runs.append(_run_child(directory, workers, args.batch, args.postgres, args.broker))
            out.print(f"{label}: {workers} worker(s) {runs[-1]['reports_per_second']:.1f} reports/s")
    series = {
        "reports": count,
        "layouts": list(layouts),
        "generation_s": round(generation, 1),
        "load_average_before": load_before,
        "load_average_after": machine()["load_average"],
        "runs": runs,
    }
    if len(runs) > 1:
        series["speedup"] = round(runs[-1]["reports_per_second"] / runs[0]["reports_per_second"], 2)
    return series


def _table(title: str, series: dict) -> Table:
    table = Table(title=title)
    for col in ("workers", "files", "stored", "other", "staging/s", "seconds", "reports/s", "per worker"):
        table.add_column(col, justify="right")
    table.add_column("CPU ms/report", justify="right")
    table.add_column("PG CPU ms/report", justify="right")
    table.add_column("peak RSS MB", justify="right")
    for r in series["runs"]:
        stored = r["statuses"].get("created", 0)
        table.add_row(
            str(r["workers"]),
            str(r["files"]),
            str(stored),
            str(r["files"] - stored),
            f"{r['staging_files_per_second']:.0f}",
            f"{r['seconds']:.1f}",
            f"{r['reports_per_second']:.1f}",
            " / ".join(f"{w['share']:.0%}" for w in r["per_worker"]),
            f"{r['worker_cpu_ms_per_report']:.0f}",
            "?" if r["postgres_cpu_ms_per_report"] is None else f"{r['postgres_cpu_ms_per_report']:.0f}",
            " / ".join(f"{w['peak_rss_mb']:.0f}" for w in r["per_worker"]),
        )
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=2000, help="generated text/Office reports (2000; 0: none)")
    parser.add_argument("--pdf-reports", type=int, default=200, help="generated PDF reports (200; 0: none)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker process counts (1 2)")
    parser.add_argument("--batch", type=int, default=20, help="files per upload job (20)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/gongkai_bench_workers")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker()
        return 0
    if args.child:
        print(json.dumps(run(args.child, args.workers[0], args.batch)))
        return 0

    out = console()
    result = {
        "benchmark": "upload jobs processed by Celery workers (PostgreSQL + Redis, GONGKAI_STORAGE=database)",
        "machine": machine(),
        "note": "2 CPU cores shared by the workers, PostgreSQL, Redis and other work: 2 workers at most double",
        "batch": args.batch,
    }
    if args.reports:
        result["reports"] = _series("reports", args.reports, TEXT_LAYOUTS, args, out)
    if args.pdf_reports:
        result["pdf"] = _series("PDF", args.pdf_reports, ("pdf",), args, out)
    write_json(result, args.out)

    if "reports" in result:
        out.print(_table(f"Upload jobs through Celery workers — {args.reports} generated reports", result["reports"]))
    if "pdf" in result:
        out.print(_table(f"The same with {args.pdf_reports} generated PDF reports", result["pdf"]))
    out.print(
        "staging/s: files staged per second by the web side (before the clock). seconds and reports/s: from queuing"
        " every job to the last one finished. per worker: each worker's share of the files. CPU ms/report: the"
        " workers' CPU time per file; PG: the PostgreSQL server's (every database on it)."
        " peak RSS: each worker's peak resident memory."
    )
    speedups = [f"{k} {result[k]['speedup']:.2f}×" for k in ("reports", "pdf") if "speedup" in result.get(k, {})]
    out.print(f"load average {result['machine']['load_average']} · speedup {', '.join(speedups)} · written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
