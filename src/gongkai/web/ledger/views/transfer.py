"""Import an Excel/CSV ledger (preview first, then all or nothing) and export the ledger as XLSX."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.ledger.export import to_xlsx
from gongkai.ledger.importer import CANONICAL_COLUMNS, REQUIRED_COLUMNS
from gongkai.web.center.services.refusal import Refused
from gongkai.web.ledger.services import labels, records, transfer, yearend
from gongkai.web.ledger.services.privacy import is_staff_of, log_view
from gongkai.web.ledger.services.queries import LedgerFilter, soon_limit
from gongkai.web.ledger.views.common import get_agency, require_editor

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 200_000


def _mapping(post, saved: dict) -> dict:
    mapping = {}
    for name in CANONICAL_COLUMNS:
        value = post.get(f"map:{name}", "").strip()[:100] if f"map:{name}" in post else saved.get(name, "")
        if value and value != name:
            mapping[name] = value
    return mapping


@login_required
@require_http_methods(["GET", "POST"])
def import_ledger(request, pk: int):
    agency = get_agency(pk)
    require_editor(request.user, agency)
    saved = transfer.saved_mapping(agency)
    context = {"agency": agency, "columns": CANONICAL_COLUMNS, "required": REQUIRED_COLUMNS, "mapping": saved}
    if request.method == "GET":
        return render(request, "ledger/import.html", context)
    mapping = _mapping(request.POST, saved)
    context["mapping"] = mapping
    try:
        upload = request.FILES.get("file")
        if upload is not None:
            if upload.size > transfer.MAX_IMPORT_BYTES:
                raise Refused(f"文件超过 {transfer.MAX_IMPORT_BYTES // 1024 // 1024} MB")
            data, filename = upload.read(), upload.name
            token = transfer.stage(data, filename)
        elif request.POST.get("token"):
            token, filename = request.POST["token"], request.POST.get("filename", "")
            data = transfer.staged(token)
        else:
            raise Refused("请选择台账文件（.xlsx 或 .csv）")
        commit = request.POST.get("action") == "import"
        result = transfer.read(data, filename, mapping, dry_run=not commit)
        if commit and result.ok:
            n_requests, n_cases = transfer.store(agency, result, request.user, result.mapping)
            transfer.unstage(token)
            messages.success(request, f"已导入 {n_requests} 件申请、{n_cases} 件复议诉讼案件，列对应关系已保存")
            return redirect("ledger:agency", pk=agency.pk)
    except Refused as exc:
        context["error"] = exc.message
        return render(request, "ledger/import.html", context, status=400)
    clashes = transfer.clashes(agency, result) if result.ok else []
    context |= {
        "result": result,
        "clashes": clashes,
        "token": token,
        "filename": filename,
        "committed_failed": commit,
        "mapping": {k: v for k, v in result.mapping.items()} | mapping,
        "sample": result.requests[:20],
        "applicant_types": labels.applicant_types(),
        "outcomes": labels.outcome_short(),
        "channels": labels.channels(),
    }
    return render(request, "ledger/import.html", context, status=400 if commit else 200)


@login_required
@require_GET
def export_xlsx(request, pk: int):
    """The list as filtered, in the import layout. Personal data is masked unless staff ask (and it is logged)."""
    agency = get_agency(pk)
    today = records.today()
    flt = LedgerFilter.from_params(agency.pk, request.GET)
    yearend.restrict_to_cell(flt, agency)
    qs = flt.apply(today, soon_limit(today)).order_by("received", "pk")
    count = qs.count()
    if count > EXPORT_LIMIT:
        messages.error(request, f"一次最多导出 {EXPORT_LIMIT} 件，请按年度缩小范围")
        return redirect("ledger:agency", pk=agency.pk)
    unmasked = request.GET.get("personal") == "1"
    if unmasked:
        require_editor(request.user, agency)
        if not is_staff_of(request.user, agency):
            unmasked = False
        else:
            log_view(request, agency, "export", count=count)
    body = to_xlsx(transfer.export_rows(qs), transfer.export_cases(agency, flt.year), mask=not unmasked)
    response = HttpResponse(body, content_type=XLSX)
    name = f"{agency.name}-台账{'-' + str(flt.year) if flt.year else ''}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response
