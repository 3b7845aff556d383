"""Export the ledger to XLSX in the canonical import layout (so an export imports back).

Personal data (applicant name, contact, ID number) is masked unless `mask=False`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from gongkai.ledger.model import (
    APPLICANT_LABELS,
    CASE_KIND_LABELS,
    CASE_OUTCOME_LABELS,
    CHANNEL_LABELS,
    EVENT_LABELS,
    FEE_METHOD_LABELS,
    OUTCOME_LABELS,
    PARTY_LABELS,
    Case,
    Request,
)

CASE_SHEET = "复议诉讼"
REQUEST_SHEET = "申请"
# Every event of every request, one row each: the 申请 sheet has one column per kind of event, so a request with two
# consultations or two fee notices shows only its last there.  This sheet is for reading; imports skip it.
EVENT_SHEET = "办理过程"
EVENT_COLUMNS = ("编号", "事项", "日期", "对象", "办理结果", "页数", "收费金额", "备注")


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***; organisations (long names) keep their first and last two characters."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) >= 8:
        return name[:2] + "*" * (len(name) - 4) + name[-2:]
    return name[0] + "*" * (len(name) - 1)


def mask_digits(text: str, keep_head: int, keep_tail: int) -> str:
    text = text.strip()
    if len(text) <= keep_head + keep_tail:
        return "*" * len(text)
    return text[:keep_head] + "*" * (len(text) - keep_head - keep_tail) + text[-keep_tail:]


def _request_row(r: Request, mask: bool) -> dict[str, object]:
    applicant_label = APPLICANT_LABELS[r.applicant_type]
    if r.applicant_type == "other_org":
        applicant_label = "其他组织"
    row: dict[str, object] = {
        "编号": r.id,
        "机关": r.agency,
        "收到日期": r.received,
        "收到方式": CHANNEL_LABELS.get(r.channel, r.channel),
        "申请人类型": applicant_label,
        "申请人": mask_name(r.applicant_name) if mask else r.applicant_name,
        "联系方式": mask_digits(r.contact, 3, 4) if mask else r.contact,
        "证件号码": mask_digits(r.id_number, 4, 4) if mask else r.id_number,
        "申请内容": r.content,
        "收费方式": FEE_METHOD_LABELS.get(r.fee_method, "") if r.fee_method else "",
    }
    notes = []
    for e in r.events:
        if e.note:
            notes.append(e.note)
        if e.kind == "correction_requested":
            row["补正告知日期"] = e.on
        elif e.kind == "correction_received":
            row["收到补正日期"] = e.on
        elif e.kind == "consult_sent":
            row["征求意见日期"] = e.on
            row["征求意见对象"] = PARTY_LABELS.get(e.party or "", "")
        elif e.kind == "consult_answered":
            row["收到意见日期"] = e.on
        elif e.kind == "extension":
            row["延期日期"] = e.on
        elif e.kind == "fee_notice":
            row["收费通知日期"] = e.on
            if e.pages is not None:
                row["页数"] = e.pages
            if e.amount is not None:
                row["收费金额"] = float(e.amount)
        elif e.kind == "fee_paid":
            row["缴费日期"] = e.on
        elif e.kind in ("reply", "reply_on_the_spot"):
            row["答复日期"] = e.on
            row["办理结果"] = OUTCOME_LABELS.get(e.outcome or "", e.outcome or "")
            row["当场答复"] = "是" if e.kind == "reply_on_the_spot" else ""
        elif e.kind == "withdrawn":
            row["撤回日期"] = e.on
    row["备注"] = "；".join(notes)
    return row


def to_xlsx(requests: Iterable[Request], cases: Iterable[Case] = (), *, mask: bool = True) -> bytes:
    """The ledger as an XLSX workbook: sheet 申请 (canonical columns) and sheet 复议诉讼."""
    import openpyxl

    from gongkai.ledger.importer import CANONICAL_COLUMNS, CASE_COLUMNS

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(REQUEST_SHEET)
    ws.append(list(CANONICAL_COLUMNS))
    events: list[list] = []
    for r in requests:
        row = _request_row(r, mask)
        ws.append([row.get(c, "") for c in CANONICAL_COLUMNS])
        for e in r.events:
            events.append(
                [
                    r.id,
                    EVENT_LABELS.get(e.kind, e.kind),
                    e.on,
                    PARTY_LABELS.get(e.party or "", ""),
                    OUTCOME_LABELS.get(e.outcome or "", ""),
                    "" if e.pages is None else e.pages,
                    "" if e.amount is None else float(e.amount),
                    e.note,
                ]
            )
    wc = wb.create_sheet(CASE_SHEET)
    wc.append(list(CASE_COLUMNS))
    for c in cases:
        values = {
            "编号": c.id,
            "机关": c.agency,
            "案件类型": CASE_KIND_LABELS[c.kind],
            "收到日期": c.filed,
            "结果": CASE_OUTCOME_LABELS[c.outcome],
            "审结日期": c.closed or "",
            "申请编号": c.request_id or "",
        }
        wc.append([values.get(name, "") for name in CASE_COLUMNS])
    if events:
        sheet = wb.create_sheet(EVENT_SHEET)
        sheet.append(list(EVENT_COLUMNS))
        for event in events:
            sheet.append(event)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


__all__ = ["EVENT_SHEET", "mask_digits", "mask_name", "to_xlsx"]
