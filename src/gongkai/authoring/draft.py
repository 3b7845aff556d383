"""An annual report being written: its numbers, its own text, and what it needs before it can go out.

`AnnualReportDraft.to_report()` builds the same `gongkai.report.Report` the parser
builds from a published report, so every check gongkai applies to published reports
(spec/checks.toml, including prose against tables) runs unchanged on a draft.
`readiness()` lists what still stands between the draft and submission.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from gongkai.authoring.spec import authoring, sentences
from gongkai.checking.checks import run_checks
from gongkai.fitting.facts import extract_facts
from gongkai.fitting.meta import LEVEL_NAMES, agency_level
from gongkai.reading.document import load_text
from gongkai.report import Cell, Finding, Report
from gongkai.spec import COMMON_REQUEST_ROWS, FORMATS, REVIEW_COLUMNS, REVIEW_ROWS, SECTIONS, Format, deadlines

SCHEMA = "gongkai.draft/v1"
# Sections the agency writes; the others hold the tables.
WRITTEN_SECTIONS = tuple(s.key for s in SECTIONS if not s.table)
REQUEST_COLUMN_KEYS = tuple(c.key for c in FORMATS["2021"].requests.columns)
REVIEW_COLUMN_KEYS = tuple(c.key for c in REVIEW_COLUMNS)
REVIEW_ROW_KEYS = tuple(r.key for r in REVIEW_ROWS)
FEE_PATH = "processing_fee_yuan"


class DraftError(ValueError):
    """Input a draft cannot accept, with a reason in Chinese."""


def format_for_year(year: int) -> str:
    """The format a report for `year` must use: 2019 format for 2019 and 2020, the 2021 format from 2021 on."""
    for fmt in FORMATS.values():
        if fmt.has_tables and (fmt.expected_from_year or 0) <= year <= (fmt.expected_until_year or 9999):
            return fmt.id
    raise DraftError(f"{year}年度的报告没有规定格式的统计表（2019年起才有统一格式），无法按规定格式编写")


def _number(value: Any, kind: str) -> int | Decimal | None:
    """A JSON or entered value as the report holds it: counts as int, amounts as Decimal (never float)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise DraftError(f"“{value}”不是数字")
    if kind == "money":
        try:
            return Decimal(str(value))
        except ArithmeticError:
            raise DraftError(f"金额“{value}”不是数字") from None
    if isinstance(value, Decimal | float):
        if value != int(value):
            raise DraftError(f"件数“{value}”应为整数")
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip().replace(",", ""))
        except ValueError:
            raise DraftError(f"件数“{value}”不是整数") from None
    return int(value)


def empty_tables(format_id: str) -> dict[str, dict]:
    """Tables with every cell of the format blank (None), in the report/v1 shape."""
    fmt = FORMATS[format_id]
    present = {r.key for r in fmt.requests.rows}
    return {
        "active": {row.key: {f.key: None for f in block.fields} for block in fmt.active for row in block.rows},
        "requests": {r.key: [None] * 7 if r.key in present else None for r in COMMON_REQUEST_ROWS},
        "review_litigation": {r: [None] * 5 for r in REVIEW_ROW_KEYS},
    }


@dataclass
class Issue:
    """One thing that blocks submission or publication."""

    code: str
    message: str
    rule: str | None = None
    cells: list[str] = field(default_factory=list)
    acknowledgeable: bool = False

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "rule": self.rule,
            "cells": self.cells,
            "acknowledgeable": self.acknowledgeable,
        }


