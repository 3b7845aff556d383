"""Import the Excel/CSV ledgers agencies already keep.

- Columns: the canonical Chinese headers (`CANONICAL_COLUMNS`, spec/ledger.toml), the
  usual other headers for them, or an explicit mapping {canonical name: header in
  the file} (saved per agency with `save_mapping`).
- Dates: 2024年3月5日, 2024.3.5, 2024/03/05, 2024-3-5, 20240305, Excel serial numbers
  and the date cells of a workbook.
- Applicant types, outcomes, channels: the official labels or the usual free words;
  what cannot be mapped is listed in `unmapped` (column → word → row numbers).
- All or nothing per file: any bad row means no request is returned (a dry run
  returns the good rows for preview); each error names its row (as numbered in
  the spreadsheet: the header is row 1).
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from gongkai.ledger.calendar import WorkCalendar, data_dir, default_calendar
from gongkai.ledger.export import EVENT_SHEET
from gongkai.ledger.model import (
    APPLICANT_FULL_LABELS,
    APPLICANT_LABELS,
    APPLICANT_TYPES,
    CASE_KINDS,
    CASE_OUTCOMES,
    OUTCOME_LABELS,
    OUTCOME_SHORT,
    OUTCOMES,
    SPEC,
    Case,
    Event,
    Request,
)
from gongkai.ledger.validate import validate, validate_case
from gongkai.reading.textnorm import label_key
from gongkai.spec import FORMATS

#: The canonical request columns, in layout order (Chinese header names).
CANONICAL_COLUMNS: tuple[str, ...] = tuple(c["name"] for c in SPEC["columns"])
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c["name"] for c in SPEC["columns"] if c.get("required"))
CASE_COLUMNS: tuple[str, ...] = tuple(c["name"] for c in SPEC["case_columns"])
CASE_SHEET_NAMES = ("复议诉讼", "行政复议行政诉讼", "案件")
MAX_ROWS = 200_000
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number (header = 1); 0 for the file as a whole
    message_zh: str
    sheet: str = ""

    def __str__(self) -> str:
        where = f"{self.sheet} " if self.sheet else ""
        return f"{where}第{self.row}行：{self.message_zh}" if self.row else f"{where}{self.message_zh}"


@dataclass
class ImportResult:
    requests: list[Request] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unmapped: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # column → word → rows
    warnings: list[RowError] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)  # canonical name → header used
    dry_run: bool = False
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "requests": len(self.requests),
            "cases": len(self.cases),
            "errors": [{"row": e.row, "sheet": e.sheet, "message": e.message_zh} for e in self.errors],
            "warnings": [{"row": e.row, "sheet": e.sheet, "message": e.message_zh} for e in self.warnings],
            "unmapped": self.unmapped,
            "mapping": self.mapping,
        }


class ImportFailed(ValueError):
    def __init__(self, message_zh: str):
        self.message_zh = message_zh
        super().__init__(message_zh)


# -- words -------------------------------------------------------------------
_ENUM = re.compile(r"^(\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[.．、)]?)")


def norm(text: str) -> str:
    """Comparison key of a free word: folded, no spaces/punctuation, no leading enumeration."""
    key = label_key(str(text)).replace("-", "").replace("—", "").replace("_", "")
    for _ in range(3):
        stripped = _ENUM.sub("", key)
        if stripped == key:
            break
        key = stripped
    return key


def _vocabulary(pairs: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, word in pairs:
        out.setdefault(norm(word), key)
        out.setdefault(norm(key), key)
    return out


def _outcome_pairs() -> list[tuple[str, str]]:
    grid = FORMATS["2021"].requests
    assert grid is not None
    pairs: list[tuple[str, str]] = []
    for row in grid.rows:
        if row.outcome:
            pairs += [(row.key, OUTCOME_LABELS[row.key]), (row.key, OUTCOME_SHORT[row.key])]
            if row.group and row.group.startswith("（") and not row.label.startswith("（"):
                pairs.append((row.key, f"{row.group}{row.label}"))
            else:
                pairs.append((row.key, row.label))
    pairs += [(k, w) for k, words in SPEC["outcome_words"].items() for w in words]
    return pairs


APPLICANT_WORDS = _vocabulary(
    [(k, APPLICANT_LABELS[k]) for k in APPLICANT_TYPES if k != "other_org"]
    + [(k, APPLICANT_FULL_LABELS[k]) for k in APPLICANT_TYPES]
    + [(k, w) for k, words in SPEC["applicant_words"].items() for w in words]
)
OUTCOME_WORDS = _vocabulary(_outcome_pairs())
CHANNEL_WORDS = _vocabulary([(k, w) for k, ws in SPEC["channel_words"].items() for w in ws])
PARTY_WORDS = _vocabulary([(k, w) for k, ws in SPEC["party_words"].items() for w in ws])
FEE_METHOD_WORDS = _vocabulary([(k, w) for k, ws in SPEC["fee_method_words"].items() for w in ws])
CASE_KIND_WORDS = _vocabulary([(c["key"], w) for c in SPEC["case_kinds"] for w in [c["label"], *c["words"]]])
CASE_OUTCOME_WORDS = _vocabulary([(c["key"], w) for c in SPEC["case_outcomes"] for w in [c["label"], *c["words"]]])
YES_WORDS = {label_key(w).lower() for w in SPEC["yes_words"]["yes"]}
assert set(OUTCOME_WORDS.values()) == set(OUTCOMES)
assert set(CASE_KIND_WORDS.values()) == set(CASE_KINDS) and set(CASE_OUTCOME_WORDS.values()) == set(CASE_OUTCOMES)


# -- dates -------------------------------------------------------------------
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})\s*[./\-]\s*(\d{1,2})\s*[./\-]\s*(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any) -> date:
    """A date from the usual Chinese forms or an Excel serial; raises ValueError with a Chinese message."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        serial = float(value)
        if 1 <= serial < 2958466 and serial == int(serial):
            if 19000101 <= serial <= 21001231:
                return parse_date(str(int(serial)))
            return _EXCEL_EPOCH + timedelta(days=int(serial))
        raise ValueError(f"日期“{value}”无法识别")
    text = str(value).strip().translate(str.maketrans("０１２３４５６７８９．／－", "0123456789./-"))
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return date(y, mo, d)
            except ValueError:
                raise ValueError(f"日期“{value}”不存在") from None
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _EXCEL_EPOCH + timedelta(days=int(float(text)))
    raise ValueError(f"日期“{value}”无法识别（可写作 2024年3月5日、2024.3.5、2024/03/05 或 2024-03-05）")


