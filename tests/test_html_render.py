"""The HTML renderer and the tokenizer, to the character: rendered text, the map back to the source, hidden elements.

Evidence offsets come from the renderer's SourceMap, so a faster renderer must
render and map exactly as before.  Tricky markup is spelled out below; a few
hundred pages and texts generated from tricky fragments are compared with
digests recorded from the renderer and tokenizer as they were before they were
optimised (tests/data/render_digests.json).  After a deliberate change in
rendering or tokenizing, record them again:

    ./run python -m tests.test_html_render --record
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from html import unescape
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.parse import parse_text
from gongkai.proving.synth import FORMAT_IDS, make_report
from gongkai.reading.html_render import Rendered, render_html
from gongkai.reading.tamper import _finditer, _patterns, _spec
from gongkai.reading.tokens import tokenize

ROOT = Path(__file__).resolve().parent.parent
DIGESTS = Path(__file__).parent / "data" / "render_digests.json"
PAGES = 400
TEXTS = 400


def _map(html: str) -> tuple[str, list[int], list[int]]:
    return _mapped(render_html(html))


def _mapped(rendered: Rendered) -> tuple[str, list[int], list[int]]:
    """The rendered text with the source offsets of each character's start and end."""
    n = len(rendered.text)
    starts = [rendered.smap.to_source(i) for i in range(n)]
    ends = [rendered.smap.to_source_end(i) for i in range(1, n + 1)]
    return rendered.text, starts, ends


@pytest.mark.parametrize(
    ("html", "text", "starts", "ends"),
    [
        ("<td>12</td>", "12 |", [4, 5, 6, 6], [5, 6, 6, 6]),
        # Entities: the chunk maps as a whole; &#1; renders as nothing.
        ("<p>a&nbsp;&amp;b</p><p>&#1;</p>", "a &b\n", [3, 3, 3, 3, 16], [16, 16, 16, 16, 16]),
        ("<p>a<b>&#1;</b> c</p>", "a c\n", [3, 15, 16, 17], [4, 16, 17, 17]),
        # Comments, CDATA, scripts and styles are never text, whatever they contain.
        ("<!-- <td>1</td> -->x<!-- unclosed <td>2</td>", "x", [19], [20]),
        ("<![CDATA[<td>1</td>]]>y", "y", [22], [23]),
        ('<script>if (a<b) document.write("<td>9</td>")</script>z<style>p{}</style >w', "zw", [54, 74], [55, 75]),
        # A comment that starts inside a script and ends after it: the rest is text.
        (
            "<script><!-- </script><td>7</td> -->",
            "<td>7</td> -->",
            list(range(22, 36)),
            list(range(23, 37)),
        ),
        # <br> inside a cell joins the label; blanks around a value collapse.
        (
            "<table><tr><td>行政<br/>复议</td><td>\n 3 \n</td></tr></table>",
            "行政复议 |3  |\n",
            [15, 16, 22, 23, 24, 24, 35, 36, 38, 38, 43],
            [16, 17, 23, 24, 24, 24, 36, 38, 38, 38, 43],
        ),
        (
            "<table><tr><td><table><tr><td>1</td></tr></table></td><td>2</td></tr></table>",
            "1 |\n |2 |\n",
            [30, 31, 31, 36, 49, 49, 58, 59, 59, 64],
            [31, 31, 31, 36, 49, 49, 59, 59, 59, 64],
        ),
        ("<tr><td>1<td>2</tr>", "12\n", [8, 13, 14], [9, 14, 14]),  # unclosed cells
        ("<tr><td/><td>5</td></tr>", " |5 |\n", [9, 9, 13, 14, 14, 19], [9, 9, 14, 14, 14, 19]),
        ('<TD title="a>b">3</TD>', "3 |", [16, 17, 17], [17, 17, 17]),
        ("<p>a < b</p>", "a < b\n", [3, 4, 5, 6, 7, 8], [4, 5, 6, 7, 8, 8]),
        (
            "<p>  第一\u3000第二\n第三  </p>",
            "第一 第二 第三 \n",
            [5, 6, 7, 8, 9, 10, 11, 12, 13, 15],
            [6, 7, 8, 9, 10, 11, 12, 13, 15, 15],
        ),
        ("<head><p>skip</p></head><p>shown</p>", "shown\n", [27, 28, 29, 30, 31, 32], [28, 29, 30, 31, 32, 32]),
    ],
)
def test_rendering_and_map(html, text, starts, ends):
    assert _map(html) == (text, starts, ends)


