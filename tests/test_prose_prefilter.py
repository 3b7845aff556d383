"""The prose prefilter (fitting/prefilter.py, fitting/facts.py `_matches`) and the regexes rewritten for speed
(facts.py, meta.py) find exactly what the plain forms find."""

from __future__ import annotations

import random
import re

import pytest

from gongkai.fitting import facts as facts_module
from gongkai.fitting import meta as meta_module
from gongkai.fitting.facts import extract_facts
from gongkai.fitting.meta import extract_meta
from gongkai.fitting.prefilter import required_words, stops_at
from gongkai.proving.synth import FORMAT_IDS, LAYOUTS, make_report
from gongkai.reading.document import load_text
from gongkai.spec import facts as fact_specs


def _every_pattern_everywhere(compact: str):
    """The reference: each fact pattern over the whole compact text, pattern by pattern."""
    return [(spec, m) for spec in fact_specs() for m in spec.pattern.finditer(compact)]


def _both(text: str, monkeypatch) -> tuple[list, list]:
    doc = load_text(text)
    fast = [f.to_json() for f in extract_facts(doc)]
    with monkeypatch.context() as patch:
        patch.setattr(facts_module, "_matches", _every_pattern_everywhere)
        plain = [f.to_json() for f in extract_facts(doc)]
    return fast, plain


def _found(text: str) -> dict[str, int]:
    return {f.key: f.value for f in extract_facts(load_text(text))}


# --- what the prefilter reads from a pattern --------------------------------------------------------------------
def test_required_words_of_literals_groups_and_alternations():
    assert required_words(re.compile(r"(?:已答复|(?<=[,，])答复|办结)(?:共)?\d+件")) == {"答复", "办结"}
    assert required_words(re.compile(r"行政复议(?:案件)?\d+件")) == {"行政复议"}
    assert required_words(re.compile(r"(?:申请)+\d")) == {"申请"}


def test_nothing_required_when_a_branch_or_a_repeat_may_be_empty():
    assert required_words(re.compile(r"(?:申请|)\d+件")) == {"件"}
    assert required_words(re.compile(r"(?:申请)?\d+")) is None
    assert required_words(re.compile(r"(?:申请)*\d+")) is None
    assert required_words(re.compile(r"申请", re.I)) is None  # a literal then stands for several strings


def test_what_can_take_a_full_stop():
    assert stops_at(re.compile(r"申请[^，。]{0,9}\d+件"), "。")
    assert stops_at(re.compile(r"(?<![^件]、)不予公开\d+件"), "。")  # a lookbehind only looks back
    assert not stops_at(re.compile(r"申请.{0,9}\d+件"), "。")
    assert not stops_at(re.compile(r"申请[^，]{0,9}\d+件"), "。")
    assert not stops_at(re.compile(r"申请\d+件(?![^，]{0,6}复议)"), "。")  # a lookahead can look past the match
    assert not stops_at(re.compile(r"申请\d+件\W"), "。")


def test_every_fact_pattern_reads_only_sentences_with_its_words():
    """A pattern the prefilter cannot read still works (on the whole text), but slowly: say so when one appears."""
    unread = [s.key for s in fact_specs() if not stops_at(s.pattern, "。") or not required_words(s.pattern)]
    assert unread == []


def test_each_match_holds_a_required_word_and_no_full_stop():
    for seed in range(40):
        text, _ = make_report(seed, FORMAT_IDS[seed % 2], LAYOUTS[seed % len(LAYOUTS)])
        compact, _ = facts_module._compact(load_text(text).folded, 0, len(text))
        for spec, m in _every_pattern_everywhere(compact):
            assert "。" not in m[0]
            assert any(word in m[0] for word in required_words(spec.pattern)), (spec.key, m[0])


# --- the prefilter keeps every match ------------------------------------------------------------------------------
EDGES = {
    # lookbehind context in the neighbouring clause: `(?<=[件起][,，])诉讼`
    "lookbehind_in_previous_clause": ("本年度行政复议3件,诉讼2件。", {"litigation_cases": 2, "review_cases": 3}),
    # lookahead context in the next clause: "其中上年度结转" makes it the count with the carried-over requests
    "lookahead_in_next_clause": (
        "共收到政府信息公开申请4件,其中上年度结转2件。",
        {"requests_received_with_carried_over": 4, "requests_carried_over": 2},
    ),
    # ... but not past the full stop
    "lookahead_stops_at_full_stop": ("共收到政府信息公开申请4件。其中上年度结转2件。", {"requests_received": 4}),
    # the required word 申请 broken over two lines in the source, whole only in the compact text
    "word_across_line_break": ("本年度受理政府信息公开申\n请 17\n件。", {"requests_received": 17}),
    "figure_spaced_by_pdf": ("本年度受理政府信息公开申请 17 件。", {"requests_received": 17}),
    "chinese_numeral": ("本年度收到政府信息公开申请一件。", {"requests_received": 1}),
    "chinese_numeral_two": ("本年度收到政府信息公开申请两件。", {"requests_received": 2}),
    "fullwidth_punctuation": (
        "共收到政府信息公开申请２０件，其中上年结转３件；办结２０件。",
        {"requests_received_with_carried_over": 20, "requests_carried_over": 3, "requests_answered": 20},
    ),
    "last_sentence_without_full_stop": ("全年共收到申请5件。行政复议1件", {"requests_received": 5, "review_cases": 1}),
    "first_sentence": ("行政复议1件。", {"review_cases": 1}),
}


