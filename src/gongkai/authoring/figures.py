"""表二's decisions and fees: entered, or imported from a simple spreadsheet, with units converted exactly.

A spreadsheet has a header row naming 事项 (the row: 行政许可, 行政处罚, 行政强制, 行政事业性收费…),
数值 (or 数量/金额) and, optionally, 单位 (件, 元, 万元, 亿元) and 栏目 (the column, needed only
where a block of the format has several, as in the 2019 format).  Amounts are converted to
万元 with Decimal arithmetic: 1,234,567.89 元 is 123.456789 万元, never a rounded float.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal, InvalidOperation

import openpyxl

from gongkai.authoring.draft import DraftError
from gongkai.reading.textnorm import label_key
from gongkai.spec import FORMATS, Axis

TO_WAN_YUAN = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}
_NUMBER = re.compile(r"^\s*(?P<num>[+-]?\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>亿元|万元|元|件|项|个)?\s*$")
_HEADERS = {
    "item": ("事项", "项目", "信息内容", "类别"),
    "field": ("栏目", "指标"),
    "value": ("数值", "数量", "金额", "件数", "本年数"),
    "unit": ("单位",),
}


def amount_in_wan_yuan(value, unit: str | None = None) -> Decimal:
    """An amount as 万元, exactly.  `value` is a number or text that may carry its unit ("1,200元")."""
    number, printed_unit = _split(value)
    unit = (unit or "").strip() or printed_unit or "万元"
    if printed_unit and unit != printed_unit:
        raise DraftError(f"“{value}”自带单位{printed_unit}，与单位栏“{unit}”不一致")
    if unit not in TO_WAN_YUAN:
        raise DraftError(f"金额单位“{unit}”应为元、万元或亿元")
    return (number * TO_WAN_YUAN[unit]).normalize() if number else Decimal(0)


def count(value) -> int:
    number, unit = _split(value)
    if unit in TO_WAN_YUAN:
        raise DraftError(f"“{value}”是金额，此处应为件数")
    if number != number.to_integral_value() or number < 0:
        raise DraftError(f"件数“{value}”应为非负整数")
    return int(number)


def _split(value) -> tuple[Decimal, str | None]:
    if isinstance(value, bool):
        raise DraftError(f"“{value}”不是数字")
    if isinstance(value, int | Decimal):
        return Decimal(value), None
    if isinstance(value, float):
        return Decimal(str(value)), None  # Excel's number as displayed (repr is the shortest exact text)
    m = _NUMBER.match(str(value or "").translate(str.maketrans("０１２３４５６７８９．", "0123456789.")))
    if not m:
        raise DraftError(f"“{value}”不是数字")
    try:
        return Decimal(m["num"].replace(",", "").replace("，", "")), m["unit"]
    except InvalidOperation:
        raise DraftError(f"“{value}”不是数字") from None


def _find(axes: list[Axis], text: str) -> Axis | None:
    key = label_key(text)
    return next((a for a in axes if key in a.keys), None)


def import_active_figures(data: bytes, format_id: str) -> dict[str, dict[str, int | Decimal]]:
    """表二 values from a spreadsheet, in the report/v1 shape ({row: {field: value}})."""
    fmt = FORMATS[format_id]
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise DraftError("无法读取该 Excel 文件（应为 .xlsx）") from None
    sheet = workbook.worksheets[0]
    columns: dict[str, int] | None = None
    out: dict[str, dict[str, int | Decimal]] = {}
    errors = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = ["" if c is None else c for c in row]
        if columns is None:
            names = [re.sub(r"\s", "", str(c)) for c in cells]
            found = {k: next((i for i, n in enumerate(names) if n in words), -1) for k, words in _HEADERS.items()}
            if found["item"] >= 0 and found["value"] >= 0:
                columns = {k: i for k, i in found.items() if i >= 0}
            continue
        item = str(cells[columns["item"]]).strip() if columns["item"] < len(cells) else ""
        if not item:
            continue
        try:
            row_key, field, value = _entry(fmt, item, cells, columns)
        except DraftError as exc:
            errors.append(f"第{number}行：{exc}")
            continue
        out.setdefault(row_key, {})[field] = value
    if columns is None:
        raise DraftError("未找到表头：第一行应包含“事项”和“数值”两列（可另有“单位”“栏目”）")
    if errors:
        raise DraftError("导入失败：" + "；".join(errors[:10]))
    return out


def _entry(fmt, item: str, cells: list, columns: dict[str, int]) -> tuple[str, str, int | Decimal]:
    def cell(name: str):
        i = columns.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    for block in fmt.active:
        row = _find(list(block.rows), item)
        if row is None:
            continue
        field_text = str(cell("field") or "").strip()
        if field_text:
            field = _find(list(block.fields), field_text)
            if field is None:
                names = "、".join(f.label for f in block.fields)
                raise DraftError(f"“{item}”没有“{field_text}”这一栏（应为{names}）")
        elif len(block.fields) == 1:
            field = block.fields[0]
        else:
            names = "、".join(f.label for f in block.fields)
            raise DraftError(f"“{item}”有多个栏目（{names}），请在“栏目”列注明")
        unit = str(cell("unit") or "").strip() or None
        if field.kind == "money":
            return row.key, field.key, amount_in_wan_yuan(cell("value"), unit)
        if unit in TO_WAN_YUAN:
            raise DraftError(f"“{item}”应为件数，单位却是{unit}")
        if field.kind == "delta":
            number, _ = _split(cell("value"))
            if number != number.to_integral_value():
                raise DraftError(f"“{item}”的增减数应为整数")
            return row.key, field.key, int(number)
        return row.key, field.key, count(cell("value"))
    raise DraftError(f"“{item}”不是{fmt.name}表二中的事项")
