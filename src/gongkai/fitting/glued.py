"""Tables whose cells were glued together when a crawler took the page's text ("规章000行政规范性文件898989").

Nothing separates one cell from the next, so the tokenizer sees one long piece of text.  Here the text is read
as the table itself prints it: each row label, in the format's order, followed by one run of digits holding all
of the row's values.  A run is split into the row's columns in every way that could have been printed (no
leading zeros).  A run that splits one way only is the row as printed (表三: when its total is the sum of the
others).  Otherwise a split is kept only when it is the one the table's identities allow: total = sum of the six
applicant columns per row, confirmed by 一＋二＝三（七）＋四 and （七）= sum of outcomes per column (a row's own
total may add up in another split by chance when the report's figures do not), and each review/litigation
block's total.  A row whose split is not established stays unread with its reason.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from gongkai.reading.textnorm import label_key
from gongkai.reading.values import CellValue, has_number_mark, to_wan_yuan
from gongkai.spec import Axis, Format, Grid

_NOISE = re.compile(r"[\s\u200b\u3000\xa0“”\"'‘’「」『』:：、,，.．。;；]")
_MAX_SPLITS = 20_000
_MAX_JOINT = 200_000
_MAX_PART_DIGITS = 9
# Stands in the compact text for a note mark or an ordinal the fold may have made a digit (①, ¹, ⑴, ⒈): no digit.
_MARK = "※"


@dataclass(slots=True)
class GluedRun:
    """The digits printed after one row label: its text and where it is in the rendered text."""

    digits: str
    starts: list[int]  # rendered offset of each character of `digits`
    signed: bool = False  # holds a sign: its numbers cannot be told apart
    unit: str | None = None  # a money unit printed right after the run ("…432.52元")
    # The run with its last digits, left out of `digits` as the next label's ordinal printed without its point
    # ("…2464无正当理由…": the 4 of "4．无正当理由…" or the run's own): the row is split both ways.
    with_ordinal: GluedRun | None = None
    # Where the text prints a space between two digits of the run (index of the digit after it): a number ends there.
    gaps: frozenset[int] = frozenset()
    marked: bool = False  # a note mark or a superscript between its digits ("49①0000049"): no number is certain


@dataclass(slots=True)
class GluedValue:
    text: str
    value: int | Decimal
    start: int
    end: int


@dataclass(slots=True)
class GluedRow:
    values: list[GluedValue | None] | None  # None for a cell the text does not determine
    placed: str = "label"
    reason: str | None = None
    by_continuity: bool = False  # placed by last year's 现行有效件数 (not by the splits agreeing)
    # 表二 only: every split the run admits, when there are several (prose_placement.py may single one out).
    options: list[list[GluedValue]] | None = None


class Compact:
    """The folded text without spaces and punctuation, with each character's rendered offset; decimal points
    between two digits are kept.  `text`, the rendered text the fold was made of, shows the note marks and
    superscripts the fold turned into digits ("49①" folds to 491): they are no digits of a run, though labels are
    still found with them as their ordinals ("①属于国家秘密", "⒈属于国家秘密")."""

    def __init__(self, folded: str, text: str | None = None) -> None:
        chars: list[str] = []
        keyed: list[str] = []  # `chars` with each mark as the digit it numbers a label with
        offsets: list[int] = []
        n = len(folded)
        for i, c in enumerate(folded):
            if has_number_mark(c) or (text is not None and c.isdigit() and has_number_mark(text[i])):
                chars.append(_MARK)
                keyed.append(_ordinal(c))
                offsets.append(i)
                continue
            if _NOISE.match(c) and not (
                c == "." and 0 < i < n - 1 and folded[i - 1].isdigit() and folded[i + 1].isdigit()
            ):
                continue
            chars.append(c)
            keyed.append(c)
            offsets.append(i)
        self.text = "".join(chars)
        self.keyed = "".join(keyed)
        self.offsets = offsets
        self.folded = folded
        self.shown = folded if text is None else text

    def printed(self, run: GluedRun) -> str:
        """The run as the text prints it (with its marks)."""
        return "".join(self.shown[at] for at in run.starts)

    def find(self, keys: Sequence[str], start: int, stop: int) -> tuple[int, int] | None:
        """The earliest occurrence of any key in [start, stop), longest key first at a position."""
        best: tuple[int, int] | None = None
        for key in keys:
            if not key:
                continue
            at = self.keyed.find(key, start, stop)
            if at >= 0 and (best is None or at < best[0] or (at == best[0] and at + len(key) > best[1])):
                best = (at, at + len(key))
        return best

    def run_at(self, start: int) -> GluedRun:
        """The digits from `start`, leaving out a last digit that is the next label's ordinal ("…0002．其他")."""
        j = start
        text = self.text
        while j < len(text) and (text[j].isdigit() or text[j] == "."):
            j += 1
        if j > start and j + 1 < len(text) and text[j] == _MARK and text[j + 1].isdigit():
            # A mark between the digits: the numbers around it are not certain, nor is the cut of the run.
            while j < len(text) and (text[j].isdigit() or text[j] in "." + _MARK):
                j += 1
            return GluedRun(text[start:j], self.offsets[start:j], marked=True)
        if (j < len(text) and text[j] in "+-增减") or (start < len(text) and text[start] in "+-增减"):
            # A signed change glued into the run: where one number ends is not printed, so nothing is read.
            while j < len(text) and (text[j].isdigit() or text[j] in ".+-增减"):
                j += 1
            return GluedRun(text[start:j], self.offsets[start:j], signed=True)
        unit = next((u for u in ("亿元", "万元", "元") if text.startswith(u, j)), None)
        if j > start and unit is None:
            after = self.offsets[j - 1] + 1
            folded = self.folded
            if after + 1 < len(folded) and folded[after] in ".、" and not folded[after + 1].isdigit():
                j -= 1
        starts = self.offsets[start:j]
        gaps = frozenset(
            k for k in range(1, len(starts)) if any(c.isspace() for c in self.folded[starts[k - 1] + 1 : starts[k]])
        )
        return GluedRun(text[start:j], starts, unit=unit, gaps=gaps)


