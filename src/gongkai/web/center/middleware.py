"""Site-wide request handling: the private mode, a friendly page for a request method a page refuses, NUL
characters, and the Content-Security-Policy of HTML pages."""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed, JsonResponse

from gongkai.web.center.views.errors import bad_text, method_not_allowed

# Open without an account even on a private site: signing in, assets, and the applicant's side of the ledger
# (the public application form and the 查询码 lookup show nothing of the data center).
_OPEN_PREFIXES = ("/login/", "/static/", "/admin/login/", "/favicon.ico", "/ledger/apply/", "/ledger/lookup/")


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


class NulCharacterMiddleware:
    """A NUL character in a parameter or a form field is never meaningful text, and PostgreSQL refuses to store
    or even compare it (a server error deep in a query): refuse the request up front with a clear 400.
    Uploaded files are not looked at: binary documents contain NUL bytes legitimately."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            if request.path.startswith("/api/"):
                message = "请求参数或内容中含有空字符（\\u0000），无法处理"
                return JsonResponse({"code": "invalid_text", "message": message}, status=400)
            return bad_text(request)
        return self.get_response(request)


def _has_nul(request) -> bool:
    if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return True
    if request.method not in ("POST", "PUT", "PATCH") or _too_big_to_read(request):
        return False  # a body over the limit is the view's to refuse, with its own message
    if request.content_type == "application/json":
        return b"\\u0000" in request.body or b"\x00" in request.body
    if request.content_type == "application/x-www-form-urlencoded":
        return any("\x00" in value for values in request.POST.lists() for value in values[1])
    # Multipart bodies (uploads): their text (a pasted report) is stored with NUL replaced, like any document.
    return False


def _too_big_to_read(request) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        return limit is not None and int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True


class ContentSecurityPolicyMiddleware:
    """Every HTML page gets GONGKAI_CONTENT_SECURITY_POLICY; a response that set its own (a download: sandbox)
    keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "GONGKAI_CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response and _is_html(response):
            response["Content-Security-Policy"] = policy
        return response


def _is_html(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip().lower() in ("text/html", "application/xhtml+xml")


class JobRecoveryMiddleware:
    """Now and then (GONGKAI_JOB_SWEEP_SECONDS), a web process queues again the upload jobs whose holder died:
    recovery does not wait for a particular process to start (see services.jobs.sweep_now_and_then)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from gongkai.web.center.services.jobs import sweep_now_and_then

        sweep_now_and_then()
        return self.get_response(request)
