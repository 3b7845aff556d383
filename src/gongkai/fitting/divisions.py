"""Where a name sits among China's administrative divisions: the governments an agency's name starts with,
read against spec/divisions.json (every province, prefecture and county with its GB/T 2260 code), so each gets
its level and code, and a name unique nationally gets the governments above it
("正定县人民政府" → 河北省 › 石家庄市 › 正定县).  The State Council and its bodies (spec/central_agencies.toml) are
above every division: the central level."""

from __future__ import annotations

import functools
import json
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass

from gongkai.spec import SPEC_DIR

# The level of a unit the data does not know (a township, a former county), from its last word; the last
# matching rule wins, in this order.
_UNIT_LEVELS = (
    ("township", re.compile(r"(街道|街道办事处|镇|乡|苏木)(人民政府|政府|办事处)?$")),
    ("county", re.compile(r"(县|区|旗|县级市)(人民政府|政府)?$")),
    ("city", re.compile(r"(市|州|盟|地区)(人民政府|政府)?$")),
    ("province", re.compile(r"(省|自治区)(人民政府|政府)?$|^(北京|天津|上海|重庆)市(人民政府|政府)?$")),
)


def unit_level(name: str) -> str | None:
    level = None
    for candidate, pattern in _UNIT_LEVELS:
        if pattern.search(name):
            level = candidate
    return level


GOVERNMENT_SUFFIX = re.compile(r"(人民政府|政府)$")
# A unit the data does not know (a township, a former county): the shortest run ending in a unit word.
_UNIT = re.compile(r"^(.{1,12}?(?:自治区|省|自治州|地区|市|州|盟|自治县|县|区|旗|街道|乡|镇|苏木))")
# Department names that _UNIT reads as a unit: "住房和城乡建设局", "城乡规划局", "城市管理局".
_DEPARTMENT_NOT_UNIT = re.compile(r"^(?:住房和城乡|城乡|城市)$")
# A township word right after an unknown unit; not "乡村振兴局", "乡镇企业局".
_TOWNSHIP_AFTER = re.compile(r"(镇|乡(?![村镇])|街道|苏木)")
_LEVEL_ORDER = {"province": 0, "city": 1, "county": 2, "township": 3}
CENTRAL_LEVEL = "central"
# Printed before a central body's name in formal use: "中华人民共和国海关总署".
_STATE_PREFIX = "中华人民共和国"


@dataclass(frozen=True)
class CentralBody:
    """A name that starts with a central body's: `name` is the body's full name, `rest` what follows it
    ("教育部办公厅" → 教育部 + "办公厅"; "国家税务总局江苏省税务局" → 国家税务总局 + "江苏省税务局")."""

    name: str
    rest: str

    @property
    def full_name(self) -> str:
        return self.name + self.rest


@functools.cache
def _central_names() -> tuple[str, tuple[tuple[str, str], ...]]:
    """The State Council's name, and every name of a central body (full and short) → its full name, the
    longest first so "国务院办公厅" is not read as 国务院 + "办公厅"."""
    with open(SPEC_DIR / "central_agencies.toml", "rb") as fh:
        data = tomllib.load(fh)
    names = {full: full for full in data["bodies"]}
    for full, shorts in data["bodies"].items():
        names.update(dict.fromkeys(shorts, full))
    return data["state_council"], tuple(sorted(names.items(), key=lambda item: -len(item[0])))


def state_council() -> str:
    return _central_names()[0]


def central_body(name: str) -> CentralBody | None:
    """The central body `name` starts with, or None: by name only, so "江苏省教育厅" is not 教育部's."""
    name = name.strip().removeprefix(_STATE_PREFIX)
    match = _central_prefix().match(name)
    if match is None:
        return None
    return CentralBody(_central_full_names()[match[0]], name[match.end() :])


@functools.cache
def _central_full_names() -> dict[str, str]:
    return dict(_central_names()[1])


@functools.cache
def _central_prefix() -> re.Pattern:
    """Every central name as one alternation, the longest first (the regex engine tries them in order, in C: a
    report asks for several names, and the list has hundreds)."""
    return re.compile("|".join(re.escape(printed) for printed, _ in _central_names()[1]))


def central_unit(name: str) -> CentralBody | None:
    """The central body a name is, or a sub-unit of (办公厅, a 司); None for a branch in a region ("国家税务总局
    江苏省税务局", whose level is the province's) and for every other name."""
    body = central_body(name)
    return body if body is not None and not _local_chain(body.rest) else None


