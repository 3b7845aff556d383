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

import functools
import itertools
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from gongkai.document import Document
from gongkai.report import Cell
from gongkai.spec import SECTIONS, Axis, Format, Grid, Section
from gongkai.textnorm import label_key, strip_noise
from gongkai.tokens import Token
from gongkai.values import CellValue, to_wan_yuan, unit_in_header

_MAX_LABEL_TOKENS = 5
# What the first cells of each table look like, to tell a table's heading from a mention of it.
_TABLE_MARKERS = {
    "active": tuple(label_key(x) for x in ("第二十条", "信息内容")),
    "requests": tuple(label_key(x) for x in ("本列数据的勾稽关系", "申请人情况", "自然人", "一、本年新收")),
    "review_litigation": tuple(label_key(x) for x in ("行政复议", "结果维持")),
}
_HEADING_WINDOW = 40
_MAX_PLACEMENTS = 5000


@dataclass(slots=True)
class RowMatch:
    first: int  # index of the first label token
    last: int  # index of the last label token
    printed: str  # the label as printed


@dataclass(slots=True)
class ReadValue:
    token: Token
    parsed: CellValue
    inferred: str | None = None


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


class Fitter:
    def __init__(self, doc: Document, fmt: Format) -> None:
        self.doc = doc
        self.fmt = fmt
        self.tokens = doc.tokens
        # Keys come from the folded text, computed once for the whole document.
        self.keys = ["" if t.empty or t.numeric else strip_noise(doc.folded[t.start : t.end]) for t in self.tokens]
        self.cells: dict[str, Cell] = {}
        self.headings: dict[str, int] = self._find_headings()

    # -- regions ------------------------------------------------------------
    def _find_headings(self) -> dict[str, int]:
        """Each section's heading, in order; a table's heading must be followed by its table.

        Reports may repeat the headings in a table of contents or in an intro
        sentence; the heading that counts is the one the table actually follows.
        """
        occurrences: dict[str, list[int]] = {s.key: [] for s in SECTIONS}
        sections_by_key = _sections_by_key()
        for i, key in enumerate(self.keys):
            if key and len(key) <= 40:
                for section_key in sections_by_key.get(key, ()):
                    occurrences[section_key].append(i)
        all_keys = sections_by_key.keys()
        found: dict[str, int] = {}
        after = -1
        for section in SECTIONS:
            candidates = [i for i in occurrences[section.key] if i > after]
            if not candidates:
                continue
            followed = [i for i in candidates if self._table_follows(section.table, i, all_keys)]
            found[section.key] = after = (followed or candidates)[0]
        return found

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
        n = len(self.tokens)
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
                taken += 1
                if (
                    acc in candidates
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
        """A long label wrapped after its values ("…不再处理其政府信息 0 0 … / 公开申请")."""
        return len(acc) >= 8 and any(len(acc) >= 0.3 * len(c) and c.startswith(acc) for c in candidates)

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
        identity: Callable[[list[int | None]], bool] | None = None,
        skip_text: Callable[[str], bool] | None = None,
    ) -> tuple[list[ReadValue | None], int]:
        """Read `count` values after a label; returns (values or None per column, next index)."""
        values: list[tuple[int, ReadValue]] = []
        empties: list[int] = []
        tokens = self.tokens
        i = after
        while i < stop and len(values) < count:
            token = tokens[i]
            if token.empty:
                empties.append(i)
            elif token.value is not None:  # a number, or a placeholder such as "—"
                values.append((i, ReadValue(token, token.value)))
            elif not (skip_text and not values and skip_text(self.keys[i])):
                break
            i += 1
        if len(values) == count or not empties:
            padded: list[ReadValue | None] = [v for _, v in values]
            padded += [None] * (count - len(padded))
            return padded, i
        # Fewer values than columns: complete with empty cells of this stretch.
        return self._place_blanks(values, empties, count, identity), i

    def _place_blanks(
        self,
        values: list[tuple[int, ReadValue]],
        empties: list[int],
        count: int,
        identity: Callable[[list[int | None]], bool] | None,
    ) -> list[ReadValue | None]:
        deficit = count - len(values)
        deficit_fill = min(deficit, len(empties))
        first_value = values[0][0] if values else None
        last_value = values[-1][0] if values else None

        def interior(index: int) -> bool:
            return first_value is not None and first_value < index < last_value

        best: tuple[tuple[int, int, int], list[tuple[int, ReadValue]]] | None = None
        combos = itertools.combinations(empties, deficit_fill)
        for n, combo in enumerate(combos):
            if n >= _MAX_PLACEMENTS:
                break
            blanks = [(i, ReadValue(self.tokens[i], CellValue(0, "empty"))) for i in combo]
            merged = sorted(values + blanks, key=lambda pair: pair[0])
            numbers = [int(v.parsed.value) for _, v in merged] + [None] * (count - len(merged))
            ok = identity(numbers) if identity and deficit_fill == deficit else False
            score = (1 if ok else 0, sum(1 for i in combo if interior(i)), -n)
            if best is None or score > best[0]:
                best = (score, merged)
        assert best is not None
        ambiguous = len(empties) > deficit_fill
        out: list[ReadValue | None] = []
        for _, v in best[1]:
            if v.parsed.kind == "empty" and ambiguous:
                v.inferred = "identity" if best[0][0] else "position"
            out.append(v)
        return out + [None] * (count - len(out))

    # -- cells --------------------------------------------------------------
    def _cell(
        self,
        path: str,
        label: str,
        read: ReadValue | None,
        printed: str | None,
        kind: str,
        default_unit: str = "万元",
    ) -> None:
        """One cell; `printed` is its row's label as printed when that differs from the standard."""
        if read is None:
            self.cells[path] = Cell(path, label, None, "missing")
            return
        parsed = read.parsed
        token = read.token
        start, end = self.doc.source_span(token.start, token.end)
        value = parsed.value
        unit = None
        cell_kind = parsed.kind
        if kind == "money" and parsed.kind in ("number", "money"):
            value = to_wan_yuan(parsed, default_unit)
            unit = parsed.unit or default_unit
            cell_kind = "money"
        elif kind == "delta" and parsed.kind in ("number", "delta"):
            cell_kind = "delta"
        self.cells[path] = Cell(
            path=path,
            label=label,
            value=value,
            kind=cell_kind,
            raw=token.text,
            start=start,
            end=end,
            unit=unit,
            location=self.doc.locate(token.start),
            matched_label=printed,
            inferred=read.inferred,
        )

    def _missing_row(self, table: str, row: Axis, columns: Sequence[Axis], label: str) -> None:
        for column in columns:
            path = f"{table}.{row.key}.{column.key}"
            self.cells[path] = Cell(path, f"{label} / {column.label}", None, "missing")

    # -- tables -------------------------------------------------------------
    def fit_active(self, start: int, stop: int) -> None:
        cursor = start
        for block in self.fmt.active:
            article = self.find_label({label_key(block.article): block.article}, cursor, stop)
            block_start = article.last + 1 if article else cursor
            for row in block.rows:
                candidates = {k: row.label for k in row.keys}
                match = self.find_label(candidates, block_start, stop)
                if match is None:
                    self._missing_row("active", row, block.fields, row.label)
                    continue
                unit = self._header_unit(block_start, match.first) or "万元"
                reads, nxt = self.read_values(match.last + 1, stop, len(block.fields))
                printed = _printed_label(match, row)
                for field, read in zip(block.fields, reads, strict=True):
                    self._cell(
                        f"active.{row.key}.{field.key}",
                        f"{row.label} / {field.label}",
                        read,
                        printed,
                        field.kind,
                        unit,
                    )
                block_start = match.last + 1
                cursor = max(cursor, nxt)

    def _header_unit(self, start: int, stop: int) -> str | None:
        """The money unit printed in the block's header cells, which may wrap over several tokens."""
        header = "".join(self.keys[start:stop])
        return unit_in_header(header) if "元" in header else None

    def fit_requests(self, grid: Grid, start: int, stop: int) -> None:
        rows = grid.rows
        row_candidates = [self._row_candidates(row) for row in rows]
        is_header = _header_matcher([c.label for c in grid.columns] + ["申请人情况", "法人或其他组织"])
        ncols = len(grid.columns)

        def identity(numbers: list[int | None]) -> bool:
            return None not in numbers and sum(numbers[:-1]) == numbers[-1]  # type: ignore[arg-type]

        cursor = start
        for index, row in enumerate(rows):
            match = self.find_label(row_candidates[index], cursor, stop)
            if match is None:
                self._missing_row("requests", row, grid.columns, row.full_label)
                continue
            reads, _ = self.read_values(match.last + 1, stop, ncols, identity=identity, skip_text=is_header)
            printed = _printed_label(match, row)
            full_label = row.full_label
            for column, read in zip(grid.columns, reads, strict=True):
                self._cell(f"requests.{row.key}.{column.key}", f"{full_label} / {column.label}", read, printed, "count")
            cursor = match.last + 1

    @staticmethod
    def _row_candidates(row: Axis) -> dict[str, str]:
        out = {}
        prefixes = [""]
        if row.group:
            prefixes += [label_key(row.group), label_key("三、本年度办理结果") + label_key(row.group)]
        for key in row.keys:
            for prefix in prefixes:
                out[prefix + key] = row.label
        return out

    def fit_review(self, grid: Grid, start: int, stop: int) -> None:
        is_header = _header_matcher(list(grid.header_labels))
        ncols = len(grid.columns)
        count = ncols * len(grid.rows)

        def identity(numbers: list[int | None]) -> bool:
            if None in numbers:
                return False
            blocks = [numbers[i : i + ncols] for i in range(0, count, ncols)]
            return all(sum(b[:-1]) == b[-1] for b in blocks)  # type: ignore[arg-type]

        # Values start at the table's first header cell (or value): a note such as 单位：件
        # may stand between the heading and the table.
        begin = next(
            (i for i in range(start, stop) if self.tokens[i].value is not None or is_header(self.keys[i])), start
        )
        reads, _ = self.read_values(
            begin,
            stop,
            count,
            identity=identity,
            skip_text=is_header,
        )
        flat = iter(reads)
        for row in grid.rows:
            for column in grid.columns:
                self._cell(
                    f"review_litigation.{row.key}.{column.key}",
                    f"{row.label} / {column.label}",
                    next(flat),
                    None,
                    "count",
                )

    def fit(self) -> dict[str, Cell]:
        if not self.fmt.has_tables:
            return {}
        regions = self.regions()
        self.fit_active(*regions["active"])
        assert self.fmt.requests and self.fmt.review_litigation
        self.fit_requests(self.fmt.requests, *regions["requests"])
        self.fit_review(self.fmt.review_litigation, *regions["review_litigation"])
        return self.cells


