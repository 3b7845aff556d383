"""The report as Word (.docx) in the official document style of GB/T 9704-2012 (党政机关公文格式).

A4 with the standard's 版心 156 mm × 225 mm, 天头 37 mm and 订口 28 mm; the title in
2号小标宋, the body in 3号仿宋 on a grid of 22 lines, first-level headings in 黑体,
second-level in 楷体; page numbers "— 1 —" in 4号, right on single pages and left on
double pages.  Fonts are named as agencies' machines have them (spec/authoring.toml),
with the usual Windows font as Word's fallback in the document's font table.  The three
tables follow the shared layout of `gongkai.authoring.tables` with merged cells, ruled
borders and repeated header rows.
"""

from __future__ import annotations

import io
import re
from datetime import date
from xml.sax.saxutils import escape as xml_escape

import docx
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from lxml import etree

from gongkai.authoring.draft import AnnualReportDraft
from gongkai.authoring.spec import Font, authoring, fonts
from gongkai.authoring.tables import TableLayout, filled, grid_positions, layouts
from gongkai.spec import SECTIONS

_SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）[^。；]{1,30}$")
_TWIPS_PER_MM = 1440 / 25.4


def _twips(mm: float) -> int:
    return round(mm * _TWIPS_PER_MM)


def _font(run, font: Font, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.name = font.name
    run.font.bold = bold or None
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), font.name)


def _no_grid(paragraph) -> None:
    """Lines of this paragraph do not snap to the 22-line grid (titles and table cells)."""
    ppr = paragraph._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert(0, snap)


# pPr children that follow w:autoSpaceDE/w:autoSpaceDN in the schema's order.
_AFTER_AUTOSPACE = tuple(
    qn(f"w:{tag}")
    for tag in (
        "bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
        "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ).split()
)


def _no_autospace(ppr) -> None:
    """No extra space between Chinese and Latin letters or digits: "申请199件" stays one run of text in the PDF's
    text layer (with the space, a PDF reader sees "申请 199 件")."""
    following = next((child for child in ppr if child.tag in _AFTER_AUTOSPACE), None)
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "0")
        if following is None:
            ppr.append(element)
        else:
            following.addprevious(element)


def _outline(paragraph, level: int) -> None:
    """A heading in Word's navigation pane, without changing its look."""
    ppr = paragraph._p.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    ppr.append(outline)


