"""Word (.docx): the body in document order, paragraphs as lines and every table row as a row.

The main document part is found through the package relationships, as python-docx
does, and walked with lxml.  python-docx itself is not used to read: its table
API repeats a merged cell at every grid position it covers, while the table
fitter must see each merged cell once (a horizontally merged cell, gridSpan, is
one cell; the continuation of a vertically merged cell, vMerge without
"restart", is no cell at all); and opening a package with it parses every part
(styles, numbering, theme, headers…), which took half of the time of a whole
parse.  Only the main part, the core properties (for the title) and, of the
styles, those the document uses are read: what a human does not see is not
read (hidden text, white text on white, a phonetic guide), and what a human
does not read as the figure is dropped or noted (a note mark raised beside it,
a figure struck through), whether the run says so or its styles do.

Locations: {"paragraph": p} for the p-th paragraph of the body, and
{"table": t, "row": r, "cell": c} for tables, numbered in document order
(nested tables included), where c is the cell's first grid column, so that
python-docx's `Document(f).tables[t-1].cell(r-1, c-1)` addresses a top-level table's cell.  All 1-based.
"""

from __future__ import annotations

import copy
import io
import itertools
import posixpath
import zipfile
import zlib
from collections.abc import Callable
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import unescape as xml_unescape

from lxml import etree

from gongkai.errors import Corrupt, Unsupported
from gongkai.reading.document import Document, load_layout
from gongkai.reading.layout import LayoutBuilder, Location
from gongkai.reading.values import MERGED_ROWS_NOTE, NUMBER_TEXT, STRUCK_NOTE, WHITE_NOTE, light_colour

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
W_STRIKE, W_DSTRIKE, W_COLOR = f"{{{_W}}}strike", f"{{{_W}}}dstrike", f"{{{_W}}}color"
W_SHD, W_HIGHLIGHT, W_FILL, W_THEME_FILL = f"{{{_W}}}shd", f"{{{_W}}}highlight", f"{{{_W}}}fill", f"{{{_W}}}themeFill"
W_P_PR, W_P_STYLE, W_R_STYLE, W_TBL_STYLE = f"{{{_W}}}pPr", f"{{{_W}}}pStyle", f"{{{_W}}}rStyle", f"{{{_W}}}tblStyle"
W_TBL_PR, W_TBL_PR_EX, W_RT, W_BACKGROUND = f"{{{_W}}}tblPr", f"{{{_W}}}tblPrEx", f"{{{_W}}}rt", f"{{{_W}}}background"
W_STYLE, W_STYLE_ID, W_BASED_ON, W_TYPE = f"{{{_W}}}style", f"{{{_W}}}styleId", f"{{{_W}}}basedOn", f"{{{_W}}}type"
W_DEFAULT, W_DOC_DEFAULTS, W_R_PR_DEFAULT = f"{{{_W}}}default", f"{{{_W}}}docDefaults", f"{{{_W}}}rPrDefault"
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
        main = parts.get(_OFFICE_DOCUMENT, "word/document.xml")
        root = etree.fromstring(archive.read(main), _PARSER)
        title = _title(archive, parts.get(_CORE_PROPERTIES, "docProps/core.xml"))
        styles = _styles(archive, main, root)
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
    background = root.find(W_BACKGROUND)
    page = None if background is None else background.get(W_COLOR, "auto")
    page_plain = page in (None, "auto") or light_colour(page)
    out = LayoutBuilder()
    _Walker(out, _Look(styles, page_plain)).blocks(body)
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
    """Remove text that Word never shows: the fallback copy of a text box, text moved away, and the phonetic guide
    printed small above a base text (w:ruby's w:rt: how to say the base, not part of it)."""
    for element in list(body.iter(MC_FALLBACK, W_MOVE_FROM, W_RT)):
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)


