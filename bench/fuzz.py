"""A longer fuzz run than tests/test_fuzz.py, with the same inputs and the same property.

Every input must end in a Report or an InputError within the time limit.  The fixed
monsters run once, then the hypothesis strategies take turns in slices of a few seconds
until the time is up.  Each input is parsed in a worker process: one that overruns the
limit (even inside C code) is killed and replaced, so the run always stops by itself.

Prints, per strategy, the inputs tried, reports, refusals, known bugs (tests/test_fuzz.py
KNOWN) and new failures, and writes bench/results/fuzz.json with a reproducer for each
new failure (the input itself, base64, when it is under 64 KB).

    uv run python bench/fuzz.py [--minutes 5] [--time-limit 5] [--seed N] [--out bench/results/fuzz.json]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import logging
import multiprocessing
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the strategies live in tests/test_fuzz.py

from tests.test_fuzz import KNOWN, MONSTERS, STRATEGIES, Case, run_case  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "results" / "fuzz.json"
LABELS = {
    "monsters": "超大、深层嵌套输入",
    "random_bytes": "随机字节",
    "mutated_seeds": "变异的真实年报",
    "mutated_containers": "变异的办公文档和 PDF",
    "table_soup": "随机表格文字",
}
SLICE_SECONDS = 10.0  # each strategy's turn
GRACE_SECONDS = 5.0  # beyond the soft limit (SIGALRM in the worker) before the worker is killed
MAX_REPRODUCER_BYTES = 64 * 1024
MAX_PER_SIGNATURE = 3  # reproducers kept per distinct failure


class TimeUp(Exception):
    """Ends a strategy's slice: hypothesis stops at the first exception."""


# ---------------------------------------------------------------------------
# The worker: parses one input at a time
# ---------------------------------------------------------------------------
def _work(conn, limit: float) -> None:
    logging.disable(logging.WARNING)  # pdfminer's complaints about broken fonts: the outcome says enough
    while True:
        case = conn.recv()
        started = time.perf_counter()
        try:
            outcome, detail = run_case(case, limit), None
        except Exception as exc:  # noqa: BLE001 - recording every failure is the point
            name = next((n for n, known in KNOWN.items() if known.signature(case, exc)), None)
            if name is not None:
                outcome, detail = f"known:{name}", None
            else:
                frames = traceback.extract_tb(exc.__traceback__)
                where = next(
                    (f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames) if "gongkai" in f.filename), "?"
                )
                outcome = "failure"
                detail = {
                    "error": type(exc).__name__,
                    "message": str(exc)[:500],
                    "where": where,
                    "traceback": "".join(traceback.format_exception(exc)[-6:])[-3000:],
                }
        conn.send((outcome, detail, time.perf_counter() - started))


class Worker:
    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        self._start()

    def _start(self) -> None:
        self.conn, child = self.context.Pipe()
        self.process = self.context.Process(target=_work, args=(child, self.limit), daemon=True)
        self.process.start()
        child.close()

    def run(self, case: Case) -> tuple[str, dict | None, float]:
        started = time.perf_counter()
        self.conn.send(case)
        if self.conn.poll(self.limit + GRACE_SECONDS):
            try:
                return self.conn.recv()
            except EOFError:
                pass
        died = self.process.exitcode  # None: still running, i.e. stuck where SIGALRM cannot reach
        self.process.kill()
        self.process.join()
        self._start()
        error = "Hang" if died is None else f"WorkerDied(exit {died})"
        return "failure", {"error": error, "message": "", "where": "?", "traceback": ""}, time.perf_counter() - started

    def close(self) -> None:
        self.process.kill()
        self.process.join()


# ---------------------------------------------------------------------------
# Bookkeeping
# ---------------------------------------------------------------------------
class Tally:
    def __init__(self) -> None:
        self.outcomes: dict[str, Counter] = {}
        self.slowest: dict[str, float] = {}
        self.failures: list[dict] = []
        self._signatures: Counter = Counter()

    def add(self, strategy: str, case: Case, outcome: str, detail: dict | None, seconds: float) -> None:
        counts = self.outcomes.setdefault(strategy, Counter())
        kind = outcome.split(":", 1)[0]  # report | refused:<code> | known:<name> | failure
        counts[kind] += 1
        if kind != outcome:
            counts[outcome] += 1
        self.slowest[strategy] = max(self.slowest.get(strategy, 0.0), seconds)
        if outcome != "failure":
            return
        signature = (detail["error"], detail["where"])
        self._signatures[signature] += 1
        if self._signatures[signature] <= MAX_PER_SIGNATURE:
            self.failures.append(
                {"strategy": strategy, **detail, "seconds": round(seconds, 3), "case": _case_json(case)}
            )

    def summary(self) -> dict:
        out = {}
        for strategy, counts in self.outcomes.items():
            out[strategy] = {
                "tried": sum(counts[k] for k in ("report", "refused", "known", "failure")),
                "reports": counts["report"],
                "refused": counts["refused"],
                "refused_by_code": {k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("refused:")},
                "known": counts["known"],
                "known_by_name": {k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("known:")},
                "failures": counts["failure"],
                "slowest_seconds": round(self.slowest[strategy], 3),
            }
        return out


