"""Metadata a user needs: agency, its administrative level, report year, publication date.

Each value carries where it came from and a confidence, so that a user (and
later the web UI) can confirm or fix it.
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from collections.abc import Iterator
from typing import Any

from gongkai.fitting.divisions import (
    CENTRAL_LEVEL,
    central_body,
    near_miss_division,
    region_chain,
    state_council,
    unit_level,
)
from gongkai.reading.document import Document
from gongkai.reading.textnorm import without_pinyin_notes
from gongkai.spec import SPEC_DIR

_TITLE_PARTS = re.compile(r"\s*(?:[_|｜]|--|——|\s-\s)\s*")
# The disclosure a report is about: 政府信息公开, or 海关信息公开 (the customs administration titled its 2008–2012
# reports "海关总署2010年海关信息公开工作年度报告", after its 海关关务公开办法).
_DISCLOSURE = r"(?:政府|海关)信息公开"
# A title may say 信息公开 alone right after its year: "会仪镇人民政府2021年信息公开年度报告" (titles only: in a
# sentence, "2021年信息公开…" need not name the report).
_TITLE_DISCLOSURE = r"(?:政府|海关|(?<=\d年)|(?<=\d年度))信息公开"
# "…政府信息公开工作年度报告", "…关于2021年度政府信息公开情况的报告", "…政府信息公开年度工作报告", and the year
# after the disclosure: "…政府信息公开工作2022年度报告".
_REPORT_TITLE = re.compile(
    _TITLE_DISCLOSURE + r"(?:工作)?(?:\s*(?:19|20)\d{2}\s*年度?)?(?:情况)?的?(?:年度)?(?:工作)?(?:报告|年报)"
)
_YEAR_IN_TITLE = re.compile(
    r"(?P<agency>[\u4e00-\u9fff()（）]{2,40}?)?(?P<year>(?:19|20)\d{2})\s*年度?(?:\s*度)?[^\n。]{0,4}?" + _DISCLOSURE
)
_YEAR_BEFORE_BARE_DISCLOSURE = re.compile(
    r"(?P<agency>[\u4e00-\u9fff()（）]{2,40}?)?(?P<year>(?:19|20)\d{2})\s*年度?信息公开(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)$"
)
# The year after the disclosure, the whole title: "连云区教育局政府信息公开工作2024年度报告".
_YEAR_AFTER_DISCLOSURE = re.compile(
    r"^(?P<agency>[\u4e00-\u9fff()（）]{2,40}?)?"
    + _DISCLOSURE
    + r"(?:工作)?\s*(?P<year>(?:19|20)\d{2})\s*年度?(?:工作)?(?:报告|年报)$"
)
# A title without a year: "驼峰路街道办事处政府信息公开工作年度报告" names its agency only.
_NO_YEAR_TITLE = re.compile(
    r"^(?P<agency>[\u4e00-\u9fff()（）]{2,40}?)" + _DISCLOSURE + r"(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)$"
)
_AGENCY_VERB_PREFIX = re.compile(r"^.*?(?:特编制|编制|发布|公布|印发|现将|现公开|特公开|关于)")
# A page's tag before the title: "【图文】嘉兴市…年度报告", "(图解)…" (folded, 【】 print as ()).
_PAGE_TAG = re.compile(r"^\s*[(（【\[〔][\u4e00-\u9fff]{1,4}[)）】\]〕]\s*(?=[\u4e00-\u9fff\d])")
_AGENCY_SUFFIX = re.compile(
    r"(人民政府办公厅|人民政府办公室|人民政府|政府|委员会|管理委员会|管委会|办公厅|办公室|街道办事处|街道|"
    r"镇|乡|苏木|局|委|厅|署|院|中心|办|部|会|参事室|研究室|市|县|区|旗|州|盟|省|自治区)$"
)
# The year first, as many titles print it: "2019年上海市人民政府办公厅政府信息公开工作年度报告".
_YEAR_FIRST_TITLE = re.compile(
    r"^(?P<year>(?:19|20)\d{2})\s*年度?\s*(?P<agency>[\u4e00-\u9fff()（）]{2,40}?)?\s*(?:" + _DISCLOSURE + r"|政务公开)"
)
# The opening sentence that names who compiled the report: "本报告由淮安市人民政府办公室根据…编制",
# "市科委编制了 2024 年度政务公开工作报告".
_COMPILED_BY = re.compile(
    r"本报告由(?P<by>[\u4e00-\u9fff()（）]{2,30}?)(?:根据|依据|按照|负责|编制|汇总|组织)"
    r"|(?:^|[，。；,;\n])(?:由(?!于))?(?P<subject>[\u4e00-\u9fff()（）]{2,30}?)(?:特|认真|组织)?(?:编制|编写)(?:了|完成)?\s*(?:本|(?:19|20)\d{2})"
    # "…要求,上饶市人民政府根据全市2022年度政府信息公开工作开展情况,编制本报告": the subject, its basis between.
    r"|(?:^|[，。；,;\n])(?P<basis>[\u4e00-\u9fff()（）]{2,30}?)(?:根据|依据|按照)[^。\n]{0,80}?(?:特|认真|组织)?(?:编制|编写)(?:了|完成)?"
    r"\s*本(?:年度)?(?:报告|年报)"
)
# "本年度报告是根据…要求,由中原区审计局编制。", "由平阳县公安局结合有关统计数据编制": only in a sentence about the
# report (报告/年报), so that "…目录由某局编制" names no compiler of the report.
_COMPILED_BY_YOU = re.compile(r"由(?!于)(?P<by>[\u4e00-\u9fff()（）]{2,30}?)(?:结合[^。，,;；]{0,12})?(?:负责)?编制")
# An office's other name after it: "某某镇人民政府综合信息指挥室(党政综合办公室)".
_ALIAS = re.compile(r"[(（][\u4e00-\u9fff]{2,12}[)）]$")
# A name of a kind only, "人民政府" (left when spam replaced a city's name before it), "办公室": no agency.
_GENERIC_NAME = re.compile(
    r"^(?:人民)?(?:政府)?(?:党政)?(?:办公厅|办公室|管理委员会|管委会|委员会|街道办事处|办事处)?$"
)
_RELATIVE_NAME = re.compile(r"^(?:我|本|市|区|县|镇|乡|省)")  # "我区", "市科委": names that need a place
# "现将我局2021年…报告如下": a pronoun names no agency ("本溪市" is a name, so only these short forms).
_PRONOUN = re.compile(
    r"^(?:我|本)(?:单位|机关|部门|中心|局|委|办|厅|署|院|部|会|所|站|府|镇|乡|街道|苏木|区|县|市|旗|州|盟|省)$"
)
_PERIOD = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起\s*[,，、]?)?\s*(?:至|到|—|-|－)\s*"
    r"(?:(?P=year)\s*年\s*)?12\s*月\s*31\s*日"
)
# The first words under "一、总体情况" (before 2019 often "一、概述"): "2021年，我局…", "根据《条例》要求,2010年,我局…"
# — the report's year, but weaker than a title or the statistics period ("2019年5月15日，新修订的《条例》…" is
# excluded by the comma or pronoun right after 年).
_OVERVIEW_HEAD = (
    r"(?:^|\n)[ \t\u3000]*[一1][、.．][ \t\u3000]*(?:总体情况|概述)[ \t\u3000]*\n[ \t\u3000]*"
    r"(?:(?:根据|按照|依据)《[^》\n]{1,30}》(?:的)?(?:有关)?(?:规定|要求)[,，])?"
)
_OVERVIEW_YEAR = re.compile(_OVERVIEW_HEAD + r"(?P<year>(?:19|20)\d{2})[ \t\u3000]*年度?(?:[,，]|(?=我|本))")
# The year right before a subject, "2010年区文委在区委区政府正确领导下…": only when the overview's first lines name it
# again, not as a date ("截至2010年底", not "自2008年5月1日起"), so that "2007年国务院公布《条例》…" names no year.
_OVERVIEW_YEAR_SUBJECT = re.compile(
    _OVERVIEW_HEAD + r"(?P<year>(?:19|20)\d{2})[ \t\u3000]*年(?=[\u4e00-\u9fff])(?![上下]半年|度?[以之]来|以前|起)"
    r"(?P<rest>[^\n]{0,300})"
)
# The report's own work named in a sentence: "…等六个方面汇报我镇2023年政府信息公开工作" (no title, no period).
_REPORTED_WORK = re.compile(
    r"(?:汇报|报告|总结)(?:了)?(?:我|本)[\u4e00-\u9fff]{1,3}?(?P<year>(?:19|20)\d{2})\s*年度?(?:的)?"
    + _DISCLOSURE
    + r"(?:工作)?(?:情况)?(?![\u4e00-\u9fff]{0,6}(?:要点|方案|计划))"
)
# The overview section ("一、总体情况" up to "二、"), and a clause in it opening with a year:
# "…坚持依法公开,2022年,我局在网站主动公开信息416条", "2019年度,主动公开政府信息380条". Under "一、" the
# section ends at "二、", not at a numbered item "2、" inside it.
_OVERVIEW_SECTION = re.compile(
    r"(?:^|\n)[ \t\u3000]*(?:(?P<cjk>一)|1)[、.．][ \t\u3000]*总体情况(?P<body>.*?)"
    r"(?=\n[ \t\u3000]*(?(cjk)二|2)[、.．]|\Z)",
    re.S,
)
# A clause opening with a year ("2022年,", "2022年度我局", "2019年福禄镇政府…"): what follows decides (_year_clauses).
_CLAUSE_YEAR_OPEN = re.compile(
    r"(?:^|(?<=[\n。；;，,]))[ \t\u3000]*(?P<year>(?:19|20)\d{2})[ \t\u3000]*年度?(?P<comma>[,，])?(?![\d月底末初])"
)
# After the year, the report's own subject or its work: "2022年我局…", "2019年收到申请公开0条", "2020年度共主动公开…".
_CLAUSE_VERB = re.compile(r"我|本|收到|受理|共|全年|主动公开|新增|办理|办结|答复")
# A clause's subject, then what it does: "…街道办事处全面贯彻", "…街道在区委…领导下", "…镇政府严格按照".
_SUBJECT_RUN = re.compile(r"[\u4e00-\u9fff()（）]{3,40}")
_SUBJECT_FOLLOWS = re.compile(
    r"在|认真|全面|严格|立足|坚持|不断|积极|深入|紧紧|紧扣|紧密|紧跟|紧盯|按照|根据|依据|依照|遵循|对照|围绕|继续|持续|"
    r"进一步|高度|切实|扎实|始终|着力|聚焦|结合|大力|努力|强化|狠抓|注重|牢固|全力|稳步|精心|统筹|贯彻|落实|以|把|将|"
    r"通过|共|主动|进行|不折不扣|秉持|秉承|重视|抓好|做好|推进|深化|健全|完善|加强|加大|规范|依法"
)
# Words no agency name opens with: "全区", "各街道", "该局", "上级部门", "相关单位".
_NOT_A_SUBJECT = re.compile(r"全|各|该|上级|相关|有关|所属|其|此|我|本|市|区|县|省")
# "结合泰安市人民政府办公室政府信息公开工作实际,编制发布本报告": the report's own work, so its own agency.
_COMBINED_WITH = re.compile(
    r"结合(?P<name>[\u4e00-\u9fff()（）]{3,30}?)(?:的)?(?:政府信息公开|政务公开|信息公开)?(?:工作)?(?:的)?实际"
    r"[^。\n]{0,12}?编制"
)
_OVERVIEW_HEAD_REACH = 1500
_DATE = r"(?P<y>(?:19|20)\d{2})[-年./](?P<m>\d{1,2})[-月./](?P<d>\d{1,2})"
# Also in a page's index table, the value in the next cell: "发布机构: | 五泄镇 | 公开日期: | 2023-01-19 |" (only
# after _CELL_DATE_LABELS: not 成文日期, the day a document was written).  One pattern with the labels first, so that
# `re` skips ahead to them; the label of a match across a "|" is checked after (_published_date).
_PUBLISHED = re.compile(r"(?:发布时间|发布日期|公开日期|发文日期|成文日期|日期)[:：]?\s*(?:\|[ \t\u3000]*)?" + _DATE)
_CELL_DATE_LABELS = ("发布时间", "发布日期", "公开日期", "发文日期")
# A CMS's bare "时间：2025-03-10 15:35" under the title: only with a clock time, and only as its own label, so
# that "统计时间：2024年1月1日…" (the reporting period) is never read as the publication date.
# Written with 时间 first and the label's start checked after it, `(?<![^\s|]时间)`: the same as a lead of
# `(?:^|(?<=[\s|]))` under re.M (a line start follows a \n, which is \s), but `re` can skip ahead to each 时间.
_PUBLISHED_STAMP = re.compile(r"时间(?<![^\s|]时间)[:：]\s*" + _DATE + r"\s+\d{1,2}:\d{2}")
# A bare date opening a line of the page's fields under the title: "2019-03-28   来源:国家林业和草原局政府网" (only
# with such a field after it, and only in the page's head).  Run on the head after a "\n", so that the pattern starts
# with that literal (`re` skips to each line).
_PUBLISHED_LINE = re.compile(
    r"\n[ \t\u3000]*(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ \t\u3000]+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"[ \t\u3000]+(?:来源|作者|发布机构|发布单位|浏览次数|点击数|阅读次数|字号|【字体)"
)
_PUBLISHED_LINE_HEAD = 1500
# The page's own metadata, as Chinese government CMSs write it (<meta name="PubDate" content="2025-03-10 15:35">).
_PUBLISHED_META = re.compile(
    r"<meta\s+name=[\"']?(?:PubDate|firstpublishedtime|publishdate|pubdate)[\"']?\s+content=[\"']" + _DATE, re.I
)
# The value must be on the same line: "发布机构: \n栏目: …" names no publisher.
_PUBLISHER = re.compile(r"(?:发布机构|发文机关|发布单位|来源)[:：][ \t\u3000]*(?P<v>[^\s|]{2,30})")
_INDEX_NO = re.compile(r"索引号[:：]\s*(?P<v>[0-9A-Za-z/\-_.]{4,40})")
_SITE_OWNER = re.compile(r"主办(?:单位)?[:：]\s*(?P<v>[\u4e00-\u9fff]{2,30})")

_DEPARTMENT = re.compile(r"(局|委|委员会|厅|办公室|办公厅|署|中心|办|部|院|管委会|管理委员会|参事室|研究室)$")
LEVEL_NAMES = {"central": "中央级", "province": "省级", "city": "市级", "county": "县级", "township": "乡镇级"}


# A crawler's "标题:" or a page's index-table field "名称 宿迁市2017年…" before the title.
_TITLE_LABEL = re.compile(
    r"^(?:(?:标\s*题|题\s*目|文章标题)\s*[:：]"
    r"|(?:标\s*题|题\s*名|名\s*称|信息名称|文件名称)(?:\s*[:：]|[ \t\u3000]+))\s*"
)
# Lines that are no title: a breadcrumb ("您当前的位置:首页 > 政务公开 > …") or a row of the page's index table
# ("索引号 … 分类 政府信息公开年报 …", "发布机构 … 发文日期 …").
_NOT_TITLE = re.compile(  # every alternative starts with a literal: `re` skips to the lines' candidates
    r">|＞|»|›|当前(?:的)?位置|您的位置|索\s*引\s*号|分\s*类\s*[:：|]|发布机构|发文机关|发布单位|发文日期|成文日期|主题分类"
)
# A sentence is no title: "根据《条例》…，现将我办2022年度政府信息公开情况报告如下:".
_SENTENCE = re.compile(r"如下|[。；，,]|[:：]$|^(?:根据|按照|依据)")
_FILE_SUFFIX = re.compile(r"\.(?:docx?|pdf|wps|xlsx?|txt)$", re.I)
# Spaces a PDF's text layer leaves between characters and around numbers: "2024 年上海市科委", "淮安市 洪泽区".
# Written as `(?<=[\u4e00-\u9fff\d])[ \t\u3000]+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=\d)`
# with the run's first character taken out in front (and into the lookbehinds): the same matches, but `re` skips
# to the next gap.
_CJK_GAP = re.compile(
    r"[ \t\u3000](?:(?<=[\u4e00-\u9fff\d][ \t\u3000])[ \t\u3000]*(?=[\u4e00-\u9fff])"
    r"|(?<=[\u4e00-\u9fff][ \t\u3000])[ \t\u3000]*(?=\d))"
)
_AGENCY_LINE = re.compile(r"^[\u4e00-\u9fff()（）]{3,30}$")
_DIVISION_WORD = re.compile(r"(?:省|自治区|市|州|盟|县|区|旗)$")
_QUOTED_TITLE = re.compile(r"《(?P<title>[^《》]{6,60})》")
# A page title that names the report by its year alone, as a flipbook's "Page 9 - 2020年报_审计局" does.
_YEAR_REPORT_PART = re.compile(r"^(?P<year>(?:19|20)\d{2})\s*(?:年报|年度报告|年度政府信息公开年报)$")
# A relative name's place and government ("区政府国资局" → "区", "国资局"), to find the full name the page prints.
_RELATIVE_HEAD = re.compile(r"^(?P<unit>省|市|区|县|镇|乡)(?:人民)?(?:政府)?(?P<tail>[\u4e00-\u9fff()（）]{2,})$")


# A mirror's pinyin notes after characters, "拖市镇(zhèn)2020年…", "根据(jù)": taken out of the page's head (where
# its title and the sentences naming the report are) with textnorm's pattern, which label keys drop them by.  Only
# when a "(" before a Latin letter is there at all (the pattern starts with a lookbehind: `re` cannot skip ahead).
_PINYIN_HINT = re.compile(r"\([a-z\u00e0-\u01dc]")
_PINYIN_HEAD = 8000


def _without_pinyin(text: str, head: int = _PINYIN_HEAD) -> str:
    if not _PINYIN_HINT.search(text, 0, head):
        return text
    return without_pinyin_notes(text[:head]) + text[head:]


@functools.cache
def _names() -> dict:
    with open(SPEC_DIR / "agency_names.toml", "rb") as fh:
        return tomllib.load(fh)


def _clean_agency(candidate: str) -> str | None:
    # "宁强县自然资源局关于2021年度…": the agency before a trailing 关于 (not the verb prefix that removes it all).
    candidate = _AGENCY_VERB_PREFIX.sub("", re.sub(r"关于$", "", _PAGE_TAG.sub("", candidate))).strip("()（）关于 ")
    if not candidate or _PRONOUN.match(candidate):
        return None
    # "图文)嘉兴市…": a name with an unbalanced parenthesis is a piece of something else.
    if candidate.count("(") + candidate.count("（") != candidate.count(")") + candidate.count("）"):
        return None
    if _GENERIC_NAME.match(candidate):
        return None
    # A central body's own name may end in none of the suffixes ("中国人民银行", "新华通讯社").
    return candidate if _AGENCY_SUFFIX.search(candidate) or _is_central_name(candidate) else None


def _is_central_name(candidate: str) -> bool:
    body = central_body(candidate)
    return body is not None and not body.rest


@functools.cache
def _short_forms() -> list[tuple[str, str]]:
    """spec/agency_names.toml's short forms, the longest first."""
    return sorted(_names()["short_forms"].items(), key=lambda item: -len(item[0]))


