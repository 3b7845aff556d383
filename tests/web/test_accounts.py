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
    client.logout()  # the token alone must authenticate
    assert client.get("/api/jobs/1", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 404  # authenticated, no job
    assert client.get("/api/jobs/1", HTTP_AUTHORIZATION="Bearer gk_forged").status_code == 401
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


def _login(client, username, password, address="127.0.0.1", **extra):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def test_every_spelling_of_a_username_shares_its_counter(client, editor, settings):
    settings.GONGKAI_LOGIN_MAX_FAILURES = 3
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):  # one failure per address: only the account locks
        _login(client, "editor", "wrong", address)
    for spelling in (" editor", "ｅｄｉｔｏｒ", "Editor"):
        assert _login(client, spelling, "pw-editor-123", "10.0.0.9").status_code == 429, spelling
    assert "_auth_user_id" not in client.session


def test_failures_under_another_spelling_lock_the_account(client, editor, settings):
    settings.GONGKAI_LOGIN_MAX_FAILURES = 3
    for address, spelling in (("10.0.0.1", " editor"), ("10.0.0.2", "ｅｄｉｔｏｒ"), ("10.0.0.3", "editor ")):
        _login(client, spelling, "wrong", address)
    assert _login(client, "editor", "pw-editor-123", "10.0.0.9").status_code == 429


def test_an_own_login_does_not_reset_the_address_counter(client, viewer, editor, settings):
    settings.GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    for target in ("editor", "admin"):  # guesses at other accounts between logins to one's own
        _login(client, target, "wrong")
        assert _login(client, "viewer", "pw-viewer-123").status_code == 302
        client.logout()
    _login(client, "root", "wrong")
    assert _login(client, "viewer", "pw-viewer-123").status_code == 429  # three failures lock the address
    # The success cleared the viewer's own counter: from another address the viewer logs in.
    assert _login(client, "viewer", "pw-viewer-123", "10.0.0.9").status_code == 302


def test_admin_login_goes_through_the_throttled_form(client, settings):
    from django.contrib.auth import get_user_model

    settings.GONGKAI_LOGIN_MAX_FAILURES = 3
    get_user_model().objects.create_superuser("root", password="root-pass-123")
    response = client.get("/admin/center/report/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"] == "/login/?next=/admin/center/report/"
    # The admin's own form checked passwords without a limit; its address now checks none.
    response = client.post("/admin/login/", {"username": "root", "password": "root-pass-123"})
    assert response.status_code == 302 and response["Location"] == "/login/?next=/admin/"
    assert "_auth_user_id" not in client.session
    for _ in range(3):
        _login(client, "root", "wrong")
    assert _login(client, "root", "root-pass-123").status_code == 429


def test_admin_login_tells_a_non_administrator_instead_of_looping(client, editor):
    client.force_login(editor)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403 and "没有管理后台的权限" in response.content.decode()


