"""Two `gongkai serve` processes starting at once against one database: both see no user, both create the first
admin account. The second insert breaks the unique user name; that start must go on, not crash."""

from __future__ import annotations

import sys

import pytest
from django.contrib.auth import get_user_model

from gongkai.web import cli

pytestmark = pytest.mark.django_db


def test_an_admin_created_meanwhile_by_another_process_is_not_a_crash(tmp_path, monkeypatch):
    users = get_user_model()
    real = cli.secrets.token_urlsafe

    def other_process_wins(n):
        # Between this start's "no user yet" and its insert, the other process commits its admin account.
        users.objects.create_superuser("admin", password="the-other-process-1")
        return real(n)

    monkeypatch.setattr(cli.secrets, "token_urlsafe", other_process_wins)
    assert cli.ensure_admin(tmp_path) is None  # the real insert failed, its transaction rolled back, re-read
    admin = users.objects.get(username="admin")
    assert admin.check_password("the-other-process-1") and users.objects.count() == 1
    assert not (tmp_path / "admin-password.txt").exists()  # only the winner writes its password
    users.objects.create(username="after")  # the connection is usable: the failed insert was rolled back alone


def test_the_first_start_still_creates_the_admin_with_its_group(tmp_path):
    password = cli.ensure_admin(tmp_path)
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password(password) and list(admin.groups.values_list("name", flat=True)) == ["admin"]
    assert (tmp_path / "admin-password.txt").read_text().strip() == password


def test_serve_prints_the_storage_warning_in_chinese_and_english(monkeypatch, capsys, settings, tmp_path):
    import waitress

    class Server:
        def run(self):
            pass

    monkeypatch.setattr(waitress, "create_server", lambda app, **kwargs: Server())
    settings.DATA_DIR = tmp_path
    settings.GONGKAI_STORAGE = "local"
    cli.serve(port=8124, samples=False)
    assert "gongkai.W001" not in capsys.readouterr().err  # no broker: nothing to warn about
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    cli.serve(port=8124, samples=False)
    err = capsys.readouterr().err
    assert "gongkai.W001" in err and "GONGKAI_STORAGE=database" in err
    assert "其他机器上的工作进程读不到这些文件" in err and "Celery workers on other machines cannot read them" in err
    assert "后台导出文件网站也读不到" in err  # exports written by a worker elsewhere: the site cannot serve them


def test_serve_prints_a_storage_error_as_an_error(monkeypatch, capsys, settings):
    settings.GONGKAI_STORAGE = "s3"
    monkeypatch.setitem(sys.modules, "storages.backends.s3", None)  # django-storages not installed
    cli._show_configuration_problems()
    err = capsys.readouterr().err
    assert "错误 / error gongkai.E001" in err and "pip install 'gongkai[s3]'" in err and "警告" not in err
