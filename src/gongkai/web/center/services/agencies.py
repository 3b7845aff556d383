"""Place an agency named in a report in the region tree: 省 → 市 → 县/区 → 乡镇/街道, departments under a level.

The governments are read from the start of the name against data/divisions.json (every province, prefecture and
county with its GB/T 2260 code), so they get their code and, when the name is unique nationally, the governments
above them ("正定县人民政府" → 河北省 › 石家庄市 › 正定县)."""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from gongkai.meta import agency_level
from gongkai.web.center.models import Agency

_GOVERNMENT_SUFFIX = re.compile(r"(人民政府|政府)$")
# A unit the data does not know (a township, a former county): the shortest run ending in a unit word.
_UNIT = re.compile(r"^(.{1,12}?(?:自治区|省|自治州|地区|市|州|盟|自治县|县|区|旗|街道|乡|镇|苏木))")
# Department names that _UNIT reads as a unit: "住房和城乡建设局", "城乡规划局", "城市管理局".
_DEPARTMENT_NOT_UNIT = re.compile(r"^(?:住房和城乡|城乡|城市)$")
_LEVEL_ORDER = {"province": 0, "city": 1, "county": 2, "township": 3}


@functools.cache
def divisions() -> dict:
    path = Path(__file__).resolve().parent.parent / "data" / "divisions.json"
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Division:
    """A province (PP0000), prefecture (PPCC00) or county (PPCCDD) of the data."""

    code: str
    name: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return "province"
        return "city" if self.code.endswith("00") else "county"

    def contains(self, other: Division) -> bool:
        prefix = {"province": 2, "city": 4}.get(self.level)
        return prefix is not None and other.code != self.code and other.code[:prefix] == self.code[:prefix]


@dataclass(frozen=True)
class _Index:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]
    longest_name: int

    def ancestors(self, division: Division) -> list[Division]:
        """Outermost first; a county without a prefecture (直辖市区县, 省直辖县级行政区划) is under the province."""
        if division.level == "province":
            return []
        province = self.by_code[division.code[:2] + "0000"]
        prefecture = self.by_code.get(division.code[:4] + "00") if division.level == "county" else None
        return [province, prefecture] if prefecture else [province]


@functools.cache
def _index() -> _Index:
    by_code = {code: Division(code, name) for code, name in divisions()["divisions"]}
    by_name: dict[str, list[Division]] = defaultdict(list)
    for division in by_code.values():
        by_name[division.name].append(division)
    return _Index(by_code, {name: tuple(found) for name, found in by_name.items()}, max(map(len, by_name)))


@dataclass(frozen=True)
class Unit:
    name: str
    level: str | None
    code: str = ""  # the division code, when the data places the unit


def _next_unit(rest: str, index: _Index) -> str | None:
    """The unit `rest` starts with: the longest name in the data ("沙市区", not "沙市"), else a unit word."""
    for size in range(min(index.longest_name, len(rest)), 1, -1):
        if rest[:size] in index.by_name:
            return rest[:size]
    m = _UNIT.match(rest)
    return m[1] if m and not _DEPARTMENT_NOT_UNIT.match(m[1]) else None


def region_chain(name: str) -> list[Unit]:
    """The governments named at the start of `name`, outermost first, completed upward from the data
    ("石家庄市长安区财政局" → 河北省, 石家庄市, 长安区). A name the data has more than once is placed only inside the
    unit named before it ("北京市朝阳区"); alone ("朝阳区") it gets neither a code nor the governments above."""
    index = _index()
    rest = _GOVERNMENT_SUFFIX.sub("", name.strip())
    chain: list[Unit] = []
    placed: Division | None = None  # the last unit's division, while every unit so far is in the data
    last_order = -1
    while rest:
        token = _next_unit(rest, index)
        if token is None:
            break
        division = None
        if not chain or placed is not None:
            candidates = [d for d in index.by_name.get(token, ()) if placed is None or placed.contains(d)]
            division = candidates[0] if len(candidates) == 1 else None
        level = division.level if division else agency_level(token)["level"]
        order = _LEVEL_ORDER.get(level or "", -1)
        # Units must get smaller; "市场监督管理局" after "石家庄市" is a department, not a unit.
        if order <= last_order:
            break
        if division:
            missing = index.ancestors(division)
            if placed is not None:
                missing = missing[missing.index(placed) + 1 :]
            chain += [Unit(d.name, d.level, d.code) for d in missing]
        chain.append(Unit(token, level, division.code if division else ""))
        placed = division
        last_order = order
        rest = rest[len(token) :]
    return chain


def division_code(name: str) -> str:
    """The code of a province, prefecture or county named `name`, when the name is unique nationally."""
    found = _index().by_name.get(name, ())
    return found[0].code if len(found) == 1 else ""


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
    info = agency_level(name)
    level = level or info["level"] or ""
    is_department = info["is_department"] if is_department is None else is_department
    same_name = list(Agency.objects.filter(name=name)[:2])
    if len(same_name) == 1:
        return same_name[0]
    parent = None
    for unit in region_chain(name):
        parent = _government(unit, parent)
    if is_department:
        # A department works at its government's level; the level read from the whole name is that of the first
        # unit only ("北京市海淀区教育委员会" reads 省级).
        return _get_or_create(name, parent, level=(parent.level if parent else "") or level, kind="department")
    if parent is not None:
        # Governments are stored under their unit name ("长安区"), so departments find them as parents.
        return parent
    return _get_or_create(_GOVERNMENT_SUFFIX.sub("", name) or name, None, level=level, kind="government")
