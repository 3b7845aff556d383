"""The text around a cell's evidence span, for the evidence panel (always shown escaped)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from gongkai.web.center.models import Cell

_TAG = re.compile(r"<[^>]*>|<[^>]*$|^[^<]*>", re.S)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_SPACE = re.compile(r"[ \t\r\f\v\xa0]+")
_BREAKS = re.compile(r"\s*\n\s*")
CONTEXT = 120


@dataclass
class Snippet:
    before: str
    match: str
    after: str
    line: int | None = None
    location: dict | None = None


def _plain(fragment: str, is_html: bool) -> str:
    if is_html:
        fragment = _TAG.sub(" ", _SCRIPT.sub(" ", fragment))
        fragment = html.unescape(fragment)
    # Reports laid out one cell per line would fill the panel with line breaks; a mark keeps them visible.
    return _BREAKS.sub(" ⏎ ", _SPACE.sub(" ", fragment))


def snippet(cell: Cell, source: str, input_kind: str) -> Snippet | None:
    evidence = cell.evidence or {}
    start, end = evidence.get("start"), evidence.get("end")
    if start is None or end is None or not source:
        return Snippet("", "", "", location=evidence.get("location")) if evidence.get("location") else None
    is_html = input_kind == "html"
    # HTML carries markup between words: take a wider stretch, then strip it.
    width = CONTEXT * (4 if is_html else 1)
    before = _plain(source[max(0, start - width) : start], is_html)[-CONTEXT:]
    after = _plain(source[end : end + width], is_html)[:CONTEXT]
    return Snippet(before, _plain(source[start:end], is_html), after, evidence.get("line"), evidence.get("location"))