def _full_name(agency: str) -> str | None:
    """ "上海市科委" → "上海市科学技术委员会" by the short forms of spec/agency_names.toml; None when not short."""
    for short, full in _short_forms():
        if agency.endswith(short) and len(agency) > len(short):
            return agency[: -len(short)] + full
    return None


def _governs_zone(agency: str) -> bool:
    """ "平潭综合实验区管委会": a zone's governing committee (not a department of a government)."""
    zones = _names()["zone_governments"]
    return any(
        agency.endswith(suffix + committee) for suffix in zones["zone_suffixes"] for committee in zones["committees"]
    )


def _zone_committee(agency: str, text: str) -> str | None:
    """ "平潭综合实验区" → "平潭综合实验区管委会" when the name is a zone and the text names its committee."""
    zones = _names()["zone_governments"]
    if not agency.endswith(tuple(zones["zone_suffixes"])):
        return None
    if any(agency + committee in text for committee in zones["committees"]):
        return agency + zones["committee_name"]
    return None


def _title_lines(doc: Document, text: str) -> Iterator[tuple[str, str | None]]:
    """Title candidates, each with the line printed above it: the page title, the first lines, and each of
    them joined with the next (a PDF breaks "2024 年上海市科委政府信息公开工作" / "年度报告")."""
    if doc.title:
        yield _without_pinyin(doc.title), None
    lines = [_CJK_GAP.sub("", _TITLE_LABEL.sub("", line)) for line in _first_lines(text, 10)]
    for i, line in enumerate(lines):
        if _NOT_TITLE.search(line):
            continue
        above = lines[i - 1] if i else None
        yield line, above
        if i + 1 < len(lines) and len(lines[i + 1]) <= 12 and not _NOT_TITLE.search(lines[i + 1]):
            yield line + lines[i + 1], above


