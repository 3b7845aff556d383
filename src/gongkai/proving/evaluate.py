"""How exactly gongkai reads reports whose answers are known: the engine of `gongkai eval`.

Two sources of known answers:

- `evaluate_corpus(dir)`: real reports with a hand-verified expected document in the
  `gongkai.report/v1` shape (`<stem>.expected.json` beside the report, or
  `../expected/<stem>.json` as in corpus/seeds + corpus/expected).  Every table cell,
  the format, the metadata given and every expected finding are compared; error
  findings nobody expected are counted as false errors.
- `evaluate_generated(n)`: synthetic reports (gongkai.proving.synth) read back cell by cell,
  then one count cell of each is broken (mutation testing): the checks must name it.

Numbers are compared exactly as Decimal(str(x)), so 20.3 == Decimal("20.3") and 3 == 3.0
but 0.1 + 0.2 != 0.3.  Results are JSON-able dicts (`gongkai.eval/v1`); `render_eval`
shows one as a Chinese table.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Collection, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from gongkai.errors import InputError
from gongkai.parse import parse_bytes, parse_file, parse_text
from gongkai.proving.synth import (
    FILE_LAYOUTS,
    FORMAT_IDS,
    LAYOUTS,
    REQUEST_COLUMNS,
    REVIEW_COLUMNS,
    perturb,
    random_tables,
    render,
)
from gongkai.report import Report, json_number

SCHEMA = "gongkai.eval/v1"
EXPECTED_SCHEMA = "gongkai.report/v1"
REPORT_SUFFIXES = frozenset(
    {".txt", ".md", ".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx", ".doc", ".xlsx", ".xls", ".ods", ".odt"}
)
# The real-reports shape (../shared/real-reports/*.expected.json): these keys at the top level, no schema.
PLAIN_EXPECTED_KEYS = frozenset({"agency", "year", "format"})
# Expected metadata key → how to read it from a report's `meta`.
_META = {
    "agency": lambda meta: (meta.get("agency") or {}).get("name"),
    "year": lambda meta: (meta.get("year") or {}).get("value"),
    "published": lambda meta: meta.get("published"),
}


# ---------------------------------------------------------------------------
# Comparing one report with its expected document
# ---------------------------------------------------------------------------
def exact(value: Any) -> Any:
    """Numbers as Decimal(str(x)); anything else unchanged."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def flatten(doc: dict) -> dict[str, Any]:
    """Cell path → value over 表二, 表三 and 表四; a row the format lacks (null) has no cells."""
    cells: dict[str, Any] = {}
    for row, fields in (doc.get("active") or {}).items():
        for key, value in fields.items():
            cells[f"active.{row}.{key}"] = value
    for table, columns in (("requests", REQUEST_COLUMNS), ("review_litigation", REVIEW_COLUMNS)):
        for row, values in (doc.get(table) or {}).items():
            for column, value in zip(columns, values or (), strict=False):
                cells[f"{table}.{row}.{column}"] = value
    return cells


def classify_cells(expected: dict, got: dict, may_be_unread: Collection[str] = ()) -> dict:
    """Every printed cell of `expected` against `got`, and every value `got` reads where nothing is printed.

    - right: the value printed;
    - wrong: a value other than the one printed, or a value where the report prints no such row;
    - unread: nothing read (missing or null) where the report prints a value; those listed in
      `may_be_unread` (cells the text does not determine) are counted apart as `unread_allowed`.
    """
    want, have = flatten(expected), flatten(got)
    wrong, unread = [], []
    right = allowed = 0
    for path, value in want.items():
        if value is None:
            continue
        found = have.get(path)
        if found is None:
            if path in may_be_unread:
                allowed += 1
            else:
                unread.append({"path": path, "expected": value, "got": None})
        elif exact(found) == exact(value):
            right += 1
        else:
            wrong.append({"path": path, "expected": value, "got": found})
    wrong += [{"path": p, "expected": None, "got": v} for p, v in have.items() if v is not None and want.get(p) is None]
    printed = sum(v is not None for v in want.values())
    return {"cells": printed, "right": right, "wrong": wrong, "unread": unread, "unread_allowed": allowed}


