"""Fit the token stream of a document to the known tables of its format.

The fitter does not rebuild a grid: every layout reduces to a stream of cells in
reading order (see tokens.py).  For each table it finds the table's region
(between the section headings), then for each row of the format, in order, the
row's label (possibly split over several tokens), and reads the values that
follow it.  A row with fewer values than columns is completed with the empty
cells of its stretch; where more than one placement is possible, the table's own
identity (total = sum of parts) decides.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import EllipsisType
from typing import NamedTuple

from gongkai.fitting.continuity import PreviousYear, row_identities
from gongkai.fitting.glued import GluedFitter, GluedRow, GluedValue, looks_glued
from gongkai.fitting.label_match import (
    Names,
    active_header_hints,
    active_labels,
    ambiguous_typo,
    find_cut_label,
    misspells_row,
    names_row,
    near,
    review_header_hints,
)
from gongkai.fitting.label_match import strip_ordinal as _strip_ordinal
from gongkai.fitting.placement import MAX_PLACEMENTS, Identity, Placement, subsets, unique_placement
from gongkai.fitting.prose_placement import OpenRow, Piece
from gongkai.fitting.reports import NextReport, next_report
from gongkai.fitting.section_typos import Name, heading_key, near_heading
from gongkai.reading.document import Document
from gongkai.reading.textnorm import label_key
from gongkai.reading.tokens import Token, separated
from gongkai.reading.values import MERGED_ROWS_NOTE, CellValue, has_number_mark, to_wan_yuan, unit_in_header
from gongkai.report import Cell
from gongkai.spec import FORMATS, SECTIONS, Axis, Block, Format, Grid, Section

_MAX_LABEL_TOKENS = 5
# What the first cells of each table look like, to tell a table's heading from a mention of it.
_TABLE_MARKERS = {
    "active": tuple(label_key(x) for x in ("第二十条", "信息内容")),
    "requests": tuple(label_key(x) for x in ("本列数据的勾稽关系", "申请人情况", "自然人", "一、本年新收")),
    "review_litigation": tuple(label_key(x) for x in ("行政复议", "结果维持")),
}
_HEADING_WINDOW = 40
_CONTENT_HEADER = label_key("信息内容")  # 表二's label column
_DIGITS = re.compile(r"[0-9０-９]")
_MAX_GARBLED_CHARS = 12  # a cell's garbled number, not a line of prose or a label with a year in it
_HEADER_WRAP = 4  # tokens a header label wrapped over lines or cells may take
# Headings of 表四's blocks when it is printed as three tables.
_REVIEW_BLOCK_NAMES = {"litigation_direct": ("未经复议直接起诉",), "litigation_after_review": ("复议后起诉",)}
# A note printed in a value's cell ("（其中修订16件）"), or the end of one cut onto the next line ("新制定4件）").
_TABLE_NOTES = ("注", "单位", "备注", "说明")  # a table's note printed between its header and its values
_NOTE = re.compile(r"^(?:\((?:其中|含|包括).*\)?|[^()]{0,20}\))$")
_ORDINAL = re.compile(r"^[一二三四五六七八九十]{1,2}(?=.{4})")
_MARKDOWN_MARKS = re.compile(r"^[#*\s]+|[*\s]+$")
# A note in brackets closing a label (a folded key), as some provinces' templates print: "规范性文件(行政机关制定…)".
_LABEL_NOTE = re.compile(r"(?<=..)\([^()]{2,120}\)$")


@dataclass(slots=True)
class RowMatch:
    first: int  # index of the first label token
    last: int  # index of the last label token
    printed: str  # the label as printed


@dataclass(slots=True)
class ReadValue:
    token: Token
    parsed: CellValue


@dataclass(slots=True)
class RowRead:
    reads: list[ReadValue | None]  # one per column; None = not read
    next: int  # index after the run
    first_value: int | None  # token index where the run's values start
    reason: str | None = None  # why values were found but not placed
    placed: str = "label"  # as Cell.placed, or "continuity": by identity, last year's 现行有效件数 (continuity.py)
    # The row took the first of a run of whole rows of values, the rest taken to be later rows' (`_surplus`).
    rest_as_rows: bool = False
    note: str | None = None  # for a row placed by an identity beyond the table's own: which (Cell.identity)

    def unread(self, reason: str) -> RowRead:
        """The same run, its values placed nowhere, and why."""
        return RowRead([None] * len(self.reads), self.next, self.first_value, reason)


def _number(read: ReadValue) -> int | None:
    value = read.parsed.value
    return int(value) if isinstance(value, int | Decimal) and value == int(value) else None


def _section_keys(section: Section) -> set[str]:
    labels = (section.label, *section.variants)
    return {label_key(section.number + "、" + label) for label in labels} | {label_key(label) for label in labels}


@functools.cache
def _sections_by_key() -> dict[str, list[str]]:
    """Every key of a section heading, with the sections it names."""
    sections: dict[str, list[str]] = {}
    for section in SECTIONS:
        for key in _section_keys(section):
            sections.setdefault(key, []).append(section.key)
    return sections


@functools.cache
def _group_keys() -> frozenset[str]:
    """The keys of 表三's group labels (三、本年度办理结果, （三）不予公开 …), as printed before their rows."""
    groups = {r.group for f in FORMATS.values() if f.requests for r in f.requests.rows if r.group}
    return frozenset(label_key(g) for g in (*groups, "三、本年度办理结果"))


@functools.cache
def _structure_keys() -> frozenset[str]:
    """The keys of the labels that open a group of rows or a block of 表二 (第二十条第（五）项)."""
    articles = {b.article for f in FORMATS.values() for b in f.active}
    return _group_keys() | frozenset(label_key(a) for a in articles)


@functools.lru_cache(maxsize=16384)
def _heading_of(key: str, folded: str) -> tuple[Collection[str], Name | None]:
    """The sections whose heading a token is (its key and folded text), and else the heading it is one character
    off; cached like `_key`, for the same repeated labels."""
    if key[0] in "#*":
        key = heading_key(key)  # a markdown heading ("## 一、总体情况") or a bold line
    # A heading numbered differently from the format ("一、主动公开政府信息情况" where a report leaves out a part)
    # is still that section's heading.
    sections_by_key = _sections_by_key()
    named = sections_by_key.get(key) or sections_by_key.get(_ORDINAL.sub("", key), ())
    return named, (near_heading(folded) if not named else None)


# _cell_names by (table, id(row), id(columns)), with the row and columns kept so that their ids stay theirs.
_CELL_NAMES: dict[tuple[str, int, int], tuple[Axis, Sequence[Axis], tuple[tuple[str, str, str, bool], ...]]] = {}


def _cell_names(table: str, row: Axis, columns: Sequence[Axis]) -> tuple[tuple[str, str, str, bool], ...]:
    """Each cell of a row: (path, label, kind, whether its column's label states a money unit).  The same for
    every report of a format, so built once; looked up by identity, since hashing the spec's rows and columns
    (frozen dataclasses, hashed in Python field by field) cost more than building the names."""
    known = _CELL_NAMES.get((table, id(row), id(columns)))
    if known is not None and known[0] is row and known[1] is columns:
        return known[2]
    label = row.full_label if table == "requests" else row.label
    names = tuple(
        (f"{table}.{row.key}.{c.key}", f"{label} / {c.label}", c.kind, unit_in_header(c.label) is not None)
        for c in columns
    )
    if len(_CELL_NAMES) > 4096:  # rows and columns made on the fly (reordered headers): do not keep them all
        _CELL_NAMES.clear()
    _CELL_NAMES[(table, id(row), id(columns))] = (row, columns, names)
    return names


@functools.cache
def _distinct_fields(
    format_id: str, article: str
) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]]:
    """The column headers of a 表二 block (by its article's key) that only this format prints, and per other
    format with tables (its id, its column labels, the keys only it prints).  A key inside another format's key
    tells nothing (2019's 处理决定数量 is within 2021's 本年处理决定数量)."""

    def fields(fmt: Format) -> tuple[Axis, ...]:
        return next((b.fields for b in fmt.active if label_key(b.article) == article), ())

    own_keys = [k for f in fields(FORMATS[format_id]) for k in f.keys]
    other_fields = [(o, fields(o)) for o in FORMATS.values() if o.id != format_id and fields(o)]
    other_keys = [k for _, theirs in other_fields for f in theirs for k in f.keys]
    own_only = tuple(k for k in own_keys if not any(k in o for o in other_keys))
    others = tuple(
        (
            other.id,
            tuple(f.label for f in theirs),
            tuple(k for f in theirs for k in f.keys if not any(k in o for o in own_keys)),
        )
        for other, theirs in other_fields
    )
    return own_only, others


