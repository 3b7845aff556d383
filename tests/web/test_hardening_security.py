"""Security headers (CSP on HTML, HSTS behind an HTTPS proxy) and owner-only files in the data directory."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_html_pages_carry_a_content_security_policy_without_inline_scripts(client, shijiazhuang):
    for url in ("/", f"/reports/{shijiazhuang.pk}/", "/api/docs", "/login/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "Content-Security-Policy" not in client.get("/api/reports")  # JSON: nothing to run


def _settings_in_a_fresh_process(env: dict, code: str) -> dict:
    full = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "gongkai.web.settings", "PYTHONPATH": str(ROOT / "src")}
    full.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_secure_cookies_bring_hsts_and_the_proxy_https_header(tmp_path):
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([getattr(s, 'SECURE_HSTS_SECONDS', 0), getattr(s, 'SECURE_PROXY_SSL_HEADER', None)]))"
    )
    on = _settings_in_a_fresh_process({"GONGKAI_SECURE_COOKIES": "1", "GONGKAI_DATA_DIR": str(tmp_path)}, code)
    assert on == [365 * 24 * 3600, ["HTTP_X_FORWARDED_PROTO", "https"]]
    off = _settings_in_a_fresh_process({"GONGKAI_SECURE_COOKIES": "0", "GONGKAI_DATA_DIR": str(tmp_path)}, code)
    assert off == [0, None]


def test_hsts_header_on_requests_the_proxy_marks_as_https(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/", HTTP_X_FORWARDED_PROTO="https")["Strict-Transport-Security"].startswith("max-age=3600")
    assert "Strict-Transport-Security" not in client.get("/")


def test_database_and_originals_are_readable_by_their_owner_only(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)  # an existing folder, made before this version
    code = (
        "import json, os, stat\n"
        "from gongkai.web import cli\n"
        "cli.prepare(os.environ['GONGKAI_DATA_DIR'], '127.0.0.1', samples=False)\n"
        "from gongkai.web.center.services.ingest import ingest_bytes\n"
        f"report = ingest_bytes(open({str(ROOT / 'corpus/seeds/002_puyang_2019.txt')!r}, 'rb').read(), 'p.txt')\n"
        "path = report.report.document.file.path\n"
        "from django.conf import settings\n"
        "print(json.dumps({'db': str(settings.DATABASES['default']['NAME']), 'original': path}))\n"
    )
    found = _settings_in_a_fresh_process({"GONGKAI_DATA_DIR": str(data)}, code)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE(Path(found["db"]).stat().st_mode) == 0o600
    original = Path(found["original"])
    assert stat.S_IMODE(original.stat().st_mode) == 0o600
    assert stat.S_IMODE(original.parent.stat().st_mode) == 0o700
