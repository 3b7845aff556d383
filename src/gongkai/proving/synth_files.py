"""Synthetic reports as the files agencies publish: Word (.docx), Excel (.xlsx) and PDF.

The tables come from `gongkai.proving.synth` (ground truth and its official layout with
merged cells); this module writes them the way office software does, so that
every reader can be tested, benchmarked and evaluated on files with a known
answer (`gongkai synth --layout docx|xlsx|pdf`).
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from dataclasses import replace
from xml.sax.saxutils import escape

import docx
import openpyxl
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from gongkai.proving import synth

HEADINGS = {
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


# ---------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------
TableEdit = Callable[[list], None]  # receives [表二, 表三, 表四] as synth tables, may change cell texts


def _write_cell(cell, text: str) -> None:
    """A cell's text; a label printed on two lines is two paragraphs or a line break (w:br), as typed in Word."""
    if len(text) % 2:
        cell.paragraphs[0].text = text  # python-docx writes "\n" as <w:br/>
        return
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def add_table(container, table) -> None:
    """Write a synth table (rows of cells with rowspan/colspan) as a Word table with merged cells."""
    grid = container.add_table(rows=len(table.rows), cols=table.ncols)
    if hasattr(container, "styles"):
        grid.style = "Table Grid"
    # Every cell is looked up once, before any merge: python-docx lays out the whole
    # table on each grid lookup once cells are merged, which made a report take a second.
    cells = [row.cells for row in grid.rows]
    merges = []
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            _write_cell(cells[r][c], cell.text)
            if cell.rowspan > 1 or cell.colspan > 1:
                merges.append((cells[r][c], cells[r + cell.rowspan - 1][c + cell.colspan - 1]))
            taken |= {(r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)}
            c += cell.colspan
    for top_left, bottom_right in merges:
        top_left.merge(bottom_right)  # the covered cells are empty: the text stays in the top-left one


def build_docx(
    tables: dict,
    seed: int,
    *,
    noise: bool = False,
    edit: TableEdit | None = None,
    frame: bool = False,
    review_note: str | None = None,
) -> bytes:
    """A whole report as .docx: title, the six headings with prose, the three tables (merged cells as in Word).

    `frame` puts 表四 inside a one-cell layout table, as some templates do;
    `review_note` is a paragraph between the heading of 四 and its table.
    """
    rng = random.Random(seed)
    style = synth._style(rng, "html", noise)
    title, org, year = synth._title(tables, rng)
    prose = synth._prose(tables, org, year, rng)
    active, requests, review = synth._tables(tables, style, rng)
    if edit:
        edit([active, requests, review])

    document = docx.Document()
    document.core_properties.title = title
    document.sections[0].footer.paragraphs[0].text = "第 1 页 共 3 页"  # ignored: not the body
    document.add_paragraph(title, style="Title")
    for text in prose["intro"]:
        document.add_paragraph(text)

    def heading(number: str) -> None:
        document.add_paragraph(synth._heading(number, rng, style), style="Heading 2")

    heading("一")
    for text in prose["overview"]:
        document.add_paragraph(text)
    heading("二")
    add_table(document, active)
    heading("三")
    add_table(document, requests)
    heading("四")
    if review_note:
        document.add_paragraph(review_note)
    if frame:
        outer = document.add_table(rows=1, cols=1)
        add_table(outer.cell(0, 0), review)
    else:
        add_table(document, review)
    heading("五")
    for text in prose["problems"]:
        document.add_paragraph(text)
    heading("六")
    for text in prose["other"]:
        document.add_paragraph(text)
    document.add_paragraph(f"{org}办公室")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------
def sheet_tables(truth: dict, seed: int) -> dict[str, synth._Table]:
    """The three tables of a report in the official layout, keyed by table."""
    rng = random.Random(seed)
    style = synth._style(rng, "html", False)
    return dict(zip(HEADINGS, synth._tables(truth, style, rng), strict=True))


def _typed(text: str) -> int | float | str:
    """Numbers as Excel stores them: 12 and 20.3 are numbers, labels and placeholders text."""
    if _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


