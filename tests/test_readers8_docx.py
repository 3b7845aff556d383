"""Word tables red-teamed at the reader, round 8: text hidden or raised through a style, white text, phonetic
guides, struck-through figures."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from gongkai.parse import parse_bytes
from gongkai.proving.evaluate import table_differences
from gongkai.proving.synth_files import build_docx
from gongkai.reading import docx as docx_reader
from tests.test_docx import _replace_member
from tests.test_readers7_docx import _cell, _run, _truth, _unread_only, _w

STYLES = "word/styles.xml"
DOCUMENT = "word/document.xml"


def _edited(edit_document, edit_styles=None, seed: int = 7) -> tuple[dict, bytes]:
    truth = _truth(seed)
    data = build_docx(truth, seed)
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name, edit in ((DOCUMENT, edit_document), (STYLES, edit_styles)):
        if edit is None:
            continue
        root = etree.fromstring(archive.read(name))
        edit(root, truth) if name == DOCUMENT else edit(root)
        data = _replace_member(data, name, etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return truth, data


def _differences(edit_document, edit_styles=None) -> list[str]:
    truth, data = _edited(edit_document, edit_styles)
    return table_differences(truth, parse_bytes(data, "report.docx").to_json())


def _style(styles, style_id: str, kind: str = "character", based_on: str | None = None, *props, paragraph=()):
    """Add a style with the given run properties (name, value or None) and paragraph properties."""
    style = etree.SubElement(styles, _w("style"), {_w("type"): kind, _w("styleId"): style_id})
    etree.SubElement(style, _w("name"), {_w("val"): style_id})
    if based_on:
        etree.SubElement(style, _w("basedOn"), {_w("val"): based_on})
    if paragraph:
        ppr = etree.SubElement(style, _w("pPr"))
        for element in paragraph:
            ppr.append(element)
    rpr = etree.SubElement(style, _w("rPr"))
    for name, value in props:
        etree.SubElement(rpr, _w(name), {_w("val"): value} if value is not None else {})
    return style


def _styled_run(text: str, style_id: str, *props: tuple[str, ...]):
    run = _run(text, *props)
    run.find(_w("rPr")).insert(0, etree.Element(_w("rStyle"), {_w("val"): style_id}))
    return run


def _figure_paragraph(root, truth, path=("requests", "granted", 0)):
    table, key, index = path
    return next(_cell(root, str(truth[table][key][index])).iter(_w("p")))


def _every_run_of_the_figure(tag: str, attrs: dict | None = None):
    """A document edit: the property `tag` (with `attrs`) on every run of 表三's first figure's cell."""

    def document(root, truth):
        for run in _cell(root, str(truth["requests"]["granted"][0])).iter(_w("r")):
            rpr = run.find(_w("rPr"))
            if rpr is None:
                rpr = etree.Element(_w("rPr"))
                run.insert(0, rpr)
            etree.SubElement(rpr, tag, attrs or {})

    return document


def _set_paragraph_style(paragraph, style_id: str) -> None:
    ppr = paragraph.find(_w("pPr"))
    if ppr is None:
        ppr = etree.Element(_w("pPr"))
        paragraph.insert(0, ppr)
    for old in ppr.findall(_w("pStyle")):
        ppr.remove(old)
    ppr.insert(0, etree.Element(_w("pStyle"), {_w("val"): style_id}))


# ---------------------------------------------------------------------------
# 1. Hidden and raised text through a style
# ---------------------------------------------------------------------------
def test_text_hidden_by_its_character_style_is_not_read():
    """Last year's figure kept beside this year's in a character style that hides it: Word shows only this year's."""

    def document(root, truth):
        _figure_paragraph(root, truth).insert(1, _styled_run("77", "旧数"))

    assert _differences(document, lambda styles: _style(styles, "旧数", "character", None, ("vanish", None))) == []


def test_text_hidden_by_the_style_its_style_is_based_on_is_not_read():
    def document(root, truth):
        _figure_paragraph(root, truth).append(_styled_run("9", "旧数派生"))

    def styles(root):
        _style(root, "旧数", "character", None, ("vanish", None))
        _style(root, "旧数派生", "character", "旧数", ("b", None))

    assert _differences(document, styles) == []


