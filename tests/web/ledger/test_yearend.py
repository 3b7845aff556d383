"""Year-end tables 三 and 四 from the ledger: official layout, drill-down, comparison, hand-off JSON."""

from __future__ import annotations

import pytest

from gongkai.web.ledger.services import cases


@pytest.fixture
def year_2025(make_request, agency):
    make_request(
        received="2024-12-20",
        applicant_type="commercial",
        events=[{"kind": "reply", "on": "2025-01-10", "outcome": "granted"}],
    )  # carried over
    make_request(received="2025-03-03", events=[{"kind": "reply", "on": "2025-03-20", "outcome": "granted"}])
    make_request(
        received="2025-04-01", events=[{"kind": "reply", "on": "2025-04-20", "outcome": "unavailable_not_held"}]
    )
    make_request(received="2025-12-25")  # carried forward
    cases.create_case(
        agency,
        {"number": "复-1", "kind": "review", "filed": "2025-05-01", "outcome": "maintained", "closed": "2025-06-01"},
    )
    cases.create_case(agency, {"number": "诉-1", "kind": "litigation_direct", "filed": "2025-07-01"})


def test_year_page_shows_official_tables_with_ledger_counts(clerk_client, agency, year_2025):
    page = clerk_client.get(f"/ledger/agency/{agency.pk}/year/2025/")
    assert page.status_code == 200
    stats = page.context["stats"]
    assert stats.requests["new_received"][-1] == 3 and stats.requests["carried_over"][1] == 1
    assert stats.requests["granted"][-1] == 2 and stats.requests["carried_forward"][-1] == 1
    assert stats.review_litigation["review"] == [1, 0, 0, 0, 1]
    assert stats.review_litigation["litigation_direct"] == [0, 0, 0, 1, 1]
    assert 'id="table-requests"' in page.text and 'id="table-review_litigation"' in page.text
    assert "th rowspan" in page.text.replace('th class="group" rowspan', "th rowspan")
    assert not page.context["findings"]  # the ledger's tables balance


def test_cell_opens_its_requests(clerk_client, agency, year_2025):
    cell = clerk_client.get(f"/ledger/agency/{agency.pk}/year/2025/cell/?path=requests.granted.total")
    assert cell.status_code == 200 and cell.context["drill"]["total"] == 2
    numbers = sorted(r.received.isoformat() for r in cell.context["drill"]["rows"])
    assert numbers == ["2024-12-20", "2025-03-03"]
    review = clerk_client.get(f"/ledger/agency/{agency.pk}/year/2025/cell/?path=review_litigation.review.maintained")
    assert "复-1" in review.text
    assert clerk_client.get(f"/ledger/agency/{agency.pk}/year/2025/cell/?path=nope").status_code == 404
    page = clerk_client.get(f"/ledger/agency/{agency.pk}/year/2025/?path=requests.carried_forward.total")
    assert page.context["drill"]["total"] == 1


def test_hand_off_json_is_a_report_v1_document(clerk_client, agency, year_2025):
    response = clerk_client.get(f"/ledger/agency/{agency.pk}/year/2025/report.json")
    doc = response.json()
    assert doc["schema"] == "gongkai.report/v1" and doc["format"] == "2021"
    assert doc["requests"]["new_received"] == [3, 0, 0, 0, 0, 0, 3]
    assert doc["requests"]["carried_over"] == [0, 1, 0, 0, 0, 0, 1]
    assert doc["review_litigation"]["review"] == [1, 0, 0, 0, 1]
    assert doc["meta"]["year"]["value"] == 2025 and doc["meta"]["agency"]["name"] == agency.name
    assert "张三" not in response.text


def test_compare_with_the_published_report(clerk_client, shijiazhuang, make_request):
    agency, year = shijiazhuang.agency, shijiazhuang.year
    make_request(agency=agency, received=f"{year}-03-03",
                 events=[{"kind": "reply", "on": f"{year}-03-20", "outcome": "granted"}])  # fmt: skip
    plain = clerk_client.get(f"/ledger/agency/{agency.pk}/year/{year}/")
    assert plain.context["report"] == shijiazhuang and plain.context["differences"] is None
    page = clerk_client.get(f"/ledger/agency/{agency.pk}/year/{year}/?compare=1")
    differences = {d.path: d for d in page.context["differences"]}
    published = shijiazhuang.cell_rows.get(path="requests.new_received.total").value
    assert differences["requests.new_received.total"].ledger == 1
    assert differences["requests.new_received.total"].published == published
    assert "sev-warning" in page.text and "相差" in page.text


def test_year_statistics_from_stored_columns_equal_the_core_on_full_requests(agency):
    """The year page reads each request's stored closing date and outcome instead of all its events: on a
    generated ledger with every path of a request, the tables and drill-down equal the core's on full records."""
    from types import SimpleNamespace

    from gongkai.ledger.stats import year_statistics
    from gongkai.ledger.synth import generate_cases, generate_ledger
    from gongkai.web.ledger.models import Request
    from gongkai.web.ledger.services import records, transfer, yearend

    generated = generate_ledger(400, 2025, agency=agency.name, seed=7)
    transfer.store(agency, SimpleNamespace(requests=generated, cases=generate_cases(generated, share=0.1)), None)
    full = [records.core_request(r) for r in Request.objects.select_related("agency")]
    for year in (2024, 2025):
        ours = yearend.statistics(agency, year)
        theirs = year_statistics(full, [], year)
        assert ours.requests == theirs.requests, year
        assert {p: sorted(ids) for p, ids in ours.drill.items() if p.startswith("requests.")} == {
            p: sorted(ids) for p, ids in theirs.drill.items() if p.startswith("requests.")
        }
    assert sum(yearend.statistics(agency, 2025).review_litigation["review"]) > 0


def test_cached_statistics_follow_every_change(clerk_client, agency, year_2025, clerk):
    from gongkai.web.ledger.models import Case, Request
    from gongkai.web.ledger.services import records

    url = f"/ledger/agency/{agency.pk}/year/2025/"
    assert clerk_client.get(url).context["stats"].requests["carried_forward"][-1] == 1
    records.add_event(Request.objects.get(received="2025-12-25"), {"kind": "withdrawn", "on": "2025-12-29"}, clerk)
    stats = clerk_client.get(url).context["stats"]
    assert stats.requests["carried_forward"][-1] == 0 and stats.requests["other_other"][-1] == 1
    cases.update_case(Case.objects.get(number="诉-1"), {"kind": "litigation_direct", "filed": "2025-07-01",
                                                        "outcome": "corrected", "closed": "2025-11-01"})  # fmt: skip
    assert clerk_client.get(url).context["stats"].review_litigation["litigation_direct"] == [0, 1, 0, 0, 1]


def test_a_cell_lists_all_its_requests_in_the_ledger_and_exports_them(clerk_client, agency, year_2025):
    import io

    import openpyxl

    drill = clerk_client.get(f"/ledger/agency/{agency.pk}/year/2025/cell/?path=requests.granted.total")
    link = f"/ledger/agency/{agency.pk}/?cell=requests.granted.total&cell_year=2025"
    assert link in drill.text
    page = clerk_client.get(link)
    assert sorted(r["req"].received.isoformat() for r in page.context["rows"]) == ["2024-12-20", "2025-03-03"]
    assert "（一）予以公开" in page.context["cell_label"]
    export = clerk_client.get(f"/ledger/agency/{agency.pk}/export.xlsx?cell=requests.granted.total&cell_year=2025")
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 3  # header + the two requests of the cell
