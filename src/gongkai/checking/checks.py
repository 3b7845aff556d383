"""The checker: every identity the tables imply, plus structure, format and prose checks.

Rules, severities and messages are data (spec/checks.toml); this module holds one
small engine per rule kind.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal

from gongkai.fitting.continuity import broken_rows
from gongkai.reading.textnorm import label_key
from gongkai.report import Finding, Report
from gongkai.spec import FORMATS, SECTIONS, Check, Grid, checks, deadlines, facts

_Engine = Callable[[Check, Report], Iterator[Finding]]
_ENGINES: dict[str, _Engine] = {}


def engine(kind: str) -> Callable[[_Engine], _Engine]:
    def register(fn: _Engine) -> _Engine:
        _ENGINES[kind] = fn
        return fn

    return register


def _finding(check: Check, cells: list[str], expected=None, found=None, span=None, **fields) -> Finding:
    return Finding(
        rule=check.id,
        severity=check.severity,
        title=check.title,
        message=check.message.format(expected=expected, found=found, **fields),
        cells=cells,
        expected=expected,
        found=found,
        span=span,
    )


def _grid(report: Report, name: str) -> Grid | None:
    return getattr(report.format, name, None)


def _expand(keys: tuple[str, ...], grid: Grid) -> list[str]:
    out: list[str] = []
    for key in keys:
        if key == "@outcomes":
            out += [r.key for r in grid.rows if r.outcome]
        else:
            out.append(key)
    return out


def _sum(values: list[int | Decimal | None]) -> int | Decimal:
    return sum(v for v in values if v is not None)


# A line of an identity: (what names it in the message, left paths, right paths, path → message field).
_Line = tuple[dict, list[str], list[str], dict[str, str]]


def _identity(check: Check, report: Report, lines: Iterable[_Line]) -> Iterator[Finding]:
    """sum(left) must equal sum(right) on every line (a column or a row of a table).

    `found` is the left side (the printed total), `expected` the right side (what its parts add up to).
    Each line is (what names the line in the message, left paths, right paths, path → message field).
    """
    cells = report.cells
    for where, paths_l, paths_r, names in lines:
        found = [cells.get(p) for p in names]  # report.value, inlined: dozens of lines of a dozen cells each
        if any(cell is None or cell.kind == "missing" for cell in found):
            continue  # missing cells are reported by their own rule
        values = {p: cell.value for p, cell in zip(names, found, strict=True)}  # type: ignore[union-attr]
        left_sum, right_sum = _sum([values[p] for p in paths_l]), _sum([values[p] for p in paths_r])
        if left_sum != right_sum:
            yield _finding(
                check,
                paths_l + paths_r,
                expected=right_sum,
                found=left_sum,
                left_sum=left_sum,
                right_sum=right_sum,
                diff=abs(left_sum - right_sum),
                **where,
                **{name: values[path] for path, name in names.items()},
            )


@functools.lru_cache(maxsize=64)
def _column_lines(check: Check, grid: Grid) -> tuple[_Line, ...]:
    """The lines of a per-column identity: the same for every report of a format, so built once."""
    left, right = _expand(check.left, grid), _expand(check.right, grid)
    return tuple(
        (
            {"column": column.label},
            [f"{grid.name}.{r}.{column.key}" for r in left],
            [f"{grid.name}.{r}.{column.key}" for r in right],
            {f"{grid.name}.{r}.{column.key}": r for r in left + right},
        )
        for column in grid.columns
    )


@functools.lru_cache(maxsize=64)
def _row_lines(check: Check, grid: Grid) -> tuple[_Line, ...]:
    """The lines of a per-row identity, built once per format as `_column_lines`."""
    return tuple(
        (
            {"row": row.full_label},
            [f"{grid.name}.{row.key}.{c}" for c in check.left],
            [f"{grid.name}.{row.key}.{c}" for c in check.right],
            {f"{grid.name}.{row.key}.{c}": c for c in check.left + check.right},
        )
        for row in grid.rows
    )


@engine("sum_per_column")
def _sum_per_column(check: Check, report: Report) -> Iterator[Finding]:
    grid = _grid(report, check.table or "")
    if grid is None:
        return
    yield from _identity(check, report, _column_lines(check, grid))


@engine("sum_per_row")
def _sum_per_row(check: Check, report: Report) -> Iterator[Finding]:
    grid = _grid(report, check.table or "")
    if grid is None:
        return
    yield from _identity(check, report, _row_lines(check, grid))


@engine("non_negative_integer")
def _non_negative_integer(check: Check, report: Report) -> Iterator[Finding]:
    for cell in report.cells.values():
        value = cell.value
        fractional = isinstance(value, Decimal) and value != value.to_integral_value()
        if cell.kind == "number" and value is not None and (value < 0 or fractional):
            yield _finding(check, [cell.path], span=(cell.start, cell.end), label=cell.label, raw=cell.raw)


@engine("unit_assumed")
def _unit_assumed(check: Check, report: Report) -> Iterator[Finding]:
    """A money cell read as 万元 though nothing printed says so, whose amount per item of its row looks like 元."""
    least = check.limit or 0
    for cell in report.cells.values():
        value = cell.value
        if cell.kind != "money" or cell.unit is not None or value is None or value != int(value):
            continue
        row = cell.path.rsplit(".", 1)[0] + "."
        counts = [c.value for c in report.cells.values() if c.path.startswith(row) and c.kind == "number"]
        items = counts[0] if len(counts) == 1 else None  # 采购项目数量
        per_item = Decimal(value) / items if items else Decimal(value)
        if per_item < least:
            continue
        if items:
            basis = f"{items}个项目，平均每项{per_item.quantize(Decimal(1))}万元"
        else:
            basis = "未读到项目数" if items is None else "项目数为0"
        as_wan = (Decimal(value) / 10000).normalize()
        yield _finding(
            check,
            [cell.path],
            span=(cell.start, cell.end),
            label=cell.label,
            raw=cell.raw,
            value=value,
            as_wan=f"{as_wan:f}",
            per_item=basis,
        )


def _no_cell_found(report: Report) -> bool:
    return bool(report.cells) and not any(cell.present for cell in report.cells.values())


@engine("tables_not_found")
def _tables_not_found(check: Check, report: Report) -> Iterator[Finding]:
    if report.format.has_tables and (not report.cells or _no_cell_found(report)):
        yield _finding(check, [], format_name=report.format.name)


@engine("missing_cells")
def _missing_cells(check: Check, report: Report) -> Iterator[Finding]:
    if _no_cell_found(report):
        return  # one tables.not_found finding says it better than 25 rows of missing cells
    for paths in _unread_rows(report, ambiguous=False).values():
        yield _finding(check, paths, label=_row_label(report, paths), count=len(paths))


@engine("ambiguous_cells")
def _ambiguous_cells(check: Check, report: Report) -> Iterator[Finding]:
    """Values were found but not placed: one finding per reason (a run of rows shares one)."""
    by_reason: dict[str, list[str]] = {}
    for paths in _unread_rows(report, ambiguous=True).values():
        by_reason.setdefault(report.cells[paths[0]].unread_reason or "", []).extend(paths)
    for reason, paths in by_reason.items():
        yield _finding(check, paths, label=_row_label(report, paths), reason=reason, count=len(paths))


@engine("prose_placed")
def _prose_placed(check: Check, report: Report) -> Iterator[Finding]:
    """Glued 表二 rows read by the one split their prose agrees with (prose_placement.py)."""
    for row in report.prose_placed:
        fields = {k: row[k] for k in ("label", "digits", "count", "split", "quotes")}
        yield _finding(check, list(row["cells"]), span=row["span"], **fields)


@engine("other_not_split")
def _other_not_split(check: Check, report: Report) -> Iterator[Finding]:
    grid = report.format.requests
    if grid is None or not report.cells or not any(r.key == "other_overdue_correction" for r in grid.rows):
        return
    absent = [k for k in ("other_overdue_correction", "other_overdue_fee") if f"requests.{k}.total" not in report.cells]
    if absent and "requests.other_other.total" in report.cells:
        yield _finding(check, [f"requests.other_other.{c.key}" for c in grid.columns])


def _unread_rows(report: Report, ambiguous: bool) -> dict[str, list[str]]:
    by_row: dict[str, list[str]] = {}
    for cell in report.cells.values():
        if cell.kind == "missing" and bool(cell.unread_reason) == ambiguous:
            by_row.setdefault(cell.path.rsplit(".", 1)[0], []).append(cell.path)
    return by_row


def _row_label(report: Report, paths: list[str]) -> str:
    """The row's label for one row's cells, the first and last rows' for several rows."""
    rows = list(dict.fromkeys(p.rsplit(".", 1)[0] for p in paths))
    label = report.cells[paths[0]].label
    if len(paths) == 1:
        return label
    first = label.rsplit(" / ", 1)[0]
    if len(rows) == 1:
        return first
    return f"{first}至{report.cells[paths[-1]].label.rsplit(' / ', 1)[0]}"


