"""The model and API tests again, against the real PostgreSQL server on 127.0.0.1:5432 (database `test`, trust auth).

Each run makes a database of its own (pytest-django adds its `test_` copy), so two runs can share the server.
Skipped only when no server answers.
"""

import contextlib
import os
import socket
import subprocess
import sys

import pytest

from tests.web.conftest import ROOT

SERVER = "postgres://postgres@127.0.0.1:5432"


def _server_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.postgres_runner
def test_web_suite_passes_on_postgresql(tmp_path):
    if not _server_answers():
        pytest.skip("PostgreSQL 未在 127.0.0.1:5432 运行")
    with _own_database() as url:
        _run_web_suite(url, tmp_path)


@contextlib.contextmanager
def _own_database():
    import psycopg

    name = f"gongkai_{os.getpid()}"
    with psycopg.connect(f"{SERVER}/test", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{SERVER}/{name}"
    finally:
        with psycopg.connect(f"{SERVER}/test", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _run_web_suite(database_url: str, tmp_path) -> None:
    env = os.environ | {"DATABASE_URL": database_url, "GONGKAI_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/web", "-m", "not postgres_runner", "--ds=gongkai.web.settings_test",
         "-q", "-p", "no:cacheprovider", "--create-db"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