def _title(lines: list[tuple[str, str | None]]) -> tuple[str | None, int]:
    """The first candidate line's title part that reads as a title, and the line's index (len(lines) when none)."""
    for i, (line, _above) in enumerate(lines):
        part = _title_part(line)
        if part and len(part) <= 60 and not _SENTENCE.search(part):
            return part, i
    return None, len(lines)


def _title_part(line: str) -> str:
    """The part of a title line that names the report: a page <title> often ends with the site's name
    ("…年度报告_某某区人民政府门户网站"), a file's name with its suffix ("…年度报告.docx")."""
    part = next((part for part in _TITLE_PARTS.split(line) if _REPORT_TITLE.search(part)), "")
    # A news page's headline quotes the title: "《某某省人民政府办公厅2023年…年度报告》公布".
    quoted = _QUOTED_TITLE.search(part)
    if quoted and _REPORT_TITLE.search(quoted["title"]):
        part = quoted["title"]
    return _PAGE_TAG.sub("", _FILE_SUFFIX.sub("", part.strip()))


def _agency_year(candidate: str, title: bool = False) -> tuple[str | None, int | None]:
    """Agency and year of a title or of a clause naming the report; either may be None. A title is also read
    in the shapes only titles have: the year after the disclosure, 信息公开 alone, no year at all."""
    first = _YEAR_FIRST_TITLE.search(candidate)
    if first:
        return _clean_agency(first["agency"] or ""), int(first["year"])
    m = _YEAR_IN_TITLE.search(candidate)
    agency = _clean_agency(m["agency"] or "") if m else None
    if agency is None:
        # The year first after the verb, in a sentence: "特向社会公布2020年开平市农业农村局政府信息公开工作年度报告".
        after_verb = _YEAR_FIRST_TITLE.search(_AGENCY_VERB_PREFIX.sub("", candidate))
        same_year = after_verb and (m is None or m["year"] == after_verb["year"])
        if same_year and after_verb["agency"] and _clean_agency(after_verb["agency"]):
            return _clean_agency(after_verb["agency"]), int(after_verb["year"])
    if m:
        return agency, int(m["year"])
    if title:
        for shape in (_YEAR_AFTER_DISCLOSURE, _YEAR_BEFORE_BARE_DISCLOSURE):
            m = shape.search(candidate)
            if m:
                return _clean_agency(m["agency"] or ""), int(m["year"])
        m = _NO_YEAR_TITLE.search(candidate)
        if m:
            return _clean_agency(m["agency"]), None
    return None, None


