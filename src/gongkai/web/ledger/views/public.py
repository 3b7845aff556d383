"""Pages for applicants, without an account: the application form of an agency that opened it, and the
status lookup by 查询码 (state and deadline only)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from gongkai.web.center.services.refusal import Refused
from gongkai.web.center.services.throttle import client_address
from gongkai.web.ledger.models import LedgerSettings
from gongkai.web.ledger.services import labels, public
from gongkai.web.ledger.views.common import get_agency


@require_http_methods(["GET", "POST"])
def apply(request, pk: int):
    agency = get_agency(pk)
    if not LedgerSettings.objects.filter(agency=agency, public_form=True).exists():
        raise Http404("该机关未开放网上申请")
    context = {"agency": agency, "applicant_types": labels.applicant_types(), "form": request.POST}
    if request.method == "POST":
        try:
            public.throttle("apply", client_address(request), public.APPLY_LIMIT)
            req = public.apply(agency, request.POST.dict(), request.FILES.getlist("attachments"))
        except Refused as exc:
            return render(request, "ledger/apply.html", context | {"error": exc.message}, status=exc.status)
        return render(request, "ledger/applied.html", {"agency": agency, "req": req})
    return render(request, "ledger/apply.html", context)


@require_http_methods(["GET", "POST"])
def lookup(request):
    context: dict = {}
    if request.method == "POST":
        try:
            public.throttle("lookup", client_address(request), public.LOOKUP_LIMIT)
        except Refused as exc:
            return render(request, "ledger/lookup.html", {"error": exc.message}, status=429)
        result = public.lookup(request.POST.get("code", ""))
        context = {"result": result, "searched": True}
    return render(request, "ledger/lookup.html", context)
