"""Generated reports damaged the way real publishing paths damage them, with per-cell truth.

A real report reaches gongkai through converters, crawlers and copy-paste from PDF viewers,
each of which breaks the tables in its own way (see ../shared/real-reports/README.md).
`damaged_report(rng, damage)` draws the tables of a report (gongkai.proving.synth), writes the report
with one class of damage (`DAMAGES`) and returns:

- `text`: the damaged document;
- `truth`: the tables as the report prints them (public JSON shape; a row the report does not
  print is null, e.g. the 2021 （六） sub-rows when the report prints one （六）其他处理 row);
- `undetermined`: cell paths whose value the damaged text does not determine (glued digits with
  more than one split that satisfies every identity; a value floated off a row without an
  identity).  A reader may leave these unread; a value it reads must still be the printed one.

Everything is drawn from the `random.Random` passed in, so a seed reproduces a document.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
import random
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import opencc

from gongkai.proving.synth import (
    FORMAT_IDS,
    REQUEST_COLUMNS,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    TEXT_LAYOUTS,
    _Cell,
    _heading,
    _money_text,
    _one_line,
    _prose,
    _render_markdown,
    _slots,
    _Style,
    _tables,
    _title,
    random_tables,
    render,
)
from gongkai.spec import BALANCE_NOTE, FORMATS, SPEC_DIR, Axis, Format

NBSP = "\u00a0"


@dataclass
class DamagedReport:
    damage: str
    format: str
    text: str
    truth: dict
    undetermined: frozenset[str] = frozenset()


@dataclass
class _Row:
    """One printed row: its path prefix (`requests.granted`), label, the group label above it, value texts."""

    path: str
    label: str
    group: str | None
    values: list[str]
    keys: tuple[str, ...]


@dataclass
class _Doc:
    """The parts of a report a damage writes: title line, prose sections and the three table sections."""

    tables: dict
    fmt: Format
    title: str
    org: str
    year: int
    prose: dict[str, list[str]]
    rng: random.Random
    style: _Style = field(default_factory=lambda: _Style(noise=False, layout="markdown"))
    undetermined: set[str] = field(default_factory=set)
    headings: dict[str, str] = field(default_factory=dict)  # section number → the heading printed instead
    appendix: list[str] = field(default_factory=list)  # lines printed after the report (another report)


# ---------------------------------------------------------------------------
# Printed values and rows
# ---------------------------------------------------------------------------
def _text(kind: str, value: int | float) -> str:
    if kind == "money":
        return _money_text(value, _Style(noise=False, layout="markdown"), random.Random(0))  # no noise: no draw
    return str(value)


def active_rows(tables: dict, fmt: Format) -> list[tuple[str, tuple[Axis, ...], list[_Row]]]:
    """表二 by block: (article, fields, rows)."""
    out = []
    for block in fmt.active:
        rows = []
        for row in block.rows:
            values = tables["active"][row.key]
            texts = [_text(f.kind, values[f.key]) for f in block.fields]
            rows.append(_Row(f"active.{row.key}", row.label, None, texts, tuple(f.key for f in block.fields)))
        out.append((block.article, block.fields, rows))
    return out


def request_rows(tables: dict, fmt: Format) -> list[_Row]:
    """表三 rows in printed order (rows null in `tables` are not printed); group is the （三）-style label."""
    grid = fmt.requests
    assert grid is not None
    rows = []
    for r in grid.rows:
        values = tables["requests"].get(r.key)
        if values is None:
            continue
        group = r.group if r.group and r.group != "三、本年度办理结果" else None
        rows.append(_Row(f"requests.{r.key}", r.label, group, [str(v) for v in values], REQUEST_COLUMNS))
    return rows


def review_texts(tables: dict) -> list[str]:
    return [str(v) for key in REVIEW_ROWS for v in tables["review_litigation"][key]]


REQUEST_HEAD = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
REVIEW_HEAD = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
OUTCOMES_LABEL = "三、本年度办理结果"


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _rule(n: int) -> str:
    return "|" + "|".join(["---"] * n) + "|"


# ---------------------------------------------------------------------------
# Undamaged tables (what the other sections of a damaged report print)
# ---------------------------------------------------------------------------
def _clean(doc: _Doc) -> dict[str, list[str]]:
    active, requests, review = _tables(doc.tables, doc.style, doc.rng)
    return {
        "active": _render_markdown(active, doc.style, doc.rng),
        "requests": _render_markdown(requests, doc.style, doc.rng),
        "review": _render_markdown(review, doc.style, doc.rng),
    }


def _pdf_row(label: str, values: list[str]) -> str:
    """A table row as a PDF viewer copies it: cells separated by runs of spaces."""
    return label + "  " + "  ".join(values)


def _active_pdf(doc: _Doc) -> list[str]:
    lines = []
    for article, fields, rows in active_rows(doc.tables, doc.fmt):
        lines.append(article)
        lines.append("信息内容  " + "  ".join(f.label for f in fields))
        lines += [_pdf_row(r.label, r.values) for r in rows]
    return lines


def _requests_head_pipe() -> list[str]:
    return [
        _pipe([BALANCE_NOTE, "", "", "申请人情况", "", "", "", "", "", ""]),
        _rule(10),
        _pipe(["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"]),
        _pipe(["", "", "", "", *REQUEST_HEAD[1:6], ""]),
    ]


def _request_pipe_row(row: _Row, label: str | None = None, group: str = "", first: str = "") -> str:
    return _pipe([first, group, row.label if label is None else label, *row.values])


def _first_of_group(rows: list[_Row]) -> list[tuple[_Row, str]]:
    """Each row with its group label when it is the group's first row (a merged cell prints once), else ''."""
    out, seen = [], set()
    for r in rows:
        out.append((r, r.group if r.group and r.group not in seen else ""))
        seen.add(r.group)
    return out


