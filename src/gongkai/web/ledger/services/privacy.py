"""Personal data of applicants: who may see it unmasked, masking, and the log of every unmasked view."""

from __future__ import annotations

from gongkai.web.center.services.permissions import can_edit_agency
from gongkai.web.center.services.throttle import client_address


def is_staff_of(user, agency) -> bool:
    """Staff of an agency: an editor whose region holds it, or an admin. Only they see personal data unmasked."""
    return agency is not None and can_edit_agency(user, agency)


def mask(value: str, keep_start: int = 1, keep_end: int = 0) -> str:
    value = value or ""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return value[:1] + "*" * (len(value) - 1)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + (value[-keep_end:] if keep_end else "")


def mask_name(value: str) -> str:
    return mask(value, 1, 0)


def mask_id(value: str) -> str:
    return mask(value, 3, 4) if len(value or "") > 8 else mask(value, 1, 0)


def mask_contact(value: str) -> str:
    value = value or ""
    if "@" in value:
        local, _, domain = value.partition("@")
        return mask(local, 1, 0) + "@" + domain
    return mask(value, 3, 4) if len(value) > 8 else mask(value, 1, 0)


def personal(req, unmasked: bool) -> dict[str, str]:
    """The three personal fields of a request, masked unless `unmasked`."""
    if unmasked:
        return {"applicant_name": req.applicant_name, "contact": req.contact, "id_number": req.id_number}
    return {
        "applicant_name": mask_name(req.applicant_name),
        "contact": mask_contact(req.contact),
        "id_number": mask_id(req.id_number),
    }


def log_view(http_request, agency, where: str, req=None, count: int = 1) -> None:
    from gongkai.web.ledger.models import PersonalDataView

    PersonalDataView.objects.create(
        user=http_request.user,
        agency=agency,
        request=req,
        where=where,
        count=count,
        address=client_address(http_request)[:64],
    )