def _ordinal(mark: str) -> str:
    """The digit a mark numbers a label with: ① is folded to 1 already, ⒈ and ⑴ are not; _MARK for others."""
    if mark.isascii():
        return mark
    digit = unicodedata.digit(mark, None)
    return _MARK if digit is None else str(digit)


# The next label glued on: not a placeholder cell ("654  693  —  640 …", a row of separate cells with a dash).
_FIRST_ROW = re.compile(r"本年新收政府信息公开申请数量([0-9 \u3000\xa0]+)(?=[^\s|｜0-9\-—－―/／])")


def looks_glued(folded: str) -> bool:
    """A table printed with no cell separators: table 三's first label followed, on the same line, by fewer
    numbers than its seven columns ("…申请数量640020470二、上年结转…"), with the next label glued on."""
    match = _FIRST_ROW.search(folded)
    if match is None:
        return False
    run = match[1]
    return sum(c.isdigit() for c in run) >= 5 and len(run.split()) < 7


def splits(digits: str, parts: int) -> Iterator[list[str]]:
    """Every way to cut a digit run into `parts` numbers as printed: "0" or without a leading zero."""
    if "." in digits:
        # A decimal (an amount of money) is the last cell: the integers before it are cut as usual.
        point = digits.index(".")
        for k in range(point, -1, -1) if parts > 1 else (0,):
            last = digits[k:]
            if re.fullmatch(r"(?:0|[1-9]\d*)\.\d+", last):
                if parts == 1:
                    yield [last]
                elif k:
                    yield from ([*cut, last] for cut in splits(digits[:k], parts - 1))
        return
    n = len(digits)

    def cut(pos: int, left: int) -> Iterator[list[str]]:
        if left == 1:
            rest = digits[pos:]
            if rest and len(rest) <= _MAX_PART_DIGITS and (rest == "0" or rest[0] != "0"):
                yield [rest]
            return
        longest = 1 if digits[pos] == "0" else min(_MAX_PART_DIGITS, n - pos - (left - 1))
        for size in range(1, longest + 1):
            for tail in cut(pos + size, left - 1):
                yield [digits[pos : pos + size], *tail]

    if parts <= n:
        yield from cut(0, parts)