_TABLE_NAMES = {"active": "表二（主动公开）", "requests": "表三（依申请公开）", "review_litigation": "表四（复议诉讼）"}


def _blank_columns(report: Report) -> list[tuple[str, str, list[str]]]:
    """表三 columns left blank on every outcome row (or on every row): (column label, rows, cell paths)."""
    grid = report.format.requests
    if grid is None:
        return []
    out = []
    for label, groups in _column_groups(grid):
        for name, paths in groups:
            if all((cell := report.cells.get(path)) is not None and cell.kind == "empty" for path in paths):
                out.append((label, name, paths))
                break
    return out


_COLUMN_GROUPS: dict[int, list[tuple[str, list[tuple[str, list[str]]]]]] = {}


def _column_groups(grid) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """Per 表三 column, the cell paths of its outcome rows and of all its rows: built once per format (the
    formats are loaded once), not for every report."""
    groups = _COLUMN_GROUPS.get(id(grid))
    if groups is None:
        outcome_rows = [r for r in grid.rows if r.outcome]
        groups = [
            (
                column.label,
                [
                    (name, [f"requests.{r.key}.{column.key}" for r in rows])
                    for rows, name in ((outcome_rows, "各项办理结果"), (list(grid.rows), "各行"))
                ],
            )
            for column in grid.columns
        ]
        _COLUMN_GROUPS[id(grid)] = groups
    return groups


