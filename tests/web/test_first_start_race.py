"""Several processes starting at the same moment on a fresh database (site processes, workers, ingest runs) all
come up: the tables are made once, by one of them, while the others wait (before, all but one failed half-way with
"table already exists")."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

PROCESSES = 3
DATABASE = f"gongkai_first_start_{os.getpid()}"  # two test runs may share the server

_START = """
    import sys, time
    from pathlib import Path
    from gongkai.web.bulk_ingest import configure
    start = float(sys.argv[1])
    while time.time() < start:  # every process migrates at the same moment
        time.sleep(0.001)
    configure(None, Path(sys.argv[2]))
    from gongkai.web.center.models import Report
    print("ready", Report.objects.count())
"""


def _start_together(env: dict, data_dirs: list[Path]) -> list[subprocess.CompletedProcess]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DATABASE_URL"))} | env
    start = time.time() + 6  # after every interpreter has imported Django
    running = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(_START), str(start), str(d)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for d in data_dirs
    ]
    return [subprocess.CompletedProcess(p.args, p.wait(120), *p.communicate()) for p in running]


def _all_ready(done: list[subprocess.CompletedProcess]) -> None:
    for result in done:
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.strip().endswith("ready 0")


def test_first_start_on_sqlite(tmp_path: Path):
    _all_ready(_start_together({}, [tmp_path / "data"] * PROCESSES))


def test_first_start_on_postgresql(tmp_path: Path):
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        pytest.skip("PostgreSQL 未在 127.0.0.1:5432 运行")
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/test", autocommit=True) as c:
        c.execute(f"drop database if exists {DATABASE} with (force)")
        c.execute(f"create database {DATABASE}")
    try:
        url = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
        # Each its own data directory: as if on other machines, sharing only the database.
        _all_ready(_start_together({"DATABASE_URL": url}, [tmp_path / f"m{i}" for i in range(PROCESSES)]))
    finally:
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/test", autocommit=True) as c:
            c.execute(f"drop database if exists {DATABASE} with (force)")
