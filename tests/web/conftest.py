"""Fixtures for the web tests. They need Django settings (`--ds=gongkai.web.settings` or DJANGO_SETTINGS_MODULE);
without them the directory is skipped so the rest of the suite runs as before."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from pytest_django.lazy_django import django_settings_is_configured

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "corpus" / "seeds"

if not django_settings_is_configured():
    collect_ignore_glob = ["test_*.py"]


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres_runner: re-runs the web tests against PostgreSQL in a subprocess")


def seed(prefix: str) -> tuple[str, bytes]:
    path = next(SEEDS.glob(f"{prefix}_*"))
    return path.name, path.read_bytes()


def make_zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _web_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_JOBS_INLINE = True
    settings.GONGKAI_PUBLIC_READ = True
    settings.CELERY_BROKER_URL = ""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only: tests
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def shijiazhuang(db):
    from gongkai.web.center.services.ingest import ingest_bytes

    name, data = seed("000")
    return ingest_bytes(data, name).report


@pytest.fixture
def puyang(db):
    from gongkai.web.center.services.ingest import ingest_bytes

    name, data = seed("002")
    return ingest_bytes(data, name).report


def _user(username: str, role: str, region=None):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from gongkai.web.center.models import Profile

    user = get_user_model().objects.create_user(username, password="pw-" + username + "-123")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    Profile.objects.create(user=user, region=region)
    return user


@pytest.fixture
def editor(db):
    return _user("editor", "editor")


@pytest.fixture
def viewer(db):
    return _user("viewer", "viewer")


@pytest.fixture
def make_user(db):
    return _user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def editor_token(editor):
    from gongkai.web.center.services.tokens import issue

    return issue(editor, "test")[1]


@pytest.fixture
def viewer_token(viewer):
    from gongkai.web.center.services.tokens import issue

    return issue(viewer, "test")[1]


def wait_for(condition, seconds: float, what: str, workers=()):
    """condition()'s first true result, polling; fails when a worker process (Popen with stdout) has died or
    the time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        for w in workers:
            assert w.poll() is None, w.stdout.read()[-3000:]
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def six_reports(db, editor):
    """Six synthetic reports, three of 2030 and three of 2031, two of them with a correction."""
    from gongkai.web.center.models import Report
    from gongkai.web.center.services import bench, corrections

    bench.load(6, templates=2, progress=lambda _: None)
    reports = list(Report.objects.order_by("pk"))
    Report.objects.filter(pk__in=[r.pk for r in reports[:3]]).update(year=2030)
    Report.objects.filter(pk__in=[r.pk for r in reports[3:]]).update(year=2031)
    for report in (reports[0], reports[4]):
        corrections.correct_cell(report, "requests.total.total", "7", "核实", editor)
    return reports