def compare_tables(expected: dict, got: dict) -> tuple[int, list[dict]]:
    """(cells compared, mismatches); a cell on one side only is a mismatch with null on the other.

    A row the report does not print (null in `expected`) may be read as nulls: that is no cell.
    """
    want, have = flatten(expected), flatten(got)
    paths = [*want, *(p for p in have if p not in want and have[p] is not None)]
    mismatches = [
        {"path": p, "expected": want.get(p), "got": have.get(p)}
        for p in paths
        if p not in have or exact(want.get(p)) != exact(have[p])
    ]
    return len(paths), mismatches


def table_differences(expected: dict, got: dict) -> list[str]:
    """Every way `got` differs from `expected` in format and table cells, one line each; [] when equal."""
    out = (
        []
        if expected.get("format") == got.get("format")
        else [f"format: {expected.get('format')} ≠ {got.get('format')}"]
    )
    _, mismatches = compare_tables(expected, got)
    return out + [f"{m['path']}: expected {m['expected']!r}, got {m['got']!r}" for m in mismatches]


def _same_finding(want: dict, got: dict) -> bool:
    """Same rule and severity, same expected/found when given, and at least the cells given."""
    if (want["rule"], want["severity"]) != (got["rule"], got["severity"]):
        return False
    if any(key in want and exact(want[key]) != exact(got.get(key)) for key in ("expected", "found")):
        return False
    return set(want.get("cells") or ()) <= set(got.get("cells") or ())


def match_findings(expected: list[dict], got: list[dict]) -> tuple[list[dict], list[dict]]:
    """(expected findings not found, error findings not expected); a finding answers one expectation."""
    unused = list(got)
    missed = []
    for want in expected:
        hit = next((i for i, f in enumerate(unused) if _same_finding(want, f)), None)
        if hit is None:
            missed.append(want)
        else:
            del unused[hit]
    return missed, [f for f in unused if f["severity"] == "error"]


def _brief(finding: dict) -> dict:
    keys = ("rule", "severity", "cells", "expected", "found", "message")
    return {k: finding[k] for k in keys if k in finding}


_ALIAS = re.compile(r"[（(][^（）()]{1,12}[）)]$")


def same_agency(want: Any, got: Any) -> bool:
    """Equal names, where the expected name may add its short form: "上海市科学技术委员会（市科委）"."""
    if not isinstance(want, str) or not isinstance(got, str):
        return want == got
    return got == want or got == _ALIAS.sub("", want)


def compare_meta(expected: dict, got: dict) -> list[dict]:
    out = []
    for key, want in expected.items():
        found = _META[key](got) if key in _META else got.get(key)
        if key == "agency" and same_agency(want, found):
            continue
        if exact(found) != exact(want):
            out.append({"field": key, "expected": want, "got": found})
    return out


# ---------------------------------------------------------------------------
# A labelled corpus
# ---------------------------------------------------------------------------
def expected_path(report: Path) -> Path | None:
    """`<stem>.expected.json` beside the report, else `../expected/<stem>.json`."""
    for candidate in (
        report.with_name(report.stem + ".expected.json"),
        report.parent.parent / "expected" / (report.stem + ".json"),
    ):
        if candidate.is_file():
            return candidate
    return None


class ExpectedError(ValueError):
    """An expected file gongkai cannot use; the message is Chinese with an English gloss."""


