"""Injected spam in hacked report pages: where it is, so it can be shown and ignored.

The spans are blanked (replaced by spaces of the same length) before the tables
are read, so spam spliced into a label or a sentence never breaks extraction,
and offsets into the source stay valid for evidence.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass

from gongkai.spec import SPEC_DIR

_CONTEXT = 6
_AFFIX = 6  # letters and digits glued to a brand or term ("188比分直播", "开云体育APP")


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


@dataclass(frozen=True, slots=True)
class _Patterns:
    brand: re.Pattern
    brand_word: re.Pattern  # the brand names alone: a literal search, far faster than `brand`
    term: re.Pattern
    term_word: re.Pattern
    clear_before: re.Pattern
    clear_after: re.Pattern


@functools.cache
def _patterns() -> _Patterns:
    spec = _spec()

    def alternation(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))

    trailing = f"[{''.join(map(re.escape, spec['trailing']))}]?"
    affix = f"[0-9A-Za-z]{{0,{_AFFIX}}}"
    brands = alternation(spec["brands"])
    terms = alternation(spec["terms"])
    return _Patterns(
        brand=re.compile(rf"{affix}(?:{brands}){affix}{trailing}"),
        brand_word=re.compile(brands),
        term=re.compile(rf"{affix}(?:{terms}){affix}{trailing}"),
        term_word=re.compile(terms),
        clear_before=re.compile(rf"(?:{alternation(spec['clear_before'])})[^。；;，,\n]{{0,{_CONTEXT}}}$"),
        clear_after=re.compile(rf"^(?:{alternation(spec['clear_after'])})"),
    )


def _finditer(pattern: re.Pattern, word: re.Pattern, text: str) -> Iterator[re.Match]:
    """pattern.finditer(text) for a pattern made of a word with up to _AFFIX characters before it.

    The pattern has no literal prefix, so the regex engine would try it at every
    position; every match starts at most _AFFIX characters before the first word at
    or after where the search resumes, so the pattern only runs there.
    """
    pos = 0
    while (hit := word.search(text, pos)) is not None:
        match = pattern.search(text, max(pos, hit.start() - _AFFIX))
        assert match is not None  # the word itself matches
        yield match
        pos = match.end()


@functools.cache
def hidden_style() -> re.Pattern:
    return re.compile("|".join(_spec()["hidden_styles"]), re.IGNORECASE)


def find_spam(text: str) -> list[SpamSpan]:
    """Spam spans in text (already folded, so full-width forms and traditional characters match)."""
    patterns = _patterns()
    brands = _finditer(patterns.brand, patterns.brand_word, text)
    spans = [SpamSpan(m.start(), m.end(), m.group(0), "brand") for m in brands]
    taken = [(s.start, s.end) for s in spans]
    for m in _finditer(patterns.term, patterns.term_word, text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        before = text[max(0, m.start() - 16) : m.start()]
        after = text[m.end() : m.end() + 4]
        if patterns.clear_before.search(before) or patterns.clear_after.match(after):
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
