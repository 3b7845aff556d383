"""The same report read from UTF-8, GB18030, GBK and UTF-16 files gives the same tables."""

import codecs
import json

import pytest

from gongkai.parse import parse_bytes
from tests.conftest import seed_path


@pytest.fixture(scope="module")
def reference():
    return parse_bytes(seed_path("000").read_bytes()).to_json()


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("gb18030"),
        lambda t: t.encode("gbk", errors="strict"),
        lambda t: t.encode("utf-16"),  # with BOM
        lambda t: t.encode("utf-16-le"),  # without BOM
        lambda t: t.encode("utf-16-be"),
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["gb18030", "gbk", "utf16-bom", "utf16le", "utf16be", "utf8-bom", "crlf"],
)
def test_same_tables(reference, encode):
    text = seed_path("000").read_text(encoding="utf-8")
    got = parse_bytes(encode(text)).to_json()
    for key in ("format", "active", "requests", "review_litigation"):
        assert got[key] == reference[key]
    assert [f["rule"] for f in got["findings"]] == [f["rule"] for f in reference["findings"]]


def test_traditional_characters():
    text = seed_path("004").read_text(encoding="utf-8")
    traditional = (
        text.replace("申请", "申請")
        .replace("处理", "處理")
        .replace("国家", "國家")
        .replace("结转", "結轉")
        .replace("行政许可", "行政許可")
        .replace("公开", "公開")
        .replace("数量", "數量")
    )
    got = parse_bytes(traditional.encode("utf-8")).to_json()
    want = parse_bytes(text.encode("utf-8")).to_json()
    for key in ("format", "active", "requests", "review_litigation"):
        assert got[key] == want[key]


def test_a_stray_nul_becomes_a_replacement_character_of_the_same_length():
    from gongkai.reading.document import load_text

    doc = load_text("一、总体情况\x00\n本年新收 5 件")
    assert "\x00" not in doc.source and doc.source == "一、总体情况\ufffd\n本年新收 5 件"


def test_a_lone_surrogate_from_a_broken_pdf_character_map_is_a_replacement_character():
    # pdfium returns lone surrogates for glyphs a PDF maps to half a character; no UTF-8 (nor OpenCC) takes them.
    from gongkai.parse import parse_document
    from gongkai.reading.document import load_layout
    from gongkai.reading.layout import Locator

    doc = load_layout(
        "某县2021年政府信息公开工作年度报告\n\ud851规章 1 2 3\n", Locator([], []), kind="pdf", title="\udc00"
    )
    assert "\ud851" not in doc.text and doc.text[len(doc.text) - len("规章 1 2 3\n") - 1] == "\ufffd"
    assert doc.title == "\ufffd"
    json.dumps(parse_document(doc).to_json(), ensure_ascii=False).encode("utf-8")  # no crash; it encodes
