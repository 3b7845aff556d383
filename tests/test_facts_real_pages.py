"""Prose figures as real published reports phrase them (温州 瓯海 丽岙街道 2023, 武汉市公安局 2024, 平度市公安局
2023); the numbers are made up."""

from __future__ import annotations

import pytest

from gongkai.fitting.facts import extract_facts
from gongkai.reading.document import load_text


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