def _case_json(case: Case) -> dict:
    data = case.data.encode("utf-8", errors="surrogatepass") if isinstance(case.data, str) else case.data
    out = {"entry": case.entry, "name": case.name, "text": isinstance(case.data, str), "bytes": len(data)}
    out["sha256"] = hashlib.sha256(data).hexdigest()
    if len(data) <= MAX_REPRODUCER_BYTES:
        out["data_base64"] = base64.b64encode(data).decode("ascii")
    return out


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------
def _fuzz_slice(worker: Worker, tally: Tally, name: str, until: float, seed: int | None) -> None:
    @settings(
        max_examples=10**9,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=STRATEGIES[name])
    def one(case: Case) -> None:
        if time.monotonic() >= until:
            raise TimeUp
        tally.add(name, case, *worker.run(case))

    if seed is not None:
        one = hypothesis_seed(seed)(one)
    with contextlib.suppress(TimeUp):
        one()


def fuzz(minutes: float, limit: float, seed: int | None) -> dict:
    started = time.monotonic()
    end = started + minutes * 60
    worker = Worker(limit)
    tally = Tally()
    try:
        for name, build in MONSTERS.items():  # deterministic: once each
            case = build()
            outcome, detail, seconds = worker.run(case)
            if outcome == "failure" and name in KNOWN and detail["error"] == KNOWN[name].raises.__name__:
                outcome, detail = f"known:{name}", None
            tally.add("monsters", case, outcome, detail, seconds)
        turn = 0
        while time.monotonic() < end:
            for name in STRATEGIES:
                until = min(end, time.monotonic() + SLICE_SECONDS)
                _fuzz_slice(worker, tally, name, until, None if seed is None else seed + turn)
                turn += 1
                if time.monotonic() >= end:
                    break
    finally:
        worker.close()
    return {
        "schema": "gongkai.fuzz/v1",
        "minutes": minutes,
        "seconds": round(time.monotonic() - started, 1),
        "time_limit_seconds": limit,
        "seed": seed,
        "strategies": tally.summary(),
        "failures": tally.failures,
        "known": {name: known.reason for name, known in KNOWN.items()},
    }


def _table(result: dict) -> Table:
    table = Table(title=f"模糊测试：{result['seconds']:.0f} 秒，每个输入限时 {result['time_limit_seconds']:g} 秒")
    for header in ("输入类型", "输入数", "报告", "拒绝", "已知问题", "新失败", "最长秒数"):
        table.add_column(header, justify="left" if header == "输入类型" else "right")
    rows = list(result["strategies"].items())
    total = {k: sum(s[k] for _, s in rows) for k in ("tried", "reports", "refused", "known", "failures")}
    total["slowest_seconds"] = max((s["slowest_seconds"] for _, s in rows), default=0.0)
    for name, s in [*rows, ("合计", total)]:
        failed = f"[bold red]{s['failures']}[/]" if s["failures"] else "0"
        known = f"[yellow]{s['known']}[/]" if s["known"] else "0"
        table.add_row(
            LABELS.get(name, name),
            str(s["tried"]),
            str(s["reports"]),
            str(s["refused"]),
            known,
            failed,
            f"{s['slowest_seconds']:.2f}",
        )
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fuzz every reader entry point for a fixed time.")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--time-limit", type=float, default=5.0, help="seconds one input may take")
    parser.add_argument("--seed", type=int, default=None, help="make the generated inputs reproducible")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    result = fuzz(args.minutes, args.time_limit, args.seed)
    console = Console()
    console.print(_table(result))
    for failure in result["failures"]:
        case = failure["case"]
        console.print(
            f"[red]失败[/] {failure['strategy']}：{failure['error']} 于 {failure['where']}：{failure['message'][:160]}"
            f"（{case['entry']} {case['name']}，{case['bytes']} 字节）"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    console.print(f"结果已写入 {args.out}")
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