def _overview_clause_year(text: str) -> int | None:
    """The one year the overview's clauses open with ("2022年,我局…", "2019年福禄镇政府严格按照…", "2019年收到申请
    …"), when they all name the same year."""
    section = _OVERVIEW_SECTION.search(text)
    if not section:
        return None
    years = {year for year, _agency in _year_clauses(section["body"][:3000])}
    return years.pop() if len(years) == 1 else None


def _year_clauses(text: str) -> Iterator[tuple[int, str | None]]:
    """The clauses of `text` that open with a year as a report's overview does, each with the agency named right after
    the year when a full name is (see _subject_agency): "2022年,我局…", "2022年度,主动公开…", "2019年收到申请…",
    "2020年,周矶街道办事处全面贯彻…", "2019年福禄镇政府严格按照…" (no comma)."""
    for m in _CLAUSE_YEAR_OPEN.finditer(text):
        rest = text[m.end() : m.end() + 40]
        agency = _subject_agency(rest.lstrip(",，"))
        if m["comma"] or agency or _CLAUSE_VERB.match(rest):
            yield int(m["year"]), agency


def _subject_agency(rest: str) -> str | None:
    """The full agency name `rest` opens with as a clause's subject, followed by what a subject does ("周矶街道办事处
    全面贯彻…", "朝外街道在区委…领导下", "福禄镇政府严格按照…"): its longest such start that ends as an agency and names
    its place (never a bare division, "全区", "我局", "市政府办公室")."""
    run = _SUBJECT_RUN.match(rest)
    if not run:
        return None
    words = run.group(0)
    for end in range(len(words) - 1, 1, -1):
        name = words[:end]
        if not _SUBJECT_FOLLOWS.match(words, end) or _DIVISION_WORD.search(name) or _NOT_A_SUBJECT.match(name):
            continue
        name = _clean_agency(name)
        # The place the name starts with: a unit the division data or its unit words read ("青石街道", "抚远市").
        if name and any(name.startswith(unit.name) for unit in region_chain(name)):
            return name
    return None