# ---------------------------------------------------------------------------
# What a run shows: its own properties, its styles', the document defaults'
# ---------------------------------------------------------------------------
_TOGGLES = frozenset({W_VANISH, W_STRIKE, W_DSTRIKE})  # Word's toggle properties: each style level switches them
_SHADES = frozenset({W_SHD, W_HIGHLIGHT})
_RUN_PROPERTIES = _TOGGLES | _SHADES | {W_VERT_ALIGN, W_COLOR}


def _plain(shading: etree._Element) -> bool:
    """Whether a shading (w:shd) or highlight leaves the ground white, so that white text on it is not seen."""
    if shading.tag == W_HIGHLIGHT:
        return shading.get(W_VAL, "none") in ("none", "white")
    pattern = shading.get(W_VAL, "clear")
    fill = shading.get(W_FILL, "auto")
    plain_fill = fill == "auto" or light_colour(fill)
    if pattern in ("clear", "nil"):
        return pattern == "nil" or plain_fill
    return plain_fill and light_colour(shading.get(W_COLOR))  # a pattern in its colour over the fill (solid: all of it)


def _run_properties(rpr: etree._Element) -> dict[str, bool]:
    """The properties of a w:rPr that decide whether and how its text is seen: hidden, struck, raised or lowered,
    in white (True when white), on a shading or highlight (True when it is not white)."""
    return _own_properties(rpr)[1]


def _own_properties(rpr: etree._Element) -> tuple[str | None, dict[str, bool]]:
    """A run's character style (w:rStyle) and _run_properties, in one pass over its w:rPr."""
    style = None
    props = {}
    for prop in rpr:
        tag = prop.tag
        if tag not in _RUN_PROPERTIES:
            if tag == W_R_STYLE:
                style = prop.get(W_VAL)
            continue
        if tag in _TOGGLES:
            props[tag] = prop.get(W_VAL, "true").lower() not in _OFF
        elif tag == W_VERT_ALIGN:
            props[tag] = prop.get(W_VAL) in ("superscript", "subscript")
        elif tag == W_COLOR:
            props[tag] = light_colour(prop.get(W_VAL))
        else:
            props[tag] = not _plain(prop)
    return style, props


class _Styles:
    """The run properties styles.xml gives text: the document defaults, then the paragraph's style, then the run's
    character style, each through the styles it is based on (a derived style overrides its base).  A toggle
    property (hidden, struck) set by both the paragraph and the character style cancels out, as in Word."""

    def __init__(self, root: etree._Element | None = None) -> None:
        self.own: dict[str, tuple[dict[str, bool], str | None, bool]] = {}  # id → (rPr, basedOn, shading plain)
        self.defaults: dict[str, bool] = {}
        self.default_paragraph: str | None = None
        self._styles: dict[str | None, tuple[dict[str, bool], bool]] = {None: ({}, True)}
        self._runs: dict[tuple[str | None, str | None], tuple[dict[str, bool], bool]] = {}
        self.notable = False
        for element in root if root is not None else ():
            if element.tag == W_DOC_DEFAULTS:
                rpr = element.find(f"{W_R_PR_DEFAULT}/{W_R_PR}")
                self.defaults = _run_properties(rpr) if rpr is not None else {}
            elif element.tag == W_STYLE and (style_id := element.get(W_STYLE_ID)) and style_id not in self.own:
                rpr = element.find(W_R_PR)
                based_on = element.find(W_BASED_ON)
                self.own[style_id] = (
                    _run_properties(rpr) if rpr is not None else {},
                    based_on.get(W_VAL) if based_on is not None else None,
                    all(_plain(shading) for shading in element.iter(W_SHD, W_HIGHLIGHT)),
                )
                default = element.get(W_DEFAULT, "0").lower() not in _OFF
                if default and element.get(W_TYPE) == "paragraph" and self.default_paragraph is None:
                    self.default_paragraph = style_id
        # Whether any style hides, strikes, raises, whitens or shades text: most documents' styles do none of it.
        self.notable = any(self.defaults.values()) or any(
            any(props.values()) or not plain for props, _, plain in self.own.values()
        )

    def style(self, style_id: str | None) -> tuple[dict[str, bool], bool]:
        """A style's run properties through the styles it is based on, and whether all their shading is plain."""
        known = self._styles.get(style_id)
        if known is not None:
            return known
        chain: list[tuple[dict[str, bool], str | None, bool]] = []
        at: str | None = style_id
        while at in self.own and len(chain) < 32:  # a loop of basedOn ends here
            chain.append(self.own[at])
            at = chain[-1][1]
        props: dict[str, bool] = {}
        for own, _, _ in reversed(chain):
            props.update(own)
        known = self._styles[style_id] = (props, all(plain for _, _, plain in chain))
        return known

    def run(self, paragraph_style: str | None, character_style: str | None) -> tuple[dict[str, bool], bool]:
        """A run's properties before its own (w:rPr), and whether its styles' shading is plain."""
        key = (paragraph_style, character_style)
        known = self._runs.get(key)
        if known is not None:
            return known
        paragraph, paragraph_plain = self.style(paragraph_style or self.default_paragraph)
        character, character_plain = self.style(character_style)
        props = dict(self.defaults)
        for level in (paragraph, character):
            props.update((tag, value) for tag, value in level.items() if tag not in _TOGGLES)
        for tag in _TOGGLES:
            if tag in paragraph or tag in character:
                props[tag] = paragraph.get(tag, False) != character.get(tag, False)
        known = self._runs[key] = (props, paragraph_plain and character_plain)
        return known


