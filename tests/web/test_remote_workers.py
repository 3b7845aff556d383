"""Workers on other machines: two real Celery worker processes that share only PostgreSQL and Redis with the web
side, each with a data directory of its own (no shared folder), process a batch of uploads in several formats
through the upload page; the originals are kept in the database (GONGKAI_STORAGE=database). Also with the worker
holding a job killed in the middle of it: the other one finishes the job, nothing stored twice."""

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

from tests.web.conftest import wait_for
from tests.web.test_celery_redis import _redis_answers

DATABASE = "gongkai_remote_workers"
POSTGRES = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"


def _postgres_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2, autocommit=True) as c:
            if not c.execute("select 1 from pg_database where datname = %s", (DATABASE,)).fetchone():
                c.execute(f"create database {DATABASE}")
        return True
    except Exception:  # noqa: BLE001 - no server, no driver: skipped
        return False


pytestmark = [
    pytest.mark.skipif(not _redis_answers(), reason="no Redis server on 127.0.0.1:6379"),
    pytest.mark.skipif(not _postgres_answers(), reason="no PostgreSQL server on 127.0.0.1:5432"),
    pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs its own database"),
]

# A worker: the real Celery worker, which says when it is ready and logs each file it starts (optionally slowed
# down, so that it can be killed in the middle of a job).
WORKER = """
    import os, sys, time
    import django
    django.setup()
    from celery.signals import worker_ready
    from gongkai.web.center.services import jobs

    real = jobs.prepare

    def logged_prepare(data, filename):
        with open(os.environ["PREPARE_LOG"], "a") as log:
            log.write(f"{os.getpid()} {filename}\\n")
        time.sleep(float(os.environ.get("ITEM_SECONDS", "0")))
        return real(data, filename)

    jobs.prepare = logged_prepare

    @worker_ready.connect
    def ready(**kwargs):
        open(os.path.join(os.environ["READY_DIR"], str(os.getpid())), "w").close()

    from celery.__main__ import main
    sys.argv = ["celery", "-A", "gongkai.web.celery_app", "worker", "--pool=solo", "--loglevel=WARNING",
                "-n", f"w{os.getpid()}@%h"]
    main()
"""

# The web side, through Django's test client: the upload page, then the pages that read the originals.
WEB = """
    import hashlib, json, sys
    from pathlib import Path
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client
    from gongkai.web.center.models import Document, IngestJob, Report, StoredFile

    command = sys.argv[1]
    if command == "migrate":
        call_command("migrate", verbosity=0)
        user = get_user_model().objects.create_superuser("admin", password="pw-admin-123")
        user.groups.add(Group.objects.get_or_create(name="admin")[0])
        print(json.dumps({}))
        sys.exit()
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    if command == "upload":  # one upload per argument: "a.txt,b.pdf"
        jobs = []
        for batch in sys.argv[2:]:
            files = [open(p, "rb") for p in batch.split(",")]
            response = client.post("/upload/", {"files": files})
            assert response.status_code == 302, response.status_code
            jobs.append(int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))
        print(json.dumps({"jobs": jobs}))
    elif command == "state":
        jobs = IngestJob.objects.filter(pk__in=json.loads(sys.argv[2]))
        print(json.dumps({"finished": all(j.status in ("done", "failed") for j in jobs)}))
    else:  # inspect
        out = {"jobs": [], "reports": Report.objects.count()}
        out["stored"] = sorted(StoredFile.objects.values_list("name", flat=True))
        out["documents"] = sorted(d.file.name for d in Document.objects.all())
        for job in IngestJob.objects.filter(pk__in=json.loads(sys.argv[2])).order_by("pk"):
            page = client.get(f"/jobs/{job.pk}/").content.decode()
            items = []
            for item in job.items.order_by("position"):
                entry = {"name": item.filename, "status": item.status, "worker": item.worker, "message": item.message}
                entry["worker_shown"] = f"处理进程：{item.worker}" in page
                if item.report_id:
                    report = item.report
                    entry["report_page"] = client.get(f"/reports/{report.pk}/").status_code
                    original = client.get(f"/reports/{report.pk}/original/")
                    entry["original_sha256"] = hashlib.sha256(b"".join(original.streaming_content)).hexdigest()
                    cells = [c for c in report.cell_rows.order_by("path") if c.evidence]
                    entry["evidence"] = client.get(f"/reports/{report.pk}/evidence/?path={cells[0].path}").status_code
                    if report.document.kind == "pdf":
                        cell = next(c for c in cells if "page" in c.evidence.get("location", {}))
                        image = client.get(f"/reports/{report.pk}/page.png?path={cell.path}")
                        entry["page_png"] = image.status_code == 200 and image.content.startswith(b"\\x89PNG")
                items.append(entry)
            out["jobs"].append({"status": job.status, "items": items})
        print(json.dumps(out))
"""