@engine("blank_columns")
def _blank_column(check: Check, report: Report) -> Iterator[Finding]:
    for column, rows, paths in _blank_columns(report):
        yield _finding(check, paths, table=_TABLE_NAMES["requests"], column=column, rows=rows, count=len(paths))


@engine("blank_cells")
def _blank_cells(check: Check, report: Report) -> Iterator[Finding]:
    """One finding per table: a report that writes its zeros as "/" has dozens of them (a whole blank column
    has its own finding)."""
    in_columns = {path for _, _, paths in _blank_columns(report) for path in paths}
    by_table: dict[str, list] = {}
    for cell in report.cells.values():
        if cell.kind in ("empty", "placeholder") and cell.path not in in_columns:
            by_table.setdefault(cell.table, []).append(cell)
    for table, cells in by_table.items():
        marks = sorted({f"“{c.raw}”" for c in cells if c.raw})
        forms = (["为空白"] if any(not c.raw for c in cells) else []) + ([f"填写为{'、'.join(marks)}"] if marks else [])
        yield _finding(
            check,
            [c.path for c in cells],
            table=_TABLE_NAMES[table],
            count=len(cells),
            written="或".join(forms),
            example=cells[0].label,
        )


@engine("nonstandard_labels")
def _nonstandard_labels(check: Check, report: Report) -> Iterator[Finding]:
    seen: dict[str, list[str]] = {}
    expected: dict[str, str] = {}
    for cell in report.cells.values():
        if cell.matched_label:
            seen.setdefault(cell.matched_label, []).append(cell.path)
            expected[cell.matched_label] = cell.label.rsplit(" / ", 1)[0]
    for printed, standard, paths in report.header_hints:  # column headers (row labels are on the cells)
        seen.setdefault(printed, []).extend(paths)
        expected[printed] = standard
    for printed, paths in seen.items():
        if label_key(printed) == label_key(expected[printed].replace(" / ", "")):
            continue  # only spaces or list punctuation differ ("4.无正当理由…" for "4．无正当理由…"): nothing to say
        yield _finding(check, paths, found=printed, expected=expected[printed])


def _report_year(report: Report) -> int | None:
    year = report.meta.get("year")
    return year["value"] if year else None


@engine("format_year")
def _format_year(check: Check, report: Report) -> Iterator[Finding]:
    year, fmt = _report_year(report), report.format
    if year is None or not fmt.has_tables:
        return
    too_late = fmt.expected_until_year is not None and year > fmt.expected_until_year
    too_early = fmt.expected_from_year is not None and year < fmt.expected_from_year
    if too_late or too_early:
        expected = next(
            (f for f in FORMATS.values() if (f.expected_from_year or 0) <= year <= (f.expected_until_year or 9999)),
            None,
        )
        yield _finding(
            check,
            [],
            expected=expected.id if expected else None,
            found=fmt.id,
            year=year,
            format_name=fmt.name,
            expected_name=expected.name if expected else "其他格式",
        )


@engine("no_tables")
def _no_tables(check: Check, report: Report) -> Iterator[Finding]:
    year = _report_year(report)
    if not report.format.has_tables and year is not None and year >= 2019:
        yield _finding(check, [], year=year)


@engine("missing_sections")
def _missing_sections(check: Check, report: Report) -> Iterator[Finding]:
    if not report.format.has_tables:
        return  # pre-2019 reports had no fixed headings
    for section in SECTIONS:
        if section.key not in report.sections:
            yield _finding(check, [], number=section.number, label=section.label)