def _write_table(ws, table: synth._Table, top: int) -> int:
    """Write a synth table from row `top` with merged ranges; returns the row after it."""
    for r, slots in enumerate(synth._slots(table)):
        for c, (kind, cell) in enumerate(slots):
            if kind != "cell":
                continue
            ws.cell(top + r, 1 + c, _typed(cell.text) if cell.text else None)
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(
                    start_row=top + r,
                    start_column=1 + c,
                    end_row=top + r + cell.rowspan - 1,
                    end_column=c + cell.colspan,
                )
    return top + len(table.rows)


def build_xlsx(truth: dict, seed: int, *, one_sheet: bool = False, title: str = "") -> tuple[bytes, dict]:
    """A workbook holding the three tables, each under its heading (a merged title row).

    Either one sheet per table (表二, 表三, 表四), or all on one sheet with blank rows
    between them.  Returns (bytes, {table: (sheet, first table row)}).
    """
    tables = sheet_tables(truth, seed)
    workbook = openpyxl.Workbook()
    workbook.properties.title = title or None
    first = workbook.active
    tops = {}
    row = 1
    for i, (key, table) in enumerate(tables.items()):
        if one_sheet:
            ws = first
            ws.title = "年报"
        else:
            ws = first if i == 0 else workbook.create_sheet()
            ws.title = "表" + "二三四"[i]
            row = 1
        ws.cell(row, 1, HEADINGS[key])
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=table.ncols)
        tops[key] = (ws.title, row + 1)
        row = _write_table(ws, table, row + 1) + 2  # two blank rows before the next table
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), tops


# ---------------------------------------------------------------------------
# PDF (reportlab; STSong-Light is a CID font every PDF viewer has, so no font file)
# ---------------------------------------------------------------------------
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, firstLineIndent=21)
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=20, spaceBefore=6)
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=8)
# 五号 (10.5 pt) in the tables, as Word reports print them: 表三 is then taller than a page.
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=10.5, leading=13, alignment=TA_CENTER)
COLUMN_WIDTHS = {4: [150] + [115] * 3, 10: [48, 56, 150] + [37] * 7, 15: [34] * 15}
REQUESTS_HEADER_ROWS = 3


def pdf_table(table: synth._Table) -> Table:
    """A synth table (cells with rowspan/colspan) as a ruled platypus Table with SPAN styles."""
    rows, spans = [], []
    for r, slots in enumerate(synth._slots(table)):
        row = []
        for c, (kind, cell) in enumerate(slots):
            text = "<br/>".join(escape(part) for part in cell.text.split("\n")) if kind == "cell" else ""
            row.append(Paragraph(text, CELL) if text else "")
            if kind == "cell" and (cell.rowspan > 1 or cell.colspan > 1):
                spans.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
        rows.append(row)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        *spans,
    ]
    return Table(rows, colWidths=COLUMN_WIDTHS[table.ncols], style=TableStyle(style))