def load_expected(path: Path) -> dict:
    """An expected document in the `gongkai.report/v1` shape, or in the real-reports shape converted to it.

    The real-reports shape (../shared/real-reports/README.md) has `agency`, `year`, `format` and the three
    tables at the top level, a table `null` when the report prints none (pre-2019 prose), and
    `narrative_facts` as key → {value, quote}.
    """
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExpectedError(f"{path}：预期结果文件无法读取（{exc}）  (unreadable expected file)") from exc
    if isinstance(doc, dict) and doc.get("schema") == EXPECTED_SCHEMA and "format" in doc:
        return doc
    if isinstance(doc, dict) and "schema" not in doc and set(doc) >= PLAIN_EXPECTED_KEYS:
        return {
            "schema": EXPECTED_SCHEMA,
            "format": doc["format"],
            "meta": {key: doc[key] for key in ("agency", "year", "published") if key in doc},
            "active": doc.get("active") or {},
            "requests": doc.get("requests") or {},
            "review_litigation": doc.get("review_litigation") or {},
            "narrative_facts": doc.get("narrative_facts") or {},
            "findings": doc.get("findings"),  # None: this shape lists no findings, so none counts as false
        }
    raise ExpectedError(
        f"{path}：不是预期结果文件（应为 {EXPECTED_SCHEMA}，或含 agency、year、format 的真实年报预期结果）"
        f"  (not an expected document)"
    )


def evaluate_report(path: Path, expected: dict) -> dict:
    """One report against its expected document."""
    try:
        got, refused = parse_file(path).to_json(), None
    except InputError as exc:  # counted, not raised: every expected cell is then a mismatch
        got, refused = {}, exc.message_zh
    cells, mismatches = compare_tables(expected, got)
    classified = classify_cells(expected, got, frozenset(expected.get("undetermined") or ()))
    wanted = [f for f in expected.get("findings") or () if f["severity"] in ("error", "warning")]
    missed, false_errors = match_findings(wanted, got.get("findings") or [])
    if expected.get("findings") is None:
        false_errors = []
    meta = compare_meta(expected.get("meta") or {}, got.get("meta") or {})
    facts, missed_facts = compare_facts(expected, got)
    format_ok = expected["format"] == got.get("format")
    return {
        "file": str(path),
        "refused": refused,
        "format": {"expected": expected["format"], "got": got.get("format")},
        "cells": cells,
        "cells_equal": cells - len(mismatches),
        "exact": format_ok and not mismatches,
        "mismatches": mismatches,
        "printed_cells": classified["cells"],
        "wrong": classified["wrong"],
        "unread": classified["unread"],
        "identity_placed": placed_by_identity(got),
        "prose_placed": placed_by_prose(got),
        "meta_fields": len(expected.get("meta") or {}),
        "meta_mismatches": meta,
        "prose_facts": facts,
        "missed_prose_facts": missed_facts,
        "expected_findings": len(wanted),
        "missed_findings": missed,
        "false_errors": [_brief(f) for f in false_errors],
    }


# The prose figures of the real-reports expected files (`narrative_facts`, keyed by their own names) that gongkai's
# facts (spec/facts.toml) stand for: expected key → the fact keys that may carry it.
EXPECTED_FACTS = {
    "requests_received": ("requests_received", "requests_received_counted_first", "requests_none"),
    "requests_carried_over": ("requests_carried_over",),
    "requests_received_with_carried_over": ("requests_received_with_carried_over",),
    "requests_answered": ("requests_answered",),
    "requests_carried_forward": ("requests_carried_forward", "requests_carried_forward_later"),
    "carried_forward": ("requests_carried_forward", "requests_carried_forward_later"),
    "granted": ("requests_granted",),
    "partially_granted": ("requests_partially_granted",),
    "withheld": ("requests_withheld",),
    "unavailable": ("requests_unavailable",),
    "not_processed": ("requests_not_processed",),
    "other_processing": ("requests_other_processing",),
    "reviews": ("review_cases", "review_cases_counted_first"),
    "litigations": ("litigation_cases",),
    "processing_fee_yuan": ("processing_fee_yuan",),
    "active_items": ("active_disclosed",),
    "normative_documents_in_force": ("normative_in_force",),
    "normative_documents_issued": ("normative_issued",),
    "normative_documents_repealed": ("normative_repealed",),
    "rules_in_force": ("rules_in_force",),
    "rules_issued": ("rules_issued",),
    "rules_repealed": ("rules_repealed",),
}