def _requests_pipe_rows(rows: list[_Row]) -> list[str]:
    out = []
    first_outcome = True
    for r, group in _first_of_group(rows):
        first = ""
        if r.path.split(".")[1] not in ("new_received", "carried_over", "carried_forward") and first_outcome:
            first, first_outcome = OUTCOMES_LABEL, False
        out.append(_request_pipe_row(r, group=group, first=first))
    return out


# ---------------------------------------------------------------------------
# Damage classes
# ---------------------------------------------------------------------------
def _active_plain_lines(doc: _Doc) -> dict[str, list[str]]:
    """表二 figures as plain lines outside any grid (`行政许可 97`), some blocks still pipe rows."""
    lines: list[str] = []
    for article, fields, rows in active_rows(doc.tables, doc.fmt):
        if doc.rng.random() < 0.3:
            lines += [_pipe([article, "", "", ""]), _rule(4), _pipe(["信息内容", *[f.label for f in fields]])]
            lines += [_pipe([r.label, *r.values]) for r in rows]
            lines.append("")
            continue
        lines.append(article)
        if doc.rng.random() < 0.7:
            lines.append(" ".join(["信息内容", *(f.label for f in fields)]))
        lines += [f"{r.label} {' '.join(r.values)}" for r in rows]
    return {"active": lines}


def _page_footer(doc: _Doc, page: int) -> list[str]:
    footer = doc.rng.choice((f"— {page} —", f"- {page} -", f"第 {page} 页 共 {page + 3} 页", str(page)))
    header = doc.rng.choice((doc.title, f"{doc.org}政府信息公开工作年度报告", ""))
    return ["", footer, "", *([header, ""] if header else [])]


def _page_break(doc: _Doc) -> dict[str, list[str]]:
    """表三 cut by a page break: page number and running header between two pieces, the head maybe repeated."""
    rows = request_rows(doc.tables, doc.fmt)
    cut = doc.rng.randint(3, len(rows) - 2)
    pipe = doc.rng.random() < 0.6
    if pipe:
        body = _requests_pipe_rows(rows)
        head = _requests_head_pipe()
        second = (head if doc.rng.random() < 0.5 else [_pipe([""] * 10), _rule(10)]) + body[cut:]
        lines = head + body[:cut] + _page_footer(doc, doc.rng.randint(2, 5)) + second
    else:
        head = [BALANCE_NOTE, "申请人情况", "自然人  法人或其他组织  总计", "  ".join(REQUEST_HEAD[1:6])]
        body = [_pdf_row(r.label, r.values) for r in rows]
        repeat = head[1:] if doc.rng.random() < 0.5 else []
        lines = head + body[:cut] + _page_footer(doc, doc.rng.randint(2, 5)) + repeat + body[cut:]
    out = {"requests": lines}
    if doc.rng.random() < 0.5:  # 表二 cut too
        active = _active_pdf(doc)
        at = doc.rng.randint(2, len(active) - 1)
        out["active"] = active[:at] + _page_footer(doc, 2) + active[at:]
    return out


def _note(value: int, rng: random.Random) -> str:
    part = rng.randint(0, value)
    return rng.choice((f"（其中修订{part}件）", f"（其中新制定{part}件）", f"(含修改{part}件)"))


def _wrapped_cell(doc: _Doc) -> dict[str, list[str]]:
    """A multi-line value cell (`22（其中修订16件）`) wrapped or detached from its row in PDF text."""
    lines: list[str] = []
    mode = doc.rng.choice(("wrapped", "detached", "cell_per_line"))
    for article, fields, rows in active_rows(doc.tables, doc.fmt):
        lines.append(article)
        lines.append("信息内容  " + "  ".join(f.label for f in fields))
        for r in rows:
            # Notes such as "（其中修订16件）" qualify the counts of 规章 and 规范性文件 (第二十条第（一）项).
            counts = [i for i, f in enumerate(fields) if f.kind == "count" and r.values[i] != "0"]
            if article != doc.fmt.active[0].article or not counts:
                lines.append(_pdf_row(r.label, r.values))
                continue
            i = doc.rng.choice(counts)
            note = _note(int(r.values[i]), doc.rng)
            if mode == "cell_per_line":
                lines += [r.label, *r.values[:i], r.values[i], note, *r.values[i + 1 :]]
            elif mode == "wrapped":
                cut = doc.rng.randint(1, len(note) - 1)
                values = [*r.values[:i], r.values[i] + note[:cut], *r.values[i + 1 :]]
                lines += [_pdf_row(r.label, values), note[cut:]]
            else:  # the whole cell on a line of its own above the row: its column is lost
                rest = r.values[:i] + r.values[i + 1 :]
                lines += [r.values[i] + note, _pdf_row(r.label, rest)]
                doc.undetermined.update(f"{r.path}.{k}" for k in r.keys)
    out = {"active": lines}
    # Long 表三 labels wrapped by the PDF: the tail on the line after the values.
    rows = request_rows(doc.tables, doc.fmt)
    # A merged group cell comes out of the PDF once, beside one of its rows (often the middle one).
    groups: dict[str, list[_Row]] = {}
    for r in rows:
        if r.group:
            groups.setdefault(r.group, []).append(r)
    beside = {doc.rng.choice(members).path: group for group, members in groups.items()}
    req = []
    for r in rows:
        label = beside.get(r.path, "") + r.label
        if len(r.label) > 12 and doc.rng.random() < 0.7:
            cut = len(label) - len(r.label) + doc.rng.randint(6, len(r.label) - 3)
            req += [_pdf_row(label[:cut], r.values), label[cut:]]
        else:
            req.append(_pdf_row(label, r.values))
    out["requests"] = [BALANCE_NOTE, "申请人情况", "  ".join(REQUEST_HEAD), *req]
    return out


