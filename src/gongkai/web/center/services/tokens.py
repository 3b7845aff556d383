"""API tokens: shown once, stored as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from gongkai.web.center.models import ApiToken

PREFIX = "gk_"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue(user, name: str = "") -> tuple[ApiToken, str]:
    key = PREFIX + secrets.token_urlsafe(32)
    return ApiToken.objects.create(user=user, name=name[:100], key_hash=digest(key)), key


def user_for(key: str):
    if not key or not key.startswith(PREFIX) or len(key) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=digest(key)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user