def compare_facts(expected: dict, got: dict) -> tuple[int, list[dict]]:
    """(prose figures compared, those not found with their value) for the expected keys gongkai has facts for."""
    wanted = {k: v for k, v in (expected.get("narrative_facts") or {}).items() if k in EXPECTED_FACTS}
    found = got.get("narrative_facts") or []
    missed = [
        {"key": key, "value": fact["value"], "quote": fact.get("quote")}
        for key, fact in wanted.items()
        if not any(f["key"] in EXPECTED_FACTS[key] and f["value"] == fact["value"] for f in found)
    ]
    return len(wanted), missed


def placed_by_identity(got: dict) -> int:
    """Cells the parser placed by a table identity rather than by label or position (`placed` in each cell)."""
    return sum(1 for cell in got.get("cells") or () if cell.get("placed") == "identity")


def placed_by_prose(got: dict) -> int:
    """Cells of a glued 表二 row placed by the figures the report's prose states (prose_placement.py)."""
    return sum(1 for cell in got.get("cells") or () if cell.get("placed") == "prose")


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _corpus_totals(reports: list[dict]) -> dict:
    def total(key: str) -> int:
        return sum(r[key] for r in reports)

    n = len(reports)
    cells, equal = total("cells"), total("cells_equal")
    exact_reports = sum(r["exact"] for r in reports)
    formats = sum(r["format"]["expected"] == r["format"]["got"] for r in reports)
    meta = total("meta_fields")
    meta_equal = meta - sum(len(r["meta_mismatches"]) for r in reports)
    wanted = total("expected_findings")
    found = wanted - sum(len(r["missed_findings"]) for r in reports)
    return {
        "reports": n,
        "refused": sum(r["refused"] is not None for r in reports),
        "cells": cells,
        "cells_equal": equal,
        "cell_accuracy": _ratio(equal, cells),
        "printed_cells": total("printed_cells"),
        "wrong_values": sum(len(r["wrong"]) for r in reports),
        "unread_cells": sum(len(r["unread"]) for r in reports),
        "identity_placed": total("identity_placed"),
        "prose_placed": total("prose_placed"),
        "reports_exact": exact_reports,
        "report_exactness": _ratio(exact_reports, n),
        "format_correct": formats,
        "format_accuracy": _ratio(formats, n),
        "meta_fields": meta,
        "meta_equal": meta_equal,
        "meta_accuracy": _ratio(meta_equal, meta),
        "prose_facts": total("prose_facts"),
        "prose_facts_found": total("prose_facts") - sum(len(r["missed_prose_facts"]) for r in reports),
        "expected_findings": wanted,
        "findings_found": found,
        "findings_recall": _ratio(found, wanted),
        "false_errors": sum(len(r["false_errors"]) for r in reports),
    }