def _across_gap(run: GluedRun, cut: list[str]) -> bool:
    """A cut that joins digits the text prints apart ("13  54" read as 135 and 4): a space between two digits
    ends a number, whatever a crawler glued elsewhere."""
    pos = 0
    for piece in cut:
        if any(k in run.gaps for k in range(pos + 1, pos + len(piece))):
            return True
        pos += len(piece)
    return False


def _values(run: GluedRun, cut: list[str]) -> list[GluedValue]:
    out = []
    pos = 0
    for piece in cut:
        start = run.starts[pos]
        end = run.starts[pos + len(piece) - 1] + 1
        value: int | Decimal = Decimal(piece) if "." in piece else int(piece)
        out.append(GluedValue(piece, value, start, end))
        pos += len(piece)
    return out


def _candidates(
    run: GluedRun, parts: int, row_identity: Callable[[list], bool] | None
) -> list[list[GluedValue]] | None:
    """The splits of a run that satisfy the row identity; None when there are too many to try."""
    out: list[list[GluedValue]] = []
    if run.signed or run.marked:
        return out
    for n, cut in enumerate(splits(run.digits, parts)):
        if n >= _MAX_SPLITS:
            return None
        if _across_gap(run, cut):
            continue
        values = _values(run, cut)
        if row_identity is None or row_identity([v.value for v in values]):
            out.append(values)
    return out


def _with_totals(digits: str, parts: int, blocks: int, budget: list[int], pos: int = 0) -> Iterator[list[str]]:
    """Every cut of `digits` into `blocks` blocks of `parts` numbers each followed by their sum, as printed.

    Only the parts are chosen: each block's total is then the digits its sum prints, or the cut fails, so a run
    too long to enumerate cut by cut (表四's 15 numbers) is searched in a few thousand steps.  `budget` counts
    the steps left; at zero the search stops (the caller leaves the run unread)."""
    if blocks == 0:
        if pos == len(digits):
            yield []
        return
    if blocks == 1:
        yield from _ending_in_total(digits, parts, budget, pos)
        return

    def numbers(at: int, left: int, partial: int) -> Iterator[tuple[list[str], int]]:
        if left == 0:
            yield [], at
            return
        if at >= len(digits):
            return
        longest = 1 if digits[at] == "0" else min(_MAX_PART_DIGITS, len(digits) - at)
        for size in range(1, longest + 1):
            budget[0] -= 1
            if budget[0] < 0:
                return
            value = partial + int(digits[at : at + size])
            if len(digits) - (at + size) < left - 1 + len(str(value)):
                break  # no room for the other parts and a total at least this large
            for rest, end in numbers(at + size, left - 1, value):
                yield [digits[at : at + size], *rest], end

    for cut, end in numbers(pos, parts, 0):
        total = str(sum(map(int, cut)))
        if digits.startswith(total, end):
            for tail in _with_totals(digits, parts, blocks - 1, budget, end + len(total)):
                yield [*cut, total, *tail]


