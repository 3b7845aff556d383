import pytest
from django.test import Client

from gongkai.web.center.models import Correction

pytestmark = pytest.mark.django_db


def test_login_and_throttling(client, editor, settings):
    settings.GONGKAI_LOGIN_MAX_FAILURES = 3
    response = client.post("/login/", {"username": "editor", "password": "wrong"})
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    for _ in range(2):
        client.post("/login/", {"username": "editor", "password": "wrong"})
    locked = client.post("/login/", {"username": "editor", "password": "pw-editor-123"})
    assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_resets_the_counter(client, editor):
    client.post("/login/", {"username": "editor", "password": "wrong"})
    response = client.post("/login/", {"username": "editor", "password": "pw-editor-123"})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(editor.pk)


def test_csrf_is_enforced_with_a_friendly_page(shijiazhuang, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = f"/reports/{shijiazhuang.pk}/correct/"
    response = client.post(url, {"path": "requests.total.total", "value": "1", "reason": "x"})
    assert response.status_code == 403 and "表单已过期" in response.content.decode()
    assert not Correction.objects.exists()


def test_private_site_requires_login(client, shijiazhuang, viewer, settings):
    settings.GONGKAI_PUBLIC_READ = False
    assert client.get("/reports/").status_code == 302
    assert client.get("/api/reports").status_code == 401
    assert client.get("/login/").status_code == 200
    client.force_login(viewer)
    assert client.get("/reports/").status_code == 200
    assert client.get("/api/reports").status_code == 200


def test_api_token_page(client, editor, viewer):
    client.force_login(editor)
    html = client.post("/tokens/", {"name": "脚本"}).content.decode()
    assert "新令牌：<code>gk_" in html
    key = html.split("新令牌：<code>", 1)[1].split("</code>", 1)[0]
    assert client.get("/api/jobs/1", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 404  # authenticated, no job
    client.force_login(viewer)
    assert "只有编辑或管理员" in client.post("/tokens/", {"name": "x"}, follow=True).content.decode()


def test_logout_needs_post(client, editor):
    client.force_login(editor)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302


def test_jobs_are_private_to_their_uploader(client, editor, make_user):
    from gongkai.web.center.services.jobs import create_job

    job = create_job([("a.txt", "不是年报".encode())], user=editor)
    other = make_user("other", "editor")
    client.force_login(other)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert f"#{job.pk}" not in client.get("/jobs/").content.decode()
    client.force_login(editor)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200


def test_admin_site_works_for_administrators(client, shijiazhuang, make_user):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="root-pass-123")
    client.force_login(admin)
    for url in ("/admin/", "/admin/center/agency/", "/admin/center/report/", "/admin/center/correction/"):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/admin/center/report/{shijiazhuang.pk}/change/").status_code == 200
    client.force_login(make_user("ed", "editor"))
    assert client.get("/admin/").status_code == 302  # not staff: sent to the admin login


def test_server_errors_get_a_friendly_page(client, shijiazhuang, monkeypatch):
    from gongkai.web.center.views import reports

    def boom(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(reports, "filled_tables", boom)
    client.raise_request_exception = False
    response = client.get(f"/reports/{shijiazhuang.pk}/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器内部错误" in html and "Traceback" not in html and "simulated" not in html
