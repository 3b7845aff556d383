"""The ledger pages: list with filters and counts, request page, forms, roles, personal data."""

from __future__ import annotations

import re

from gongkai.web.ledger.models import PersonalDataView, Request


def test_pages_need_an_account(client, agency):
    response = client.get(f"/ledger/agency/{agency.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_list_filters_and_counts(clerk_client, agency, make_request):
    make_request(received="2025-05-06")  # overdue on 2025-06-16
    make_request(received="2025-05-19")  # due soon
    make_request(received="2025-06-10", applicant_type="commercial")  # open
    make_request(received="2025-05-20", events=[{"kind": "reply", "on": "2025-06-03", "outcome": "granted"}])
    page = clerk_client.get(f"/ledger/agency/{agency.pk}/")
    assert page.status_code == 200
    counts = page.context["counts"]
    assert (counts["all"], counts["overdue"], counts["due_soon"], counts["open"], counts["closed"]) == (4, 1, 1, 1, 1)
    overdue = clerk_client.get(f"/ledger/agency/{agency.pk}/?state=overdue")
    assert [r["req"].received.isoformat() for r in overdue.context["rows"]] == ["2025-05-06"]
    assert "已逾期" in overdue.text
    commercial = clerk_client.get(f"/ledger/agency/{agency.pk}/?applicant_type=commercial")
    assert [r["req"].applicant_type for r in commercial.context["rows"]] == ["commercial"]
    granted = clerk_client.get(f"/ledger/agency/{agency.pk}/?outcome=granted&year=2025")
    assert len(granted.context["rows"]) == 1
    assert clerk_client.get(f"/ledger/agency/{agency.pk}/?year=2024").context["page"].paginator.count == 0


def test_lists_mask_personal_data(clerk_client, agency, make_request):
    make_request()
    page = clerk_client.get(f"/ledger/agency/{agency.pk}/")
    assert "张三" not in page.text and "张*" in page.text
    assert "110101199001011234" not in page.text and "13812345678" not in page.text


def test_staff_see_personal_data_on_request_and_it_is_logged(clerk_client, clerk, make_request):
    req = make_request()
    masked = clerk_client.get(f"/ledger/requests/{req.pk}/")
    assert "110101199001011234" not in masked.text and PersonalDataView.objects.count() == 0
    shown = clerk_client.get(f"/ledger/requests/{req.pk}/?show=personal")
    assert "110101199001011234" in shown.text and "13812345678" in shown.text
    log = PersonalDataView.objects.get()
    assert (log.user, log.request, log.where) == (clerk, req, "page")


def test_others_never_see_personal_data(client, outsider, viewer, make_request):
    req = make_request()
    for user in (outsider, viewer):
        client.force_login(user)
        page = client.get(f"/ledger/requests/{req.pk}/?show=personal")
        assert page.status_code == 200
        assert "110101199001011234" not in page.text and "张三" not in page.text
        assert req.query_code not in page.text
        assert client.get(f"/ledger/requests/{req.pk}/history/").status_code == 403
    assert PersonalDataView.objects.count() == 0


def test_request_page_shows_clock_trace_and_fee(clerk_client, make_request):
    req = make_request(
        fee_method="volume", events=[{"kind": "fee_notice", "on": "2025-06-06", "pages": 120, "amount": "1100"}]
    )
    page = clerk_client.get(f"/ledger/requests/{req.pk}/")
    assert page.status_code == 200
    assert "等待缴费" in page.text
    assert "第 20 个工作日" in page.text  # the day-by-day trace
    fee = page.context["fee"]
    assert fee["amount"] == 1100  # 30 free, 70×10, 20×20 (the core's bands)
    assert "合计1100元" in page.text


def test_forms_add_events_and_refuse_impossible_ones(clerk_client, make_request):
    req = make_request(received="2025-06-03")
    due = req.due
    response = clerk_client.post(
        f"/ledger/requests/{req.pk}/events/", {"kind": "correction_requested", "on": "2025-06-04"}
    )
    assert response.status_code == 302
    clerk_client.post(f"/ledger/requests/{req.pk}/events/", {"kind": "correction_received", "on": "2025-06-09"})
    req.refresh_from_db()
    assert req.due > due
    refused = clerk_client.post(
        f"/ledger/requests/{req.pk}/events/", {"kind": "reply", "on": "2025-06-01", "outcome": "granted"}, follow=True
    )
    assert "早于收到申请之日" in refused.text
    assert req.events.count() == 2
    history = clerk_client.get(f"/ledger/requests/{req.pk}/history/")
    assert history.status_code == 200 and "补正告知" in history.text and "clerk" in history.text


def test_editors_of_other_regions_and_viewers_cannot_change(client, outsider, viewer, make_request, agency):
    req = make_request()
    for user in (outsider, viewer):
        client.force_login(user)
        assert (
            client.post(f"/ledger/requests/{req.pk}/events/", {"kind": "extension", "on": "2025-06-20"}).status_code
            == 403
        )
        assert client.post(f"/ledger/agency/{agency.pk}/new/", {"received": "2025-06-03"}).status_code == 403
        assert client.get(f"/ledger/agency/{agency.pk}/import/").status_code == 403
    assert req.events.count() == 0


def test_new_request_form(clerk_client, agency):
    response = clerk_client.post(
        f"/ledger/agency/{agency.pk}/new/",
        {
            "received": "2025-06-10",
            "channel": "post",
            "applicant_type": "legal_service",
            "applicant_name": "某律师事务所",
        },
    )
    req = Request.objects.get()
    assert response["Location"] == f"/ledger/requests/{req.pk}/"
    assert req.number == "2025-0001" and re.fullmatch(r"[2-9A-Z]{10}", req.query_code)
    bad = clerk_client.post(f"/ledger/agency/{agency.pk}/new/", {"received": "昨天", "channel": "post"}, follow=True)
    assert "不是有效日期" in bad.text


def test_edit_form_keeps_masked_personal_fields_and_history_names_changes(clerk_client, make_request):
    req = make_request()
    response = clerk_client.post(
        f"/ledger/requests/{req.pk}/edit/",
        {"number": req.number, "received": "2025-06-04", "channel": "post", "applicant_type": "natural_person",
         "applicant_name": "", "contact": "", "id_number": "", "content": "改为：某地块的规划条件", "fee_method": ""},
    )  # fmt: skip
    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.applicant_name, req.id_number, req.channel) == ("张三", "110101199001011234", "post")
    history = clerk_client.get(f"/ledger/requests/{req.pk}/history/").text
    assert "收到日期：2025-06-03 → 2025-06-04" in history and "渠道" in history
    clerk_client.post(f"/ledger/requests/{req.pk}/events/", {"kind": "correction_requested", "on": "2025-06-05"})
    assert "新增事项：2025-06-05 补正告知" in clerk_client.get(f"/ledger/requests/{req.pk}/history/").text
