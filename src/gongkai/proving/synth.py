"""Synthetic annual reports with known ground truth, for tests and benchmarks.

`random_tables` draws the three statistical tables of a 2019- or 2021-format
report in the public JSON shape of `Report.to_json()`; `render` writes them into
a whole report document in one of the layouts seen in published reports
(`LAYOUTS`), optionally with the noise real reports carry: full-width digits,
thousands separators, spaces, line breaks and traditional characters in labels,
ASCII punctuation, zeros written as blanks or placeholders, signed deltas written
with 增/减, money printed in 元/万元/亿元.

Everything is drawn from the `random.Random` passed in, so a seed reproduces a
document exactly.  Standard library only (plus the format spec of this package).
"""

from __future__ import annotations

import copy
import html
import json
import math
import random
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from gongkai.spec import BALANCE_NOTE, FORMATS, SECTIONS, Format

LAYOUTS: tuple[str, ...] = ("cell_per_line", "inline_pipes", "tabs", "markdown", "html")
# Written as office and PDF files by gongkai.proving.synth_files (see write_corpus).
FILE_LAYOUTS: tuple[str, ...] = ("docx", "xlsx", "pdf")
TEXT_LAYOUTS: tuple[str, ...] = ("cell_per_line", "inline_pipes", "tabs", "markdown")
FORMAT_IDS: tuple[str, ...] = ("2021", "2019")

REQUEST_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial",
    "research",
    "public_interest",
    "legal_service",
    "other_org",
    "total",
)
REVIEW_COLUMNS: tuple[str, ...] = ("maintained", "corrected", "other", "pending", "total")
REVIEW_ROWS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")

# Simplified → traditional for characters found in the table labels.  Only
# one-to-one pairs whose traditional form folds back to the simplified one.
_TRAD = str.maketrans(
    dict(
        zip(
            "请处国机关开务业织组规总计诉讼结维审数发许罚强费构项属过执询获无没现补访举报复类确认权护稳内实纠议经况动单额采购对办",
            "請處國機關開務業織組規總計訴訟結維審數發許罰強費構項屬過執詢獲無沒現補訪舉報復類確認權護穩內實糾議經況動單額採購對辦",
            strict=True,
        )
    )
)
_FULLWIDTH_DIGITS = str.maketrans("0123456789+-", "０１２３４５６７８９＋－")
_ASCII_PUNCT = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "．": ".", "；": ";"})
_PLACEHOLDER_WORDS = frozenset({"无", "無", "空", "暂无", "/", "—", "-"})


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


# ---------------------------------------------------------------------------
# Ground truth
# ---------------------------------------------------------------------------
def _loguniform(rng: random.Random, hi: int) -> int:
    """An integer in [1, hi], log-uniformly: mostly small, sometimes large."""
    return max(1, min(hi, int(math.exp(rng.uniform(0.0, math.log(hi + 1))))))


def _count(rng: random.Random, hi: int, p_zero: float) -> int:
    return 0 if rng.random() < p_zero else _loguniform(rng, hi)


def _money(rng: random.Random, hi: int, p_zero: float = 0.35) -> int | float:
    """An amount in 万元: 0, an integer, or a decimal with 1, 2 or 4 places."""
    if rng.random() < p_zero:
        return 0
    base = _loguniform(rng, hi) - (1 if rng.random() < 0.2 else 0)
    if rng.random() < 0.45:
        return base
    places = rng.choice((1, 1, 2, 2, 4))
    amount = Decimal(base) + Decimal(rng.randint(1, 10**places - 1)).scaleb(-places)
    return float(str(amount.normalize()))


