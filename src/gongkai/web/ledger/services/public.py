"""The applicant's side: the public application form (rate-limited, safe attachments only) and the status
lookup by 查询码, which shows the state and the deadline and nothing else."""

from __future__ import annotations

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction

from gongkai.web.center.services.refusal import Refused
from gongkai.web.ledger.models import Attachment, Request
from gongkai.web.ledger.services import labels, records

MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
APPLY_LIMIT = (5, 3600)  # applications per address per hour
LOOKUP_LIMIT = (20, 600)  # look-ups per address per 10 minutes: a 查询码 cannot be guessed by trying
# What a safe attachment is, by its first bytes (never by its name): PDF, PNG, JPEG.
SIGNATURES = {b"%PDF-": ("application/pdf", ".pdf"), b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
              b"\xff\xd8\xff": ("image/jpeg", ".jpg")}  # fmt: skip


class Throttled(Refused):
    code = "throttled"

    def __init__(self, message: str) -> None:
        super().__init__(message, status=429)


def throttle(kind: str, address: str, limit: tuple[int, int]) -> None:
    count, window = limit
    key = f"gongkai:ledger:{kind}:{address}"
    if cache.add(key, 1, window):
        return
    try:
        value = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        return
    if value > count:
        raise Throttled("提交过于频繁，请稍后再试" if kind == "apply" else "查询过于频繁，请稍后再试")


def check_attachment(name: str, data: bytes) -> tuple[str, str]:
    """(content type, extension) of a safe attachment, or Refused with the reason."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise Refused(f"附件“{name}”超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB")
    for magic, kind in SIGNATURES.items():
        if data.startswith(magic):
            if kind[1] == ".pdf" and any(word in data for word in (b"/JavaScript", b"/Launch", b"/EmbeddedFile")):
                raise Refused(f"附件“{name}”含有脚本或嵌入文件，不予接收")
            return kind
    raise Refused(f"附件“{name}”不是 PDF、PNG 或 JPEG 文件，不予接收（仅接受这三种格式）")


@transaction.atomic
def apply(agency, data: dict, files: list) -> Request:
    content = (data.get("content") or "").strip()
    name = (data.get("applicant_name") or "").strip()
    contact = (data.get("contact") or "").strip()
    if not content or not name or not contact:
        raise Refused("请填写申请人姓名（名称）、联系方式和所需政府信息的描述")
    if len(content) > 5000:
        raise Refused("申请内容过长（最多 5000 字）")
    if len(files) > MAX_ATTACHMENTS:
        raise Refused(f"最多上传 {MAX_ATTACHMENTS} 个附件")
    checked = []
    for f in files:
        blob = f.read(MAX_ATTACHMENT_BYTES + 1)
        checked.append((f.name[:200], blob, *check_attachment(f.name, blob)))
    if data.get("applicant_type") not in labels.applicant_types():
        raise Refused("请选择申请人类型")
    req = records.create_request(
        agency,
        {
            "received": records.today(),
            "channel": "online",
            "applicant_type": data["applicant_type"],
            "applicant_name": name[:200],
            "contact": contact[:200],
            "id_number": (data.get("id_number") or "").strip()[:64],
            "content": content,
        },
        None,
        action="public",
    )
    for filename, blob, content_type, ext in checked:
        Attachment.objects.create(
            request=req,
            filename=filename,
            content_type=content_type,
            size=len(blob),
            file=ContentFile(blob, name=f"attachment{ext}"),
        )
    return req


def lookup(code: str) -> dict | None:
    """State and deadline of the request with this 查询码; nothing else about it."""
    code = (code or "").strip().upper().replace(" ", "")
    if not code or len(code) > 16:
        return None
    req = Request.objects.select_related("agency").filter(query_code=code).first()
    if req is None:
        return None
    clock = records.clock_of(req)
    return {"state": clock.state, "state_label": clock.state_label, "due": clock.due}
