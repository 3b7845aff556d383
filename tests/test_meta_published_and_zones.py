"""Metadata seen on real pages: a CMS's bare "时间：" stamp or <meta name="PubDate">, and a zone's 管委会."""

from __future__ import annotations

from gongkai.fitting.meta import agency_level, extract_meta
from gongkai.reading.document import load_text

TITLE = "平潭综合实验区2024年政府信息公开工作年度报告"


def published(text: str, kind: str | None = None) -> str | None:
    return extract_meta(load_text(text, kind=kind))["published"]


def test_a_cms_time_stamp_under_the_title_is_the_publication_date():
    assert published(f"{TITLE}\n时间：2025-03-10 15:35 来源：管委会办公室\n一、总体情况") == "2025-03-10"


def test_a_reporting_period_is_never_read_as_the_publication_date():
    text = f"{TITLE}\n统计时间：2024年1月1日至2024年12月31日\n一、总体情况"
    assert published(text) is None
    assert published(f"{TITLE}\n时间：2024-01-01\n一、总体情况") is None  # no clock time: not a CMS stamp


def test_the_page_metadata_gives_the_date_when_the_page_prints_none():
    page = (
        '<html><head><meta name="PubDate" content="2025-03-10 15:35"><title>x</title></head>'
        f"<body><h1>{TITLE}</h1><p>一、总体情况</p></body></html>"
    )
    assert published(page) == "2025-03-10"
    assert published(page.replace("PubDate", "keywords")) is None


def test_a_zone_committee_governs_its_zone_and_is_not_a_department():
    assert agency_level("平潭综合实验区管委会")["is_department"] is False
    assert agency_level("雄安新区管理委员会")["is_department"] is False
    assert agency_level("平潭综合实验区财政金融局")["is_department"] is True
    assert agency_level("广州市发展和改革委员会")["is_department"] is True