def _reports(folder: Path) -> list[Path]:
    """Several formats: plain text and HTML, Word, Excel and two PDFs (generated), written to `folder`."""
    import random

    from gongkai.proving import synth, synth_files
    from tests.web.conftest import SEEDS

    folder.mkdir()
    paths = [next(SEEDS.glob(f"{n}_*")) for n in ("000", "002", "004")]
    rng = random.Random(12)
    made = {
        "网页.html": synth.render(synth.random_tables(rng, "2021"), "html", rng).encode("utf-8"),
        "文档.docx": synth_files.build("docx", synth.random_tables(rng, "2021"), rng),
        "表格.xlsx": synth_files.build("xlsx", synth.random_tables(rng, "2021"), rng),
        "年报一.pdf": synth_files.build("pdf", synth.random_tables(rng, "2021"), rng),
        "年报二.pdf": synth_files.build("pdf", synth.random_tables(rng, "2019"), rng),
    }
    for name, data in made.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths


def _env(tmp_path: Path, data_dir: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "CELERY_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "gongkai.web.settings",
        "GONGKAI_DATA_DIR": str(tmp_path / data_dir),  # each process its own: as if on another machine
        "DATABASE_URL": POSTGRES,
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/11",
        "GONGKAI_CELERY_QUEUE": extra.pop("queue"),
        "GONGKAI_STORAGE": "database",
        "GONGKAI_SECRET_KEY": "the-same-key-on-every-machine",
        "GONGKAI_ALLOWED_HOSTS": "testserver",
        "PREPARE_LOG": str(tmp_path / "prepare.log"),
        "READY_DIR": str(tmp_path / "ready"),
    }
    return env | extra


def _python(code: str, env: dict, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _reset_postgres() -> None:
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DATABASE}", autocommit=True) as c:
        c.execute("drop schema public cascade; create schema public")


def _prepared(tmp_path: Path) -> list[tuple[str, str]]:
    path = tmp_path / "prepare.log"
    return [tuple(line.split(" ", 1)) for line in path.read_text().splitlines()] if path.exists() else []


