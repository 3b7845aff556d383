"""Word (.docx): the body in document order, paragraphs as lines and every table row as a row.

The main document part is found through the package relationships, as python-docx
does, and walked with lxml.  python-docx itself is not used to read: its table
API repeats a merged cell at every grid position it covers, while the table
fitter must see each merged cell once (a horizontally merged cell, gridSpan, is
one cell; the continuation of a vertically merged cell, vMerge without
"restart", is no cell at all); and opening a package with it parses every part
(styles, numbering, theme, headers…), which took half of the time of a whole
parse.  Only the main part and the core properties (for the title) are read.

Locations: {"paragraph": p} for the p-th paragraph of the body, and
{"table": t, "row": r, "cell": c} for tables, numbered in document order
(nested tables included), where c is the cell's first grid column, so that
python-docx's `Document(f).tables[t-1].cell(r-1, c-1)` addresses a top-level table's cell.  All 1-based.
"""

from __future__ import annotations

import copy
import io
import zipfile
import zlib

from lxml import etree

from gongkai.errors import Corrupt, Unsupported
from gongkai.reading.document import Document, load_layout
from gongkai.reading.layout import LayoutBuilder, Location
from gongkai.reading.values import MERGED_ROWS_NOTE, NUMBER_TEXT

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W_P, W_TBL, W_TR, W_TC = f"{{{_W}}}p", f"{{{_W}}}tbl", f"{{{_W}}}tr", f"{{{_W}}}tc"
W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = f"{{{_W}}}sdt", f"{{{_W}}}sdtContent", f"{{{_W}}}customXml"
W_T, W_TAB, W_BR, W_CR = f"{{{_W}}}t", f"{{{_W}}}tab", f"{{{_W}}}br", f"{{{_W}}}cr"
W_TC_PR, W_TR_PR = f"{{{_W}}}tcPr", f"{{{_W}}}trPr"
W_GRID_SPAN, W_GRID_BEFORE = f"{{{_W}}}gridSpan", f"{{{_W}}}gridBefore"
W_VMERGE, W_HMERGE, W_VAL = f"{{{_W}}}vMerge", f"{{{_W}}}hMerge", f"{{{_W}}}val"
W_MOVE_FROM, W_DEL, W_TXBX_CONTENT = f"{{{_W}}}moveFrom", f"{{{_W}}}del", f"{{{_W}}}txbxContent"
W_R, W_R_PR, W_VANISH, W_VERT_ALIGN = f"{{{_W}}}r", f"{{{_W}}}rPr", f"{{{_W}}}vanish", f"{{{_W}}}vertAlign"
_OFF = ("0", "false", "off")  # an on/off property switched off
MC_FALLBACK = f"{{{_MC}}}Fallback"
_TEXT_PARTS = (W_T, W_TAB, W_BR, W_CR)
_WRAPPERS = (W_SDT, W_SDT_CONTENT, W_CUSTOM_XML)  # content controls and custom XML hold blocks, rows or cells

_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = "/officeDocument"  # relationship types end so (transitional and strict)
_CORE_PROPERTIES = "/metadata/core-properties"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
# No entities, no network, default depth and size limits: a document is data, not a program.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

CORRUPT = ("Word 文件已损坏，无法读取", "the Word (.docx) file is corrupt and cannot be read")