# -- reading -----------------------------------------------------------------
def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed("无法识别文件编码（请另存为 UTF-8 或 GBK 编码的 CSV）")


def read_sheets(data: bytes, filename: str) -> list[tuple[str, list[list[Any]]]]:
    """(sheet name, rows) of a CSV or XLSX file; raises ImportFailed with a Chinese message."""
    suffix = Path(filename).suffix.lower()
    if len(data) > MAX_BYTES:
        raise ImportFailed(f"文件过大（{len(data) // 1024 // 1024} MB），上限 {MAX_BYTES // 1024 // 1024} MB")
    if suffix in (".csv", ".txt", ".tsv"):
        text = _decode(data)
        dialect = csv.excel_tab if suffix == ".tsv" or ("\t" in text[:2000] and "," not in text[:2000]) else csv.excel
        return [(Path(filename).stem, [list(r) for r in csv.reader(io.StringIO(text), dialect)])]
    if suffix in (".xlsx", ".xlsm"):
        import zipfile

        import openpyxl

        from gongkai.errors import InputError
        from gongkai.reading.files import check_zip

        try:
            check_zip(data)
        except InputError as exc:
            raise ImportFailed(exc.message_zh) from None
        except zipfile.BadZipFile:
            raise ImportFailed("无法读取 Excel 文件：不是有效的 .xlsx 文件") from None
        sheets = []
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            for ws in wb.worksheets:
                rows = []
                for i, row in enumerate(ws.iter_rows(values_only=True)):
                    if i > MAX_ROWS:
                        raise ImportFailed(f"工作表“{ws.title}”超过 {MAX_ROWS} 行")
                    rows.append(list(row))
                sheets.append((ws.title, rows))
            wb.close()
        except ImportFailed:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure here means the file is not a readable workbook
            raise ImportFailed(f"无法读取 Excel 文件：{type(exc).__name__}") from None
        return sheets
    if suffix == ".xls":
        raise ImportFailed("不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV")
    raise ImportFailed(f"不支持的文件类型“{suffix or filename}”：请使用 .xlsx 或 .csv")


