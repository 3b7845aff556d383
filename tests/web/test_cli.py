import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from gongkai.web.center.models import Profile, Report
from gongkai.web.cli import ensure_admin

pytestmark = pytest.mark.django_db


def test_first_start_creates_one_admin(tmp_path):
    password = ensure_admin(tmp_path)
    assert password and (tmp_path / "admin-password.txt").read_text().strip() == password
    assert get_user_model().objects.get(username="admin").check_password(password)
    assert ensure_admin(tmp_path) is None


def test_load_samples_command(capsys):
    call_command("load_samples")
    call_command("load_samples")
    out = capsys.readouterr().out
    assert "新入库 5 份" in out and "已存在 5 份" in out
    assert Report.objects.count() == 5


def test_user_command_sets_role_and_region(capsys, shijiazhuang):
    call_command("gongkai_user", "wang", "--role", "editor", "--region", "石家庄市", "--password", "secret-pass-1")
    user = get_user_model().objects.get(username="wang")
    assert list(user.groups.values_list("name", flat=True)) == ["editor"]
    assert Profile.objects.get(user=user).region == shijiazhuang.agency
    assert user.check_password("secret-pass-1")
    # A new password keeps the region: only --all-regions lifts it.
    call_command("gongkai_user", "wang", "--role", "editor", "--password", "secret-pass-2")
    assert Profile.objects.get(user=user).region == shijiazhuang.agency
    call_command("gongkai_user", "wang", "--role", "editor", "--all-regions")
    assert Profile.objects.get(user=user).region is None
    with pytest.raises(CommandError, match="没有名为"):
        call_command("gongkai_user", "wang", "--region", "火星市")


def test_serve_migrates_loads_samples_and_runs_the_server(monkeypatch, capsys, settings, tmp_path):
    import waitress

    from gongkai.web import cli

    settings.DATA_DIR = tmp_path
    started = {}

    class Server:
        def run(self):
            started["ran"] = True

    monkeypatch.setattr(waitress, "create_server", lambda app, **kwargs: started.update(app=app, **kwargs) or Server())
    cli.serve(port=8123)
    out = capsys.readouterr().out
    assert started["host"] == "127.0.0.1" and started["port"] == 8123 and started["threads"] == 8
    assert callable(started["app"]) and started["ran"] and "已停止" in out
    assert "新入库 5 份" in out and "http://127.0.0.1:8123/" in out and "admin" in out
    assert Report.objects.count() == 5
    cli.serve(port=8123)
    assert "已存在 5 份" in capsys.readouterr().out  # a second start loads nothing twice
    with pytest.raises(SystemExit, match="示例年报目录不存在"):
        cli.serve(port=8123, samples=tmp_path / "nowhere")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_readme_command_starts_a_real_server(tmp_path):
    """`gongkai serve` as a new user runs it: a real process, a real port, pages and static files served."""
    port = _free_port()
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gongkai", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "数据中心已启动" in line:
                break
        assert f"http://127.0.0.1:{port}/" in "".join(lines), "".join(lines)
        base = f"http://127.0.0.1:{port}"
        home = _get(base + "/")
        assert "年报数据中心" in home and "石家庄" in home
        assert "htmx" in _get(base + "/static/gongkai/vendor/htmx.min.js")
        assert "石家庄市" in _get(base + "/reports/")
        assert '"openapi"' in _get(base + "/api/openapi.json")
        taken = subprocess.run(
            [sys.executable, "-m", "gongkai", "serve", "--port", str(port), "--no-samples"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert taken.returncode == 1 and "无法在" in taken.stderr and "Traceback" not in taken.stderr
        process.send_signal(signal.SIGINT)  # Ctrl+C
        assert "已停止" in process.communicate(timeout=20)[0]
    finally:
        process.kill()
        process.wait(timeout=20)


def _get(url: str) -> str:
    for _ in range(50):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200
                return response.read().decode("utf-8", "replace")
        except urllib.error.URLError:
            time.sleep(0.1)
    raise AssertionError(f"no answer from {url}")