def _labels_above_rows(doc: _Doc) -> dict[str, list[str]]:
    """Runs of 表三 labels printed as plain lines above (or, in some documents, below) runs of unlabeled pipe rows.

    A converter floats the labels the same way throughout a document, so the side is drawn once per report."""
    rows = _first_of_group(request_rows(doc.tables, doc.fmt))
    lines = _requests_head_pipe()
    above = doc.rng.random() < 0.75
    i = 0
    while i < len(rows):
        run = rows[i : i + doc.rng.randint(1, 5)]
        if len(run) == 1 or doc.rng.random() < 0.3:
            lines += [_request_pipe_row(r, group=g) for r, g in run]
        else:
            labels = [line for r, g in run for line in ([g] if g else []) + [r.label]]
            empty = [_pipe(["", "", "", *r.values]) for r, _ in run]
            lines += labels + empty if above else empty + labels
        i += len(run)
    return {"requests": lines}


def _label_tail_wrapped(doc: _Doc) -> dict[str, list[str]]:
    """Long labels broken by the converter: the tail in a row of its own or glued into the next row's label."""
    lines = _requests_head_pipe()
    carry = ""
    for r, group in _first_of_group(request_rows(doc.tables, doc.fmt)):
        glued, carry = carry, ""
        if not glued and len(r.label) > 10 and doc.rng.random() < 0.6:
            cut = doc.rng.randint(5, len(r.label) - 3)
            head, tail = r.label[:cut], r.label[cut:]
            if doc.rng.random() < 0.5:
                lines += [_request_pipe_row(r, label=head, group=group), _pipe(["", "", tail, *[""] * 7])]
                continue
            lines.append(_request_pipe_row(r, label=head, group=group))
            carry = tail
            continue
        lines.append(_request_pipe_row(r, label=glued + r.label, group=group))
    if carry:
        lines.append(_pipe(["", "", carry, *[""] * 7]))
    return {"requests": lines}


_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[．.])")


def _drop_ordinal(label: str) -> str:
    return _ORDINAL.sub("", label)


def _half_width(label: str) -> str:
    return label.replace("（", "(").replace("）", ")").replace("．", ".")


def _ordinals_and_brackets(doc: _Doc) -> dict[str, list[str]]:
    """Row labels with their ordinals dropped (`属于国家秘密`) or printed with half-width brackets."""
    drop = doc.rng.random() < 0.6
    half = not drop or doc.rng.random() < 0.5
    lines = _requests_head_pipe()
    for r, group in _first_of_group(request_rows(doc.tables, doc.fmt)):
        label = r.label
        if drop and (r.group or label.startswith(("（",))):
            label, group = _drop_ordinal(label), _drop_ordinal(group)
        if half:
            label, group = _half_width(label), _half_width(group)
        lines.append(_pipe(["", group, label, *r.values]))
    return {"requests": lines}


def _per_group_tables(doc: _Doc) -> dict[str, list[str]]:
    """表三 printed as one small table per group under a heading, columns `类别 | 数据1 … 数据6 | 总计`."""
    head = [_pipe(["类别", *(f"数据{i}" for i in range(1, 7)), "总计"]), _rule(8)]
    legend = "（数据1至数据6依次为：" + "、".join(REQUEST_HEAD[:6]) + "）"
    lines = [BALANCE_NOTE, legend, ""]
    current: str | None = "start"
    for r in request_rows(doc.tables, doc.fmt):
        key = r.path.split(".")[1]
        group = r.group or (
            "申请人情况" if key in ("new_received", "carried_over", "carried_forward") else OUTCOMES_LABEL
        )
        if group != current:
            lines += ["", group, *head]
            current = group
        lines.append(_pipe([r.label, *r.values]))
    return {"requests": lines}


def _review_broken(doc: _Doc) -> dict[str, list[str]]:
    """表四 under a broken header, as 15 numbers on one line, or as three 5-column tables."""
    values = review_texts(doc.tables)
    mode = doc.rng.choice(("broken_header", "one_line", "three_tables"))
    if mode == "broken_header":
        lines = [
            "行政复议  行政诉讼",
            "结果  结果  其他  尚未  总计  未经复议直接起诉  复议后起诉",
            "维持  纠正  结果  审结",
            "  ".join(REVIEW_HEAD * 2),
            _pipe(values) if doc.rng.random() < 0.5 else "  ".join(values),
        ]
    elif mode == "one_line":
        lines = ["行政复议  行政诉讼", " ".join(values)]
    else:
        lines = []
        for title, chunk in zip(
            ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"),
            (values[0:5], values[5:10], values[10:15]),
            strict=True,
        ):
            lines += [title, _pipe(REVIEW_HEAD), _rule(5), _pipe(chunk), ""]
    return {"review": lines}


def _typo(label: str, rng: random.Random) -> str:
    typos = _spec()["typos"]
    spots = [i for i, ch in enumerate(label) if ch in typos and i >= 2]
    if not spots:
        return label
    i = rng.choice(spots)
    return label[:i] + typos[label[i]] + label[i + 1 :]


def _label_typo(doc: _Doc) -> dict[str, list[str]]:
    """One-character typos in one to three long 表三 labels (the rest of the label is right)."""
    rows = request_rows(doc.tables, doc.fmt)
    long_rows = [r for r in rows if len(_drop_ordinal(r.label)) >= 6]
    typo = {r.path for r in doc.rng.sample(long_rows, min(len(long_rows), doc.rng.randint(1, 3)))}
    lines = _requests_head_pipe()
    for r, group in _first_of_group(rows):
        label = _typo(r.label, doc.rng) if r.path in typo else r.label
        lines.append(_pipe(["", group, label, *r.values]))
    return {"requests": lines}


def _single_other_row(doc: _Doc) -> dict[str, list[str]]:
    """A 2021 report printing the 2019 format's single （六）其他处理 row (the truth moves with it)."""
    req = doc.tables["requests"]
    parts = [req["other_overdue_correction"], req["other_overdue_fee"], req["other_other"]]
    req["other_other"] = [sum(col) for col in zip(*parts, strict=True)]
    req["other_overdue_correction"] = req["other_overdue_fee"] = None
    lines = _requests_head_pipe()
    for r, group in _first_of_group(request_rows(doc.tables, doc.fmt)):
        single = r.path == "requests.other_other"
        lines.append(_pipe(["", "" if single else group, "（六）其他处理" if single else r.label, *r.values]))
    return {"requests": lines}


