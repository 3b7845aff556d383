"""Prose figures from rounds 5 and 6 of real pages: only the report's own total for the year is `active_disclosed`,
not a count over the years nor a part of the total after 其中.  Names and numbers are made up."""

from __future__ import annotations

from gongkai.fitting.facts import extract_facts
from gongkai.reading.document import load_text


def facts(text: str) -> list[tuple[str, int]]:
    return [(f.key, f.value) for f in extract_facts(load_text(text))]


def test_the_years_new_items_not_the_cumulative_count():
    text = "一、总体情况\n2020年累计主动公开政府信息410条,其中,本年度新增的主动公开政府信息47条。\n"
    assert facts(text) == [("active_disclosed", 47)]
    assert facts("截至年底,历年累计主动公开政府信息9020条。全年主动公开政府信息310条。") == [("active_disclosed", 310)]


def test_parts_after_qizhong_are_not_the_total():
    text = "全年主动公开政府信息3300条。其中,市级主动公开政府信息2100条,县级主动公开政府信息1200条。"
    assert facts(text) == [("active_disclosed", 3300)]
    text = "全年主动公开政府信息3300条,其中,通过门户网站主动公开政府信息2900条。"
    assert facts(text) == [("active_disclosed", 3300), ("active_by_website", 2900)]


def test_carried_over_requests_stated_with_the_tables_row_name_are_read():
    text = "一、总体情况\n本年度新收政府信息公开申请12件，上年结转政府信息公开申请数量3件。\n"
    assert facts(text) == [("requests_received", 12), ("requests_carried_over", 3)]