@functools.cache
def divisions() -> dict:
    return json.loads((SPEC_DIR / "divisions.json").read_text(encoding="utf-8"))


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
            # "城区街道": a subdistrict named like a district (not "镇"/"乡": "江苏省镇江市" is two units).
            return rest[: size + 2] if rest.startswith("街道", size) else rest[:size]
    m = _UNIT.match(rest)
    if not m or _DEPARTMENT_NOT_UNIT.match(m[1]):
        return None
    # A town named with a unit word ("拖市镇", "新市镇", "城区街道"): the township word right after it ends the unit.
    town = _TOWNSHIP_AFTER.match(rest, len(m[1]))
    return m[1] + town[1] if town else m[1]


def region_chain(name: str) -> list[Unit]:
    """The governments named at the start of `name`, outermost first, completed upward from the data
    ("石家庄市长安区财政局" → 河北省, 石家庄市, 长安区). A name the data has more than once is placed only inside the
    unit named before it ("北京市朝阳区"); alone ("朝阳区") it gets neither a code nor the governments above.
    A central body's branch is placed by the region after the body's name ("国家税务总局江苏省税务局" → 江苏省);
    a central body itself and its sub-units are in no region."""
    body = central_body(name)
    if body is not None:
        return _local_chain(body.rest)
    return _chain(name)


def _local_chain(rest: str) -> list[Unit]:
    """The region a central body's branch is in: only a division the data knows ("江苏省税务局"), not a word
    that merely ends like a unit ("驻广州特派员办事处", "华东地区管理局")."""
    chain = _chain(rest)
    return chain if chain and chain[0].code else []


def _chain(name: str) -> list[Unit]:
    index = _index()
    rest = GOVERNMENT_SUFFIX.sub("", name.strip())
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
        level = division.level if division else unit_level(token)
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


# Division names a misprint can be one character off: the unit word at the end must be right.
_UNIT_END = ("省", "市", "县", "区", "旗", "州", "盟")


@functools.cache
def _by_mask() -> dict[str, frozenset[str]]:
    """Each division name with one character (not its unit word) replaced by '?', → the names it masks."""
    masks: dict[str, set[str]] = defaultdict(set)
    for name in _index().by_name:
        for i in range(len(name) - 1):
            masks[name[:i] + "?" + name[i + 1 :]].add(name)
    return {mask: frozenset(names) for mask, names in masks.items()}


def near_miss_division(name: str, context: str = "") -> tuple[str, Division] | None:
    """(the printed unit, the division it most likely means) when a unit `name` starts with is not a division
    but one character off a division name of the same length ("沐阳县" → 沭阳县); else None.

    Short names are one character off many ("?阳县"), so each candidate is scored: the two characters look
    alike (spec/divisions_confusable.toml), the report's text names its prefecture, or its province.  The best
    must be the only one with its score, and score something unless it is the only candidate."""
    index = _index()
    rest = GOVERNMENT_SUFFIX.sub("", name.strip())
    while rest:
        token = _next_unit(rest, index)
        if token is None:
            return None
        if token not in index.by_name:
            if len(token) < 3 or not token.endswith(_UNIT_END):
                return None
            scored = sorted(((_likeness(token, d, context), d) for d in _one_off(token)), key=lambda pair: -pair[0])
            if len(scored) == 1 or (len(scored) > 1 and scored[0][0] > max(0, scored[1][0])):
                return token, scored[0][1]
            return None
        rest = rest[len(token) :]
    return None


def _one_off(token: str) -> list[Division]:
    index = _index()
    masks = (token[:i] + "?" + token[i + 1 :] for i in range(len(token) - 1))
    return [d for mask in masks for n in _by_mask().get(mask, ()) for d in index.by_name[n]]


@functools.cache
def _confusable() -> frozenset[frozenset[str]]:
    with open(SPEC_DIR / "divisions_confusable.toml", "rb") as fh:
        return frozenset(frozenset(pair) for pair in tomllib.load(fh)["pairs"])


def _likeness(token: str, division: Division, context: str) -> int:
    differ = next(frozenset((a, b)) for a, b in zip(token, division.name, strict=True) if a != b)
    score = 4 if differ in _confusable() else 0
    above = _index().ancestors(division)
    if above and _stem(above[-1].name) in context:
        score += 2
    elif above and _stem(above[0].name) in context:
        score += 1
    return score


def _stem(name: str) -> str:
    """ "宿迁市" → "宿迁", "江苏省" → "江苏": how a text names a unit in passing."""
    return re.sub(r"(省|市|自治区|自治州|地区|盟)$", "", name) or name