def _blank_lines(doc: _Doc) -> dict[str, list[str]]:
    """One cell per line with whitespace/NBSP-only lines between the cells, or pipe tables with blank columns."""
    if doc.rng.random() < 0.5:
        spacer = doc.rng.choice((" ", NBSP, NBSP * 2, " \t", "\u3000"))

        def cells(items: list[str]) -> list[str]:
            return [line for item in items for line in (item, spacer)]

        active = []
        for article, fields, rows in active_rows(doc.tables, doc.fmt):
            active += cells([article, "信息内容", *(f.label for f in fields)])
            for r in rows:
                active += cells([r.label, *r.values])
        requests = cells([BALANCE_NOTE, "申请人情况", *REQUEST_HEAD])
        for r in request_rows(doc.tables, doc.fmt):
            requests += cells([*([r.group] if r.group else []), r.label, *r.values])
        review = cells(["行政复议", "行政诉讼", *REVIEW_HEAD, "未经复议直接起诉", "复议后起诉", *REVIEW_HEAD * 2])
        review += cells(review_texts(doc.tables))
        return {"active": active, "requests": requests, "review": review}
    clean = _clean(doc)
    out = {}
    for key in ("active", "requests", "review"):
        col = doc.rng.randint(1, 3)
        out[key] = [_with_blank_column(line, col) for line in clean[key]]
    return out


def _two_figures_in_a_cell(doc: _Doc) -> dict[str, list[str]]:
    """表三 cells holding a second figure on a line of their own (a Word cell's two paragraphs, a web cell's <br>:
    "34⏎7"), a zero of the row sometimes left blank: which figure is the cell's only the row's identity can tell."""
    out = _clean(doc)
    rows = request_rows(doc.tables, doc.fmt)
    chosen = {r.path for r in doc.rng.sample(rows, k=min(len(rows), doc.rng.randint(1, 3)))}
    printed = []
    for r in rows:
        if r.path in chosen:
            values = list(r.values)
            i = doc.rng.randrange(len(values) - 1)  # an applicant column: the stray figure is no total
            stray = str(doc.rng.randint(1, 20))
            values[i] = f"{values[i]}\n{stray}" if doc.rng.random() < 0.7 else f"{stray}\n{values[i]}"
            zeros = [k for k, v in enumerate(values) if v == "0" and k != i]
            if zeros and doc.rng.random() < 0.5:
                values[doc.rng.choice(zeros)] = ""  # a zero left blank: the row then prints its count of figures
            r = _Row(r.path, r.label, r.group, values, r.keys)
            doc.undetermined.update(f"{r.path}.{k}" for k in r.keys)
        printed.append(r)
    out["requests"] = [*_requests_head_pipe(), *_requests_pipe_rows(printed)]
    return out


def _with_blank_column(line: str, col: int) -> str:
    cells = line.strip().strip("|").split("|")
    filler = "---" if set(line.replace("|", "").strip()) <= set("-: ") else " "
    cells.insert(min(col, len(cells)), filler)
    return "|" + "|".join(cells) + "|"


def _markdown_converter(doc: _Doc) -> dict[str, list[str]]:
    """Markdown from a PDF converter: <br> in cells, an HTML <table> island, broken header rows, page furniture."""
    rows = request_rows(doc.tables, doc.fmt)
    broken_head = [
        _pipe([BALANCE_NOTE[:12], BALANCE_NOTE[12:], "申请人情况", "", "", "", "", "", "", ""]),
        _rule(10),
        _pipe(["", "", "", "自然人", "法人或其他组", "", "", "", "", "总计"]),
        _pipe(["", "", "", "", "织商业企业", "科研机构", "社会公益<br>组织", "法律服务<br>机构", "其他", ""]),
    ]
    body = []
    for r, group in _first_of_group(rows):
        label = r.label
        if len(label) > 8 and doc.rng.random() < 0.5:
            cut = doc.rng.randint(3, len(label) - 3)
            label = label[:cut] + "<br>" + label[cut:]
        body.append(_pipe(["", group, label, *r.values]))
    cut = doc.rng.randint(4, len(body) - 3)
    requests = broken_head + body[:cut] + _page_footer(doc, 3) + body[cut:]
    island = doc.rng.choice(("active", "review"))
    out = {"requests": requests}
    if island == "review":
        values = review_texts(doc.tables)
        out["review"] = [
            "<table>",
            '<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>',
            "<tr>"
            + "".join(f'<td rowspan="2">{h}</td>' for h in REVIEW_HEAD)
            + '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>',
            "<tr>" + "".join(f"<td>{h}</td>" for h in REVIEW_HEAD * 2) + "</tr>",
            "<tr>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>",
            "</table>",
        ]
    else:
        html = ["<table>"]
        for article, fields, arows in active_rows(doc.tables, doc.fmt):
            html.append(f'<tr><td colspan="4">{article}</td></tr>')
            html.append("<tr><td>信息内容</td>" + "".join(f"<td>{f.label}</td>" for f in fields) + "</tr>")
            for r in arows:
                span = ' colspan="3"' if len(r.values) == 1 else ""
                html.append(f"<tr><td>{r.label}</td>" + "".join(f"<td{span}>{v}</td>" for v in r.values) + "</tr>")
        out["active"] = [*html, "</table>"]
    return out