def _ending_in_total(digits: str, parts: int, budget: list[int], pos: int) -> Iterator[list[str]]:
    """The last block: its total is a suffix of the run, so the parts are searched up to that sum only."""
    n = len(digits)
    for size in range(1, min(_MAX_PART_DIGITS, n - pos - parts) + 1):
        total = digits[n - size :]
        if size > 1 and total[0] == "0":
            continue
        target = int(total)

        def numbers(at: int, left: int, partial: int, target: int = target, stop: int = n - size):
            if left == 0:
                if at == stop and partial == target:
                    yield []
                return
            longest = 1 if digits[at] == "0" else min(_MAX_PART_DIGITS, stop - at - (left - 1))
            shortest = max(1, stop - at - (left - 1) * _MAX_PART_DIGITS)  # the other parts must take the rest
            for length in range(shortest, longest + 1):
                budget[0] -= 1
                value = partial + int(digits[at : at + length])
                if value > target or budget[0] < 0:
                    break  # longer pieces only overshoot further
                for rest in numbers(at + length, left - 1, value):
                    yield [digits[at : at + length], *rest]

        for cut in numbers(pos, parts, 0):
            yield [*cut, total]


def _summed_candidates(run: GluedRun, parts: int, blocks: int) -> list[list[GluedValue]] | None:
    """The splits of an all-digit run into blocks whose last number is the sum of the others; None when there
    are too many to try."""
    budget = [_MAX_JOINT]
    out = []
    for cut in _with_totals(run.digits, parts - 1, blocks, budget):
        if _across_gap(run, cut):
            continue
        out.append(_values(run, cut))
        if len(out) > _MAX_SPLITS:
            return None
    return None if budget[0] < 0 else out


def _row_cuts(run: GluedRun, ncols: int) -> list[list[GluedValue]] | None:
    """The splits of a 表三 row's run whose total is the sum of the others; None when there are too many."""
    if run.digits.isdigit():
        return _summed_candidates(run, ncols, 1)  # the total is the sum: only the six parts are cut
    return _candidates(run, ncols, _sum_is_last)


def _only_split(readings: Sequence[GluedRun], parts: int) -> list[GluedValue] | None:
    """The one cut of the run into `parts` numbers when it has one at all, whatever the numbers (as many digits as
    columns, or zeros that leave no choice); None when it has none or several.  Counted, not enumerated: a long
    run has too many cuts to list."""
    found: list[GluedValue] | None = None
    for run in readings:
        if run.signed or not run.digits.isdigit():
            return None
        digits = run.digits
        n = len(digits)
        # ways[pos][left]: the cuts of digits[pos:] into `left` numbers, counted up to 2
        ways = [[0] * (parts + 1) for _ in range(n + 1)]
        ways[n][0] = 1
        for pos in range(n - 1, -1, -1):
            for size in _piece_sizes(run, pos):
                for left in range(1, parts + 1):
                    ways[pos][left] = min(2, ways[pos][left] + ways[pos + size][left - 1])
        count = ways[0][parts]
        if count > 1 or (count and found is not None):
            return None
        if count:
            cut, pos = [], 0
            for left in range(parts, 0, -1):
                size = next(size for size in _piece_sizes(run, pos) if ways[pos + size][left - 1])
                cut.append(digits[pos : pos + size])
                pos += size
            found = _values(run, cut)
    return found


def _piece_sizes(run: GluedRun, pos: int) -> Iterator[int]:
    """The lengths a number starting at `pos` can have: "0" alone, at most _MAX_PART_DIGITS digits, not across a
    space the text prints between two digits."""
    digits = run.digits
    longest = 1 if digits[pos] == "0" else min(_MAX_PART_DIGITS, len(digits) - pos)
    for size in range(1, longest + 1):
        if size > 1 and pos + size - 1 in run.gaps:
            return
        yield size


def _sum_is_last(numbers: list) -> bool:
    return sum(numbers[:-1]) == numbers[-1]


def _blocks_of_five(numbers: list) -> bool:
    return all(_sum_is_last(numbers[i : i + 5]) for i in range(0, len(numbers), 5))