def read(data: bytes, kind: str = "docx") -> Document:
    """A Document from .docx bytes; `kind` names the input (a converted .doc passes "doc")."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = _package_parts(archive)
        root = etree.fromstring(archive.read(parts.get(_OFFICE_DOCUMENT, "word/document.xml")), _PARSER)
        title = _title(archive, parts.get(_CORE_PROPERTIES, "docProps/core.xml"))
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, etree.LxmlError):
        raise Corrupt(*CORRUPT) from None
    if root.tag == f"{{{_STRICT}}}document":
        raise Unsupported(
            "“严格 Open XML”格式的 Word 文件暂不支持，请在 Word 中另存为普通 .docx 文件",
            "strict Open XML (ISO 29500 strict) Word documents are not supported",
        )
    body = root.find(f"{{{_W}}}body")
    if root.tag != f"{{{_W}}}document" or body is None:
        raise Corrupt(*CORRUPT)
    _drop_duplicates(body)
    out = LayoutBuilder()
    _Walker(out).blocks(body)
    text, locator = out.build()
    return load_layout(text, locator, kind=kind, title=title)


def _package_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Relationship type suffix → part name, from the package relationships (_rels/.rels)."""
    if "_rels/.rels" not in archive.namelist():
        return {}
    rels = etree.fromstring(archive.read("_rels/.rels"), _PARSER)
    parts = {}
    for rel in rels.iter(f"{{{_REL}}}Relationship"):
        kind, target = rel.get("Type", ""), rel.get("Target", "").lstrip("/")
        for suffix in (_OFFICE_DOCUMENT, _CORE_PROPERTIES):
            if kind.endswith(suffix) and target and rel.get("TargetMode") != "External":
                parts.setdefault(suffix, target)
    return parts


def _title(archive: zipfile.ZipFile, name: str) -> str | None:
    if name not in archive.namelist():
        return None
    element = etree.fromstring(archive.read(name), _PARSER).find(_DC_TITLE)
    return (element.text or "").strip() or None if element is not None else None


def _drop_duplicates(body: etree._Element) -> None:
    """Remove text that Word never shows: the fallback copy of a text box and text moved away."""
    for tag in (MC_FALLBACK, W_MOVE_FROM):
        for element in list(body.iter(tag)):
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)


def _run_shown(node: etree._Element) -> tuple[bool, bool]:
    """(whether Word shows the text of the run holding `node`, whether it is raised or lowered: vertAlign)."""
    run = node.getparent()
    rpr = run.find(W_R_PR) if run is not None and run.tag == W_R else None
    if rpr is None:
        return True, False
    vanish = rpr.find(W_VANISH)
    hidden = vanish is not None and vanish.get(W_VAL, "true").lower() not in _OFF
    align = rpr.find(W_VERT_ALIGN)
    return not hidden, align is not None and align.get(W_VAL) in ("superscript", "subscript")


def _text(element: etree._Element) -> str:
    """Text of a paragraph (or of a cell: its paragraphs one per line).

    Hidden text (w:vanish) is not shown, so not read: an old figure kept hidden beside the new one would join it.
    Raised or lowered text beside other text is a note mark ("12¹"), not digits of the number: it is dropped.
    """
    parts: list[str] = []
    raised: list[int] = []  # indexes in parts of superscript or subscript text
    for node in element.iter(W_P, *_TEXT_PARTS):
        tag = node.tag
        if tag != W_P:
            shown, mark = _run_shown(node)
            if not shown:
                continue
            if mark and tag == W_T:
                raised.append(len(parts))
        if tag == W_T:
            parts.append(node.text or "")
        elif tag == W_TAB:
            parts.append(" ")
        elif parts:  # a line break, or the start of a further paragraph
            parts.append("\n")
    if raised:
        marks = set(raised)
        if any(part.strip() for i, part in enumerate(parts) if i not in marks):
            for i in marks:
                parts[i] = ""
    return "".join(parts)


def _unwrap(element: etree._Element):
    """Children of an element, looking through content controls and custom XML."""
    for child in element:
        if child.tag in _WRAPPERS:
            yield from _unwrap(child)
        else:
            yield child


