"""Labels printed cut or with a typo: which row (or header) they name, and only when they name one.

A converter cuts a label ("行政事业性收" | 0), a clerk mistypes one ("行政许司" | 12).  Such a label names a row
when it is close to that row's label and to no other label of the table; close to two, it names neither, and
the row stays unread with the reason (a typo never makes two rows match the same label).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from gongkai.reading.textnorm import label_key
from gongkai.reading.tokens import Token
from gongkai.spec import FORMATS, Axis, Block, Grid

# A short label (4–5 characters) is close only with one character replaced: dropping or adding one would make
# too many words close to it.  Labels of 2–3 characters (规章) never are.
_MIN_TYPO = 4
_MIN_EDIT = 6
# How many tokens after `start` a cut or misspelt label is looked for: a whole table 三 is a few hundred tokens.
CUT_LABEL_WINDOW = 400
_LEADING_ORDINAL = re.compile(r"^(?:\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}|\d{1,2})")

Names = Callable[[str, dict[str, str], list[str]], bool]


@dataclass(slots=True)
class CutMatch:
    first: int  # index of the first label token
    last: int  # index of the last label token
    printed: str


def strip_ordinal(key: str) -> str:
    return _LEADING_ORDINAL.sub("", key)


def names_row(text: str, own: dict[str, str], others: list[str]) -> bool:
    """`text` ends with this row's label, or is the start of it and of no other row's."""
    if any(text.endswith(key) for key in own):
        return True
    bare = strip_ordinal(text)
    # Short is enough with the ordinal kept ("2．申请人" | 0 | …): no other row of the format starts that way.
    return (
        len(bare) >= 2
        and (len(bare) >= 4 or len(text) >= 0.15 * min(len(key) for key in own) or (bare != text and len(bare) >= 3))
        and any(key.startswith(text) for key in own)
        and not any(key.startswith(text) for key in others)
    )


def near(text: str, key: str) -> bool:
    """One character off: replaced in a short label; replaced, added or dropped in a long one (or one stretch
    dropped inside it: 其他法律行政法规禁止公开 → …行政止公开)."""
    if len(text) < _MIN_TYPO or text == key:
        return False
    if len(text) < _MIN_EDIT:
        return len(text) == len(key) and sum(a != b for a, b in zip(text, key, strict=True)) == 1
    return one_edit(text, key) or (len(text) >= 0.7 * len(key) and dropped(text, key))


def misspells_row(text: str, own: dict[str, str], others: list[str]) -> bool:
    """A label one character off this row's, and not as close to any other row's."""
    return any(near(text, key) for key in own) and not any(near(text, key) or text == key for key in others)


def one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1 :]


def dropped(text: str, key: str) -> bool:
    """`text` is `key` with one stretch of characters left out inside it."""
    if len(text) >= len(key):
        return False
    i = next((k for k in range(len(text)) if text[k] != key[k]), len(text))
    return 0 < i < len(text) and key.endswith(text[i:])  # inside the label: a cut-off end is not a typo


def _labels_before_values(keys: Sequence[str], tokens: Sequence[Token], start: int, stop: int):
    """Each stretch of text cells followed by a value: (its text token indices, index of the value)."""
    i = start
    stop = min(stop, start + CUT_LABEL_WINDOW)  # the row follows the one before it closely
    while i < stop:
        if not keys[i]:
            i += 1
            continue
        j = i
        texts: list[int] = []
        while j < stop and (keys[j] or tokens[j].empty) and len(texts) < 8:
            if keys[j]:
                texts.append(j)
            j += 1
        if j < stop and tokens[j].numeric:
            yield texts
        i = j + 1


def find_cut_label(
    keys: Sequence[str],
    tokens: Sequence[Token],
    index: int,
    candidates: Sequence[dict[str, str]],
    start: int,
    stop: int,
    names: Names,
) -> CutMatch | None:
    """A row label cut by a converter or mistyped: the text printed before a run of values that `names` this
    row and no other ("3．危及“" | 0 | …, "公开申请3．其他" | 0 | …, "行政许司" | 12)."""
    own = candidates[index]
    others = [key for i, keys_ in enumerate(candidates) if i != index for key in keys_]
    for texts in _labels_before_values(keys, tokens, start, stop):
        for first in texts:  # the label may start in any of the cells before the values
            text = "".join(keys[k] for k in texts if k >= first)
            if len(text) >= 3 and names(text, own, others):
                return CutMatch(first, texts[-1], "".join(tokens[k].text for k in texts if k >= first))
    return None


def ambiguous_typo(
    keys: Sequence[str],
    tokens: Sequence[Token],
    index: int,
    candidates: Sequence[dict[str, str]],
    labels: Sequence[str],
    start: int,
    stop: int,
) -> str | None:
    """Why a row was not found, when a label before values is one character off this row's and another's: the
    reason (Simplified Chinese) naming both, or None."""
    own = candidates[index]
    for texts in _labels_before_values(keys, tokens, start, stop):
        text = "".join(keys[k] for k in texts[-1:])
        if not any(near(text, key) for key in own):
            continue
        rivals = [labels[i] for i, c in enumerate(candidates) if i != index and any(near(text, key) for key in c)]
        if rivals:
            printed = tokens[texts[-1]].text
            names = "”“".join(dict.fromkeys([labels[index], *rivals]))
            return f"表格中写作“{printed}”，与“{names}”都只差一个字，无法确定是哪一行"
    return None


def header_typos(
    keys: Sequence[str], tokens: Sequence[Token], labels: Sequence[str], standard: Sequence[str], start: int, stop: int
) -> list[tuple[int, str, str]]:
    """Header cells in [start, stop) one character off exactly one of the table's header labels (and equal to
    none): (token index, as printed, the standard label)."""
    out = []
    for i in range(start, stop):
        key = keys[i]
        if not key or key in labels:
            continue
        close = [k for k, label in enumerate(labels) if near(key, label)]
        if len(close) == 1:
            out.append((i, tokens[i].text, standard[close[0]]))
    return out


HeaderHint = tuple[str, str, list[str]]  # (header as printed, the standard header, the cells under it)


def active_header_hints(keys: Sequence[str], tokens: Sequence[Token], block: Block, start: int, stop: int):
    """表二 column headers printed one character off (本年制法件数), with the cells under them."""
    labels = [f.label for f in block.fields]
    out: list[HeaderHint] = []
    for _, printed, standard in header_typos(keys, tokens, [f.keys[0] for f in block.fields], labels, start, stop):
        column = block.fields[labels.index(standard)].key
        out.append((printed, standard, [f"active.{row.key}.{column}" for row in block.rows]))
    return out


def review_header_hints(
    keys: Sequence[str],
    tokens: Sequence[Token],
    grid: Grid,
    block_names: Mapping[str, tuple[str, ...]],
    start: int,
    stop: int,
) -> list[HeaderHint]:
    """表四 headers printed one character off (结果维待), with the cells of their column or block."""
    header_keys = [label_key(label) for label in grid.header_labels]
    out: list[HeaderHint] = []
    for _, printed, standard in header_typos(keys, tokens, header_keys, list(grid.header_labels), start, stop):
        columns = [c.key for c in grid.columns if c.label == standard]
        rows = [r.key for r in grid.rows if standard in (r.label, *block_names.get(r.key, ()))]
        paths = [f"review_litigation.{r.key}.{c}" for r in grid.rows for c in columns]
        out.append((printed, standard, paths + [f"review_litigation.{r}.{c.key}" for r in rows for c in grid.columns]))
    return out


@functools.cache
def active_labels(format_id: str) -> tuple[list[Axis], list[dict[str, str]], list[str]]:
    """表二's rows (all blocks), each row's spellings, and the labels a row label must not be taken for: the
    rows' and the column headers'."""
    fmt = FORMATS[format_id]
    rows = [row for block in fmt.active for row in block.rows]
    fields = list({f.label: f for block in fmt.active for f in block.fields}.values())
    candidates = [{k: row.label for k in row.keys} for row in rows] + [{k: f.label for k in f.keys} for f in fields]
    return rows, candidates, [row.label for row in rows] + [f.label for f in fields]