def _glued_cells(doc: _Doc) -> dict[str, list[str]]:
    """Crawler text: every cell glued to the next with no separator (`规章000行政规范性文件898989`)."""
    active = ""
    for article, fields, rows in active_rows(doc.tables, doc.fmt):
        active += article + "信息内容" + "".join(f.label for f in fields)
        for r in rows:
            active += r.label + "".join(r.values)
            _undetermined_glued(doc, r)
    requests = BALANCE_NOTE + "申请人情况自然人法人或其他组织总计" + "".join(REQUEST_HEAD[1:6])
    rows = request_rows(doc.tables, doc.fmt)
    for r, group in _first_of_group(rows):
        requests += group + r.label + "".join(r.values)
    _undetermined_requests(doc, rows)
    review = "行政复议行政诉讼" + "".join(REVIEW_HEAD) + "未经复议直接起诉复议后起诉" + "".join(REVIEW_HEAD * 2)
    values = review_texts(doc.tables)
    review += "".join(values)
    splits = list(itertools.islice(_review_splits("".join(values)), 50))
    _mark_varying(doc, [f"review_litigation.{row}.{col}" for row in REVIEW_ROWS for col in REVIEW_COLUMNS], splits)
    return {"active": [active], "requests": [requests], "review": [review]}


_HEADING_TYPO_CHARS = "的和与及在了各其公开"


def _heading_typo(doc: _Doc) -> dict[str, list[str]]:
    """One to three section headings one character off (inserted, deleted or substituted), some as markdown
    headings; the tables are clean."""
    from gongkai.fitting.section_typos import MIN_NAME
    from gongkai.spec import SECTIONS

    rng = doc.rng
    for section in rng.sample(list(SECTIONS), rng.randint(1, 3)):
        name = next(n for n in (section.label, *section.variants) if len(n) >= MIN_NAME)
        at = rng.randrange(len(name))
        char = rng.choice([c for c in _HEADING_TYPO_CHARS if c != name[at]])
        kind = rng.choice(("insert", "delete", "substitute"))
        typo = {
            "insert": name[:at] + char + name[at:],
            "delete": name[:at] + name[at + 1 :],
            "substitute": name[:at] + char + name[at + 1 :],
        }[kind]
        doc.headings[section.number] = ("## " if rng.random() < 0.3 else "") + f"{section.number}、{typo}"
    return {}


def _spans_repeated(doc: _Doc) -> dict[str, list[str]]:
    """Markdown from converters such as docling: a merged cell's text printed again in every column (and, in
    some documents, every row) it spans, values included (`| 一、本年新收… | 一、本年新收… | 18 |`)."""
    rows_too = doc.rng.random() < 0.5
    out = {}
    for key, table in zip(("active", "requests", "review"), _tables(doc.tables, doc.style, doc.rng), strict=True):
        lines = []
        for i, slots in enumerate(_slots(table)):
            texts = [_one_line(c.text) if kind == "cell" or kind == "col" or rows_too else "" for kind, c in slots]
            lines.append(_pipe(texts))
            if i == 0:
                lines.append(_rule(len(slots)))
        out[key] = lines
    return out


def _placeholder_headers(doc: _Doc) -> dict[str, list[str]]:
    """Markdown from pymupdf4llm: each table's empty first-row cells named `Col2`, `Col3`…, cells unpadded, line
    breaks inside a cell as <br>."""
    out = {}
    for key, table in zip(("active", "requests", "review"), _tables(doc.tables, doc.style, doc.rng), strict=True):
        lines = []
        for i, slots in enumerate(_slots(table)):
            texts = [c.text.replace("\n", "<br>") if kind == "cell" else "" for kind, c in slots]
            if i == 0:
                texts = [t or f"Col{j + 1}" for j, t in enumerate(texts)]
            lines.append("|" + "|".join(texts) + "|")
            if i == 0:
                lines.append("|" + "|".join(["---"] * len(slots)) + "|")
        out[key] = lines
    return out


def _floating_labels(doc: _Doc) -> dict[str, list[str]]:
    """Text of a PDF as `pdftotext` prints it without -layout: a cell a line, and the labels of the rows beside a
    tall merged cell (the vertical 三、本年度办理结果, （五）不予处理) printed after the rows that follow, while
    those rows' values stay in place, right after the previous row's."""
    rows = request_rows(doc.tables, doc.fmt)
    n = len(rows)
    # One or two runs of rows whose labels float: a run of k rows, its labels printed after m > k later rows.
    starts = sorted(doc.rng.sample(range(1, n - 3), doc.rng.randint(1, 2)))
    floats: dict[int, list[int]] = {}  # row after whose values the labels print → the rows whose labels they are
    taken: set[int] = set()
    for a in starts:
        k = doc.rng.randint(1, 4)
        run = [i for i in range(a, min(a + k, n - 2)) if i not in taken]
        if not run or run != list(range(run[0], run[0] + len(run))):
            continue
        after = min(n - 1, run[-1] + doc.rng.randint(len(run) + 1, len(run) + 10))
        if any(after <= b or after in run for b in taken) or any(i in floats for i in run):
            continue
        floats.setdefault(after, []).extend(run)
        taken.update(run)
    floating = {i for run in floats.values() for i in run}
    lines = [BALANCE_NOTE[:20], BALANCE_NOTE[20:], "", "申请人情况", "", "法人或其他组织", "自然人", ""]
    lines += ["商业企", "业", "科研机", "构", "社会公益", "组织", "总计", "法律服务", "其他", "机构", ""]
    for i, r in enumerate(rows):
        if i not in floating:
            lines += [r.label, ""]
        lines += [line for v in r.values for line in (v, "")]
        for j in floats.get(i, []):
            lines += [*([rows[j].group] if rows[j].group else []), rows[j].label, ""]
    return {"requests": lines}