@dataclass
class AnnualReportDraft:
    agency: str
    year: int
    level: str | None = None  # province | city | county | township; read from the name when None
    is_department: bool | None = None  # a department of a government (deadline 1月31日); from the name when None
    format_id: str | None = None  # follows the year when None
    active: dict[str, dict[str, int | Decimal | None]] = field(default_factory=dict)
    requests: dict[str, list[int | None] | None] = field(default_factory=dict)
    review_litigation: dict[str, list[int | None]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # overview / problems / other_matters: paragraphs, "\n"
    processing_fee_yuan: Decimal | None = None  # 信息处理费 collected, 元 (section 六 must state it)
    published: date | None = None  # planned publication date
    acknowledgements: dict[str, str] = field(default_factory=dict)  # rule id → reason
    previous_texts: dict[str, str] = field(default_factory=dict)  # last year's sections, shown side by side
    previous_in_force: dict[str, int] = field(default_factory=dict)  # last year's published 现行有效件数, by row

    def __post_init__(self) -> None:
        if self.format_id is None:
            self.format_id = format_for_year(self.year)
        if self.format_id not in FORMATS or not FORMATS[self.format_id].has_tables:
            raise DraftError(f"未知或没有统计表的格式：{self.format_id}")
        blank = empty_tables(self.format_id)
        for name in ("active", "requests", "review_litigation"):
            given = getattr(self, name)
            merged = blank[name]
            for row, values in (given or {}).items():
                if row not in merged:
                    raise DraftError(f"{self.format.name}没有“{row}”这一行")
                if merged[row] is None:
                    if values is not None and any(v not in (None, 0) for v in values):
                        raise DraftError(f"{self.format.name}没有“{row}”这一行")
                    continue
                merged[row] = self._row(name, row, values)
            setattr(self, name, merged)
        if self.processing_fee_yuan is not None:
            self.processing_fee_yuan = _number(self.processing_fee_yuan, "money")

    def _row(self, table: str, row: str, values: Any) -> Any:
        if table == "active":
            fields = {f.key: f.kind for b in self.format.active for r in b.rows if r.key == row for f in b.fields}
            unknown = set(values) - set(fields)
            if unknown:
                raise DraftError(f"“{row}”没有这些栏目：{'、'.join(sorted(unknown))}")
            return {k: _number(values.get(k), kind) for k, kind in fields.items()}
        width = 7 if table == "requests" else 5
        if values is None or len(values) != width:
            raise DraftError(f"“{table}.{row}”应有{width}个数")
        return [_number(v, "count") for v in values]

    # -- values ---------------------------------------------------------------
    @property
    def format(self) -> Format:
        return FORMATS[self.format_id]

    def value(self, path: str) -> int | Decimal | None:
        if path == FEE_PATH:
            return self.processing_fee_yuan
        table, row, column = path.split(".")
        if table == "active":
            return (self.active.get(row) or {}).get(column)
        values = getattr(self, table).get(row)
        if values is None:
            return None
        keys = REQUEST_COLUMN_KEYS if table == "requests" else REVIEW_COLUMN_KEYS
        return values[keys.index(column)]

    def set_value(self, path: str, value: Any) -> None:
        table, row, column = path.split(".")
        if table == "active":
            kind = next(f.kind for b in self.format.active for f in b.fields if f.key == column)
            self.active[row][column] = _number(value, kind)
            return
        keys = REQUEST_COLUMN_KEYS if table == "requests" else REVIEW_COLUMN_KEYS
        values = getattr(self, table)[row]
        if values is None:
            raise DraftError(f"{self.format.name}没有“{row}”这一行")
        values[keys.index(column)] = _number(value, "count")

    def set_requests(self, tables: dict) -> None:
        """Tables 三 and 四 in the report/v1 shape, e.g. from the request ledger's year statistics."""
        for name in ("requests", "review_litigation"):
            if name not in tables:
                continue
            for row, values in tables[name].items():
                if row not in getattr(self, name):
                    raise DraftError(f"{self.format.name}的表格没有“{row}”这一行")
                if getattr(self, name)[row] is None:
                    if values is not None and any(v not in (None, 0) for v in values):
                        raise DraftError(f"{self.format.name}没有“{row}”这一行，但数据中该行有数")
                    continue
                getattr(self, name)[row] = self._row(name, row, values)

    def complete_totals(self) -> None:
        """Fill 表三's 总计 column, its （七）总计 row and 表四's 总计 cells from their parts (an entry aid)."""
        outcomes = [r.key for r in self.format.requests.rows if r.outcome]
        for values in self.requests.values():
            if values is not None and all(v is not None for v in values[:6]):
                values[6] = sum(values[:6])
        for i in range(7):
            parts = [self.requests[k][i] for k in outcomes]
            if all(v is not None for v in parts):
                self.requests["total"][i] = sum(parts)
        for values in self.review_litigation.values():
            if all(v is not None for v in values[:4]):
                values[4] = sum(values[:4])

    # -- text -------------------------------------------------------------------
    def title(self) -> str:
        return authoring()["text"]["title"].format(agency=self.agency, year=self.year)

    def intro(self) -> str:
        key = "intro_2019" if self.format_id == "2019" else "intro"
        return authoring()["text"][key].format(agency=self.agency, year=self.year)

    def offered_sentences(self) -> dict[str, list[str]]:
        """Sentences stating figures, from the data, by section (spec/authoring.toml)."""
        out: dict[str, list[str]] = {}
        for s in sentences():
            if s.formats and self.format_id not in s.formats:
                continue
            values = [self.value(p) for p in s.paths]
            if any(v is None for v in values):
                continue
            n = sum(values)
            if (s.when == "nonzero" and n == 0) or (s.when == "zero" and n != 0):
                continue
            text = s.template.format(n=_figure(n))
            out.setdefault(s.section, []).append(text)
        return out

    def side_by_side(self, section: str) -> tuple[str, str]:
        """(last year's text, this year's text) of a written section."""
        return self.previous_texts.get(section, ""), self.texts.get(section, "")

    def previous_problems(self) -> list[str]:
        """The problems last year's section 五 listed ("一是…；二是…" or one per paragraph)."""
        text = self.previous_texts.get("problems", "")
        items = [p.strip(" ；;。") for p in re.split(r"[一二三四五六七八九十]是|\n|[0-9０-９]+[.．、]", text)]
        return [i for i in items if len(i) >= 4]

    # -- the report -----------------------------------------------------------
    def document_text(self) -> tuple[str, dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
        """The report as plain text; offsets of each heading and of each written section's body."""
        parts: list[str] = [self.title(), "\n", self.intro(), "\n"]
        length = sum(map(len, parts))
        headings: dict[str, tuple[int, int]] = {}
        bodies: dict[str, tuple[int, int]] = {}
        for section in SECTIONS:
            heading = f"{section.number}、{section.label}"
            headings[section.key] = (length, length + len(heading))
            parts += [heading, "\n"]
            length += len(heading) + 1
            if not section.table:
                body = self.texts.get(section.key, "").strip()
                bodies[section.key] = (length, length + len(body))
                if body:
                    parts += [body, "\n"]
                    length += len(body) + 1
        return "".join(parts), headings, bodies

    def to_report(self) -> Report:
        """A Report of this draft, checked by every rule gongkai applies to published reports."""
        fmt = self.format
        text, headings, _ = self.document_text()
        report = Report(source=f"{self.title()}（草稿）", text=text, format=fmt, input_kind="draft")
        for block in fmt.active:
            for row in block.rows:
                for f in block.fields:
                    self._put(report, f"active.{row.key}.{f.key}", f"{row.label} / {f.label}", f.kind)
        for grid in (fmt.requests, fmt.review_litigation):
            for row in grid.rows:
                for c in grid.columns:
                    label = row.full_label if grid.name == "requests" else row.label
                    self._put(report, f"{grid.name}.{row.key}.{c.key}", f"{label} / {c.label}", "count")
        report.meta = self.meta()
        for section in SECTIONS:
            start, end = headings[section.key]
            report.sections[section.key] = {
                "number": section.number,
                "label": text[start:end],
                "start": start,
                "end": end,
            }
        report.body = {"start": 0, "end": len(text)}
        report.facts = extract_facts(load_text(text, kind="text"), 0, len(text))
        report.findings = run_checks(report)
        return report

    def _put(self, report: Report, path: str, label: str, kind: str) -> None:
        value = self.value(path)
        if value is None:
            report.cells[path] = Cell(path, label, None, "missing")
            return
        cell_kind = {"money": "money", "delta": "delta"}.get(kind, "number")
        report.cells[path] = Cell(
            path, label, value, cell_kind, raw=_figure(value), unit="万元" if kind == "money" else None
        )

    def meta(self) -> dict[str, Any]:
        agency = agency_level(self.agency)
        if self.level is not None:
            agency["level"], agency["level_name"] = self.level, LEVEL_NAMES.get(self.level)
        if self.is_department is not None:
            agency["is_department"] = self.is_department
        return {
            "title": self.title(),
            "agency": {"name": self.agency, "source": "draft", "confidence": 1.0, **agency},
            "year": {"value": self.year, "source": "draft", "confidence": 1.0},
            "published": self.published.isoformat() if self.published else None,
        }

    def deadline(self) -> tuple[date, str] | None:
        """The statutory publication deadline of this report and its basis, when the law names one."""
        agency = self.meta()["agency"]
        for rule in deadlines():
            if rule.applies(self.year, agency.get("level"), bool(agency.get("is_department"))):
                return date(self.year + 1, rule.month, rule.day), rule.basis
        return None

    def cell_findings(self, report: Report | None = None) -> dict[str, list[Finding]]:
        """Live checks for a form: cell path → the findings that name it (every identity, per column and row)."""
        report = report or self.to_report()
        out: dict[str, list[Finding]] = {}
        for finding in report.findings:
            for path in finding.cells:
                out.setdefault(path, []).append(finding)
        return out

    # -- prose kept in step with the tables -----------------------------------
    def stale_figures(self, report: Report | None = None) -> list[Finding]:
        """Figures stated in the text that no longer match the tables (the checker's prose rule)."""
        report = report or self.to_report()
        return [f for f in report.findings if f.rule == "prose.table_mismatch"]

    def refresh_figures(self) -> int:
        """Rewrite every stale figure in the text with the tables' value; returns how many were changed."""
        report = self.to_report()
        _, _, bodies = self.document_text()
        changed = 0
        for finding in sorted(self.stale_figures(report), key=lambda f: -(f.span or (0, 0))[0]):
            start, end = finding.span or (0, 0)
            section = next((k for k, (s, e) in bodies.items() if s <= start and end <= e), None)
            if section is None:
                continue
            offset = bodies[section][0]
            body = self.texts[section].strip()
            lead = len(self.texts[section]) - len(self.texts[section].lstrip())
            quote = body[start - offset : end - offset]
            digits = list(re.finditer(r"\d[\d,]*", quote))
            if not digits:
                continue
            m = digits[-1]
            new_quote = quote[: m.start()] + _figure(finding.expected) + quote[m.end() :]
            body = body[: start - offset] + new_quote + body[end - offset :]
            self.texts[section] = self.texts[section][:lead] + body
            changed += 1
        return changed

    # -- readiness ------------------------------------------------------------
    def readiness(self, report: Report | None = None) -> list[Issue]:
        """What blocks submission or publication; an empty list means the draft may go out.

        Every error-level finding blocks; a warning blocks until acknowledged with a reason (some
        cannot be: the draft offers their fix); section 五 must address last year's problems and
        section 六 must state the 信息处理费.
        """
        rules = authoring()["readiness"]
        report = report or self.to_report()
        issues: list[Issue] = []
        for f in report.findings:
            fixed_only = f.rule in rules["not_acknowledgeable"]
            reason = (self.acknowledgements.get(f.rule) or "").strip()
            if f.severity == "error":
                issues.append(Issue("finding", f.message, f.rule, f.cells))
            elif (f.severity == "warning" or f.rule in rules["blocking_info"]) and (fixed_only or not reason):
                issues.append(Issue("finding", f.message, f.rule, f.cells, acknowledgeable=not fixed_only))
        for section in SECTIONS:
            if not section.table and not self.texts.get(section.key, "").strip():
                issues.append(Issue("section_empty", f"第{section.number}部分“{section.label}”尚未填写。"))
        issues += self._fee_issues(report)
        for line in self.in_force_reconciliation():
            if not line["holds"] and not (self.acknowledgements.get("in_force") or "").strip():
                issues.append(Issue("in_force", line["message"], "in_force", [line["path"]], acknowledgeable=True))
        return issues

    def in_force_reconciliation(self) -> list[dict]:
        """上年现行有效＋本年制发－本年废止＝本年现行有效 for 规章 and 行政规范性文件, against last year's published
        figures (`previous_in_force`); a break can be right (amendments, clean-ups) but needs a reason."""
        out = []
        if self.format_id != "2021":
            return out  # the 2019 format has no 现行有效件数
        for block in self.format.active:
            for row in block.rows:
                if row.key not in self.previous_in_force or "in_force" not in {f.key for f in block.fields}:
                    continue
                values = self.active[row.key]
                if any(values.get(k) is None for k in ("issued", "repealed", "in_force")):
                    continue
                before = self.previous_in_force[row.key]
                expected = before + values["issued"] - values["repealed"]
                found = values["in_force"]
                message = (
                    f"{row.label}：上年现行有效{before}件＋本年制发{values['issued']}件－本年废止{values['repealed']}件"
                    f"＝{expected}件，本年现行有效填报{found}件"
                )
                holds = expected == found
                gap = f"，相差{found - expected:+d}件（修订、清理可造成差异，请说明原因）。"
                message += "，一致。" if holds else gap
                out.append(
                    {
                        "row": row.key,
                        "path": f"active.{row.key}.in_force",
                        "previous": before,
                        "expected": expected,
                        "found": found,
                        "holds": holds,
                        "message": message,
                    }
                )
        return out

    def apply_register(self, register) -> None:
        """表二 第二十条（一） from the register of 规章 and 行政规范性文件 (gongkai.authoring.registry)."""
        if self.format_id != "2021":
            raise DraftError(
                "2019年版格式的第二十条（一）项栏目（新制作、新公开、对外公开总数）与登记簿不同，请直接填写"
            )
        for row, values in register.counts(self.year).items():
            self.active[row] = {k: values[k] for k in ("issued", "repealed", "in_force")}

    def take_previous(self, previous: Report | AnnualReportDraft) -> None:
        """Last year's report (parsed) or draft: its written sections, shown side by side, and its 现行有效件数."""
        own = isinstance(previous, AnnualReportDraft)
        self.previous_texts = dict(previous.texts) if own else section_texts(previous)
        values = {row: previous.value(f"active.{row}.in_force") for row in ("rules", "normative_documents")}
        self.previous_in_force = {row: int(v) for row, v in values.items() if v is not None}

    def _fee_issues(self, report: Report) -> list[Issue]:
        section = next(s for s in SECTIONS if s.key == "other_matters")
        if self.processing_fee_yuan is None:
            return [Issue("fee_unknown", "请填写本年度收取的信息处理费（元），没有收取的填0。")]
        _, _, bodies = self.document_text()
        start, end = bodies["other_matters"]
        keys = set(authoring()["readiness"]["processing_fee_facts"])
        stated = [f for f in report.facts if f.key in keys and start <= f.start and f.end <= end]
        fee = self.processing_fee_yuan
        if any(f.value == fee for f in stated):
            return []
        body = self.texts.get("other_matters", "")
        if fee != fee.to_integral_value() and "信息处理费" in body and _figure(fee) in body:
            return []  # a fee with 角/分: the prose reader reads whole 元 only; the amount is stated
        if stated:
            said = "、".join(f"{f.value}元" for f in stated)
            return [
                Issue(
                    "fee_mismatch",
                    f"第{section.number}部分写明的信息处理费（{said}）与填报的{_figure(fee)}元不一致。",
                )
            ]
        return [
            Issue(
                "fee_missing",
                f"第{section.number}部分“{section.label}”应说明本年度收取信息处理费的情况"
                f"（本年度为{_figure(fee)}元），可使用系统提供的语句。",
            )
        ]

    # -- JSON -------------------------------------------------------------------
    def to_json(self) -> dict:
        def plain(value: Any) -> Any:
            if isinstance(value, Decimal):
                return format(value, "f")  # exact: amounts stay strings of digits
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        return {
            "schema": SCHEMA,
            "agency": self.agency,
            "year": self.year,
            "level": self.level,
            "is_department": self.is_department,
            "format": self.format_id,
            "active": plain(self.active),
            "requests": plain(self.requests),
            "review_litigation": plain(self.review_litigation),
            "texts": dict(self.texts),
            "processing_fee_yuan": plain(self.processing_fee_yuan),
            "published": self.published.isoformat() if self.published else None,
            "acknowledgements": dict(self.acknowledgements),
            "previous_texts": dict(self.previous_texts),
            "previous_in_force": dict(self.previous_in_force),
        }

    @classmethod
    def from_json(cls, doc: dict) -> AnnualReportDraft:
        if doc.get("schema") == "gongkai.report/v1":
            return from_report_json(doc)
        if doc.get("schema") != SCHEMA:
            raise DraftError("不是 gongkai 年报草稿（gongkai.draft/v1）或解析结果（gongkai.report/v1）")
        published = doc.get("published")
        return cls(
            agency=doc["agency"],
            year=int(doc["year"]),
            level=doc.get("level"),
            is_department=doc.get("is_department"),
            format_id=doc.get("format"),
            active=copy.deepcopy(doc.get("active") or {}),
            requests=copy.deepcopy(doc.get("requests") or {}),
            review_litigation=copy.deepcopy(doc.get("review_litigation") or {}),
            texts=dict(doc.get("texts") or {}),
            processing_fee_yuan=doc.get("processing_fee_yuan"),
            published=date.fromisoformat(published) if published else None,
            acknowledgements=dict(doc.get("acknowledgements") or {}),
            previous_texts=dict(doc.get("previous_texts") or {}),
            previous_in_force={k: int(v) for k, v in (doc.get("previous_in_force") or {}).items()},
        )


def _figure(value: int | Decimal) -> str:
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
    return str(value)


def section_texts(report: Report) -> dict[str, str]:
    """The written sections (一、五、六) of a parsed report, from its text: what lies between the headings.

    Tables and page furniture inside a section are not expected there; lines that are table rows
    (cells separated by "|") are dropped.
    """
    spans = sorted((v["start"], v["end"], k) for k, v in report.sections.items())
    body_end = (report.body or {}).get("end") or len(report.text)
    out: dict[str, str] = {}
    for i, (_, end, key) in enumerate(spans):
        if key not in WRITTEN_SECTIONS:
            continue
        stop = spans[i + 1][0] if i + 1 < len(spans) else body_end
        lines = [ln.strip() for ln in report.text[end:stop].splitlines()]
        out[key] = "\n".join(ln for ln in lines if ln and "|" not in ln)
    return out


def from_report_json(doc: dict, texts: dict[str, str] | None = None) -> AnnualReportDraft:
    """A draft holding a parsed report's tables (`gongkai parse --json`), to re-issue it in the official format."""
    if doc.get("error"):
        raise DraftError(f"该文件未能解析：{doc['error'].get('message', '')}")
    format_id = doc.get("format")
    if format_id not in FORMATS:
        raise DraftError("不是 gongkai.report/v1 解析结果：缺少 format")
    if not FORMATS[format_id].has_tables:
        raise DraftError("这是2019年以前的文字版年报，没有规定格式的统计表，无法按规定格式重新生成")
    meta = doc.get("meta") or {}
    agency = ((meta.get("agency") or {}).get("name") or "").strip()
    year = (meta.get("year") or {}).get("value")
    if not agency or not year:
        raise DraftError("解析结果中没有机关名称或年度，无法生成报告标题")
    published = meta.get("published")
    requests = {k: v for k, v in (doc.get("requests") or {}).items() if v is not None}
    return AnnualReportDraft(
        agency=agency,
        year=int(year),
        level=(meta.get("agency") or {}).get("level"),
        is_department=(meta.get("agency") or {}).get("is_department"),
        format_id=format_id,
        active=copy.deepcopy(doc.get("active") or {}),
        requests=copy.deepcopy(requests),
        review_litigation=copy.deepcopy(doc.get("review_litigation") or {}),
        texts=dict(texts or doc.get("texts") or {}),
        published=date.fromisoformat(published) if published else None,
    )
