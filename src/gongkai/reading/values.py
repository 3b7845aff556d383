"""Reading one table cell: numbers, blanks and placeholders, signed deltas, money.

A cell's *kind* records how it was written so that a reader can tell a printed
0 from a blank cell or a dash that we read as 0.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from gongkai.reading.textnorm import fold

# Written in a numeric cell to mean "nothing": read as 0, remembered as such.
PLACEHOLDERS = frozenset({"/", "-", "--", "---", "无", "空", "——", "—", "暂无", "\\", "×"})

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CELL = re.compile(
    rf"^(?P<sign>增加|减少|增|减|\+|--?)?\s*(?P<num>{_NUMBER})\s*(?P<unit>亿元|万元|元|亿|万|件|条|项|个|次)?$"
)

# Money units and their factor to 万元.
_TO_WAN = {"亿元": Decimal(10000), "亿": Decimal(10000), "万元": Decimal(1), "万": Decimal(1), "元": Decimal("0.0001")}


@dataclass(frozen=True, slots=True)
class CellValue:
    value: int | Decimal
    kind: str  # number | delta | money | empty | placeholder
    unit: str | None = None
    integral: bool = True


def _clean(raw: str) -> str:
    # Only the edges: "0 1 0" is three cells, not the number 10.
    return fold(raw).strip(" \t\r\n\u3000\xa0")


def has_number_mark(text: str) -> bool:
    """A character of Unicode category "No" (①, ⑴, ⒈, ¹, ₂, ㈠, ½…): a note mark or a list ordinal, which the fold
    turns into a digit where it can ("49①" would read as 491).  A cell holding one is not a plain number."""
    return not text.isascii() and any(unicodedata.category(c) == "No" for c in text)


def parse_value(raw: str, *, as_folded: bool = False) -> CellValue | None:
    """Parse a cell written in a table; None when it is not a value at all (a label).

    `as_folded`: a cell with a note mark is parsed as the fold reads it ("49①" as 491), for the table fitter, which
    keeps such a cell in its row's place and leaves it unread itself (extract._marked_number)."""
    if not as_folded and has_number_mark(raw):
        return None
    text = _clean(raw)
    if text == "":
        return CellValue(0, "empty")
    if text in PLACEHOLDERS:
        return CellValue(0, "placeholder")
    match = _CELL.match(text)
    if not match:
        return None
    try:
        number = Decimal(match["num"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return None
    sign = match["sign"]
    unit = match["unit"]
    negative = sign in ("减", "减少", "-", "--")  # "--253": a dash typed twice, as "——" is one dash written wide
    if negative:
        number = -number
    integral = number == number.to_integral_value()
    value: int | Decimal = int(number) if integral else number
    if sign in ("增", "增加", "减", "减少", "+"):
        return CellValue(value, "delta", unit, integral)
    if unit in _TO_WAN:
        return CellValue(number, "money", unit, integral)
    return CellValue(value, "number", unit, integral)


def unit_in_header(text: str) -> str | None:
    """The money unit printed in a column header such as 本年收费金额（单位：万元）."""
    folded = re.sub(r"\s+", "", _clean(text))
    match = re.search(r"单位[:：]?(亿元|万元|元)", folded) or re.search(r"\((亿元|万元|元)\)", folded)
    return match[1] if match else None


def to_wan_yuan(cell: CellValue, default_unit: str = "万元") -> Decimal:
    """Normalise a money cell to 万元, using the cell's own unit when it prints one."""
    unit = cell.unit if cell.unit in _TO_WAN else default_unit
    amount = Decimal(cell.value) * _TO_WAN[unit]
    return amount.normalize() if amount != amount.to_integral_value() else amount.quantize(Decimal(1))


_ANY_DIGIT = re.compile(r"[0-9０-９]")


def looks_numeric(raw: str) -> bool:
    """True for a token that is a value rather than a label."""
    if len(raw) > 40 or (not _ANY_DIGIT.search(raw) and raw.strip() not in PLACEHOLDERS):
        return False
    parsed = parse_value(raw)
    return parsed is not None and parsed.kind != "empty"


# A number in a table cell merged over several rows (a web page's rowspan, Word's vertical merge) is no one row's:
# the readers print it with this note after it, so that no row takes it as its own (行政处罚 and 行政强制 sharing one
# figure), and the row is left unread with a finding that says why.
MERGED_ROWS_NOTE = "（跨行合并）"
NUMBER_TEXT = re.compile(r"[+\-]?\d[\d,，.]*(?:\s*(?:万元|元|件|条|个|项))?")

# A digit of a PDF's text layer with another character printed over it (an old figure under a white box and the
# new one on top): the text layer does not say which one shows, so the PDF reader prints this note after them and
# the number is no number.
OVERPRINTED_NOTE = "（文字重叠）"

# Printed after a figure a human may not read as one, alone in its cell: in white (it does not show on a white
# page, but the page may not be white: a shape, a picture behind: Word, Excel), struck through (crossed out, no
# figure beside it: Word, web pages), or under an opaque box of a colour with nothing printed on it (blacked out:
# PDF).  The cell holds digits that are no number: it is left unread, never read as the figure nor as 0.
WHITE_NOTE = "（白色文字）"
STRUCK_NOTE = "（删除线）"
COVERED_NOTE = "（被遮盖）"
_LIGHT = 0xF0  # a colour whose channels are all this light or lighter is white on the page


def light_colour(colour: str | None) -> bool:
    """Whether an RRGGBB colour is white or nearly (Word's "auto", and anything else, is not)."""
    if colour is None or len(colour) != 6:
        return False
    try:
        return all(int(colour[i : i + 2], 16) >= _LIGHT for i in (0, 2, 4))
    except ValueError:
        return False
