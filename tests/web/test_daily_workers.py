"""Several server processes on one port (`gongkai serve --workers N`): started, replaced, stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process tree read from /proc")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> set[int]:
    return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def _wait(predicate, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def _get(port: int, path: str = "/") -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status
    except OSError:
        return 0


def test_workers_serve_on_one_port_are_replaced_and_stop(tmp_path):
    port = _free_port()
    env = os.environ | {"GONGKAI_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gongkai.web.settings"}
    command = [sys.executable, "-m", "gongkai", "serve", "--port", str(port), "--workers", "2", "--no-samples"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait(lambda: _get(port) == 200)
        workers = _wait(lambda: len(_children(server.pid)) == 2 and _children(server.pid))
        assert all(_get(port, "/reports/") == 200 for _ in range(10))
        # A worker that dies is replaced; the site keeps answering.
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        _wait(lambda: len(_children(server.pid) - {victim}) == 2)
        assert _get(port) == 200
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0, err
    assert "2 个进程" in out and "已停止" in out
    with socket.socket() as s:  # nobody listens on the port any more (closed connections may linger)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
