"""The agency's reviews and lawsuits about its disclosure work (表四)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gongkai.web.center.services.permissions import can_edit_agency
from gongkai.web.ledger.models import Case
from gongkai.web.ledger.services import cases as case_service
from gongkai.web.ledger.services import labels
from gongkai.web.ledger.views.common import attempt, get_agency, require_editor


@login_required
@require_GET
def case_list(request, pk: int):
    agency = get_agency(pk)
    return render(
        request,
        "ledger/cases.html",
        {
            "agency": agency,
            "cases": Case.objects.filter(agency=agency).select_related("request"),
            "kinds": labels.case_kinds(),
            "outcomes": labels.case_outcomes(),
            "can_edit": can_edit_agency(request.user, agency),
        },
    )


@login_required
@require_POST
def case_create(request, pk: int):
    agency = get_agency(pk)
    require_editor(request.user, agency)
    return attempt(
        request,
        lambda: case_service.create_case(agency, request.POST.dict()),
        "已登记案件",
        reverse("ledger:cases", args=[agency.pk]),
    )


@login_required
@require_POST
def case_update(request, pk: int):
    case = get_object_or_404(Case.objects.select_related("agency"), pk=pk)
    require_editor(request.user, case.agency)
    return attempt(
        request,
        lambda: case_service.update_case(case, request.POST.dict()),
        "已保存案件",
        reverse("ledger:cases", args=[case.agency.pk]),
    )