class GluedFitter:
    """Reads the three tables of a glued document; rows the text does not determine stay unread."""

    def __init__(self, folded: str, fmt: Format, text: str | None = None) -> None:
        self.compact = Compact(folded, text)
        self.fmt = fmt

    def _start(self, labels: Sequence[str], after: int = 0) -> int | None:
        found = self.compact.find([label_key(x) for x in labels], after, len(self.compact.text))
        return found[0] if found else None

    def _row_runs(self, rows: Sequence[Axis], start: int, stop: int) -> dict[str, GluedRun | None]:
        """Each row's digit run: after its label, searching in the format's order."""
        runs: dict[str, GluedRun | None] = {}
        cursor = start
        for k, row in enumerate(rows):
            found = self.compact.find(row.keys, cursor, stop)
            if found is None:
                runs[row.key] = None
                continue
            at = found[1]
            while self.compact.text.startswith(_MARK, at):
                at += 1  # a note mark on the label ("予以公开①"): the row's digits follow it
            run = self.compact.run_at(at)
            ordinal = self._next_ordinal(run, at + len(run.digits), rows[k + 1 :])
            if ordinal:
                cut = len(run.digits) - len(ordinal)
                gaps = frozenset(k for k in run.gaps if k < cut)
                run = GluedRun(run.digits[:cut], run.starts[:cut], unit=run.unit, with_ordinal=run, gaps=gaps)
            runs[row.key] = run if run.digits else None
            cursor = at + len(run.digits)
        return runs

    def _marked(self, run: GluedRun) -> str:
        return f"粘连的数字“{self.compact.printed(run)}”中夹有注释标记或上下标，无法确定各格的数"

    def _next_ordinal(self, run: GluedRun, end: int, later: Sequence[Axis]) -> str:
        """The digits ending the run that are a later row's ordinal, when the text after the run is that row's label
        without it ("…2464无正当理由大量反复申请", the label being 4．无正当理由大量反复申请); "" otherwise."""
        if run.signed or not run.digits.isdigit():
            return ""
        text = self.compact.text
        for row in later:
            for key in row.keys:
                ordinal = re.match(r"\d+", key)
                if (
                    ordinal
                    and len(run.digits) > len(ordinal[0])
                    and run.digits.endswith(ordinal[0])
                    and text.startswith(key[ordinal.end() :], end)
                ):
                    return ordinal[0]
        return ""

    def active(self, continuity: Mapping[str, Callable[[list], bool]] | None = None) -> dict[str, GluedRow]:
        """表二 has no identities of its own: a run is read when it splits one way (three zeros, one number), or
        when exactly one split satisfies last year's 现行有效 continuity (`continuity`, per row)."""
        continuity = continuity or {}
        out: dict[str, GluedRow] = {}
        start = self._start([b.article for b in self.fmt.active[:1]]) or 0
        stop = self._start(["本列数据的勾稽关系", "收到和处理政府信息公开申请情况"], start) or len(self.compact.text)
        for block in self.fmt.active:
            runs = self._row_runs(block.rows, start, stop)
            for row in block.rows:
                run = runs[row.key]
                if run is None or run.marked:
                    out[row.key] = GluedRow(None, reason=self._marked(run) if run else None)
                    continue
                cuts = _candidates(run, len(block.fields), None)
                reason = f"粘连的数字“{run.digits}”可拆成{len(block.fields)}列的方式不唯一"
                if cuts and run.unit and block.fields[-1].kind == "money":
                    for cut in cuts:  # the amount printed in 元 or 亿元: the table's unit is 万元
                        cut[-1].value = to_wan_yuan(CellValue(Decimal(cut[-1].text), "money", run.unit))
                read = _agreed(cuts, "label", reason) if cuts else GluedRow(None, reason=reason)
                if read.reason and row.key in continuity:
                    read = _by_continuity(cuts, continuity[row.key], read)
                if read.reason and cuts and len(cuts) > 1:
                    read.options = cuts
                out[row.key] = read
        return out

    def requests(self, grid: Grid) -> dict[str, GluedRow]:
        start = self._start(["本列数据的勾稽关系", "申请人情况"]) or 0
        stop = self._start(["政府信息公开行政复议", "行政复议行政诉讼"], start) or len(self.compact.text)
        runs = self._row_runs(grid.rows, start, stop)
        ncols = len(grid.columns)
        fixed: dict[str, list[GluedValue]] = {}
        options: dict[str, list[list[GluedValue]]] = {}
        out: dict[str, GluedRow] = {}
        for row in grid.rows:
            run = runs[row.key]
            if run is None or run.marked:
                out[row.key] = GluedRow(None, reason=self._marked(run) if run else None)
                continue
            # With a last digit that may be the next label's ordinal, the splits of both readings compete.
            readings = [printed for printed in (run, run.with_ordinal) if printed is not None]
            only = _only_split(readings, ncols)
            if only is not None and _sum_is_last([v.value for v in only]):
                fixed[row.key] = only  # the digits cut one way only: the row as printed
                out[row.key] = GluedRow(only, placed="label")
                continue
            each = [_row_cuts(printed, ncols) for printed in readings]
            cuts = None if None in each else [cut for some in each for cut in some]  # type: ignore[union-attr]
            if cuts:
                options[row.key] = cuts
            else:
                out[row.key] = GluedRow(None, reason=f"粘连的数字“{run.digits}”拆不成总计等于各列之和的{ncols}个数")
        _decide(grid, fixed, options, {key: runs[key].digits for key in options}, out)  # type: ignore[union-attr]
        return out

    def review(self, grid: Grid) -> GluedRow | str | None:
        """The 15 numbers of 表四 as one run after its header; a reason when the split is not unique."""
        heading = self._start(["政府信息公开行政复议", "行政复议行政诉讼"], self._start(["本列数据的勾稽关系"]) or 0)
        if heading is None:
            return None
        text = self.compact.text
        first = next((i for i in range(heading, len(text)) if text[i].isdigit()), None)
        if first is None:
            return None
        run = self.compact.run_at(first)
        if run.marked:
            return self._marked(run)
        count = len(grid.rows) * len(grid.columns)
        ncols = len(grid.columns)
        if run.digits.isdigit():
            cuts = _summed_candidates(run, ncols, len(grid.rows))
        else:
            cuts = _candidates(run, count, _blocks_of_five)
        if cuts is None or not cuts:
            return f"粘连的数字“{run.digits}”拆不成各栏总计等于分项之和的{count}个数"
        return _agreed(cuts, "identity", f"粘连的数字“{run.digits}”有{len(cuts)}种拆分都满足各栏总计，无法确定")