# OCR misreads a rare character now and then (chi_sim reads 逾 of 逾期 as 这 or 请): a long label that differs
# from a standard one in a single character is still that row. Only for text read by OCR, and only long labels,
# where one character cannot turn one row into another.
_MIN_FUZZY_LABEL = 12


def _one_misread(acc: str, candidates: dict[str, str]) -> bool:
    if len(acc) < _MIN_FUZZY_LABEL:
        return False
    return any(len(c) == len(acc) and sum(a != b for a, b in zip(acc, c, strict=True)) == 1 for c in candidates)


def _printed_label(match: RowMatch, row: Axis) -> str | None:
    """The row's label as printed, unless it is the standard one."""
    return match.printed if label_key(match.printed) not in row.keys[:1] else None


def _header_matcher(labels: list[str]) -> Callable[[str], bool]:
    """True for a token made only of header words, whole or split ("结果" / "维持")."""
    keys = sorted({label_key(x) for x in labels}, key=len, reverse=True)
    whole = re.compile("(?:" + "|".join(map(re.escape, keys)) + ")+")
    vocabulary = "".join(keys)
    return lambda key: key in vocabulary or whole.fullmatch(key) is not None


def extract_cells(doc: Document, fmt: Format) -> tuple[dict[str, Cell], dict[str, int]]:
    """Return the table cells and the token index of each section heading found."""
    fitter = Fitter(doc, fmt)
    return fitter.fit(), fitter.headings
