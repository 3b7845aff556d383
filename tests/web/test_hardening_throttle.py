"""One person's wrong passwords lock their account, not everyone behind the same office address."""

from __future__ import annotations

import pytest

from tests.web.test_accounts import _login

pytestmark = pytest.mark.django_db


def test_an_office_behind_one_address_is_not_locked_out_by_one_person(client, editor, viewer):
    for _ in range(5):  # the default per-account limit
        _login(client, "viewer", "wrong", "198.51.100.7")
    assert _login(client, "viewer", "pw-viewer-123", "198.51.100.7").status_code == 429  # that account is locked
    # A colleague behind the same NAT address logs in as usual.
    assert _login(client, "editor", "pw-editor-123", "198.51.100.7").status_code == 302


def test_the_address_limit_is_separate_and_still_stops_guessing_many_accounts(client, editor, settings):
    settings.GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    for n in range(20):  # one guess each at twenty accounts: no account reaches its own limit
        _login(client, f"user{n}", "wrong", "203.0.113.9")
    response = _login(client, "editor", "pw-editor-123", "203.0.113.9")
    assert response.status_code == 429 and "网络地址登录失败次数过多" in response.content.decode()
    assert _login(client, "editor", "pw-editor-123", "203.0.113.10").status_code == 302


def test_the_default_address_limit_is_much_higher_than_the_account_limit(settings):
    assert settings.GONGKAI_LOGIN_MAX_FAILURES == 5
    assert settings.GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS >= 20 * settings.GONGKAI_LOGIN_MAX_FAILURES
