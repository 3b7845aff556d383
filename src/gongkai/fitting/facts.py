"""Headline figures stated in the prose ("narrative facts"), with their quotes."""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from collections.abc import Callable, Iterator, Sequence

from gongkai.fitting.prefilter import required_words, stops_at
from gongkai.reading.document import Document
from gongkai.reading.values import has_number_mark
from gongkai.report import Fact
from gongkai.spec import Fact as FactSpec
from gongkai.spec import facts as fact_specs

_QUOTE_LOOKBACK = 30
_QUOTE_LOOKBACK_FAR = 60  # a sentence start this near is worth reaching
_CLAUSE_START = re.compile(r"[，,、；;]|[：:](?!//)")  # not the colon of "http://"
_WORD_CHAR = re.compile(r"[0-9A-Za-z.%]")
_MAX_DIGITS = 15
_CHINESE_DIGITS = "两一二三四五六七八九十"  # index = value (两 at 0 stands for 2)
_SENTENCE_END = "。"  # folded text: a full stop is prose, never a table cell
_SENTENCE_START = re.compile(r"[。；;！!？?\n]")
# Whitespace a PDF or a converter puts inside a sentence: any run not between two digits/letters.  Between two of
# those the run stays (at least one space), so "1 2" never becomes 12.  Written as
# `(?<![0-9A-Za-z.,])\s+|\s+(?![0-9A-Za-z.,])` with its first whitespace character taken out in front: the same
# matches, but a pattern that starts with a character class lets `re` skip to the next whitespace at C speed.
# The repeats are possessive: a run between two digits must not give back its tail to match as a run of its own
# ("1  2" would lose both spaces and read 12).
_INNER_WHITESPACE = re.compile(r"\s(?:(?<![0-9A-Za-z.,]\s)\s*+|\s*+(?![0-9A-Za-z.,]))")
# A request figure ("requests_*": 不予公开112件, 26件结转下年度…) is taken only where the prose is about 申请: the
# nearest subject word before it, in its sentence or the one before, is 申请 and not one of the agency's own
# documents ("共制发政府信息130件,其中主动公开18件,不予公开112件" counts 公文公开属性, not answers).  "依申请公开"
# right before a number is such an attribute too ("主动公开50件,依申请公开10件"), not a request.
_REQUEST_FACT = "requests_"
# 上年结转 is said of requests only ("上年结转2件。结转下年度继续办理12件。").
_SUBJECT = re.compile(r"(?P<request>申请(?!公开\d)|上(?:一)?年(?:度)?结转)|主动公开|制发|发文|公文|印发")
_CONTEXT_SENTENCES = 2
# 结转下年度 is said of requests only, often after a sentence of outcomes with no subject word ("共收到政府信息公开申请
# 132件…。目前依法办结122件,其中予以公开的27件…。结转下年度继续办理的12件。"): one sentence further back.
_CARRIED_FORWARD = "requests_carried_forward"
_CARRIED_FORWARD_SENTENCES = 3


def _compact(text: str, start: int, end: int) -> tuple[str, Callable[[int], int]]:
    """`text[start:end]` without the whitespace inside sentences, and a map from a compact offset back to its
    offset in `text` (so a match in the compact text has exact evidence in the source).  Built with C-level
    splits and sums: a page has thousands of such runs."""
    segment = text[start:end]
    kept = _INNER_WHITESPACE.split(segment)  # the pattern has no groups: only the pieces between the runs
    dropped = itertools.accumulate(map(len, _INNER_WHITESPACE.findall(segment)), initial=0)
    piece_at = list(itertools.accumulate(map(len, kept), initial=0))  # each kept piece's compact offset
    source_at = list(map(operator.add, piece_at, dropped))  # and its offset in the segment

    def to_text(offset: int) -> int:
        piece = bisect.bisect_right(piece_at, offset) - 1
        return start + source_at[piece] + offset - piece_at[piece]

    return "".join(kept), to_text


