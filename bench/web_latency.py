"""Web latency with many reports: the report page, lists, comparisons and API, p50/p95/max.

Fills a database with N synthetic reports in a realistic agency tree (default 10,000, in
a PostgreSQL database of its own that is created and dropped here), then times the main
pages and API endpoints in-process with Django's test client (no network or web-server
overhead).  Target: p95 < 200 ms.  Prints a table and writes bench/results/web_latency.json.

    uv run python bench/web_latency.py [--reports 10000] [--requests 50] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from common import console, machine, write_json  # bench/ is on sys.path when run as a script
from rich.table import Table

TARGET_P95_MS = 200.0
BENCH_DB = "gongkai_bench"
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "web_latency.json"


def _fresh_postgres_database(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return admin_url.rsplit("/", 1)[0] + f"/{BENCH_DB}"


def _drop_postgres_database(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50, help="requests per endpoint")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/test",
        help="a PostgreSQL server to create the benchmark database on, or sqlite:///path",
    )
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    postgres = args.database_url.startswith("postgres")
    os.environ["DATABASE_URL"] = _fresh_postgres_database(args.database_url) if postgres else args.database_url
    os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.web.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from gongkai.web.center.services import bench

    try:
        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        bench.load(args.reports, progress=lambda message: None)
        load_seconds = time.perf_counter() - started
        results = bench.measure(args.requests)
        vendor = connection.vendor
    finally:
        connections.close_all()
        if postgres and not args.keep:
            _drop_postgres_database(args.database_url)

    table = Table(title=f"网页响应时间：{args.reports} 份年报，{vendor}，每个接口 {args.requests} 次请求")
    for column in ("endpoint", "p50 ms", "p95 ms", "max ms", f"p95 < {TARGET_P95_MS:.0f}"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    for r in results:
        ok = r["p95_ms"] < TARGET_P95_MS
        table.add_row(
            r["endpoint"],
            f"{r['p50_ms']:.1f}",
            f"{r['p95_ms']:.1f}",
            f"{r['max_ms']:.1f}",
            "[green]✓[/]" if ok else "[red]✗[/]",
        )
    out = console()
    out.print(table)
    out.print(f"loading {args.reports} reports took {load_seconds:.0f} s (not timed above)")
    write_json(
        {
            "benchmark": "web latency (in-process test client)",
            "machine": machine(),
            "database": vendor,
            "reports": args.reports,
            "requests_per_endpoint": args.requests,
            "target_p95_ms": TARGET_P95_MS,
            "load_seconds": round(load_seconds, 1),
            "results": results,
        },
        args.out,
    )
    out.print(f"written: {args.out}")


if __name__ == "__main__":
    main()
