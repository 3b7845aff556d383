"""The agency's register of 规章 and 行政规范性文件, and the 表二 第二十条（一） counts it gives.

Each document has a title, a 文号, its kind, 制发日期 and, once it ends, a 废止日期 or a
失效日期.  For a report year: 本年制发 = documents made that year; 本年废止 = documents
repealed or expired that year (both leave 现行有效); 现行有效 = documents made by the year's
end that had not ended by then.  `reconcile` shows 上年现行有效 + 本年制发 − 本年废止 =
本年现行有效 against last year's published figure and says where it breaks.

Excel import reads the first sheet with a header row naming the columns (标题/名称,
文号, 类别, 制发日期, 废止日期, 失效日期, in any order), one document a row.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import openpyxl

from gongkai.authoring.draft import DraftError

RULES, NORMATIVE = "rules", "normative_documents"
KIND_NAMES = {RULES: "规章", NORMATIVE: "行政规范性文件"}
_KIND_WORDS = ((RULES, ("规章",)), (NORMATIVE, ("规范性文件", "行政规范性文件", "规范性")))
# Header words of each column, in the order they are tried.
_COLUMNS = {
    "title": ("标题", "名称", "文件名称", "文件标题"),
    "number": ("文号", "发文字号", "字号"),
    "kind": ("类别", "类型", "种类", "文件类别", "文件类型"),
    "issued": ("制发日期", "发布日期", "印发日期", "成文日期", "制定日期", "施行日期"),
    "repealed": ("废止日期", "废止时间"),
    "expired": ("失效日期", "失效时间", "有效期至"),
}
_DATE = re.compile(r"^\s*(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?\s*$")


@dataclass
class RegisteredDocument:
    title: str
    number: str  # 文号, e.g. 石政规〔2022〕3号
    kind: str  # RULES | NORMATIVE
    issued: date | None  # 制发日期
    repealed: date | None = None  # 废止日期
    expired: date | None = None  # 失效日期
    row: int | None = None  # spreadsheet row it came from

    @property
    def ended(self) -> date | None:
        ends = [d for d in (self.repealed, self.expired) if d is not None]
        return min(ends) if ends else None

    def in_force_at(self, day: date) -> bool:
        return self.issued is not None and self.issued <= day and (self.ended is None or self.ended > day)


@dataclass
class Reconciliation:
    kind: str
    year: int
    previous_in_force: int  # last year's 现行有效: as published when given, else from the register
    previous_source: str  # "published" | "register"
    issued: int
    repealed: int
    in_force: int  # this year's 现行有效, from the register
    register_previous: int  # last year's 现行有效 by the register

    @property
    def expected(self) -> int:
        return self.previous_in_force + self.issued - self.repealed

    @property
    def difference(self) -> int:
        return self.in_force - self.expected

    @property
    def holds(self) -> bool:
        return self.difference == 0

    def explain(self) -> str:
        name = KIND_NAMES[self.kind]
        source = "上年报告公布" if self.previous_source == "published" else "登记簿推算"
        line = (
            f"{name}：上年现行有效{self.previous_in_force}件（{source}）＋本年制发{self.issued}件"
            f"－本年废止{self.repealed}件＝{self.expected}件；登记簿本年现行有效{self.in_force}件"
        )
        if self.holds:
            return line + "，一致。"
        return (
            line + f"，相差{self.difference:+d}件。登记簿推算的上年现行有效为{self.register_previous}件，"
            "请核对上年报告的数字或补全登记簿（遗漏的文件、废止或失效日期）。"
        )


@dataclass
class Register:
    documents: list[RegisteredDocument] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[RegisteredDocument]:
        return [d for d in self.documents if d.kind == kind]

    def counts(self, year: int) -> dict[str, dict[str, int]]:
        """表二 第二十条（一） for the report year, in the report/v1 shape (2021 format fields)."""
        end = date(year, 12, 31)
        out = {}
        for kind in (RULES, NORMATIVE):
            docs = self.of_kind(kind)
            out[kind] = {
                "issued": sum(1 for d in docs if d.issued and d.issued.year == year),
                "repealed": sum(1 for d in docs if d.ended and d.ended.year == year),
                "in_force": sum(1 for d in docs if d.in_force_at(end)),
            }
        return out

    def reconcile(self, year: int, published_previous: dict[str, int] | None = None) -> list[Reconciliation]:
        """上年现行有效＋本年制发－本年废止＝本年现行有效, per kind; `published_previous` maps kind → last
        year's published 现行有效 (e.g. from last year's report), else the register's own figure is used."""
        now, before = self.counts(year), self.counts(year - 1)
        out = []
        for kind in (RULES, NORMATIVE):
            published = (published_previous or {}).get(kind)
            out.append(
                Reconciliation(
                    kind=kind,
                    year=year,
                    previous_in_force=published if published is not None else before[kind]["in_force"],
                    previous_source="published" if published is not None else "register",
                    issued=now[kind]["issued"],
                    repealed=now[kind]["repealed"],
                    in_force=now[kind]["in_force"],
                    register_previous=before[kind]["in_force"],
                )
            )
        return out

    def problems(self) -> list[str]:
        """Entries that make the counts unreliable: no 制发日期, an end before the start, a 文号 twice."""
        out = []
        seen: dict[str, RegisteredDocument] = {}
        for d in self.documents:
            where = f"第{d.row}行" if d.row else f"“{d.title}”"
            if d.issued is None:
                out.append(f"{where}“{d.title}”没有制发日期，不计入任何年度。")
            elif d.ended and d.ended < d.issued:
                out.append(f"{where}“{d.title}”的废止/失效日期早于制发日期。")
            key = re.sub(r"\s", "", d.number)
            if key and key in seen:
                out.append(f"{where}文号“{d.number}”与“{seen[key].title}”重复。")
            elif key:
                seen[key] = d
        return out