def _header_map(
    header: list[Any], spec: list[dict], mapping: dict[str, str] | None
) -> tuple[dict[str, int], list[str]]:
    """field → column index, and the list of missing required canonical names."""
    cells = [norm(_cell_text(h)) for h in header]
    index: dict[str, int] = {}
    for col in spec:
        names = [mapping[col["name"]]] if mapping and col["name"] in mapping else [col["name"], *col.get("words", [])]
        for name in names:
            key = norm(name)
            if key in cells and cells.index(key) not in index.values():
                index[col["field"]] = cells.index(key)
                break
    missing = [c["name"] for c in spec if c.get("required") and c["field"] not in index]
    return index, missing


def _find_header(rows: list[list[Any]], spec: list[dict], mapping: dict[str, str] | None) -> int:
    """The header row: the first of the first 10 rows that names every required column."""
    for i, row in enumerate(rows[:10]):
        _, missing = _header_map(row, spec, mapping)
        if not missing:
            return i
    return 0


def _blank(row: list[Any]) -> bool:
    return all(_cell_text(v) == "" for v in row)


class _Row:
    def __init__(self, values: list[Any], index: dict[str, int], number: int, errors: list[str]):
        self.values, self.index, self.line, self.errors = values, index, number, errors

    def raw(self, name: str) -> Any:
        i = self.index.get(name)
        return self.values[i] if i is not None and i < len(self.values) else None

    def text(self, name: str) -> str:
        return _cell_text(self.raw(name))

    def date(self, name: str, label: str) -> date | None:
        raw = self.raw(name)
        if _cell_text(raw) == "":
            return None
        try:
            return parse_date(raw)
        except ValueError as exc:
            self.errors.append(f"{label}：{exc}")
            return None

    def number(self, name: str, label: str, integer: bool = False) -> Decimal | None:
        text = self.text(name).replace(",", "").replace("元", "").replace("页", "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.errors.append(f"{label}“{self.text(name)}”不是数字")
            return None
        if value < 0 or (integer and value != value.to_integral_value()):
            self.errors.append(f"{label}“{self.text(name)}”应为非负{'整数' if integer else '数'}")
            return None
        return value


def _map_word(
    row: _Row, name: str, label: str, words: dict[str, str], unmapped: dict, required: bool, default: str | None = None
) -> str | None:
    text = row.text(name)
    if not text:
        if required:
            row.errors.append(f"缺少{label}")
        return default
    key = words.get(norm(text))
    if key is None:
        unmapped.setdefault(label, {}).setdefault(text, []).append(row.line)
        row.errors.append(f"{label}“{text}”无法对应到规定的类别")
    return key


def _request_from_row(row: _Row, agency: str, unmapped: dict) -> Request | None:
    rid = row.text("id")
    if not rid:
        row.errors.append("缺少编号")
    received = row.date("received", "收到日期")
    if received is None and not any(e.startswith("收到日期") for e in row.errors):
        row.errors.append("缺少收到日期")
    applicant = _map_word(row, "applicant_type", "申请人类型", APPLICANT_WORDS, unmapped, True)
    channel = _map_word(row, "channel", "收到方式", CHANNEL_WORDS, unmapped, False, default="in_person")
    fee_method = _map_word(row, "fee_method", "收费方式", FEE_METHOD_WORDS, unmapped, False)
    party = _map_word(row, "consult_party", "征求意见对象", PARTY_WORDS, unmapped, False, default="third_party")
    outcome_text = row.text("outcome")
    replied = row.date("replied", "答复日期")
    withdrawn = row.date("withdrawn", "撤回日期")
    outcome = _map_word(row, "outcome", "办理结果", OUTCOME_WORDS, unmapped, False) if outcome_text else None
    if outcome_text and replied is None and withdrawn is None and not row.errors:
        row.errors.append("填写了办理结果但没有答复日期")
    if replied is not None and not outcome_text:
        row.errors.append("填写了答复日期但没有办理结果")
    pages = row.number("pages", "页数", integer=True)
    amount = row.number("amount", "收费金额")
    events: list[Event] = []

    def add(kind: str, on: date | None, **kw: Any) -> None:
        if on is not None:
            events.append(Event(kind, on, **kw))

    add("correction_requested", row.date("correction_requested", "补正告知日期"))
    add("correction_received", row.date("correction_received", "收到补正日期"))
    add("consult_sent", row.date("consult_sent", "征求意见日期"), party=party)
    add("consult_answered", row.date("consult_answered", "收到意见日期"), party=party)
    add("extension", row.date("extension", "延期日期"))
    add(
        "fee_notice",
        row.date("fee_notice", "收费通知日期"),
        pages=int(pages) if pages is not None else None,
        amount=amount,
    )
    add("fee_paid", row.date("fee_paid", "缴费日期"), amount=amount)
    if withdrawn is not None:
        add("withdrawn", withdrawn)
    elif replied is not None and outcome is not None:
        on_the_spot = label_key(row.text("on_the_spot")).lower() in YES_WORDS - {""}
        add("reply_on_the_spot" if on_the_spot else "reply", replied, outcome=outcome)
    if row.errors or received is None or applicant is None:
        return None
    order = {e: i for i, e in enumerate(SPEC_EVENT_ORDER)}
    events.sort(key=lambda e: (e.on, order[e.kind]))
    return Request(
        id=rid,
        agency=row.text("agency") or agency,
        received=received,
        channel=channel or "in_person",
        applicant_type=applicant,
        events=tuple(events),
        applicant_name=row.text("applicant_name"),
        contact=row.text("contact"),
        id_number=row.text("id_number"),
        content=row.text("content"),
        fee_method=fee_method,
    )


SPEC_EVENT_ORDER = tuple(e["key"] for e in SPEC["events"])


def _case_from_row(row: _Row, agency: str, unmapped: dict) -> Case | None:
    cid = row.text("id")
    if not cid:
        row.errors.append("缺少编号")
    kind = _map_word(row, "kind", "案件类型", CASE_KIND_WORDS, unmapped, True)
    filed = row.date("filed", "收到日期")
    if filed is None and not row.errors:
        row.errors.append("缺少收到日期")
    outcome = _map_word(row, "outcome", "结果", CASE_OUTCOME_WORDS, unmapped, False, default="pending")
    closed = row.date("closed", "审结日期")
    if row.errors or kind is None or filed is None:
        return None
    return Case(
        cid, row.text("agency") or agency, kind, filed, outcome or "pending", closed, row.text("request_id") or None
    )


def import_ledger(
    data: bytes,
    filename: str,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    *,
    agency: str = "",
    calendar: WorkCalendar | None = None,
) -> ImportResult:
    """Read a ledger file; all or nothing: with any error, no request or case is returned (unless dry_run)."""
    result = ImportResult(dry_run=dry_run)
    try:
        sheets = read_sheets(data, filename)
    except ImportFailed as exc:
        result.errors.append(RowError(0, exc.message_zh))
        return result
    try:
        cal = calendar or default_calendar()
    except Exception as exc:  # noqa: BLE001 - a broken administrator calendar file must not crash an import
        result.errors.append(RowError(0, f"节假日数据有误：{getattr(exc, 'message_zh', exc)}"))
        return result
    seen_requests: dict[str, int] = {}
    seen_cases: dict[str, int] = {}
    found_requests = False
    skipped: list[RowError] = []
    for sheet_name, rows in sheets:
        if not rows or all(_blank(r) for r in rows) or sheet_name.strip() == EVENT_SHEET:
            continue  # an export's 办理过程 sheet repeats the events for reading
        case_head = _find_header(rows, SPEC["case_columns"], None)
        keys = {norm(_cell_text(h)) for h in rows[case_head]}
        case_sheet = sheet_name.strip() in CASE_SHEET_NAMES or (
            norm("案件类型") in keys and norm("申请人类型") not in keys
        )
        spec = SPEC["case_columns"] if case_sheet else SPEC["columns"]
        head = _find_header(rows, spec, None if case_sheet else mapping)
        index, missing = _header_map(rows[head], spec, None if case_sheet else mapping)
        label = sheet_name if len(sheets) > 1 else ""
        if missing:
            if len(sheets) > 1 and not case_sheet:
                # maybe an extra sheet (notes, totals) of a workbook: an error only if no sheet is a ledger
                skipped.append(RowError(head + 1, f"缺少必需的列：{'、'.join(missing)}", label))
                continue
            result.errors.append(RowError(head + 1, f"缺少必需的列：{'、'.join(missing)}", label))
            continue
        if not case_sheet:
            found_requests = True
            result.mapping = {c["name"]: _cell_text(rows[head][index[c["field"]]]) for c in spec if c["field"] in index}
        for offset, values in enumerate(rows[head + 1 :], start=head + 2):
            if _blank(values):
                continue
            result.rows += 1
            row_errors: list[str] = []
            row = _Row(values, index, offset, row_errors)
            if case_sheet:
                case = _case_from_row(row, agency, result.unmapped)
                if case is not None:
                    problems = validate_case(case)
                    row_errors += [p.message_zh for p in problems]
                    if case.id in seen_cases:
                        row_errors.append(f"编号“{case.id}”与第{seen_cases[case.id]}行重复")
                    seen_cases.setdefault(case.id, offset)
                    if not problems:
                        result.cases.append(case)
            else:
                request = _request_from_row(row, agency, result.unmapped)
                if request is not None:
                    for p in validate(request, cal):
                        if p.code == "calendar_missing":
                            result.warnings.append(RowError(offset, p.message_zh, label))
                        else:
                            row_errors.append(p.message_zh)
                    if request.id in seen_requests:
                        row_errors.append(f"编号“{request.id}”与第{seen_requests[request.id]}行重复")
                    seen_requests.setdefault(request.id, offset)
                    if not row_errors:
                        result.requests.append(request)
            result.errors += [RowError(offset, m, label) for m in row_errors]
    if not found_requests and skipped:
        result.errors += skipped
    elif skipped:
        result.warnings += [RowError(0, "不是台账，已跳过", e.sheet) for e in skipped]
    if not found_requests and not result.cases and not result.errors:
        result.errors.append(RowError(0, "文件中没有找到台账（需要“编号”“收到日期”“申请人类型”等列）"))
    if result.errors and not dry_run:
        result.requests, result.cases = [], []
    return result


# -- saved mappings ------------------------------------------------------------
def _mapping_path(agency: str, directory: Path | None) -> Path:
    base = directory or data_dir()
    if base is None:
        raise ImportFailed("未设置数据目录：请设置环境变量 GONGKAI_DATA_DIR")
    safe = re.sub(r"[\\/:*?\"<>|\s]+", "_", agency.strip()) or "default"
    return base / "mappings" / f"{safe}.toml"


def save_mapping(agency: str, mapping: dict[str, str], directory: Path | None = None) -> Path:
    """Save an agency's column mapping {canonical name: header in its files}."""
    unknown = [k for k in mapping if k not in CANONICAL_COLUMNS]
    if unknown:
        raise ImportFailed(f"未知的标准列：{'、'.join(unknown)}")
    path = _mapping_path(agency, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# 列对应：{agency}", "[mapping]"]
    lines += [f'"{k}" = "{v.replace(chr(34), "")}"' for k, v in mapping.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_mapping(agency: str, directory: Path | None = None) -> dict[str, str] | None:
    path = _mapping_path(agency, directory)
    if not path.is_file():
        return None
    with open(path, "rb") as fh:
        return dict(tomllib.load(fh).get("mapping", {}))


__all__ = [
    "CANONICAL_COLUMNS",
    "CASE_COLUMNS",
    "REQUIRED_COLUMNS",
    "ImportFailed",
    "ImportResult",
    "RowError",
    "import_ledger",
    "load_mapping",
    "norm",
    "parse_date",
    "read_sheets",
    "save_mapping",
]
