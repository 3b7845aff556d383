"""Year-end statistics from a request ledger: 10,000 requests for one agency-year in < 2 s.

Generates a ledger with gongkai.ledger.synth (valid requests on every usual path:
N received in the year plus N/10 from the last quarter of the year before, and
行政复议/诉讼 cases),
then times, in this one process: year_statistics (表三 and 表四 with drill-down),
the published-report checker on the result, the reply clock of every request, and
an XLSX export → import round trip.  Prints a table and writes
bench/results/ledger_stats.json.  Not a unit test: timings depend on the machine.

    uv run python bench/ledger_stats.py [--requests 10000] [--year 2024] [--rounds 5] [--seed 0]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from pathlib import Path

from common import console, machine, write_json  # bench/ is on sys.path when run as a script
from rich.table import Table

from gongkai.ledger.calendar import default_calendar
from gongkai.ledger.clock import reply_clock
from gongkai.ledger.export import to_xlsx
from gongkai.ledger.importer import import_ledger
from gongkai.ledger.stats import year_statistics
from gongkai.ledger.synth import generate_cases, generate_ledger

TARGET_SECONDS = 2.0
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "ledger_stats.json"


def _time(fn, rounds: int) -> tuple[float, float, object]:
    times, value = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times), value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    cal = default_calendar()
    start = time.perf_counter()
    as_of = date(args.year, 12, 20)
    # N requests received in the year, plus a tenth as many from the last quarter of the year before (上年结转)
    requests = generate_ledger(
        args.requests, args.year, seed=args.seed, calendar=cal, as_of=as_of, spread_from=date(args.year, 1, 1)
    ) + generate_ledger(
        args.requests // 10, args.year - 1, seed=args.seed + 1, calendar=cal, as_of=as_of,
        spread_from=date(args.year - 1, 10, 1),
    )  # fmt: skip
    cases = generate_cases(requests, seed=args.seed)
    generated = time.perf_counter() - start
    in_year = sum(1 for r in requests if r.received.year == args.year)

    rows = []
    median, worst, stats = _time(lambda: year_statistics(requests, cases, args.year), args.rounds)
    rows.append(("year_statistics（表三、表四及逐格下钻）", median, worst))
    m2, w2, findings = _time(lambda: stats.check(), args.rounds)  # type: ignore[attr-defined]
    rows.append(("按年报规则检查", m2, w2))
    rows.append(("统计 + 检查合计", median + m2, worst + w2))
    m3, w3, _ = _time(lambda: [reply_clock(r, cal, date(args.year, 12, 20)) for r in requests], 1)
    rows.append((f"全部 {len(requests)} 件申请的答复期限与状态", m3, w3))
    m4, w4, data = _time(lambda: to_xlsx(requests, cases), 1)
    rows.append(("导出 XLSX", m4, w4))
    m5, w5, imported = _time(lambda: import_ledger(data, "ledger.xlsx"), 1)  # type: ignore[arg-type]
    rows.append(("导入 XLSX（逐行检查）", m5, w5))

    total_check = median + m2
    table = Table(
        title=f"台账年度统计：{len(requests)} 件申请（其中 {in_year} 件为 {args.year} 年新收）、{len(cases)} 件复议诉讼"
    )
    table.add_column("步骤")
    table.add_column("中位数 ms", justify="right")
    table.add_column("最慢 ms", justify="right")
    for name, m, w in rows:
        table.add_row(name, f"{m * 1000:.1f}", f"{w * 1000:.1f}")
    out = console()
    out.print(table)
    ok = total_check < TARGET_SECONDS and not findings and imported.ok  # type: ignore[attr-defined]
    out.print(f"目标：统计 + 检查 < {TARGET_SECONDS:.0f} s；实测 {total_check:.3f} s → {'达到' if ok else '未达到'}")
    result = {
        "benchmark": "ledger_stats",
        "requests": len(requests),
        "new_in_year": in_year,
        "cases": len(cases),
        "year": args.year,
        "rounds": args.rounds,
        "generate_seconds": round(generated, 3),
        "steps": [{"step": n, "median_ms": round(m * 1000, 2), "max_ms": round(w * 1000, 2)} for n, m, w in rows],
        "statistics_and_check_seconds": round(total_check, 4),
        "target_seconds": TARGET_SECONDS,
        "findings": len(findings),  # type: ignore[arg-type]
        "import_ok": imported.ok,  # type: ignore[attr-defined]
        "totals": {"requests": stats.requests["total"][-1], "new_received": stats.requests["new_received"][-1]},  # type: ignore[attr-defined]
        "machine": machine(),
    }
    write_json(result, args.out)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
