"""Two editors saving at the same moment on the embedded SQLite database: both are saved, in order.

Runs in a subprocess against a real database file (the test database is in memory and shared by one
connection, so it cannot show lock contention)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.web.conftest import SEEDS

SCRIPT = textwrap.dedent(
    """
    import json, sys, threading
    import django
    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connections
    from gongkai.web.center.models import Correction, Report
    from gongkai.web.center.services import corrections
    from gongkai.web.center.services.ingest import ingest_bytes

    call_command("migrate", verbosity=0)
    report = ingest_bytes(open(sys.argv[1], "rb").read(), "000.txt").report
    user = User.objects.create(username="ed")
    user.groups.add(Group.objects.get_or_create(name="editor")[0])
    paths = list(report.cell_rows.filter(kind="number").values_list("path", flat=True)[:8])
    errors, barrier = [], threading.Barrier(8)

    def work(i):
        try:
            barrier.wait()
            corrections.correct_cell(Report.objects.get(pk=report.pk), paths[i], str(1000 + i), "并发", user)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    versions = sorted(Correction.objects.values_list("version", flat=True))
    print(json.dumps({"errors": errors, "versions": versions}))
    """
)


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite only")
def test_concurrent_corrections_on_sqlite_wait_instead_of_failing(tmp_path):
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gongkai.web.settings"}
    env.pop("DATABASE_URL", None)
    seed = next(SEEDS.glob("000_*"))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(seed)], env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"errors": [], "versions": [1, 2, 3, 4, 5, 6, 7, 8]}