def extract_facts(
    doc: Document, body_start: int = 0, body_end: int | None = None, skip: Sequence[tuple[int, int]] = ()
) -> list[Fact]:
    """Facts found outside the tables' cells, in document order.

    Only the report body [body_start, body_end) is read, without the `skip` spans (the tables, from their
    first read cell to their last: digits the patterns would otherwise try one by one).  The patterns run on
    the folded text (same length as the rendered text) with the whitespace inside sentences taken out, so a
    figure broken over lines or spaced by a PDF's text layer ("受理政府信息公开申请 17 件") is found, and its
    offsets map back to the source for evidence.
    """
    out: list[Fact] = []
    framed: list[tuple[Fact, int]] = []  # facts said of "the N件 among…", kept when N is one of the report's own
    text = doc.folded
    end = len(text) if body_end is None else body_end
    for part_start, part_end in _prose_parts(text, body_start, end, skip):
        compact, to_text = _compact(text, part_start, part_end)
        read: list[tuple[FactSpec, re.Match, int, int | None]] = []
        for spec, m in _matches(compact):
            if spec.key.startswith(_REQUEST_FACT) and not _about_requests(compact, m, spec.key):
                continue
            value = spec.value if spec.value is not None else _number(m)
            if value is None:
                continue  # not a count anyone writes in prose (and int() refuses 4,300+ digits)
            if spec.value is None and _marked(doc.clean_text, m, to_text):
                continue  # "申请49①件": the fold reads the note mark as a digit (491)
            subject = _subject(compact, m)
            if subject is _PART or _cumulative(compact, m):
                continue
            read.append((spec, m, value, subject))
        not_own = _breakdowns(compact, read)
        for i, (spec, m, value, subject) in enumerate(read):
            if i in not_own:
                continue
            first, last = to_text(m.start()), to_text(m.end() - 1) + 1
            start, stop = doc.source_span(first, last)
            fact = Fact(spec.key, spec.label, value, _quote(doc.clean_text, first, last), start, stop)
            if subject is None:
                out.append(fact)
            else:
                framed.append((fact, subject))
    wholes = {f.value for f in out if f.key in _WHOLE_KEYS}
    out += [fact for fact, whole in framed if whole in wholes]
    out.sort(key=lambda f: f.start)
    return out


# A figure said of a part of what the report covers is not the report's own, whatever its words ("省政府及其部门受理
# 政府信息公开申请13件" in a province's report of 33; "市政府及其部门主动公开政府信息75656条,县(区)政府及其部门…"):
# compared with the tables it would be a false mismatch.  The subject before the figure decides:
# - in its sentence, a level's government with its departments, "X政府及其(所属)部门" (not "全省各级政府及其部门"), a
#   level's departments, "市直部门", "区直各单位", or "各乡镇", "各街道" alone ("各县(区)、各部门主动公开…" is the
#   whole); the rest of the sentence is said of that part, until the report's own subject comes back ("全省共受理…",
#   "本机关…", "我局…");
# - in its clause, 其中 followed by a body or a channel before the figure ("其中,区管委会及区直各部门主动公开…",
#   "其中网上受理申请20件"); not 其中 alone ("其中,予以公开20件", "其中引发行政复议案件116件" break the report's own
#   figures down).
# A figure framed by "在对申请答复的12件中,…同意公开的8件" counts a part of those 12: it is kept only when the 12 is one
# of the report's own totals (the requests it received or answered), read elsewhere.
_PART = -1
_SUBJECT_REACH = 300  # characters back from the figure: a subject further in a sentence no reader links to it
_SUBJECT_MARK = re.compile(
    r"(?P<part>政府及其?(?:所属|组成|工作)?部门|[省市县区州盟旗](?:直|属)(?:各|有关|相关)?(?:部门|单位|机关)"
    r"|(?<![、和及与])各(?:乡镇|街道|镇|乡)(?:人民政府|政府|办事处)?(?![、和及与]各?(?:部门|单位|县|区|市)))"
    r"|(?P<whole>(?:全(?:省|市|区|县|旗|州|盟|镇|乡|街道)|各级)(?:(?:人民)?政府及其?(?:所属|组成|工作)?部门)?"
    r"|本(?:机关|单位|部门)|我(?:省|市|区|县|旗|州|盟|镇|乡|街道"
    r"|局|委|办|厅|署|院|中心|部|单位|机关))"
)
_OF_WHICH = "其中"
_CLAUSE_MARKS = re.compile(r"[，,；;：:]")
_PART_NAMED = re.compile(
    r"政府|部门|单位|机关|乡镇|街道|管委会|办公[室厅]|[省市县区]直|各[县区市乡镇]|[县区市]\(|网上|网络|当面|信函|传真|邮寄|电子邮件"
    r"|网站|公报|微博|微信|新媒体|公开栏|客户端"
)
# "在对申请答复的1677件中", "在办结的38件申请中": the frame and its count.
_FRAME = re.compile(r"在[^，,。；;]{0,20}?(?<![\d,])(?P<n>\d[\d,]*)件[^，,。；;\d]{0,8}?中")
# The report's own totals a framed count may be.
_WHOLE_KEYS = frozenset(
    ["requests_received", "requests_received_counted_first", "requests_received_with_carried_over", "requests_answered"]
)