def _paragraph_cells(doc: _Doc) -> dict[str, list[str]]:
    """A web table's text with an empty line after each filled cell, and an empty cell as one line break more
    (zeros often left blank): `12`, ``, ``, …, `12`."""

    def cells(items: list[str]) -> list[str]:
        out: list[str] = []
        for item in items:
            if item == "0" and doc.rng.random() < 0.6:
                out.append("")  # the blank cell: one line, no empty line after it
            else:
                out += [item, ""]
        return out

    active = []
    for article, fields, rows in active_rows(doc.tables, doc.fmt):
        active += cells([article, "信息内容", *(f.label for f in fields)])
        for r in rows:
            active += cells([r.label, *r.values])
    requests = cells([BALANCE_NOTE, "申请人情况", "自然人", "法人或其他组织", "总计", *REQUEST_HEAD[1:6]])
    for r, group in _first_of_group(request_rows(doc.tables, doc.fmt)):
        requests += cells([*([group] if group else []), r.label, *r.values])
    review = cells(["行政复议", "行政诉讼", *REVIEW_HEAD, "未经复议直接起诉", "复议后起诉", *REVIEW_HEAD * 2])
    review += cells(review_texts(doc.tables))
    return {"active": active, "requests": requests, "review": review}


# Pinyin a mirror site prints after some characters (traditional forms, as it prints them).
_MIRROR_PINYIN = {"規": "guī", "數": "shù", "據": "jù", "業": "yè", "發": "fā", "現": "xiàn", "結": "jié", "處": "chǔ"}
_TO_TRADITIONAL = opencc.OpenCC("s2t")


def _mirror_site(doc: _Doc) -> dict[str, list[str]]:
    """The tables as a mirror site reprints a page: traditional characters, 文件 in Taiwan phrasing (檔案), and
    the pinyin of some characters in brackets after them, with its tone mark or without, sometimes twice
    (`規(guī)章`, `數(shu)量`, `政(zheng)(zheng)府`)."""
    toned = doc.rng.random() < 0.5

    def note(ch: str) -> str:
        pinyin = _MIRROR_PINYIN[ch]
        if not toned:
            pinyin = "".join(c for c in unicodedata.normalize("NFD", pinyin) if not unicodedata.combining(c))
        return f"({pinyin})" * doc.rng.choice((1, 1, 2))

    out = {}
    for key, lines in _clean(doc).items():
        mirrored = []
        for line in lines:
            line = _TO_TRADITIONAL.convert(line).replace("文件", "檔案")
            mirrored.append(
                "".join(ch + note(ch) if ch in _MIRROR_PINYIN and doc.rng.random() < 0.5 else ch for ch in line)
            )
        out[key] = mirrored
    return out


def _block_rows(fmt: Format) -> dict[str, slice]:
    """Where each 表二 block lies in the active _Table: its article row, its header row, then its rows."""
    out, at = {}, 0
    for block in fmt.active:
        out[block.article] = slice(at, at + 2 + len(block.rows))
        at += 2 + len(block.rows)
    return out


def _foreign_block(doc: _Doc) -> dict[str, list[str]]:
    """One 表二 block printed with the other format's headers, rows and values (a 2021 report whose
    第二十条第（一）项 keeps the 2019 template, or a 2019 report with a 2021 one-column block).

    The numbers under the foreign headers are not this format's fields: the block's cells are undetermined.  A field
    both formats share (处理决定数量 of 行政许可) prints the report's own value; a row the foreign block lacks
    (2019 其他对外管理服务事项 under a 2021 （五）) is not printed, so its truth is null."""
    own_fmt = doc.fmt
    other = FORMATS["2019" if own_fmt.id == "2021" else "2021"]
    articles = [b.article for b in own_fmt.active if any(o.article == b.article for o in other.active)]
    article = doc.rng.choice(articles)
    own = next(b for b in own_fmt.active if b.article == article)
    foreign_block = next(b for b in other.active if b.article == article)
    foreign = random_tables(doc.rng, other.id)
    for row in own.rows:
        doc.undetermined.update(f"active.{row.key}.{f.key}" for f in own.fields)
        if row.key in foreign["active"]:
            shared = foreign["active"][row.key].keys() & doc.tables["active"][row.key].keys()
            foreign["active"][row.key].update({k: doc.tables["active"][row.key][k] for k in shared})
    table = _tables(doc.tables, doc.style, doc.rng)[0]
    foreign_table = _tables(foreign, doc.style, doc.rng)[0]
    table.rows[_block_rows(own_fmt)[article]] = foreign_table.rows[_block_rows(other)[article]]
    for row in own.rows:
        if all(row.key != r.key for r in foreign_block.rows):
            doc.tables["active"][row.key] = {f.key: None for f in own.fields}
    return {"active": _render_markdown(table, doc.style, doc.rng)}


def _reorder(cells: list[_Cell], order: list[int]) -> None:
    """The texts of `cells` printed in `order` (cell i prints the text of cell order[i])."""
    texts = [c.text for c in cells]
    for cell, j in zip(cells, order, strict=True):
        cell.text = texts[j]


def _shuffled(n: int, rng: random.Random) -> list[int]:
    """An order of n columns other than their own."""
    order = list(range(n))
    while order == sorted(order):
        rng.shuffle(order)
    return order


def _columns_reordered(doc: _Doc) -> dict[str, list[str]]:
    """A template printing a table's columns in another order, each row's values in the printed order: 表三's five
    法人或其他组织 columns, 表四's four outcome columns (in all three blocks), or one 表二 block's fields.  The
    header says which value is which: the truth stays by field."""
    active, requests, review = _tables(doc.tables, doc.style, doc.rng)
    blocks = [b for b in doc.fmt.active if len(b.fields) > 1]
    table = doc.rng.choice(("requests", "review", "active"))
    if table == "requests":
        order = _shuffled(5, doc.rng)
        for row in requests.rows[2:]:  # the row of the five headers, then the value rows (values last)
            _reorder(row[-5:] if len(row) == 5 else row[-6:-1], order)
    elif table == "review":
        order = _shuffled(4, doc.rng)
        _reorder(review.rows[1][:4], order)  # 行政复议's heads (spanning two lines), then both litigation blocks'
        for cells in (review.rows[2], review.rows[3]):  # and every block's values
            for at in range(0, len(cells), 5):
                _reorder(cells[at : at + 4], order)
    else:
        block = doc.rng.choice(blocks)
        order = _shuffled(len(block.fields), doc.rng)
        for row in active.rows[_block_rows(doc.fmt)[block.article]][1:]:
            _reorder(row[1 : 1 + len(block.fields)], order)
    return {
        "active": _render_markdown(active, doc.style, doc.rng),
        "requests": _render_markdown(requests, doc.style, doc.rng),
        "review": _render_markdown(review, doc.style, doc.rng),
    }