class Fitter:
    def __init__(
        self,
        doc: Document,
        fmt: Format,
        previous: PreviousYear | None = None,
        following: NextReport | EllipsisType | None = ...,
    ) -> None:
        """`following`: where a second report in the file starts, when the caller found it (None: there is none);
        found here otherwise."""
        self.doc = doc
        self.fmt = fmt
        self.previous = previous
        self.continuity = row_identities(fmt, previous)  # asked only about 表二 rows left unread otherwise
        self.tokens = doc.tokens
        # Keys come from the folded text, computed once for the whole document.
        self.keys = doc.keys
        # A file holding several reports is read up to the second: no table is taken from another agency's report.
        self.next_report = next_report(doc, self.keys) if following is ... else following
        self.end = self.next_report.token if self.next_report else len(self.tokens)
        self.cells: dict[str, Cell] = {}
        self._lines: list[int] | None = None  # each token's line, computed when first needed
        self._rows_closed: bool | None = None  # whether printed rows end with a cell separator (see _shares_cells)
        self.line_rows = False  # the table being fitted prints one row per line
        # Headings one character off: (section, as printed, the name it is one character off).
        self.heading_hints: list[tuple[str, str, str]] = []
        self.headings: dict[str, int] = self._find_headings()
        self.header_hints: list[tuple[str, str, list[str]]] = []  # (header as printed, standard, its cells)
        self.value_spans: dict[str, tuple[int, int]] = {}  # per table: rendered span from its first to last cell
        self.open_rows: list[OpenRow] = []  # glued 表二 rows that split several ways (prose_placement.py)
        self._words: dict[tuple[int, int, frozenset[str]], list[tuple[int, str]]] = {}  # each header's words

    # -- regions ------------------------------------------------------------
    def _find_headings(self) -> dict[str, int]:
        """Each section's heading, in order; a table's heading must be followed by its table.

        Reports may repeat the headings in a table of contents or in an intro
        sentence; the heading that counts is the one the table actually follows.
        """
        occurrences: dict[str, list[int]] = {s.key: [] for s in SECTIONS}
        near: dict[str, list[int]] = {s.key: [] for s in SECTIONS}  # headings one character off
        near_names: dict[int, str] = {}  # … and the heading each is one character off
        sections_by_key = _sections_by_key()
        for i, key in enumerate(self.keys[: self.end]):
            if key and len(key) <= 40:
                named, typo = _heading_of(key, self._folded(i))
                for section_key in named:
                    occurrences[section_key].append(i)
                if typo is not None:
                    near[typo.section].append(i)
                    near_names[i] = f"{typo.number}、{typo.text}"
        all_keys = sections_by_key.keys()
        found: dict[str, int] = {}
        after = -1
        for section in SECTIONS:
            # A heading one character off counts only for a section not printed as the standard says.
            fuzzy = not any(i > after for i in occurrences[section.key])
            candidates = [i for i in (near if fuzzy else occurrences)[section.key] if i > after]
            if not candidates:
                continue
            followed = [i for i in candidates if self._table_follows(section.table, i, all_keys)]
            found[section.key] = after = (followed or candidates)[0]
            if fuzzy:
                printed = _MARKDOWN_MARKS.sub("", self.tokens[after].text)
                self.heading_hints.append((section.key, printed, near_names[after]))
        return found

    def _folded(self, index: int) -> str:
        token = self.tokens[index]
        return self.doc.folded[token.start : token.end]

    def _table_follows(self, table: str | None, heading: int, heading_keys: Collection[str]) -> bool:
        """True when the table's first cells come after the heading, before any other heading."""
        if table is None or not self.fmt.has_tables:
            return True
        markers = _TABLE_MARKERS[table]
        for key in self.keys[heading + 1 : heading + 1 + _HEADING_WINDOW]:
            if key in heading_keys:
                return False
            if key.startswith(markers):
                return True
        return False

    def _first_key(self, keys: set[str], start: int, stop: int) -> int | None:
        for i in range(start, stop):
            if self.keys[i] in keys:
                return i
        return None

    def regions(self) -> dict[str, tuple[int, int]]:
        n = self.end
        h = self.headings
        active_start = h.get("active")
        requests_start = h.get("requests")
        review_start = h.get("review_litigation")
        problems = h.get("problems")
        if requests_start is None:
            note = {label_key("本列数据的勾稽关系为"), label_key("申请人情况")}
            requests_start = next((i for i, k in enumerate(self.keys) if any(k.startswith(x) for x in note)), None)
        if requests_start is None and self.fmt.requests:
            first_row = self.fmt.requests.rows[0]
            requests_start = self._first_key(set(first_row.keys), 0, n)
        if active_start is None and self.fmt.active:
            active_start = self._first_key({label_key(self.fmt.active[0].article)}, 0, requests_start or n)
        if review_start is None:
            review_start = self._first_key({label_key("行政复议")}, requests_start or 0, n)
        # Headings out of order (e.g. an intro sentence) are ignored rather than trusted.
        active_start = active_start if active_start is not None else 0
        requests_start = requests_start if requests_start is not None else active_start
        review_start = review_start if review_start is not None and review_start > requests_start else n
        end = problems if problems is not None and problems > review_start else n
        active_end = requests_start if requests_start > active_start else review_start
        return {
            "active": (active_start, active_end),
            "requests": (requests_start, review_start),
            "review_litigation": (review_start, end),
        }

    # -- label search -------------------------------------------------------
    def find_label(self, candidates: dict[str, str], start: int, stop: int) -> RowMatch | None:
        """First position in [start, stop) where consecutive text tokens spell a candidate key."""
        keys = self.keys
        tokens = self.tokens
        for i in range(start, stop):
            if not keys[i]:
                continue
            acc = ""
            # A label with a note of the template's in brackets ("规章（设区的市…应提供相关数据）"): the label
            # before the note is the row's, when that is a whole label.
            bare = _LABEL_NOTE.sub("", keys[i]) if keys[i][-1] == ")" else ""
            j = i
            taken = 0
            value_follows = i + 1 < stop and tokens[i + 1].value is not None
            while j >= start and taken < _MAX_LABEL_TOKENS:
                token = tokens[j]
                if token.numeric:
                    break
                if token.empty:
                    j -= 1
                    continue
                acc = keys[j] + acc
                if bare and j < i:
                    bare = keys[j] + bare
                taken += 1
                if (
                    acc in candidates
                    or (bare and bare in candidates)
                    or (value_follows and self._wrapped_prefix(acc, candidates))
                    or (self.doc.ocr and _one_misread(acc, candidates))
                ):
                    last = self._extend(acc, i, stop, candidates)
                    printed = "".join(t.text for t in tokens[j : last + 1] if not t.empty)
                    return RowMatch(j, last, printed)
                if len(acc) > 80:
                    break
                j -= 1
        return None

    @staticmethod
    def _wrapped_prefix(acc: str, candidates: dict[str, str]) -> bool:
        """A long label wrapped after its values ("…不再处理其政府信息 0 0 … / 公开申请").  A group's own label
        is never one: printed as a row of its own ("三、本年度办理结果 | / | / …"), its cells are not its first
        row's."""
        return (
            len(acc) >= 8
            and acc not in _group_keys()
            and any(len(acc) >= 0.3 * len(c) and c.startswith(acc) for c in candidates)
        )

    def _extend(self, acc: str, last: int, stop: int, candidates: dict[str, str]) -> int:
        """Prefer a longer spelling: "(二)部分公开" followed by "(区分处理的…)" in its own cell."""
        best = last
        i = last + 1
        while i < min(stop, last + 4) and self.keys[i]:
            acc += self.keys[i]
            if acc in candidates:
                best = i
            i += 1
        return best

    def read_values(
        self,
        after: int,
        stop: int,
        count: int,
        identity: Identity | None = None,
        skip_text: Callable[[str], bool] | None = None,
    ) -> RowRead:
        """Read a row's values after its label: the run of values and blank cells up to the next text.

        The run is accepted only when its cells are established (see placement.py); otherwise the row stays
        unread and `reason` says why.
        """
        run: list[tuple[int, ReadValue | None]] = []  # None: an empty cell between separators
        tokens = self.tokens
        i = after
        limit = 3 * count + 6
        seen_value = False
        while i < stop and len(run) < limit:
            token = tokens[i]
            if token.empty:
                run.append((i, None))
            elif token.value is not None:  # a number, or a placeholder such as "—"
                run.append((i, ReadValue(token, token.value)))
                seen_value = True
            elif run and run[-1][1] is not None and _NOTE.match(self.keys[i]):
                pass  # "22（其中修订16件）": a note printed in a value's cell, on a line of its own
            elif not (skip_text and not seen_value and skip_text(self.keys[i])):
                break
            i += 1
        values = [(index, v) for index, v in run if v is not None]
        first = values[0][0] if values else None
        if len(values) > 1 and self._shares_cells(values, across_lines=None if len(values) > count else True):
            chosen = self._one_figure_a_cell(run, values, count, identity) if identity is not None else None
            if chosen is None:
                why = "有的单元格印有不止一个数，而其他数各占一格，无法确定各数属于哪一栏"
                return RowRead([None] * count, i, first, why)
            return RowRead(list(chosen.items), i, first, placed="identity")
        whole_rows = False  # a run longer than the limit: whole rows of values follow this one
        if len(run) >= limit and len(values) > count:
            end = i
            while end < stop and (tokens[end].empty or tokens[end].value is not None):
                end += 1
            in_run = sum(1 for k in range(after, end) if not tokens[k].empty)
            whole_rows = in_run == end - after and in_run % count == 0
        if values and len(values) <= count and self._lone_cells(after - 1, [index for index, _ in values], count):
            numbers = [_number(v) for _, v in values]
            if identity is None or len(values) < count or None in numbers or not identity(numbers):  # type: ignore[arg-type]
                return RowRead([None] * count, i, first, "有数字单独印在另一行，无法确定它属于本行还是相邻的行")
        if len(values) == count:
            return RowRead([v for _, v in values], i, first)
        if len(values) > count:
            return self._surplus(values, count, identity, i, after - 1, whole_rows)
        empties = [index for index, v in run if v is None]
        if not values:
            # No value at all: a row of blanks when they are its cells: one cell, the cells on the label's own
            # line, or cells written on lines of their own (then every choice gives the same zeros).
            on_line = [k for k in empties if self.line_of(k) == self.line_of(after - 1)] if after > 0 else []
            if count == 1 and empties:
                blanks: list[int] | None = empties[:1]
            elif len(on_line) >= count:
                blanks = on_line[:count]
            else:
                blanks = self._written_blanks([], empties, count)
                if blanks is None and len(empties) >= count:
                    # At least a row's worth of blank cells up to the next label: whichever of them are the
                    # row's, every cell is blank ("label |" then seven lone "|" lines).
                    blanks = empties[:count]
            if blanks is None:
                return RowRead([None] * count, i, None)
            return RowRead([ReadValue(tokens[k], CellValue(0, "empty")) for k in blanks], i, blanks[0])
        if len(empties) < count - len(values):
            return RowRead([None] * count, i, first, f"读到{len(values)}个数，少于{count}列")
        return self._place_blanks(values, empties, count, identity, i)

    def _surplus(
        self,
        values: list[tuple[int, ReadValue]],
        count: int,
        identity: Identity | None,
        nxt: int,
        label: int,
        whole_rows: bool = False,
    ) -> RowRead:
        """More values than columns: the first `count` when they close a printed row (or the rest are whole
        rows of their own); otherwise the one choice of `count` values that satisfies the identity."""
        first = values[0][0]
        # Whole rows of values after a one-column row are copies of its merged cell (a converter prints it in each
        # column it spans) or another layout's columns (a 2019 block under a 2021 heading): only copies are rows.
        rows_of_copies = count > 1 or len({v.token.text for _, v in values}) == 1
        taken = [v for _, v in values[:count]]
        closes_line = self._ends_line(values[count - 1][0], values[count][0], label)
        # A value a line closes every line: that the row's last value closes one says nothing of where it ends.
        a_value_a_line = count > 1 and self.line_of(values[count - 1][0]) != self.line_of(values[count - 2][0])
        if whole_rows or (closes_line and a_value_a_line):
            # The rest are later rows' values, as the layout prints them: checked once all rows are read.
            return RowRead(taken, values[count - 1][0] + 1, first, rest_as_rows=True)
        if closes_line:
            return RowRead(taken, values[count - 1][0] + 1, first)
        if len(values) % count == 0 and rows_of_copies:
            # One column's copies are the one value whichever is the row's; whole rows must be later rows'.
            return RowRead(taken, values[count - 1][0] + 1, first, rest_as_rows=count > 1)
        chosen = unique_placement(subsets([v for _, v in values], count), _number, identity)
        if chosen is None:
            return RowRead([None] * count, nxt, first, f"读到{len(values)}个数，多于{count}列，无法确定哪些属于本行")
        return RowRead(list(chosen.items), nxt, first, placed=chosen.placed)

    def _place_blanks(
        self,
        values: list[tuple[int, ReadValue]],
        empties: list[int],
        count: int,
        identity: Identity | None,
        nxt: int,
    ) -> RowRead:
        """Fewer values than columns: the blank cells of the run complete the row, when that is unambiguous."""
        deficit = count - len(values)

        def merged(combo: Sequence[int]) -> list[ReadValue]:
            blanks = [(i, ReadValue(self.tokens[i], CellValue(0, "empty"))) for i in combo]
            return [v for _, v in sorted(values + blanks, key=lambda pair: pair[0])]

        first = min(values[0][0], empties[0])
        established = self._written_blanks(values, empties, deficit)
        if established is not None:
            items = merged(established)
            numbers = [_number(v) for v in items]
            # The layout's blanks stand unless the identity says otherwise (then it decides among all blanks).
            if identity is None or len(empties) == deficit or (None not in numbers and identity(numbers)):
                return RowRead(items, nxt, first)
        # A bare line break after the row's last value ("235 |\n| 行政规范性文件") may be where the row ends rather
        # than a blank cell ("| 规章 | 22 | 235 |" has lost a value, not its last column): such a blank is taken
        # only when the row's identity holds with it (a trailing tab before the line end is a blank cell).
        ends = {i for i in empties if i > values[-1][0] and self._row_boundary(i)}
        run = []  # the bare line breaks right after the last value, one after another
        while values[-1][0] + len(run) + 1 in ends:
            run.append(values[-1][0] + len(run) + 1)
        if identity is None and len(run) == deficit + 1 and len(empties) == len(run):
            # Two or more bare line breaks in a row: one ends the row, the others are its blank last cells
            # ("0 |" then lone "|" lines in a table whose every row opens with a "|" line).
            return RowRead(merged(run[:deficit]), nxt, first)
        combos = list(itertools.islice(itertools.combinations(empties, deficit), MAX_PLACEMENTS + 1))
        if identity is None:
            combos = [c for c in combos if not ends.intersection(c)]
        chosen = unique_placement([merged(c) for c in combos], _number, identity)
        if chosen is not None and ends and any(v.token is self.tokens[i] for v in chosen.items for i in ends):
            numbers = [_number(v) for v in chosen.items]
            if identity is None or None in numbers or not identity(numbers):  # type: ignore[arg-type]
                chosen = None
        if chosen is None and not combos:
            return RowRead([None] * count, nxt, first, f"读到{len(values)}个数，少于{count}列（行末的换行不是空白格）")
        if chosen is None:
            return RowRead([None] * count, nxt, first, f"读到{len(values)}个数和{len(empties)}个空白格，位置不唯一")
        return RowRead(list(chosen.items), nxt, first, placed=chosen.placed)

    def _row_boundary(self, i: int) -> bool:
        """An empty token that is only the line break between one printed row's closing separator and the next
        row's opening one."""
        cell = self.doc.clean_text[self.tokens[i].start : self.tokens[i].end]
        return cell.count("\n") == 1 and not cell.strip()

    def _written_blanks(
        self, values: list[tuple[int, ReadValue]], empties: list[int], deficit: int
    ) -> list[int] | None:
        """The blank cells the layout itself establishes, when there are exactly `deficit` of them.

        Empty cells between a row's first and last value are that row's blanks.  After the last value, a cell
        written on a line of its own (" |" in a cell-per-line table, an empty line between separators) is a
        blank up to the first bare stretch ("||", "|" closing the line), which may only close the row; padding
        after a row printed on one line ("| 43 | |||") is not.
        """
        text = self.doc.clean_text

        def written(i: int) -> bool:  # on a line of its own: " |" or an empty line between separators
            cell = text[self.tokens[i].start : self.tokens[i].end]
            return "\n" in cell and (bool(cell.strip("\n")) or cell.count("\n") >= 2)

        first = values[0][0] if values else -1
        last = values[-1][0] if values else -1
        interior = [i for i in empties if first < i < last]
        if len(interior) == deficit:
            return interior
        # Cells written before the first value are the row's first cells: its cells are the first ones after
        # its label, and what follows the last value may be the spacing before the next label.
        leading = [i for i in empties if i < first] if values else []
        if leading and all(written(i) for i in leading) and len(leading) + len(interior) == deficit:
            return leading + interior
        trailing: list[int] = []
        for i in empties:
            if i > last:
                if not written(i):
                    break
                trailing.append(i)
        return interior + trailing if len(interior) + len(trailing) == deficit else None

    def _lone_cells(self, label: int, indices: list[int], count: int) -> bool:
        """The row starts on its label's line and takes values from a later line that holds only a few values and
        no cell separators: a cell printed on a line of its own (text from a PDF), which may as well belong to
        the row below."""
        if label < 0 or not self.keys[label]:
            return False
        token_lines = self.token_lines()
        home = token_lines[label]
        lines = [token_lines[i] for i in indices]
        if home not in lines or all(line == home for line in lines):
            return False
        for line in set(lines) - {home}:
            on_line = [i for i, at in zip(indices, lines, strict=True) if at == line]
            if len(on_line) < count and not self._lines_separated(self.tokens[on_line[0]], self.tokens[on_line[-1]]):
                return True
        return False

    def _shares_cells(self, values: list[tuple[int, ReadValue]], across_lines: bool | None) -> bool:
        """Whether two of a row's values are printed in one cell ("4 7 |", a web page's "4<br>7", a Word cell's two
        paragraphs "34⏎7 |") while others stand in cells of their own: which figure of the shared cell is which
        column's, the text does not say.  Values all in one cell are a row printed in one ("| 规章 2 14 61 |", text
        without separators).  Two values of one stretch between separators on different lines are one cell on two
        lines where printed rows end with a separator ("… | 0 |"); where they do not ("… | 66", "4 | 行政…") they
        are a row's end and the next one's start, unless the row has just its count of values (`across_lines`
        True).  None: as the document's rows say."""
        cells = [v.token.cell for _, v in values]
        distinct = len(set(cells))
        if distinct == len(cells) or distinct == 1:  # the rule: each value in a cell of its own
            return False
        if across_lines or (across_lines is None and self._closed_rows()):
            return True
        lines = self.token_lines()
        return any(
            cells[k] == cells[k - 1] and lines[values[k][0]] == lines[values[k - 1][0]] for k in range(1, len(cells))
        )

    def _one_figure_a_cell(
        self,
        run: list[tuple[int, ReadValue | None]],
        values: list[tuple[int, ReadValue]],
        count: int,
        identity: Identity,
    ) -> Placement[ReadValue] | None:
        """A row some of whose cells hold two figures: a cell holds one column's value, so of a cell's figures one at
        most is the row's, and only the row's identity can tell which.  When the row prints as many cells as columns
        (its blank cells among the figures counted), each cell is its column and gives one of its figures (a blank
        gives 0); otherwise the placements are those keeping `count` figures, one a cell."""
        cells: dict[int, list[ReadValue]] = {}
        for k, v in run:
            if values[0][0] <= k <= values[-1][0]:
                item = v if v is not None else ReadValue(self.tokens[k], CellValue(0, "empty"))
                cells.setdefault(item.token.cell if v is not None else -k - 1, []).append(item)
        if len(cells) == count:
            options = list(itertools.islice(itertools.product(*cells.values()), MAX_PLACEMENTS + 1))
            return unique_placement([list(o) for o in options], _number, identity)
        if len(values) > count:
            kept = subsets([v for _, v in values], count)
            return unique_placement([s for s in kept if len({v.token.cell for v in s}) == count], _number, identity)
        return None

    def _closed_rows(self) -> bool:
        """Whether the lines that print cell separators mostly end with one ("一、… | 39 | 0 | … | 42 |")."""
        if self._rows_closed is None:
            ends = [line.rstrip(" \u3000\xa0") for line in self.doc.clean_text.split("\n") if separated(line)]
            closed = sum(1 for line in ends if line.endswith(("|", "｜", "\t")))
            self._rows_closed = bool(ends) and closed * 5 >= len(ends) * 4
        return self._rows_closed

    def _lines_separated(self, first: Token, last: Token) -> bool:
        """Whether the printed lines from the first token's to the last one's print a cell separator."""
        text = self.doc.clean_text
        start = text.rfind("\n", 0, first.start) + 1
        end = text.find("\n", last.end)
        return separated(text, start, end if end >= 0 else None)

    def line_of(self, index: int) -> int:
        """The physical line of a token (lines are where printed rows end in row-per-line layouts)."""
        lines = self._lines
        return (lines if lines is not None else self.token_lines())[index]

    def token_lines(self) -> list[int]:
        """Every token's physical line (for loops over many tokens: a list lookup, not a call, per token)."""
        if self._lines is None:
            text = self.doc.clean_text
            lines = []
            line = previous = 0
            for token in self.tokens:  # counted once per document, in C
                line += text.count("\n", previous, token.start)
                previous = token.start
                lines.append(line)
            self._lines = lines
        return self._lines

    def _ends_line(self, last: int, following: int, label: int) -> bool:
        """The row's values close a printed line: in a row-per-line table, or on the label's own line."""
        if self.line_of(last) == self.line_of(following):
            return False
        return self.line_rows or (label >= 0 and self.line_of(label) == self.line_of(last))

    # -- cells --------------------------------------------------------------
    def _write_row(
        self,
        table: str,
        row: Axis,
        columns: Sequence[Axis],
        read: RowRead | None,
        printed: str | None = None,
        unit: str | None = "万元",
    ) -> None:
        """A row's cells; `printed` is its label as printed when that differs from the standard, `unit` the money
        unit the table's header prints, None when it prints none.  A money cell whose unit is only assumed (none
        in the header, the format's column label or the cell) keeps no unit."""
        reads = read.reads if read else [None] * len(columns)
        placed = read.placed if read else "label"
        reason = read.reason if read else None
        marked = [v for v in reads if v is not None and has_number_mark(v.token.text)]
        if marked:
            # "49①", "49¹": the fold reads the mark as a digit (491).  The cell is not read; nor is the row when
            # an identity placed it, since the misread number took part in the choice.
            reason = f"“{marked[0].token.text}”中的数字后带有注释标记或上下标，无法确定本格的数"
            marks = {id(v) for v in marked}
            keep = placed not in ("identity", "continuity")
            reads = [v if keep and v is not None and id(v) not in marks else None for v in reads]
        note = read.note if read else None
        if placed == "continuity" and self.previous is not None:  # an identity placement: the cell says which
            placed, note = "identity", self.previous.describe(row.key)
        default_unit = unit or "万元"
        doc = self.doc
        source_span = doc.smap.span if doc.smap is not None else None
        locate = doc.locator.locate if doc.locator is not None else None
        cells = self.cells
        first = last = None
        for (path, label, kind, labelled_unit), value in zip(_cell_names(table, row, columns), reads, strict=True):
            if value is None:
                cells[path] = Cell(path, label, None, "missing", unread_reason=reason)
                continue
            parsed, token = value.parsed, value.token
            first = token.start if first is None else min(first, token.start)
            last = token.end if last is None else max(last, token.end)
            start, end = source_span(token.start, token.end) if source_span else (token.start, token.end)
            number = parsed.value
            cell_unit = None
            cell_kind = parsed.kind
            if kind == "money" and cell_kind in ("number", "money"):
                number = to_wan_yuan(parsed, default_unit)
                # 万元 is an assumption where neither the header nor the format states the unit (2019 采购总金额)
                cell_unit = parsed.unit or (None if unit is None and not labelled_unit else default_unit)
                cell_kind = "money"
            elif kind == "delta" and cell_kind in ("number", "delta"):
                cell_kind = "delta"
            elif kind != "money" and cell_kind == "money":
                # "1.2万" as a count of decisions: 1.2 is not the count, and a sum of money is no count at all.
                why = f"“{token.text}”带有金额或“万”的单位，而本栏是件数，无法确定本格的数"
                cells[path] = Cell(path, label, None, "missing", unread_reason=why)
                continue
            location = locate(token.start) if locate else None
            # Positional: a report has hundreds of cells (path, label, value, kind, raw, start, end, unit, location,
            # matched_label, placed, unread_reason, identity).
            cells[path] = Cell(
                path, label, number, cell_kind, token.text, start, end, cell_unit, location, printed, placed, None, note
            )
        if first is not None:
            self._spanned(table, first, last)

    def _spanned(self, table: str, start: int, end: int) -> None:
        first, last = self.value_spans.get(table, (start, end))
        self.value_spans[table] = (min(first, start), max(last, end))

    # -- tables -------------------------------------------------------------
    def fit_active(self, start: int, stop: int) -> None:
        cursor = start
        rows, candidates, labels = active_labels(self.fmt.id)
        others = _other_rows(tuple(map(_frozen, candidates)))
        read_at: set[int] = set()  # where the values read so far start
        bare: list[tuple[Block, Axis, RowMatch]] = []  # rows whose label is followed by no cell at all
        # Rows that took the first of whole rows of values, the rest taken as later rows' values.
        surplus: list[tuple[Block, Axis, RowRead]] = []
        taken: list[tuple[Block, Axis, RowMatch, RowRead]] = []  # rows that took values
        for block in self.fmt.active:
            article = self.find_label({label_key(block.article): block.article}, cursor, stop)
            block_start = article.last + 1 if article else cursor
            header_start = block_start
            spans: tuple[int, ...] | None = None  # the header's columns per field, where one spans several
            perm: list[int] | None = None  # the field of each printed column, where the header reorders them
            foreign: str | None = None  # why the block's printed columns are not this format's
            for row in block.rows:
                # Converters print blocks out of order (a block as plain lines before the grid of another):
                # a row not found after the previous one is looked for in the whole table.
                match = self.find_label(candidates[rows.index(row)], block_start, stop) or self.find_label(
                    candidates[rows.index(row)], start, stop
                )
                if match is None:  # cut ("行政事业性收") or mistyped ("行政许司"): when it names this row only
                    match = self._cut_label(rows.index(row), candidates, block_start, stop, names_row)
                    match = match or self._cut_label(rows.index(row), candidates, block_start, stop, misspells_row)
                if match is None:
                    reason = ambiguous_typo(
                        self.keys, self.tokens, rows.index(row), candidates, labels, block_start, stop
                    )
                    self._write_row("active", row, block.fields, RowRead([None] * len(block.fields), 0, None, reason))
                    continue
                if header_start == block_start:  # the block's column headers, before its first row
                    self.header_hints += active_header_hints(self.keys, self.tokens, block, header_start, match.first)
                    spans = self._header_spans(block, header_start, match.first)
                    perm = self._header_permutation(block.fields, header_start, match.first)
                    foreign = self._foreign_header(block, header_start, match.first)
                    if perm is None and foreign is None:
                        foreign = self._columns_out_of_order(block.fields, header_start, match.first)
                    if perm is not None and foreign is None:
                        self._by_header("active", block.rows, block.fields, perm)
                # The money unit the block's header prints, or the row's label ("行政事业性收费（单位：元）").
                unit = self._header_unit(block_start, match.first) or self._header_unit(match.first, match.last + 1)
                read = self.read_values(match.last + 1, stop, len(block.fields))
                if self._values_before_label(match, read):
                    read = read.unread("本行标签之前印有数字，标签后另起一行的数可能属于下一行，无法确定")
                twice = self._printed_twice(
                    match,
                    read,
                    candidates[rows.index(row)],
                    others[rows.index(row)],
                    stop,
                    lambda at: self.read_values(at, stop, len(block.fields)),  # noqa: B023 - called right away
                )
                if twice is not None:
                    read = read.unread(twice)
                if spans is not None and (read.reason is not None or self._run_goes_on(read, stop)):
                    read = self._read_spanned(read, match.last + 1, stop, spans)
                if read.reason is not None and row.key in self.continuity:
                    read = self._by_continuity(read, match.last + 1, stop, row.key)
                if foreign is None and perm is not None:
                    # The fields in the order the header prints them: only values read as they are printed follow
                    # it (a placement by an identity, such as 现行有效 continuity, counted in the format's order).
                    if read.placed == "label":
                        read = _in_format_order(read, perm)
                    else:
                        reason = "表头栏目的顺序与规定格式不同，按勾稽关系的定位不适用"
                        read = read.unread(reason)
                if foreign is not None:  # the values are another format's columns: none of them is placed
                    read = read.unread(foreign)
                elif (garbled := self._garbled_value(read, stop)) is not None:
                    reason = (
                        f"“{garbled.removesuffix(MERGED_ROWS_NOTE)}”印在跨几行合并的单元格中，不是某一行的数"
                        if garbled.endswith(MERGED_ROWS_NOTE)
                        else f"“{garbled}”不能读成数字"
                    )
                    read = RowRead(read.reads, read.next, read.first_value, reason)
                self._write_row("active", row, block.fields, read, _printed_label(match, row), unit)
                read_at.update(r.token.start for r in read.reads if r is not None and not r.token.empty)
                if read.next == match.last + 1 and read.reason is None:
                    bare.append((block, row, match))
                if read.rest_as_rows:
                    surplus.append((block, row, read))
                if read.reason is None and read.first_value is not None:
                    taken.append((block, row, match, read))
                block_start = match.last + 1
                cursor = max(cursor, read.next)
        self._values_apart(taken, read_at)
        for block, row, read in surplus:
            if self.tokens[read.next].start not in read_at:
                # No later row took the rest: they may be this row's, and its first values another's (labels
                # printed one above the other, then their values).
                reason = f"本行标签后有多于{len(block.fields)}个数，多出的数不属于任何一行，无法确定哪些属于本行"
                self._write_row("active", row, block.fields, RowRead([None] * len(block.fields), 0, None, reason))
                read_at.difference_update(r.token.start for r in read.reads if r is not None)
        self._bare_rows(bare, read_at, start, stop)

    def _values_apart(self, taken: list[tuple[Block, Axis, RowMatch, RowRead]], read_at: set[int]) -> None:
        """表二 rows that took their values from a line after their label's, where that is not the table's layout
        or the label may as well come after its values; each is left unread:

        - most rows print their values on their label's line, and this one's line holds a blank cell instead
          ("行政处罚 | " / "3"), its values on lines without cell separators: the number on a later line may be a page
          number or a stray, not this row's (a row wrapped after its label, "行政许可 |" / "0 | 3 |", goes on, and so
          does text without separators, where a cell may print on a line of its own);
        - a number no row took stands right before the label: the values may be printed above their labels
          ("765 / 行政处罚 / 680 / 行政强制"), and the number after the label the next row's."""

        def apart(match: RowMatch, read: RowRead) -> bool:
            return self.line_of(read.first_value) != self.line_of(match.last)  # type: ignore[arg-type]

        on_line = sum(1 for _, _, match, read in taken if not apart(match, read))
        for block, row, match, read in taken:
            if not apart(match, read):
                continue
            reason = None
            if on_line >= 2 and self._blank_after(match) and not self._separated(read):
                reason = "本表其他行的数都印在标签所在行，本行却没有，其后另起一行的数（可能是页码等）无法确定属于本行"
            else:
                j = match.first - 1
                while j >= 0 and self.tokens[j].empty:
                    j -= 1
                if j >= 0 and self.tokens[j].numeric and self.tokens[j].start not in read_at:
                    reason = "本行标签前有一个不属于任何一行的数，数字可能印在各行标签之前，无法确定哪些属于本行"
            if reason is not None:
                self._write_row("active", row, block.fields, read.unread(reason))
                read_at.difference_update(r.token.start for r in read.reads if r is not None)

    def _blank_after(self, match: RowMatch) -> bool:
        """Whether the label's line goes on with a cell separator after the label (its row's cells, blank)."""
        text = self.doc.clean_text
        end = text.find("\n", self.tokens[match.last].end)
        return separated(text, self.tokens[match.last].end, end if end >= 0 else None)

    def _separated(self, read: RowRead) -> bool:
        """Whether the lines holding a row's values print cell separators."""
        return any(
            self._lines_separated(value.token, value.token)
            for value in read.reads
            if value is not None and not value.token.empty
        )

    def _values_before_label(self, match: RowMatch, read: RowRead) -> bool:
        """The label's line prints numbers before the label ("148 | 593 | 666 | 规章", a table whose label column is
        last) and the row took its values from a later line: those may be the next row's, printed before its label
        in turn.  A number before a label whose values follow on its own line (a 序号 column) says nothing."""
        if read.first_value is None or read.reason is not None:
            return False
        home = self.line_of(match.first)
        if self.line_of(read.first_value) == home:
            return False
        j = match.first - 1
        while j >= 0 and self.line_of(j) == home:
            if self.tokens[j].numeric:
                return True
            j -= 1
        return False

    def _printed_twice(
        self,
        match: RowMatch,
        read: RowRead,
        own: dict[str, str],
        others: dict[str, str],
        stop: int,
        read_at: Callable[[int], RowRead],
    ) -> str | None:
        """Why a row's values are not taken: its label is printed again after them, before any other row's, with
        other numbers (a row typed twice, or a row the format does not have whose label starts with this one's,
        such as “（一）予以公开（含部分）” before “（一）予以公开”): which of the two is the row the text does not say.
        The same numbers again (a row repeated over a page break) are the row's."""
        if read.reason is not None or read.first_value is None or read.next >= stop:
            return None
        # Only up to the next row's label (and a label's length beyond it): searching the rest of the table for
        # every row would double the time a report takes.
        key = self.keys[read.next]
        if key in others or key in _structure_keys():
            # The next row's whole label right after the values, or the next group's or block's: nothing printed
            # twice (the common case, without a search).
            return None
        following = self.find_label(others, read.next, stop)
        if following is not None and following.first <= read.next:
            return None  # the next row's label right after the values: nothing printed twice between them
        until = stop if following is None else min(stop, following.last + 1 + 2 * _MAX_LABEL_TOKENS)
        again = self.find_label(own, read.next, until)
        if again is None or (following is not None and following.last < again.first):
            return None
        if following is not None and self.find_label(others, read.next, again.first) is not None:
            return None
        second = read_at(again.last + 1)
        if second.reason is not None or second.first_value is None:
            return None
        if [_number(r) if r else None for r in read.reads] == [_number(r) if r else None for r in second.reads]:
            return None
        return f"本行印了两次（“{match.printed}”和“{again.printed}”），数字不同，无法确定哪一行是本行的"

    def _garbled_value(self, read: RowRead, stop: int) -> str | None:
        """The text where a row's values should be, when it holds digits but is no number ("1234. 56" split by a
        converter into "1234." and "56"): the row is there, its cell unreadable, not missing."""
        if read.reason is not None or any(read.reads) or read.next >= stop:
            return None
        token = self.tokens[read.next]
        text = token.text.removesuffix(MERGED_ROWS_NOTE)
        if token.value is None and len(text) <= _MAX_GARBLED_CHARS and _DIGITS.search(text):
            return token.text
        return None

    def _run_goes_on(self, read: RowRead, stop: int) -> bool:
        """Whether more numbers follow the values a row took (the first of more values than its columns)."""
        return read.next < stop and self.tokens[read.next].numeric

    def _bare_rows(self, bare: list[tuple[Block, Axis, RowMatch]], read_at: set[int], start: int, stop: int) -> None:
        """Rows printed as a label and nothing else (text a cell a line, blank cells left out: `行政许可` then the
        next label) are blank, when the table prints numbers and every one of them went to a row: none can be
        theirs, printed apart.  A table that prints no number at all has lost them (an image, a broken text
        layer), and its rows stay unread; so does a table whose cells are separated (pipes, tabs, a web page's or
        a document's cells), where a blank cell is printed as one and a row without cells lies under a cell merged
        over several rows."""
        tokens = self.tokens
        if not bare or stop <= start:
            return
        if (
            separated(self.doc.clean_text, tokens[start].start, tokens[stop - 1].end)
            or not read_at
            or any(t.value is not None and not t.empty and t.start not in read_at for t in tokens[start:stop])
        ):
            return
        for block, row, match in bare:
            at = tokens[match.last].end
            blank = ReadValue(Token("", at, at, True), CellValue(0, "empty"))
            read = RowRead([blank] * len(block.fields), match.last + 1, match.last + 1)
            self._write_row("active", row, block.fields, read, _printed_label(match, row))

    def _header_permutation(self, columns: Sequence[Axis], start: int, stop: int) -> list[int] | None:
        """The format's column of each printed column, when the header [start, stop) prints the columns in another
        order and says plainly which is which: each label once, and (表三) only the columns under their group
        reordered, the group's place among 自然人 and 总计 as the format has it.  None when the order is the
        format's, or the header does not say (then `_columns_out_of_order` tells whether to refuse)."""
        grouped = [i for i, c in enumerate(columns) if c.group is not None]
        level = grouped or list(range(len(columns)))
        vocabulary = {k for c in columns for k in c.keys} | {label_key(c.group) for c in columns if c.group}
        words = self._header_words(start, stop, vocabulary)
        found = [[i for i, key in words if key in columns[k].keys] for k in level]
        if any(len(at) != 1 for at in found):
            return None
        printed = sorted(range(len(level)), key=lambda j: found[j][0])  # printed slot -> index in `level`
        if printed == list(range(len(level))):
            return None
        if grouped and self._columns_out_of_order(columns, start, stop, only_top=True) is not None:
            return None  # 总计 or 自然人 out of place too: the rows' identities no longer hold in printed order
        perm = list(range(len(columns)))
        for slot, j in enumerate(printed):
            perm[level[slot]] = level[j]
        return perm

    def _review_permutations(
        self, grid: Grid, start: int, stop: int, blocks: Sequence[tuple[str, Collection[str]]]
    ) -> list[list[int]] | None:
        """表四's outcome columns as each block's header prints them, when it says plainly which is which: the
        blocks in the format's order, each block's four outcomes once under it in some order, and 总计 last (the
        block totals that settle an ambiguous run are counted in that order).  One header row of outcomes serves
        all three blocks.  None when the order is the format's, or the header does not say."""
        vocabulary = {k for c in grid.columns for k in c.keys} | {k for _, keys in blocks for k in keys}
        words = self._header_words(start, stop, vocabulary)
        if self._printed_out_of_order(words, blocks) is not None:
            return None
        found = [[i for i, key in words if key in c.keys] for c in grid.columns]
        copies = {len(at) for at in found}
        if len(copies) != 1 or copies & {0} or (n := copies.pop()) not in (1, len(grid.rows)):
            return None
        perms = []
        for copy in range(n):
            printed = sorted(range(len(grid.columns)), key=lambda j: found[j][copy])
            if printed[-1] != len(grid.columns) - 1:
                return None  # 总计 not last
            perms.append(printed)
        if all(p == list(range(len(grid.columns))) for p in perms):
            return None
        return perms * len(grid.rows) if n == 1 else perms

    def _by_header(self, table: str, rows: Sequence[Axis], columns: Sequence[Axis], perm: list[int]) -> None:
        """Say that a table's columns were taken in the order its header prints them (an info finding)."""
        printed = "、".join(columns[perm[p]].label for p in range(len(columns)) if perm[p] != p or columns[p].group)
        standard = "、".join(c.label for p, c in enumerate(columns) if perm[p] != p or c.group)
        paths = [f"{table}.{row.key}.{columns[p].key}" for row in rows for p in range(len(columns)) if perm[p] != p]
        self.header_hints.append((printed, standard, paths))

    def _columns_out_of_order(
        self,
        columns: Sequence[Axis],
        start: int,
        stop: int,
        more: Sequence[tuple[str, Collection[str]]] = (),
        only_top: bool = False,
    ) -> str | None:
        """Why values can't go to the format's columns by their order: the header [start, stop) prints the column
        labels in another order (a template with 科研机构 before 商业企业).  In a header of two lines the columns
        under a group (表三's 法人或其他组织) share a line; the others (自然人, 总计) and the group's name span both
        lines and may print on either, so their order counts only where they print on one line.  `more`: other
        labels of the header whose order counts too (表四's blocks); `only_top`: only the order of the columns
        outside the group, and of the group among them."""
        grouped = [c for c in columns if c.group is not None]
        top: list[tuple[str, Collection[str]]] = []
        for c in columns:
            if c.group is None:
                top.append((c.label, c.keys))
            elif not top or top[-1][0] != c.group:
                top.append((c.group, (label_key(c.group),)))
        vocabulary = {key for _, keys in (*top, *more) for key in keys} | {k for c in columns for k in c.keys}
        words = self._header_words(start, stop, vocabulary)
        if not grouped:
            return (
                self._printed_out_of_order(words, [(c.label, c.keys) for c in columns])
                or (self._printed_out_of_order(words, more) if more else None)
                or self._resembled_out_of_order(columns, start, stop)
            )
        beside = self._beside_group_out_of_place(words, columns)
        if only_top:
            return self._printed_out_of_order(words, top, same_line=True) or beside
        return (
            self._printed_out_of_order(words, [(c.label, c.keys) for c in grouped])
            or self._printed_out_of_order(words, top, same_line=True)
            or beside
            or self._resembled_out_of_order(columns, start, stop)
        )

    def _resembled_out_of_order(self, columns: Sequence[Axis], start: int, stop: int) -> str | None:
        """Why the header [start, stop) shows columns out of the format's order when its labels are not all printed
        as the format words them ("现行有效数 | 本年制发件数 | …", "纠正 | 结果维持 | …", "科研单位 | 商业企业"): a
        short header cell that holds two characters in a row only one column's label has stands for that column.
        The columns printed as often as most are checked per copy; outside a group (自然人, 总计) only beside the
        group's columns on their line, as for exact labels.  None when that shows nothing out of order."""
        labels = tuple(c.label for c in columns)
        words: list[tuple[int, str]] = []
        for i in range(start, stop):
            key = self.keys[i]
            if not key or len(key) > _RESEMBLED_CELL or self.tokens[i].value is not None:
                continue
            if (column := _resembled_column(key, labels)) is not None:
                words.append((i, columns[column].keys[0]))
        grouped = [c for c in columns if c.group is not None]
        reason = self._partial_order(words, grouped or columns)
        if reason is None and grouped:
            reason = self._beside_group_out_of_place(words, columns, renamed=True)
        return reason

    def _partial_order(self, words: list[tuple[int, str]], columns: Sequence[Axis]) -> str | None:
        """Why the columns printed as often as the most printed one are not in the format's order in some copy, on
        a line they share (`words` are cells resembling the columns' labels, as in `_resembled_out_of_order`)."""
        found = [[i for i, key in words if key in c.keys] for c in columns]
        n = max(map(len, found), default=0)
        shown = [k for k, at in enumerate(found) if n and len(at) == n]
        if len(shown) < 2:
            return None
        for copy in range(n):
            at = [found[k][copy] for k in shown]
            # Only cells on one line: a label cut over lines ("社会公" / "益组织") prints its pieces apart.
            lines = [self.line_of(i) for i in at]
            if any(lines[a] == lines[b] and at[a] > at[b] for a in range(len(at)) for b in range(a + 1, len(at))):
                printed = "、".join(self.tokens[i].text for i in sorted(at))
                standard = "、".join(columns[k].label for k in shown)
                return _order_reason(printed, standard, renamed=True)
        return None

    def _beside_group_out_of_place(
        self, words: list[tuple[int, str]], columns: Sequence[Axis], renamed: bool = False
    ) -> str | None:
        """Why a column outside the group (自然人, 总计) is printed on the wrong side of the group's columns on their
        own line (a header of one line, or 自然人 and 总计 printed on the sub-columns' line; the group's name may be
        missing or on another line): its values would go to a neighbour's column.  Only labels printed once count."""
        found = [[i for i, key in words if key in c.keys] for c in columns]
        at = {k: positions[0] for k, positions in enumerate(found) if len(positions) == 1}
        grouped = [k for k in at if columns[k].group is not None]
        for k in at:
            if columns[k].group is not None:
                continue
            line = self.line_of(at[k])
            beside = [g for g in grouped if self.line_of(at[g]) == line]
            if any((at[k] < at[g]) != (k < g) for g in beside):
                shown = sorted([k, *beside])
                printed = "、".join(columns[j].label for j in sorted(shown, key=lambda j: at[j]))
                standard = "、".join(columns[j].label for j in shown)
                return _order_reason(printed, standard, renamed)
        return None

    def _header_words(self, start: int, stop: int, vocabulary: Collection[str]) -> list[tuple[int, str]]:
        """The header [start, stop) read as labels of `vocabulary` (comparison keys), each at its first token,
        longest first: a label wrapped over a few tokens ("商业", "企业") is one, and a token inside a longer label
        ("其他" of "法人或", "其他", "组织") is none.  Read once per header: the checks of a table ask with the
        same vocabulary (its columns, their group, its blocks)."""
        memo = (start, stop, frozenset(vocabulary))
        if memo not in self._words:
            self._words[memo] = self._read_header_words(start, stop, vocabulary)
        return self._words[memo]

    def _read_header_words(self, start: int, stop: int, vocabulary: Collection[str]) -> list[tuple[int, str]]:
        words = []
        i = start
        while i < stop:
            best = None
            acc = ""
            for j in range(i, min(stop, i + _HEADER_WRAP)):
                if not self.keys[j]:
                    break
                acc += self.keys[j]
                if acc in vocabulary:
                    best = j, acc
            if best is None:
                i += 1
            else:
                words.append((i, best[1]))
                i = best[0] + 1
        return words

    def _printed_out_of_order(
        self, words: list[tuple[int, str]], names: Sequence[tuple[str, Collection[str]]], same_line: bool = False
    ) -> str | None:
        """Why the header's `words` do not give these labels (each as its keys) in the format's order, or None.  A
        label printed again per block (表四's outcomes, three times) is checked per block; a header with a label
        missing or extra is not judged, nor (`same_line`) labels printed on different lines."""
        found = [[i for i, key in words if key in keys] for _, keys in names]
        counts = {len(at) for at in found}
        if len(counts) != 1 or 0 in counts:
            return None
        printed_at = dict(words)
        for copy in range(counts.pop()):
            at = [positions[copy] for positions in found]
            if same_line and len({self.line_of(i) for i in at}) > 1:
                continue
            if at != sorted(at):
                printed = "、".join(
                    self.tokens[i].text if printed_at[i] == self.keys[i] else printed_at[i] for i in sorted(at)
                )
                standard = "、".join(label for label, _ in names)
                return _order_reason(printed, standard)
        return None

    def _foreign_header(self, block: Block, start: int, stop: int) -> str | None:
        """Why the block's values can't be placed in this format's columns: its printed header names another
        format's columns and none of this format's (a 2021 report that keeps the 2019 template's
        `本年新制作数量 | 本年新公开数量 | 对外公开总数量` for 第二十条第（一）项, or the reverse).  None otherwise, a
        header missing or garbled included: then the format's columns stand."""
        header = "".join(self.keys[start:stop])
        own, others = _distinct_fields(self.fmt.id, label_key(block.article))
        if not header or any(key in header for key in own):
            return None
        for name, labels, keys in others:
            if any(key in header for key in keys):
                return (
                    f"本项的栏目印的是{name}年版格式的“{'、'.join(labels)}”，不是本报告所用{self.fmt.id}年版格式的"
                    f"“{'、'.join(f.label for f in block.fields)}”，无法对应"
                )
        return None

    def _header_spans(self, block: Block, start: int, stop: int) -> tuple[int, ...] | None:
        """How many columns each field's header spans, when a converter printed a spanning header once per column
        (`本年增/减 | 本年增/减`, see tokens.py): the block's header must be its fields in order, after the label
        column's `信息内容`, and nothing else.  None when every field is one column, or the header is not that."""
        header = [i for i in range(start, stop) if not self.tokens[i].empty]
        if header and self.keys[header[0]] == _CONTENT_HEADER:
            header = header[1:]
        if len(header) != len(block.fields) or not all(
            self.keys[i] in field.keys for i, field in zip(header, block.fields, strict=True)
        ):
            return None
        spans = tuple(self.tokens[i].span for i in header)
        return spans if any(span > 1 for span in spans) else None

    def _read_spanned(self, read: RowRead, after: int, stop: int, spans: tuple[int, ...]) -> RowRead:
        """A row whose values a converter printed once per column of a spanning header (`0 | 2 | 2` under
        `上一年项目数量 | 本年增/减 | 本年增/减`): read as one value per field when the run holds exactly the
        header's columns and the copies under each spanning header are the same."""
        wide = self.read_values(after, stop, sum(spans))
        if wide.reason is not None or any(v is None or v.parsed.kind == "empty" for v in wide.reads):
            return read
        reads: list[ReadValue | None] = []
        at = 0
        for span in spans:
            copies = wide.reads[at : at + span]
            if len({v.token.text for v in copies}) != 1:  # type: ignore[union-attr]
                return read
            reads.append(copies[0])
            at += span
        return RowRead(reads, wide.next, wide.first_value)

    def _by_continuity(self, read: RowRead, after: int, stop: int, row: str) -> RowRead:
        """The row read again with last year's 现行有效件数 as its identity: kept only when that places it."""
        again = self.read_values(after, stop, len(read.reads), identity=self.continuity[row])
        if again.reason is not None or not any(again.reads):
            return read
        again.placed = "continuity"  # written as placed = "identity", with last year's count as its evidence
        return again

    def _header_unit(self, start: int, stop: int) -> str | None:
        """The money unit printed in the block's header cells, which may wrap over several tokens."""
        header = "".join(self.keys[start:stop])
        return unit_in_header(header) if "元" in header else None

    def fit_requests(self, grid: Grid, start: int, stop: int) -> None:
        rows = grid.rows
        row_candidates = [self._row_candidates(row) for row in rows]
        others = _other_rows(tuple(map(_frozen, row_candidates)))
        is_header = _header_matcher((*(c.label for c in grid.columns), "申请人情况", "法人或其他组织"))
        ncols = len(grid.columns)
        self.line_rows = self._row_per_line(start, stop, ncols, len(rows))
        reads: dict[int, RowRead] = {}
        printed: dict[int, str | None] = {}
        cursor = start
        after_row: int | None = None  # where the previous row's values ended
        # A label printed out of the rows' order is looked for only before the next label printed in order.
        windows, in_order = self._out_of_order_windows(row_candidates, start, stop)
        detached = bool(windows)  # some label stood apart from a printed row of values
        for index, row in enumerate(rows):
            until = windows.get(index, stop)
            if until == stop and (index, cursor) in in_order:
                match = in_order[(index, cursor)]
            else:
                match = self.find_label(row_candidates[index], cursor, until)
            if match is None and after_row is not None:
                # A label cut to its last words ("其他", "总计") is that row only right where the row follows.
                nearby = self._next_text(after_row, until)
                if nearby is not None:
                    match = self.find_label(_short_candidates(row), nearby, nearby + 1)
            if match is None:
                match = self._cut_label(index, row_candidates, cursor, until, names_row)
            if match is None:
                match = self._cut_label(index, row_candidates, cursor, until, misspells_row)
            if match is None:
                labels = [r.label for r in rows]
                reason = ambiguous_typo(self.keys, self.tokens, index, row_candidates, labels, cursor, until)
                if reason:  # a typo as close to another row's label: neither row takes it
                    reads[index] = RowRead([None] * ncols, cursor, None, reason)
                after_row = None
                continue
            read = self.read_values(match.last + 1, stop, ncols, identity=_row_identity, skip_text=is_header)
            twice = self._printed_twice(
                match,
                read,
                row_candidates[index],
                others[index],
                stop,
                lambda at: self.read_values(at, stop, ncols, identity=_row_identity, skip_text=is_header),
            )
            if twice is not None:
                read = read.unread(twice)
            after_row = read.next if read.reason is None and read.first_value is not None else None
            if (
                read.reason is None
                and read.first_value is not None
                and self._detached(match.last, read.first_value, ncols)
            ):
                # A label floating above a printed row of values only: which row those values belong to is
                # decided by position among the labelled rows, not by this label.
                read = RowRead([None] * ncols, read.next, None)
                detached = True
            reads[index] = read
            printed[index] = _printed_label(match, row)
            cursor = match.last + 1
        by_position = self.line_rows or detached
        left_open = self._fill_by_position(rows, reads, start, stop, ncols) if by_position else set()
        absent = self._single_other_row(rows, reads, stop, ncols, is_header)
        if absent and left_open:
            # The single （六） row is now placed and its two sub-rows are not printed: a run of rows counted
            # with them is counted again without them.
            for index in left_open:
                if index in reads and not any(reads[index].reads):  # the （六） row itself is read now
                    del reads[index]
            self._fill_by_position(rows, reads, start, stop, ncols, absent)
        self._split_other_row(rows, reads, stop, ncols, is_header)
        self._unclaimed_rest(reads, stop, ncols)
        if _misaligned_rows(reads.values()):
            reason = "每一行印出的总计都与六类申请人之和不符：数字很可能不是按规定的栏目顺序印的"
            reads = {i: read.unread(reason) for i, read in reads.items()}
        first_value = next((i for i in range(start, stop) if self.tokens[i].value is not None), stop)
        if (perm := self._header_permutation(grid.columns, start, first_value)) is not None:
            # The six applicants' columns in another order: each row still adds up, and each value is its header's.
            reads = {i: _in_format_order(read, perm) for i, read in reads.items()}
            self._by_header("requests", rows, grid.columns, perm)
        elif (reordered := self._columns_out_of_order(grid.columns, start, first_value)) is not None:
            reads = {i: read.unread(reordered) for i, read in reads.items()}
        for index, row in enumerate(rows):
            if index not in absent:
                self._write_row("requests", row, grid.columns, reads.get(index), printed.get(index))

    def _out_of_order_windows(
        self, candidates: list[dict[str, str]], start: int, stop: int
    ) -> tuple[dict[int, int], dict[tuple[int, int], RowMatch | None]]:
        """Rows whose label a converter printed out of the rows' order (`pdftotext` prints a merged cell's rows
        first and the labels of the rows beside it after them): row → where the search for its label stops.
        Also returned: the labels found reading in order, (row, from) → match, which the fit asks for again.

        Taken in order, one such label hides every row printed before it.  The first positions of the labels
        that are followed by values give the longest run of rows printed in order; when that run holds more
        such labels than reading in order finds, each row outside it is looked for only up to the next row of
        the run, and left to position otherwise.  Empty when the labels come in order (nearly always)."""
        found = 0  # labels followed by values, reading in order
        missed = False
        cursor = start
        in_order: dict[tuple[int, int], RowMatch | None] = {}
        for index, keys in enumerate(candidates):
            match = in_order[(index, cursor)] = self.find_label(keys, cursor, stop)
            if match is not None:
                found += self._values_follow(match.last + 1, stop)
                cursor = match.last + 1
            else:
                missed = True
        if not missed:
            return {}, in_order  # every label in order: none hides another
        firsts = self._first_labels(candidates, start, stop)
        anchored = [(index, span) for index, span in firsts.items() if self._values_follow(span[1] + 1, stop)]
        if len(anchored) <= found:
            return {}, in_order  # no run of labels can hold more than reading in order found
        anchored.sort(key=lambda item: item[0])
        # Longest chain of rows (in row order) whose labels, each followed by its values, follow each other.
        best: list[list[int]] = []
        for k, (_, (first, _last)) in enumerate(anchored):
            before = [best[j] for j in range(k) if anchored[j][1][1] < first]
            best.append([*max(before, key=len, default=[]), k])
        chain = [anchored[k] for k in max(best, key=len, default=[])]
        if len(chain) <= found:
            return {}, in_order
        chained = {index for index, _ in chain}
        windows = {
            index: next((span[0] for i, span in chain if i > index), stop) for index in firsts if index not in chained
        }
        return windows, in_order

    def _first_labels(self, candidates: list[dict[str, str]], start: int, stop: int) -> dict[int, tuple[int, int]]:
        """Each row's first label spelled exactly in [start, stop), in one pass: row → (first token, last token)."""
        owners: dict[str, list[int]] = {}
        for index, spellings in enumerate(candidates):
            for key in spellings:
                owners.setdefault(key, []).append(index)
        longest = max(map(len, owners), default=0)
        keys, tokens = self.keys, self.tokens
        out: dict[int, tuple[int, int]] = {}
        for i in range(start, stop):
            if not keys[i]:
                continue
            acc = ""
            j = i
            taken = 0
            while j >= start and taken < _MAX_LABEL_TOKENS and len(acc) <= longest:
                token = tokens[j]
                if token.numeric:
                    break
                if not token.empty:
                    acc = keys[j] + acc
                    taken += 1
                    for index in owners.get(acc, ()):
                        out.setdefault(index, (j, i))
                j -= 1
        return out

    def _values_follow(self, at: int, stop: int) -> bool:
        while at < stop and self.tokens[at].empty:
            at += 1
        return at < stop and self.tokens[at].value is not None

    def _single_other_row(
        self, rows: Sequence[Axis], reads: dict[int, RowRead], stop: int, ncols: int, is_header: Callable[[str], bool]
    ) -> set[int]:
        """A 2021 report that prints the 2019 single （六）其他处理 row: its values are 3．其他's, and the two
        sub-rows the report does not print are absent (no cells), not zero.  Returns the absent rows."""
        keys = [r.key for r in rows]
        if "other_overdue_correction" not in keys:
            return set()
        sub = [keys.index(k) for k in ("other_overdue_correction", "other_overdue_fee", "other_other")]
        if any(i in reads and any(reads[i].reads) for i in sub):
            return set()
        before = max((reads[i].next for i in range(sub[0]) if i in reads and any(reads[i].reads)), default=None)
        if before is None:
            return set()
        label = label_key("（六）其他处理")
        match = self.find_label({label: "（六）其他处理"}, before, min(stop, before + 12))
        if match is None:
            return set()
        read = self.read_values(match.last + 1, stop, ncols, identity=_row_identity, skip_text=is_header)
        if read.first_value is None or read.reason is not None:
            return set()
        reads[sub[2]] = read
        return set(sub[:2])

    def _unclaimed_rest(self, reads: dict[int, RowRead], stop: int, ncols: int) -> None:
        """Rows that took the first of whole rows of values, the rest being later rows' (`_surplus`): when no row
        took the rest, the labels were printed one above the other before their values, and the first values may
        be another row's.  Such a row stays unread."""
        taken = {r.token.start for read in reads.values() for r in read.reads if r is not None}
        for index, read in list(reads.items()):
            if read.rest_as_rows and read.next < stop and self.tokens[read.next].start not in taken:
                reason = f"本行标签后有多于{ncols}个数，多出的数不属于任何一行，无法确定哪些属于本行"
                reads[index] = read.unread(reason)

    def _split_other_row(
        self, rows: Sequence[Axis], reads: dict[int, RowRead], stop: int, ncols: int, is_header: Callable[[str], bool]
    ) -> None:
        """A 2019-format report whose 表三 prints （六）其他处理 split into the 2021 format's three sub-rows (a
        transition year's template): the 2019 row is their sum, placed by that identity, when all three are read
        whole and each adds up."""
        keys = [r.key for r in rows]
        if "other_overdue_correction" in keys or "other_other" not in keys:
            return
        index = keys.index("other_other")
        if index in reads and any(reads[index].reads):
            return
        before = max((reads[i].next for i in range(index) if i in reads and any(reads[i].reads)), default=None)
        later = FORMATS["2021"].requests
        if before is None or later is None:
            return
        split = [r for r in later.rows if r.key in ("other_overdue_correction", "other_overdue_fee", "other_other")]
        cursor, parts = before, []
        for sub in split:
            match = self.find_label(self._row_candidates(sub), cursor, min(stop, cursor + 40))
            if match is None:
                return
            read = self.read_values(match.last + 1, stop, ncols, identity=_row_identity, skip_text=is_header)
            numbers = [_number(v) if v is not None else None for v in read.reads]
            if read.reason is not None or None in numbers or not _row_identity(numbers):  # type: ignore[arg-type]
                return
            parts.append((read, numbers))
            cursor = read.next
        summed: list[ReadValue | None] = []
        for column in range(ncols):
            first, last = parts[0][0].reads[column].token, parts[-1][0].reads[column].token  # type: ignore[union-attr]
            values = [numbers[column] for _, numbers in parts]
            raw = "＋".join(map(str, values))
            total = sum(values)  # type: ignore[arg-type]
            summed.append(
                ReadValue(
                    Token(raw, first.start, last.end, False, CellValue(total, "number")), CellValue(total, "number")
                )
            )
        note = "报告按2021年版把（六）其他处理分为三项印出，本格为三项之和（2019年版只有（六）一行）"
        reads[index] = RowRead(summed, cursor, parts[0][0].first_value, placed="identity", note=note)

    def _cut_label(
        self, index: int, candidates: list[dict[str, str]], start: int, stop: int, names: Names
    ) -> RowMatch | None:
        """A row label cut by a converter or mistyped (label_match.find_cut_label)."""
        found = find_cut_label(self.keys, self.tokens, index, candidates, start, stop, names)
        return RowMatch(found.first, found.last, found.printed) if found else None

    def _next_text(self, start: int, stop: int) -> int | None:
        for i in range(start, min(stop, start + 8)):
            if self.keys[i]:
                return i
            if not self.tokens[i].empty:
                return None
        return None

    def _row_per_line(self, start: int, stop: int, ncols: int, nrows: int) -> bool:
        """True when most rows of the table are printed one per line (pipe rows, PDF text, Word tables)."""
        if stop <= start:
            return False
        lines = self.token_lines()
        tokens = self.tokens
        counts = Counter(lines[i] for i in range(start, stop) if tokens[i].value is not None)
        return sum(1 for n in counts.values() if n >= ncols) * 2 >= nrows

    def _detached(self, label_last: int, first_value: int, ncols: int) -> bool:
        """The values start a line of their own, below the label, and make a whole printed row there."""
        line = self.line_of(first_value)
        if self.line_of(label_last) == line:
            return False
        j = first_value - 1
        while j > label_last and self.line_of(j) == line:
            if not self.tokens[j].empty and self.tokens[j].value is None:
                return False
            j -= 1
        # ...and make a whole row there (a label above a row wrapped over lines is that row's label).
        k = first_value
        while k < len(self.tokens) and self.line_of(k) == line:
            k += 1
        return sum(1 for t in self.tokens[first_value:k] if t.value is not None) >= ncols

    def _unlabeled_rows(
        self, start: int, stop: int, ncols: int, fragment: Callable[[str], bool] | None = None
    ) -> list[tuple[int, RowRead, list[str]]]:
        """Printed rows made of values only (a converter printed their labels elsewhere), by line: (line start,
        read, fragments). With `fragment`, a line may also hold pieces of a label cut by the converter
        ("| 行政机关不再处理其政府信息公 | 40 | … |"): they are returned, for the caller to check against the row
        the line is given to."""
        out: list[tuple[int, RowRead, list[str]]] = []
        lines, tokens, keys = self.token_lines(), self.tokens, self.keys
        i = start
        while i < stop:
            line = lines[i]
            j = i
            while j < stop and lines[j] == line:
                j += 1
            group = range(i, j)
            pieces = [keys[k] for k in group if not tokens[k].empty and tokens[k].value is None]
            if not pieces or (fragment is not None and all(fragment(p) for p in pieces)):
                values = [
                    (k, ReadValue(tokens[k], tokens[k].value))
                    for k in group
                    if not tokens[k].empty and tokens[k].value is not None
                ]
                empties = [k for k in group if tokens[k].empty]
                if pieces and len(values) != ncols:
                    pass  # a cut label with a partial row: not taken
                elif len(values) == ncols:
                    first = values[0][0] if pieces else i
                    out.append((i, RowRead([v for _, v in values], j, first, placed="position"), pieces))
                elif values and len(values) < ncols and len(empties) == ncols - len(values):
                    read = self._place_blanks(values, empties, ncols, _row_identity, j)
                    if read.reason is None:
                        read.placed = "position"
                        out.append((i, read, pieces))
            i = j
        return out

    def _fill_by_position(
        self,
        rows: Sequence[Axis],
        reads: dict[int, RowRead],
        start: int,
        stop: int,
        ncols: int,
        absent: set[int] = frozenset(),  # type: ignore[assignment]
    ) -> set[int]:
        """Rows without a usable label take the unlabeled printed rows between their labelled neighbours, in
        order, when there are exactly as many of those as rows; otherwise they stay unread with a reason.
        `absent`: rows the report does not print at all. Returns the rows left unread here."""
        left_open: set[int] = set()
        anchors = sorted(
            (index, read) for index, read in reads.items() if read.reason is None and read.first_value is not None
        )
        # A row whose values follow its label but could not be placed keeps them: no line of them is another row's,
        # nor does a free line become its own (its label stands; the row stays unread with its reason).
        held = {index for index, read in reads.items() if read.reason is not None and read.first_value is not None}
        taken = [(read.first_value, read.next) for read in reads.values() if read.first_value is not None]
        labels = {label_key(r.label) for r in rows}

        def fragment(key: str) -> bool:  # a piece of some row's label, not a whole one
            return len(key) >= 2 and key not in labels and any(key in label for label in labels)

        free = [
            (line_start, read, pieces)
            for line_start, read, pieces in self._unlabeled_rows(start, stop, ncols, fragment)
            if not any(a <= (read.first_value if pieces else line_start) < b for a, b in taken)
        ]
        bounds = [(-1, start)] + [(index, read.next) for index, read in anchors] + [(len(rows), stop)]
        begins = [start] + [read.first_value for _, read in anchors] + [stop]
        for k in range(len(bounds) - 1):
            (a, after), (b, _) = bounds[k], bounds[k + 1]
            before = begins[k + 1]
            gap = [index for index in range(a + 1, b) if index not in absent and index not in held]
            lines = [(read, pieces) for line_start, read, pieces in free if after <= line_start < before]
            if gap and not lines:
                lines = [(read, []) for read in self._value_run_rows(after, before, ncols, len(gap))]
            if (
                gap
                and not lines
                and not any(index in reads for index in gap)
                and any(self.tokens[k].numeric for k in range(after, before))
            ):
                reason = (
                    f"{rows[gap[0]].short}至{rows[gap[-1]].short}共{len(gap)}行的行名不在原位，其间的数无法对应到行"
                )
                for index in gap:
                    reads[index] = RowRead([None] * ncols, stop, None, reason)
                    left_open.add(index)
                continue
            if not gap or not lines:
                continue
            # A line holding pieces of a cut label goes only to the row whose label holds them all.
            if len(lines) == len(gap) and all(
                all(piece in label_key(rows[index].label) for piece in pieces)
                for index, (_, pieces) in zip(gap, lines, strict=True)
            ):
                for index, (read, _) in zip(gap, lines, strict=True):
                    reads[index] = read
                continue
            reason = (
                f"{rows[gap[0]].short}至{rows[gap[-1]].short}共{len(gap)}行，而其间有{len(lines)}行无标签的数，无法对应"
            )
            for index in gap:
                reads[index] = RowRead([None] * ncols, stop, None, reason)
                left_open.add(index)
        return left_open

    def _value_run_rows(self, start: int, stop: int, ncols: int, nrows: int) -> list[RowRead]:
        """Rows printed as one run of values with no line structure (`pdftotext` prints a cell a line): the run
        is `nrows` rows only when it holds exactly that many rows' values and each of them adds up."""
        tokens = self.tokens
        printed = [k for k in range(start, stop) if not tokens[k].empty]
        # Floated labels of other rows may stand before the run; after it comes the next row's label.
        printed = list(itertools.dropwhile(lambda k: tokens[k].value is None, printed))
        values = list(itertools.takewhile(lambda k: tokens[k].value is not None, printed))
        if len(values) != nrows * ncols or any(tokens[k].value is not None for k in printed[len(values) :]):
            return []  # not one run of whole rows
        rows = [values[i : i + ncols] for i in range(0, len(values), ncols)]
        reads = []
        for row in rows:
            read = [ReadValue(tokens[k], tokens[k].value) for k in row]  # type: ignore[arg-type]
            numbers = [_number(v) for v in read]
            if None in numbers or not _row_identity(numbers):  # type: ignore[arg-type]
                return []
            reads.append(RowRead(read, row[-1] + 1, row[0], placed="position"))
        return reads

    @staticmethod
    @functools.cache
    def _row_candidates(row: Axis) -> dict[str, str]:
        """Every spelling of a row label: with its group's label before it, and without the ordinals some
        reports leave out ("本年新收…", "予以公开"); an ordinal-less label must stay long enough to name one row."""
        keys = list(row.keys)
        keys += [bare for bare in (_strip_ordinal(k) for k in row.keys) if len(bare) >= 4 and bare not in keys]
        prefixes = [""]
        if row.group:
            group = label_key(row.group)
            prefixes += [group, label_key("三、本年度办理结果") + group, _strip_ordinal(group)]
        return {prefix + key: row.label for key in keys for prefix in prefixes}

    def fit_review(self, grid: Grid, start: int, stop: int) -> None:
        exact_header = _header_matcher(tuple(grid.header_labels))
        header_keys = [label_key(x) for x in grid.header_labels]

        def is_header(key: str) -> bool:  # a header cell, or one mistyped by a character ("结果维待")
            return exact_header(key) or any(near(key, h) for h in header_keys)

        ncols = len(grid.columns)
        count = ncols * len(grid.rows)

        def identity(numbers: list[int]) -> bool:
            blocks = [numbers[i : i + ncols] for i in range(0, count, ncols)]
            return all(sum(b[:-1]) == b[-1] for b in blocks)

        # Values start at the table's first header cell (or value): a note such as 单位：件
        # may stand between the heading and the table.
        begin = next(
            (i for i in range(start, stop) if self.tokens[i].value is not None or is_header(self.keys[i])), start
        )
        first_value = next((i for i in range(start, stop) if self.tokens[i].value is not None), stop)
        self.header_hints += review_header_hints(self.keys, self.tokens, grid, _REVIEW_BLOCK_NAMES, start, first_value)
        blocks = [(row.label, (*row.keys, *map(label_key, _REVIEW_BLOCK_NAMES.get(row.key, ())))) for row in grid.rows]
        perms = self._review_permutations(grid, start, first_value, blocks)
        reordered = self._review_top_out_of_order(start, first_value)
        if reordered is None and not perms:
            reordered = self._columns_out_of_order(grid.columns, start, first_value, blocks)
        if reordered is not None:
            for row in grid.rows:
                self._write_row("review_litigation", row, grid.columns, RowRead([None] * ncols, 0, None, reordered))
            return
        if perms:
            self._by_header("review_litigation", grid.rows, grid.columns, perms[0])
        labelled = self._review_blocks(grid, start, stop, is_header)
        if labelled is not None:
            for k, (row, part) in enumerate(zip(grid.rows, labelled, strict=True)):
                part = _in_format_order(part, perms[k]) if perms else part
                self._write_row("review_litigation", row, grid.columns, part)
            return

        # A note under the header ("注：行政复议、行政诉讼数量含上年度结转数量。", "单位：件") is not a cell.
        def header_or_note(key: str) -> bool:
            return is_header(key) or key.startswith(_TABLE_NOTES)

        read = self.read_values(begin, stop, count, identity=identity, skip_text=header_or_note)
        if perms and read.reason is None:  # each block's outcomes in the order its header prints them
            reads: list[ReadValue | None] = []
            for k, perm in enumerate(perms):
                reads += _in_format_order(RowRead(read.reads[k * ncols : (k + 1) * ncols], 0, None), perm).reads
            read = dataclasses.replace(read, reads=reads)
        if read.reason is None and _misaligned_blocks(read.reads, ncols):
            reason = "按位置读出的三块数字中，有数的各块总计都与各项之和不符：数字很可能不是按规定的栏目顺序印的"
            read = read.unread(reason)
        for k, row in enumerate(grid.rows):
            part = RowRead(
                read.reads[k * ncols : (k + 1) * ncols], read.next, read.first_value, read.reason, read.placed
            )
            if part.placed == "label":
                part.placed = "position"  # the table has no row labels: cells are placed by their order
            self._write_row("review_litigation", row, grid.columns, part)

    def _review_top_out_of_order(self, start: int, stop: int) -> str | None:
        """Why 表四's header [start, stop) does not give its blocks in the format's order: 行政诉讼 printed before
        行政复议 on the top line (its two blocks' names, and the outcomes under them, then come in the format's order
        relative to each other, so the block names alone do not tell)."""
        names = [("行政复议", (label_key("行政复议"),)), ("行政诉讼", (label_key("行政诉讼"),))]
        words = self._header_words(start, stop, frozenset(k for _, keys in names for k in keys))
        return self._printed_out_of_order(words, names)

    def _review_blocks(
        self, grid: Grid, start: int, stop: int, is_header: Callable[[str], bool]
    ) -> list[RowRead] | None:
        """表四 split into three 5-column tables, each under its own heading (行政复议 / 未经复议直接起诉 /
        复议后起诉): each block read after its heading, or None when the table is not printed that way."""
        ncols = len(grid.columns)
        cursor = start
        reads = []
        for row in grid.rows:
            keys = {key: row.label for key in row.keys}
            keys |= {label_key(short): row.label for short in _REVIEW_BLOCK_NAMES.get(row.key, ())}
            match = self.find_label(keys, cursor, stop)
            if match is None:
                return None
            read = self.read_values(match.last + 1, stop, ncols, identity=_row_identity, skip_text=is_header)
            if read.reason is not None or read.first_value is None:
                return None
            reads.append(read)
            cursor = read.next
        return reads

    def fit(self) -> dict[str, Cell]:
        if not self.fmt.has_tables:
            return {}
        if looks_glued(self.doc.folded):
            return self.fit_glued()
        regions = self.regions()
        self.fit_active(*regions["active"])
        assert self.fmt.requests and self.fmt.review_litigation
        self.fit_requests(self.fmt.requests, *regions["requests"])
        self.fit_review(self.fmt.review_litigation, *regions["review_litigation"])
        return self.cells

    # -- glued cells ----------------------------------------------------------
    def fit_glued(self) -> dict[str, Cell]:
        """A table whose cells were glued by a crawler: read by glued.py, each row's run split under the
        identities."""
        # Read up to a second report, as the tables are (the text is cut there: offsets stay those of the page).
        folded = self.doc.folded[: self.next_report.start] if self.next_report else self.doc.folded
        glued = GluedFitter(folded, self.fmt, self.doc.clean_text[: len(folded)])  # the text shows marks the fold hid
        active = glued.active(self.continuity)
        for block in self.fmt.active:
            for row in block.rows:
                self._glued_row("active", row, block.fields, active[row.key])
                if active[row.key].options:
                    self.open_rows.append(self._open_row(row, block.fields, active[row.key].options or []))
        assert self.fmt.requests and self.fmt.review_litigation
        requests = glued.requests(self.fmt.requests)
        for row in self.fmt.requests.rows:
            self._glued_row("requests", row, self.fmt.requests.columns, requests[row.key])
        grid = self.fmt.review_litigation
        review = glued.review(grid)
        ncols = len(grid.columns)
        for k, row in enumerate(grid.rows):
            if isinstance(review, GluedRow) and review.values is not None:
                part = GluedRow(review.values[k * ncols : (k + 1) * ncols], review.placed, review.reason)
            else:
                part = GluedRow(None, reason=review if isinstance(review, str) else None)
            self._glued_row("review_litigation", row, grid.columns, part)
        return self.cells

    def _open_row(self, row: Axis, fields: Sequence[Axis], options: list[list[GluedValue]]) -> OpenRow:
        def piece(v: GluedValue) -> Piece:
            start, end = self.doc.source_span(v.start, v.end)
            return Piece(v.text, v.value, start, end, self.doc.locate(v.start))

        first, last = options[0][0], options[0][-1]
        return OpenRow(
            row.key,
            row.label,
            tuple(f.key for f in fields),
            "".join(v.text for v in options[0]),
            [[piece(v) for v in cut] for cut in options],
            self.doc.source_span(first.start, last.end),
        )

    def _glued_row(self, table: str, row: Axis, columns: Sequence[Axis], read: GluedRow) -> None:
        label = row.full_label if table == "requests" else row.label
        for i, column in enumerate(columns):
            path = f"{table}.{row.key}.{column.key}"
            cell_label = f"{label} / {column.label}"
            glued = read.values[i] if read.values is not None else None
            if glued is None:
                self.cells[path] = Cell(path, cell_label, None, "missing", unread_reason=read.reason)
                continue
            self._spanned(table, glued.start, glued.end)
            start, end = self.doc.source_span(glued.start, glued.end)
            money = column.kind == "money"
            self.cells[path] = Cell(
                path=path,
                label=cell_label,
                value=glued.value,
                kind="money" if money else "number",
                raw=glued.text,
                start=start,
                end=end,
                unit="万元" if money else None,
                location=self.doc.locate(glued.start),
                placed=read.placed,
                identity=self.previous.describe(row.key) if read.by_continuity and self.previous else None,
            )


