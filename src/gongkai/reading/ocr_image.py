"""Ruling lines in a page image: found so that a scanned table can be read cell by cell.

Tesseract reads the rules of a table as characters ("ololn") and loses the
numbers beside them.  Here the long straight runs of ink are found with Pillow
alone (every pixel loop runs in C: point, resize, regular expressions on the
bytes), grouped into rules, and can be painted white before OCR; the reader
turns the rules into table cells the way pdfplumber turns drawn lines into them.

Scans are skewed, noisy and printed with uneven lines, so nothing is exact: a
rule is the union of runs in neighbouring pixel rows that overlap or nearly
touch, so a slightly slanted or broken line is still one rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageOps

INK_BELOW = 160  # grey level: anti-aliased thin rules of a 200-dpi scan reach ~150 at their core
_BRIDGE = 4  # pixels: runs are measured on 4-pixel blocks, half inked, so specks of white do not break a rule


@dataclass(frozen=True, slots=True)
class Rule:
    """A straight rule; boxes are (x0, top, x1, bottom) in pixels, end exclusive."""

    horizontal: bool
    box: tuple[int, int, int, int]
    runs: tuple[tuple[int, int, int, int], ...]  # the inked runs it is made of: what to paint over

    @property
    def position(self) -> float:
        """Its y (horizontal rule) or x (vertical rule): the middle of its thickness."""
        x0, top, x1, bottom = self.box
        return (top + bottom) / 2 if self.horizontal else (x0 + x1) / 2


def ink(image: Image.Image) -> Image.Image:
    """A mask of the dark pixels: 255 where there is ink, 0 elsewhere."""
    return image.convert("L").point(lambda v: 255 if v < INK_BELOW else 0)


def find_rules(mask: Image.Image, min_horizontal: int, min_vertical: int, gap: int) -> list[Rule]:
    """Horizontal runs of ink at least `min_horizontal` pixels long and vertical ones at least
    `min_vertical` long, joined into rules across gaps of up to `gap` pixels."""
    horizontal = _rules(mask, min_horizontal, gap, horizontal=True)
    vertical = _rules(mask.transpose(Image.Transpose.TRANSPOSE), min_vertical, gap, horizontal=False)
    return horizontal + vertical


def erase(image: Image.Image, rules: list[Rule], margin: int = 2) -> Image.Image:
    """A copy of the image with the rules painted white (with the grey fringe around them)."""
    out = image.convert("L")
    draw = ImageDraw.Draw(out)
    for rule in rules:
        for x0, top, x1, bottom in rule.runs:
            if rule.horizontal:
                draw.rectangle((x0, top - margin, x1 - 1, bottom - 1 + margin), fill=255)
            else:
                draw.rectangle((x0 - margin, top, x1 - 1 + margin, bottom - 1), fill=255)
    return out


def _rules(mask: Image.Image, min_length: int, gap: int, horizontal: bool) -> list[Rule]:
    """Rules along the rows of `mask`; a vertical rule is found on the transposed mask."""
    rules: list[list[int]] = []  # [first row, last row, start, end] of each rule being built
    members: list[list[tuple[int, int, int]]] = []
    active: list[int] = []  # the rules that a run in the current row can still extend
    for row, start, end in _runs(mask, min_length):  # row by row, top to bottom
        active = [i for i in active if row - rules[i][1] <= gap]
        for i in active:
            first, _, x0, x1 = rules[i]
            if start <= x1 + gap and end >= x0 - gap:
                rules[i] = [first, row, min(x0, start), max(x1, end)]
                members[i].append((row, start, end))
                break
        else:
            active.append(len(rules))
            rules.append([row, row, start, end])
            members.append([(row, start, end)])
    out = []
    for (first, last, start, end), parts in zip(rules, members, strict=True):
        if 4 * (last + 1 - first) > end - start:
            continue  # a blot of ink (a seal, a photo), not a line
        if horizontal:
            out.append(Rule(True, (start, first, end, last + 1), tuple((s, r, e, r + 1) for r, s, e in parts)))
        else:
            out.append(Rule(False, (first, start, last + 1, end), tuple((r, s, r + 1, e) for r, s, e in parts)))
    return out


def _runs(mask: Image.Image, min_length: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of ink at least `min_length` pixels long along the rows.

    The mask is first thickened by a pixel up and down, so a slightly slanted thin
    line still has long runs, and measured in blocks of _BRIDGE pixels.
    """
    up = ImageChops.offset(mask, 0, -1)
    down = ImageChops.offset(mask, 0, 1)
    thick = ImageChops.lighter(ImageChops.lighter(mask, up), down)
    width, height = thick.size
    blocks = thick.resize((max(1, width // _BRIDGE), height), Image.Resampling.BOX)
    blocks = ImageOps.expand(blocks.point(lambda v: 1 if v >= 128 else 0), border=(0, 0, 1, 0), fill=0)
    stride = blocks.size[0]  # the blank column added on the right ends every run at its row's end
    data = blocks.tobytes()
    shortest = max(1, min_length // _BRIDGE)
    runs = []
    for match in re.finditer(rb"\x01{%d,}" % shortest, data):
        row, start = divmod(match.start(), stride)
        runs.append((row, start * _BRIDGE, (start + match.end() - match.start()) * _BRIDGE))
    return runs


@dataclass(frozen=True, slots=True)
class Piece:
    """Where a box of the page went in a stacked image: its rows there, and the shift back to the page."""

    top: int
    bottom: int
    dx: int  # page x = stacked x + dx
    dy: int  # page y = stacked y + dy
    box: tuple[int, int, int, int]  # the box of the page it was cut from


def stack(image: Image.Image, boxes: list[tuple[int, int, int, int]], gap: int) -> tuple[Image.Image, list[Piece]]:
    """The ink of each box cut out and stacked one under another, `gap` pixels apart; empty boxes left out.

    Tesseract reads a page of table cells as lines of text and runs the cells of a row
    together; one cell per line, with white around it, it reads each cell on its own.
    """
    image = image.convert("L")
    cuts = []
    for box in boxes:
        bounds = ink(image.crop(box)).getbbox()
        if bounds is not None:
            x0, top = box[0] + bounds[0], box[1] + bounds[1]
            cuts.append((box, (x0, top, box[0] + bounds[2], box[1] + bounds[3])))
    width = 2 * gap + max((c[2] - c[0] for _, c in cuts), default=0)
    height = gap + sum(c[3] - c[1] + gap for _, c in cuts)
    out = Image.new("L", (width, height), 255)
    pieces = []
    y = gap
    for box, cut in cuts:
        out.paste(image.crop(cut), (gap, y))
        pieces.append(Piece(y, y + cut[3] - cut[1], cut[0] - gap, cut[1] - y, box))
        y += cut[3] - cut[1] + gap
    return out, pieces