def _overview_agency(text: str, year: int | None) -> str | None:
    """The agency the overview's year clauses name as their subject ("2020年,周矶街道办事处全面贯彻落实…"), or the
    report's work combined with ("结合泰安市人民政府办公室政府信息公开工作实际,编制发布本报告"): the first full name,
    when every such clause names the same one, of the report's year.  Read in the page's head before 一、总体情况 and
    under it."""
    section = _OVERVIEW_SECTION.search(text)
    head = text[: min(section.start(), _OVERVIEW_HEAD_REACH) if section else _OVERVIEW_HEAD_REACH]
    clauses = itertools.chain(_year_clauses(head), _year_clauses(section["body"][:3000] if section else ""))
    names = [name for clause_year, name in clauses if name and year in (None, clause_year)]
    for m in _COMBINED_WITH.finditer(text, 0, _OVERVIEW_HEAD_REACH):
        name = _subject_agency(m["name"] + "在")  # "在": the name must end where the match ends it
        if name == m["name"]:
            names.insert(0, name)
    return names[0] if names and len(set(names)) == 1 else None


def _mentioned_full_name(relative: str, text: str) -> str | None:
    """The full name a sentence naming the report gives for the title's relative one ("市人民政府办公室" → "现公开天门市
    人民政府办公室2021年政府信息公开工作年度报告")."""
    for mention in _mentions(text):
        agency, _year = _agency_year(_CJK_GAP.sub("", mention))
        full = agency and agency != relative and agency.endswith(relative) and not _RELATIVE_NAME.match(agency)
        if full and region_chain(agency):
            return agency
    return None


