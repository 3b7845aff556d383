"""Helpers of the ledger pages: the agency or request of a URL, and who may do what."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect

from gongkai.web.center.models import Agency
from gongkai.web.center.services.permissions import can_edit_agency
from gongkai.web.center.services.refusal import Refused
from gongkai.web.ledger.models import Request


def get_agency(pk: int) -> Agency:
    return get_object_or_404(Agency, pk=pk)


def get_request(pk: int) -> Request:
    return get_object_or_404(Request.objects.select_related("agency"), pk=pk)


def require_editor(user, agency: Agency) -> None:
    if not can_edit_agency(user, agency):
        raise PermissionDenied("需要该机关所在地区的编辑或管理员账号")


def attempt(request, action, success: str, back: str):
    """Run a change; a refusal becomes an error message. Redirects to `back` either way."""
    try:
        action()
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(back)
