"""Staff pages of the ledger: the agencies with ledgers, one agency's ledger, one request."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gongkai.web.center.models import Agency
from gongkai.web.center.services.permissions import can_edit_agency
from gongkai.web.ledger.models import LedgerSettings, Request
from gongkai.web.ledger.services import detail, labels, records, yearend
from gongkai.web.ledger.services.privacy import is_staff_of, log_view, personal
from gongkai.web.ledger.services.queries import LedgerFilter, soon_limit, state_of, state_q
from gongkai.web.ledger.views.common import attempt, get_agency, get_request, require_editor

PAGE_SIZE = 50


@login_required
@require_GET
def home(request):
    today = records.today()
    soon = soon_limit(today)
    agencies = (
        Agency.objects.filter(ledger_requests__isnull=False)
        .annotate(
            total=Count("ledger_requests"),
            overdue=Count("ledger_requests", filter=state_q("overdue", today, soon)),
            due_soon=Count("ledger_requests", filter=state_q("due_soon", today, soon)),
        )
        .order_by("name")
    )
    q = request.GET.get("q", "").strip()[:100]
    found = Agency.objects.filter(name__icontains=q).order_by("name")[:50] if q else []
    return render(request, "ledger/home.html", {"agencies": agencies, "q": q, "found": found})


@login_required
@require_GET
def agency_ledger(request, pk: int):
    agency = get_agency(pk)
    today = records.today()
    soon = soon_limit(today)
    flt = LedgerFilter.from_params(agency.pk, request.GET)
    cell_label = yearend.restrict_to_cell(flt, agency)
    qs = flt.apply(today, soon).order_by("-received", "-pk")
    counts = flt.counts(today, soon)
    paginator = Paginator(qs, PAGE_SIZE)
    paginator.count = counts[flt.state or "all"]  # already counted with the state counts: no second COUNT
    page = paginator.get_page(request.GET.get("page"))
    rows = []
    for req in page.object_list:
        rows.append({"req": req, "state": state_of(req, today, soon), **personal(req, unmasked=False)})
    years = Request.objects.filter(agency=agency).order_by("-year").values_list("year", flat=True).distinct()
    settings_row = LedgerSettings.objects.filter(agency=agency).first()
    return render(
        request,
        "ledger/agency.html",
        {
            "agency": agency,
            "flt": flt,
            "page": page,
            "rows": rows,
            "counts": counts,
            "states": labels.STATES,
            "outcomes": labels.outcome_short(),
            "applicant_types": labels.applicant_types(),
            "channels": labels.channels(),
            "fee_methods": labels.fee_methods(),
            "years": list(years),
            "query": flt.query_string(),
            "can_edit": can_edit_agency(request.user, agency),
            "public_form": bool(settings_row and settings_row.public_form),
            "today": today,
            "current_year": today.year,
            "cell_label": cell_label,
        },
    )


@login_required
@require_POST
def request_create(request, pk: int):
    agency = get_agency(pk)
    require_editor(request.user, agency)
    created = {}

    def action():
        created["req"] = records.create_request(agency, request.POST.dict(), request.user)

    response = attempt(request, action, "已登记申请", reverse("ledger:agency", args=[agency.pk]))
    if "req" in created:
        return redirect("ledger:request", pk=created["req"].pk)
    return response


@login_required
@require_POST
def agency_settings(request, pk: int):
    agency = get_agency(pk)
    require_editor(request.user, agency)
    row, _ = LedgerSettings.objects.get_or_create(agency=agency)
    row.public_form = request.POST.get("public_form") == "1"
    row.save(update_fields=["public_form"])
    return attempt(
        request,
        lambda: None,
        "已开放网上申请" if row.public_form else "已关闭网上申请",
        reverse("ledger:agency", args=[agency.pk]),
    )


@login_required
@require_GET
def request_detail(request, pk: int):
    req = get_request(pk)
    staff = is_staff_of(request.user, req.agency)
    show = staff and request.GET.get("show") == "personal"
    if show:
        log_view(request, req.agency, "page", req)
    context = detail.request_context(req, records.today())
    return render(
        request,
        "ledger/request.html",
        context
        | {
            "req": req,
            "personal": personal(req, unmasked=show),
            "shown": show,
            "staff": staff,
            "can_edit": can_edit_agency(request.user, req.agency),
            "channels": labels.channels(),
            "applicant_types": labels.applicant_types(),
            "outcomes": labels.outcome_short(),
            "event_kinds": labels.event_kinds(),
            "parties": labels.parties(),
            "fee_methods": labels.fee_methods(),
            "states": labels.STATES,
        },
    )


@login_required
@require_POST
def request_update(request, pk: int):
    req = get_request(pk)
    require_editor(request.user, req.agency)
    data = {k: v for k, v in request.POST.dict().items() if k in (*records.FIELDS, "fee_method")}
    # Personal fields left blank in the form keep their value: the form shows them masked.
    for key in ("applicant_name", "contact", "id_number"):
        if not data.get(key):
            data.pop(key, None)
    return attempt(
        request,
        lambda: records.update_request(req, data, request.user),
        "已保存修改",
        reverse("ledger:request", args=[req.pk]),
    )


@login_required
@require_POST
def event_add(request, pk: int):
    req = get_request(pk)
    require_editor(request.user, req.agency)
    return attempt(
        request,
        lambda: records.add_event(req, request.POST.dict(), request.user),
        "已记录，答复期限已重新计算",
        reverse("ledger:request", args=[req.pk]),
    )


@login_required
@require_POST
def event_delete(request, pk: int, event_id: int):
    req = get_request(pk)
    require_editor(request.user, req.agency)
    return attempt(
        request,
        lambda: records.delete_event(req, event_id, request.user),
        "已删除该事项，答复期限已重新计算",
        reverse("ledger:request", args=[req.pk]),
    )


@login_required
@require_GET
def request_history(request, pk: int):
    """Every version of a request, before and after: staff only, since the snapshots hold personal data."""
    req = get_request(pk)
    if not is_staff_of(request.user, req.agency):
        raise PermissionDenied("修改记录含申请人个人信息，仅本机关工作人员可查看")
    log_view(request, req.agency, "history", req)
    versions = req.versions.select_related("user").order_by("-version")
    return render(request, "ledger/history.html", {"req": req, "versions": detail.version_rows(versions)})


@login_required
@require_GET
def attachment(request, pk: int, attachment_id: int):
    """A file the applicant sent (it may be an ID scan): staff only, as a download, and the view is logged."""
    req = get_request(pk)
    if not is_staff_of(request.user, req.agency):
        raise PermissionDenied("申请人提交的附件仅本机关工作人员可查看")
    item = get_object_or_404(req.attachments, pk=attachment_id)
    log_view(request, req.agency, "attachment", req)
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.filename, content_type=item.content_type
    )
    response["Content-Security-Policy"] = "sandbox"
    return response