# OCR misreads a rare character now and then (chi_sim reads 逾 of 逾期 as 这 or 请): a long label that differs
# from a standard one in a single character is still that row. Only for text read by OCR, and only long labels,
# where one character cannot turn one row into another.
_MIN_FUZZY_LABEL = 12


def _one_misread(acc: str, candidates: dict[str, str]) -> bool:
    if len(acc) < _MIN_FUZZY_LABEL:
        return False
    return any(len(c) == len(acc) and sum(a != b for a, b in zip(acc, c, strict=True)) == 1 for c in candidates)


@functools.cache
def _short_candidates(row: Axis) -> dict[str, str]:
    """A row's label without its ordinal, however short."""
    return {_strip_ordinal(key): row.label for key in row.keys if _strip_ordinal(key)}


def _misaligned_blocks(reads: Sequence[ReadValue | None], ncols: int) -> bool:
    """表四 read by position, where every block that prints a total (two at least) fails it: the values are not in
    the header's order (a table printed transposed), not slips of the pen.  A total left blank or 0 under figures
    says nothing (reports often leave the 总计 column empty)."""
    numbers = [_number(r) if r is not None else None for r in reads]
    if None in numbers:
        return False
    blocks = [numbers[i : i + ncols] for i in range(0, len(numbers), ncols)]
    totalled = [b for b in blocks if b[-1]]
    return len(totalled) >= 2 and not any(_row_identity(b) for b in totalled)  # type: ignore[arg-type]