# An identity across 表三's rows: the rows it needs, and whether a table (row key → numbers) satisfies it.
_ColumnIdentity = tuple[tuple[str, ...], Callable[[Mapping[str, list]], bool]]


def _decide(
    grid: Grid,
    fixed: dict[str, list[GluedValue]],
    options: dict[str, list[list[GluedValue]]],
    digits: dict[str, str],
    out: dict[str, GluedRow],
) -> None:
    """The rows whose run cuts several ways: a cut that makes the row's total the sum of its columns may do so by
    chance (the report's own figures need not add up), so it is read only when the column identities confirm it.

    Every identity whose rows are all at hand (read, or cut in some ways) is checked over every combination of the
    open rows' cuts, and a row is read where all surviving combinations agree.  An identity that no combination
    satisfies is broken in the report itself (a typo in one of its rows): it confirms nothing, and the rows are
    checked by the other identity alone, as when a row it needs is unread.  A row no identity checks, or that no
    combination satisfies, stays unread, as do all when there are too many combinations to try."""
    identities = [ident for ident in _column_identities(grid) if all(k in fixed or k in options for k in ident[0])]
    checked = {k for rows, _ in identities for k in rows}
    found = _survivors(identities, fixed, options)
    if found is not None and not found[1]:
        holding = [ident for ident in identities if (alone := _survivors([ident], fixed, options)) and alone[1]]
        if len(holding) < len(identities):
            found = _survivors(holding, fixed, options)
    for key in options:
        if key not in checked:
            reason = "核对各列勾稽关系所需的行未能全部读出，无法确认拆分"
        elif found is None:
            reason = "可能的拆分组合过多，无法逐一核对表格的勾稽关系"
        elif key in found[0] and (picks := sorted({choice[found[0].index(key)] for choice in found[1]})):
            ambiguous = f"粘连的数字有{len(options[key])}种拆分都使本行总计等于各列之和，表格的勾稽关系也无法确定"
            out[key] = _agreed([options[key][p] for p in picks], "identity", ambiguous)
            continue
        else:
            reason = "满足本行总计的拆分都与表格各列的勾稽关系不符（原表可能有笔误），无法确定拆分"
        out[key] = GluedRow(None, reason=f"粘连的数字“{digits[key]}”有多种拆法，{reason}")