def evaluate_corpus(directory: Path) -> dict:
    """Every report file under `directory` that has an expected document, parsed and compared."""
    directory = Path(directory)
    reports, unlabelled = [], []
    for path in sorted(directory.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in REPORT_SUFFIXES or path.stem.upper() == "README":
            continue
        expected = expected_path(path)
        if expected is None:
            unlabelled.append(str(path))
            continue
        result = evaluate_report(path, load_expected(expected))
        result["expected_file"] = str(expected)
        reports.append(result)
    return {
        "schema": SCHEMA,
        "kind": "corpus",
        "directory": str(directory),
        "totals": _corpus_totals(reports),
        "reports": reports,
        "unlabelled": unlabelled,
    }


# ---------------------------------------------------------------------------
# Generated reports and mutations
# ---------------------------------------------------------------------------
def case_rng(seed: int, index: int, purpose: str) -> random.Random:
    """The generator of one case; a str seed is hashed with SHA-512, so it is stable across runs."""
    return random.Random(f"gongkai.eval:{seed}:{index}:{purpose}")


def _errors(report_json: dict) -> list[dict]:
    return [f for f in report_json["findings"] if f["severity"] == "error"]


def _read(tables: dict, layout: str, rng: random.Random, noise: bool, keep: Sequence[str] = ()) -> Report:
    """Write the tables as a report in `layout` and parse it back."""
    if layout in FILE_LAYOUTS:
        from gongkai.proving import synth_files  # office and PDF writers: loaded only when asked for

        # Office and PDF files have real cells: an empty one is never ambiguous.
        return parse_bytes(synth_files.build(layout, tables, rng), f"report{synth_files.SUFFIXES[layout]}")
    return parse_text(render(tables, layout, rng, noise=noise, keep_rows=keep))


def generated_case(seed: int, index: int, format_id: str, layout: str) -> dict:
    """One synthetic report read back, then the same tables with one count cell broken.

    Reproducible alone: the report draws from `case_rng(seed, index, "clean")`, the
    mutation (`perturb`, then `render` with `keep_rows`) from `case_rng(seed, index, "mutant")`.
    """
    rng = case_rng(seed, index, "clean")
    noise = rng.random() < 0.8
    tables = random_tables(rng, format_id)
    got = _read(tables, layout, rng, noise).to_json()
    cells, mismatches = compare_tables(tables, got)
    classified = classify_cells(tables, got)

    rng = case_rng(seed, index, "mutant")
    mutated, path, value = perturb(tables, rng)
    keep = [path.rsplit(".", 1)[0]]  # the broken row's identity cannot place an empty cell
    report = _read(mutated, layout, rng, noise, keep)
    return {
        "index": index,
        "format": format_id,
        "layout": layout,
        "noise": noise,
        "format_got": got["format"],
        "cells": cells,
        "mismatches": mismatches,
        "wrong": classified["wrong"],
        "unread": classified["unread"],
        "identity_placed": placed_by_identity(got),
        "false_errors": [_brief(f) for f in _errors(got)],
        "mutation": {
            "path": path,
            "printed": value,
            "read": json_number(report.value(path)),
            "detected": any(f.severity == "error" and path in f.cells for f in report.findings),
        },
    }


def evaluate_generated(
    n: int, seed: int = 0, layouts: Sequence[str] | None = None, formats: Sequence[str] | None = None
) -> dict:
    """n synthetic reports, cycling through every format × layout, read back and then broken (see generated_case)."""
    layouts, formats = list(layouts or LAYOUTS + FILE_LAYOUTS), list(formats or FORMAT_IDS)
    combos = [(f, layout) for layout in layouts for f in formats]
    started = time.perf_counter()
    cases = [generated_case(seed, i, *combos[i % len(combos)]) for i in range(n)]
    seconds = time.perf_counter() - started

    def exact_case(c: dict) -> bool:
        return c["format_got"] == c["format"] and not c["mismatches"]

    groups: dict[str, dict[str, int]] = {}
    for c in cases:
        group = groups.setdefault(f"{c['format']}/{c['layout']}", dict.fromkeys(("reports", "exact", "detected"), 0))
        group["reports"] += 1
        group["exact"] += exact_case(c)
        group["detected"] += c["mutation"]["detected"]
    cells = sum(c["cells"] for c in cases)
    equal = cells - sum(len(c["mismatches"]) for c in cases)
    exact_reports = sum(map(exact_case, cases))
    formats_ok = sum(c["format_got"] == c["format"] for c in cases)
    detected = sum(c["mutation"]["detected"] for c in cases)
    return {
        "schema": SCHEMA,
        "kind": "generated",
        "seed": seed,
        "layouts": layouts,
        "formats": formats,
        "totals": {
            "reports": n,
            "cells": cells,
            "cells_equal": equal,
            "cell_accuracy": _ratio(equal, cells),
            "wrong_values": sum(len(c["wrong"]) for c in cases),
            "unread_cells": sum(len(c["unread"]) for c in cases),
            "identity_placed": sum(c["identity_placed"] for c in cases),
            "reports_exact": exact_reports,
            "report_exactness": _ratio(exact_reports, n),
            "format_correct": formats_ok,
            "format_accuracy": _ratio(formats_ok, n),
            "false_errors": sum(len(c["false_errors"]) for c in cases),
            "mutations": n,
            "mutations_detected": detected,
            "mutation_recall": _ratio(detected, n),
            "mutations_read_as_printed": sum(
                exact(c["mutation"]["read"]) == exact(c["mutation"]["printed"]) for c in cases
            ),
            "seconds": round(seconds, 3),
        },
        "by_layout": groups,
        "failures": [c for c in cases if not exact_case(c) or c["false_errors"] or not c["mutation"]["detected"]],
    }


# ---------------------------------------------------------------------------
# Damaged reports (gongkai.proving.synth_damage): wrong values and unread cells per class of damage
# ---------------------------------------------------------------------------
def damaged_case(seed: int, index: int) -> dict:
    """One damaged report read back: its cells right, wrong, unread, or unread where the text allows it."""
    from gongkai.proving.synth_damage import damage_case

    case = damage_case(seed, index)
    refused = crashed = None
    try:
        got = parse_text(case.text).to_json()
    except InputError as exc:
        got, refused = {}, exc.message_zh
    except Exception as exc:  # noqa: BLE001 - a crash is a result to report, not a reason to stop 5,000 reports
        got, crashed = {}, f"{type(exc).__name__}: {exc}"
    classified = classify_cells(case.truth, got, case.undetermined)
    return {
        "index": index,
        "damage": case.damage,
        "format": case.format,
        "format_got": got.get("format"),
        "refused": refused,
        "crashed": crashed,
        "undetermined": len(case.undetermined),
        "identity_placed": placed_by_identity(got),
        **classified,
    }


DAMAGE_COUNTS = ("cells", "right", "wrong", "unread", "unread_allowed", "undetermined", "identity_placed")


def evaluate_damaged(n: int, seed: int = 0) -> dict:
    """n damaged reports, the classes of damage in turn; per class: cells recovered, wrong, unread."""
    started = time.perf_counter()
    cases = [damaged_case(seed, i) for i in range(n)]
    seconds = time.perf_counter() - started
    classes: dict[str, dict] = {}
    for c in cases:
        group = classes.setdefault(
            c["damage"], {"reports": 0, "reports_with_wrong": 0, "format_correct": 0, "refused": 0, "crashed": 0}
        )
        group["reports"] += 1
        group["reports_with_wrong"] += bool(c["wrong"])
        group["format_correct"] += c["format_got"] == c["format"]
        group["refused"] += c["refused"] is not None
        group["crashed"] += c["crashed"] is not None
        for key in DAMAGE_COUNTS:
            group[key] = group.get(key, 0) + (len(c[key]) if isinstance(c[key], list) else c[key])
    for group in classes.values():
        group["recovered"] = _ratio(group["right"], group["cells"])
    totals = {key: sum(g[key] for g in classes.values()) for key in ("reports", *DAMAGE_COUNTS, "crashed")}
    totals["recovered"] = _ratio(totals["right"], totals["cells"])
    totals["seconds"] = round(seconds, 3)
    return {
        "schema": SCHEMA,
        "kind": "damaged",
        "seed": seed,
        "totals": totals,
        "by_damage": classes,
        "failures": [
            {k: c[k] for k in ("index", "damage", "format", "format_got", "wrong", "crashed")}
            for c in cases
            if c["wrong"] or c["crashed"]
        ],
    }


def render_damaged(result: dict) -> Group:
    """Per class of damage: reports, cells, recovered share, wrong values, unread cells."""
    from gongkai.proving.synth_damage import DAMAGES

    t = result["totals"]
    table = Table(title=f"损坏年报评测：{t['reports']} 份（种子 {result['seed']}，用时 {t['seconds']:.1f} 秒）")
    for header in ("损坏类别", "份数", "单元格", "读对", "读对比例", "错误值", "未读出", "其中原文无法确定"):
        table.add_column(header, justify="left" if header == "损坏类别" else "right")
    rows = [(name, g, DAMAGES[name][0] if name in DAMAGES else name) for name, g in result["by_damage"].items()]
    rows.append(("合计", t, ""))
    for name, g, description in rows:
        table.add_row(
            f"{name}\n{description}" if description else name,
            str(g["reports"]),
            str(g["cells"]),
            str(g["right"]),
            _percent(g["recovered"]),
            Text(str(g["wrong"]), style="green" if g["wrong"] == 0 else "bold red"),
            str(g["unread"] + g["unread_allowed"]),
            str(g["unread_allowed"]),
        )
    parts: list[Any] = [table]
    if t["identity_placed"]:
        placed = t["identity_placed"]
        parts.append(Text(f"读出的单元格中 {placed} 格按勾稽关系定位（placed = identity）", style="dim"))
    lines = []
    for f in result["failures"][:MAX_LISTED]:
        case = f"第{f['index']}份（{f['damage']}，{f['format']}）"
        if f["crashed"]:
            lines.append(f"{case}：解析崩溃 {f['crashed']}")
        lines += [f"{case}：{m['path']} 应为 {m['expected']}，实为 {m['got']}" for m in f["wrong"][:3]]
    if lines:
        parts.append(Text("\n".join(lines[:MAX_LISTED]), style="red"))
    return Group(*parts)


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------
def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2%}"


