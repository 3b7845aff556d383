"""Prose figures as real published reports phrase them (温州 瓯海 丽岙街道 2023, 武汉市公安局 2024, 平度市公安局
2023); the numbers are made up."""

from __future__ import annotations

import pytest

from gongkai.fitting.facts import extract_facts
from gongkai.reading.document import load_text
from gongkai.spec import facts as fact_specs


def facts(text: str) -> dict[str, int]:
    return {f.key: f.value for f in extract_facts(load_text(text))}


def test_withheld_documents_are_not_withheld_requests():
    """The agency's own documents sorted by 公开属性 are not answers to applications."""
    text = (
        "(一)主动公开\n本年度,我街道共制发政府信息140件,其中主动公开25件,不予公开115件"
        "(不予公开理由主要是属于过程性信息或保护第三方合法权益)。\n"
        "(二)依申请公开\n2023年我街道共收到政府信息依申请公开件3件。\n"
    )
    got = facts(text)
    assert "requests_withheld" not in got
    assert got.get("requests_received") == 3


def test_document_attribute_list_is_not_read_as_requests():
    got = facts("全年共发文200件,其中主动公开50件,依申请公开10件,不予公开140件。")
    assert "requests_withheld" not in got


def test_withheld_requests_are_still_read():
    got = facts("全年共收到政府信息公开申请40件。其中,予以公开20件,部分公开6件,不予公开4件,无法提供10件。")
    assert (got.get("requests_withheld"), got.get("requests_unavailable")) == (4, 10)


def test_a_carried_count_needs_requests_in_its_sentences():
    assert "requests_carried_forward_later" not in facts("本年共制发文件30件。结转至2026年6件。")
    assert facts("全年收到申请20件,结转至2026年6件。").get("requests_carried_forward_later") == 6


@pytest.mark.parametrize(
    ("sentence", "key", "value"),
    [
        ("全年收政府信息公开申请512件,结转上年度政府信息公开申请7件,本年度办结480件。", "requests_received", 512),
        ("全年收政府信息公开申请512件,结转上年度政府信息公开申请7件,本年度办结480件。", "requests_carried_over", 7),
        ("全年收政府信息公开申请512件,本年度办结480件,剩余39件结转下年度办理。", "requests_carried_forward", 39),
        ("2023年,共收到信息公开申请31起,均按时答复。", "requests_received", 31),
        ("2023年我街道共收到政府信息依申请公开件0件。", "requests_received", 0),
    ],
)
def test_real_phrasings_are_read(sentence, key, value):
    assert facts(sentence).get(key) == value


@pytest.mark.parametrize(
    "sentence",
    [
        "全年征收申请人费用12件。",  # 收 inside another verb
        "全年接收信访申请起诉3起诉讼。",
    ],
)
def test_other_counts_are_not_requests_received(sentence):
    assert "requests_received" not in facts(sentence)


# Round 2 of real pages (安阳县住建局 2025, 东阳市自然资源和规划局 2023, 衡阳 区政府办公室 2023, 花都区人社局 2022 and
# others); the numbers are made up.


def test_partly_granted_in_full_words_is_partial_not_granted():
    got = extract_facts(load_text("依申请公开办理有30件。办理结果如下:予以公开21件;部分予以公开4件;不予公开2件。"))
    assert [(f.key, f.value) for f in got if f.key.startswith("requests_") and f.value < 30] == [
        ("requests_granted", 21),
        ("requests_partially_granted", 4),
        ("requests_withheld", 2),
    ]


def test_outcome_after_a_dunhao_closing_the_item_before_is_read():
    got = facts("共收到政府信息公开申请50件,其中,予以公开20件,部分公开11件,信息无法提供12件、不予处理5件,其他处理2件。")
    assert (got.get("requests_unavailable"), got.get("requests_not_processed")) == (12, 5)
    # two outcome words joined by 、 are one sum of both groups: still not read as either
    assert "requests_partially_granted" not in facts("收到申请40件,同意公开、部分公开共32件。")


def test_no_litigation_over_requests_is_not_no_requests():
    got = facts(
        "全年共受理27件政府信息公开申请,其中按期办结27件。全年收到因政府信息公开申请引起的行政复议2件(已办结),"
        "未收到因政府信息公开申请引起的行政诉讼。"
    )
    assert "requests_none" not in got
    assert got.get("requests_received_counted_first") == 27
    assert "requests_none" not in facts("未发生因政府信息公开申请引起的行政复议。未收到政府信息公开申请的行政诉讼。")