def _styles(archive: zipfile.ZipFile, main: str, root: etree._Element) -> _Styles:
    """The styles the document uses, from the styles part its main part refers to (none: no styles)."""
    folder, _, base = main.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    if rels_name not in archive.namelist():
        return _Styles()
    name = None
    for rel in etree.fromstring(archive.read(rels_name), _PARSER).iter(f"{{{_REL}}}Relationship"):
        if rel.get("Type", "").endswith("/styles") and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            break
    if name is None or name not in archive.namelist():
        return _Styles()
    data = archive.read(name)
    used = {element.get(W_VAL) for element in root.iter(W_P_STYLE, W_R_STYLE, W_TBL_STYLE)} - {None}
    chosen = _used_styles(data, used)
    return _Styles(chosen if chosen is not None else etree.fromstring(data, _PARSER))


_W_DECLARATION = f'xmlns:w="{_W}"'.encode()


def _used_styles(data: bytes, used: set[str]) -> etree._Element | None:
    """The document defaults, the default styles and the styles in `used` with those they are based on, cut out of
    the styles part and parsed alone: a template's styles part holds every style it knows (350 KB in python-docx's,
    3 ms to parse, as long as the rest of the document), a document uses a few.  None when the part is not written
    as Word, WPS and LibreOffice write it (the w prefix, attributes in double quotes): then it is parsed whole."""
    opening = data.find(b"<w:styles")
    opening_end = data.find(b">", opening)
    if opening < 0 or opening_end < 0 or _W_DECLARATION not in data[opening:opening_end]:
        return None
    pieces = []
    defaults = data.find(b"<w:docDefaults")
    if defaults >= 0:
        end = data.find(b"</w:docDefaults>", defaults)
        if end < 0:
            return None
        pieces.append(data[defaults : end + len(b"</w:docDefaults>")])
    found: dict[str, bytes] = {}
    at = 0
    while (at := data.find(b' w:default="1"', at + 1)) >= 0:
        style = _style_around(data, at)
        if style is None:
            return None
        found[f"default {at}"] = style
    wanted = list(used) + [_based_on(style) for style in found.values()]
    while wanted:
        style_id = wanted.pop()
        if style_id is None or style_id in found:
            continue
        key = f' w:styleId="{xml_escape(style_id, {chr(34): "&quot;"})}"'.encode()
        at = data.find(key)
        if at < 0:
            if style_id.encode() in data:
                return None  # written some other way
            found[style_id] = b""  # no such style: Word ignores the reference
            continue
        style = _style_around(data, at)
        if style is None:
            return None
        found[style_id] = style
        wanted.append(_based_on(style))
    try:
        return etree.fromstring(
            data[opening : opening_end + 1] + b"".join(pieces) + b"".join(found.values()) + b"</w:styles>", _PARSER
        )
    except etree.XMLSyntaxError:
        return None