def _named_publisher(text: str) -> str | None:
    """The page's 发布机构 when the report itself names it ("湖南省生态环境厅" / "省生态环境厅" in the text). A CMS's
    publisher alone may be the office that posts for others ("发布机构:政务服务管理局" on a 街道's report)."""
    publisher = _PUBLISHER.search(text)
    name = _clean_agency(publisher["v"]) if publisher and publisher.group(0).startswith("发布机构") else None
    if not name or _RELATIVE_NAME.match(name) or not _DEPARTMENT.search(name):
        return None
    body = re.sub(r"(?:发布机构|发文机关|发布单位|来源)[:：|\s]*" + re.escape(name), "", text)
    tails = [name] + [name[i:] for i in range(2, len(name) - 3) if name[i] in "省市县区"]
    return name if any(tail in body for tail in tails) else None


def _government_of(name: str) -> str:
    """A government's report is compiled by its general office: "两城镇人民政府党政办公室" → "两城镇人民政府"; so is
    a town's by any of its offices ("某某镇人民政府综合信息指挥室(党政综合办公室)": a town has no departments that
    report on their own)."""
    name = _ALIAS.sub("", name)
    name = re.sub(r"((?:镇|乡)人民政府)[\u4e00-\u9fff]{1,12}?(?:办公室|室|办)$", r"\1", name)
    return re.sub(r"(人民政府)(?:党政)?办公(?:室|厅)$", r"\1", name)


def _compiled_by(text: str) -> str | None:
    """The agency the opening sentence names as the report's compiler, when it is a full name."""
    for m in _COMPILED_BY.finditer(_CJK_GAP.sub("", text[:3000])):
        name = _clean_agency(_government_of(m["by"] or m["subject"] or m["basis"] or ""))
        if name and not _RELATIVE_NAME.match(name):
            return name
    head = _CJK_GAP.sub("", text[:3000])
    for m in _COMPILED_BY_YOU.finditer(head):
        start = max(head.rfind("。", 0, m.start()), head.rfind("\n", 0, m.start())) + 1
        end = min((i for i in (head.find("。", m.end()), head.find("\n", m.end())) if i >= 0), default=len(head))
        name = _clean_agency(_government_of(m["by"]))
        if name and not _RELATIVE_NAME.match(name) and re.search(r"报告|年报", head[start:end]):
            return name
    return None