def test_received_including_the_carried_over_is_compared_with_both_rows():
    text = "2022年,共收到政府信息公开申请9件,其中上年度结转3件,均已答复。"
    got = facts(text)
    assert "requests_received" not in got
    assert (got.get("requests_received_with_carried_over"), got.get("requests_carried_over")) == (9, 3)
    spec = {s.key: s for s in fact_specs()}["requests_received_with_carried_over"]
    assert spec.compare == ("requests.new_received.total", "requests.carried_over.total")
    assert facts("共收到政府信息公开申请9件,均已答复。").get("requests_received") == 9


@pytest.mark.parametrize(
    ("sentence", "key", "value"),
    [
        (
            "共受理政府信息公开申请12件,上年结转政府信息公开办理数量2件,共办结政府信息公开申请13件。",
            "requests_carried_over",
            2,
        ),
        (
            "共受理政府信息公开申请12件,上年结转政府信息公开办理数量2件,共办结政府信息公开申请13件。",
            "requests_answered",
            13,
        ),
        (
            "共受理政府信息公开申请12件,共办结政府信息公开申请11件,结转至2024年办理1件。",
            "requests_carried_forward_later",
            1,
        ),
        ("已办结依申请公开90件。另有4件申请结转到下年度继续办理。", "requests_carried_forward", 4),
        (
            "收到依申请公开件140件。办结依申请公开件141件(含2022年结转的5件),其中,予以公开60件。",
            "requests_answered",
            141,
        ),
        (
            "收到依申请公开件140件。办结依申请公开件141件(含2022年结转的5件),其中,予以公开60件。",
            "requests_carried_over",
            5,
        ),
        ("受理政府信息依申请公开14件,其中网络申请14件,申请办结数9件。", "requests_received", 14),
        ("受理政府信息依申请公开14件,其中网络申请14件,申请办结数9件。", "requests_answered", 9),
        ("新收到依申请公开政府信息45件,答复依申请公开政府信息41件。", "requests_received", 45),
        ("新收到依申请公开政府信息45件,答复依申请公开政府信息41件。", "requests_answered", 41),
        ("全年共受理依申请公开事项121件,均按照规定程序和时限进行了妥善处理。", "requests_received", 121),
        ("2022年我局共受理依申请政府信息公开事项19例,全部按时办结。", "requests_received", 19),
        ("2023年度某街道收到政府信息公开申请三件,已办理完毕。", "requests_received", 3),
        ("2023年全区共收到依申请公开77件。", "requests_received", 77),
        (
            "新收到政府信息公开申请1100件,办理1150件(含上年度结转申请60件,另有10件申请顺延到下年度答复)。",
            "requests_carried_over",
            60,
        ),
        (
            "新收到政府信息公开申请1100件,办理1150件(含上年度结转申请60件,另有10件申请顺延到下年度答复)。",
            "requests_carried_forward",
            10,
        ),
        ("受理公民、法人和其他组织向市政府及市政府办公室提出的政府信息公开申请8件。", "requests_received", 8),
        ("全年未接到信息公开申请。", "requests_none", 0),
        ("2021年未受理依申请公开事项。", "requests_none", 0),
        ("我镇未收到任何公民、法人和其他组织提出的公开政府信息的申请。", "requests_none", 0),
        ("2017年我局有关政府信息公开的行政复议案共2起。", "review_cases", 2),
        ("因政府信息公开问题被申请行政复议有4件。行政诉讼有2件,目前正在法院审理中。", "review_cases", 4),
        ("因政府信息公开问题被申请行政复议有4件。行政诉讼有2件,目前正在法院审理中。", "litigation_cases", 2),
        ("2023年共办理政府信息依申请公开65件,全部依法依规按程序办结。", "requests_answered", 65),
    ],
)
def test_round_two_phrasings_are_read(sentence, key, value):
    assert facts(sentence).get(key) == value