NO_REVIEW = "本年度未发生政府信息公开行政复议、行政诉讼。"


def _two_reports(doc: _Doc) -> dict[str, list[str]]:
    """The report followed in the same file by another agency's report (a 汇编, a page that appends one).  In some
    files the first report prints no 表四, only a sentence saying there was none: its 表四 is all zeros, which a
    reader may leave unread (nothing in the first report's tables gives them), never take from the second."""
    out = {}
    if doc.rng.random() < 0.5:
        review = doc.tables["review_litigation"]
        for key in REVIEW_ROWS:
            review[key] = [0] * len(REVIEW_COLUMNS)
            doc.undetermined.update(f"review_litigation.{key}.{c}" for c in REVIEW_COLUMNS)
        doc.prose["overview"] = [line for line in doc.prose["overview"] if "行政复议" not in line]
        out["review"] = [NO_REVIEW]
    second = random_tables(doc.rng, doc.rng.choice(FORMAT_IDS))
    while True:
        text = render(second, doc.rng.choice(TEXT_LAYOUTS), doc.rng, noise=doc.rng.random() < 0.5)
        if doc.org not in text.split("\n", 1)[0]:
            break
    doc.appendix = text.splitlines()
    return out


def _mixed(doc: _Doc) -> dict[str, list[str]]:
    """Several damages in one report, each table broken its own way, as a converter breaks a whole PDF."""
    active = doc.rng.choice((_active_plain_lines, _page_break))(doc).get("active")
    requests = doc.rng.choice(
        (
            _labels_above_rows,
            _label_tail_wrapped,
            _ordinals_and_brackets,
            _per_group_tables,
            _label_typo,
            _markdown_converter,
            _page_break,
        )
    )(doc)["requests"]
    review = doc.rng.choice((_review_broken, _markdown_converter))(doc).get("review")
    return {k: v for k, v in (("active", active), ("requests", requests), ("review", review)) if v is not None}


_WRITERS: dict[str, Callable[[_Doc], dict[str, list[str]]]] = {
    "active_plain_lines": _active_plain_lines,
    "page_break": _page_break,
    "wrapped_cell": _wrapped_cell,
    "labels_above_rows": _labels_above_rows,
    "label_tail_wrapped": _label_tail_wrapped,
    "ordinals_and_brackets": _ordinals_and_brackets,
    "per_group_tables": _per_group_tables,
    "review_broken": _review_broken,
    "label_typo": _label_typo,
    "single_other_row": _single_other_row,
    "blank_lines": _blank_lines,
    "two_figures_in_a_cell": _two_figures_in_a_cell,
    "markdown_converter": _markdown_converter,
    "glued_cells": _glued_cells,
    "heading_typo": _heading_typo,
    "spans_repeated": _spans_repeated,
    "placeholder_headers": _placeholder_headers,
    "floating_labels": _floating_labels,
    "paragraph_cells": _paragraph_cells,
    "mirror_site": _mirror_site,
    "foreign_block": _foreign_block,
    "columns_reordered": _columns_reordered,
    "two_reports": _two_reports,
    "mixed": _mixed,
}


@functools.cache
def _spec() -> dict:
    with open(SPEC_DIR / "damage.toml", "rb") as fh:
        return tomllib.load(fh)


# Each class of damage: (what it does, in Chinese, from spec/damage.toml; the writer of the damaged tables).
DAMAGES: dict[str, tuple[str, Callable[[_Doc], dict[str, list[str]]]]] = {
    name: (_spec()["classes"][name], writer) for name, writer in _WRITERS.items()
}


# ---------------------------------------------------------------------------
# Which glued digits the text does not determine
# ---------------------------------------------------------------------------
def _numbers(s: str, n: int, max_len: int = 12) -> Iterator[list[str]]:
    """Every way to cut the digit string `s` into `n` printed numbers (no leading zeros, decimals kept whole)."""
    if n == 0:
        if not s:
            yield []
        return
    if len(s) < n:
        return
    limit = len(s) - (n - 1)
    for end in range(1, min(limit, max_len) + 1):
        head = s[:end]
        if len(head) > 1 and head[0] == "0":
            break
        if head.endswith("."):
            continue
        if end < len(s) and s[end] == ".":  # a decimal point belongs to the number before it
            continue
        for rest in _numbers(s[end:], n - 1, max_len):
            yield [head, *rest]


def _mark_varying(doc: _Doc, paths: list[str], splits: list[list[str]]) -> None:
    """Cells whose value differs between splits the identities allow are undetermined."""
    if len(splits) <= 1:
        return
    for i, path in enumerate(paths):
        if len({s[i] for s in splits}) > 1:
            doc.undetermined.add(path)


def _undetermined_glued(doc: _Doc, row: _Row) -> None:
    """表二 rows have no identity: any other split of the digits leaves the row open."""
    digits = "".join(row.values)
    if len(row.values) == 1:
        return  # the label before and the next label after bound the only number
    splits = list(itertools.islice(_numbers(digits, len(row.values)), 50))
    _mark_varying(doc, [f"{row.path}.{k}" for k in row.keys], splits)


def _parts_with_total(s: str, n: int, pos: int = 0) -> Iterator[tuple[list[str], int]]:
    """Cuts of `s` from `pos` into n numbers followed by their sum: (the n + 1 texts, where the sum ends)."""

    def walk(at: int, acc: list[str], partial: int) -> Iterator[tuple[list[str], int]]:
        if len(acc) == n:
            total = str(partial)
            if s.startswith(total, at):
                yield [*acc, total], at + len(total)
            return
        for end in range(at + 1, min(len(s), at + 12) + 1):
            head = s[at:end]
            if len(head) > 1 and head[0] == "0":
                break
            value = partial + int(head)
            if len(s) - end < (n - len(acc) - 1) + len(str(value)):
                break  # no room left for the other numbers and a total at least this large
            yield from walk(end, [*acc, head], value)

    yield from walk(pos, [], 0)


