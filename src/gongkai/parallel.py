"""Run one function over many inputs in worker processes, results in input order.

Each worker process handles one input at a time, so a file that crashes its worker (a segfault in a native
library, the kernel's OOM killer) or runs past the per-file timeout costs only that file: the worker is
killed and replaced, and the file's result is a `Failure`. Workers are retired after `max_tasks_per_child`
inputs so a leak in a parser cannot grow without bound. At most `window` inputs are in flight or waiting to
be yielded, so a run over tens of thousands of files holds only a few results in memory.

Workers start from a fork server that has already imported the parser (`preload`), so replacing one costs a
fork rather than a fresh interpreter; they never inherit the parent's database connections or threads.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_MAX_TASKS_PER_CHILD = 500
_PRELOAD = ["gongkai.parse"]


@dataclass(frozen=True, slots=True)
class Failure:
    """An input whose worker crashed or ran out of time; the run goes on with the next one."""

    code: str  # "timeout" | "worker_crashed" | "internal_error"
    message_zh: str
    message_en: str


def default_jobs() -> int:
    """The CPUs this process may run on (the affinity mask where there is one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _context(module: str) -> multiprocessing.context.BaseContext:
    """The fork server where there is one (Linux, macOS), else fresh interpreters (Windows). The server is
    started once per process, importing the parser and the module of the first function run in it."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([*_PRELOAD, module])  # no effect once the server runs
        return ctx
    return multiprocessing.get_context("spawn")


def _serve(conn, fn: Callable[[Any], Any], nice: int = 0) -> None:
    """A worker's loop: receive (index, argument), send back (index, ok, result)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle; it stops the workers
    if nice and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(nice)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, argument = message
        started = time.process_time()
        try:
            reply = (index, True, fn(argument))
        except BaseException as exc:  # noqa: BLE001 -- the function should catch its own errors; anything left is reported
            reply = (index, False, f"{type(exc).__name__}: {exc}")
        reply += (time.process_time() - started,)
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 -- e.g. a result that cannot be pickled
            conn.send((index, False, f"{type(exc).__name__}: {exc}", 0.0))


class _Worker:
    def __init__(self, ctx, fn: Callable[[Any], Any], nice: int = 0) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, fn, nice), daemon=True, name="gongkai-worker")
        self.process.start()
        child.close()
        self.index: int | None = None  # the input in hand
        self.deadline = float("inf")
        self.done = 0

    def give(self, index: int, argument: Any, timeout: float | None) -> None:
        self.conn.send((index, argument))
        self.index = index
        self.deadline = time.monotonic() + timeout if timeout else float("inf")

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError, BrokenPipeError):
                self.conn.send(None)
        self.process.join(timeout=None if kill else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _crashed(exitcode: int | None) -> Failure:
    if exitcode is not None and exitcode < 0:
        try:
            how = signal.Signals(-exitcode).name
        except ValueError:
            how = f"signal {-exitcode}"
    else:
        how = f"exit code {exitcode}"
    return Failure(
        "worker_crashed",
        "解析进程意外退出（可能是文件触发了底层库崩溃或内存耗尽），已跳过该文件",
        f"worker process died while parsing ({how})",
    )


def imap_ordered(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int,
    timeout: float | None = None,
    max_tasks_per_child: int = DEFAULT_MAX_TASKS_PER_CHILD,
    window: int | None = None,
    argument: Callable[[T], Any] | None = None,
    nice: int = 0,
    stats: dict | None = None,
) -> Iterator[tuple[T, R | Failure]]:
    """Yield (item, fn(argument(item)) or Failure) for every item, in input order, computed in `jobs` processes.

    `fn` must be a module-level function (it is pickled by name). `argument(item)` is what is sent to the
    worker (default: the item itself) — it is computed only when the item is dispatched. `timeout` is seconds
    per item (None: no limit). `nice` lowers the workers' priority: when this process does serial work on
    every result (database writes), its own workers must not starve it of CPU. `stats`, when given, receives
    `worker_cpu_seconds`: the CPU time the workers spent in `fn`."""
    stats = {} if stats is None else stats
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    window = max(window or 4 * jobs, jobs)
    ctx = _context(fn.__module__)
    source = iter(items)
    waiting: dict[int, T] = {}  # dispatched, not yet yielded
    results: dict[int, Any] = {}
    workers: list[_Worker] = []
    idle: list[_Worker] = []
    next_in = next_out = 0
    exhausted = False

    def replace(worker: _Worker, kill: bool) -> None:
        workers.remove(worker)
        worker.stop(kill=kill)

    try:
        while True:
            # Hand out inputs while there are free workers and room in the window.
            while not exhausted and next_in - next_out < window and (idle or len(workers) < jobs):
                try:
                    item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                worker = idle.pop() if idle else None
                if worker is not None and not worker.process.is_alive():  # killed from outside while idle
                    replace(worker, kill=True)
                    worker = None
                if worker is None:
                    worker = _Worker(ctx, fn, nice)
                    workers.append(worker)
                waiting[next_in] = item
                try:
                    worker.give(next_in, argument(item) if argument else item, timeout)
                except (BrokenPipeError, ConnectionResetError):  # it died between the check and the send
                    results[next_in] = _crashed(worker.process.exitcode)
                    worker.index = None
                    replace(worker, kill=True)
                next_in += 1
            # Yield what is ready, in order.
            while next_out in results:
                result = results.pop(next_out)
                yield waiting.pop(next_out), result
                next_out += 1
            if exhausted and next_out == next_in:
                return
            busy = [w for w in workers if w.index is not None]
            if not busy:
                continue
            remaining = min(w.deadline for w in busy) - time.monotonic()
            ready = wait(
                [w.conn for w in busy] + [w.process.sentinel for w in busy],
                timeout=max(0.0, remaining) if remaining != float("inf") else None,
            )
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    _collect(worker, results, idle, max_tasks_per_child, replace, stats)
            now = time.monotonic()
            for worker in [w for w in workers if w.index is not None and w.deadline <= now]:
                results[worker.index] = Failure(
                    "timeout",
                    f"解析超时（超过 {timeout:g} 秒），已跳过该文件",
                    f"parsing took longer than {timeout:g} s",
                )
                worker.index = None
                replace(worker, kill=True)
    finally:
        for worker in workers:
            worker.stop(kill=worker.index is not None)


def _collect(worker: _Worker, results: dict, idle: list, max_tasks: int, replace, stats: dict) -> None:
    """Take the worker's answer, or record that it died without one."""
    index = worker.index
    try:
        got = worker.conn.recv() if worker.conn.poll() else None
    except (EOFError, OSError):
        got = None
    if got is None:
        worker.process.join(timeout=5)
        results[index] = _crashed(worker.process.exitcode)
        worker.index = None
        replace(worker, kill=True)
        return
    _, ok, value, cpu = got
    stats["worker_cpu_seconds"] = stats.get("worker_cpu_seconds", 0.0) + cpu
    results[index] = value if ok else Failure("internal_error", f"解析时发生内部错误（{value}）", value)
    worker.index = None
    worker.done += 1
    if worker.done >= max_tasks:
        replace(worker, kill=False)
    else:
        idle.append(worker)
