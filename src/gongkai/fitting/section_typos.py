"""Section headings printed one character off the standard ("四、政府信息公开行政法复议、行政诉讼情况").

A heading counts when it starts with its section's own ordinal and a separator ("四、", "四．", "四 ") and the rest
is one of the section's names (spec/common.toml) with one character inserted, deleted or substituted.  Only names
of at least `MIN_NAME` characters: one character cannot turn one such heading into another, and a prose sentence is
never that close to a whole heading.  Markdown heading marks ("## ") and bold marks are not part of the heading.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from gongkai.reading.textnorm import strip_noise

MIN_NAME = 8
# A heading's ordinal and its separator, after markdown marks; a line may run straight on ("四、政府…").
_ORDINAL = re.compile(r"^[#*\s]*([一二三四五六])(?:[、.．]\s?|\s)")
_MARKS = re.compile(r"^[#*\s]+|[*\s]+$")


@dataclass(frozen=True, slots=True)
class Name:
    section: str  # section key
    number: str  # its ordinal ("四")
    text: str  # the name as the spec writes it
    key: str  # its comparison key (no punctuation)
    standard: str  # the section's standard heading ("四、政府信息公开行政复议、行政诉讼情况")


@functools.cache
def _names() -> dict[str, tuple[Name, ...]]:
    """Per ordinal, the long names of its section."""
    from gongkai.spec import SECTIONS

    out: dict[str, list[Name]] = {}
    for s in SECTIONS:
        for text in (s.label, *s.variants):
            if len(strip_noise(text)) >= MIN_NAME:
                out.setdefault(s.number, []).append(
                    Name(s.key, s.number, text, strip_noise(text), f"{s.number}、{s.label}")
                )
    return {k: tuple(v) for k, v in out.items()}


def one_edit(a: str, b: str) -> bool:
    """True when `a` becomes `b` by inserting, deleting or substituting exactly one character."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def heading_key(folded: str) -> str:
    """A token's comparison key without markdown heading and bold marks ("## 一、总体情况" → "一总体情况")."""
    return strip_noise(_MARKS.sub("", folded))


def near_heading(folded: str) -> Name | None:
    """The section whose heading this whole token (folded text) is, one character off; None otherwise."""
    m = _ORDINAL.match(folded)
    if m is None:
        return None
    rest = strip_noise(_MARKS.sub("", folded[m.end() :]))
    for name in _names().get(m[1], ()):
        if one_edit(rest, name.key):
            return name
    return None


# A line has a handful of ordinals; a text made of thousands (a hostile or broken file) is searched this far only.
_MAX_COMPARISONS = 5_000


def in_line(text: str, start: int, end: int) -> Iterator[tuple[int, int, Name]]:
    """Headings one character off inside a long line whose heading runs straight into the next text: (start,
    end, name).  The heading's end is not printed, so of the lengths within one edit of a name the one closest to
    it wins: the full name's length first, then one shorter, then one longer (an inserted character)."""
    budget = _MAX_COMPARISONS
    for m in re.finditer(r"([一二三四五六])[、.．]\s?", text[start:end]):
        at = start + m.end()
        for name in _names().get(m[1], ()):
            size = len(name.text)
            # One edit leaves the name's first three or its last three characters in place.
            if not text.startswith(name.text[:3], at) and name.text[-3:] not in text[at + size - 4 : at + size + 2]:
                continue
            budget -= 1
            if budget < 0:
                return
            for length in (size, size - 1, size + 1):
                piece = text[at : at + length]
                if at + length <= end and piece != name.text and one_edit(piece, name.text):
                    yield start + m.start(), at + length, name
                    break
            else:
                continue
            break