def _style_around(data: bytes, at: int) -> bytes | None:
    """The w:style element whose start tag holds the attribute at `at`."""
    start = data.rfind(b"<", 0, at)
    if data[start : start + 9] != b"<w:style ":
        return None
    end = data.find(b">", at)
    if end < 0:
        return None
    if data[end - 1 : end] == b"/":
        return data[start : end + 1]
    close = data.find(b"</w:style>", end)
    return data[start : close + len(b"</w:style>")] if close >= 0 else None


def _based_on(style: bytes) -> str | None:
    at = style.find(b'<w:basedOn w:val="')
    if at < 0:
        return None
    at += len(b'<w:basedOn w:val="')
    return xml_unescape(style[at : style.find(b'"', at)].decode("utf-8", "replace"), {"&quot;": '"'})


# How a piece of text shows.
_SHOWN, _HIDDEN, _MARK, _WHITE_TEXT, _STRUCK = range(5)
_NOTES = {_WHITE_TEXT: WHITE_NOTE, _STRUCK: STRUCK_NOTE}


_SHADING_IN = {W_TC: W_TC_PR, W_TR: W_TBL_PR_EX, W_TBL: W_TBL_PR}  # where a cell, row or table keeps its shading


class _Look:
    """How the document's text shows: its styles, and whether its page is white."""

    def __init__(self, styles: _Styles, page_plain: bool) -> None:
        self.styles = styles
        self.page_plain = page_plain

    def _ground_plain(self, element: etree._Element) -> bool:
        """Whether what lies behind `element` (a paragraph or a cell) is white: the page, the cells and tables it is
        in (their shading, their table style's), and no text box (a shape that may be filled)."""
        if not self.page_plain:
            return False
        for at in itertools.chain((element,), element.iterancestors(W_TC, W_TR, W_TBL, W_TXBX_CONTENT)):
            tag = at.tag
            if tag == W_TXBX_CONTENT:
                return False
            properties = at.find(_SHADING_IN[tag]) if tag in _SHADING_IN else None
            if properties is None:
                continue
            if any(not _plain(shading) for shading in properties.iterchildren(W_SHD)):
                return False
            if tag == W_TBL:
                table_style = properties.find(W_TBL_STYLE)
                if table_style is not None and not self.styles.style(table_style.get(W_VAL))[1]:
                    return False
        return True

    def _kind(self, rpr: etree._Element | None, paragraph_style: str | None, plain: Callable[[], bool]) -> int:
        """How a run's text shows, from its own properties (`rpr`) and its styles'."""
        character_style, direct = _own_properties(rpr) if rpr is not None else (None, None)
        props, styles_plain = self.styles.run(paragraph_style, character_style) if self.styles.notable else ({}, True)
        if direct:
            props = {**props, **direct}
        if not props and styles_plain:
            return _SHOWN
        if props.get(W_VANISH):
            return _HIDDEN
        shaded = not styles_plain or props.get(W_SHD) or props.get(W_HIGHLIGHT)
        if props.get(W_COLOR) and not shaded and plain():
            return _WHITE_TEXT
        if props.get(W_STRIKE) or props.get(W_DSTRIKE):
            return _STRUCK
        return _MARK if props.get(W_VERT_ALIGN) else _SHOWN

    def text(self, element: etree._Element) -> str:
        """Text of a paragraph (or of a cell: its paragraphs one per line), as Word shows it.

        Hidden text (w:vanish) is not shown, so not read: an old figure kept hidden beside the new one would join it.
        Raised or lowered text beside other text is a note mark ("12¹"), not digits of the number: it is dropped.
        White text on a white ground is not seen, and struck-through text is crossed out: beside other text (an old
        figure struck through beside the new one, "~~12~~ 15") they are dropped; a figure alone in its cell is kept
        with a note that makes it no number.
        """
        ground: list[bool] = []  # whether the ground behind `element` is white: asked only of white text
        paragraph = element

        def plain() -> bool:
            if not ground:
                ground.append(self._ground_plain(element))
            properties = paragraph.find(W_P_PR)
            shading = () if properties is None else properties.iterchildren(W_SHD)
            return ground[0] and all(_plain(shade) for shade in shading)

        notable = self.styles.notable
        parts: list[str] = []
        kinds: list[int] = []
        paragraph_style: str | None = None
        for node in element.iter(W_P, *_TEXT_PARTS):
            tag = node.tag
            if tag == W_P:
                paragraph = node
                if notable:
                    style = node.find(f"{W_P_PR}/{W_P_STYLE}")
                    paragraph_style = style.get(W_VAL) if style is not None else None
                if parts:
                    parts.append("\n")
                    kinds.append(_SHOWN)
                continue
            run = node.getparent()
            rpr = run.find(W_R_PR) if run.tag == W_R else None
            kind = _SHOWN
            if rpr is not None or notable:
                kind = self._kind(rpr, paragraph_style, plain)
                if kind == _HIDDEN:
                    continue
            if tag == W_T:
                parts.append(node.text or "")
                kinds.append(kind)
            elif tag == W_TAB:
                parts.append(" ")
                kinds.append(_SHOWN)
            elif parts:  # a line break
                parts.append("\n")
                kinds.append(_SHOWN)
        if any(kinds):  # anything not plainly shown
            _settle(parts, kinds, element.tag == W_TC)
        return "".join(parts)