def _figure(name: str, ratio: float | None, part: int, whole: int) -> tuple[Text, Text, str]:
    style = "green" if ratio is None or part == whole else "bold red"
    return Text(name), Text(_percent(ratio), style=style), f"{part}/{whole}"


def _count_row(name: str, count: int) -> tuple[Text, Text, str]:
    return Text(name), Text(str(count), style="green" if count == 0 else "bold red"), ""


MAX_LISTED = 30  # mismatches listed under the table; the JSON keeps all of them


def _problems(result: dict) -> list[str]:
    lines = []
    for r in result.get("reports", []):
        name = Path(r["file"]).name
        if r["refused"]:
            lines.append(f"{name}：无法读取（{r['refused']}）")
        if r["format"]["expected"] != r["format"]["got"]:
            lines.append(f"{name}：格式应为 {r['format']['expected']}，识别为 {r['format']['got']}")
        wrong = r.get("wrong", r["mismatches"])
        lines += [f"{name}：{m['path']} 应为 {m['expected']}，实为 {m['got']}" for m in wrong]
        if r.get("unread"):
            paths = "、".join(m["path"] for m in r["unread"][:3])
            lines.append(f"{name}：{len(r['unread'])} 格未读出（{paths}{'……' if len(r['unread']) > 3 else ''}）")
        lines += [f"{name}：元数据 {m['field']} 应为 {m['expected']}，实为 {m['got']}" for m in r["meta_mismatches"]]
        missed_facts = r.get("missed_prose_facts", ())
        lines += [f"{name}：未读出正文数字 {m['key']}＝{m['value']}（{m['quote']}）" for m in missed_facts]
        lines += [
            f"{name}：未发现预期问题 {f['rule']}（{f.get('expected')}/{f.get('found')}）" for f in r["missed_findings"]
        ]
        lines += [f"{name}：误报错误 {f['rule']} {f.get('message', '')}" for f in r["false_errors"]]
    for f in result.get("failures", []):
        case = f"合成第{f['index']}份（{f['format']}/{f['layout']}）"
        lines += [f"{case}：{m['path']} 应为 {m['expected']}，实为 {m['got']}" for m in f["mismatches"]]
        lines += [f"{case}：误报错误 {e['rule']} {e.get('message', '')}" for e in f["false_errors"]]
        if not f["mutation"]["detected"]:
            m = f["mutation"]
            lines.append(f"{case}：改动 {m['path']} 为 {m['printed']}（读作 {m['read']}）未被任何错误指出")
    return lines


