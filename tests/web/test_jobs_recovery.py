"""Upload jobs survive any process dying, under a real Celery worker on the real Redis: a worker killed mid-job
(SIGKILL) and the web side restarted while a worker runs the job. Every item is stored exactly once, none is lost,
no job is left running. On SQLite and, when a server answers, PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import uuid
from collections import Counter
from pathlib import Path

import pytest

from tests.web.conftest import SEEDS, wait_for
from tests.web.test_celery_redis import _redis_answers

POSTGRES = "postgres://postgres@127.0.0.1:5432/web_hardening_jobs"


def _postgres_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2, autocommit=True) as c:
            if not c.execute("select 1 from pg_database where datname = 'web_hardening_jobs'").fetchone():
                c.execute("create database web_hardening_jobs")
        return True
    except Exception:  # noqa: BLE001 - no server, no driver: the PostgreSQL case is skipped
        return False


pytestmark = [
    pytest.mark.skipif(not _redis_answers(), reason="no Redis server on 127.0.0.1:6379"),
    pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs its own databases"),
]

WORKER = """
    import os, sys, time
    import django
    django.setup()
    from gongkai.web.center.services import jobs

    real = jobs.prepare

    def slow_prepare(data, filename):  # every item takes a while: a worker can be killed in the middle of one
        with open(os.environ["PREPARE_LOG"], "a") as log:
            log.write(f"{os.getpid()} {filename}\\n")
        time.sleep(float(os.environ["ITEM_SECONDS"]))
        return real(data, filename)

    jobs.prepare = slow_prepare
    from celery.__main__ import main
    sys.argv = ["celery", "-A", "gongkai.web.celery_app", "worker", "--pool=solo", "--loglevel=WARNING",
                "-n", f"w{os.getpid()}@%h"]
    main()
"""

SUBMIT = """
    import json, sys
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from gongkai.web.center.services.jobs import create_job, start_job

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        job = create_job([(p.rsplit("/", 1)[-1], open(p, "rb").read()) for p in sys.argv[1:]])
        start_job(job)
    print(json.dumps({"job": job.pk}))
"""

WEB_RESTART = """
    import json, os, sys
    if sys.argv[1] == "serve":
        from gongkai.web import cli
        cli.prepare(os.environ["GONGKAI_DATA_DIR"], "127.0.0.1", samples=False)  # what `gongkai serve` does first
    else:
        import django
        django.setup()
    from gongkai.web.center.services.jobs import recover_jobs
    print(json.dumps({"queued": recover_jobs()}))  # and what any web process does now and then
"""

STATE = """
    import json, sys
    import django
    django.setup()
    from gongkai.web.center.models import IngestJob, Report
    job = IngestJob.objects.get(pk=int(sys.argv[1]))
    items = [
        {"name": i.filename, "status": i.status, "report": i.report_id, "staged": bool(i.staged), "message": i.message}
        for i in job.items.order_by("position")
    ]
    reports = Report.objects.count()
    print(json.dumps({"status": job.status, "processed": job.processed, "items": items, "reports": reports}))
"""


def _python(code: str, env: dict, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args], env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _env(tmp_path: Path, database: str | None) -> dict:
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path / "data"), "DJANGO_SETTINGS_MODULE": "gongkai.web.settings"}
    env |= {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/1", "GONGKAI_CACHE_URL": "redis://127.0.0.1:6379/2"}
    env["GONGKAI_CELERY_QUEUE"] = f"gongkai-jobs-test-{uuid.uuid4().hex}"
    env |= {"GONGKAI_JOB_LEASE_SECONDS": "4", "GONGKAI_JOB_SWEEP_SECONDS": "1", "ITEM_SECONDS": "4"}
    env["PREPARE_LOG"] = str(tmp_path / "prepare.log")
    env.pop("DATABASE_URL", None)
    if database:
        env["DATABASE_URL"] = database
    return env


def _reset_postgres() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/web_hardening_jobs", autocommit=True) as c:
        c.execute("drop schema public cascade; create schema public")


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(WORKER)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _prepared(env: dict) -> list[tuple[str, str]]:
    path = Path(env["PREPARE_LOG"])
    return [tuple(line.split(" ", 1)) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_a_killed_worker_and_a_restarted_site_lose_nothing_and_store_nothing_twice(tmp_path, database):
    if database == "postgres":
        if not _postgres_answers():
            pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
        _reset_postgres()
    env = _env(tmp_path, POSTGRES if database == "postgres" else None)
    seeds = [str(next(SEEDS.glob(f"{n}_*"))) for n in ("000", "001", "002", "003", "004")]
    job = _python(SUBMIT, env, *seeds)["job"]
    first, second = _worker(env), _worker(env)
    workers = [first, second]
    try:
        # One worker takes the job; once it is into its second file, the site restarts (twice, as two web
        # processes would): the job must not be queued again while its worker lives.
        wait_for(lambda: len(_prepared(env)) >= 2, 90, "the job to start", workers)
        holder = _prepared(env)[0][0]
        restarts = [
            subprocess.Popen(
                [sys.executable, "-c", textwrap.dedent(WEB_RESTART), kind], env=env, stdout=subprocess.PIPE
            )
            for kind in ("serve", "gunicorn")
        ]
        assert [json.loads(r.communicate(timeout=120)[0].splitlines()[-1]) for r in restarts] == [{"queued": 0}] * 2
        # Then the worker holding the job is killed in the middle of a file, just after it has begun one.
        started = len(_prepared(env))
        assert started < 5, "the restarts took as long as the whole job: nothing left to kill"
        wait_for(lambda: len(_prepared(env)) > started, 30, "the next file", workers)
        killed = next(w for w in workers if str(w.pid) == holder)
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait(timeout=10)
        in_hand = _prepared(env)[-1][1]
        workers.remove(killed)
        # A fresh worker starts too (the killed one restarted by its supervisor).
        workers.append(_worker(env))
        state = wait_for(
            lambda: (s := _python(STATE, env, str(job)))["status"] in ("done", "failed") and s, 120, "the job", workers
        )
    finally:
        for w in workers:
            if w.poll() is None:
                os.killpg(w.pid, signal.SIGTERM)
                w.wait(timeout=30)
    assert state["status"] == "done" and state["processed"] == 5
    assert [i["status"] for i in state["items"]] == ["created"] * 5, state["items"]  # never "duplicate"
    assert len({i["report"] for i in state["items"]} - {None}) == 5 == state["reports"]
    assert not any(i["staged"] for i in state["items"])
    assert not list((tmp_path / "data" / "media" / "staging").glob("*"))
    # Each file was read once, except the one in hand when its worker was killed: read again by the next.
    counts = Counter(name for _, name in _prepared(env))
    assert counts[in_hand] == 2 and all(n == 1 for name, n in counts.items() if name != in_hand), _prepared(env)
    assert len({pid for pid, _ in _prepared(env)}) == 2  # nothing else ran it in parallel