def _subject(compact: str, m: re.Match) -> int | None:
    """_PART when the figure `m` is said of a part of the report's whole (see _SUBJECT_MARK), the count N of a frame
    "在…N件中" it is said within, or None: the report's own figure."""
    start = max(compact.rfind(_SENTENCE_END, 0, m.start()) + 1, m.start() - _SUBJECT_REACH)
    before = compact[start : m.start()]
    marks = list(_SUBJECT_MARK.finditer(before))
    if marks and marks[-1]["part"] is not None:
        return _PART
    of_which = before.rfind(_OF_WHICH)
    if of_which >= 0:
        subject = before[of_which + len(_OF_WHICH) :].lstrip("，,：:")
        if not _CLAUSE_MARKS.search(subject) and _PART_NAMED.search(subject):
            return _PART
    frames = list(_FRAME.finditer(before))
    if frames and not (marks and marks[-1].start() > frames[-1].end()):
        digits = frames[-1]["n"].replace(",", "")
        return int(digits) if len(digits) <= _MAX_DIGITS else _PART
    return None


# A figure counted over the years, not in the report's year: "历年累计主动公开政府信息12106条", "累计至今…".
_CUMULATIVE = re.compile(r"历年|累计至今|至今累计|以来累计")
# A breakdown's words for the report's own year, after 其中: "累计主动公开政府信息275条,其中,本年度新增的…32条".
_THIS_YEAR = re.compile(r"本年|当年|今年|年内|新增|(?:19|20)\d{2}年")


_CUMULATIVE_REACH = 60


def _cumulative(compact: str, m: re.Match) -> bool:
    """Whether the clause of the figure `m` (back to its start, or _CUMULATIVE_REACH characters), up to the figure,
    counts over the years."""
    reach = max(0, m.start() - _CUMULATIVE_REACH)
    start = max(compact.rfind(mark, reach, m.start()) for mark in "，,；;。")
    return bool(_CUMULATIVE.search(compact, max(start + 1, reach), m.end()))


def _breakdowns(compact: str, read: Sequence[tuple[FactSpec, re.Match, int, int | None]]) -> set[int]:
    """The figures (by index in `read`) that are not the report's own total, though read under its key: a part of the
    same key's figure before it, after 其中 in that figure's sentence or opening the next ("全区主动公开政府信息2122条。
    其中,…1509条,…613条": parts of the 2122), unless the part is said of the report's year and the figure before is
    larger ("累计主动公开政府信息275条,其中,本年度新增的主动公开政府信息32条": the 275 counts more than the year)."""
    not_own: set[int] = set()
    whole_of: dict[str, int] = {}  # each key's last figure read as a whole
    for j in sorted(range(len(read)), key=lambda i: read[i][1].start()):
        spec, m, value, _subject = read[j]
        before = whole_of.get(spec.key)
        whole_of[spec.key] = j
        if before is None or read[before][1].end() > m.start() or value >= read[before][2]:
            continue
        between = compact[read[before][1].end() : m.start()]
        of_which = between.find(_OF_WHICH)
        if of_which < 0 or _SENTENCE_END in between[of_which:]:
            continue
        lead = between[:of_which]
        if lead.count(_SENTENCE_END) > 1 or (_SENTENCE_END in lead and not lead.endswith(_SENTENCE_END)):
            continue
        if _THIS_YEAR.search(between, of_which):
            not_own.add(before)
        else:
            not_own.add(j)
            whole_of[spec.key] = before
    return not_own


def _matches(compact: str) -> list[tuple[FactSpec, re.Match]]:
    """Every fact pattern's matches in `compact`, pattern by pattern, each pattern's in text order: as if each ran
    over the whole text, but most run only on the sentences that hold a word each of their matches holds.

    That finds the same matches: such a pattern's match, and any lookahead it makes, never takes a 。 (see
    `_prefilter`), so it lies in one sentence; a search from a sentence's start still sees the text before it for
    its lookbehinds (`pos`, unlike slicing, hides nothing behind it); one that ends after the 。 sees all a
    lookahead can look at."""
    specs = fact_specs()
    whole, every, by_word = _prefilter()
    found = [(i, m) for i in whole for m in specs[i].pattern.finditer(compact)]
    words_here = [(word, ids) for word, ids in by_word if word in compact]
    start = 0
    for sentence in compact.split(_SENTENCE_END):
        end = start + len(sentence) + 1  # with its 。 (past the text's end for the last: the search stops there)
        ids = set(every)
        for word, word_ids in words_here:
            if word in sentence:
                ids.update(word_ids)
        found += [(i, m) for i in ids for m in specs[i].pattern.finditer(compact, start, end)]
        start = end
    found.sort(key=lambda pair: (pair[0], pair[1].start()))
    return [(specs[i], m) for i, m in found]