class _Writer:
    def __init__(self, draft: AnnualReportDraft) -> None:
        self.draft = draft
        self.spec = authoring()
        self.fonts = fonts()
        self.sizes = self.spec["sizes"]
        self.doc = docx.Document()
        self._page()
        self._styles()
        self._font_table()

    # -- page -------------------------------------------------------------------
    def _page(self) -> None:
        page = self.spec["page"]
        section = self.doc.sections[0]
        section.start_type = WD_SECTION_START.NEW_PAGE
        section.page_width, section.page_height = Mm(page["width_mm"]), Mm(page["height_mm"])
        section.top_margin, section.left_margin = Mm(page["top_mm"]), Mm(page["left_mm"])
        section.right_margin = Mm(page["width_mm"] - page["left_mm"] - page["text_width_mm"])
        bottom = page["height_mm"] - page["top_mm"] - page["text_height_mm"]
        section.bottom_margin = Mm(bottom)
        # The page number's line starts `page_number_below_mm` under the 版心.
        number_line_mm = page["page_number_size_pt"] * 25.4 / 72 * 1.3
        section.footer_distance = Mm(bottom - page["page_number_below_mm"] - number_line_mm)
        section.header_distance = Mm(15)
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(page["line_pitch_pt"] * 20)))
        self.doc.settings.odd_and_even_pages_header_footer = True
        self._page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
        self._page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    def _page_number(self, footer, align) -> None:
        page = self.spec["page"]
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        size = page["page_number_size_pt"]
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        one_char = Pt(size)  # 右空一字 / 左空一字
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = one_char
        else:
            fmt.left_indent = one_char
        _no_grid(paragraph)
        before, after = page["page_number_format"].split("{n}")
        for text in (before, None, after):
            run = paragraph.add_run(text or "")
            _font(run, self.fonts["page_number"], size)
            if text is None:
                for kind, instr in (("begin", None), (None, " PAGE "), ("end", None)):
                    if kind:
                        element = OxmlElement("w:fldChar")
                        element.set(qn("w:fldCharType"), kind)
                    else:
                        element = OxmlElement("w:instrText")
                        element.set(qn("xml:space"), "preserve")
                        element.text = instr
                    run._r.append(element)

    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(self.sizes["body"])
        normal.font.name = self.fonts["body"].name
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), self.fonts["body"].name)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(self.spec["page"]["line_pitch_pt"])
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(self.sizes["body"] * 2)
        fmt.widow_control = False
        _no_autospace(normal.element.get_or_add_pPr())

    def _font_table(self) -> None:
        """Name each font with Word's fallback (altName) in word/fontTable.xml."""
        part = next(p for p in self.doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
        root = etree.fromstring(part.blob)
        for font in {f.name: f for f in self.fonts.values()}.values():
            element = etree.SubElement(root, qn("w:font"))
            element.set(qn("w:name"), font.name)
            alt = etree.SubElement(element, qn("w:altName"))
            alt.set(qn("w:val"), font.word_fallback)
            charset = etree.SubElement(element, qn("w:charset"))
            charset.set(qn("w:val"), "86")  # GB2312
            family = etree.SubElement(element, qn("w:family"))
            family.set(qn("w:val"), "modern" if font.role in ("body", "heading2") else "roman")
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    # -- text -------------------------------------------------------------------
    def paragraph(self, text: str, role: str = "body", *, align=None, indent: bool = True, size=None, bold=False):
        paragraph = self.doc.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if not indent:
            paragraph.paragraph_format.first_line_indent = Pt(0)
        run = paragraph.add_run(text)
        _font(run, self.fonts[role], size or self.sizes["body"], bold)
        _no_autospace(paragraph._p.get_or_add_pPr())  # LibreOffice reads it from the paragraph, not the style
        return paragraph

    def title(self) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.line_spacing = Pt(self.sizes["title"] * 1.6)
        _no_grid(paragraph)
        for i, line in enumerate(title_lines(self.draft.title())):
            run = paragraph.add_run()
            if i:
                run.add_break()
            run.add_text(line)
            _font(run, self.fonts["title"], self.sizes["title"])
        self.doc.add_paragraph()  # 标题下空一行

    def body(self, text: str) -> None:
        for line in (ln.strip() for ln in text.splitlines()):
            if not line:
                continue
            if _SUBHEADING.match(line):
                _outline(self.paragraph(line, "heading2"), 1)
            else:
                self.paragraph(line)

    def signature(self) -> None:
        """The agency and the date at the end, right-aligned (成文日期右空四字)."""
        self.doc.add_paragraph()
        indent = Pt(self.sizes["body"] * 4)
        for text in (self.draft.agency, _chinese_date(self.draft.published) if self.draft.published else None):
            if text:
                paragraph = self.paragraph(text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
                paragraph.paragraph_format.right_indent = indent

    # -- tables -----------------------------------------------------------------
    def table(self, layout: TableLayout) -> None:
        """The table as WordprocessingML, in schema order: python-docx's cell API re-lays the whole table on
        every merge (a report took a second) and appends table properties out of order."""
        size = self.sizes["table_wide" if layout.wide else "table"]
        half_points = round(size * 2)
        line = round(size * 1.3 * 20)  # exact line height, twentieths of a point
        pad = _twips(self.sizes["cell_padding_mm"])
        side = _twips(1)
        border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'  # 0.5 pt rules
        parts = [
            f"<w:tbl {nsdecls('w')}><w:tblPr>"
            f'<w:tblW w:w="{_twips(sum(layout.widths_mm))}" w:type="dxa"/><w:jc w:val="center"/>'
            "<w:tblBorders>"
            + "".join(f"<w:{edge} {border}/>" for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
            + '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>'
            f'<w:top w:w="{pad}" w:type="dxa"/><w:left w:w="{side}" w:type="dxa"/>'
            f'<w:bottom w:w="{pad}" w:type="dxa"/><w:right w:w="{side}" w:type="dxa"/>'
            '</w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
            'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>'
            + "".join(f'<w:gridCol w:w="{_twips(w)}"/>' for w in layout.widths_mm)
            + "</w:tblGrid>"
        ]
        fonts = {kind: self.fonts["heading1" if kind == "head" else "body"].name for kind in ("head", "label", "value")}
        # Grid column → the vertically merged cell that covers it in later rows: (first column, colspan, last row).
        pending: dict[int, tuple[int, int]] = {}
        for r, placed in enumerate(grid_positions(layout)):
            header = "<w:tblHeader/>" if r < layout.header_rows else ""
            cells: dict[int, str] = {}
            for c, (span, last) in list(pending.items()):
                cells[c] = self._tc(sum(layout.widths_mm[c : c + span]), span, "<w:vMerge/>", "", "", 0, 0)
                if last == r:
                    del pending[c]
            for c, cell in placed:
                merge = ""
                if cell.rowspan > 1:
                    merge = '<w:vMerge w:val="restart"/>'
                    pending[c] = (cell.colspan, r + cell.rowspan - 1)
                jc = "left" if cell.kind == "label" and cell.rowspan == 1 else "center"  # row labels from the left
                width = sum(layout.widths_mm[c : c + cell.colspan])
                cells[c] = self._tc(width, cell.colspan, merge, cell.text, fonts[cell.kind], half_points, line, jc)
            parts.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")  # rows never break across pages
            parts += [cells[c] for c in sorted(cells)]
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        self.doc.element.body.append(parse_xml("".join(parts)))
        self.doc.element.body.append(self.doc.element.body.sectPr)  # the section properties stay last

    @staticmethod
    def _tc(width_mm, span, merge, text, font, half_points, line, jc="center") -> str:
        grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        props = f'<w:tcPr><w:tcW w:w="{_twips(width_mm)}" w:type="dxa"/>{grid_span}{merge}<w:vAlign w:val="center"/>'
        if not text and not font:
            return f"<w:tc>{props}</w:tcPr><w:p/></w:tc>"
        run = ""
        if text:
            fonts = f'w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"'
            run = (
                f'<w:r><w:rPr><w:rFonts {fonts}/><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
                f'</w:rPr><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r>'
            )
        paragraph = (
            '<w:p><w:pPr><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:snapToGrid w:val="0"/>'
            f'<w:spacing w:line="{line}" w:lineRule="exact"/>'
            f'<w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="{jc}"/></w:pPr>{run}</w:p>'
        )
        return f"<w:tc>{props}</w:tcPr>{paragraph}</w:tc>"

    # -- the whole report ------------------------------------------------------
    def build(self) -> bytes:
        draft = self.draft
        tables = layouts(draft.format_id)
        self.doc.core_properties.title = draft.title()
        self.doc.core_properties.author = draft.agency
        self.title()
        self.paragraph(draft.intro())
        for section in SECTIONS:
            heading = self.paragraph(f"{section.number}、{section.label}", "heading1")
            heading.paragraph_format.keep_with_next = True
            _outline(heading, 0)
            if section.table:
                self.table(filled(tables[section.table], draft.value))
            else:
                self.body(draft.texts.get(section.key, ""))
        self.signature()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def title_lines(title: str) -> list[str]:
    """The title's lines: broken between words when it is longer than a line (spec/authoring.toml)."""
    words = authoring()["text"]
    cut = title.rfind(words["title_break_before"])
    if len(title) <= words["title_chars_per_line"] or cut <= 0:
        return [title]
    return [title[:cut], title[cut:]]


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def build_docx(draft: AnnualReportDraft) -> bytes:
    """The draft as a .docx file in the official document style."""
    return _Writer(draft).build()
