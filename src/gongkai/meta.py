"""Metadata a user needs: agency, its administrative level, report year, publication date.

Each value carries where it came from and a confidence, so that a user (and
later the web UI) can confirm or fix it.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from gongkai.divisions import region_chain, unit_level
from gongkai.document import Document

_TITLE_PARTS = re.compile(r"\s*(?:[_|｜]|--|——|\s-\s)\s*")
_REPORT_TITLE = re.compile(r"政府信息公开(?:工作)?(?:年度)?(?:报告|年报)")
_YEAR_IN_TITLE = re.compile(
    r"(?P<agency>[\u4e00-\u9fff()（）]{2,40}?)?(?P<year>(?:19|20)\d{2})\s*年度?(?:\s*度)?[^\n。]{0,4}?政府信息公开"
)
_AGENCY_VERB_PREFIX = re.compile(r"^.*?(?:特编制|编制|发布|公布|印发|现将|关于)")
_AGENCY_SUFFIX = re.compile(
    r"(人民政府办公厅|人民政府办公室|人民政府|政府|委员会|管理委员会|管委会|办公厅|办公室|街道办事处|街道|"
    r"镇|乡|苏木|局|委|厅|署|院|中心|办|部|会|市|县|区|旗|州|盟|省|自治区)$"
)
_PERIOD = re.compile(r"(?P<year>(?:19|20)\d{2})年1月1日(?:起)?(?:至|到|—|-)(?P=year)年12月31日")
_PUBLISHED = re.compile(
    r"(?:发布时间|发布日期|公开日期|发文日期|成文日期|日期)[:：]?\s*(?P<y>(?:19|20)\d{2})[-年./](?P<m>\d{1,2})[-月./](?P<d>\d{1,2})"
)
_PUBLISHER = re.compile(r"(?:发布机构|发文机关|发布单位|来源)[:：]\s*(?P<v>[^\s|]{2,30})")
_INDEX_NO = re.compile(r"索引号[:：]\s*(?P<v>[0-9A-Za-z/\-_.]{4,40})")
_SITE_OWNER = re.compile(r"主办(?:单位)?[:：]\s*(?P<v>[\u4e00-\u9fff]{2,30})")

_DEPARTMENT = re.compile(r"(局|委|委员会|厅|办公室|办公厅|署|中心|办|部|院|管委会|管理委员会)$")
LEVEL_NAMES = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇级"}


def _clean_agency(candidate: str) -> str | None:
    candidate = _AGENCY_VERB_PREFIX.sub("", candidate).strip("()（）关于 ")
    return candidate if candidate and _AGENCY_SUFFIX.search(candidate) else None


def agency_level(agency: str) -> dict[str, Any]:
    """Level of government and whether the agency is a department of it. The level is that of the last
    government the name starts with, read against the division data: "石家庄市长安区财政局" is county level, and
    so is "晋州市人民政府" (a 县级市)."""
    # 行政公署 governs a 地区 or 盟 (for the province), though its name ends like a department.
    is_department = bool(_DEPARTMENT.search(agency)) and not re.search(r"(人民政府|政府|行政公署)$", agency)
    chain = region_chain(agency)
    level = chain[-1].level if chain else unit_level(agency)
    return {"level": level, "level_name": LEVEL_NAMES.get(level or ""), "is_department": is_department}


def extract_meta(doc: Document) -> dict[str, Any]:
    text = doc.folded
    meta: dict[str, Any] = {"title": None, "agency": None, "year": None, "published": None}
    title_candidates = ([doc.title] if doc.title else []) + _first_lines(text, 8)
    for line in title_candidates:
        # A page <title> often ends with the site's name: "…年度报告_某某区人民政府门户网站".
        line = next((part for part in _TITLE_PARTS.split(line) if _REPORT_TITLE.search(part)), "")
        if line and len(line) <= 60:
            meta["title"] = line.strip()
            break

    # Agency and year: the title first, then the sentence that names the report.
    agency_source = None
    for source, candidate in itertools.chain([("title", meta["title"])], (("text", m) for m in _mentions(text))):
        if not candidate:
            continue
        m = _YEAR_IN_TITLE.search(candidate)
        if not m:
            continue
        if meta["year"] is None:
            meta["year"] = {
                "value": int(m["year"]),
                "source": source,
                "confidence": 0.95 if source == "title" else 0.85,
            }
        agency = _clean_agency(m["agency"] or "")
        if agency and meta["agency"] is None:
            meta["agency"] = {"name": agency, "source": source, "confidence": 0.95 if source == "title" else 0.8}
            agency_source = source
        if meta["agency"] and meta["year"]:
            break
    if meta["year"] is None:
        period = _PERIOD.search(text)
        if period:
            meta["year"] = {"value": int(period["year"]), "source": "statistics_period", "confidence": 0.9}
    if meta["agency"] is None:
        owner = _SITE_OWNER.search(text)
        if owner:
            name = (
                re.sub(r"办公(室|厅)$", "", owner["v"])
                if "我市" in text or "我县" in text or "我区" in text
                else owner["v"]
            )
            meta["agency"] = {"name": name, "source": "site_owner", "confidence": 0.5}
            agency_source = "site_owner"
    if meta["agency"]:
        meta["agency"].update(agency_level(meta["agency"]["name"]))
        meta["agency"]["source"] = agency_source

    published = _PUBLISHED.search(text)
    if published:
        meta["published"] = f"{int(published['y']):04d}-{int(published['m']):02d}-{int(published['d']):02d}"
    publisher = _PUBLISHER.search(text)
    if publisher:
        meta["publisher"] = publisher["v"]
    index_no = _INDEX_NO.search(text)
    if index_no:
        meta["index_no"] = index_no["v"]
    return meta


_REPORT_NAME = re.compile(r"政府信息公开(?:工作)?(?:年度)?报告")
_CLAUSE_END = re.compile(r"[\n。,，;；]")


def _mentions(text: str):
    """Clauses that name the report itself, e.g. "特编制曲阳街道2021年度政府信息公开工作年度报告"."""
    for m in _REPORT_NAME.finditer(text, 0, 5000):
        before = text[max(0, m.start() - 50) : m.start()]
        cut = [c.end() for c in _CLAUSE_END.finditer(before)]
        yield before[cut[-1] if cut else 0 :] + m.group(0)


def _first_lines(text: str, count: int) -> list[str]:
    lines: list[str] = []
    for line in re.finditer(r"[^\n]+", text):
        stripped = line.group(0).strip()
        if stripped:
            lines.append(stripped)
            if len(lines) == count:
                break
    return lines