def _row_splits(digits: str) -> list[list[int]]:
    """Splits of a 表三 row into six applicant numbers and their total (total = the sum)."""
    out = []
    for parts, end in _parts_with_total(digits, 6):
        if end == len(digits):
            out.append([int(p) for p in parts])
            if len(out) > 40:
                break
    return out


def _undetermined_requests(doc: _Doc, rows: list[_Row]) -> None:
    """表三: splits allowed by each row's total, then by the column identities across rows (K1, K2)."""
    candidates = {r.path.split(".")[1]: _row_splits("".join(r.values)) for r in rows}
    open_rows = [k for k, c in candidates.items() if len(c) > 1]
    if not open_rows:
        return
    combos = 1
    for k in open_rows:
        combos *= len(candidates[k])
    paths = {k: [f"requests.{k}.{c}" for c in REQUEST_COLUMNS] for k in candidates}
    if combos > 20_000:
        for k in open_rows:
            _mark_varying(doc, paths[k], [[str(v) for v in s] for s in candidates[k]])
        return
    fixed = {k: c[0] for k, c in candidates.items() if len(c) == 1}
    outcomes = [r.key for r in doc.fmt.requests.rows if r.outcome and r.key in candidates]  # type: ignore[union-attr]
    consistent = []
    for choice in itertools.product(*(candidates[k] for k in open_rows)):
        table = {**fixed, **dict(zip(open_rows, choice, strict=True))}
        if any(k not in table for k in ("new_received", "carried_over", "total", "carried_forward")):
            consistent.append(choice)
            continue
        ok = all(
            table["new_received"][c] + table["carried_over"][c] == table["total"][c] + table["carried_forward"][c]
            and table["total"][c] == sum(table[k][c] for k in outcomes)
            for c in range(7)
        )
        if ok:
            consistent.append(choice)
    for i, k in enumerate(open_rows):
        _mark_varying(doc, paths[k], [[str(v) for v in choice[i]] for choice in consistent])


def _review_splits(digits: str, blocks: int = 3, pos: int = 0) -> Iterator[list[str]]:
    """Splits of 表四's 15 glued numbers in which every block's total is the sum of its four results."""
    if blocks == 0:
        if pos == len(digits):
            yield []
        return
    for parts, end in _parts_with_total(digits, 4, pos):
        for tail in _review_splits(digits, blocks - 1, end):
            yield [*parts, *tail]


# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------
def damaged_report(rng: random.Random, damage: str, format_id: str | None = None) -> DamagedReport:
    """One generated report with `damage` (a key of DAMAGES) and its per-cell truth."""
    if damage not in DAMAGES:
        raise ValueError(f"unknown damage {damage!r}; expected one of {', '.join(DAMAGES)}")
    if damage == "single_other_row":
        format_id = "2021"
    format_id = format_id or rng.choice(FORMAT_IDS)
    tables = copy.deepcopy(random_tables(rng, format_id))
    title, org, year = _title(tables, rng)
    doc = _Doc(tables, FORMATS[format_id], title, org, year, _prose(tables, org, year, rng), rng)
    clean = _clean(doc)  # before the damage: a damage may change what the report prints (single_other_row)
    sections = {**clean, **DAMAGES[damage][1](doc)}
    md = damage == "markdown_converter"
    style = _Style(noise=False, layout="markdown")

    def heading(number: str) -> str:
        if number in doc.headings:
            return doc.headings[number]
        text = _heading(number, rng, style)
        return f"## {text}" if md else text

    lines = [f"# {title}" if md else title, "", *doc.prose["intro"], ""]
    lines += [heading("一"), *doc.prose["overview"], ""]
    lines += [heading("二"), "", *sections["active"], ""]
    lines += [heading("三"), "", *sections["requests"], ""]
    lines += [heading("四"), "", *sections["review"], ""]
    lines += [heading("五"), *doc.prose["problems"], ""]
    lines += [heading("六"), *doc.prose["other"]]
    if doc.appendix:
        lines += ["", *doc.appendix]
    truth = {"format": format_id, **{k: doc.tables[k] for k in ("active", "requests", "review_litigation")}}
    return DamagedReport(damage, format_id, "\n".join(lines) + "\n", truth, frozenset(doc.undetermined))


def damage_case(seed: int, index: int) -> DamagedReport:
    """The index-th damaged report of a seed: classes in turn, each drawn from its own generator."""
    names = list(DAMAGES)
    damage = names[index % len(names)]
    rng = random.Random(f"gongkai.damage:{seed}:{index}")
    return damaged_report(rng, damage)


def write_damaged(directory: Path, count: int, *, seed: int = 0, damages: list[str] | None = None) -> list[Path]:
    """Write `count` damaged reports (the classes in turn) and, beside each, `<name>.expected.json`.

    The expected file is the `gongkai.report/v1` shape of `gongkai eval`, plus `damage` and `undetermined`
    (cells a reader may leave unread: the damaged text does not determine them).
    """
    directory.mkdir(parents=True, exist_ok=True)
    names = list(damages or DAMAGES)
    written = []
    for i in range(count):
        damage = names[i % len(names)]
        case = damaged_report(random.Random(f"gongkai.damage:{seed}:{i}"), damage)
        path = directory / f"damaged-{seed}-{i:05d}-{damage}-{case.format}.txt"
        path.write_text(case.text, encoding="utf-8")
        expected = {
            "schema": "gongkai.report/v1",
            "source": path.name,
            "damage": damage,
            **case.truth,
            "undetermined": sorted(case.undetermined),
            "findings": [],
        }
        path.with_name(path.stem + ".expected.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        written.append(path)
    return written
