import csv
import io

import pytest

from gongkai.web.center.models import Correction
from gongkai.web.center.services import corrections
from gongkai.web.center.services.agencies import place_agency
from gongkai.web.center.services.documents import current_document

pytestmark = pytest.mark.django_db
PATH = "requests.carried_forward.natural_person"


def _rules(report):
    return {(f.rule, frozenset(f.cells)) for f in report.finding_rows.all()}


def test_correction_is_versioned_rechecked_and_exported(client, shijiazhuang, editor):
    report = shijiazhuang
    balance_cells = frozenset(
        {
            "requests.new_received.natural_person",
            "requests.carried_over.natural_person",
            "requests.total.natural_person",
            PATH,
        }
    )
    assert ("requests.balance", balance_cells) in _rules(report)
    corrections.correct_cell(report, PATH, "15", "与报送单位核实，应为 15", editor)
    report.refresh_from_db()
    cell = report.cell_rows.get(path=PATH)
    assert (cell.value, cell.extracted, cell.corrected) == (15, 17, True)
    # The natural-person balance now holds; the row total of 四 no longer does.
    assert ("requests.balance", balance_cells) not in _rules(report)
    assert any(rule == "requests.applicant_total" and PATH in cells for rule, cells in _rules(report))
    corrections.correct_cell(report, PATH, "16", "再次核实", editor)
    history = list(Correction.objects.filter(report=report).values_list("version", "old", "new", "user__username"))
    assert history == [(1, "17", "15", "editor"), (2, "15", "16", "editor")]
    doc = current_document(report)
    assert doc["requests"]["carried_forward"][0] == 16
    entry = next(c for c in doc["cells"] if c["path"] == PATH)
    assert (entry["value"], entry["extracted_value"], entry["corrected"]) == (16, 17, True)
    assert report.parsed["requests"]["carried_forward"][0] == 17  # the extraction itself is never edited
    assert [c["version"] for c in doc["corrections"]] == [1, 2]
    export = client.get(f"/reports/{report.pk}/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    row = next(r for r in rows if r["单元格"] == PATH)
    assert (row["数值（含更正）"], row["原文提取值"], row["已更正"]) == ("16", "17", "是")


@pytest.mark.parametrize(
    ("value", "reason", "message"),
    [
        ("abc", "原因", "不是数字"),
        ("1.5", "原因", "整数"),
        ("-3", "原因", "负数"),
        ("17", "原因", "相同"),
        ("5", " ", "原因"),
    ],
)
def test_bad_corrections_are_refused(shijiazhuang, editor, value, reason, message):
    with pytest.raises(corrections.CorrectionError) as info:
        corrections.correct_cell(shijiazhuang, PATH, value, reason, editor)
    assert message in info.value.message
    assert not Correction.objects.exists()


def test_money_cells_take_decimals(shijiazhuang, editor):
    corrections.correct_cell(shijiazhuang, "active.fees.amount_wan_yuan", "20.3", "单位换算", editor)
    assert current_document(shijiazhuang)["active"]["fees"]["amount_wan_yuan"] == pytest.approx(20.3)


def test_money_cannot_be_negative(shijiazhuang, editor):
    with pytest.raises(corrections.CorrectionError, match="金额不能为负数"):
        corrections.correct_cell(shijiazhuang, "active.fees.amount_wan_yuan", "-5", "退费", editor)


def test_unplaced_reports_are_editable_by_their_uploader_only_within_a_region(puyang, make_user, editor):
    from gongkai.web.center.models import Report

    Report.objects.filter(pk=puyang.pk).update(agency=None)
    puyang.refresh_from_db()
    local = make_user("local", "editor", region=place_agency("河北省石家庄市"))
    with pytest.raises(corrections.CorrectionError) as refused:
        corrections.correct_cell(puyang, "requests.total.total", "1", "越权", local)
    assert refused.value.status == 403
    with pytest.raises(corrections.CorrectionError):
        corrections.correct_year(puyang, "2020", "越权", local)
    puyang.document.uploaded_by = local
    puyang.document.save()
    corrections.correct_year(puyang, "2019", "本人上传，确认年度", local)
    corrections.correct_cell(puyang, "requests.total.total", "1", "核实", editor)  # editors without a region may


def test_editors_are_limited_to_their_region(shijiazhuang, puyang, make_user, viewer):
    hebei_editor = make_user("hebei", "editor", region=shijiazhuang.agency.parent)
    corrections.correct_cell(shijiazhuang, PATH, "15", "核实", hebei_editor)
    with pytest.raises(corrections.CorrectionError) as info:
        corrections.correct_cell(puyang, "requests.total.total", "1", "越权", hebei_editor)
    assert info.value.status == 403
    with pytest.raises(corrections.CorrectionError):
        corrections.correct_cell(shijiazhuang, PATH, "14", "只读", viewer)
    # Moving a report into another region is refused too, and the agency created on the way is rolled back.
    with pytest.raises(corrections.CorrectionError):
        corrections.correct_agency_by_name(shijiazhuang, "郑州市人民政府", "改错", hebei_editor)
    assert not shijiazhuang.agency.__class__.objects.filter(name="郑州市").exists()


def test_year_and_agency_can_be_confirmed_or_fixed(shijiazhuang, editor):
    corrections.correct_year(shijiazhuang, "2020", "标题年份有误", editor)
    shijiazhuang.refresh_from_db()
    assert (shijiazhuang.year, shijiazhuang.year_source, shijiazhuang.year_confidence) == (2020, "user", 1.0)
    assert current_document(shijiazhuang)["meta"]["year"]["value"] == 2020
    # The checks ran with the corrected year: a 2021-format report for 2020 is flagged.
    assert shijiazhuang.finding_rows.filter(rule="format.outdated").exists()
    department = place_agency("石家庄市教育局")
    corrections.correct_agency(shijiazhuang, department.pk, "实为教育局年报", editor)
    shijiazhuang.refresh_from_db()
    assert shijiazhuang.agency == department and shijiazhuang.agency_source == "user"
    with pytest.raises(corrections.CorrectionError):
        corrections.correct_year(shijiazhuang, "20x1", "错", editor)
    assert [c.field for c in shijiazhuang.corrections.all()] == ["year", "agency"]


def test_correction_form_on_the_page(client, shijiazhuang, editor, viewer):
    url = f"/reports/{shijiazhuang.pk}/correct/"
    assert client.post(url, {"path": PATH, "value": "15", "reason": "x"}).status_code == 302  # anonymous → login
    assert not Correction.objects.exists()
    client.force_login(viewer)
    response = client.post(url, {"path": PATH, "value": "15", "reason": "x"}, follow=True)
    assert "没有修改该年报的权限" in response.content.decode() and not Correction.objects.exists()
    client.force_login(editor)
    response = client.post(url, {"path": PATH, "value": "15", "reason": "核实"}, follow=True)
    html = response.content.decode()
    assert "已保存修改" in html and "修改记录" in html and "核实" in html
    assert 'class="v corrected' in html
    response = client.post(f"/reports/{shijiazhuang.pk}/meta/", {"field": "year", "value": "2021", "reason": "确认"})
    assert response.status_code == 302
    assert shijiazhuang.corrections.count() == 2