class _Site:
    """The web side and two workers, three data directories; stops the workers at the end."""

    def __init__(self, tmp_path: Path, **worker_env: str) -> None:
        _reset_postgres()
        (tmp_path / "ready").mkdir()
        self.tmp_path, queue = tmp_path, f"gongkai-remote-test-{uuid.uuid4().hex}"
        self.web = _env(tmp_path, "web", queue=queue)
        _python(WEB, self.web, "migrate")
        self.worker_envs = [_env(tmp_path, f"worker-{n}", queue=queue, **worker_env) for n in ("a", "b")]
        self.workers = [self.start_worker(env) for env in self.worker_envs]
        wait_for(lambda: len(list((tmp_path / "ready").iterdir())) >= 2, 120, "both workers", self.workers)

    @staticmethod
    def start_worker(env: dict) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(WORKER)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def finished(self, jobs: list[int], seconds: float = 240) -> None:
        alive = [w for w in self.workers if w.poll() is None]
        state = lambda: _python(WEB, self.web, "state", json.dumps(jobs))["finished"]  # noqa: E731
        wait_for(state, seconds, "the jobs", alive)

    def stop(self) -> None:
        for n, w in enumerate(self.workers):
            if w.poll() is None:
                os.killpg(w.pid, signal.SIGTERM)
                w.wait(timeout=30)
            (self.tmp_path / f"worker-{n}.log").write_text(w.stdout.read())  # to read when a test fails

    def media_files(self) -> list[Path]:
        return [
            p for d in ("web", "worker-a", "worker-b") for p in (self.tmp_path / d).glob("media/**/*") if p.is_file()
        ]


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_workers_with_their_own_data_directories_process_uploads_kept_in_the_database(tmp_path):
    reports = _reports(tmp_path / "reports")
    site = _Site(tmp_path, ITEM_SECONDS="0.3")
    try:
        # Four uploads (four jobs, one task each): the two workers share them.
        batches = [",".join(map(str, reports[i : i + 2])) for i in range(0, len(reports), 2)]
        jobs = _python(WEB, site.web, "upload", *batches)["jobs"]
        site.finished(jobs)
        state = _python(WEB, site.web, "inspect", json.dumps(jobs))
    finally:
        site.stop()
    items = [i for job in state["jobs"] for i in job["items"]]
    assert [job["status"] for job in state["jobs"]] == ["done"] * 4
    assert [i["status"] for i in items] == ["created"] * len(reports), [i for i in items if i["status"] != "created"]
    assert state["reports"] == len(reports)
    # Both workers did work, and the job page says which process handled each file.
    pids = {str(w.pid) for w in site.workers}
    assert {i["worker"].rsplit(":", 1)[1] for i in items} == pids
    assert all(i["worker_shown"] for i in items)
    # The originals, read back by the web side from the database: byte for byte, with every page that shows them.
    assert [i["original_sha256"] for i in items] == [_sha256(p) for p in reports]
    assert all(i["report_page"] == 200 and i["evidence"] == 200 for i in items)
    assert [i.get("page_png") for i in items if i["name"].endswith(".pdf")] == [True, True]
    # Only the originals are stored (the staged uploads were removed), and no data directory holds a file.
    assert state["stored"] == state["documents"] and len(state["stored"]) == len(reports)
    assert site.media_files() == []


def test_a_worker_killed_mid_job_leaves_the_job_to_the_other(tmp_path):
    reports = _reports(tmp_path / "reports")
    site = _Site(tmp_path, ITEM_SECONDS="2", GONGKAI_JOB_LEASE_SECONDS="4", GONGKAI_JOB_SWEEP_SECONDS="1")
    try:
        (job,) = _python(WEB, site.web, "upload", ",".join(map(str, reports)))["jobs"]
        wait_for(lambda: len(_prepared(tmp_path)) >= 2, 120, "the job to start", site.workers)
        holder = _prepared(tmp_path)[0][0]
        killed = next(w for w in site.workers if str(w.pid) == holder)
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait(timeout=10)
        in_hand = _prepared(tmp_path)[-1][1]
        site.finished([job])
        state = _python(WEB, site.web, "inspect", json.dumps([job]))
    finally:
        site.stop()
    items = state["jobs"][0]["items"]
    assert state["jobs"][0]["status"] == "done"
    assert [i["status"] for i in items] == ["created"] * len(reports), items  # never "duplicate"
    assert state["reports"] == len(reports)
    survivor = next(str(w.pid) for w in site.workers if w is not killed)
    # The killed worker stored the files it finished before the one in hand; the survivor all the others.
    started_by_holder = sum(1 for pid, _ in _prepared(tmp_path) if pid == holder)
    workers = Counter(i["worker"].rsplit(":", 1)[1] for i in items)
    assert workers == {holder: started_by_holder - 1, survivor: len(reports) - started_by_holder + 1}
    # The file in hand when the worker died was read again by the survivor; everything else once.
    counts = Counter(name for _, name in _prepared(tmp_path))
    assert counts[in_hand] == 2 and all(n == 1 for name, n in counts.items() if name != in_hand)
    assert [i["original_sha256"] for i in items] == [_sha256(p) for p in reports]
    assert state["stored"] == state["documents"] and site.media_files() == []
