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

import docx
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
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
        size = self.sizes["table_wide" if layout.wide else "table"]
        positions = grid_positions(layout)
        table = self.doc.add_table(rows=len(layout.rows), cols=layout.ncols)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        self._table_properties(table, layout)
        rows = list(table.rows)
        cells = [row.cells for row in rows]  # looked up once, before any merge (merges make lookups slow)
        merges = []
        for r, placed in enumerate(positions):
            self._row_properties(rows[r], header=r < layout.header_rows)
            for c, cell in placed:
                target = cells[r][c]
                paragraph = target.paragraphs[0]
                left = cell.kind == "label" and cell.rowspan == 1  # row labels read from the left
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
                fmt = paragraph.paragraph_format
                fmt.first_line_indent = Pt(0)
                fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                fmt.line_spacing = Pt(round(size * 1.3, 1))
                _no_grid(paragraph)
                if cell.text:
                    role = "heading1" if cell.kind == "head" else "body"
                    _font(paragraph.add_run(cell.text), self.fonts[role], size)
                target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                if cell.rowspan > 1 or cell.colspan > 1:
                    merges.append((target, cells[r + cell.rowspan - 1][c + cell.colspan - 1]))
        for top_left, bottom_right in merges:
            top_left.merge(bottom_right)
        for r, placed in enumerate(positions):  # widths after merging: a merged cell spans its columns
            for c, cell in placed:
                width = sum(layout.widths_mm[c : c + cell.colspan])
                tc = cells[r][c]._tc
                tcw = tc.get_or_add_tcPr().get_or_add_tcW()
                tcw.type, tcw.w = "dxa", _twips(width)

    def _table_properties(self, table, layout: TableLayout) -> None:
        tbl = table._tbl
        tblpr = tbl.tblPr
        width = OxmlElement("w:tblW")
        width.set(qn("w:w"), str(_twips(sum(layout.widths_mm))))
        width.set(qn("w:type"), "dxa")
        tblpr.append(width)
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            border = OxmlElement(f"w:{side}")
            border.set(qn("w:val"), "single")
            border.set(qn("w:sz"), "4")  # 0.5 pt
            border.set(qn("w:space"), "0")
            border.set(qn("w:color"), "000000")
            borders.append(border)
        tblpr.append(borders)
        pad = str(_twips(self.spec["sizes"]["cell_padding_mm"]))
        fixed = OxmlElement("w:tblLayout")
        fixed.set(qn("w:type"), "fixed")
        tblpr.append(fixed)
        margins = OxmlElement("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), pad if side in ("top", "bottom") else str(_twips(1)))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        tblpr.append(margins)
        for col, mm in zip(tbl.tblGrid.findall(qn("w:gridCol")), layout.widths_mm, strict=True):
            col.set(qn("w:w"), str(_twips(mm)))

    @staticmethod
    def _row_properties(row, header: bool) -> None:
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        if header:
            trpr.append(OxmlElement("w:tblHeader"))  # repeated on each page the table runs onto

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
