"""Shared pieces of the browser test: the system Chromium and its flags, form values, a register file."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from gongkai.authoring.draft import REQUEST_COLUMN_KEYS, REVIEW_COLUMN_KEYS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# A closed network and a root user: no sandbox, no background traffic.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def form_values(tables: dict, layouts: dict) -> dict[str, str]:
    """Every value cell of the layouts → the text to type, from report/v1-shaped tables."""
    out = {}
    for layout in layouts.values():
        for path in layout.value_paths():
            name, row, column = path.split(".")
            if name == "active":
                value = tables["active"][row][column]
            else:
                keys = REQUEST_COLUMN_KEYS if name == "requests" else REVIEW_COLUMN_KEYS
                value = tables[name][row][keys.index(column)]
            out[path] = "" if value is None else str(value)
    return out


def register_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    for row in (
        ["标题", "文号", "类别", "制发日期", "废止日期"],
        ["正定县停车管理办法", "正政规〔2023〕1号", "行政规范性文件", "2023-03-01", None],
        ["旧办法", "正政规〔2019〕2号", "行政规范性文件", "2019-01-01", "2023-06-30"],
        ["另一办法", "正政规〔2020〕3号", "行政规范性文件", "2020-05-01", None],
    ):
        workbook.active.append(row)
    workbook.save(path)
    return path