LAYOUT_NAMES = {
    "cell_per_line": "每格一行",
    "inline_pipes": "行内竖线",
    "tabs": "制表符",
    "markdown": "Markdown",
    "html": "网页",
}


def _layout_table(groups: dict[str, dict[str, int]]) -> Table:
    table = Table()
    for header in ("格式", "版式", "份数", "完全一致", "变异检出"):
        table.add_column(header, justify="right" if header in ("份数", "完全一致", "变异检出") else "left")
    for key, g in sorted(groups.items()):
        format_id, layout = key.split("/")
        ok = g["exact"] == g["detected"] == g["reports"]
        style = "" if ok else "bold red"
        table.add_row(
            f"{format_id} 年版",
            LAYOUT_NAMES.get(layout, layout),
            str(g["reports"]),
            Text(str(g["exact"]), style=style),
            Text(str(g["detected"]), style=style),
        )
    return table


def render_eval(result: dict) -> Group:
    """The figures as a Chinese table, then the first mismatches."""
    t = result["totals"]
    if result["kind"] == "corpus":
        title = f"语料评测：{result['directory']}（{t['reports']} 份有预期结果的报告）"
    else:
        title = f"合成年报评测：{t['reports']} 份（种子 {result['seed']}，用时 {t['seconds']:.1f} 秒）"
    table = Table()
    table.add_column("指标")
    table.add_column("结果", justify="right")
    table.add_column("计数", justify="right")
    table.add_row(*_figure("单元格准确率", t["cell_accuracy"], t["cells_equal"], t["cells"]))
    if "wrong_values" in t:
        table.add_row(*_count_row("错误值（读出的数与印出的不同）", t["wrong_values"]))
        table.add_row(*_count_row("未读出的单元格", t["unread_cells"]))
        if t.get("identity_placed"):
            table.add_row(Text("其中按勾稽关系定位的单元格"), Text(str(t["identity_placed"])), "")
        if t.get("prose_placed"):
            table.add_row(Text("其中按正文数字定位的单元格"), Text(str(t["prose_placed"])), "")
    table.add_row(*_figure("报告完全一致率", t["report_exactness"], t["reports_exact"], t["reports"]))
    table.add_row(*_figure("格式识别准确率", t["format_accuracy"], t["format_correct"], t["reports"]))
    if result["kind"] == "corpus":
        table.add_row(*_figure("元数据准确率", t["meta_accuracy"], t["meta_equal"], t["meta_fields"]))
        if t.get("prose_facts"):
            share = _ratio(t["prose_facts_found"], t["prose_facts"])
            table.add_row(*_figure("正文数字召回率", share, t["prose_facts_found"], t["prose_facts"]))
        table.add_row(*_figure("预期问题召回率", t["findings_recall"], t["findings_found"], t["expected_findings"]))
    else:
        table.add_row(*_figure("变异检出率", t["mutation_recall"], t["mutations_detected"], t["mutations"]))
    style = "green" if t["false_errors"] == 0 else "bold red"
    table.add_row(Text("误报错误数"), Text(str(t["false_errors"]), style=style), "")
    problems = _problems(result)
    parts: list[Any] = [Text(title, style="bold"), table]
    if result["kind"] == "generated":
        parts.append(_layout_table(result["by_layout"]))
    if result.get("unlabelled"):
        parts.append(Text(f"另有 {len(result['unlabelled'])} 个文件没有预期结果，未参与评测", style="dim"))
    if problems:
        shown = problems[:MAX_LISTED]
        more = f"\n……另有 {len(problems) - len(shown)} 条，见 JSON" if len(problems) > len(shown) else ""
        parts.append(Text("\n".join(shown) + more, style="red"))
    return Group(*parts)


def eval_json_text(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def write_eval_json(result: dict, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(eval_json_text(result), encoding="utf-8")
    return path
