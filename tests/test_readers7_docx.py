"""Word tables red-teamed at the reader: text Word does not show, and note marks beside a number."""

from __future__ import annotations

import io
import random
import zipfile

from lxml import etree

from gongkai.parse import parse_bytes
from gongkai.proving.evaluate import table_differences
from gongkai.proving.synth import random_tables
from gongkai.proving.synth_files import build_docx
from tests.test_docx import _replace_member

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _truth(seed: int) -> dict:
    """Ground truth with distinct non-zero figures, so that a figure read into the wrong cell cannot pass."""
    rng = random.Random(seed)
    truth = random_tables(rng, "2021")
    figures = iter(rng.sample(range(11, 9999), 400))
    for row in truth["active"].values():
        for key, value in row.items():
            if isinstance(value, int):
                row[key] = next(figures)
    for values in truth["requests"].values():
        if values is not None:
            values[:6] = [next(figures) for _ in range(6)]
            values[6] = sum(values[:6])
    for values in truth["review_litigation"].values():
        values[:4] = [next(figures) for _ in range(4)]
        values[4] = sum(values[:4])
    return truth


def _patched(data: bytes, edit) -> bytes:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    edit(root)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _replace_member(data, "word/document.xml", xml)


def _cell(root, text: str):
    return next(tc for tc in root.iter(_w("tc")) if "".join(t.text or "" for t in tc.iter(_w("t"))) == text)


def _run(text: str, *props: tuple[str, ...]):
    run = etree.Element(_w("r"))
    rpr = etree.SubElement(run, _w("rPr"))
    for name, *value in props:
        etree.SubElement(rpr, _w(name), {_w("val"): value[0]} if value else {})
    etree.SubElement(run, _w("t")).text = text
    return run


def _unread_only(truth: dict, got: dict, path: tuple[str, str, int | str]) -> None:
    """The cell at `path` is unread, and every other cell reads as the truth or not at all."""
    table, key, field = path
    assert got[table][key][field] is None
    assert [line for line in table_differences(truth, got) if "got None" not in line] == []


def _read(edit) -> tuple[dict, dict]:
    truth = _truth(7)
    data = _patched(build_docx(truth, 7), lambda root: edit(root, truth))
    return truth, parse_bytes(data, "report.docx").to_json()


def test_hidden_text_in_a_value_cell_is_not_read():
    """An old figure kept as hidden text (w:vanish) beside the new one: Word shows only the new one."""

    def edit(root, truth):
        paragraph = next(_cell(root, str(truth["requests"]["granted"][0])).iter(_w("p")))
        paragraph.insert(1, _run("77", ("vanish",)))  # before the figure's run
        paragraph.append(_run("9", ("vanish", "true")))

    truth, got = _read(edit)
    assert table_differences(truth, got) == []


def test_text_with_vanish_switched_off_is_read():
    def edit(root, truth):
        figure = str(truth["requests"]["granted"][0])
        paragraph = next(_cell(root, figure).iter(_w("p")))
        for run in list(paragraph.iter(_w("r"))):
            paragraph.remove(run)
        paragraph.append(_run(figure[:1], ("vanish", "0")))
        paragraph.append(_run(figure[1:], ("vanish", "false")))

    truth, got = _read(edit)
    assert table_differences(truth, got) == []


def test_a_superscript_note_mark_is_not_a_digit_of_the_number():
    def edit(root, truth):
        paragraph = next(_cell(root, str(truth["requests"]["granted"][0])).iter(_w("p")))
        paragraph.append(_run("1", ("vertAlign", "superscript")))

    truth, got = _read(edit)
    assert table_differences(truth, got) == []


def test_a_number_written_all_in_superscript_is_still_read():
    def edit(root, truth):
        figure = str(truth["requests"]["granted"][0])
        paragraph = next(_cell(root, figure).iter(_w("p")))
        for run in list(paragraph.iter(_w("r"))):
            paragraph.remove(run)
        paragraph.append(_run(figure, ("vertAlign", "superscript")))

    truth, got = _read(edit)
    assert table_differences(truth, got) == []


def _delete_row(tr, keep_text: bool) -> None:
    """Mark a row as deleted with change tracking; Word also turns its text into w:delText unless `keep_text`."""
    tr_pr = tr.find(_w("trPr"))
    if tr_pr is None:
        tr_pr = etree.Element(_w("trPr"))
        tr.insert(0, tr_pr)
    etree.SubElement(tr_pr, _w("del"), {_w("id"): "9", _w("author"): "某人"})
    if not keep_text:
        for text in tr.iter(_w("t")):
            text.tag = _w("delText")


def test_a_row_tracked_as_deleted_is_not_read():
    """An old 予以公开 row kept as a tracked deletion above the new one: only the new row is in the document."""

    def edit(root, truth):
        row = _cell(root, str(truth["requests"]["granted"][0])).getparent()
        old = etree.fromstring(etree.tostring(row))
        for text in old.iter(_w("t")):
            if text.text and text.text.isdigit():
                text.text = str(int(text.text) + 1)
        _delete_row(old, keep_text=True)
        row.addprevious(old)

    truth, got = _read(edit)
    assert table_differences(truth, got) == []


def test_a_deleted_values_row_of_table_four_is_not_read_as_zeros():
    """表四's only values row deleted with change tracking: no figure is shown, none is read (not fifteen zeros)."""

    def edit(root, truth):
        _delete_row(_cell(root, str(truth["review_litigation"]["review"][0])).getparent(), keep_text=False)

    _, got = _read(edit)
    assert all(value is None for row in got["review_litigation"].values() for value in row)


def _into_text_box(root, tbl) -> None:
    """Move a table into a text box anchored in a new paragraph, as Word writes it (a DrawingML shape with a VML
    fallback copy)."""
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    paragraph = etree.Element(_w("p"))
    alternate = etree.SubElement(etree.SubElement(paragraph, _w("r")), f"{{{mc}}}AlternateContent")
    choice = etree.SubElement(alternate, f"{{{mc}}}Choice", Requires="wps")
    shape = etree.SubElement(etree.SubElement(choice, _w("drawing")), f"{{{wps}}}wsp")
    for parent in (etree.SubElement(shape, f"{{{wps}}}txbx"), etree.SubElement(alternate, f"{{{mc}}}Fallback")):
        content = etree.SubElement(parent, _w("txbxContent"))
        content.append(etree.fromstring(etree.tostring(tbl)))
        etree.SubElement(content, _w("p"))
    tbl.addprevious(paragraph)
    tbl.getparent().remove(tbl)


def test_a_table_in_a_text_box_is_read_as_a_table():
    """表三 in a text box, one of its cells left blank: read as a table, the blank cell stays in its place."""
    truth = _truth(7)
    data = build_docx(truth, 7)
    granted = truth["requests"]["granted"]
    blanked, total = granted[1], granted[6]
    granted[1], granted[6] = 0, total - blanked

    def edit(root):
        for text, shown in ((str(blanked), ""), (str(total), str(granted[6]))):
            for node in _cell(root, text).iter(_w("t")):
                node.text = shown
        _into_text_box(root, list(root.iter(_w("tbl")))[1])

    report = parse_bytes(_patched(data, edit), "report.docx")
    assert table_differences(truth, report.to_json()) == []
