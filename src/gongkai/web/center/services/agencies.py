"""Place an agency named in a report in the region tree: 省 → 市 → 县/区 → 乡镇/街道, departments under a level."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from gongkai.meta import agency_level
from gongkai.web.center.models import Agency

_GOVERNMENT_SUFFIX = re.compile(r"(人民政府|政府)$")
# One administrative unit at the start of a name: the shortest run ending in a unit word.
_UNIT = re.compile(r"^(.{1,12}?(?:自治区|省|自治州|地区|市|州|盟|自治县|县|区|旗|街道|乡|镇|苏木))")
_LEVEL_ORDER = {"province": 0, "city": 1, "county": 2, "township": 3}


@functools.cache
def divisions() -> dict:
    path = Path(__file__).resolve().parent.parent / "data" / "divisions.json"
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Unit:
    name: str
    level: str | None


def region_chain(name: str) -> list[Unit]:
    """The governments named at the start of `name`, outermost first ("河北省石家庄市教育局" → 河北省, 石家庄市)."""
    rest = _GOVERNMENT_SUFFIX.sub("", name.strip())
    chain: list[Unit] = []
    last_order = -1
    while rest:
        m = _UNIT.match(rest)
        if not m:
            break
        level = agency_level(m[1])["level"]
        order = _LEVEL_ORDER.get(level or "", -1)
        # Units must get smaller; "市场监督管理局" after "石家庄市" is a department, not a unit.
        if order <= last_order:
            break
        chain.append(Unit(m[1], level))
        last_order = order
        rest = rest[m.end() :]
    known = divisions()["cities"]
    if chain and chain[0].name in known and chain[0].level == "city":
        chain.insert(0, Unit(known[chain[0].name][1], "province"))
    return chain


def division_code(name: str) -> str:
    d = divisions()
    return d["provinces"].get(name) or (d["cities"].get(name) or ("",))[0]


def _get_or_create(name: str, parent: Agency | None, **fields) -> Agency:
    agency = Agency.objects.filter(name=name, parent=parent).first()
    if agency is None:
        code = division_code(name) if fields.get("kind") == "government" else ""
        agency = Agency.objects.create(name=name, parent=parent, division_code=code, **fields)
    return agency


@transaction.atomic
def place_agency(name: str, level: str | None = None, is_department: bool | None = None) -> Agency:
    """Find the agency by name, or create it (and the governments above it) in the tree."""
    name = name.strip()
    info = agency_level(name)
    level = level or info["level"] or ""
    is_department = info["is_department"] if is_department is None else is_department
    same_name = list(Agency.objects.filter(name=name)[:2])
    if len(same_name) == 1:
        return same_name[0]
    chain = region_chain(name)
    parent = None
    for unit in chain:
        parent = _get_or_create(unit.name, parent, level=unit.level or "", kind="government")
    if is_department:
        return _get_or_create(name, parent, level=level, kind="department")
    if parent is not None:
        # Governments are stored under their unit name ("长安区"), so departments find them as parents.
        return parent
    return _get_or_create(_GOVERNMENT_SUFFIX.sub("", name) or name, None, level=level, kind="government")
