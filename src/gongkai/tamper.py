"""Injected spam in hacked report pages: where it is, so it can be shown and ignored.

The spans are blanked (replaced by spaces of the same length) before the tables
are read, so spam spliced into a label or a sentence never breaks extraction,
and offsets into the source stay valid for evidence.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass

from gongkai.spec import SPEC_DIR

_CONTEXT = 6


@dataclass(frozen=True, slots=True)
class SpamSpan:
    start: int  # offsets in the rendered text
    end: int
    text: str
    kind: str  # "brand" | "term"


@functools.cache
def _spec() -> dict:
    with open(SPEC_DIR / "tamper.toml", "rb") as fh:
        return tomllib.load(fh)


@functools.cache
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    spec = _spec()

    def alternation(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))

    trailing = f"[{''.join(map(re.escape, spec['trailing']))}]?"
    brand = re.compile(rf"[0-9A-Za-z]{{0,6}}(?:{alternation(spec['brands'])})[0-9A-Za-z]{{0,6}}{trailing}")
    term = re.compile(rf"[0-9A-Za-z]{{0,6}}(?:{alternation(spec['terms'])})[0-9A-Za-z]{{0,6}}{trailing}")
    clear_before = re.compile(rf"(?:{alternation(spec['clear_before'])})[^。；;，,\n]{{0,{_CONTEXT}}}$")
    clear_after = re.compile(rf"^(?:{alternation(spec['clear_after'])})")
    return brand, term, clear_before, clear_after


@functools.cache
def hidden_style() -> re.Pattern:
    return re.compile("|".join(_spec()["hidden_styles"]), re.IGNORECASE)


def find_spam(text: str) -> list[SpamSpan]:
    """Spam spans in text (already folded, so full-width forms and traditional characters match)."""
    brand, term, clear_before, clear_after = _patterns()
    spans: list[SpamSpan] = [SpamSpan(m.start(), m.end(), m.group(0), "brand") for m in brand.finditer(text)]
    taken = [(s.start, s.end) for s in spans]
    for m in term.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        before = text[max(0, m.start() - 16) : m.start()]
        after = text[m.end() : m.end() + 4]
        if clear_before.search(before) or clear_after.match(after):
            continue
        spans.append(SpamSpan(m.start(), m.end(), m.group(0), "term"))
    spans.sort(key=lambda s: s.start)
    return spans


def blank(text: str, spans: list[SpamSpan]) -> str:
    """The text with every span replaced by spaces (same length)."""
    if not spans:
        return text
    parts = []
    pos = 0
    for span in spans:
        parts.append(text[pos : span.start])
        parts.append(" " * (span.end - span.start))
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)
