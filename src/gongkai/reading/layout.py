"""Plain-text rendering of structured documents (Word, PDF, spreadsheets).

Readers of structured formats describe a document as paragraphs and table rows;
this builder writes them in the inline-pipe layout that the tokenizer reads
(each cell followed by " |", one row per line) and remembers, for every piece
of text, where it came from in the original file (page and box, table/row/cell,
sheet and cell reference).  Evidence for a value is that location.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

Location = dict[str, Any]

# Characters that would split a cell if written inside it.
_CELL_BREAKS = re.compile(r"[|｜\t]")
_LINE_BREAKS = re.compile(r"\s*\n\s*")


class Locator:
    """Maps offsets in the rendered text to the location their text came from."""

    def __init__(self, starts: list[int], locations: list[Location | None]) -> None:
        self._starts = starts
        self._locations = locations

    def locate(self, offset: int) -> Location | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        return self._locations[i] if i >= 0 else None


class LayoutBuilder:
    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._starts: list[int] = []
        self._locations: list[Location | None] = []

    def _write(self, text: str, location: Location | None) -> None:
        if location is not None:
            self._starts.append(self._length)
            self._locations.append(location)
        elif self._starts and self._locations[-1] is not None:
            self._starts.append(self._length)
            self._locations.append(None)
        self._parts.append(text)
        self._length += len(text)

    def line(self, text: str, location: Location | None = None) -> None:
        """A paragraph: one line of text."""
        text = text.strip()
        if text:
            self._write(_CELL_BREAKS.sub(" ", text), location)
            self._write("\n", None)

    def row(self, cells: Sequence[tuple[str, Location | None]]) -> None:
        """One table row; a cell's own line breaks are joined (a wrapped label is one label)."""
        for text, location in cells:
            text = _CELL_BREAKS.sub(" ", _LINE_BREAKS.sub("", text.strip()))
            if text:
                self._write(text, location)
                self._write(" |", None)
            else:  # an empty cell: the blank before its pipe carries its location
                self._write(" |", location)
        self._write("\n", None)

    def build(self) -> tuple[str, Locator]:
        return "".join(self._parts), Locator(self._starts, self._locations)