def pdf_cut(
    table: synth._Table, at: int, header_rows: int, split_row: bool = False
) -> tuple[synth._Table, synth._Table]:
    """Split a table before row `at` as Word does: merged cells are cut (the rest of a merged
    label is an empty merged cell on the new page) and the header rows are repeated.

    With `split_row`, row `at` itself is cut: the first line of its label and its values
    end the first page, the rest of the label (beside empty cells) starts the next.
    """
    end = at + 1 if split_row else at
    top = [[replace(c, rowspan=min(c.rowspan, end - r)) for c in row] for r, row in enumerate(table.rows[:end])]
    starts: dict[int, tuple[int, int]] = {}
    first: list[synth._Cell] = []
    for r, slots in enumerate(synth._slots(table)[: at + 1]):
        for c, (kind, cell) in enumerate(slots):
            starts.setdefault(id(cell), (r, c))
            if r == at and kind == "cell":
                first.append(cell)
            elif r == at and kind == "row" and starts[id(cell)][1] == c:
                remaining = starts[id(cell)][0] + cell.rowspan - at
                first.append(synth._Cell("", "empty", rowspan=remaining, colspan=cell.colspan))
    if split_row:  # Word breaks a row between two lines of its text: the first line is full
        label = next(i for i, cell in enumerate(top[at]) if cell.kind == "label" and cell.rowspan == 1)
        column = next(c for c, (kind, cell) in enumerate(synth._slots(table)[at]) if cell is table.rows[at][label])
        width = sum(COLUMN_WIDTHS[table.ncols][column : column + table.rows[at][label].colspan]) - 12  # padding
        text = table.rows[at][label].text
        if "\n" in text or pdfmetrics.stringWidth(text, FONT, CELL.fontSize) <= width:
            raise ValueError(f"{text!r} fits on one line or breaks by hand: not cut here")
        cut = max(k for k in range(1, len(text)) if pdfmetrics.stringWidth(text[:k], FONT, CELL.fontSize) <= width)
        top[at][label] = replace(top[at][label], text=text[:cut])
        first = [
            replace(cell, text=text[cut:] if cell is table.rows[at][label] else "")
            if any(cell is c for c in table.rows[at])
            else cell
            for cell in first
        ]
    rest = [*table.rows[:header_rows], first, *table.rows[at + 1 :]]
    return synth._Table(top, table.ncols), synth._Table(rest, table.ncols)


def report_pdf(
    tables: dict, rng: random.Random, *, noise: bool = True, cut_requests: int | None = None, split_row: bool = False
) -> bytes:
    """A whole report as a PDF: title, six headings, prose and the three ruled tables."""
    st = synth._style(rng, "html", noise)
    title, org, year = synth._title(tables, rng)
    prose = synth._prose(tables, org, year, rng)
    active, requests, review = synth._tables(tables, st, rng)

    def paragraphs(texts: list[str], style: ParagraphStyle = BODY) -> list[Paragraph]:
        return [Paragraph(escape(text), style) for text in texts]

    def heading(number: str) -> Paragraph:
        return Paragraph(escape(synth._heading(number, rng, st)), HEADING)

    if cut_requests is None:
        requests_part = [pdf_table(requests)]
    else:
        before, after = pdf_cut(requests, cut_requests, REQUESTS_HEADER_ROWS, split_row)
        requests_part = [pdf_table(before), PageBreak(), pdf_table(after)]
    story = [
        *paragraphs([title], TITLE),
        *paragraphs(prose["intro"]),
        heading("一"),
        *paragraphs(prose["overview"]),
        heading("二"),
        pdf_table(active),
        heading("三"),
        *requests_part,
        heading("四"),
        pdf_table(review),
        heading("五"),
        *paragraphs(prose["problems"]),
        heading("六"),
        *paragraphs(prose["other"]),
    ]

    def furniture(c: canvas.Canvas, doc: SimpleDocTemplate) -> None:
        c.setFont(FONT, 9)
        c.drawCentredString(A4[0] / 2, A4[1] - 30, title)
        c.drawCentredString(A4[0] / 2, 25, f"- {doc.page} -")

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=40, rightMargin=40, topMargin=50, bottomMargin=45)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out.getvalue()


# ---------------------------------------------------------------------------
# One entry point per file layout
# ---------------------------------------------------------------------------
FILE_LAYOUTS = synth.FILE_LAYOUTS
SUFFIXES = {"docx": ".docx", "xlsx": ".xlsx", "pdf": ".pdf"}


def build(layout: str, tables: dict, rng: random.Random) -> bytes:
    """A whole report holding `tables` as a file of the given layout (one of FILE_LAYOUTS)."""
    if layout == "docx":
        return build_docx(tables, rng.randrange(2**31), noise=True)
    if layout == "xlsx":
        return build_xlsx(tables, rng.randrange(2**31))[0]
    if layout == "pdf":
        return report_pdf(tables, rng)
    raise ValueError(f"unknown file layout {layout!r}; expected one of {', '.join(FILE_LAYOUTS)}")
