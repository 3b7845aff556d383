"""Prose figures phrased as real reports phrase them (平潭 2023 and 2025)."""

from __future__ import annotations

import pytest

from gongkai.fitting.facts import extract_facts
from gongkai.reading.document import load_text


def facts(sentence: str) -> dict[str, int]:
    return {f.key: f.value for f in extract_facts(load_text(sentence))}


@pytest.mark.parametrize(
    ("sentence", "key", "value"),
    [
        ("办结依申请公开81件，其中：予以公开及部分公开42件。", "requests_answered", 81),
        ("全区共收到政府信息公开申请154件，共办结148件，结转至2026年6件。", "requests_carried_forward_later", 6),
        ("全年办理因政府信息公开申请引发的行政复议36起，行政诉讼9起。", "review_cases", 36),
        ("全年办理因政府信息公开申请引发的行政复议36起，行政诉讼9起。", "litigation_cases", 9),
    ],
)
def test_real_phrasings_are_read(sentence, key, value):
    assert facts(sentence).get(key) == value


def test_the_year_a_request_is_carried_to_is_not_the_count():
    assert facts("收到申请9件，结转至2026年6件。").get("requests_carried_forward_later") == 6
    assert "requests_carried_forward_later" not in facts("收到申请9件，结转至2026年继续办理。")


def test_handled_with_last_years_included():
    # 上海市人民政府办公厅 2025 (corpus/real/014), text from a PDF: spaces around the numbers, a broken line.
    got = facts("市政府共受理政府信息公开申请 1295 件，办结 1191 件（含\n上年结转 189 件），均在法定期限内答复。")
    assert got.get("requests_answered") == 1191 and got.get("requests_carried_over") == 189
