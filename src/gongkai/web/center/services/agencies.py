"""Place an agency named in a report in the region tree: 省 → 市 → 县/区 → 乡镇/街道, departments under a level.
The governments come from the start of the name, read against the division data (gongkai.fitting.divisions).
The State Council's bodies (教育部, 海关总署…) are departments under 国务院, a top-level node of the central level."""

from __future__ import annotations

import re
from collections import Counter

from django.db import transaction

from gongkai.fitting.divisions import (
    CENTRAL_LEVEL,
    GOVERNMENT_SUFFIX,
    Unit,
    central_unit,
    division_code,
    region_chain,
    state_council,
)
from gongkai.fitting.meta import agency_level
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
    central = central_unit(name)
    if central is not None:
        return _place_central(central.full_name)
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


def _place_central(name: str) -> Agency:
    """A central body by its full name ("国家发展改革委" and "国家发展和改革委员会" are one node), under 国务院;
    found anywhere in the tree when a user has moved it."""
    same_name = list(Agency.objects.filter(name=name)[:2])
    if len(same_name) == 1:
        return same_name[0]
    root = _get_or_create(state_council(), None, level=CENTRAL_LEVEL, kind="government")
    if name == root.name:
        return root
    return _get_or_create(name, root, level=CENTRAL_LEVEL, kind="department")


# -- streets and townships -----------------------------------------------------------------------------------

# A county-level government named in a report's text: "相山区人民政府门户网站", "正定县政府办公室".
_COUNTY_MENTION = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:区|县|旗|市))(?:人民政府|政府)")
COUNTY_LEVEL = "county"


def named_county(text: str) -> list[Unit] | None:
    """The county a report's text names most often (as 某区/县人民政府), as its chain of governments from the
    province down; None when none is named or two are named equally often."""
    votes: Counter[str] = Counter()
    chains: dict[str, list[Unit]] = {}
    for match in _COUNTY_MENTION.finditer(text or ""):
        candidate = match.group(1)
        for start in range(len(candidate) - 1):  # "年相山区" → "相山区": words before the name are not part of it
            chain = region_chain(candidate[start:])
            if chain and chain[-1].level == COUNTY_LEVEL and chain[-1].code:
                votes[chain[-1].code] += 1
                chains[chain[-1].code] = chain
                break
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return chains[ranked[0][0]]


@transaction.atomic
def place_township(report) -> Agency | None:
    """Put a street's or township's report under the county its text names. A township node the name alone
    left at the top level moves there (unless a user has edited it); a report of a same-named township in
    another county goes to its own node. Without a named county the township stays at the top level, where
    the tree shows it as 待归属 for an editor to place. Returns the county, or None."""
    agency = report.agency
    if agency is None or agency.level != "township" or agency.kind != "government":
        return None
    chain = named_county(report.document.rendered_text or report.document.source_text)
    if chain is None:
        return None
    county = None
    for unit in chain:
        county = _government(unit, county)
    if agency.parent_id == county.pk:
        return county
    existing = Agency.objects.filter(parent=county, name=agency.name).first()
    if agency.parent_id is None and existing is None and not agency.changes.exists():
        agency.parent = county
        agency.save(update_fields=["parent"])
        return county
    if agency.parent_id is None or agency.parent.level == COUNTY_LEVEL:
        target = existing or Agency.objects.create(name=agency.name, parent=county, level="township", kind="government")
        report.agency = target
        report.save(update_fields=["agency"])
        orphan = agency.parent_id is None and not agency.reports.exists() and not agency.children.exists()
        if orphan and not agency.changes.exists():
            agency.delete()
        return county
    return None


def awaiting_placement(agency: Agency) -> bool:
    """A government below province level with no parent: the tree shows it as 待归属 for an editor to place."""
    return agency.parent_id is None and agency.kind == "government" and agency.level in ("city", "county", "township")
