"""Reviews and lawsuits (表四) from the web, the refresh command, and the administrators' view of the log."""

from __future__ import annotations

from datetime import date

from django.core.management import call_command

from gongkai.web.ledger.models import Case, PersonalDataView, Request


def test_case_forms_validate_with_the_core(clerk_client, agency, make_request):
    req = make_request(number="R-1")
    url = f"/ledger/agency/{agency.pk}/cases/new/"
    ok = clerk_client.post(url, {"number": "复-1", "kind": "review", "filed": "2025-07-01", "request_number": "R-1"})
    assert ok.status_code == 302 and Case.objects.get().request == req
    closed_early = {"number": "复-2", "kind": "review", "filed": "2025-07-01", "outcome": "maintained"}
    bad = clerk_client.post(url, closed_early | {"closed": "2025-06-01"}, follow=True)
    assert "早于收到日期" in bad.text and Case.objects.count() == 1
    unknown = clerk_client.post(
        url, {"number": "复-3", "kind": "review", "filed": "2025-07-01", "request_number": "X"}, follow=True
    )
    assert "没有编号为“X”的申请" in unknown.text
    page = clerk_client.get(f"/ledger/agency/{agency.pk}/cases/")
    assert "复-1" in page.text and "行政复议" in page.text


def test_refresh_command_recomputes_stored_deadlines(make_request):
    req = make_request(received="2025-06-03")
    right = req.due
    Request.objects.filter(pk=req.pk).update(due=date(2000, 1, 1), phase="closed")
    call_command("ledger_refresh", "--all", stdout=open("/dev/null", "w"))  # noqa: SIM115
    req.refresh_from_db()
    assert (req.due, req.phase) == (right, "running")


def test_admins_read_the_personal_data_log(admin_client, clerk_client, make_request):
    req = make_request()
    clerk_client.get(f"/ledger/requests/{req.pk}/?show=personal")
    assert PersonalDataView.objects.count() == 1
    page = admin_client.get("/admin/ledger/personaldataview/")
    assert page.status_code == 200 and "clerk" in page.text


def test_demo_ledger_command(db):
    import io

    call_command("ledger_demo", "--requests", "60", "--agency", "石家庄市自然资源和规划局", stdout=io.StringIO())
    rows = Request.objects.select_related("agency")
    assert rows.count() == 60 and all(r.number.startswith("DEMO-") for r in rows)
    assert rows[0].agency.parent is not None  # placed under 石家庄市 in the region tree
    assert rows.filter(phase="closed").exists()
