"""Working days: the official holiday arrangements, with 调休 make-up working days.

The calendars are data, one file a year, built from the 国务院办公厅 annual notices
(《国务院办公厅关于YYYY年部分节假日安排的通知》): `spec/calendars/YYYY.toml` ships
with gongkai; an administrator adds a year by putting a validated file in
`$GONGKAI_DATA_DIR/calendars/YYYY.toml` (`gongkai ledger calendar add FILE`).  A
day in a year with no file is never guessed: `CalendarMissing` names the year.

A day is a working day when it is a make-up working day (调休上班), or when it is
Monday to Friday and not inside a holiday.
"""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from gongkai.spec import SPEC_DIR

BUILTIN_DIR = SPEC_DIR / "calendars"


class CalendarMissing(LookupError):
    """A computation needs a year whose holiday arrangement is not in the data."""

    def __init__(self, year: int):
        self.year = year
        self.message_zh = (
            f"{year}年节假日安排尚未录入，无法计算工作日；请管理员录入国务院办公厅发布的{year}年节假日安排"
        )
        self.message_en = f"the {year} holiday arrangement is not in the calendar data"
        super().__init__(self.message_zh)


class CalendarError(ValueError):
    """A calendar file that is not valid; `message_zh` says why."""

    def __init__(self, message_zh: str):
        self.message_zh = message_zh
        super().__init__(message_zh)


@dataclass(frozen=True)
class YearCalendar:
    year: int
    source: str
    holidays: dict[date, str]  # every day off inside a holiday range → holiday name
    workdays: dict[date, str]  # 调休上班 days → holiday name
    path: str = ""


def data_dir() -> Path | None:
    """The administrator's data directory ($GONGKAI_DATA_DIR), or None."""
    value = os.environ.get("GONGKAI_DATA_DIR")
    return Path(value) if value else None


def parse_year(text: str, origin: str = "") -> YearCalendar:
    """Read and validate one year's calendar (TOML text); raises CalendarError."""
    try:
        d = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarError(f"节假日文件不是有效的 TOML：{exc}") from None
    year = d.get("year")
    if not isinstance(year, int) or not 1990 <= year <= 2200:
        raise CalendarError("节假日文件缺少有效的年份（year = 2027）")
    source = d.get("source")
    if not isinstance(source, str) or not source.strip():
        raise CalendarError(f'{year}年节假日文件缺少依据（source = "国务院办公厅关于{year}年部分节假日安排的通知"）')
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    for i, h in enumerate(d.get("holidays", []), 1):
        name, start, end = h.get("name"), h.get("from"), h.get("to")
        if not isinstance(name, str) or not isinstance(start, date) or not isinstance(end, date):
            raise CalendarError(f"{year}年节假日文件第{i}个假期须有 name、from、to（日期）")
        if end < start or (end - start).days > 15:
            raise CalendarError(f"{year}年节假日文件中“{name}”的起止日期不合理：{start} 至 {end}")
        day = start
        while day <= end:
            if day.year != year:
                raise CalendarError(f"{year}年节假日文件中“{name}”含有其他年份的日期 {day}")
            holidays[day] = name
            day += timedelta(days=1)
    for i, w in enumerate(d.get("workdays", []), 1):
        name, on = w.get("name"), w.get("on")
        if not isinstance(name, str) or not isinstance(on, date):
            raise CalendarError(f"{year}年节假日文件第{i}个调休上班日须有 name、on（日期）")
        if on.year != year:
            raise CalendarError(f"{year}年节假日文件中的调休上班日 {on} 不在{year}年")
        if on.weekday() < 5:
            raise CalendarError(f"调休上班日 {on} 不是周末，无需列出")
        if on in holidays:
            raise CalendarError(f"{on} 既是放假日又是调休上班日")
        workdays[on] = name
    if not holidays:
        raise CalendarError(f"{year}年节假日文件没有任何假期")
    return YearCalendar(year, source.strip(), holidays, workdays, origin)


def _year_files() -> dict[int, Path]:
    """Built-in files, then the administrator's (which win for the same year)."""
    files: dict[int, Path] = {}
    dirs = [BUILTIN_DIR]
    extra = data_dir()
    if extra is not None:
        dirs.append(extra / "calendars")
    for directory in dirs:
        if directory.is_dir():
            for path in sorted(directory.glob("*.toml")):
                if path.stem.isdigit():
                    files[int(path.stem)] = path
    return files


class WorkCalendar:
    """Working days over the years present in the data."""

    def __init__(self, years: dict[int, YearCalendar]):
        self.years = dict(sorted(years.items()))
        self._holidays: dict[date, str] = {}
        self._workdays: dict[date, str] = {}
        for cal in self.years.values():
            self._holidays.update(cal.holidays)
            self._workdays.update(cal.workdays)

    @classmethod
    def from_files(cls, files: dict[int, Path]) -> WorkCalendar:
        years = {}
        for year, path in files.items():
            cal = parse_year(path.read_text(encoding="utf-8"), str(path))
            if cal.year != year:
                raise CalendarError(f"文件 {path.name} 中的年份是 {cal.year}，与文件名不符")
            years[year] = cal
        return cls(years)

    def covers(self, year: int) -> bool:
        return year in self.years

    def require(self, day: date) -> None:
        if day.year not in self.years:
            raise CalendarMissing(day.year)

    def is_workday(self, day: date) -> bool:
        """Whether `day` is a working day; raises CalendarMissing for a year without data."""
        self.require(day)
        if day in self._workdays:
            return True
        return day.weekday() < 5 and day not in self._holidays

    def why_not_workday(self, day: date) -> str:
        """Why a day is off, in Chinese (节假日名称, or 周六/周日)."""
        if day in self._holidays:
            return f"{self._holidays[day]}假期"
        return "周六" if day.weekday() == 5 else "周日"

    def workday_reason(self, day: date) -> str:
        if day in self._workdays:
            return f"{self._workdays[day]}调休上班"
        return "工作日"

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start itself is not counted; 民法典第二百零一条)."""
        day, counted = start, 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many have been used by `end`."""
        day, counted = start, 0
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return counted

    def next_workday(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day


@functools.cache
def _default(key: tuple[tuple[int, str, float], ...]) -> WorkCalendar:
    return WorkCalendar.from_files({year: Path(path) for year, path, _ in key})


def default_calendar() -> WorkCalendar:
    """The shipped calendars plus the administrator's; re-read when a file changes."""
    files = _year_files()
    key = tuple((y, str(p), p.stat().st_mtime) for y, p in sorted(files.items()))
    return _default(key)


def add_year(text: str, directory: Path | None = None) -> Path:
    """Validate a year's calendar and store it in the administrator's directory.

    Returns the written path.  Raises CalendarError for an invalid file or when no
    directory is given and $GONGKAI_DATA_DIR is not set.
    """
    cal = parse_year(text)
    base = directory or data_dir()
    if base is None:
        raise CalendarError("未设置数据目录：请设置环境变量 GONGKAI_DATA_DIR")
    target = base / "calendars" / f"{cal.year}.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


__all__ = [
    "CalendarError",
    "CalendarMissing",
    "WorkCalendar",
    "YearCalendar",
    "add_year",
    "default_calendar",
    "parse_year",
]