def test_hidden_element_and_title():
    html = (
        "<title>标题 &amp; X</title><title>second</title>"
        '<p>可见<span style="display:none"><a href="http://x.example/">赌场</a><br></span>文字</p>'
    )
    rendered = render_html(html)
    assert rendered.title == "标题 & X"
    assert rendered.text == "可见文字\n"
    [hidden] = rendered.hidden
    assert html[hidden.start : hidden.end].startswith('<span style="display:none">')
    assert html[hidden.start : hidden.end].endswith("</span>")
    assert (hidden.text, hidden.links) == ("赌场", ["http://x.example/"])


@pytest.mark.parametrize("seed", range(6))
def test_evidence_of_generated_pages(seed):
    html, _ = make_report(seed, FORMAT_IDS[seed % len(FORMAT_IDS)], "html")
    report = parse_text(html)
    for cell in report.cells.values():
        # A value written with entities ("&nbsp;12") is evidenced by the whole chunk.
        assert unescape(html[cell.start : cell.end]).strip() == cell.raw, cell.path


# ---------------------------------------------------------------------------
# Generated pages and texts, compared with recorded digests
# ---------------------------------------------------------------------------
_TAGS = (
    "td th tr table tbody p div span a font strong b li h1 body html br hr img input meta wbr caption pre x-y o:p "
    "TD Tr P SPAN"
).split()
# Tags whose contents are not text: drawn rarely, or they would swallow most pages.
_RARE_TAGS = "title head svg object script style textarea iframe noscript template xmp noembed Script TITLE".split()
_HIDING = (
    ' style="display:none"',
    ' style="DISPLAY : NONE"',
    " style='visibility:hidden'",
    ' style="font-size:0"',
    ' style="font-size:0px;"',
    ' style="left:-9999px"',
    ' style="text-indent:-1000em"',
    ' style="height:0;overflow:hidden"',
    ' class="c" style="position:absolute; display: none" href="http://spam.example/a"',
)
_ATTRS = (
    "",
    ' style="font-size:14px"',
    ' style="text-align:center"',
    ' style="x" data="display:none"',
    ' href="http://casino.example/"',
    " href=x.html",
    ' title="a>b"',
    " data-x='<td>'",
    ' colspan="2"',
    " /",
    "/",
)
_MARKUP = (
    "<!-- comment -->",
    "<!-- <td>1</td> -->",
    "<![CDATA[ <td>x</td> ]]>",
    "<!DOCTYPE html>",
    "<?xml version='1.0'?>",
    "<!x>",
    "</ td>",
    "</td >",
    "</SCRIPT >",
    "</style\n>",
    "<td\n valign=top>",
    "<a href='x>y'>",
)
# Markup that runs to the end of the page (or to a far quote).
_RARE_MARKUP = ("<!-- unclosed", "<![CDATA[ open", "<!x", "<?", '<p title="unterminated>')
_WORDS = (
    "信息公开",
    "行政复议",
    "规章",
    "第二十条第(一)项",
    "本年新收政府信息公开申请数量",
    "结果维持",
    "12",
    "３",
    "0",
    "1,234",
    "12.5万元",
    "—",
    "无",
    "天天棋牌",
    "188比分直播：",
    "雷速體育:",
    "全年共收到政府信息公开申请16件",
    "规章 2 14 61",
)
_BLANKS = (" ", "  ", "\n", "\r\n", "\t", "\u3000", "\xa0", "\u200b", "\u2003", "\x0b", "\u3000\u3000")
_TEXT_ONLY = ("|", "｜", "a < b", "<", "< p>", "<1", "</ >", "x&y", "&", "]]>", "-->", ">", '"', "'")
_ENTITIES = ("&nbsp;", "&amp;", "&lt;td&gt;", "&#12345;", "&#x4e00;", "&#1;", "&#0;", "&bogus;", "&nbsp", "&NBSP;")
_SEPARATED = ("|", "｜", "\t", "\n", " | ", "\t\n", "|\n|", "---", ":---:", "  ", "\u3000", " ", "\n\n")


