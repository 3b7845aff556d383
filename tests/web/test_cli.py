import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

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


def test_serve_migrates_loads_samples_and_runs_the_server(monkeypatch, capsys, settings, tmp_path):
    import django.core.management

    from gongkai.web import cli

    settings.DATA_DIR = tmp_path
    real = django.core.management.call_command
    started = {}

    def fake_call_command(name, *args, **kwargs):
        if name == "runserver":
            started.update(addr=args[0], **kwargs)
            return None
        return real(name, *args, **kwargs)

    monkeypatch.setattr(django.core.management, "call_command", fake_call_command)
    cli.serve(port=8123)
    out = capsys.readouterr().out
    assert started == {"addr": "127.0.0.1:8123", "use_reloader": False, "insecure_serving": True}
    assert "新入库 5 份" in out and "http://127.0.0.1:8123/" in out and "admin" in out
    assert Report.objects.count() == 5
    cli.serve(port=8123)
    assert "已存在 5 份" in capsys.readouterr().out  # a second start loads nothing twice