def test_a_year_before_a_carry_over_without_han_is_not_read():
    """ "2024年结转…申请0件" is 上年结转 in a 2025 report but this year's carry-forward in a 2024 one: not taken."""
    got = facts("新受理政府信息公开申请104件,2024年结转政府信息公开申请3件。")
    assert "requests_carried_over" not in got
    assert "requests_carried_forward" not in got


# Round 3 (the numbers are made up; the phrasing is the real pages').


def test_a_review_application_is_not_a_disclosure_request():
    """ "收到有关政府信息公开行政复议申请N件" counts 行政复议, never new requests (某乡 2017)."""
    got = facts("2022年我局共收到政府信息公开申请1件,已按时答复。全年收到有关政府信息公开行政复议申请2件。")
    assert (got.get("requests_received"), got.get("review_cases")) == (1, 2)
    got = facts("全年收到有关政府信息公开行政复议申请3件。")
    assert "requests_received" not in got
    assert got.get("review_cases") == 3
    assert "requests_received" not in facts("本年受理涉及政府信息公开的行政诉讼申请2件。")
    assert "requests_none" not in facts("未收到有关政府信息公开的行政复议申请。")


@pytest.mark.parametrize(
    ("sentence", "key", "value"),
    [
        ("依申请公开数为9件,已答复9件,其中3件申请的内容予以公开,2件因四类过程信息不予公开。", "requests_granted", 3),
        ("共收到政府信息公开申请110件。目前依法办结105件,其中予以公开的20件。", "requests_answered", 105),
        (
            "共收到政府信息公开申请110件,上年结转1件。目前依法办结105件,其中予以公开的20件。结转下年度继续办理的6件。",
            "requests_carried_forward_later",
            6,
        ),
        ("上年结转3件。结转下年度继续办理7件。", "requests_carried_forward_later", 7),
        ("2012年度我镇没有接到群众主动要求公开政府信息的申请。", "requests_none", 0),
        ("全年共收到5份政府环境信息公开申请,均已进行答复。", "requests_received_counted_first", 5),
        ("2023年我乡受理依申请公开政府信息数量共计4条。", "requests_received", 4),
        ("收到申请政府信息公开事项6件,已进行行政答复。", "requests_received", 6),
    ],
)
def test_round_three_phrasings_are_read(sentence, key, value):
    assert facts(sentence).get(key) == value


@pytest.mark.parametrize(
    "sentence",
    [
        "收到申请10件予以公开8件。",  # the 10 is received, not granted
        "其中3件予以公开或部分公开。",  # a sum of two groups
        "其中3件予以公开和部分公开。",
        "全年共发文20件,其中5件予以公开。",  # the agency's documents
    ],
)
def test_number_first_granted_is_taken_only_when_unambiguous(sentence):
    assert facts(sentence).get("requests_granted") in (None, 8)


def test_a_carried_forward_figure_needs_requests_nearby():
    assert "requests_carried_forward_later" not in facts("全年共发文20件。其中已办结10件。结转下年度继续办理的6件。")


def test_outcomes_with_no_verb_or_a_vague_unit_are_not_read():
    """ "依申请公开3次" has no verb: disclosed 3 times or 3 requests?  Not taken."""
    assert "requests_received" not in facts("依申请公开3次,行政复议0次,行政诉讼0次;")


def _quote_of(text: str, key: str = "active_disclosed") -> str:
    (fact,) = [f for f in extract_facts(load_text(text)) if f.key == key]
    return fact.quote


def test_quotes_start_at_a_word_boundary():
    """A quote starts at its sentence or a clause, never inside a number ("023年度…") nor at a comma."""
    text = "某乡2023年政府信息公开工作年度报告\n一、总体情况\n(一)政府信息主动公开情况\n"
    text += "2023年度在www.example.com政府信息公开网站上共新增主动公开政府信息57条。\n"
    assert _quote_of(text) == "2023年度在www.example.com政府信息公开网站上共新增主动公开政府信息57条"
    far = "上" * 70 + "2022年度在www.example.com上认真推进标准化工作在网站主动公开政府信息88条。"
    assert _quote_of(far) == "在www.example.com上认真推进标准化工作在网站主动公开政府信息88条"
    comma = "上" * 70 + "全年工作全年工作全年工作,通过门户网站主动公开政府信息9条。"
    assert _quote_of(comma) == "通过门户网站主动公开政府信息9条"