def _text_piece(rng: random.Random) -> str:
    return rng.choice(rng.choice((_WORDS, _BLANKS, _TEXT_ONLY, _ENTITIES)))


def _hidden_element(rng: random.Random) -> str:
    tag = rng.choice(("span", "div", "p", "a", "font", "SPAN"))
    inner = []
    for _ in range(rng.randint(0, 4)):
        word = rng.choice(_WORDS)
        inner.append(
            rng.choice(
                (word, f'<a href="http://spam{rng.randint(0, 9)}.example/">{word}</a>', "<br>", "&nbsp;", "<!-- c -->")
            )
        )
    return f"<{tag}{rng.choice(_HIDING)}>{''.join(inner)}</{tag.lower()}>"


def _page(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 120)):
        r = rng.random()
        if r < 0.25:
            tag = rng.choice(_RARE_TAGS) if rng.random() < 0.02 else rng.choice(_TAGS)
            # An unbalanced hidden element hides the rest of the page: rarely.
            attrs = rng.choice(_HIDING) if rng.random() < 0.02 else rng.choice(_ATTRS) if rng.random() < 0.4 else ""
            parts.append(f"<{tag}{attrs}>")
        elif r < 0.4:
            parts.append(f"</{rng.choice(_TAGS + _RARE_TAGS)}>")
        elif r < 0.46:
            parts.append(rng.choice(_RARE_MARKUP) if rng.random() < 0.03 else rng.choice(_MARKUP))
        elif r < 0.5:
            parts.append(_hidden_element(rng))
        elif r < 0.58:
            parts.append(f"<td>{_text_piece(rng)}</td>")
        else:
            parts.append(_text_piece(rng))
    return "".join(parts)


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(rng.choice((_WORDS, _BLANKS, _SEPARATED))) for _ in range(rng.randint(1, 200)))


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:16]


def _page_digest(html: str) -> str:
    rendered = render_html(html)
    hidden = [(h.start, h.end, h.text, h.links) for h in rendered.hidden]
    return _digest([*_mapped(rendered), rendered.title, hidden])


def _tokens_digest(text: str) -> str:
    return _digest([(t.text, t.start, t.end, t.empty, repr(t.value)) for t in tokenize(text)])


def _files() -> list[Path]:
    return [*sorted((ROOT / "corpus" / "seeds").iterdir()), Path(__file__).parent / "data" / "report_2021.html"]


def _current() -> dict[str, dict[str, str]]:
    pages = random.Random("gongkai.render.pages")
    texts = random.Random("gongkai.render.texts")
    files = {p.name: p.read_text(encoding="utf-8") for p in _files()}
    return {
        "pages": {str(i): _page_digest(_page(pages)) for i in range(PAGES)},
        "texts": {str(i): _tokens_digest(_text(texts)) for i in range(TEXTS)},
        "files": {name: _page_digest(text) for name, text in files.items()},
        "file_tokens": {name: _tokens_digest(text) for name, text in files.items()},
    }


def test_generated_pages_and_texts_render_as_recorded():
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    current = _current()
    for group, digests in recorded.items():
        changed = [key for key, digest in digests.items() if current[group].get(key) != digest]
        assert not changed, f"{group} rendered or tokenized differently than recorded: {changed[:20]}"


# ---------------------------------------------------------------------------
# Spam: the fast scan finds what the plain pattern finds
# ---------------------------------------------------------------------------
def _spam_alphabet() -> list[str]:
    spec = _spec()
    words = spec["brands"] + spec["terms"]
    return [*words, *(w[: len(w) // 2] for w in words), *(w[len(w) // 2 :] for w in words), "a", "Z", "7", "：", ":"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_spam_alphabet()) | st.text(max_size=3), max_size=40).map("".join))
def test_spam_scan_equals_finditer(text):
    patterns = _patterns()
    for pattern, word in ((patterns.brand, patterns.brand_word), (patterns.term, patterns.term_word)):
        assert [m.span() for m in _finditer(pattern, word, text)] == [m.span() for m in pattern.finditer(text)]


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    DIGESTS.write_text(json.dumps(_current(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"written: {DIGESTS}")