def _cell_merge(tc: etree._Element) -> tuple[int, bool, bool]:
    """(grid columns spanned, whether the cell continues a merge started above or to the left, whether it starts a
    merge down over the rows below)."""
    span, continues, down = 1, False, False
    for tc_pr in tc.iterchildren(W_TC_PR):
        for prop in tc_pr:
            tag = prop.tag
            if tag == W_GRID_SPAN:
                value = prop.get(W_VAL, "1")
                span = max(1, int(value)) if value.isdigit() else 1
            elif tag in (W_VMERGE, W_HMERGE):  # hMerge: horizontal merges of old Word versions
                restart = prop.get(W_VAL, "continue") == "restart"
                continues = continues or not restart
                down = down or (restart and tag == W_VMERGE)
    return span, continues, down


def _grid_before(tr: etree._Element) -> int:
    """Grid columns left out before the row's first cell."""
    for tr_pr in tr.iterchildren(W_TR_PR):
        for before in tr_pr.iterchildren(W_GRID_BEFORE):
            value = before.get(W_VAL, "0")
            return int(value) if value.isdigit() else 0
    return 0


def _deleted_row(tr: etree._Element) -> bool:
    return any(tr_pr.find(W_DEL) is not None for tr_pr in tr.iterchildren(W_TR_PR))


class _Walker:
    def __init__(self, out: LayoutBuilder) -> None:
        self.out = out
        self.paragraphs = 0
        self.tables = 0

    def blocks(self, parent: etree._Element, location: Location | None = None) -> None:
        """Paragraphs and tables in document order; `location` is set inside a table cell."""
        for child in _unwrap(parent):
            if child.tag == W_P:
                if location is None:
                    self.paragraphs += 1
                here = location or {"paragraph": self.paragraphs}
                boxes = [box for box in child.iter(W_TXBX_CONTENT) if next(box.iter(W_TBL), None) is not None]
                if not boxes:
                    self.out.line(_text(child), here)
                    continue
                # A text box holding a table: the table is read as one, not as its cells' text run together
                # in the anchoring paragraph (an empty cell would vanish from that line and shift the rest).
                own = copy.deepcopy(child)
                for box in list(own.iter(W_TXBX_CONTENT)):
                    box.getparent().remove(box)
                self.out.line(_text(own), here)
                for box in boxes:
                    if not any(outer in boxes for outer in box.iterancestors(W_TXBX_CONTENT)):
                        self.blocks(box, here)
            elif child.tag == W_TBL:
                self.table(child)

    def table(self, tbl: etree._Element) -> None:
        self.tables += 1
        t = self.tables
        rows = [child for child in _unwrap(tbl) if child.tag == W_TR]
        # A row tracked as deleted is not in the document Word shows (python-docx still counts it: keep its number).
        kept = [r for r, tr in enumerate(rows, 1) if not _deleted_row(tr)]
        numbers = False  # whether a row so far holds a digit
        for r in kept:
            tr = rows[r - 1]
            column = 1 + _grid_before(tr)
            cells: list[tuple[str, Location]] = []
            for tc in _unwrap(tr):
                if tc.tag != W_TC:
                    continue
                location = {"table": t, "row": r, "cell": column}
                span, continues, down = _cell_merge(tc)
                column += span
                if continues:
                    continue  # shown as part of the cell above (or left): no cell of its own
                if next(tc.iter(W_TBL), None) is not None:
                    # A cell holding a table (a layout frame around the real tables): its
                    # content is read in place, after the cells of the row so far.
                    if cells:
                        self.out.row(cells)
                        cells = []
                    self.blocks(tc, location)
                    continue
                text = _text(tc)
                if down and NUMBER_TEXT.fullmatch(text.strip()):
                    text += MERGED_ROWS_NOTE  # a number merged over rows is no one row's (as a web page's rowspan)
                cells.append((text, location))
            # A blank spacer row says nothing, except a table's blank last row under a header that holds no number:
            # the values row of a 表四 left empty (no review, no litigation) is 15 blank cells, read as zeros.
            blank_values = r == kept[-1] and len(kept) > 1 and not numbers
            if any(text.strip() for text, _ in cells) or (cells and blank_values):
                self.out.row(cells)
            numbers = numbers or any(ch.isdigit() for text, _ in cells for ch in text)