_MISALIGNED_ROWS = 3


def _misaligned_rows(reads: Collection[RowRead]) -> bool:
    """表三, where every row that prints a total (three at least) fails it: the columns are not in the header's
    order (总计 printed first), not slips of the pen.  A total left blank or 0 under figures says nothing."""
    totalled = 0
    for read in reads:
        numbers = [_number(r) if r is not None else None for r in read.reads]
        if None not in numbers and numbers[-1]:
            if _row_identity(numbers):  # type: ignore[arg-type]
                return False  # one row that adds up is enough (nearly always the first)
            totalled += 1
    return totalled >= _MISALIGNED_ROWS


def _order_reason(printed: str, standard: str, renamed: bool = False) -> str:
    """The finding for a header whose columns are printed in another order than the format's (`renamed`: some of
    them recognised only by resemblance, not as the format words them)."""
    note = "（有的栏目名称与规定格式不完全一致）" if renamed else ""
    return f"表头栏目的顺序印为“{printed}”，与规定格式的“{standard}”不同{note}，无法按格式的栏目对应"


_RESEMBLED_CELL = 12  # a header cell, not a line of prose before the table


@functools.cache
def _distinct_bigrams(labels: tuple[str, ...]) -> list[frozenset[str]]:
    """Per column label, the pairs of characters in a row that no other column's label of the table holds."""
    keys = [label_key(label) for label in labels]
    pairs = [{key[i : i + 2] for i in range(len(key) - 1)} for key in keys]
    return [
        frozenset(p for p in own if not any(p in other for j, other in enumerate(keys) if j != k))
        for k, own in enumerate(pairs)
    ]