def _placed_name(relative: str, lines: list[str]) -> str | None:
    """The full name a relative one stands for ("区政府国资局" → "浑南区国资局"), when one of the page's first lines
    prints it: an agency name ending in the same department, after a unit of the same kind."""
    m = _RELATIVE_HEAD.match(relative)
    if not m:
        return None
    for line in lines:
        name = _clean_agency(line) if _AGENCY_LINE.match(line) else None
        if not name or _RELATIVE_NAME.match(name) or not name.endswith(m["tail"]):
            continue
        place = re.sub(r"(?:人民)?政府$", "", name[: -len(m["tail"])])
        if len(place) > 1 and place.endswith(m["unit"]) and region_chain(place):
            return name
    return None


def _division_government(agency: dict[str, Any], text: str) -> None:
    """ "山西省" (a title naming the division only) → "山西省人民政府" when the report's compiler is that government
    ("山西省人民政府办公厅…编制")."""
    name = agency["name"]
    if not _DIVISION_WORD.search(name):
        return
    chain = region_chain(name)
    if not chain or chain[-1].name != name:
        return
    if _compiled_by(text) == name + "人民政府":
        agency.update(name=name + "人民政府", printed=name, confidence=round(agency["confidence"] - 0.05, 2))


def _complete_name(agency: dict[str, Any], text: str) -> None:
    """The full name for a short form or a zone's committee, the printed name kept as `printed`."""
    printed = agency["name"]
    full = _full_name(printed) or _zone_committee(printed, text)
    if full:
        agency.update(name=full, printed=printed, confidence=round(agency["confidence"] - 0.1, 2))


def likely_division(agency: str, text: str = "") -> dict[str, str] | None:
    """The division a name one character off means ("沐阳县人民政府" → 沭阳县), with a hint for the user."""
    found = near_miss_division(agency, text)
    if found is None:
        return None
    printed, division = found
    return {
        "name": division.name,
        "code": division.code,
        "printed": printed,
        "hint": f"机关名称中的“{printed}”不是现行行政区划名称，与“{division.name}”只差一个字，可能印错；"
        f"名称按原文保留，请核对。 (one character off the division {division.name})",
    }


def agency_level(agency: str) -> dict[str, Any]:
    """Level of government and whether the agency is a department of it. The level is that of the last
    government the name starts with, read against the division data: "石家庄市长安区财政局" is county level, and
    so is "晋州市人民政府" (a 县级市). The State Council and its bodies, with their sub-units, are of the central
    level ("教育部", "教育部办公厅"); a body's branch in a region is a department at that region's level."""
    body = central_body(agency)
    if body is not None:
        branch = region_chain(agency)  # the region of a branch; none for the body itself and its sub-units
        if not branch:
            is_department = body.full_name != state_council()
            return {"level": CENTRAL_LEVEL, "level_name": LEVEL_NAMES[CENTRAL_LEVEL], "is_department": is_department}
        # "中国人民银行江苏省分行": a branch, whatever its name ends with (not the province's government).
        level = branch[-1].level
        return {"level": level, "level_name": LEVEL_NAMES.get(level or ""), "is_department": True}
    # 行政公署 governs a 地区 or 盟 (for the province), though its name ends like a department; so does a zone's
    # 管委会 (平潭综合实验区管委会): its report is the zone's, with the government's deadline, not a department's.
    is_department = (
        bool(_DEPARTMENT.search(agency))
        and not re.search(r"(人民政府|政府|行政公署)$", agency)
        and not _governs_zone(agency)
    )
    chain = region_chain(agency)
    level = chain[-1].level if chain else unit_level(agency)
    return {"level": level, "level_name": LEVEL_NAMES.get(level or ""), "is_department": is_department}


