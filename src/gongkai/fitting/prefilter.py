"""What a regular expression's matches must contain and cannot contain, read from the pattern itself.

The prose patterns (spec/facts.toml) start with lookbehinds and alternations, so `re` cannot skip ahead to a
literal and tries every position of a page.  Two facts about a pattern let a caller run it only on the sentences
that can hold a match, with the same matches:

- `required_words`: strings one of which every match contains ("答复", "办结" or "办理");
- `stops_at`: no match, nor a lookahead past its end, can take the character ("。"), so a match lies inside one
  sentence and a search that ends at that character sees everything the pattern can see.

Both are read from the parsed pattern (`re._parser`, the parser `re.compile` itself uses).  Anything the reading
does not know answers "nothing required" / "may take it": a pattern is then run on the whole text, never less.
"""

from __future__ import annotations

import re

try:  # private to the standard library since 3.11: a Python without them runs every pattern on the whole text
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - CPython 3.11 to 3.13 have both
    sre = _parser = None

if sre is not None:
    _REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
    _CATEGORY = {  # a class's \d, \s, \w: whether one takes a given character is asked of `re` itself
        sre.CATEGORY_DIGIT: r"\d",
        sre.CATEGORY_NOT_DIGIT: r"\D",
        sre.CATEGORY_SPACE: r"\s",
        sre.CATEGORY_NOT_SPACE: r"\S",
        sre.CATEGORY_WORD: r"\w",
        sre.CATEGORY_NOT_WORD: r"\W",
    }


def _parsed(pattern: re.Pattern) -> list | None:
    if _parser is None:
        return None
    if pattern.flags & (re.IGNORECASE | re.VERBOSE) or not isinstance(pattern.pattern, str):
        return None  # a literal then stands for several strings (or for none): not read
    return list(_parser.parse(pattern.pattern, pattern.flags))


# --- required words -----------------------------------------------------------------------------------------------
def required_words(pattern: re.Pattern) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains, or None when the reading finds none.

    Of a sequence, the best of its parts' sets is taken (a run of literals, a group, an alternation whose every
    branch requires something, a repeat taken at least once); lookarounds are not part of a match."""
    items = _parsed(pattern)
    return None if items is None else _sequence(items)


def _sequence(items: list) -> frozenset[str] | None:
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            options.append(frozenset(["".join(run)]))
            run = []
        found = _item(op, av)
        if found:
            options.append(found)
    if run:
        options.append(frozenset(["".join(run)]))
    return max(options, key=_selectivity, default=None)


def _item(op, av) -> frozenset[str] | None:
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _sequence(list(sub))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av))
    if op in _REPEATS:
        low, _high, sub = av
        return _sequence(list(sub)) if low >= 1 else None
    if op is sre.BRANCH:
        branches = [_sequence(list(branch)) for branch in av[1]]
        if any(not words for words in branches):
            return None
        return _minimal(frozenset().union(*branches))
    return None  # a class, a lookaround, an anchor, a back reference: no literal required


def _minimal(words: frozenset[str]) -> frozenset[str]:
    """Without the words that contain another of the set (that one is found wherever they are)."""
    return frozenset(w for w in words if not any(o != w and o in w for o in words))


def _selectivity(words: frozenset[str]) -> tuple[int, int]:
    """Longer words are rarer in a text, and fewer alternatives are found fewer times."""
    return min(map(len, words)), -len(words)


# --- characters a match cannot take -------------------------------------------------------------------------------
def stops_at(pattern: re.Pattern, char: str) -> bool:
    """Whether no match of `pattern`, and no lookahead it makes, can take `char` (lookbehinds only look back)."""
    items = _parsed(pattern)
    return items is not None and not _may_take(items, char)


def _may_take(items, char: str) -> bool:
    return any(_op_may_take(op, av, char) for op, av in items)


def _op_may_take(op, av, char: str) -> bool:
    code = ord(char)
    if op is sre.LITERAL:
        return av == code
    if op is sre.NOT_LITERAL:
        return av != code
    if op is sre.IN:
        return _class_takes(av, char)
    if op is sre.AT:
        return False  # ^, $, \b: a position, no character
    if op is sre.SUBPATTERN:
        return _may_take(av[3], char)
    if op is sre.ATOMIC_GROUP:
        return _may_take(av, char)
    if op in _REPEATS:
        return _may_take(av[2], char)
    if op is sre.BRANCH:
        return any(_may_take(branch, char) for branch in av[1])
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        direction, sub = av
        return direction >= 0 and _may_take(sub, char)  # a lookahead can reach past a match's end
    return True  # ANY, and anything not read here


def _class_takes(items, char: str) -> bool:
    negate = False
    taken = False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            taken |= av == ord(char)
        elif op is sre.RANGE:
            taken |= av[0] <= ord(char) <= av[1]
        elif op is sre.CATEGORY and av in _CATEGORY:
            taken |= re.fullmatch(_CATEGORY[av], char) is not None
        else:
            return True  # not read: assume it takes the character
    return taken != negate
