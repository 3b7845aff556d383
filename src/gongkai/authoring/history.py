"""What changed between two versions of a draft (gongkai.draft/v1 JSON): every cell, section text, fee, date
and acknowledgement, each with its Chinese label and the value before and after."""

from __future__ import annotations

from typing import Any

from gongkai.authoring.draft import REQUEST_COLUMN_KEYS, REVIEW_COLUMN_KEYS, AnnualReportDraft
from gongkai.spec import SECTIONS

_SECTION_LABELS = {s.key: f"{s.number}、{s.label}" for s in SECTIONS}
_FIELD_LABELS = {
    "processing_fee_yuan": "信息处理费（元）",
    "published": "计划发布日期",
    "agency": "机关名称",
    "year": "年度",
    "level": "层级",
    "is_department": "是否政府部门",
    "format": "格式",
}


def _flatten(doc: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in _FIELD_LABELS:
        out[key] = doc.get(key)
    for row, values in (doc.get("active") or {}).items():
        for column, value in (values or {}).items():
            out[f"active.{row}.{column}"] = value
    for table, keys in (("requests", REQUEST_COLUMN_KEYS), ("review_litigation", REVIEW_COLUMN_KEYS)):
        for row, values in (doc.get(table) or {}).items():
            for column, value in zip(keys, values or [None] * len(keys), strict=False):
                out[f"{table}.{row}.{column}"] = value
    for group in ("texts", "previous_texts", "acknowledgements", "previous_in_force"):
        for key, value in (doc.get(group) or {}).items():
            out[f"{group}.{key}"] = value
    return out


def _labels(doc: dict) -> dict[str, str]:
    labels = dict(_FIELD_LABELS)
    try:
        report = AnnualReportDraft.from_json(doc).to_report()
    except ValueError:
        report = None
    if report is not None:
        labels.update({path: cell.label for path, cell in report.cells.items()})
    for key, label in _SECTION_LABELS.items():
        labels[f"texts.{key}"] = f"正文 {label}"
        labels[f"previous_texts.{key}"] = f"上年度正文 {label}"
    return labels


def _label(path: str, labels: dict[str, str]) -> str:
    if path in labels:
        return labels[path]
    group, _, key = path.partition(".")
    if group == "acknowledgements":
        return f"确认警告 {key} 的原因"
    if group == "previous_in_force":
        return f"上年度现行有效件数 {key}"
    return path


def changes(before: dict | None, after: dict) -> list[dict]:
    """[{"path", "label", "before", "after"}] for every value that differs (None before: a new draft)."""
    old = _flatten(before or {})
    new = _flatten(after)
    labels = _labels(after)
    out = []
    for path in list(new) + [p for p in old if p not in new]:
        a, b = old.get(path), new.get(path)
        if a in ("", None) and b in ("", None):
            continue
        if a != b:
            out.append({"path": path, "label": _label(path, labels), "before": a, "after": b})
    return out
