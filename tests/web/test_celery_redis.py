"""The production job path for real: the site queues an upload job on Redis, a Celery worker started as its own
process takes it and stores the report; and the login throttle counts in Redis, shared between processes.

Skipped only when no Redis answers on 127.0.0.1:6379 (CI has one)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import uuid

import pytest

from tests.web.conftest import SEEDS

REDIS = ("127.0.0.1", 6379)
BROKER = "redis://127.0.0.1:6379/15"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = [
    pytest.mark.skipif(not _redis_answers(), reason="no Redis server on 127.0.0.1:6379"),
    pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs its own database"),
]


def _env(tmp_path) -> dict:
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gongkai.web.settings"}
    env |= {"CELERY_BROKER_URL": BROKER, "GONGKAI_CACHE_URL": "redis://127.0.0.1:6379/14"}
    env["GONGKAI_CELERY_QUEUE"] = f"gongkai-test-{uuid.uuid4().hex}"  # runs sharing this Redis never swap jobs
    env.pop("DATABASE_URL", None)
    return env


def _python(code: str, env: dict, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


SUBMIT = """
    import json, sys
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from gongkai.web.center.services.jobs import create_job, start_job

    call_command("migrate", verbosity=0)
    with transaction.atomic():  # as in the upload view: the job is queued once the transaction commits
        job = create_job([(sys.argv[1].rsplit("/", 1)[-1], open(sys.argv[1], "rb").read())])
        start_job(job)
    print(json.dumps({"job": job.pk}))
"""

STATUS = """
    import json, sys
    import django
    django.setup()
    from gongkai.web.center.models import IngestJob

    job = IngestJob.objects.get(pk=int(sys.argv[1]))
    item = job.items.get()
    agency = item.report.agency.name if item.report else None
    print(json.dumps({"status": job.status, "item": item.status, "agency": agency}))
"""


def test_a_celery_worker_processes_an_upload_queued_on_redis(tmp_path):
    env = _env(tmp_path)
    seed = next(SEEDS.glob("002_*"))
    submitted = _python(SUBMIT, env, str(seed))
    queued = _python(STATUS, env, str(submitted["job"]))
    assert queued["status"] == "pending"  # nothing runs it in the submitting process
    state = _worker_runs(env, STATUS, submitted["job"])
    assert state == {"status": "done", "item": "created", "agency": "濮阳市"}


def _worker_runs(env: dict, status_code: str, job: int) -> dict:
    """Start a Celery worker with `env` and poll `status_code` (a script printing the job's state as JSON) until
    the job is done or failed; the last state. The worker is stopped in any case."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "gongkai.web.celery_app", "worker", "--pool=solo", "--loglevel=WARNING"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            state = _python(status_code, env, str(job))
            if state["status"] in ("done", "failed"):
                break
            assert worker.poll() is None, worker.stdout.read()[-3000:]
            time.sleep(0.5)
        return state
    finally:
        worker.terminate()
        worker.wait(timeout=30)


THROTTLE = """
    import json, sys
    import django
    django.setup()
    from django.core.cache import cache, caches
    from gongkai.web.center.services import throttle

    if sys.argv[1] == "fail":
        throttle.reset("wang")  # counts left by an earlier run: this one must make its own
        cache.delete("gongkai:login-fail:addr:10.0.0.9")
        for _ in range(5):
            throttle.record_failure("wang", "10.0.0.9")
    print(json.dumps({"locked": throttle.locked("wang", "10.0.0.1"), "backend": type(caches["default"]).__name__}))
"""


def test_login_failures_are_counted_in_redis_across_processes(tmp_path):
    env = _env(tmp_path)
    assert _python(THROTTLE, env, "fail") == {"locked": True, "backend": "RedisCache"}
    # Another process (another web worker) sees the same count.
    assert _python(THROTTLE, env, "check") == {"locked": True, "backend": "RedisCache"}
