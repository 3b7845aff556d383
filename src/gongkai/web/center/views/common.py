"""Helpers shared by the views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from gongkai.web.center.models import Report
from gongkai.web.center.services.permissions import can_upload
from gongkai.web.center.services.refusal import Refused


def get_report(pk: int) -> Report:
    return get_object_or_404(Report.objects.select_related("agency", "document"), pk=pk)


def require_uploader(request) -> None:
    if not can_upload(request.user):
        raise PermissionDenied("需要编辑或管理员账号")


def attempt(request, action, success: str):
    """Run a user's change; a refusal becomes an error message and success a success message. Returns the
    change's result (True when it returns nothing), or None when it was refused."""
    try:
        result = action()
    except Refused as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success)
    return True if result is None else result
