"""Refuse impossible requests and cases: each problem has a stable code and a Chinese message."""

from __future__ import annotations

from gongkai.ledger.calendar import CalendarMissing, WorkCalendar
from gongkai.ledger.clock import PERIODS, compute_deadline, correction_deadline, request_pauses
from gongkai.ledger.fees import fee_by_volume
from gongkai.ledger.model import (
    APPLICANT_TYPES,
    CASE_KINDS,
    CASE_OUTCOMES,
    CHANNELS,
    CLOSING_EVENTS,
    EVENT_KINDS,
    EVENT_LABELS,
    FEE_METHODS,
    FIXED_OUTCOMES,
    OUTCOME_LABELS,
    OUTCOMES,
    PARTIES,
    Case,
    Problem,
    Request,
)


def _label(kind: str) -> str:
    return EVENT_LABELS.get(kind, kind)


def validate(request: Request, calendar: WorkCalendar) -> list[Problem]:
    """Every problem of one request; an empty list means it is consistent."""
    out: list[Problem] = []

    def add(code: str, message: str, index: int | None = None) -> None:
        out.append(Problem(code, message, index))

    if not request.id.strip():
        add("id_missing", "缺少编号")
    if request.channel not in CHANNELS:
        add("channel_unknown", f"收到方式“{request.channel}”不是规定的方式（当面提交、邮寄、平常信函、互联网、传真）")
    if request.applicant_type not in APPLICANT_TYPES:
        add("applicant_type_unknown", f"申请人类型“{request.applicant_type}”不是表三的六类申请人之一")
    if request.fee_method is not None and request.fee_method not in FEE_METHODS:
        add("fee_method_unknown", f"收费方式“{request.fee_method}”只能是按件计收或按量计收")

    events = request.events
    closing_index = next((i for i, e in enumerate(events) if e.kind in CLOSING_EVENTS), None)
    for i, e in enumerate(events):
        name = _label(e.kind)
        if e.kind not in EVENT_KINDS:
            add("event_unknown", f"第{i + 1}个事项“{e.kind}”不是台账规定的事项", i)
            continue
        if e.on < request.received:
            add("before_receipt", f"{name}（{e.on}）早于收到申请之日（{request.received}）", i)
        if i and e.on < events[i - 1].on:
            add(
                "events_unordered",
                f"{name}（{e.on}）早于前一事项“{_label(events[i - 1].kind)}”（{events[i - 1].on}）",
                i,
            )
        if closing_index is not None and i > closing_index:
            add("after_closing", f"申请已于 {events[closing_index].on} 办结，其后不应再有“{name}”", i)
        if e.kind in CLOSING_EVENTS and e.kind not in FIXED_OUTCOMES and e.outcome not in OUTCOMES:
            add("outcome_unknown", f"{name}须写明办理结果（表三（一）至（六）的某一项），现为“{e.outcome or '空'}”", i)
        if e.kind in ("consult_sent", "consult_answered") and e.party not in PARTIES:
            add("party_unknown", f"{name}须写明征求对象（第三方或其他机关）", i)
        if e.kind == "reply_on_the_spot" and e.on != request.received:
            add("on_the_spot_date", f"当场答复的日期（{e.on}）应与收到申请之日（{request.received}）相同", i)

    kinds = [e.kind for e in events]
    outcome = request.outcome
    if kinds.count("correction_requested") > 1:
        add("correction_twice", "补正应一次性告知（条例第三十条），台账中有多次补正告知")
    corr_req = next((e for e in events if e.kind == "correction_requested"), None)
    corr_got = next((e for e in events if e.kind == "correction_received"), None)
    if corr_got is not None and (corr_req is None or corr_got.on < corr_req.on):
        add("correction_unrequested", "收到补正之前没有补正告知")
    if outcome == "other_overdue_correction" and (corr_req is None or corr_got is not None):
        add("outcome_inconsistent", "办理结果为“逾期不补正”，但台账中没有未获补正的补正告知")
    if outcome == "unavailable_unclear_after_correction" and corr_got is None:
        add("outcome_inconsistent", "办理结果为“补正后申请内容仍不明确”，但台账中没有收到补正")
    if corr_req is not None and corr_got is None and outcome not in (None, "other_overdue_correction", "other_other"):
        add(
            "outcome_inconsistent",
            f"补正告知后未收到补正，办理结果应为“逾期不补正”或“其他”，现为“{OUTCOME_LABELS.get(outcome, outcome)}”",
        )

    for party in PARTIES:
        sent = [e for e in events if e.kind == "consult_sent" and e.party == party]
        answered = [e for e in events if e.kind == "consult_answered" and e.party == party]
        if len(answered) > len(sent):
            add("consult_unasked", "收到意见的次数多于征求意见的次数")

    if kinds.count("extension") > 1:
        add("extension_twice", "答复期限只能延长一次，最长20个工作日（条例第三十三条第二款）")

    fee_notices = [e for e in events if e.kind == "fee_notice"]
    paid = [e for e in events if e.kind == "fee_paid"]
    if paid and not fee_notices:
        add("fee_unnoticed", "有缴费记录但没有收费通知")
    if fee_notices and request.fee_method is None:
        add("fee_method_missing", "发出收费通知须写明收费方式（按件计收或按量计收）")
    if request.fee_method == "piece" and any(e.pages for e in fee_notices):
        add("two_fee_methods", "同一申请不得同时按件和按量计收信息处理费（国办函〔2020〕109号第三条）")
    if len(fee_notices) > 1:
        add("two_fee_notices", "同一申请只能发出一次收费通知，不得重复计收")
    for e in fee_notices:
        if request.fee_method == "volume" and e.pages is not None and e.amount is not None:
            expected = fee_by_volume(e.pages).amount
            if e.amount != expected:
                add("fee_amount", f"按量计收{e.pages}页应收{expected}元，收费通知为{e.amount}元")
    if outcome == "other_overdue_fee" and (not fee_notices or paid):
        add("outcome_inconsistent", "办理结果为“逾期未缴费”，但台账中没有未缴费的收费通知")

    try:
        calendar.require(request.received)
        if corr_req is not None and corr_req.on > correction_deadline(request, calendar):
            add(
                "correction_late",
                f"补正告知（{corr_req.on}）超过收到申请之日起{PERIODS['correction_notice']}个工作日"
                f"（应不晚于 {correction_deadline(request, calendar)}，条例第三十条）",
            )
        if fee_notices and outcome == "other_overdue_fee" and not paid:
            cap = calendar.add_workdays(fee_notices[0].on, PERIODS["payment"])
            closed = request.closed
            if closed is not None and closed <= cap:
                add("fee_closed_early", f"缴费期限至 {cap} 才届满，不能在 {closed} 按“逾期未缴费”办结")
        ext = next((e for e in events if e.kind == "extension"), None)
        if ext is not None and (corr_req is None or corr_got is not None):
            corrected = corr_got.on if corr_got else None
            first = compute_deadline(
                request.received, calendar, pauses=request_pauses(request, calendar), corrected=corrected
            ).first_due
            if ext.on > first:
                add(
                    "extension_after_deadline",
                    f"延期决定（{ext.on}）晚于原答复期限（{first}），延期只能在期限届满前作出",
                )
    except CalendarMissing as exc:
        add("calendar_missing", exc.message_zh)
    return out


def validate_case(case: Case) -> list[Problem]:
    out: list[Problem] = []
    if case.kind not in CASE_KINDS:
        out.append(Problem("case_kind_unknown", f"案件类型“{case.kind}”只能是行政复议、直接起诉或复议后起诉"))
    if case.outcome not in CASE_OUTCOMES:
        out.append(Problem("case_outcome_unknown", f"案件结果“{case.outcome}”只能是维持、纠正、其他或尚未审结"))
    if case.closed is not None and case.closed < case.filed:
        out.append(Problem("case_closed_before_filed", f"审结日期（{case.closed}）早于收到日期（{case.filed}）"))
    if case.outcome in CASE_OUTCOMES and case.outcome != "pending" and case.closed is None:
        out.append(Problem("case_closed_missing", "已有结果的案件须填写审结日期"))
    if case.outcome == "pending" and case.closed is not None:
        out.append(Problem("case_pending_closed", "尚未审结的案件不应有审结日期"))
    return out


__all__ = ["validate", "validate_case"]
