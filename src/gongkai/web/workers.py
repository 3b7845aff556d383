"""The site served by several waitress processes on one port, so that requests use every CPU core.

waitress is one process with threads: Python runs one thread at a time, so a page that costs 10 ms of CPU
caps one process near 100 pages a second whatever the thread count. Here the site is prepared once
(migrations, samples, admin account: `gongkai.web.cli.prepare`), then N processes are forked, each a
complete waitress server on the same port:

- Linux: every process listens on its own socket with SO_REUSEPORT and the kernel spreads the incoming
  connections over them evenly (also the long-lived keep-alive connections of browsers);
- other systems with fork (macOS, BSD): the processes share one listening socket and whichever is free
  accepts the next connection;
- Windows (no fork): one waitress process, as `gongkai serve`.

A process that dies is replaced; Ctrl+C or SIGTERM stops them all. Each process has its own in-memory cache
(set GONGKAI_CACHE_URL to share one in Redis) and its own database connections.

    python -m gongkai.web.workers --port 8000 --workers 3 --threads 4 [--data-dir DIR] [--no-samples]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import sys
from pathlib import Path


def default_workers() -> int:
    """One more process than cores (a process waits on the database part of the time), at most 8."""
    return min(8, (os.cpu_count() or 1) + 1)


def can_fork() -> bool:
    return hasattr(os, "fork")


def _reuse_port() -> bool:
    # Only Linux balances connections over SO_REUSEPORT sockets; BSD gives them all to the last one bound.
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _listening_socket(host: str, port: int, reuse_port: bool, listen: bool = True) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    if listen:
        sock.listen(1024)
    return sock


def _run_waitress(sock: socket.socket, threads: int) -> None:
    import waitress

    from gongkai.web.wsgi import application

    waitress.create_server(application, sockets=[sock], threads=threads, ident="gongkai").run()


def serve_workers(
    host: str = "127.0.0.1",
    port: int = 8000,
    data_dir: str | Path | None = None,
    samples: bool | Path = True,
    threads: int = 4,
    workers: int | None = None,
) -> None:
    from gongkai.web.cli import prepare

    prepare(data_dir, host, samples)
    workers = default_workers() if workers is None else max(1, workers)
    reuse_port = _reuse_port()
    try:
        # With SO_REUSEPORT this socket only holds the port (and proves it free); the workers listen.
        sock = _listening_socket(host, port, reuse_port, listen=not reuse_port or workers == 1 or not can_fork())
    except OSError as exc:
        raise SystemExit(f"无法在 {host}:{port} 上启动：{exc.strerror or exc}（address unavailable）") from None
    shown = f"[{host}]" if ":" in host else host
    if workers == 1 or not can_fork():
        print(f"数据中心已启动：http://{shown}:{port}/  （1 个进程，按 Ctrl+C 停止）", flush=True)
        if reuse_port and not sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
            sock.listen(1024)
        with contextlib.suppress(KeyboardInterrupt):
            _run_waitress(sock, threads)
        print("已停止。")
        return

    from django.db import connections

    import gongkai.web.wsgi  # noqa: F401 — the application is loaded once, before the fork, and shared

    connections.close_all()  # no database connection may be shared by two processes
    children: set[int] = set()
    stopping = False

    def spawn() -> None:
        pid = os.fork()
        if pid:
            children.add(pid)
            return
        # The worker: default signal handling, its own socket (SO_REUSEPORT) or the shared one.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        code = 0
        try:
            _run_waitress(_listening_socket(host, port, True) if reuse_port else sock, threads)
        except KeyboardInterrupt:
            pass
        except BaseException:  # noqa: BLE001 — a worker reports and exits; the parent replaces it
            import traceback

            traceback.print_exc()
            code = 1
        os._exit(code)

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                children.discard(pid)

    signal.signal(signal.SIGTERM, stop)
    for _ in range(workers):
        spawn()
    print(
        f"数据中心已启动：http://{shown}:{port}/  （{workers} 个进程 × {threads} 个线程，按 Ctrl+C 停止）",
        flush=True,
    )
    try:
        while children:
            try:
                pid, _status = os.wait()
            except ChildProcessError:
                break
            except KeyboardInterrupt:
                stop(signal.SIGINT, None)
                continue
            children.discard(pid)
            if not stopping:
                print(f"工作进程 {pid} 已退出，重新启动一个", file=sys.stderr, flush=True)
                spawn()
    finally:
        sock.close()
    print("已停止。")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gongkai.web.workers", description="以多个进程启动年报数据中心网站")
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--data-dir", default=None, help="数据目录（默认 $GONGKAI_DATA_DIR 或 ~/.local/share/gongkai）")
    parser.add_argument("--no-samples", action="store_true", help="不载入随附的示例年报")
    parser.add_argument("--samples-dir", type=Path, default=None, help="从此目录载入示例年报")
    parser.add_argument("--threads", type=int, default=4, help="每个进程的线程数（默认 4）")
    parser.add_argument(
        "--workers", type=int, default=None, help=f"进程数（默认 CPU 核数＋1，本机 {default_workers()}）"
    )
    args = parser.parse_args(argv)
    samples = False if args.no_samples else (args.samples_dir or True)
    serve_workers(args.host, args.port, args.data_dir, samples, args.threads, args.workers)


if __name__ == "__main__":
    main()
