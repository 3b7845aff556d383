"""Web throughput under load: report pages per second and latency with 50 concurrent clients, over HTTP.

Starts the real server (`python -m gongkai.web.workers`: waitress, in 1 or more processes) on a free
loopback port with a throw-away data directory holding the 5 bundled sample reports and the 8 synthetic
demo reports, then runs a bounded request loop: C clients (default 50), each with its own keep-alive
connection, request the report pages round-robin until R requests (default 3000) are done or S seconds
(default 60) have passed. Every page is fetched once before timing (the caches warm up as in use).
Only loopback traffic. Prints a table and writes bench/results/web_load.json.

Target on this 2-core machine: ≥ 100 report pages/s and p95 < 500 ms at 50 concurrent clients.

    uv run python bench/web_load.py [--workers 1,3] [--threads 4] [--clients 50] [--requests 3000] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import console, machine, write_json  # bench/ is on sys.path when run as a script
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "web_load.json"
TARGET_RPS = 100.0
TARGET_P95_MS = 500.0
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30.0  # seconds: a request without an answer by then counts as an error


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def prepare_data(data_dir: Path) -> None:
    """The samples (loaded by the server on start) and the demo reports, in a data directory of its own."""
    env = os.environ | {"GONGKAI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "gongkai.web.settings"}
    for command in (["migrate", "--verbosity", "0"], ["load_demo"]):
        subprocess.run([sys.executable, "-m", "django", *command], env=env, check=True, stdout=subprocess.DEVNULL)


def start_server(data_dir: Path, port: int, workers: int, threads: int) -> subprocess.Popen:
    env = os.environ | {"GONGKAI_DATA_DIR": str(data_dir)}
    env.pop("GONGKAI_DEBUG", None)
    command = [sys.executable, "-m", "gongkai.web.workers", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers), "--threads", str(threads), "--data-dir", str(data_dir)]
    # The server's log goes to a file: a pipe nobody reads fills up (waitress logs queue depth) and stalls it.
    log = (data_dir / f"server-{port}.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    log.close()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            text = (data_dir / f"server-{port}.log").read_text(errors="replace")
            raise SystemExit(f"server exited: {text[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("server did not start within 120 s")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def report_urls(port: int) -> list[str]:
    import re

    with urllib.request.urlopen(f"http://{HOST}:{port}/reports/", timeout=10) as response:
        html = response.read().decode()
    return sorted(set(re.findall(r'href="(/reports/\d+/)"', html)))


class Client:
    """One keep-alive HTTP/1.1 connection; reads Content-Length and chunked bodies."""

    def __init__(self, port: int) -> None:
        self.port, self.reader, self.writer = port, None, None

    async def get(self, path: str) -> tuple[int, int]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nConnection: keep-alive\r\n\r\n".encode())
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("connection closed")
        status = int(status_line.split()[1])
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            key, _, value = line.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                body += await self.reader.readexactly(size)
                await self.reader.readline()
            await self.reader.readline()
        else:
            body = await self.reader.read()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, len(body)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = self.reader = None


async def load(port: int, urls: list[str], clients: int, requests: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    issued = 0
    deadline = time.perf_counter() + seconds

    async def worker(n: int) -> None:
        nonlocal issued
        client = Client(port)
        try:
            while issued < requests and time.perf_counter() < deadline:
                url = urls[issued % len(urls)]
                issued += 1
                started = time.perf_counter()
                try:
                    status, size = await asyncio.wait_for(client.get(url), REQUEST_TIMEOUT)
                except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError, TimeoutError) as exc:
                    errors.append(f"{url}: {exc!r}")
                    await client.close()
                    continue
                latencies.append(time.perf_counter() - started)
                if status != 200 or size < 2_000:
                    errors.append(f"{url}: HTTP {status}, {size} bytes")
        finally:
            await client.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(clients)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000, 1) if latencies else 0.0

    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else 0.0,
    }


def run(workers: int, threads: int, clients: int, requests: int, seconds: float, data_dir: Path) -> dict:
    port = free_port()
    server = start_server(data_dir, port, workers, threads)
    try:
        urls = report_urls(port)
        # Warm-up: each page a few times, so that every worker process has rendered it once.
        asyncio.run(load(port, urls, min(clients, 8), len(urls) * workers * 3, 60))
        result = asyncio.run(load(port, urls, clients, requests, seconds))
    finally:
        stop_server(server)
    return {"workers": workers, "threads": threads, "clients": clients, "pages": len(urls)} | result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,3", help="comma-separated process counts to measure (default 1,3)")
    parser.add_argument("--threads", type=int, default=4, help="threads per process (default 4)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000, help="requests per configuration (default 3000)")
    parser.add_argument("--seconds", type=float, default=60, help="time limit per configuration (default 60)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    if not hasattr(os, "fork"):
        print("此系统不支持多进程（fork），只测 1 个进程 / no fork here: one process only")
    counts = [int(n) for n in args.workers.split(",") if n.strip()] if hasattr(os, "fork") else [1]
    rows = []
    with tempfile.TemporaryDirectory(prefix="gongkai-load-") as tmp:
        data_dir = Path(tmp)
        prepare_data(data_dir)
        for workers in counts:
            rows.append(run(workers, args.threads, args.clients, args.requests, args.seconds, data_dir))

    table = Table(title=f"报告页负载（{args.clients} 个并发客户端，HTTP keep-alive，本机回环）")
    for column in ("进程 × 线程", "请求", "错误", "页/秒", "p50 ms", "p95 ms", "p99 ms", "最大 ms", "达标"):
        table.add_column(column, justify="right")
    for r in rows:
        ok = r["rps"] >= TARGET_RPS and r["p95_ms"] < TARGET_P95_MS and not r["errors"]
        table.add_row(
            f"{r['workers']} × {r['threads']}",
            str(r["requests"]),
            str(r["errors"]),
            f"{r['rps']:.0f}",
            f"{r['p50_ms']:.0f}",
            f"{r['p95_ms']:.0f}",
            f"{r['p99_ms']:.0f}",
            f"{r['max_ms']:.0f}",
            "✓" if ok else "✗",
        )
    console().print(table)
    for r in rows:
        for sample in r["error_samples"]:
            print("error:", sample)
    write_json(
        {
            "machine": machine(),
            "target": {"rps": TARGET_RPS, "p95_ms": TARGET_P95_MS, "clients": args.clients},
            "results": rows,
        },
        args.output,
    )
    print(f"写入 {args.output}")


if __name__ == "__main__":
    main()