def _settle(parts: list[str], kinds: list[int], cell: bool) -> None:
    """Drop (or note) in place the parts a human does not read as the text: see _Look.text."""
    if _MARK in kinds and any(part.strip() for part, kind in zip(parts, kinds, strict=True) if kind != _MARK):
        for i, kind in enumerate(kinds):
            if kind == _MARK:
                parts[i] = ""
    shown_digits = any(
        ch.isdigit() for part, kind in zip(parts, kinds, strict=True) if kind in (_SHOWN, _MARK) for ch in part
    )
    i = 0
    while i < len(parts):
        kind = kinds[i]
        if kind not in _NOTES:
            i += 1
            continue
        end = i
        while end < len(parts) and kinds[end] == kind:
            end += 1
        digits = any(ch.isdigit() for part in parts[i:end] for ch in part)
        keep = digits and cell and not shown_digits
        for k in range(i, end):
            parts[k] = parts[k] if keep else ""
        if keep:
            parts[end - 1] += _NOTES[kind]
        i = end


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
    def __init__(self, out: LayoutBuilder, look: _Look) -> None:
        self.out = out
        self.text = look.text
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
                    self.out.line(self.text(child), here)
                    continue
                # A text box holding a table: the table is read as one, not as its cells' text run together
                # in the anchoring paragraph (an empty cell would vanish from that line and shift the rest).
                own = copy.deepcopy(child)
                for box in list(own.iter(W_TXBX_CONTENT)):
                    box.getparent().remove(box)
                self.out.line(self.text(own), here)
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
                text = self.text(tc)
                if down and NUMBER_TEXT.fullmatch(text.strip()):
                    text += MERGED_ROWS_NOTE  # a number merged over rows is no one row's (as a web page's rowspan)
                cells.append((text, location))
            # A blank spacer row says nothing, except a table's blank last row under a header that holds no number:
            # the values row of a 表四 left empty (no review, no litigation) is 15 blank cells, read as zeros.
            blank_values = r == kept[-1] and len(kept) > 1 and not numbers
            if any(text.strip() for text, _ in cells) or (cells and blank_values):
                self.out.row(cells)
            numbers = numbers or any(ch.isdigit() for text, _ in cells for ch in text)
