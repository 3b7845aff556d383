"""Section headings printed one character off the standard are still their sections, with an info hint; prose and
headings two characters off are not (issue 9: 009 prints 四、政府信息公开行政法复议、行政诉讼情况)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.fitting.section_typos import one_edit
from gongkai.parse import parse_text

# The six headings as the standard prints them (一's short label "总体情况" is too short to match loosely: its
# long form is used).
HEADINGS = [
    ("overview", "一、政府信息公开总体情况"),
    ("active", "二、主动公开政府信息情况"),
    ("requests", "三、收到和处理政府信息公开申请情况"),
    ("review_litigation", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other_matters", "六、其他需要报告的事项"),
]
PROSE = "本部分内容从略，全年工作稳步推进，各项制度得到落实"


def _insert(h: str) -> str:
    at = len(h) // 2
    return h[:at] + "某" + h[at:]


def _delete(h: str) -> str:
    at = len(h) // 2
    return h[:at] + h[at + 1 :]


def _substitute(h: str) -> str:
    at = len(h) // 2
    return h[:at] + "某" + h[at + 1 :]


TYPOS = {"insert": _insert, "delete": _delete, "substitute": _substitute}


def _document(headings: list[str], layout: str) -> str:
    title = "某某县人民政府2022年政府信息公开工作年度报告"
    if layout == "text":
        return title + "\n" + "".join(f"{h}\n{PROSE}。\n" for h in headings)
    if layout == "markdown":
        return f"# {title}\n\n" + "".join(f"## {h}\n\n{PROSE}。\n\n" for h in headings)
    # Crawled text: the whole report on one line, each heading running straight into the text after it.
    return title + "".join(f" {h}{PROSE}。" for h in headings)


def _hints(report) -> list:
    return [f for f in report.findings if f.rule == "sections.nonstandard"]


@pytest.mark.parametrize("layout", ["text", "markdown", "one_line"])
@pytest.mark.parametrize("typo", sorted(TYPOS))
@pytest.mark.parametrize("index", range(len(HEADINGS)))
def test_a_heading_one_character_off_is_its_section(layout, typo, index):
    headings = [h for _, h in HEADINGS]
    printed = TYPOS[typo](headings[index])
    headings[index] = printed
    report = parse_text(_document(headings, layout))
    key = HEADINGS[index][0]
    assert set(report.sections) == {k for k, _ in HEADINGS}
    assert printed in report.text[report.sections[key]["start"] : report.sections[key]["end"]]
    hints = _hints(report)
    assert len(hints) == 1 and hints[0].severity == "info"
    standard = {"overview": "一、总体情况"}.get(key, HEADINGS[index][1])
    assert hints[0].found == printed and hints[0].expected == standard
    assert f"写作“{printed}”，规定格式为“{standard}”" in hints[0].message and "相差一个字" in hints[0].message
    assert not [f for f in report.findings if f.rule == "sections.missing"]


@pytest.mark.parametrize("layout", ["text", "markdown", "one_line"])
def test_standard_headings_give_no_hint(layout):
    report = parse_text(_document([h for _, h in HEADINGS], layout))
    assert set(report.sections) == {k for k, _ in HEADINGS}
    assert not _hints(report)


@pytest.mark.parametrize("layout", ["text", "markdown", "one_line"])
@pytest.mark.parametrize("index", range(len(HEADINGS)))
def test_two_characters_off_is_not_a_heading(layout, index):
    headings = [h for _, h in HEADINGS]
    h = headings[index]
    headings[index] = h[:3] + "甲" + h[4:-2] + "乙" + h[-1:]  # two characters substituted
    report = parse_text(_document(headings, layout))
    assert HEADINGS[index][0] not in report.sections
    assert not _hints(report)


PROSE_ABOUT_REVIEWS = [
    "本年度未发生政府信息公开行政复议、行政诉讼情况",
    "四是做好政府信息公开行政复议、行政诉讼情况的统计",
    "（四）政府信息公开行政复议、行政诉讼情况良好，无败诉",
]


# On a line of its own, "四、…情况良好，无败诉" is a sentence; run together with the text, the standard heading is a
# prefix of it and, as printed, a heading (so that case is only on lines).
@pytest.mark.parametrize(
    ("layout", "sentence"),
    [(layout, s) for layout in ("text", "one_line") for s in PROSE_ABOUT_REVIEWS]
    + [("text", "四、政府信息公开行政复议、行政诉讼情况良好，无败诉")],
)
def test_prose_about_reviews_is_not_a_heading(layout, sentence):
    headings = [h for key, h in HEADINGS if key != "review_litigation"]
    headings.insert(3, sentence)
    report = parse_text(_document(headings, layout))
    assert "review_litigation" not in report.sections
    assert not _hints(report)


def test_the_crawled_2022_pingtan_report_finds_section_four():
    text = (Path(__file__).parent.parent / "corpus" / "real" / "009_pingtan_2022.txt").read_text(encoding="utf-8")
    report = parse_text(text, "009.txt")
    assert report.sections["review_litigation"]["label"] == "四、政府信息公开行政法复议、行政诉讼情况"
    assert "sections.missing" not in [f.rule for f in report.findings]
    (hint,) = _hints(report)
    assert hint.message == (
        "第四部分标题写作“四、政府信息公开行政法复议、行政诉讼情况”，规定格式为“四、政府信息公开行政复议、行政诉讼情况”"
        "，相差一个字，已按该部分读取。"
    )


def test_one_edit():
    assert one_edit("行政复议", "行政法复议") and one_edit("行政法复议", "行政复议")
    assert one_edit("行政复议", "行政复仪") and one_edit("行政复议", "行政复")
    assert not one_edit("行政复议", "行政复议") and not one_edit("行政复议", "行复仪")


def test_damaged_reports_with_heading_typos_find_every_section():
    import random

    from gongkai.proving.synth_damage import damaged_report

    for seed in range(12):
        case = damaged_report(random.Random(seed), "heading_typo")
        report = parse_text(case.text)
        assert set(report.sections) == {k for k, _ in HEADINGS}, seed
        printed = sorted(v.removeprefix("## ") for v in _case_headings(case.text))
        assert sorted(f.found for f in _hints(report)) == printed, seed


def _case_headings(text: str) -> list[str]:
    from gongkai.fitting.section_typos import near_heading

    standard = {f"{number}、{h}" for _, full in HEADINGS for number, h in [full.split("、", 1)]} | {"一、总体情况"}
    return [line for line in text.splitlines() if near_heading(line) and line.removeprefix("## ") not in standard]