@functools.cache
def _prefilter() -> tuple[tuple[int, ...], tuple[int, ...], tuple[tuple[str, tuple[int, ...]], ...]]:
    """The fact patterns (by index) that read the whole text, those that read every sentence, and each word some
    patterns require, with them.  A pattern reads the sentences holding one of its required words only when no
    match of it can take a 。; without required words, every sentence; else the whole text."""
    whole, every = [], []
    by_word: dict[str, list[int]] = {}
    for i, spec in enumerate(fact_specs()):
        if not stops_at(spec.pattern, _SENTENCE_END):
            whole.append(i)
            continue
        words = required_words(spec.pattern)
        if words is None:
            every.append(i)
        for word in sorted(words or ()):
            by_word.setdefault(word, []).append(i)
    return tuple(whole), tuple(every), tuple((word, tuple(ids)) for word, ids in by_word.items())


def _number(m: re.Match) -> int | None:
    """The figure of `m`: its digits (group `n`) or a one-character Chinese numeral (group `cn`, "申请一件")."""
    if "cn" in m.re.groupindex and m["cn"] is not None:
        return _CHINESE_DIGITS.index(m["cn"]) or 2  # 两 is 2
    digits = m["n"].replace(",", "")
    return int(digits) if len(digits) <= _MAX_DIGITS else None


def _marked(text: str, m: re.Match, to_text: Callable[[int], int]) -> bool:
    """Whether the figure of `m` as the text prints it holds a note mark or a superscript (values.has_number_mark)."""
    group = "cn" if "cn" in m.re.groupindex and m["cn"] is not None else "n"
    return has_number_mark(text[to_text(m.start(group)) : to_text(m.end(group) - 1) + 1])


def _about_requests(compact: str, m: re.Match, key: str) -> bool:
    """Whether the figure `m` is said of 申请: the match names them (or their 答复) itself, or the nearest subject
    word before it (back to the start of the sentence before its own) is 申请."""
    if "申请" in m[0] or "答复" in m[0]:  # "办结依申请公开81件", "不予公开答复2件": the figure's own words say
        return True
    start = m.start() + 1  # as if a sentence ended right after the figure's start: the first step finds its own
    for _ in range(_CARRIED_FORWARD_SENTENCES if key.startswith(_CARRIED_FORWARD) else _CONTEXT_SENTENCES):
        start = compact.rfind(_SENTENCE_END, 0, max(start - 1, 0)) + 1
    subjects = list(_SUBJECT.finditer(compact, start, m.start()))
    return bool(subjects) and subjects[-1]["request"] is not None


def _prose_parts(text: str, start: int, end: int, skip: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """[start, end) without the skipped spans; a span holding a sentence end (prose among the cells) is kept."""
    for a, b in sorted(skip):
        a, b = max(a, start), min(b, end)
        if a >= b or _SENTENCE_END in text[a:b]:
            continue
        yield start, a
        start = b
    yield start, end


def _quote(text: str, start: int, end: int) -> str:
    """The match with the start of its clause, enough for a reader to recognise it: from the start of its sentence
    when that is near, else from the first clause start near, else from a sentence start a little further, else from
    a word boundary (never "023年度…" for "2023年度…", nor ",通过…")."""
    lookback = text[max(0, start - _QUOTE_LOOKBACK) : start]
    if start <= _QUOTE_LOOKBACK:
        boundaries = list(_SENTENCE_START.finditer(lookback))
        return _quoted(lookback[boundaries[-1].end() :] if boundaries else lookback, text[start:end])
    boundaries = list(_SENTENCE_START.finditer(lookback))
    if boundaries:
        return _quoted(lookback[boundaries[-1].end() :], text[start:end])
    clause = _CLAUSE_START.search(lookback)
    if clause:
        return _quoted(lookback[clause.end() :], text[start:end])
    far = text[max(0, start - _QUOTE_LOOKBACK_FAR) : start - _QUOTE_LOOKBACK]
    boundaries = list(_SENTENCE_START.finditer(far))
    if boundaries or start <= _QUOTE_LOOKBACK_FAR:
        return _quoted(far[boundaries[-1].end() :] if boundaries else far, lookback + text[start:end])
    cut = start - len(lookback)
    while cut < start and _inside_word(text, cut):
        cut += 1
    return _quoted(text[cut:start], text[start:end])


def _inside_word(text: str, at: int) -> bool:
    """Whether `at` splits a word a reader sees as one: a number or a Latin word, or the 年度/月份 after a number."""
    before, here = text[at - 1], text[at]
    if _WORD_CHAR.match(before) and _WORD_CHAR.match(here):
        return True
    return (before.isdigit() and here in "年月日") or (before in "年月" and here in "度份")


def _quoted(before: str, rest: str) -> str:
    return re.sub(r"\s{2,}", "", (before + rest).strip())  # blanked spam leaves runs of spaces
