"""Editing the agency tree: create, change, merge (a duplicate into the real one) and delete agencies.

Reports are placed in the tree automatically from the names they print, so the tree gets duplicates
("石家庄市人民政府" and "石家庄市") and misplaced nodes; the 政务公开办 fixes them here. Every change is
logged with who and when. An editor with a region changes only that subtree; admins and editors
without a region change the whole tree.
"""

from __future__ import annotations

import re

from django.db import transaction

from gongkai.web.center.models import KINDS, LEVELS, Agency, AgencyChange, Profile, Report
from gongkai.web.center.services.permissions import (
    ADMIN,
    EDITOR,
    can_edit_agency,
    editable_region_ids,
    region_id,
    role,
)
from gongkai.web.center.services.refusal import Refused

# GB/T 2260 codes have 6 digits (county level and up); township (9) and village (12) codes extend them.
_DIVISION_CODE = re.compile(r"\d{6}(?:\d{3}(?:\d{3})?)?")
_LEVELS = dict(LEVELS)
_KINDS = dict(KINDS)
FIELDS = ("name", "level", "kind", "parent", "division_code")


class AgencyEditError(Refused):
    """A change to the tree that cannot be made."""

    code = "invalid_agency"


def can_edit_tree(user, agency: Agency | None) -> bool:
    """May `user` change `agency` (or, for None, the top level of the tree: only who has no region)?"""
    if agency is None:
        return role(user) in (EDITOR, ADMIN) and editable_region_ids(user) is None
    return can_edit_agency(user, agency)


def editable(user, agencies):
    """The agencies of a queryset that `user` may change (none for a viewer)."""
    if role(user) not in (EDITOR, ADMIN):
        return agencies.none()
    allowed = editable_region_ids(user)
    return agencies if allowed is None else agencies.filter(pk__in=allowed)


def _require(user, agency: Agency | None, what: str) -> None:
    if not can_edit_tree(user, agency):
        where = f"“{agency.name}”" if agency is not None else "顶层"
        raise AgencyEditError(f"您没有权限{what}（{where}不在您负责的地区内）", 403)


def _clean(name: str, level: str, kind: str, division_code: str) -> tuple[str, str, str, str]:
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 200:
        raise AgencyEditError("请填写机关全称（2 至 200 个字）")
    level, kind, division_code = (level or "").strip(), (kind or "").strip(), (division_code or "").strip()
    if level not in _LEVELS and level != "":
        raise AgencyEditError(f"层级只能是{'、'.join(_LEVELS.values())}或不填")
    if kind not in _KINDS:
        raise AgencyEditError("类型只能是“政府（地区）”或“部门”")
    if division_code and not _DIVISION_CODE.fullmatch(division_code):
        raise AgencyEditError("行政区划代码应为 6 位（县级及以上）、9 位（乡镇）或 12 位数字")
    return name, level, kind, division_code


def _require_unique(name: str, parent: Agency | None, exclude: Agency | None = None) -> None:
    clash = Agency.objects.filter(name=name, parent=parent)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        where = f"“{parent.name}”下" if parent else "顶层"
        raise AgencyEditError(f"{where}已有名为“{name}”的机关；如为同一机关，请使用“合并”", 409)


def _log(agency: Agency | None, name: str, action: str, detail: dict, user) -> None:
    AgencyChange.objects.create(agency=agency, agency_name=name, action=action, detail=detail, user=user)


@transaction.atomic
def create_agency(
    user, *, name: str, parent: Agency | None, level: str = "", kind: str = "government", division_code: str = ""
) -> Agency:
    _require(user, parent, "新建机关")
    name, level, kind, division_code = _clean(name, level, kind, division_code)
    _require_unique(name, parent)
    agency = Agency.objects.create(name=name, parent=parent, level=level, kind=kind, division_code=division_code)
    _log(agency, name, "create", {"parent": parent.name if parent else None}, user)
    return agency


@transaction.atomic
def update_agency(agency: Agency, user, **changes) -> Agency:
    """Change any of FIELDS (`parent` is an Agency or None); unchanged or absent fields stay."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    _require(user, agency, "修改该机关")
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise AgencyEditError(f"不能修改：{'、'.join(sorted(unknown))}")
    current = {f: getattr(agency, f) for f in FIELDS}
    new = current | changes
    new["name"], new["level"], new["kind"], new["division_code"] = _clean(
        new["name"], new["level"], new["kind"], new["division_code"]
    )
    parent = new["parent"]
    if parent != agency.parent:
        _require(user, parent, "把机关移到该上级之下")
        if agency.pk == region_id(user):
            raise AgencyEditError("不能移动您自己负责地区的根节点，请联系管理员", 403)
        if parent is not None and parent.pk in agency.subtree_ids():
            raise AgencyEditError("不能把机关移到它自己或它的下级之下")
    _require_unique(new["name"], parent, exclude=agency)
    diff = {f: [_shown(f, current[f]), _shown(f, new[f])] for f in FIELDS if new[f] != current[f]}
    if not diff:
        raise AgencyEditError("没有需要保存的修改")
    for field in FIELDS:
        setattr(agency, field, new[field])
    agency.save()
    _log(agency, agency.name, "update", diff, user)
    return agency


@transaction.atomic
def merge_agency(source: Agency, target: Agency, user) -> dict:
    """Move the reports and sub-agencies of `source` to `target` and delete `source`. A sub-agency whose
    name `target` already has is merged into that one in turn. Returns what moved."""
    _require(user, source, "合并该机关")
    _require(user, target, "合并到该机关")
    if source.pk == target.pk:
        raise AgencyEditError("不能把机关合并到它自己")
    if target.pk in source.subtree_ids():
        raise AgencyEditError("不能把机关合并到它自己的下级")
    if source.pk == region_id(user):
        raise AgencyEditError("不能合并您自己负责地区的根节点，请联系管理员", 403)
    moved = _merge(source, target)
    _log(target, target.name, "merge", {"from": source.name} | moved, user)
    return moved


def _merge(source: Agency, target: Agency) -> dict:
    moved = {"reports": Report.objects.filter(agency=source).update(agency=target), "children": 0}
    for child in list(source.children.all()):
        twin = target.children.filter(name=child.name).first()
        if twin is not None:
            inner = _merge(child, twin)
            moved["reports"] += inner["reports"]
        else:
            child.parent = target
            child.save(update_fields=["parent"])
        moved["children"] += 1
    Profile.objects.filter(region=source).update(region=target)
    AgencyChange.objects.filter(agency=source).update(agency=target)
    if not target.division_code and source.division_code:
        target.division_code = source.division_code
        target.save(update_fields=["division_code"])
    source.delete()
    return moved


@transaction.atomic
def delete_agency(agency: Agency, user) -> None:
    _require(user, agency, "删除该机关")
    if agency.pk == region_id(user):
        raise AgencyEditError("不能删除您自己负责地区的根节点", 403)
    if agency.reports.exists() or agency.children.exists():
        raise AgencyEditError("该机关还有年报或下级机关，不能删除；可先把它合并到另一个机关", 409)
    if Profile.objects.filter(region=agency).exists():
        raise AgencyEditError("该机关是某些用户的负责地区，不能删除；可先把它合并到另一个机关", 409)
    _log(None, agency.name, "delete", {"parent": agency.parent.name if agency.parent else None}, user)
    agency.delete()


def _shown(field: str, value) -> str | None:
    """A field's value as the change history shows it (names, not codes)."""
    if isinstance(value, Agency):
        return value.name
    value = {"level": _LEVELS, "kind": _KINDS}.get(field, {}).get(value, value)
    return value or None
