"""Headline figures stated in the prose ("narrative facts"), with their quotes."""

from __future__ import annotations

import bisect
import re

from gongkai.document import Document
from gongkai.report import Fact
from gongkai.spec import facts as fact_specs

_QUOTE_LOOKBACK = 30
_MAX_DIGITS = 15
_SENTENCE_START = re.compile(r"[。；;！!？?\n]")
_WHITESPACE = re.compile(r"\s+")
_WORD_CHAR = re.compile(r"[0-9A-Za-z.,]")


class _Compact:
    """The text with the whitespace a PDF or a converter puts inside sentences taken out ("收到政府信息公开\\n申请
    34 件" reads "收到政府信息公开申请34件"), and the way back to the text's offsets.  Whitespace between two digits
    or letters stays one space, so "1 2" never becomes 12."""

    def __init__(self, text: str, start: int, end: int):
        pieces: list[str] = []
        self._at: list[int] = []  # compact offset just after each changed run
        self._removed: list[int] = []  # characters removed up to and including that run
        removed, last = 0, start
        for m in _WHITESPACE.finditer(text, start, end):
            pieces.append(text[last : m.start()])
            before = text[m.start() - 1] if m.start() > start else ""
            after = text[m.end()] if m.end() < end else ""
            keep = " " if _WORD_CHAR.match(before) and _WORD_CHAR.match(after) else ""
            pieces.append(keep)
            removed += len(m.group(0)) - len(keep)
            last = m.end()
            self._at.append(m.end() - start - removed)
            self._removed.append(removed)
        pieces.append(text[last:end])
        self.text = "".join(pieces)
        self._start = start

    def original(self, offset: int) -> int:
        """The text offset of compact offset `offset` (a character's own position, not a run's)."""
        i = bisect.bisect_right(self._at, offset)
        return self._start + offset + (self._removed[i - 1] if i else 0)


def extract_facts(doc: Document, body_start: int = 0, body_end: int | None = None) -> list[Fact]:
    """Facts found outside the tables' cells, in document order.

    Only the report body [body_start, body_end) is read.  The patterns run on the folded text (same length
    as the rendered text) with the whitespace inside sentences taken out, so a figure broken over lines or
    spaced by a PDF's text layer ("受理政府信息公开申请 17 件") is found, and its offsets map back to the
    source for evidence.
    """
    out: list[Fact] = []
    text = doc.folded
    compact = _Compact(text, body_start, len(text) if body_end is None else body_end)
    for spec in fact_specs():
        for m in spec.pattern.finditer(compact.text):
            digits = m["n"].replace(",", "") if spec.value is None else ""
            if len(digits) > _MAX_DIGITS:
                continue  # not a count anyone writes in prose (and int() refuses 4,300+ digits)
            value = spec.value if spec.value is not None else int(digits)
            first, last = compact.original(m.start()), compact.original(m.end() - 1) + 1
            start, end = doc.source_span(first, last)
            out.append(Fact(spec.key, spec.label, value, _quote(doc.clean_text, first, last), start, end))
    out.sort(key=lambda f: f.start)
    return out


def _quote(text: str, start: int, end: int) -> str:
    """The match with the start of its clause, enough for a reader to recognise it."""
    lookback = text[max(0, start - _QUOTE_LOOKBACK) : start]
    boundaries = list(_SENTENCE_START.finditer(lookback))
    if boundaries:
        lookback = lookback[boundaries[-1].end() :]
    return re.sub(r"\s{2,}", "", (lookback + text[start:end]).strip())  # blanked spam leaves runs of spaces