def _delta(rng: random.Random, prev: int) -> int:
    r = rng.random()
    if r < 0.35:
        return 0
    if r < 0.75 or prev == 0:
        return _loguniform(rng, max(1, prev // 4 + 3))
    return -rng.randint(1, prev)


def _active(rng: random.Random, format_id: str) -> dict:
    busy = rng.random() < 0.6  # a city government rather than a township office
    p0 = 0.3 if busy else 0.75
    if format_id == "2021":
        active: dict = {}
        for key, hi in (("rules", 40), ("normative_documents", 400)):
            in_force = _count(rng, hi * 5, p0)
            active[key] = {
                "issued": _count(rng, hi, p0 + 0.1),
                "repealed": _count(rng, hi // 2, p0 + 0.2),
                "in_force": in_force,
            }
        for key in ("licensing", "punishment", "enforcement"):
            active[key] = {"decisions": _count(rng, 1_000_000 if busy else 2000, p0)}
        active["fees"] = {"amount_wan_yuan": _money(rng, 400_000 if busy else 500, p0 + 0.1)}
        return active
    active = {}
    for key, hi in (("rules", 40), ("normative_documents", 1200)):
        made = _count(rng, hi, p0 + 0.1)
        active[key] = {
            "new_made": made,
            "new_published": made if rng.random() < 0.5 else _count(rng, hi, p0),
            "total_published": _count(rng, hi * 4, p0),
        }
    for key in ("licensing", "other_services", "punishment", "enforcement"):
        prev = _count(rng, 20_000 if busy else 300, p0)
        active[key] = {
            "prev_items": prev,
            "delta": _delta(rng, prev),
            "decisions": _count(rng, 1_000_000 if busy else 3000, p0),
        }
    prev = _count(rng, 1000 if busy else 30, p0)
    active["fees"] = {"prev_items": prev, "delta": _delta(rng, prev)}
    active["procurement"] = {
        "projects": _count(rng, 10_000 if busy else 50, p0),
        "amount_wan_yuan": _money(rng, 1_000_000 if busy else 800, p0 + 0.1),
    }
    return active


# How often each applicant column and each outcome row is used at all.
_COLUMN_USE = {
    "natural_person": 0.95,
    "commercial": 0.5,
    "research": 0.08,
    "public_interest": 0.08,
    "legal_service": 0.2,
    "other_org": 0.3,
}
_ROW_USE = {
    "granted": 0.85,
    "partially_granted": 0.4,
    "unavailable_not_held": 0.55,
    "unavailable_needs_creation": 0.25,
    "not_processed_duplicate": 0.2,
    "other_other": 0.3,
    "other_overdue_correction": 0.2,
}


def _requests(rng: random.Random, fmt: Format) -> dict:
    present = [r.key for r in fmt.requests.rows]
    outcomes = [r.key for r in fmt.requests.rows if r.outcome]
    mode = rng.random()
    scale = 0 if mode < 0.2 else 8 if mode < 0.5 else 150 if mode < 0.85 else 4000
    cols = REQUEST_COLUMNS[:6]
    used_cols = {c for c in cols if scale and rng.random() < _COLUMN_USE[c]}
    used_rows = {r for r in outcomes if scale and rng.random() < _ROW_USE.get(r, 0.12)}
    table: dict[str, list[int]] = {key: [0] * 6 for key in present}
    for key in outcomes:
        for i, c in enumerate(cols):
            if key in used_rows and c in used_cols and rng.random() < 0.75:
                hi = scale if c == "natural_person" else max(2, scale // 6)
                table[key][i] = _loguniform(rng, hi if key == "granted" else max(2, hi // 3))
    for i, _ in enumerate(cols):
        total = sum(table[key][i] for key in outcomes)
        forward = _loguniform(rng, max(2, total // 8 + 1)) if rng.random() < 0.25 else 0
        over = rng.randint(0, min(total + forward, max(1, total // 8 + 1))) if rng.random() < 0.3 else 0
        table["total"][i] = total
        table["carried_forward"][i] = forward
        table["carried_over"][i] = over
        table["new_received"][i] = total + forward - over
    out: dict[str, list[int] | None] = {}
    for row in fmt.all_requests_rows():
        values = table.get(row.key)
        out[row.key] = None if values is None else [*values, sum(values)]
    return out


def _review(rng: random.Random) -> dict:
    out = {}
    for key in REVIEW_ROWS:
        parts = [0, 0, 0, 0]
        if rng.random() < 0.35:
            hi = rng.choice((3, 12, 60, 400))
            parts = [_count(rng, hi, 0.45) for _ in range(4)]
        out[key] = [*parts, sum(parts)]
    return out


def random_tables(rng: random.Random, format_id: str, consistent: bool = True) -> dict:
    """Ground truth for one report in the public JSON shape.

    With `consistent` every identity of the format holds (K1–K4 of the spec);
    otherwise one to three count cells of 表三/表四 are then shifted by a nonzero
    amount (see `perturb`).
    """
    fmt = FORMATS[format_id]
    tables = {
        "format": format_id,
        "active": _active(rng, format_id),
        "requests": _requests(rng, fmt),
        "review_litigation": _review(rng),
    }
    if not consistent:
        for _ in range(rng.randint(1, 3)):
            tables, _path, _value = perturb(tables, rng)
    return tables


def count_cell_paths(tables: dict) -> list[str]:
    """Paths of every count cell of 表三 and 表四 present in `tables`."""
    paths = [
        f"requests.{row}.{col}"
        for row, values in tables["requests"].items()
        if values is not None
        for col in REQUEST_COLUMNS
    ]
    paths += [f"review_litigation.{row}.{col}" for row in REVIEW_ROWS for col in REVIEW_COLUMNS]
    return paths


def get_cell(tables: dict, path: str) -> int:
    table, row, col = path.split(".")
    columns = REQUEST_COLUMNS if table == "requests" else REVIEW_COLUMNS
    return tables[table][row][columns.index(col)]


def perturb(tables: dict, rng: random.Random) -> tuple[dict, str, int]:
    """A copy of `tables` with one count cell of 表三/表四 shifted by a nonzero amount.

    Returns (new tables, the cell's path, its new value); the value stays >= 0.
    """
    out = copy.deepcopy(tables)
    path = rng.choice(count_cell_paths(out))
    table, row, col = path.split(".")
    columns = REQUEST_COLUMNS if table == "requests" else REVIEW_COLUMNS
    old = out[table][row][columns.index(col)]
    delta = rng.choice((1, 1, 2, 3, 7, 10, 100))
    if old >= delta and rng.random() < 0.4:
        delta = -delta
    out[table][row][columns.index(col)] = old + delta
    return out, path, old + delta


# ---------------------------------------------------------------------------
# Noise
# ---------------------------------------------------------------------------
@dataclass
class _Style:
    noise: bool
    layout: str
    ascii_punct: float = 0.0  # per label: ASCII parentheses/colons/commas/periods
    trad: float = 0.0  # per label: traditional characters
    label_space: float = 0.0  # per label: a space between two characters
    label_split: float = 0.0  # per label: a line break (text) or <br> (html)
    variant: float = 0.0  # per label: a variant wording from the spec
    fullwidth: float = 0.0  # per value: full-width digits
    commas: float = 0.0  # per value >= 1000: thousands separators
    placeholder: str | None = None  # how some zeros are written
    placeholder_p: float = 0.0
    blank_p: float = 0.0  # per row: one zero written as an empty cell
    delta_style: str = "plain"  # plain | cn (增/减) | sign (+/-)
    money_unit_p: float = 0.0  # per money cell: print a unit (元/万元/亿元)
    wrap_p: float = 0.0  # inline_pipes: per row, wrap onto the next line
    expand_headers: bool = False  # block headers as [label][ ][ ][ ] instead of colspan
    split_two_fields: bool = False  # 2019 two-field rows: [v][v][ ] instead of [v][v colspan 2]
    procurement_header: str = "采购总金额"
    procurement_unit: str = "万元"
    markdown_headings: bool = False
    cpl_variant: str = "a"
    keep: frozenset[str] = frozenset()  # rows never written with a blank cell


def _style(rng: random.Random, layout: str, noise: bool) -> _Style:
    st = _Style(noise=noise, layout=layout)
    st.cpl_variant = rng.choice("ab")
    if not noise:
        return st
    st.ascii_punct = rng.choice((0.0, 0.9, 1.0, 0.5))
    st.trad = rng.choice((0.0, 0.0, 0.0, 0.15, 0.4))
    st.label_space = rng.choice((0.0, 0.05, 0.15))
    st.label_split = rng.choice((0.0, 0.08, 0.2)) if layout in ("cell_per_line", "inline_pipes", "html") else 0.0
    st.variant = rng.choice((0.0, 0.1, 0.3))
    st.fullwidth = rng.choice((0.0, 0.0, 0.05, 0.3))
    st.commas = rng.choice((0.0, 0.0, 0.3, 1.0))
    st.placeholder = rng.choice((None, "/", "—", "无"))
    st.placeholder_p = rng.choice((0.1, 0.4, 0.9)) if st.placeholder else 0.0
    st.blank_p = rng.choice((0.0, 0.1, 0.3))
    st.delta_style = rng.choice(("plain", "cn", "cn", "sign"))
    st.money_unit_p = rng.choice((0.0, 0.3, 0.7))
    st.wrap_p = rng.choice((0.0, 0.05, 0.15)) if layout == "inline_pipes" else 0.0
    st.expand_headers = rng.random() < 0.3
    st.split_two_fields = rng.random() < 0.5
    st.markdown_headings = rng.random() < 0.5
    st.procurement_header, st.procurement_unit = rng.choice(
        (
            ("采购总金额", "万元"),
            ("采购总金额（单位：万元）", "万元"),
            ("采购总金额（万元）", "万元"),
            ("采购总金额（单位：元）", "元"),
        )
    )
    return st


def _insert_between_cjk(text: str, rng: random.Random, sep: str, min_piece: int = 1) -> str:
    """Insert `sep` at a random position between two CJK characters."""
    spots = [
        i
        for i in range(min_piece, len(text) - min_piece + 1)
        if _is_cjk(text[i - 1])
        and _is_cjk(text[i])
        and text[:i].strip() not in _PLACEHOLDER_WORDS
        and text[i:].strip() not in _PLACEHOLDER_WORDS
    ]
    if not spots:
        return text
    i = rng.choice(spots)
    return text[:i] + sep + text[i:]


def _label(text: str, st: _Style, rng: random.Random, variants: tuple[str, ...] = ()) -> str:
    """A label as a report prints it.  Line breaks are written as '\n'."""
    if not st.noise:
        return text
    if variants and rng.random() < st.variant:
        text = rng.choice(variants)
    if rng.random() < st.ascii_punct:
        text = text.translate(_ASCII_PUNCT)
        if rng.random() < 0.3:
            text = text.replace("“", '"').replace("”", '"')
    if rng.random() < st.trad:
        text = text.translate(_TRAD)
    if rng.random() < st.label_space:
        text = _insert_between_cjk(text, rng, " ")
    if len(text) >= 4 and rng.random() < st.label_split:
        text = _insert_between_cjk(text, rng, "\n", min_piece=2)
        if rng.random() < 0.3:
            head, _, tail = text.rpartition("\n")
            text = head + "\n" + _insert_between_cjk(tail, rng, "\n", min_piece=2)
    return text


def _digits(s: str, st: _Style, rng: random.Random) -> str:
    return s.translate(_FULLWIDTH_DIGITS) if st.noise and rng.random() < st.fullwidth else s


def _int_text(n: int, st: _Style, rng: random.Random) -> str:
    s = f"{n:,}" if st.noise and abs(n) >= 1000 and rng.random() < st.commas else str(n)
    return _digits(s, st, rng)


def _delta_text(n: int, st: _Style, rng: random.Random) -> str:
    body = _int_text(abs(n), st, rng)
    if n == 0:
        return body
    if st.delta_style == "cn":
        return ("增" if n > 0 else "减") + body
    if st.delta_style == "sign":
        return ("+" if n > 0 else "-") + body
    return body if n > 0 else "-" + body


def _dec_text(d: Decimal, st: _Style, rng: random.Random) -> str:
    d = d.normalize()
    use_commas = st.noise and abs(d) >= 1000 and rng.random() < st.commas
    return _digits(format(d, ",f" if use_commas else "f"), st, rng)


def _money_text(value: int | float, st: _Style, rng: random.Random, header_unit: str = "万元") -> str:
    """A money cell; the value is in 万元, the column header says `header_unit`."""
    wan = Decimal(str(value))
    choices = []
    if st.noise and rng.random() < st.money_unit_p:
        choices.append("万元")
        if wan >= 10000 and (wan / 10000).normalize().as_tuple().exponent >= -4:
            choices += ["亿元", "亿元"]
        if wan * 10000 == (wan * 10000).to_integral_value() and wan < 1000:
            choices += ["元", "元"]
    if choices:
        unit = rng.choice(choices)
        factor = {"亿元": Decimal("0.0001"), "万元": Decimal(1), "元": Decimal(10000)}[unit]
        return _dec_text(wan * factor, st, rng) + unit
    factor = Decimal(10000) if header_unit == "元" else Decimal(1)
    return _dec_text(wan * factor, st, rng)


# ---------------------------------------------------------------------------
# Table model: rows of real cells with rowspan/colspan, as in the official HTML
# ---------------------------------------------------------------------------
@dataclass
class _Cell:
    text: str  # as printed; '\n' marks a line break inside the cell
    kind: str  # label | head | value | empty
    rowspan: int = 1
    colspan: int = 1


@dataclass
class _Table:
    rows: list[list[_Cell]]
    ncols: int


def _value_row(
    specs: list[tuple[str, int | float]],
    st: _Style,
    rng: random.Random,
    blank_ok: list[bool],
    header_unit: str = "万元",
) -> list[str]:
    """Texts of a row's value cells.  specs: (kind, value) with kind count | delta | money.

    At most one zero cell per row is written as an empty cell, and only where
    `blank_ok` allows; other zeros may be written as a placeholder.
    """
    blank = None
    if st.noise and rng.random() < st.blank_p and any(blank_ok):
        zeros = [i for i, (_, v) in enumerate(specs) if v == 0 and blank_ok[i]]
        if zeros:
            blank = rng.choice(zeros)
    texts = []
    for i, (kind, value) in enumerate(specs):
        if i == blank:
            texts.append("")
        elif value == 0 and st.placeholder and rng.random() < st.placeholder_p:
            texts.append(st.placeholder)
        elif kind == "delta":
            texts.append(_delta_text(int(value), st, rng))
        elif kind == "money":
            texts.append(_money_text(value, st, rng, header_unit))
        else:
            texts.append(_int_text(int(value), st, rng))
    return texts


def _block_header(text: str, ncols: int, st: _Style) -> list[_Cell]:
    if st.expand_headers:
        return [_Cell(text, "head")] + [_Cell("", "empty") for _ in range(ncols - 1)]
    return [_Cell(text, "head", colspan=ncols)]


def _active_table(tables: dict, fmt: Format, st: _Style, rng: random.Random) -> _Table:
    rows: list[list[_Cell]] = []
    for block in fmt.active:
        rows.append(_block_header(_label(block.article, st, rng), 4, st))
        n = len(block.fields)
        header_unit = "万元"
        heads = []
        for f in block.fields:
            label = f.label
            if f.key == "amount_wan_yuan" and fmt.id == "2019":
                label, header_unit = st.procurement_header, st.procurement_unit
            heads.append(_label(label, st, rng, f.variants))
        head_row = [_Cell(_label("信息内容", st, rng), "head")]
        if n == 3:
            head_row += [_Cell(h, "head") for h in heads]
        elif n == 1:
            head_row.append(_Cell(heads[0], "head", colspan=3))
        elif st.split_two_fields:
            head_row += [_Cell(heads[0], "head"), _Cell(heads[1], "head"), _Cell("", "empty")]
        else:
            head_row += [_Cell(heads[0], "head"), _Cell(heads[1], "head", colspan=2)]
        rows.append(head_row)
        for row in block.rows:
            values = tables["active"][row.key]
            specs = [("delta" if f.kind == "delta" else f.kind, values[f.key]) for f in block.fields]
            # An empty cell can be placed without an identity only in the middle of
            # three values or as the only value of its row.
            blank_ok = [f"active.{row.key}" not in st.keep and (n == 1 or (n == 3 and i == 1)) for i in range(n)]
            texts = _value_row(specs, st, rng, blank_ok, header_unit)
            cells = [_Cell(_label(row.label, st, rng, row.variants), "label")]
            if n == 3:
                cells += [_Cell(t, "value") for t in texts]
            elif n == 1:
                cells.append(_Cell(texts[0], "value", colspan=3))
            elif st.split_two_fields:
                cells += [_Cell(texts[0], "value"), _Cell(texts[1], "value"), _Cell("", "empty")]
            else:
                cells += [_Cell(texts[0], "value"), _Cell(texts[1], "value", colspan=2)]
            rows.append(cells)
    return _Table(rows, 4)


def _requests_table(tables: dict, fmt: Format, st: _Style, rng: random.Random) -> _Table:
    grid = fmt.requests
    columns = {c.key: c for c in grid.columns}
    rows: list[list[_Cell]] = [
        [
            _Cell(_label(BALANCE_NOTE, st, rng), "head", rowspan=3, colspan=3),
            _Cell(_label("申请人情况", st, rng), "head", colspan=7),
        ],
        [
            _Cell(_label("自然人", st, rng), "head", rowspan=2),
            _Cell(_label("法人或其他组织", st, rng), "head", colspan=5),
            _Cell(_label("总计", st, rng), "head", rowspan=2),
        ],
        [_Cell(_label(columns[k].label, st, rng), "head") for k in REQUEST_COLUMNS[1:6]],
    ]
    outcome_span = sum(1 for r in grid.rows if r.outcome or r.key == "total")
    group_spans: dict[str, int] = {}
    for r in grid.rows:
        if r.group and r.group != "三、本年度办理结果":
            group_spans[r.group] = group_spans.get(r.group, 0) + 1
    seen_groups: set[str] = set()
    first_outcome = True
    for r in grid.rows:
        cells: list[_Cell] = []
        if r.outcome or r.key == "total":
            if first_outcome:
                cells.append(_Cell(_label("三、本年度办理结果", st, rng), "label", rowspan=outcome_span))
                first_outcome = False
            if r.group and r.group != "三、本年度办理结果":
                if r.group not in seen_groups:
                    seen_groups.add(r.group)
                    cells.append(_Cell(_label(r.group, st, rng), "label", rowspan=group_spans[r.group]))
                cells.append(_Cell(_label(r.label, st, rng, r.variants), "label"))
            else:
                cells.append(_Cell(_label(r.label, st, rng, r.variants), "label", colspan=2))
        else:
            cells.append(_Cell(_label(r.label, st, rng, r.variants), "label", colspan=3))
        values = tables["requests"][r.key]
        texts = _value_row([("count", v) for v in values], st, rng, [f"requests.{r.key}" not in st.keep] * 7)
        cells += [_Cell(t, "value") for t in texts]
        rows.append(cells)
    return _Table(rows, 10)


def _review_table(tables: dict, st: _Style, rng: random.Random) -> _Table:
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [
        [_Cell(_label("行政复议", st, rng), "head", colspan=5), _Cell(_label("行政诉讼", st, rng), "head", colspan=10)],
        [_Cell(_label(h, st, rng), "head", rowspan=2) for h in heads]
        + [
            _Cell(_label("未经复议直接起诉", st, rng), "head", colspan=5),
            _Cell(_label("复议后起诉", st, rng), "head", colspan=5),
        ],
        [_Cell(_label(h, st, rng), "head") for h in heads * 2],
    ]
    values = [v for key in REVIEW_ROWS for v in tables["review_litigation"][key]]
    blank_ok = not any(k.startswith("review_litigation") for k in st.keep)  # one printed row holds all three
    texts = _value_row([("count", v) for v in values], st, rng, [blank_ok] * 15)
    rows.append([_Cell(t, "value") for t in texts])
    return _Table(rows, 15)


def _slots(table: _Table) -> list[list[tuple[str, _Cell]]]:
    """The grid of a table: per row and column, ('cell'|'col'|'row', cell)."""
    covered: dict[tuple[int, int], _Cell] = {}
    grid = []
    for r, row in enumerate(table.rows):
        slots: list[tuple[str, _Cell] | None] = [None] * table.ncols
        for c in range(table.ncols):
            if (r, c) in covered:
                slots[c] = ("row", covered[(r, c)])
        c = 0
        for cell in row:
            while slots[c] is not None:
                c += 1
            slots[c] = ("cell", cell)
            for dc in range(cell.colspan):
                if dc:
                    slots[c + dc] = ("col", cell)
                for dr in range(1, cell.rowspan):
                    covered[(r + dr, c + dc)] = cell
            c += cell.colspan
        assert all(s is not None for s in slots), f"row {r} does not fill {table.ncols} columns"
        grid.append(slots)  # type: ignore[arg-type]
    return grid


# ---------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------
def _one_line(text: str) -> str:
    return text.replace("\n", "")


def _render_cell_per_line(table: _Table, st: _Style, rng: random.Random) -> list[str]:
    lines: list[str] = []
    for i, row in enumerate(table.rows):
        pad = rng.choice(("|", "||", "||", "|||", "|||||")) if i < len(table.rows) - 1 or rng.random() < 0.5 else ""
        if st.cpl_variant == "a":  # seeds/000: a '|' line after every cell
            for cell in row:
                lines += cell.text.split("\n")
                lines.append("|")
        else:  # seeds/001: a '|' line, then "cell |" lines
            lines.append("|")
            for cell in row:
                parts = cell.text.split("\n")
                parts[-1] = f"{parts[-1]} |"
                lines += parts
        if pad:
            lines.append(pad)
    return lines


def _render_inline(table: _Table, st: _Style, rng: random.Random) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        out = ""
        for j, cell in enumerate(row):
            if j:
                # A row wrapped onto the next line after a cell separator.
                out += "\n" if rng.random() < st.wrap_p else " "
            if cell.kind == "value" and cell.text == "" and rng.random() < 0.5:
                # seeds/004: an empty cell written as a line break, "... | 0 |\n| 1 | ||".
                out = out.rstrip(" ") + "\n|"
                continue
            out += f"{cell.text} |" if cell.text else " |"
        out += rng.choice(("", "", " ||", "||", " |||"))
        lines.append(out)
    return lines


def _render_tabs(table: _Table, st: _Style, rng: random.Random) -> list[str]:
    keep_colspan = rng.random() < 0.7
    lines = []
    for slots in _slots(table):
        parts: list[str] = []
        for kind, cell in slots:
            if kind == "cell":
                parts.append(_one_line(cell.text))
            elif kind == "col":
                if keep_colspan or cell.kind == "value":
                    parts.append("")
            else:  # covered by a label above: drifts
                r = rng.random()
                if r < 0.55:
                    parts.append("")
                elif r < 0.65 and cell.kind == "label":
                    parts.append(_one_line(cell.text))
        if rng.random() < 0.08:
            parts.insert(0, "")
        parts += [""] * rng.choice((0, 0, 1, 2))
        lines.append("\t".join(parts))
    return lines


def _render_markdown(table: _Table, st: _Style, rng: random.Random) -> list[str]:
    lines = []
    for i, slots in enumerate(_slots(table)):
        texts = [_one_line(cell.text) if kind == "cell" else "" for kind, cell in slots]
        lines.append("| " + " | ".join(texts) + " |")
        if i == 0:
            lines.append("|" + "|".join(rng.choice(("---", ":---:", "----")) for _ in slots) + "|")
    return lines


def _html_text(text: str, rng: random.Random) -> str:
    """A cell's text as HTML: a line break becomes <br> or, as in Word exports, a raw newline."""
    return rng.choice(("<br>", "<br/>", "\n")).join(html.escape(part, quote=False) for part in text.split("\n"))


def _render_html_table(table: _Table, st: _Style, rng: random.Random) -> list[str]:
    wrap_p = rng.random() < 0.5  # Word-exported pages wrap every cell in <p><span>
    out = ['<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:100%">', "<tbody>"]
    for row in table.rows:
        out.append("<tr>")
        for cell in row:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            if cell.text:
                body = _html_text(cell.text, rng)
                if cell.kind == "value" and st.noise and rng.random() < 0.05:
                    body = f"&nbsp;{body}&nbsp;"
            else:
                body = "&nbsp;" if cell.kind != "value" or rng.random() < 0.5 else ""
            if wrap_p:
                body = f'<p style="text-align:center"><span style="font-size:14px">{body}</span></p>'
            out.append(f'<td{attrs} valign="middle">{body}</td>')
        out.append("</tr>")
    out += ["</tbody>", "</table>"]
    return out


_TEXT_RENDERERS = {
    "cell_per_line": _render_cell_per_line,
    "inline_pipes": _render_inline,
    "tabs": _render_tabs,
    "markdown": _render_markdown,
}


# ---------------------------------------------------------------------------
# Prose
# ---------------------------------------------------------------------------
_PLACES = (
    "石家庄市",
    "濮阳市",
    "呼伦贝尔市",
    "秦皇岛市",
    "岳阳市",
    "三明市",
    "宁国市",
    "大同市",
    "龙岗区",
    "历下区",
    "曲阳县",
    "雄县",
)
_UNITS = (
    "人民政府",
    "人民政府",
    "人民政府办公室",
    "生态环境局",
    "自然资源和规划局",
    "人力资源和社会保障局",
    "交通运输局",
    "市场监督管理局",
    "曲阳街道办事处",
    "南湖镇人民政府",
)


def _heading(number: str, rng: random.Random, st: _Style) -> str:
    section = next(s for s in SECTIONS if s.number == number)
    label = section.label
    if st.noise and section.variants and rng.random() < 0.25:
        label = rng.choice(section.variants)
    if st.noise and rng.random() < st.trad:
        label = label.translate(_TRAD)
    return f"{number}、{label}"


def _prose(tables: dict, org: str, year: int, rng: random.Random) -> dict[str, list[str]]:
    req = tables["requests"]
    received = req["new_received"][6]
    over = req["carried_over"][6]
    done = req["total"][6]
    forward = req["carried_forward"][6]
    review = tables["review_litigation"]["review"][4]
    litigation = (
        tables["review_litigation"]["litigation_direct"][4] + tables["review_litigation"]["litigation_after_review"][4]
    )
    disclosed = rng.randint(50, 120_000)
    intro = [
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，由{org}编制。"
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        f"如对本报告有疑问，请与{org}政务公开办公室联系"
        f"（电话：0{rng.randint(310, 999)}-{rng.randint(2000000, 8999999)}）。"
    ]
    overview = [
        f"{year}年，{org}坚持以人民为中心的发展思想，认真贯彻落实《条例》和上级关于政务公开工作的部署要求，"
        "围绕中心工作，不断加大政府信息公开力度，提升政务公开质量和实效。",
        "（一）主动公开情况",
        f"全年主动公开政府信息{disclosed}条，及时公开政策文件、规划计划、财政预决算、重大建设项目等重点领域信息。",
        "（二）依申请公开情况",
    ]
    if received == 0 and over == 0:
        overview.append("本年度未收到政府信息公开申请，无上年结转申请。")
    else:
        sentence = f"全年共收到政府信息公开申请{received}件"
        if over:
            sentence += f"，上年结转申请{over}件"
        sentence += f"，已办结{done}件"
        if forward:
            sentence += f"，{forward}件结转下年度继续办理"
        overview.append(sentence + "，均在法定期限内予以答复。")
    if review or litigation:
        overview.append(f"因政府信息公开工作被申请行政复议{review}件，被提起行政诉讼{litigation}件。")
    overview += [
        "（三）政府信息管理",
        "健全政府信息公开审查机制，严格落实“先审查、后公开”和“一事一审”制度，动态更新政府信息公开指南和目录。",
        "（四）平台建设",
        "持续优化政府门户网站政府信息公开专栏，规范政务新媒体管理，发挥政务公开专区作用。",
        "（五）监督保障",
        f"将政务公开工作纳入年度绩效考核，组织开展业务培训{rng.randint(1, 30)}次。"
        "本年度未发生政府信息公开工作责任追究情况。",
    ]
    problems = [
        "一是主动公开的深度和广度有待进一步拓展；二是政策解读形式还不够丰富；三是工作人员业务能力有待提升。",
        "下一步，我们将进一步完善工作机制，加强业务培训，推动政府信息公开工作提质增效。",
    ]
    other = rng.choice(
        (
            [
                "按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）规定的按件、按量收费标准，本年度未产生信息公开处理费。"
            ],
            ["无其他需要报告的事项。"],
            ["本年度未收取信息处理费。认真落实年度政务公开工作要点，人大代表建议和政协提案办理结果已按要求公开。"],
        )
    )
    return {"intro": intro, "overview": overview, "problems": problems, "other": other}


# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------
def _title(tables: dict, rng: random.Random) -> tuple[str, str, int]:
    place, unit = rng.choice(_PLACES), rng.choice(_UNITS)
    org = place + unit
    years = (2021, 2022, 2023, 2024) if tables["format"] == "2021" else (2019, 2020, 2020)
    year = rng.choice(years)
    title = f"{org}{year}年{rng.choice(('', '度'))}政府信息公开工作年度报告"
    return title, org, year


def _tables(tables: dict, st: _Style, rng: random.Random) -> tuple[_Table, _Table, _Table]:
    fmt = FORMATS[tables["format"]]
    return (
        _active_table(tables, fmt, st, rng),
        _requests_table(tables, fmt, st, rng),
        _review_table(tables, st, rng),
    )


def _render_text(tables: dict, layout: str, rng: random.Random, st: _Style) -> str:
    title, org, year = _title(tables, rng)
    prose = _prose(tables, org, year, rng)
    active, requests, review = _tables(tables, st, rng)
    render_table = _TEXT_RENDERERS[layout]
    md = layout == "markdown"
    headings = md and st.markdown_headings

    def heading(number: str) -> str:
        text = _heading(number, rng, st)
        return f"## {text}" if headings else text

    gap = [""] if md or rng.random() < 0.4 else []
    lines = [f"# {title}" if headings else title, *gap, *prose["intro"], *gap]
    lines += [heading("一"), *prose["overview"], *gap]
    lines += [heading("二"), *gap, *render_table(active, st, rng), *gap]
    lines += [heading("三"), *gap, *render_table(requests, st, rng), *gap]
    lines += [heading("四"), *gap, *render_table(review, st, rng), *gap]
    lines += [heading("五"), *prose["problems"], *gap]
    lines += [heading("六"), *prose["other"]]
    if st.noise and rng.random() < 0.3:
        lines += ["", f"主办：{org}  联系我们  网站地图", "网站标识码：1301000001  冀ICP备05003314号"]
    return "\n".join(lines) + "\n"


def _render_html(tables: dict, rng: random.Random, st: _Style) -> str:
    title, org, year = _title(tables, rng)
    prose = _prose(tables, org, year, rng)
    active, requests, review = _tables(tables, st, rng)

    def para(text: str) -> str:
        return f'<p style="text-indent:2em;line-height:1.8">{html.escape(text, quote=False)}</p>'

    def heading(number: str) -> str:
        text = html.escape(_heading(number, rng, st), quote=False)
        return rng.choice((f"<p><strong>{text}</strong></p>", f"<h3>{text}</h3>"))

    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{html.escape(title)}_{html.escape(org)}</title>",
        "<style>body{font-family:SimSun} td{border:1px solid #000;padding:4px}</style>",
        '<script>var _hmt = _hmt || []; if (a < b && c > d) { console.log("统计"); }</script>',
        "</head>",
        "<body>",
        '<div class="header"><div class="nav">首页 &gt; 政务公开 &gt; 政府信息公开年报</div></div>',
        '<div class="article">',
        f'<h1 class="title">{html.escape(title)}</h1>',
        f'<div class="info">发布日期：{year + 1}-01-{rng.randint(10, 31)}　来源：{html.escape(org)}'
        "　字号：[大 中 小]</div>",
        '<div class="content">',
        *map(para, prose["intro"]),
        heading("一"),
        *map(para, prose["overview"]),
        heading("二"),
        *_render_html_table(active, st, rng),
        heading("三"),
        *_render_html_table(requests, st, rng),
        heading("四"),
        *_render_html_table(review, st, rng),
        heading("五"),
        *map(para, prose["problems"]),
        heading("六"),
        *map(para, prose["other"]),
        "</div>",
        "</div>",
        f'<div class="footer"><p>主办：{html.escape(org)} 承办：{html.escape(org)}办公室</p>'
        "<p>联系我们 | 网站地图 | 隐私声明</p><p>网站标识码：1301000001 冀ICP备05003314号</p></div>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def render(
    tables: dict, layout: str, rng: random.Random, *, noise: bool = True, keep_rows: Collection[str] = ()
) -> str:
    """A complete report document holding `tables`, written in `layout` (one of LAYOUTS).

    `keep_rows` lists rows (`requests.<row>`, `review_litigation.<row>`, `active.<row>`)
    whose zeros are never written as empty cells.  The parser places an empty cell
    with the row's identity; a test that deliberately breaks a row's identity
    (see `perturb`) keeps that row free of empty cells so that its document stays
    unambiguous.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {', '.join(LAYOUTS)}")
    st = _style(rng, layout, noise)
    st.keep = frozenset(keep_rows)
    if layout == "html":
        return _render_html(tables, rng, st)
    return _render_text(tables, layout, rng, st)


def make_report(seed: int, format_id: str | None = None, layout: str | None = None) -> tuple[str, dict]:
    """(document text, ground truth) for a seed; format and layout drawn when not given."""
    rng = random.Random(seed)
    format_id = format_id or rng.choice(FORMAT_IDS)
    layout = layout or rng.choice(LAYOUTS)
    tables = random_tables(rng, format_id)
    return render(tables, layout, rng), tables


# ---------------------------------------------------------------------------
# Corpora on disk
# ---------------------------------------------------------------------------
_SUFFIX = {"html": ".html"}


def write_corpus(
    directory: Path,
    count: int,
    *,
    seed: int = 0,
    layouts: Collection[str] = LAYOUTS + FILE_LAYOUTS,
    formats: Collection[str] = FORMAT_IDS,
) -> list[Path]:
    """Write `count` reports and, beside each, `<name>.expected.json` with its ground truth.

    The expected files use the public `gongkai.report/v1` shape, so `gongkai eval`
    (or anyone's own parser) can be scored against them.
    """
    directory.mkdir(parents=True, exist_ok=True)
    layouts, formats = tuple(layouts), tuple(formats)
    written = []
    for i in range(count):
        rng = random.Random(seed * 1_000_003 + i)
        format_id, layout = formats[i % len(formats)], layouts[(i // len(formats)) % len(layouts)]
        tables = random_tables(rng, format_id)
        if layout in FILE_LAYOUTS:
            from gongkai.proving import synth_files  # office and PDF writers: loaded only when asked for

            path = directory / f"synth-{seed}-{i:05d}-{format_id}-{layout}{synth_files.SUFFIXES[layout]}"
            path.write_bytes(synth_files.build(layout, tables, rng))
        else:
            path = directory / f"synth-{seed}-{i:05d}-{format_id}-{layout}{_SUFFIX.get(layout, '.txt')}"
            path.write_text(render(tables, layout, rng), encoding="utf-8")
        expected = {"schema": "gongkai.report/v1", "source": path.name, **tables, "findings": []}
        path.with_name(path.stem + ".expected.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        written.append(path)
    return written
