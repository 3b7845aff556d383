"""Import of Excel/CSV ledgers from the web (preview, all or nothing, row errors, saved mapping) and export."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.web.ledger.models import Case, LedgerSettings, PersonalDataView, Request

HEADER = "编号,收到日期,收到方式,申请人类型,申请人,联系方式,证件号码,申请内容,答复日期,办理结果\n"
GOOD = HEADER + (
    "L-1,2025-03-03,网上,个人,王五,13900001111,110101198001010011,规划批复,2025-03-20,予以公开\n"
    "L-2,2025年4月1日,当面,企业,某公司,010-5555,,土地出让合同,,\n"
)
BAD = HEADER + (
    "L-1,2025-03-03,网上,个人,王五,13900001111,,规划批复,2025-03-20,予以公开\n"
    "L-2,2025-04-01,当面,外星人,某公司,,,合同,2025-03-01,予以公开\n"
)


def _file(text: str, name: str = "台账.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_preview_then_import_then_mapping_is_saved(clerk_client, agency):
    preview = clerk_client.post(f"/ledger/agency/{agency.pk}/import/", {"file": _file(GOOD), "action": "preview"})
    assert preview.status_code == 200 and len(preview.context["result"].requests) == 2
    assert "L-2" in preview.text and "商业企业" in preview.text  # the preview rows
    assert Request.objects.count() == 0  # a preview stores nothing
    token = preview.context["token"]
    done = clerk_client.post(
        f"/ledger/agency/{agency.pk}/import/", {"token": token, "filename": "台账.csv", "action": "import"}
    )
    assert done.status_code == 302
    rows = {r.number: r for r in Request.objects.all()}
    assert set(rows) == {"L-1", "L-2"}
    assert (rows["L-1"].phase, rows["L-1"].outcome) == ("closed", "granted")
    assert rows["L-2"].due is not None and rows["L-2"].applicant_type == "commercial"
    assert rows["L-1"].versions.get().action == "import"
    assert LedgerSettings.objects.get(agency=agency).import_mapping["编号"] == "编号"


def test_row_errors_refuse_the_whole_file(clerk_client, agency):
    response = clerk_client.post(f"/ledger/agency/{agency.pk}/import/", {"file": _file(BAD), "action": "import"})
    assert response.status_code == 400 and Request.objects.count() == 0
    errors = [str(e) for e in response.context["result"].errors]
    assert any(e.startswith("第3行") for e in errors), errors
    assert "整个文件都不会导入" in response.text


def test_a_mapping_for_other_headers(clerk_client, agency):
    text = GOOD.replace("编号", "台账序号", 1)
    missing = clerk_client.post(f"/ledger/agency/{agency.pk}/import/", {"file": _file(text), "action": "preview"})
    assert missing.context["result"].errors  # 编号 not found
    mapped = clerk_client.post(
        f"/ledger/agency/{agency.pk}/import/", {"file": _file(text), "action": "import", "map:编号": "台账序号"}
    )
    assert mapped.status_code == 302 and Request.objects.count() == 2
    assert LedgerSettings.objects.get(agency=agency).import_mapping["编号"] == "台账序号"


def test_importing_the_same_numbers_twice_is_refused(clerk_client, agency):
    clerk_client.post(f"/ledger/agency/{agency.pk}/import/", {"file": _file(GOOD), "action": "import"})
    again = clerk_client.post(f"/ledger/agency/{agency.pk}/import/", {"file": _file(GOOD), "action": "import"})
    assert again.status_code == 400 and "已在台账中" in again.text and Request.objects.count() == 2


def test_export_masks_unless_staff_ask(clerk_client, client, outsider, agency, make_request):
    make_request()
    Case.objects.create(agency=agency, number="复-9", kind="review", filed="2025-05-01", outcome="pending")
    body = clerk_client.get(f"/ledger/agency/{agency.pk}/export.xlsx").content
    cells = [
        c
        for ws in openpyxl.load_workbook(io.BytesIO(body)).worksheets
        for r in ws.iter_rows(values_only=True)
        for c in r
    ]
    assert "110101199001011234" not in cells and "张三" not in cells and "复-9" in cells
    assert PersonalDataView.objects.count() == 0
    full = clerk_client.get(f"/ledger/agency/{agency.pk}/export.xlsx?personal=1").content
    cells = [c for r in openpyxl.load_workbook(io.BytesIO(full)).worksheets[0].iter_rows(values_only=True) for c in r]
    assert "110101199001011234" in cells
    assert PersonalDataView.objects.get().where == "export"
    client.force_login(outsider)
    assert client.get(f"/ledger/agency/{agency.pk}/export.xlsx?personal=1").status_code == 403
