"""The hand-checked deadline table (deadline_cases.toml) and the working-day calendar."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.ledger.calendar import CalendarError, CalendarMissing, WorkCalendar, add_year, default_calendar, parse_year
from gongkai.ledger.clock import Pause, compute_deadline

CASES = tomllib.loads((Path(__file__).parent / "deadline_cases.toml").read_text(encoding="utf-8"))["case"]


def _pauses(case: dict) -> list[Pause]:
    out = []
    for text in case.get("pauses", []):
        a, b = text.split(":")
        out.append(Pause(date.fromisoformat(a), date.fromisoformat(b), "test"))
    return out


def test_the_table_is_big_enough_and_explained():
    assert len(CASES) >= 30
    assert all(c["why"].strip() for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['received']}-{i}" for i, c in enumerate(CASES)])
def test_hand_checked_deadline(case):
    cal = default_calendar()
    kwargs = {"pauses": _pauses(case), "corrected": case.get("corrected"), "extend": case.get("extend", False)}
    if "error_year" in case:
        with pytest.raises(CalendarMissing) as info:
            compute_deadline(case["received"], cal, **kwargs)
        assert info.value.year == case["error_year"]
        assert f"{case['error_year']}年节假日安排尚未录入" in info.value.message_zh
        return
    result = compute_deadline(case["received"], cal, **kwargs)
    assert result.due == case["expected"], case["why"]
    assert cal.is_workday(result.due)
    counted = [t for t in result.trace if t.kind == "counted"]
    assert len(counted) == 20 * (2 if kwargs["extend"] else 1)
    assert counted[-1].day == result.due


def test_trace_lists_every_day_between_receipt_and_deadline():
    result = compute_deadline(date(2024, 1, 31), default_calendar())
    days = [t.day for t in result.trace if t.kind != "start"]
    assert days == [date(2024, 2, 1) + timedelta(days=i) for i in range(len(days))]
    by_day = {t.day: t for t in result.trace if t.kind != "start"}
    assert by_day[date(2024, 2, 4)].kind == "counted" and "调休" in by_day[date(2024, 2, 4)].reason
    assert by_day[date(2024, 2, 18)].kind == "counted" and "调休" in by_day[date(2024, 2, 18)].reason
    assert by_day[date(2024, 2, 12)].kind == "skipped" and "春节" in by_day[date(2024, 2, 12)].reason
    assert by_day[date(2024, 2, 25)].reason == "周日"


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (date(2024, 2, 4), True),  # 春节调休上班（周日）
        (date(2024, 2, 18), True),  # 春节调休上班（周日）
        (date(2024, 2, 9), True),  # 除夕：法定工作日（鼓励休息）
        (date(2024, 2, 12), False),
        (date(2023, 1, 28), True),  # 周六调休
        (date(2023, 1, 29), True),  # 周日调休
        (date(2020, 2, 1), False),  # 原定调休上班，因春节延长而取消
        (date(2020, 1, 31), False),
        (date(2019, 5, 5), True),  # 劳动节调整后的调休
        (date(2025, 10, 8), False),
        (date(2025, 10, 11), True),
        (date(2026, 2, 28), True),
        (date(2026, 2, 23), False),
        (date(2026, 1, 4), True),
        (date(2024, 3, 9), False),  # 普通周六
        (date(2024, 3, 11), True),  # 普通周一
    ],
)
def test_known_days(day, workday):
    assert default_calendar().is_workday(day) is workday


def test_calendar_agrees_with_chinese_calendar_package():
    """An independent source: the chinese-calendar package, day by day, 2019 to 2026."""
    chinese_calendar = pytest.importorskip("chinese_calendar")
    cal = default_calendar()
    day = date(2019, 1, 1)
    checked = 0
    while day <= date(2026, 12, 31):
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
        checked += 1
    assert checked == 2922


def test_missing_year_is_refused_not_guessed():
    cal = default_calendar()
    with pytest.raises(CalendarMissing, match="2027年节假日安排尚未录入"):
        cal.is_workday(date(2027, 3, 1))


VALID_2027 = """
year = 2027
source = "测试用：国务院办公厅关于2027年部分节假日安排的通知"
[[holidays]]
name = "元旦"
from = 2027-01-01
to = 2027-01-03
[[workdays]]
name = "测试调休"
on = 2027-01-09
"""


def test_administrator_adds_a_year(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))
    path = add_year(VALID_2027)
    assert path == tmp_path / "calendars" / "2027.toml"
    cal = default_calendar()
    assert cal.covers(2027)
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 1, 9))  # a Saturday made a working day
    # the deadline that was refused is now computed
    assert compute_deadline(date(2026, 12, 10), cal).due.year == 2027


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("year = 2027", "依据"),
        (VALID_2027.replace("2027-01-09", "2027-01-08"), "不是周末"),
        (VALID_2027.replace("to = 2027-01-03", "to = 2026-12-30"), "起止日期"),
        (VALID_2027.replace("from = 2027-01-01", "from = 2026-12-31"), "其他年份"),
        ("year = ", "TOML"),
    ],
)
def test_invalid_calendar_files_are_refused(text, message):
    with pytest.raises(CalendarError, match=message):
        parse_year(text)


def test_add_year_without_data_dir(monkeypatch):
    monkeypatch.delenv("GONGKAI_DATA_DIR", raising=False)
    with pytest.raises(CalendarError, match="GONGKAI_DATA_DIR"):
        add_year(VALID_2027)


def test_empty_calendar_refuses_everything():
    with pytest.raises(CalendarMissing):
        WorkCalendar({}).is_workday(date(2024, 1, 2))


# -- properties --------------------------------------------------------------

# received early enough that three pauses and an extension still end inside the calendar data (2026)
DAYS_2019_2026 = st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 4, 30))
PAUSE = st.tuples(st.integers(-10, 80), st.integers(0, 30))  # start offset from receipt, length


def _to_pauses(received: date, raw) -> list[Pause]:
    return [Pause(received + timedelta(days=a), received + timedelta(days=a + n), "p") for a, n in raw]


@settings(max_examples=300, deadline=None)
@given(DAYS_2019_2026, st.lists(PAUSE, max_size=3), st.booleans())
def test_deadline_is_a_working_day_after_receipt(received, raw, extend):
    cal = default_calendar()
    result = compute_deadline(received, cal, pauses=_to_pauses(received, raw), extend=extend)
    assert cal.is_workday(result.due) and result.due > received
    assert not any(p.start <= result.due <= p.end for p in _to_pauses(received, raw))
    assert result.first_due <= result.due


@settings(max_examples=300, deadline=None)
@given(DAYS_2019_2026, st.lists(PAUSE, max_size=3), PAUSE, st.booleans())
def test_pauses_never_shorten_a_deadline(received, raw, extra, extend):
    cal = default_calendar()
    base = compute_deadline(received, cal, pauses=_to_pauses(received, raw), extend=extend)
    more = compute_deadline(received, cal, pauses=_to_pauses(received, [*raw, extra]), extend=extend)
    assert more.due >= base.due
    assert compute_deadline(received, cal, extend=extend).due <= base.due


@settings(max_examples=200, deadline=None)
@given(DAYS_2019_2026, st.integers(0, 60))
def test_correction_restarts_from_the_corrected_day(received, later):
    cal = default_calendar()
    corrected = received + timedelta(days=later)
    assert compute_deadline(received, cal, corrected=corrected).due == compute_deadline(corrected, cal).due
