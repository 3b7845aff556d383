"""Helpers shared by the views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from gongkai.web.center.models import Report
from gongkai.web.center.services.permissions import can_upload


def get_report(pk: int) -> Report:
    return get_object_or_404(Report.objects.select_related("agency", "document"), pk=pk)


def require_uploader(request) -> None:
    if not can_upload(request.user):
        raise PermissionDenied("需要编辑或管理员账号")
