"""Site-wide request handling: the private mode, and a friendly page for a request method a page refuses."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed

from gongkai.web.center.views.errors import method_not_allowed

_OPEN_PREFIXES = ("/login/", "/static/", "/admin/login/")


class PrivateSiteMiddleware:
    """Reading without an account is allowed only when GONGKAI_PUBLIC_READ is on (the embedded default)."""

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
        # The full path keeps a shared link's query (e.g. ?path= of a cell); the login view checks `next` is local.
        return redirect_to_login(request.get_full_path())


class MethodNotAllowedPageMiddleware:
    """Django has no handler405: a GET on a POST-only page (require_POST, LogoutView) would show an empty page.

    The API under /api/ keeps its own JSON responses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponseNotAllowed)
            and not response.content
            and not request.path.startswith("/api/")
        ):
            page = method_not_allowed(request)
            page["Allow"] = response["Allow"]
            return page
        return response
