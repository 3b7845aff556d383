"""Roles (Django groups viewer / editor / admin) and the editor's region subtree."""

from __future__ import annotations

from gongkai.web.center.models import Agency, Report

VIEWER, EDITOR, ADMIN = "viewer", "editor", "admin"
ROLE_NAMES = {VIEWER: "查看者", EDITOR: "编辑", ADMIN: "管理员"}


def role(user) -> str | None:
    if not user or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ADMIN
    groups = set(user.groups.values_list("name", flat=True))
    for name in (ADMIN, EDITOR, VIEWER):
        if name in groups:
            return name
    return VIEWER  # any account may read


def can_upload(user) -> bool:
    return role(user) in (EDITOR, ADMIN)


def region_id(user) -> int | None:
    """The agency at the root of the user's region, as their profile sets it (whatever their role)."""
    profile = getattr(user, "gongkai_profile", None)
    return profile.region_id if profile is not None else None


def editable_region_ids(user) -> set[int] | None:
    """Agency ids an editor may change; None means no restriction (admins, editors without a region)."""
    if role(user) == ADMIN:
        return None
    root = region_id(user)
    return None if root is None else Agency.objects.get(pk=root).subtree_ids()


def can_edit_agency(user, agency: Agency | None) -> bool:
    """May the user work on what belongs to `agency`? None (not placed yet): any editor may upload such a
    report; whether they may then change it is can_edit_report's question."""
    if role(user) not in (EDITOR, ADMIN):
        return False
    allowed = editable_region_ids(user)
    return allowed is None or agency is None or agency.pk in allowed


def can_edit_report(user, report: Report) -> bool:
    if report.agency_id is None and editable_region_ids(user) is not None:
        # A report nobody has placed: an editor limited to a region may change it only if they uploaded it
        # (and then place it into their region); otherwise they could edit any region's unplaced report.
        return role(user) in (EDITOR, ADMIN) and report.document.uploaded_by_id == user.pk
    return can_edit_agency(user, report.agency)