def test_a_note_mark_raised_by_its_style_is_not_a_digit():
    """A footnote reference after a figure, raised by the footnote reference style (as Word writes it)."""

    def document(root, truth):
        _figure_paragraph(root, truth).append(_styled_run("1", "脚注引用"))

    def styles(root):
        _style(root, "脚注引用基", "character", None, ("vertAlign", "superscript"))
        _style(root, "脚注引用", "character", "脚注引用基")

    assert _differences(document, styles) == []


def test_text_hidden_by_its_paragraph_style_is_not_read():
    """A paragraph style hides its runs; a run that switches hiding off is shown."""

    def document(root, truth):
        paragraph = _figure_paragraph(root, truth)
        figure = "".join(t.text for t in paragraph.iter(_w("t")))
        for run in list(paragraph.iter(_w("r"))):
            paragraph.remove(run)
        _set_paragraph_style(paragraph, "隐藏段落")
        paragraph.append(_run("77"))
        paragraph.append(_run(figure, ("vanish", "0")))

    assert _differences(document, lambda styles: _style(styles, "隐藏段落", "paragraph", None, ("vanish", None))) == []


def test_text_hidden_by_the_document_defaults_is_not_read():
    """The document defaults hide text; the default paragraph style shows it again, a character style without a
    word on hiding (basedOn nothing) does not change that, one that hides toggles it hidden."""

    def document(root, truth):
        _figure_paragraph(root, truth).append(_styled_run("5", "旧数"))

    def styles(root):
        defaults = root.find(_w("docDefaults")).find(_w("rPrDefault")).find(_w("rPr"))
        etree.SubElement(defaults, _w("vanish"))
        normal = next(
            s for s in root.iter(_w("style")) if s.get(_w("default")) == "1" and s.get(_w("type")) == "paragraph"
        )
        rpr = normal.find(_w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(normal, _w("rPr"))
        etree.SubElement(rpr, _w("vanish"), {_w("val"): "0"})
        _style(root, "旧数", "character", None, ("vanish", None))

    assert _differences(document, styles) == []


def test_hiding_set_by_both_the_paragraph_and_the_character_style_cancels_out():
    """Word's toggle properties: a hiding character style in a hiding paragraph style shows the text."""

    def document(root, truth):
        paragraph = _figure_paragraph(root, truth)
        _set_paragraph_style(paragraph, "隐藏段落")
        for run in paragraph.iter(_w("r")):
            rpr = run.find(_w("rPr"))
            if rpr is None:
                rpr = etree.Element(_w("rPr"))
                run.insert(0, rpr)
            rpr.insert(0, etree.Element(_w("rStyle"), {_w("val"): "隐藏字"}))

    def styles(root):
        _style(root, "隐藏段落", "paragraph", None, ("vanish", None))
        _style(root, "隐藏字", "character", None, ("vanish", None))

    assert _differences(document, styles) == []


def test_styles_written_with_another_prefix_are_read_whole():
    """A styles part whose namespace prefix is not w: (valid XML, though no Word writes it) is still understood."""

    def document(root, truth):
        _figure_paragraph(root, truth).insert(1, _styled_run("77", "旧数"))

    truth, data = _edited(document, lambda styles: _style(styles, "旧数", "character", None, ("vanish", None)))
    xml = zipfile.ZipFile(io.BytesIO(data)).read(STYLES).decode()
    renamed = xml.replace("xmlns:w=", "xmlns:ww=").replace("<w:", "<ww:").replace("</w:", "</ww:")
    renamed = renamed.replace(" w:", " ww:")
    data = _replace_member(data, STYLES, renamed.encode())
    assert table_differences(truth, parse_bytes(data, "report.docx").to_json()) == []


# ---------------------------------------------------------------------------
# 2. White text, phonetic guides, struck-through figures
# ---------------------------------------------------------------------------
def test_white_text_beside_a_figure_is_not_read():
    def document(root, truth):
        paragraph = _figure_paragraph(root, truth)
        paragraph.insert(1, _run("77", ("color", "FFFFFF")))
        paragraph.append(_run("3", ("color", "fefefe")))

    assert _differences(document) == []


def test_white_text_by_a_style_beside_a_figure_is_not_read():
    def document(root, truth):
        _figure_paragraph(root, truth).insert(1, _styled_run("77", "白字"))

    assert _differences(document, lambda styles: _style(styles, "白字", "character", None, ("color", "FFFFFF"))) == []


def _shade(cell, fill: str) -> None:
    tc_pr = cell.find(_w("tcPr"))
    if tc_pr is None:
        tc_pr = etree.Element(_w("tcPr"))
        cell.insert(0, tc_pr)
    etree.SubElement(tc_pr, _w("shd"), {_w("val"): "clear", _w("color"): "auto", _w("fill"): fill})


def test_white_figures_on_a_dark_cell_are_read():
    """White on a dark blue cell is what Word shows: read."""

    def document(root, truth):
        cell = _cell(root, str(truth["requests"]["granted"][0]))
        _shade(cell, "1F4E79")
        for run in cell.iter(_w("r")):
            rpr = run.find(_w("rPr"))
            if rpr is None:
                rpr = etree.Element(_w("rPr"))
                run.insert(0, rpr)
            etree.SubElement(rpr, _w("color"), {_w("val"): "FFFFFF"})

    assert _differences(document) == []


def test_a_cell_holding_only_a_white_figure_is_not_read():
    """A white figure alone in a cell: nothing shows, but whether the page behind is white is not certain either
    (a shape, a picture): the cell is left unread, never read as the hidden figure nor as a blank 0."""
    truth, data = _edited(_every_run_of_the_figure(_w("color"), {_w("val"): "FFFFFF"}))
    _unread_only(truth, parse_bytes(data, "report.docx").to_json(), ("requests", "granted", 0))


def test_a_phonetic_guide_is_not_read():
    """w:ruby: the guide text printed small above the base text is not part of it."""

    def document(root, truth):
        paragraph = _figure_paragraph(root, truth)
        figure = "".join(t.text for t in paragraph.iter(_w("t")))
        for run in list(paragraph.iter(_w("r"))):
            paragraph.remove(run)
        ruby = etree.SubElement(etree.SubElement(paragraph, _w("r")), _w("ruby"))
        etree.SubElement(ruby, _w("rubyPr"))
        etree.SubElement(ruby, _w("rt")).append(_run("12"))
        etree.SubElement(ruby, _w("rubyBase")).append(_run(figure))

    assert _differences(document) == []


@pytest.mark.parametrize("strike", ["strike", "dstrike"])
def test_a_struck_figure_beside_its_replacement_is_not_read(strike):
    """ "~~12~~ 15": the struck figure is crossed out, the one beside it is the figure (not 1215)."""

    def document(root, truth):
        _figure_paragraph(root, truth).insert(1, _run("12", (strike,)))

    assert _differences(document) == []


def test_a_struck_figure_alone_is_not_read():
    """A figure crossed out with nothing beside it: neither it nor a blank 0."""
    truth, data = _edited(_every_run_of_the_figure(_w("strike")))
    _unread_only(truth, parse_bytes(data, "report.docx").to_json(), ("requests", "granted", 0))


def test_a_struck_figure_in_prose_is_not_read():
    def document(root, truth):
        for paragraph in root.iter(_w("p")):
            text = "".join(t.text or "" for t in paragraph.iter(_w("t")))
            if "申请" in text and any(ch.isdigit() for ch in text):
                first = next(paragraph.iter(_w("r")))
                first.addnext(_run("864213", ("strike",)))

    _, data = _edited(document)
    assert "864213" not in docx_reader.read(data).text


def test_a_field_is_read_as_its_result_not_its_code():
    """A total written as a field ({ =SUM(LEFT) }, { QUOTE 12 }): Word shows the result it saved, not the code."""

    def document(root, truth):
        paragraph = _figure_paragraph(root, truth)
        figure = "".join(t.text for t in paragraph.iter(_w("t")))
        for run in list(paragraph.iter(_w("r"))):
            paragraph.remove(run)
        for kind, text in (("begin", None), (None, " QUOTE 12 "), ("separate", None), (None, figure), ("end", None)):
            run = etree.SubElement(paragraph, _w("r"))
            if kind:
                etree.SubElement(run, _w("fldChar"), {_w("fldCharType"): kind})
            elif text.startswith(" "):
                etree.SubElement(run, _w("instrText")).text = text
            else:
                etree.SubElement(run, _w("t")).text = text
        simple = etree.SubElement(_figure_paragraph(root, truth, ("requests", "granted", 1)), _w("fldSimple"))
        simple.set(_w("instr"), " =SUM(LEFT) ")
        cell = _cell(root, str(truth["requests"]["granted"][1]))
        paragraph = next(cell.iter(_w("p")))
        for run in list(paragraph.iter(_w("r"))):
            if run.getparent() is paragraph:
                paragraph.remove(run)
                simple.append(run)

    assert _differences(document) == []
