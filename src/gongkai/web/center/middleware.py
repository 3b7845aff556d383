"""Reading without an account is allowed only when GONGKAI_PUBLIC_READ is on (the embedded default)."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

_OPEN_PREFIXES = ("/login/", "/static/", "/admin/login/")


class PrivateSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "GONGKAI_PUBLIC_READ", True) or request.user.is_authenticated:
            return self.get_response(request)
        if request.path.startswith(_OPEN_PREFIXES):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            # API clients authenticate per request (bearer token); the endpoints check it.
            return self.get_response(request)
        return redirect(f"{reverse('center:login')}?next={request.path}")
