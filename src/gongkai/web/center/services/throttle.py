"""Login throttling: failures counted per account and per client address in the cache, each with its own limit.

The account limit is low (GONGKAI_LOGIN_MAX_FAILURES, 5): it stops guessing one account's password. The address
limit is far higher (GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS, 100): an office behind one NAT address shares it, and
one person's typos must not lock the whole office out; it still stops one machine from trying many accounts."""

from __future__ import annotations

import ipaddress
import unicodedata

from django.conf import settings
from django.core.cache import cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(request) -> str:
    """The address failures are counted against.

    Behind a reverse proxy REMOTE_ADDR is the proxy, so when it is one of GONGKAI_TRUSTED_PROXIES the client is
    the last X-Forwarded-For entry that no trusted proxy added: entries further left are whatever the client sent.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = _trusted_proxies()
    if not _is_trusted(address, proxies):
        return address
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(forwarded):
        address = hop
        if not _is_trusted(hop, proxies):
            break
    return address


def _trusted_proxies() -> list[Network]:
    # A plain address is a one-address network, so "10.0.0.0/8" works as well as "10.0.0.5".
    return [ipaddress.ip_network(proxy, strict=False) for proxy in getattr(settings, "GONGKAI_TRUSTED_PROXIES", [])]


def _is_trusted(address: str, proxies: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in proxy for proxy in proxies)


def _keys(username: str, address: str) -> tuple[str, str]:
    return _account_key(username), f"gongkai:login-fail:addr:{address}"


def _account_key(username: str) -> str:
    """Every spelling that logs in as the same account shares one counter.

    The login form strips the username and NFKC-normalises it before the backend looks the user up (Django's
    UsernameField), so " alice" and "ａｌｉｃｅ" are "alice"; casefolding also covers databases whose collation
    ignores case.
    """
    account = unicodedata.normalize("NFKC", username.strip()).casefold()
    return f"gongkai:login-fail:user:{account[:150]}"


def locked(username: str, address: str) -> bool:
    return lock(username, address) is not None


def lock(username: str, address: str) -> str | None:
    """Which counter is over its limit: "account", "address", or None when the login may be tried."""
    account, by_address = _keys(username, address)
    if (cache.get(account) or 0) >= settings.GONGKAI_LOGIN_MAX_FAILURES:
        return "account"
    if (cache.get(by_address) or 0) >= settings.GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS:
        return "address"
    return None


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        # add() starts the window; incr() keeps its expiry.
        if not cache.add(key, 1, settings.GONGKAI_LOGIN_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.GONGKAI_LOGIN_WINDOW_SECONDS)


def reset(username: str) -> None:
    """A successful login clears its account's counter only: were the address counter cleared too, anyone with
    an account could alternate their own logins with guesses at other accounts and never be stopped."""
    cache.delete(_account_key(username))
