"""Login throttling: failures counted per username and per address in the cache."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    return [f"gongkai:login-fail:user:{username.lower()[:150]}", f"gongkai:login-fail:addr:{address}"]


def locked(username: str, address: str) -> bool:
    limit = settings.GONGKAI_LOGIN_MAX_FAILURES
    return any((cache.get(key) or 0) >= limit for key in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        # add() starts the window; incr() keeps its expiry.
        if not cache.add(key, 1, settings.GONGKAI_LOGIN_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.GONGKAI_LOGIN_WINDOW_SECONDS)


def reset(username: str, address: str) -> None:
    cache.delete_many(_keys(username, address))
