"""The draft: format by year, checks of published reports, prose kept in step, readiness, JSON."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from gongkai.authoring.draft import AnnualReportDraft, DraftError, format_for_year, from_report_json, section_texts
from gongkai.parse import parse_file
from tests.authoring.helpers import make_draft
from tests.conftest import seed_path


@pytest.mark.parametrize(("year", "expected"), [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2030, "2021")])
def test_format_follows_the_year(year, expected):
    assert format_for_year(year) == expected
    assert AnnualReportDraft(agency="濮阳市人民政府", year=year).format_id == expected


def test_no_format_before_2019():
    with pytest.raises(DraftError, match="2019年起"):
        format_for_year(2018)


@pytest.mark.parametrize("format_id", ["2021", "2019"])
def test_consistent_draft_passes_every_check(format_id):
    for seed in range(15):
        draft, _ = make_draft(seed, format_id)
        report = draft.to_report()
        assert [f.rule for f in report.findings] == [], (seed, [f.message for f in report.findings])
        assert draft.readiness() == []


def test_broken_identity_is_an_error_naming_the_cell():
    draft, _ = make_draft(3, "2021")
    draft.set_value("requests.granted.natural_person", draft.value("requests.granted.natural_person") + 5)
    report = draft.to_report()
    rules = {f.rule for f in report.findings if f.severity == "error"}
    assert {"requests.outcomes_total", "requests.applicant_total"} <= rules
    named = {c for f in report.findings for c in f.cells}
    assert "requests.granted.natural_person" in named
    issues = draft.readiness(report)
    assert any(i.rule == "requests.outcomes_total" and not i.acknowledgeable for i in issues)
    draft.acknowledgements = {"requests.outcomes_total": "已核实"}  # errors cannot be acknowledged away
    assert any(i.rule == "requests.outcomes_total" for i in draft.readiness())


def test_blank_cell_is_missing():
    draft, _ = make_draft(4, "2021")
    draft.set_value("review_litigation.review.total", None)
    rules = {f.rule for f in draft.to_report().findings}
    assert "cells.missing" in rules


def test_prose_figure_kept_in_step_with_the_tables():
    draft, _ = make_draft(11, "2021")
    received = draft.value("requests.new_received.total")
    assert received, "seed with requests"
    assert f"本年度共收到政府信息公开申请{received}件" in draft.texts["overview"]
    assert draft.stale_figures() == []
    # The table changes (one more request received and answered) but the prose does not.
    for path in ("requests.new_received.natural_person", "requests.new_received.total"):
        draft.set_value(path, draft.value(path) + 1)
    for path in ("requests.granted.natural_person", "requests.granted.total"):
        draft.set_value(path, draft.value(path) + 1)
    for path in ("requests.total.natural_person", "requests.total.total"):
        draft.set_value(path, draft.value(path) + 1)
    assert [f.rule for f in draft.to_report().findings if f.severity == "error"] == []
    stale = draft.stale_figures()
    assert {f.found for f in stale} >= {received}
    blocking = draft.readiness()
    assert any(i.rule == "prose.table_mismatch" and not i.acknowledgeable for i in blocking)
    draft.acknowledgements["prose.table_mismatch"] = "以后再改"  # cannot be acknowledged: the fix is offered
    assert any(i.rule == "prose.table_mismatch" for i in draft.readiness())
    assert draft.refresh_figures() == len(stale)
    assert f"本年度共收到政府信息公开申请{received + 1}件" in draft.texts["overview"]
    assert draft.stale_figures() == []
    assert draft.readiness() == []


def test_late_publication_needs_an_acknowledged_reason():
    draft, _ = make_draft(5, "2021")
    draft.agency, draft.level, draft.is_department = "石家庄市生态环境局", None, None
    due, basis = draft.deadline()
    assert due == date(draft.year + 1, 1, 31) and "第四十九条" in basis
    draft.published = date(draft.year + 1, 2, 10)
    issues = draft.readiness()
    assert [i.rule for i in issues] == ["timeliness.late"] and issues[0].acknowledgeable
    draft.acknowledgements["timeliness.late"] = "   "
    assert [i.rule for i in draft.readiness()] == ["timeliness.late"]
    draft.acknowledgements["timeliness.late"] = "系统故障延迟发布，已报备"
    assert draft.readiness() == []


def test_section_five_must_address_last_years_problems():
    draft, _ = make_draft(6, "2021")
    draft.previous_texts = {"problems": "一是公开不够及时；二是解读形式单一。"}
    assert draft.previous_problems() == ["公开不够及时", "解读形式单一"]
    draft.texts["problems"] = "本年度工作人员变动较大。"
    assert [i.rule for i in draft.readiness()] == ["sections.no_followup"]
    assert draft.side_by_side("problems") == ("一是公开不够及时；二是解读形式单一。", "本年度工作人员变动较大。")
    draft.texts["problems"] += "针对上年度所列问题，已建立公开时限台账。"
    assert draft.readiness() == []


def test_section_six_must_state_the_processing_fee():
    draft, _ = make_draft(7, "2021")
    draft.processing_fee_yuan = Decimal(380)
    draft.texts["other_matters"] = "认真落实年度政务公开工作要点。"
    assert [i.code for i in draft.readiness()] == ["fee_missing"]
    draft.texts["other_matters"] = "本年度未收取信息处理费。"
    assert [i.code for i in draft.readiness()] == ["fee_mismatch"]
    draft.texts["other_matters"] = "".join(draft.offered_sentences()["other_matters"])
    assert draft.texts["other_matters"] == "本年度收取信息处理费380元。"
    assert draft.readiness() == []
    draft.processing_fee_yuan = None
    assert [i.code for i in draft.readiness()] == ["fee_unknown"]


def test_empty_written_sections_block():
    draft, _ = make_draft(8, "2019")
    draft.texts["overview"] = ""
    codes = [i.code for i in draft.readiness()]
    assert "section_empty" in codes


def test_json_round_trip_is_exact():
    draft, _ = make_draft(9, "2021")
    draft.active["fees"]["amount_wan_yuan"] = Decimal("123.456789")
    draft.published = date(2024, 1, 20)
    draft.acknowledgements = {"timeliness.late": "原因"}
    text = json.dumps(draft.to_json(), ensure_ascii=False)
    again = AnnualReportDraft.from_json(json.loads(text))
    assert again.to_json() == draft.to_json()
    assert again.active["fees"]["amount_wan_yuan"] == Decimal("123.456789")


def test_ledger_shaped_statistics_are_accepted_and_validated():
    draft = AnnualReportDraft(agency="濮阳市人民政府", year=2022)
    _, tables = make_draft(12, "2021")
    draft.set_requests({"requests": tables["requests"], "review_litigation": tables["review_litigation"]})
    assert draft.value("requests.total.total") == tables["requests"]["total"][6]
    with pytest.raises(DraftError, match="应有7个数"):
        draft.set_requests({"requests": {"granted": [1, 2, 3]}})
    with pytest.raises(DraftError, match="没有“nonsense”这一行"):
        draft.set_requests({"requests": {"nonsense": [0] * 7}})
    old = AnnualReportDraft(agency="濮阳市人民政府", year=2020)
    with pytest.raises(DraftError, match="该行有数"):
        old.set_requests({"requests": {"other_overdue_fee": [1, 0, 0, 0, 0, 0, 1]}})


def test_complete_totals():
    _, tables = make_draft(13, "2021")
    draft = AnnualReportDraft(agency="濮阳市人民政府", year=2022)
    for row, values in tables["requests"].items():
        if values is not None:
            draft.requests[row] = [*values[:6], None]
    draft.requests["total"] = [None] * 7
    for row, values in tables["review_litigation"].items():
        draft.review_litigation[row] = [*values[:4], None]
    draft.complete_totals()
    assert draft.requests == tables["requests"]
    assert draft.review_litigation == tables["review_litigation"]


def test_from_a_published_report():
    report = parse_file(seed_path("000"))
    draft = from_report_json(json.loads(json.dumps(report.to_json())), section_texts(report))
    assert (draft.agency, draft.year, draft.format_id) == ("石家庄市人民政府", 2021, "2021")
    assert draft.texts["overview"].startswith("2021年")
    assert "|" not in draft.texts["overview"]
    assert draft.value("requests.total.total") == report.value("requests.total.total")
    # The checks find in the re-issued report what they found in the published one.
    own = sorted(f.rule for f in draft.to_report().findings if f.severity == "error")
    assert own == sorted(f.rule for f in report.findings if f.severity == "error")


def test_bad_input_is_refused_in_chinese():
    with pytest.raises(DraftError, match="应为整数"):
        AnnualReportDraft(agency="濮阳市人民政府", year=2022, requests={"granted": [1.5, 0, 0, 0, 0, 0, 1.5]})
    with pytest.raises(DraftError, match="没有“procurement”这一行"):
        AnnualReportDraft(agency="濮阳市人民政府", year=2022, active={"procurement": {"projects": 1}})
    with pytest.raises(DraftError, match="不是 gongkai"):
        AnnualReportDraft.from_json({"schema": "other"})
    with pytest.raises(DraftError, match="文字版"):
        from_report_json({"format": "pre2019", "meta": {}})


def test_in_force_reconciled_with_last_years_report():
    last, _ = make_draft(20, "2021")
    last.year = 2022
    last.active["rules"] = {"issued": 1, "repealed": 0, "in_force": 10}
    last.active["normative_documents"] = {"issued": 5, "repealed": 1, "in_force": 40}
    draft, _ = make_draft(21, "2021")
    draft.year = 2023
    draft.active["rules"] = {"issued": 2, "repealed": 1, "in_force": 11}
    draft.active["normative_documents"] = {"issued": 6, "repealed": 2, "in_force": 45}
    draft.refresh_figures()  # the offered sentences state 现行有效 too
    draft.take_previous(last)
    assert draft.previous_in_force == {"rules": 10, "normative_documents": 40}
    assert draft.previous_texts == last.texts
    lines = {line["row"]: line for line in draft.in_force_reconciliation()}
    assert lines["rules"]["holds"] and lines["rules"]["message"].endswith("一致。")
    normative = lines["normative_documents"]
    assert (normative["expected"], normative["found"], normative["holds"]) == (44, 45, False)
    assert "相差+1件" in normative["message"]
    issues = draft.readiness()
    assert [(i.code, i.cells) for i in issues] == [("in_force", ["active.normative_documents.in_force"])]
    draft.acknowledgements["in_force"] = "本年修订1件，按新制发计入现行有效"
    assert draft.readiness() == []


def test_previous_from_a_parsed_report():
    report = parse_file(seed_path("000"))
    draft = AnnualReportDraft(agency="石家庄市人民政府", year=2022)
    draft.take_previous(report)
    assert draft.previous_in_force == {
        "rules": report.value("active.rules.in_force"),
        "normative_documents": report.value("active.normative_documents.in_force"),
    }
    assert draft.side_by_side("problems")[0] == section_texts(report)["problems"]


def test_cell_findings_for_live_checks():
    draft, _ = make_draft(3, "2019")
    assert draft.cell_findings() == {}
    draft.set_value("requests.carried_forward.research", 4)
    flagged = draft.cell_findings()
    rules = {f.rule for f in flagged["requests.carried_forward.research"]}
    assert rules == {"requests.balance", "requests.applicant_total"}
    balance = next(f for f in flagged["requests.carried_forward.research"] if f.rule == "requests.balance")
    assert "“科研机构”列" in balance.message