def _survivors(
    identities: Sequence[_ColumnIdentity],
    fixed: Mapping[str, list[GluedValue]],
    options: Mapping[str, list[list[GluedValue]]],
) -> tuple[list[str], list[tuple[int, ...]]] | None:
    """The open rows the identities involve, and each combination of their cuts (an index per row) under which
    every identity holds; None when there are too many combinations to try."""
    involved = {k for rows, _ in identities for k in rows}
    open_rows = [k for k in options if k in involved]
    if math.prod(len(options[k]) for k in open_rows) > _MAX_JOINT:
        return None
    base = {k: [v.value for v in values] for k, values in fixed.items() if k in involved}
    numbers = [[[v.value for v in cut] for cut in options[k]] for k in open_rows]
    surviving: list[tuple[int, ...]] = []
    for choice in itertools.product(*(range(len(options[k])) for k in open_rows)):
        table = dict(base)
        for k, cuts, c in zip(open_rows, numbers, choice, strict=True):
            table[k] = cuts[c]
        if all(holds(table) for _, holds in identities):
            surviving.append(choice)
    return open_rows, surviving


def _by_continuity(cuts: list[list[GluedValue]], identity: Callable[[list], bool], read: GluedRow) -> GluedRow:
    """The one split of an open 表二 run that satisfies continuity; otherwise the row stays as it was."""
    kept = [cut for cut in cuts if identity([v.value for v in cut])]
    if len(kept) != 1:
        reason = "与上年现行有效件数的连续性不符" if not kept else "有多种拆分都满足现行有效件数的连续性"
        return GluedRow(read.values, read.placed, f"{read.reason}，{reason}")
    return GluedRow(list(kept[0]), placed="identity", by_continuity=True)


def _agreed(cuts: list[list[GluedValue]], placed: str, reason: str) -> GluedRow:
    """The cells every remaining split prints the same way (same characters of the run); the others unread."""
    first = cuts[0]
    values: list[GluedValue | None] = [
        value if all((c[i].start, c[i].end) == (value.start, value.end) for c in cuts[1:]) else None
        for i, value in enumerate(first)
    ]
    if len(cuts) == 1:
        return GluedRow(values, placed=placed)
    return GluedRow(values, placed="identity", reason=reason if None in values else None)


def _column_identities(grid: Grid) -> list[_ColumnIdentity]:
    """表三's identities across rows, each with the rows it needs: 一＋二＝三（七）＋四 per column, and the
    outcomes adding up to （七）总计 per column."""
    ncols = len(grid.columns)
    outcomes = tuple(r.key for r in grid.rows if r.outcome)
    balance = ("new_received", "carried_over", "total", "carried_forward")

    def balances(t: Mapping[str, list]) -> bool:
        return all(
            t["new_received"][c] + t["carried_over"][c] == t["total"][c] + t["carried_forward"][c] for c in range(ncols)
        )

    def outcomes_add_up(t: Mapping[str, list]) -> bool:
        return all(sum(t[k][c] for k in outcomes) == t["total"][c] for c in range(ncols))

    return [(balance, balances), ((*outcomes, "total"), outcomes_add_up)]