@functools.lru_cache(maxsize=8192)
def _resembled_column(key: str, labels: tuple[str, ...]) -> int | None:
    """The one column whose label's distinct character pairs a short header cell holds, if one (cached: every
    report prints the same few header cells)."""
    hits = {k for k, own in enumerate(_distinct_bigrams(labels)) if any(g in key for g in own)}
    return hits.pop() if len(hits) == 1 else None


def _frozen(spellings: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(spellings.items())


@functools.cache
def _other_rows(tables: tuple[tuple[tuple[str, str], ...], ...]) -> list[dict[str, str]]:
    """For each row (its spellings), every other row's spellings: where another row's label stands.  The same for
    every report of a format, so built once."""
    return [
        {key: label for j, spellings in enumerate(tables) if j != i for key, label in spellings if key not in dict(own)}
        for i, own in enumerate(tables)
    ]


def _in_format_order(read: RowRead, perm: list[int]) -> RowRead:
    """A row read in printed column order, its values put in the format's (`perm`: the format's column of each
    printed one)."""
    reads: list[ReadValue | None] = [None] * len(perm)
    for printed, value in zip(perm, read.reads, strict=True):
        reads[printed] = value
    return dataclasses.replace(read, reads=reads)


def _row_identity(numbers: list[int]) -> bool:
    """表三: the 总计 column is the sum of the six applicant columns."""
    return sum(numbers[:-1]) == numbers[-1]


def _printed_label(match: RowMatch, row: Axis) -> str | None:
    """The row's label as printed, unless it is the standard one."""
    return match.printed if label_key(match.printed) not in row.keys[:1] else None


@functools.cache
def _header_matcher(labels: tuple[str, ...]) -> Callable[[str], bool]:
    """True for a token made only of header words, whole or split ("结果" / "维持")."""
    keys = sorted({label_key(x) for x in labels}, key=len, reverse=True)
    whole = re.compile("(?:" + "|".join(map(re.escape, keys)) + ")+")
    vocabulary = "".join(keys)
    # Converters cut header cells into pieces and glue the pieces of neighbouring cells ("结果结果其他尚未"):
    # a short token made only of header characters is still header.
    characters = frozenset(vocabulary)
    return lambda key: (
        key in vocabulary or whole.fullmatch(key) is not None or (len(key) <= 40 and characters.issuperset(key))
    )


class Extraction(NamedTuple):
    cells: dict[str, Cell]
    headings: dict[str, int]  # token index of each section heading found
    table_spans: list[tuple[int, int]]  # each table's rendered span from its first read cell to its last
    header_hints: list[
        tuple[str, str, list[str]]
    ]  # column headers printed off the standard: (printed, standard, cells)
    open_rows: list[OpenRow]  # glued 表二 rows that split several ways: the prose may place them
    heading_hints: list[tuple[str, str, str]]  # headings one character off: (section, printed, name it is near)


def extract_cells(
    doc: Document,
    fmt: Format,
    previous: PreviousYear | None = None,
    following: NextReport | EllipsisType | None = ...,
) -> Extraction:
    """The table cells and where the tables are; `previous` (last year's 现行有效件数) places 表二（一） rows the
    text leaves open."""
    fitter = Fitter(doc, fmt, previous, following)
    cells = fitter.fit()
    return Extraction(
        cells,
        fitter.headings,
        sorted(fitter.value_spans.values()),
        fitter.header_hints,
        fitter.open_rows,
        fitter.heading_hints,
    )