@engine("nonstandard_sections")
def _nonstandard_sections(check: Check, report: Report) -> Iterator[Finding]:
    """Section headings found one character off a standard name (section_typos.py)."""
    sections = {s.key: s for s in SECTIONS}
    for key, printed, near in report.heading_hints:
        section = sections[key]
        standard = f"{section.number}、{section.label}"
        where = report.sections.get(key) or {}
        span = (where["start"], where["end"]) if where else None
        variant = "" if near == standard else f"（或“{near}”）"
        yield _finding(check, [], standard, printed, span=span, number=section.number, variant=variant)


@engine("prose_vs_table")
def _prose_vs_table(check: Check, report: Report) -> Iterator[Finding]:
    specs = {f.key: f for f in facts()}
    for fact in report.facts:
        spec = specs[fact.key]
        if not spec.compare:
            continue
        values = [report.value(p) for p in spec.compare]
        if any(v is None for v in values):
            continue
        table_value = _sum(values)
        if table_value != fact.value:
            yield _finding(
                check,
                list(spec.compare),
                expected=table_value,
                found=fact.value,
                span=(fact.start, fact.end),
                quote=fact.quote,
                value=fact.value,
                target_label=spec.target_label,
                table_value=table_value,
            )


@engine("ocr_values")
def _ocr_values(check: Check, report: Report) -> Iterator[Finding]:
    cells = [c for c in report.cells.values() if c.location and c.location.get("ocr") and c.present]
    if cells:
        pages = "、".join(str(p) for p in sorted({c.location["page"] for c in cells}))
        yield _finding(check, [c.path for c in cells], pages=pages, count=len(cells))


@engine("several_reports")
def _several_reports(check: Check, report: Report) -> Iterator[Finding]:
    following = report.next_report
    if following is not None:
        span = (following["start"], following["end"])
        yield _finding(check, [], span=span, text=following["title"], line=report.line_of(following["start"]))


@engine("spam")
def _spam(check: Check, report: Report) -> Iterator[Finding]:
    for item in report.tamper:
        if item["kind"] == "spam":
            yield _finding(
                check,
                [],
                span=(item["start"], item["end"]),
                found=item["text"],
                text=item["text"],
                line=report.line_of(item["start"]),
            )


@engine("hidden_text")
def _hidden_text(check: Check, report: Report) -> Iterator[Finding]:
    for item in report.tamper:
        if item["kind"] == "hidden":
            text = item["text"] if len(item["text"]) <= 40 else item["text"][:40] + "…"
            links = f"（链接：{'、'.join(item['links'][:3])}）" if item["links"] else ""
            yield _finding(
                check,
                [],
                span=(item["start"], item["end"]),
                found=item["text"],
                text=text,
                links=links,
                line=report.line_of(item["start"]),
            )


@engine("late_publication")
def _late_publication(check: Check, report: Report) -> Iterator[Finding]:
    year, published, agency = _report_year(report), report.meta.get("published"), report.meta.get("agency")
    if year is None or not published or not agency:
        return
    for rule in deadlines():
        if rule.applies(year, agency.get("level"), bool(agency.get("is_department"))):
            due = date(year + 1, rule.month, rule.day)
            if date.fromisoformat(published) > due:
                yield _finding(check, [], expected=due.isoformat(), found=published, basis=rule.basis)
            return


_FOLLOWUP = re.compile(r"上年|去年|上一年|往年|前一年|整改")


@engine("no_followup")
def _no_followup(check: Check, report: Report) -> Iterator[Finding]:
    problems, other = report.sections.get("problems"), report.sections.get("other_matters")
    if not problems:
        return  # a missing section is reported by sections.missing
    body = report.text[problems["end"] : other["start"] if other and other["start"] > problems["end"] else None]
    if not _FOLLOWUP.search(body):
        yield _finding(check, [])


@engine("in_force_previous")
def _in_force_previous(check: Check, report: Report) -> Iterator[Finding]:
    """Only when the caller gave last year's report (parse_document(previous=…))."""
    for row, fields in broken_rows(report):
        path = f"active.{row}.in_force"
        yield _finding(check, [path], fields["expected_value"], fields["found_value"], **fields)


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def run_checks(report: Report) -> list[Finding]:
    findings: list[Finding] = []
    for check in checks():
        if check.scope == "report":  # the others need more than one report (gongkai.checking.cross_year)
            findings.extend(_ENGINES[check.kind](check, report))
    findings.sort(key=lambda f: _SEVERITY_ORDER[f.severity])
    return findings
