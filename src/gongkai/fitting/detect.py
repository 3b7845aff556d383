"""Which format a report uses: decided from its labels; from its year only when no label decides it."""

from __future__ import annotations

import re

from gongkai.reading.textnorm import label_key, strip_noise
from gongkai.spec import FORMATS, Format

_REQUESTS_TABLE = [label_key(x) for x in ("本年新收政府信息公开申请数量", "本年度办理结果", "结转下年度继续办理")]
# Only the 2021 table splits （六）其他处理 into these rows.
_SPLIT_OTHER_ROWS = [label_key(x) for x in ("逾期不补正", "逾期未按收费通知要求缴纳费用")]


# A prose sentence: the text before a full stop, on its line and outside a '|' cell.  The labels that decide the
# format are a table's (a line of its own, a cell): "采购总金额924.17万元。" in a report's prose is not the 2019
# table's column, nor "结转下年度继续办理1件。" a row of 表三.
_MAX_SENTENCE = 300

# Headings that only the 2019 and 2021 formats have (pre-2019 reports said 依申请公开…).
_NEW_FORMAT_HEADINGS = [label_key(x) for x in ("收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况")]


# Citations of the 2019 条例 or of its report formats (checked on the text without spaces): evidence of the new regime
# when the year is unknown.  国办公开办函〔2021〕30号 is the 2021 format itself; 〔2019〕60号 the 2019 one; the 条例 of
# 2019 (国务院令第711号, the only one with a 第五十条: the 2007 条例 has 38) is cited by both, and with no year the
# format is the 2021 one, as for "headings".
_BRACKETS = r"[〔\[（(【]"
_CLOSE = r"[〕\]）)】]"
_CITES_2021 = re.compile(rf"公开办函{_BRACKETS}2021{_CLOSE}第?30号")
_CITES_2019 = re.compile(rf"公开办函{_BRACKETS}2019{_CLOSE}第?60号")
_CITES_NEW_REGIME = re.compile(r"国务院令(?:第)?711号|条例[^。]{0,40}?第五十条")


def detect_format(folded_text: str, year: int | None = None) -> tuple[Format, str]:
    """Return (format, basis).  basis: "labels" when table labels decide it; "headings" when the report has
    the headings of a tabular format but no table labels (tables published as images, say); "year" when
    neither labels nor headings decide and the report's year does (a 2024 report cannot follow the 2007
    条例); "citation" when there is no year either but the text cites the 2019 条例 or a format's notice;
    "default" when nothing does: the text-only pre-2019 format.  For "headings" and
    "year" the format is the one in force for the year, and the checker says that the tables were not found."""
    fmt = _by_labels(strip_noise(_without_sentences(folded_text)))
    if fmt.has_tables:
        return fmt, "labels"
    compact = strip_noise(folded_text)  # only now: most reports are decided by their labels
    if all(heading in compact for heading in _NEW_FORMAT_HEADINGS):
        by_year = FORMATS["2021"] if year is None or year >= 2021 else FORMATS["2019"]
        return by_year, "headings"
    if year is None:
        return _by_citation(compact) or (fmt, "default")
    return _in_force(year), "year"


def _without_sentences(text: str) -> str:
    """The text with each prose sentence (the last 300 characters at most before a 。, within its line and '|' cell)
    replaced by a line break.  Linear: a regex looking for a sentence at every position is quadratic on a long line."""
    out: list[str] = []
    pos = 0
    for stop in re.finditer("。", text):
        end = stop.start()
        start = max(text.rfind("\n", pos, end), text.rfind("|", pos, end), text.rfind("。", pos, end), pos - 1) + 1
        start = max(start, end - _MAX_SENTENCE)
        if start < end:
            out += [text[pos:start], "\n"]
            pos = end + 1
    out.append(text[pos:])
    return "".join(out)


def _in_force(year: int) -> Format:
    """The format the spec expects for `year` (expected_from_year..expected_until_year)."""
    for fmt in FORMATS.values():
        if (fmt.expected_from_year or 0) <= year <= (fmt.expected_until_year or 9999):
            return fmt
    return FORMATS["pre2019"]


def _by_labels(compact: str) -> Format:
    scores = {
        fmt.id: sum(1 for marker in fmt.markers if label_key(marker) in compact)
        for fmt in FORMATS.values()
        if fmt.has_tables
    }
    if scores["2021"] != scores["2019"]:
        return FORMATS["2021"] if scores["2021"] > scores["2019"] else FORMATS["2019"]
    if sum(1 for label in _REQUESTS_TABLE if label in compact) >= 2:
        split = any(label in compact for label in _SPLIT_OTHER_ROWS)
        return FORMATS["2021"] if split else FORMATS["2019"]
    return FORMATS["pre2019"]


def _by_citation(compact: str) -> tuple[Format, str] | None:
    """The format a report with no year cites (see `_CITES_2021`), or None."""
    if _CITES_2021.search(compact):
        return FORMATS["2021"], "citation"
    if _CITES_2019.search(compact):
        return FORMATS["2019"], "citation"
    if _CITES_NEW_REGIME.search(compact):
        return FORMATS["2021"], "citation"
    return None
