"""Place an agency named in a report in the region tree: 省 → 市 → 县/区 → 乡镇/街道, departments under a level.
The governments come from the start of the name, read against the division data (gongkai.divisions)."""

from __future__ import annotations

from django.db import transaction

from gongkai.divisions import GOVERNMENT_SUFFIX, Unit, division_code, region_chain
from gongkai.meta import agency_level
from gongkai.web.center.models import Agency


def _get_or_create(name: str, parent: Agency | None, **fields) -> Agency:
    return Agency.objects.filter(name=name, parent=parent).first() or Agency.objects.create(
        name=name, parent=parent, **fields
    )


def _government(unit: Unit, parent: Agency | None) -> Agency:
    agency = Agency.objects.filter(name=unit.name, parent=parent).first()
    if agency is None and parent is not None and unit.code and division_code(unit.name):
        # A name placed before the data knew its parents was left at the top level: move that node into place
        # rather than make a second one. Only for a name unique nationally: else it may be another place; and
        # never a node a user has created or edited (its place is theirs to decide).
        top_level = Agency.objects.filter(name=unit.name, parent=None, kind="government", changes__isnull=True)
        agency = top_level.filter(division_code__in=("", unit.code)).first()
        if agency is not None:
            agency.parent = parent
            agency.save(update_fields=["parent"])
    if agency is None:
        return Agency.objects.create(
            name=unit.name, parent=parent, level=unit.level or "", kind="government", division_code=unit.code
        )
    if unit.code and not agency.division_code:
        agency.division_code = unit.code
        agency.save(update_fields=["division_code"])
    return agency


@transaction.atomic
def place_agency(name: str, level: str | None = None, is_department: bool | None = None) -> Agency:
    """Find the agency by name, or create it (and the governments above it) in the tree."""
    name = name.strip()
    same_name = list(Agency.objects.filter(name=name)[:2])
    if len(same_name) == 1:
        return same_name[0]
    if not level or is_department is None:
        info = agency_level(name)
        level = level or info["level"]
        is_department = info["is_department"] if is_department is None else is_department
    level = level or ""
    parent = None
    for unit in region_chain(name):
        parent = _government(unit, parent)
    if is_department:
        # A department works at its government's level, as placed in the tree.
        return _get_or_create(name, parent, level=(parent.level if parent else "") or level, kind="department")
    if parent is not None:
        # Governments are stored under their unit name ("长安区"), so departments find them as parents.
        return parent
    return _get_or_create(GOVERNMENT_SUFFIX.sub("", name) or name, None, level=level, kind="government")
