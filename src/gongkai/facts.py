"""Headline figures stated in the prose ("narrative facts"), with their quotes."""

from __future__ import annotations

import re

from gongkai.document import Document
from gongkai.report import Fact
from gongkai.spec import facts as fact_specs

_QUOTE_LOOKBACK = 30
_MAX_DIGITS = 15
_SENTENCE_START = re.compile(r"[。；;！!？?\n]")


def extract_facts(doc: Document, body_start: int = 0, body_end: int | None = None) -> list[Fact]:
    """Facts found outside the tables' cells, in document order.

    Only the report body [body_start, body_end) is read.  The patterns run on the
    folded text (same length as the rendered text), so a match's offsets map
    straight back to the source for evidence.
    """
    out: list[Fact] = []
    text = doc.folded
    for spec in fact_specs():
        for m in spec.pattern.finditer(text, body_start, len(text) if body_end is None else body_end):
            digits = m["n"].replace(",", "") if spec.value is None else ""
            if len(digits) > _MAX_DIGITS:
                continue  # not a count anyone writes in prose (and int() refuses 4,300+ digits)
            value = spec.value if spec.value is not None else int(digits)
            start, end = doc.source_span(m.start(), m.end())
            out.append(Fact(spec.key, spec.label, value, _quote(doc.clean_text, m.start(), m.end()), start, end))
    out.sort(key=lambda f: f.start)
    return out


def _quote(text: str, start: int, end: int) -> str:
    """The match with the start of its clause, enough for a reader to recognise it."""
    lookback = text[max(0, start - _QUOTE_LOOKBACK) : start]
    boundaries = list(_SENTENCE_START.finditer(lookback))
    if boundaries:
        lookback = lookback[boundaries[-1].end() :]
    return re.sub(r"\s{2,}", "", (lookback + text[start:end]).strip())  # blanked spam leaves runs of spaces