@pytest.mark.parametrize("name", list(EDGES))
def test_prefilter_edges(name, monkeypatch):
    text, expected = EDGES[name]
    fast, plain = _both(text, monkeypatch)
    assert fast == plain
    got = {f["key"]: f["value"] for f in fast}
    assert {k: got.get(k) for k in expected} == expected


def test_a_two_character_lookbehind_sees_the_sentence_before(monkeypatch):
    """`(?<![^件]、)` at a sentence's second character looks at the 。 before it: a search that started at the
    sentence (with `pos`) sees it, a search of the sentence cut out would not, and would read 不予公开3件."""
    text = "共收到政府信息公开申请5件。、不予公开3件。"
    fast, plain = _both(text, monkeypatch)
    assert fast == plain
    assert "requests_withheld" not in {f["key"] for f in fast}
    assert _found("共收到政府信息公开申请5件。其中不予公开3件。").get("requests_withheld") == 3


def test_same_facts_as_every_pattern_on_the_whole_text(monkeypatch):
    texts = [make_report(seed, FORMAT_IDS[seed % 2], LAYOUTS[seed % len(LAYOUTS)])[0] for seed in range(60)]
    texts += [text for text, _ in EDGES.values()]
    for text in texts:
        fast, plain = _both(text, monkeypatch)
        assert fast == plain


# --- regexes rewritten to start with a literal or a class: the same matches as the plain forms ----------------------
def _fuzz(alphabet: list[str], n: int = 40000, longest: int = 14, seed: int = 7):
    rng = random.Random(seed)
    for _ in range(n):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


def _compacted(text: str) -> str:
    """What taking the whitespace out of a sentence must give: every run goes, except that a run between two
    digits or letters keeps its first character ("1  2" must never read 12)."""
    word = re.compile(r"[0-9A-Za-z.,]")
    out = []
    for run in re.finditer(r"\s+|\S+", text):
        before, after = text[run.start() - 1 : run.start()], text[run.end() : run.end() + 1]
        if not run[0].isspace():
            out.append(run[0])
        elif word.match(before) and word.match(after):
            out.append(run[0][0])
    return "".join(out)


def test_inner_whitespace_goes_but_never_joins_two_numbers():
    alphabet = [" ", "\n", "\t", "\u3000", "\xa0", "\r", "1", "9", "a", "Z", ".", ",", "中", "。", "，", "件"]
    for s in _fuzz(alphabet):
        assert "".join(facts_module._INNER_WHITESPACE.split(s)) == _compacted(s), repr(s)
    assert facts_module._compact("受理申请1  2件", 0, 11)[0] == "受理申请1 2件"


def test_cjk_gap_as_written_before():
    plain = re.compile(r"(?<=[\u4e00-\u9fff\d])[ \t\u3000]+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=\d)")
    alphabet = [" ", "\t", "\u3000", "\n", "2", "0", "年", "市", "a", "(", "。", "\xa0"]
    for s in _fuzz(alphabet):
        assert meta_module._CJK_GAP.sub("", s) == plain.sub("", s), repr(s)
        assert [m.span() for m in meta_module._CJK_GAP.finditer(s)] == [m.span() for m in plain.finditer(s)]


def test_published_stamp_as_written_before():
    date = r"(?P<y>(?:19|20)\d{2})[-年./](?P<m>\d{1,2})[-月./](?P<d>\d{1,2})"
    plain = re.compile(r"(?:^|(?<=[\s|]))时间[:：]\s*" + date + r"\s+\d{1,2}:\d{2}", re.M)
    pieces = ["时间", "统计", ":", "：", " ", "\n", "|", "2025-03-10", "15:35", "1", "年", "\t"]
    for s in _fuzz(pieces, longest=8):
        found, expected = meta_module._PUBLISHED_STAMP.search(s), plain.search(s)
        assert (found and found.span()) == (expected and expected.span()), repr(s)
    assert meta_module._PUBLISHED_STAMP.search("时间:2025-03-10 15:35")
    assert meta_module._PUBLISHED_STAMP.search("标题\n时间:2025-03-10 15:35")
    assert meta_module._PUBLISHED_STAMP.search("来源:本站 | 时间:2025-03-10 15:35")
    assert not meta_module._PUBLISHED_STAMP.search("统计时间:2025-03-10 15:35")


def test_not_title_as_written_before():
    plain = re.compile(
        r"[>＞»›]|当前(?:的)?位置|您的位置|索\s*引\s*号|分\s*类\s*[:：|]|发布机构|发文机关|发布单位|发文日期|成文日期|主题分类"
    )
    pieces = [">", "＞", "»", "›", "当前", "的", "位置", "您的", "索", "引", "号", " ", "分", "类", ":", "|"]
    pieces += ["发布机构", "年"]
    for s in _fuzz(pieces, longest=8):
        found, expected = meta_module._NOT_TITLE.search(s), plain.search(s)
        assert (found and found.span()) == (expected and expected.span()), repr(s)


def test_title_above_a_repeat_of_the_title_with_a_file_suffix():
    """The agency printed above a later repeat of the title (here the attachment's name): the repeat's title part
    equals the title though the line does not."""
    text = (
        "2022年政府信息公开工作年度报告\n桃江县某某镇人民政府\n2022年政府信息公开工作年度报告.docx\n"
        "一、总体情况\n本年度共收到政府信息公开申请3件。\n"
    )
    meta = extract_meta(load_text(text))
    assert meta["title"] == "2022年政府信息公开工作年度报告"
    assert (meta["agency"]["name"], meta["agency"]["source"]) == ("桃江县某某镇人民政府", "title_above")