def parse_date(value) -> date | None:
    """A date from a spreadsheet cell: a date, a datetime, or text such as 2022-03-05, 2022年3月5日, 2022.3.5."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE.match(str(value))
    if not m:
        raise DraftError(f"“{value}”不是日期（应写作 2022-03-05 或 2022年3月5日）")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise DraftError(f"“{value}”不是有效的日期") from None


def _kind(value, title: str, number: str) -> str:
    text = f"{value or ''}"
    for kind, words in _KIND_WORDS:
        if any(w in text for w in words):
            return kind
    if not text.strip():  # no 类别 column: 规章 are 令, the rest normative documents
        return RULES if re.search(r"令|规章", title + number) and "规范性" not in title else NORMATIVE
    raise DraftError(f"类别“{text}”应为“规章”或“行政规范性文件”")


def _header(row: tuple) -> dict[str, int] | None:
    cells = [re.sub(r"\s", "", str(c or "")) for c in row]
    found: dict[str, int] = {}
    for key, words in _COLUMNS.items():
        for i, cell in enumerate(cells):
            if i not in found.values() and any(cell == w or cell.startswith(w) for w in words):
                found[key] = i
                break
    return found if {"title", "issued"} <= set(found) else None


def import_register(data: bytes) -> Register:
    """A register from an Excel workbook (.xlsx): the first sheet whose header row names 标题 and 制发日期."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise DraftError("无法读取该 Excel 文件（应为 .xlsx）") from None
    errors: list[str] = []
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        columns = None
        register = Register()
        for number, row in enumerate(rows, start=1):
            if columns is None:
                columns = _header(row)
                continue
            get = {k: (row[i] if i < len(row) else None) for k, i in columns.items()}
            title = str(get.get("title") or "").strip()
            if not title:
                continue
            doc_number = str(get.get("number") or "").strip()
            try:
                register.documents.append(
                    RegisteredDocument(
                        title=title,
                        number=doc_number,
                        kind=_kind(get.get("kind"), title, doc_number),
                        issued=parse_date(get.get("issued")),
                        repealed=parse_date(get.get("repealed")),
                        expired=parse_date(get.get("expired")),
                        row=number,
                    )
                )
            except DraftError as exc:
                errors.append(f"{sheet.title}第{number}行：{exc}")
        if columns is not None:
            if errors:
                raise DraftError("登记簿导入失败：" + "；".join(errors[:10]))
            return register
    raise DraftError("未找到登记簿的表头：第一行应包含“标题”（或“名称”）和“制发日期”等列")
