"""Text normalisation for matching labels and reading numbers.

Matching happens on a *normalised* form so that full-width and ASCII
punctuation, spaces inside labels, curly quotes and traditional characters all
compare equal.  Evidence always keeps the original text.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import opencc

_T2S = opencc.OpenCC("t2s")

# Characters that carry no meaning in a label: whitespace of every width, quotes,
# and the list punctuation that reports sprinkle inconsistently.
_LABEL_NOISE = re.compile(r"[\s\u200b\u3000\xa0“”\"'‘’「」『』:：、,，.．。;；]")
# Characters that NFKC leaves alone but reports use interchangeably.
_FOLD = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "【": "(",
        "】": ")",
        "〔": "(",
        "〕": ")",
        "﹝": "(",
        "﹞": ")",
        "—": "-",
        "–": "-",
        "－": "-",
        "﹣": "-",
        "−": "-",
        "／": "/",
        "｜": "|",
    }
)


class _FoldTable(dict):
    """str.translate table built on demand: one output character per input character.

    NFKC (full-width → ASCII), the extra folds above, then traditional → simplified,
    all per character so that offsets in folded text equal offsets in the source.
    """

    def __missing__(self, codepoint: int) -> str:
        if 0xD800 <= codepoint <= 0xDFFF:  # a lone surrogate (a PDF's broken character map): no character at all
            self[codepoint] = "\ufffd"
            return "\ufffd"
        ch = chr(codepoint)
        folded = unicodedata.normalize("NFKC", ch)
        if len(folded) != 1:
            folded = ch
        folded = folded.translate(_FOLD)
        simplified = _T2S.convert(folded)
        if len(simplified) == 1:
            folded = simplified
        self[codepoint] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Width, punctuation and script folding that keeps the length of the text."""
    return text.translate(_FOLD_TABLE)


# Pinyin a mirror site prints after a character, with or without its tone mark, sometimes twice ("規(guī)章",
# "數(shu)量", "政(zheng)(zheng)府"): not part of the label.  Without a tone mark only a whole syllable of two letters
# or more counts (an initial, then a final), so a Latin note such as "(pdf)" stays.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ"
_VOWELS = f"aeiouvü{_TONED}"
_SYLLABLE = rf"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[{_VOWELS}][{_VOWELS}]{{0,2}}(?:ng|n|r)?"
_PINYIN_NOTE = re.compile(
    rf"(?<=[\u3400-\u9fff])(?:\((?=[a-zü]*[{_TONED}])[a-zü{_TONED}]{{1,7}}\)|\((?=[a-zü]{{2}}){_SYLLABLE}\))+"
)


@functools.lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """The comparison key of a label: folded, without spaces, quotes, list punctuation and pinyin notes."""
    return strip_noise(fold(text))


def without_pinyin_notes(text: str) -> str:
    """The text without a mirror site's pinyin notes (see _PINYIN_NOTE)."""
    return _PINYIN_NOTE.sub("", text) if "(" in text else text


def strip_noise(folded: str) -> str:
    """label_key for text that is already folded."""
    return _LABEL_NOISE.sub("", without_pinyin_notes(folded))


@functools.lru_cache(maxsize=16384)
def token_key(folded: str) -> str:
    """strip_noise, cached: a report's tokens repeat the same labels (one per row and column), and so do reports."""
    return strip_noise(folded)