def test_an_administrator_logs_in_to_the_admin(client):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", password="root-pass-123")
    response = client.post("/login/", {"username": "root", "password": "root-pass-123", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/login/").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_client_address_behind_trusted_proxies(rf, settings):
    from gongkai.web.center.services.throttle import client_address

    def address(remote, forwarded=None):
        headers = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
        return client_address(rf.get("/login/", **headers))

    settings.GONGKAI_TRUSTED_PROXIES = []
    assert address("10.0.0.1", "203.0.113.5") == "10.0.0.1"
    settings.GONGKAI_TRUSTED_PROXIES = ["10.0.0.1", "192.168.0.0/16"]
    assert address("10.0.0.1", "203.0.113.5") == "203.0.113.5"
    assert address("10.0.0.1", "1.1.1.1, 203.0.113.5") == "203.0.113.5"  # the client wrote 1.1.1.1 itself
    assert address("10.0.0.1", "1.1.1.1, 203.0.113.5, 192.168.1.2") == "203.0.113.5"  # two proxies
    assert address("198.51.100.7", "203.0.113.5") == "198.51.100.7"  # not through the proxy: header ignored
    assert address("10.0.0.1") == "10.0.0.1"


def test_throttle_counts_the_client_behind_a_trusted_proxy(client, editor, viewer, settings):
    settings.GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    settings.GONGKAI_TRUSTED_PROXIES = ["10.0.0.1"]
    for username in ("a", "b", "c"):
        _login(client, username, "wrong", "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    spoofed = _login(client, "editor", "pw-editor-123", "10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")
    assert spoofed.status_code == 429
    assert _login(client, "viewer", "pw-viewer-123", "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


def test_private_site_keeps_the_query_of_a_shared_link(client, shijiazhuang, viewer, settings):
    settings.GONGKAI_PUBLIC_READ = False
    link = f"/reports/{shijiazhuang.pk}/?path=requests.total.total&x=1"
    response = client.get(link)
    assert response.status_code == 302
    login_page = client.get(response["Location"]).content.decode()
    assert f'name="next" value="{link.replace("&", "&amp;")}"' in login_page
    response = client.post("/login/", {"username": "viewer", "password": "pw-viewer-123", "next": link})
    assert response.status_code == 302 and response["Location"] == link


def test_login_does_not_follow_an_outside_next(client, viewer, settings):
    settings.GONGKAI_PUBLIC_READ = False
    assert 'name="next" value=""' in client.get("/login/?next=https://evil.example/").content.decode()
    data = {"username": "viewer", "password": "pw-viewer-123", "next": "https://evil.example/"}
    response = client.post("/login/?next=https://evil.example/", data)
    assert response.status_code == 302 and response["Location"] == "/"


def test_admin_shows_reports_read_only(client, shijiazhuang, make_user):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", password="root-pass-123"))
    url = f"/admin/center/report/{shijiazhuang.pk}/change/"
    html = client.get(url).content.decode()
    assert 'name="year"' not in html and 'name="agency"' not in html and 'name="figures"' not in html
    year = shijiazhuang.year
    assert client.post(url, {"year": year + 1, "agency": "", "figures": "{}"}).status_code == 403
    shijiazhuang.refresh_from_db()
    assert shijiazhuang.year == year and shijiazhuang.agency is not None and shijiazhuang.figures
    assert client.get("/admin/center/report/add/").status_code == 403
    assert client.get("/admin/center/report/").status_code == 200


@pytest.mark.parametrize("bulk", [False, True])
def test_admin_deletes_a_report_with_its_document(client, shijiazhuang, bulk, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    from gongkai.web.center.models import Document, Report
    from gongkai.web.center.services.ingest import ingest_bytes

    stored = shijiazhuang.document.file
    data, filename = shijiazhuang.document.read(), shijiazhuang.document.filename
    client.force_login(get_user_model().objects.create_superuser("root", password="root-pass-123"))
    if bulk:
        confirm = {"action": "delete_selected", "_selected_action": [shijiazhuang.pk]}
        assert "原始文件" in client.post("/admin/center/report/", confirm).content.decode()
        request = ("/admin/center/report/", confirm | {"post": "yes"})
    else:
        url = f"/admin/center/report/{shijiazhuang.pk}/delete/"
        assert "原始文件" in client.get(url).content.decode()
        request = (url, {"post": "yes"})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(*request).status_code == 302
    assert not Report.objects.exists() and not Document.objects.exists()
    assert not stored.storage.exists(stored.name)
    assert ingest_bytes(data, filename).created  # the same file can be uploaded again


def test_a_post_only_page_opened_with_get_gets_a_friendly_page(client, shijiazhuang, editor):
    client.force_login(editor)
    response = client.get(f"/reports/{shijiazhuang.pk}/correct/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "访问方式不正确" in response.content.decode()
    assert "访问方式不正确" in client.get("/logout/").content.decode()
    api = client.post(f"/api/reports/{shijiazhuang.pk}")
    assert api.status_code == 405 and "访问方式不正确" not in api.content.decode()