def extract_meta(doc: Document) -> dict[str, Any]:
    text = _without_pinyin(doc.folded)
    meta: dict[str, Any] = {"title": None, "agency": None, "year": None, "published": None}
    lines = list(_title_lines(doc, text))
    meta["title"], first = _title(lines)
    # The lines printed above the title, and above each repeat of it: a page's generic title, then the agency,
    # then the title again ("2022年政府信息公开工作年度报告" / "桃江县某某镇人民政府" / the same title).  A repeat is
    # at or after the first (an earlier one would have been the title), and holds the title (a line's title part
    # is a piece of the line).
    title_above = [
        above
        for line, above in lines[first:]
        if meta["title"] and above and meta["title"] in line and _title_part(line) == meta["title"]
    ]

    # Agency and year: the title first, then the sentence that names the report.
    agency_source = None
    undated_title_agency = None
    for source, candidate in itertools.chain([("title", meta["title"])], (("text", m) for m in _mentions(text))):
        if not candidate:
            continue
        agency, year = _agency_year(_CJK_GAP.sub("", candidate), title=source == "title")
        if year is None:
            # A title without a year names the agency only when no sentence names the report with its year
            # (a column's page title, "某某县政府信息公开年报", may stand above a department's report).
            if source == "title":
                undated_title_agency = agency
            continue
        if meta["year"] is None:
            meta["year"] = {"value": year, "source": source, "confidence": 0.95 if source == "title" else 0.85}
        if source == "title" and not agency:
            # "淮安市洪泽区人民政府" on the line above "2024 年政府信息公开工作年度报告".
            above = (_clean_agency(line) for line in title_above if _AGENCY_LINE.match(line))
            agency = next((name for name in above if name), None)
            source = "title_above" if agency else source
        if agency and meta["agency"] is None:
            confidence = {"title": 0.95, "title_above": 0.9}.get(source, 0.8)
            meta["agency"] = {"name": agency, "source": source, "confidence": confidence}
            agency_source = source
        if meta["agency"] and meta["year"]:
            break
    if meta["agency"] is None and undated_title_agency:
        meta["agency"] = {"name": undated_title_agency, "source": "title", "confidence": 0.9}
        agency_source = "title"
    if meta["agency"] is None:
        compiler = _compiled_by(text)
        if compiler:
            meta["agency"] = {"name": compiler, "source": "compiled_by", "confidence": 0.75}
            agency_source = "compiled_by"
    if meta["agency"] and _RELATIVE_NAME.match(meta["agency"]["name"]):
        relative = meta["agency"]["name"]
        placed = _placed_name(relative, _first_lines(text, 10)) or _mentioned_full_name(relative, text)
        if placed:
            meta["agency"].update(
                name=placed, printed=meta["agency"]["name"], confidence=round(meta["agency"]["confidence"] - 0.1, 2)
            )
    if meta["agency"] and agency_source == "title":
        _division_government(meta["agency"], text)
    if meta["agency"]:
        _complete_name(meta["agency"], text)
    if meta["year"] is None:
        period = _PERIOD.search(text)
        if period:
            meta["year"] = {"value": int(period["year"]), "source": "statistics_period", "confidence": 0.9}
    if meta["year"] is None:
        reported = _REPORTED_WORK.search(text[:5000])
        if reported:
            meta["year"] = {"value": int(reported["year"]), "source": "text", "confidence": 0.8}
    if meta["year"] is None:
        overview = _OVERVIEW_YEAR.search(text[:5000])
        if overview:
            meta["year"] = {"value": int(overview["year"]), "source": "text", "confidence": 0.7}
    if meta["year"] is None:
        year = _overview_clause_year(text[:8000])
        if year:
            meta["year"] = {"value": year, "source": "text", "confidence": 0.6}
    if meta["year"] is None and doc.title:
        parts = [_YEAR_REPORT_PART.match(p.strip()) for p in _TITLE_PARTS.split(doc.title)]
        part = next((p for p in parts if p), None)
        if part:
            meta["year"] = {"value": int(part["year"]), "source": "title", "confidence": 0.6}
    if meta["year"] is None:
        overview = _OVERVIEW_YEAR_SUBJECT.search(text[:5000])
        if overview and re.search(overview["year"] + r"\s*年(?!\s*\d)", overview["rest"]):
            meta["year"] = {"value": int(overview["year"]), "source": "text", "confidence": 0.6}
    if meta["agency"] is None:
        # No title names it: the subject of the overview's year clauses, or the work the report is compiled on.
        overview_agency = _overview_agency(text[:8000], meta["year"]["value"] if meta["year"] else None)
        if overview_agency:
            meta["agency"] = {"name": overview_agency, "source": "text", "confidence": 0.7}
            agency_source = "text"
            _complete_name(meta["agency"], text)
    if meta["agency"] is None:
        publisher = _named_publisher(text)
        if publisher:
            meta["agency"] = {"name": publisher, "source": "publisher", "confidence": 0.5}
            agency_source = "publisher"
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
        likely = likely_division(meta["agency"]["name"], text)
        if likely:
            meta["agency"]["likely_division"] = likely

    published = (
        _published_date(text)
        or _PUBLISHED_STAMP.search(text)
        or (_PUBLISHED_META.search(doc.source[:20000]) if doc.kind == "html" else None)
        or _PUBLISHED_LINE.search("\n" + text[:_PUBLISHED_LINE_HEAD])
    )
    if published:
        meta["published"] = f"{int(published['y']):04d}-{int(published['m']):02d}-{int(published['d']):02d}"
    publisher = _PUBLISHER.search(text)
    if publisher:
        meta["publisher"] = publisher["v"]
    index_no = _INDEX_NO.search(text)
    if index_no:
        meta["index_no"] = index_no["v"]
    return meta


def _published_date(text: str) -> re.Match | None:
    """The first labelled publication date: after its label, or in the next cell of an index table's row."""
    for m in _PUBLISHED.finditer(text):
        if "|" not in m[0] or m[0].startswith(_CELL_DATE_LABELS):
            return m
    return None


_REPORT_NAME = re.compile(_DISCLOSURE + r"(?:工作)?(?:情况)?的?(?:年度)?(?:工作)?报告")
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
