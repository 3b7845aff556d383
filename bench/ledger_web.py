"""Ledger web latency: the request ledger (依申请公开台账) list with 100,000 requests in PostgreSQL.

Loads ten agencies × 10,000 generated requests (the core's generator: every path of a request — reply in
time, 补正, 征求意见, 收费, 延期, 撤回, still open — valid for the core's validation) through the web app's own
import path, then times the ledger pages in-process with Django's test client (no network or web server),
signed in as an editor. Target: ledger list p95 < 200 ms. Prints a table and writes
bench/results/ledger_web.json. The database is created and dropped here.

    uv run python bench/ledger_web.py [--agencies 10] [--per-agency 10000] [--requests 50]
                                      [--database-url postgres://postgres@127.0.0.1:5432/ledger_web]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import date
from pathlib import Path
from statistics import quantiles
from types import SimpleNamespace

from common import console, machine, write_json  # bench/ is on sys.path when run as a script
from rich.table import Table

TARGET_P95_MS = 200.0
TODAY = date(2025, 12, 31)
YEAR = 2025
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "ledger_web.json"


def _admin(url: str) -> tuple[str, str]:
    base, name = url.rsplit("/", 1)
    return base + "/postgres", name


def _recreate(url: str) -> None:
    import psycopg

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def _drop(url: str) -> None:
    import psycopg

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _load(agencies: int, per_agency: int, progress) -> list[int]:
    from gongkai.ledger.synth import generate_cases, generate_ledger
    from gongkai.web.center.models import Agency
    from gongkai.web.ledger.services import transfer

    city = Agency.objects.create(name="示例市人民政府", level="city")
    ids = []
    for i in range(agencies):
        agency = Agency.objects.create(name=f"示例市第{i + 1}局", kind="department", parent=city)
        requests = generate_ledger(per_agency, YEAR, agency=agency.name, seed=i, as_of=TODAY)
        cases = generate_cases(requests, seed=i)
        started = time.perf_counter()
        transfer.store(agency, SimpleNamespace(requests=requests, cases=cases), None)
        progress(
            f"  {agency.name}: {len(requests)} requests, {len(cases)} cases in {time.perf_counter() - started:.0f} s"
        )
        ids.append(agency.pk)
    return ids


def _measure(agency_ids: list[int], n: int, seed: int = 3) -> list[dict]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from gongkai.ledger.model import APPLICANT_TYPES
    from gongkai.web.ledger.models import Request

    rng = random.Random(seed)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = get_user_model().objects.create_user("bench-editor")
    user.groups.add(Group.objects.get_or_create(name="editor")[0])
    client = Client()
    client.force_login(user)
    request_ids = list(Request.objects.values_list("pk", flat=True)[:: max(1, Request.objects.count() // 2000)])
    codes = list(Request.objects.values_list("query_code", flat=True)[:500])

    def agency() -> int:
        return rng.choice(agency_ids)

    states = ("open", "due_soon", "overdue", "paused", "awaiting_correction", "awaiting_payment", "closed")
    endpoints = {
        "台账列表 /ledger/agency/<id>/": (n, lambda: ("get", f"/ledger/agency/{agency()}/?page={rng.randint(1, 50)}")),
        "台账列表 按状态": (n, lambda: ("get", f"/ledger/agency/{agency()}/?state={rng.choice(states)}")),
        "台账列表 即将到期/已逾期": (n, lambda: ("get", f"/ledger/agency/{agency()}/?state={rng.choice(states[1:3])}")),
        "台账列表 年度+结果+申请人类型": (n, lambda: ("get", f"/ledger/agency/{agency()}/?year={YEAR}"
                                              f"&outcome=granted&applicant_type={rng.choice(APPLICANT_TYPES)}")),
        "申请页 /ledger/requests/<id>/": (n, lambda: ("get", f"/ledger/requests/{rng.choice(request_ids)}/")),
        "API 台账 /api/ledger/agencies/<id>/requests": (
            n, lambda: ("get", f"/api/ledger/agencies/{agency()}/requests?state={rng.choice(states)}")),
        "API 申请 /api/ledger/requests/<id>": (n, lambda: ("get", f"/api/ledger/requests/{rng.choice(request_ids)}")),
        "查询码查询 /ledger/lookup/": (n, lambda: ("post", "/ledger/lookup/", {"code": rng.choice(codes)})),
        "年度统计 year/<y>/": (max(5, n // 5), lambda: ("get", f"/ledger/agency/{agency()}/year/{YEAR}/")),
        "单元格下钻 year/cell/": (max(5, n // 5), lambda: ("get", f"/ledger/agency/{agency()}/year/{YEAR}/cell/"
                                                          "?path=requests.granted.total")),
    }  # fmt: skip
    from django.core.cache import cache

    results = []
    for name, (count, make) in endpoints.items():
        method, url, *data = make()
        getattr(client, method)(url, *data)  # warm-up: template compilation, first queries
        timings = []
        for _ in range(count):
            method, url, *data = make()
            cache.clear()  # the lookup's rate limit counts per address: the benchmark is one address
            started = time.perf_counter()
            response = getattr(client, method)(url, *data)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url} → {response.status_code}")
        cuts = quantiles(timings, n=100, method="inclusive")
        results.append(
            {"endpoint": name, "requests": count, "p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1),
             "max_ms": round(max(timings), 1)}
        )  # fmt: skip
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=10)
    parser.add_argument("--per-agency", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50, help="requests per endpoint")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ledger_web")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    postgres = args.database_url.startswith("postgres")
    if postgres:
        _recreate(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.web.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from gongkai.web.ledger.services import records

    records.today = lambda: TODAY  # a fixed day: the states (overdue, due soon…) are those of 2025-12-31
    out = console()
    try:
        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        agency_ids = _load(args.agencies, args.per_agency, out.print)
        load_seconds = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        from gongkai.web.ledger.models import Request

        total = Request.objects.count()
        results = _measure(agency_ids, args.requests)
        vendor = connection.vendor
    finally:
        connections.close_all()
        if postgres and not args.keep:
            _drop(args.database_url)

    table = Table(title=f"台账网页响应时间：{total} 件申请（{args.agencies} 个机关 × {args.per_agency}），{vendor}")
    for column in ("endpoint", "n", "p50 ms", "p95 ms", "max ms", f"p95 < {TARGET_P95_MS:.0f}"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    for r in results:
        ok = r["p95_ms"] < TARGET_P95_MS
        table.add_row(r["endpoint"], str(r["requests"]), f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}",
                      f"{r['max_ms']:.1f}", "[green]✓[/]" if ok else "[red]✗[/]")  # fmt: skip
    out.print(table)
    out.print(f"loading {total} requests took {load_seconds:.0f} s (not timed above)")
    write_json(
        {
            "benchmark": "ledger web latency (in-process test client)",
            "machine": machine(),
            "database": vendor,
            "requests_in_database": total,
            "agencies": args.agencies,
            "per_agency": args.per_agency,
            "today": TODAY.isoformat(),
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
