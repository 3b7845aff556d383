"""Where a second report starts, in a file that holds several (a 汇编 of a county's departments, a page that appends
another agency's report).

Only the first report is read.  Read as one, the first report would take a table it does not print from the next
report's (another agency's 表四 under this agency's name): the tables are looked for before the next report only,
and a finding says what was left unread.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from gongkai.fitting.section_typos import heading_key
from gongkai.reading.document import Document
from gongkai.reading.textnorm import label_key
from gongkai.reading.tokens import Token
from gongkai.spec import SECTIONS

# A report before the next one prints its tables: this many numbers at least, or this many digits where a crawler
# glued the cells into runs ("规章000行政规范性文件898989"); a table of contents with page numbers before the body's
# own 一、总体情况 has a handful.
_MIN_NUMBERS = 20
_MIN_DIGITS = 60
_TITLE_BEFORE = 12  # tokens between the next report's title and its 一、总体情况
_TITLE_MAX_CHARS = 80


@dataclass(frozen=True, slots=True)
class NextReport:
    token: int  # index of its title token: the first report's tokens end before it
    start: int  # rendered offset of its title
    title: str


@functools.cache
def _overview_keys() -> frozenset[str]:
    overview = next(s for s in SECTIONS if s.number == "一")
    labels = (overview.label, *overview.variants)
    return frozenset(label_key(f"{overview.number}、{label}") for label in labels)


def _is_title(text: str) -> bool:
    key = label_key(text)
    return (
        len(key) <= _TITLE_MAX_CHARS
        and "信息公开" in key
        and key.endswith(("年度报告", "工作报告", "年报"))
        and "。" not in text
    )


def next_report(doc: Document, keys: list[str]) -> NextReport | None:
    """The second report's start: an overview heading (一、总体情况) after the first, with the next report's title
    just before it and the first report's tables between them.  `keys`: each token's comparison key."""
    overview = _overview_keys()
    headings = [i for i, key in enumerate(keys) if key and (heading_key(key) if key[0] in "#*" else key) in overview]
    tokens = doc.tokens
    for heading in headings[1:]:
        between = tokens[headings[0] : heading]
        if sum(1 for t in between if t.numeric) < _MIN_NUMBERS and _digits(doc, between) < _MIN_DIGITS:
            continue
        for i in range(heading - 1, max(headings[0], heading - _TITLE_BEFORE), -1):
            if keys[i] and _is_title(tokens[i].text):
                return NextReport(i, tokens[i].start, tokens[i].text)
    return None


def _digits(doc: Document, tokens: list[Token]) -> int:
    if not tokens:
        return 0
    return sum(ch.isdigit() for ch in doc.folded[tokens[0].start : tokens[-1].end])
