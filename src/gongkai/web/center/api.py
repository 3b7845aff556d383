"""REST API (django-ninja); the OpenAPI document is at /api/openapi.json and browsable at /api/docs.

Reads are open when GONGKAI_PUBLIC_READ is on; writes need `Authorization: Bearer <token>` of an editor or admin.
"""

from __future__ import annotations

import logging
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import Http404, HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404
from ninja import File, Form, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer
from pydantic import Field

from gongkai.errors import InputError, TooLarge
from gongkai.spec import FORMATS, SMALL_DENOMINATOR
from gongkai.web.center.models import Agency, Report
from gongkai.web.center.schemas import (
    AgencyIn,
    AgencyMergeIn,
    AgencyMergeOut,
    AgencyOut,
    AgencyPatch,
    CellOut,
    CorrectionIn,
    CorrectionOut,
    ErrorOut,
    FindingOut,
    Id,
    IngestOut,
    JobOut,
    LevelKey,
    RateKey,
    ReportPage,
    Year,
)
from gongkai.web.center.services import agency_edits, corrections
from gongkai.web.center.services.compare import RATE_BY_KEY, rate_rows, reports_for_year, year_over_year
from gongkai.web.center.services.consolidate import consolidate
from gongkai.web.center.services.documents import correction_json, current_document, number
from gongkai.web.center.services.ingest import UNPARSABLE_UPLOAD, expand_zip, ingest_many_atomic, is_zip
from gongkai.web.center.services.jobs import visible_jobs
from gongkai.web.center.services.permissions import can_upload
from gongkai.web.center.services.queries import ReportFilter
from gongkai.web.center.services.refusal import Refused
from gongkai.web.center.services.tokens import user_for

MAX_FILES_PER_REQUEST = 100
log = logging.getLogger("gongkai.web")


class WriteAuth(HttpBearer):
    """A bearer token of an active editor or admin."""

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for(token)
        if user is not None:
            request.user = user
        return user


class UserAuth(WriteAuth):
    """A logged-in session or a bearer token: for what belongs to a user (their upload jobs)."""

    def __call__(self, request: HttpRequest):
        if request.user.is_authenticated:
            return request.user
        return super().__call__(request)


class ReadAuth(WriteAuth):
    """Open when the site is public; otherwise a token or a logged-in session."""

    def __call__(self, request: HttpRequest):
        if getattr(settings, "GONGKAI_PUBLIC_READ", True) or request.user.is_authenticated:
            return True
        return super().__call__(request)


class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese as characters, not \\u escapes: readable with curl and in the browser."""

    json_dumps_params = {"ensure_ascii": False}  # noqa: RUF012 — a class-level option of django-ninja


api = NinjaAPI(
    title="gongkai 年报数据中心 API",
    renderer=ChineseJSONRenderer(),
    version="1",
    description="政府信息公开工作年度报告：年报、单元格、检查结果、机关、上传与更正。写操作需要 Bearer 令牌。",
    urls_namespace="api",
    auth=ReadAuth(),
)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra) -> None:
        super().__init__(message)
        self.status, self.payload = status, {"code": code, "message": message, **extra}


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return api.create_response(request, exc.payload, status=exc.status)


@api.exception_handler(Refused)
def _refused(request, exc: Refused):
    # What the rules refuse (a correction, a change to the tree): the message says why, in Chinese.
    return api.create_response(request, {"code": exc.code, "message": exc.message}, status=exc.status)


# Pydantic's error types in Chinese; ctx values (limits, choices) are filled in.
_ERROR_MESSAGES = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "string_too_short": "至少 {min_length} 个字",
    "string_too_long": "最多 {max_length} 个字",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "literal_error": "只能是 {expected}",
    "enum": "只能是 {expected}",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "extra_forbidden": "不允许此项",
    "union_tag_invalid": "取值不正确",
}


def _in_chinese(error: dict) -> dict:
    """One pydantic error as {位置, 说明} in Chinese; the original type stays for programs."""
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "form", "payload")]
    template = _ERROR_MESSAGES.get(error.get("type", ""))
    try:
        msg = template.format(**(error.get("ctx") or {})) if template else "取值不正确"
    except (KeyError, IndexError):
        msg = "取值不正确"
    msg = msg.replace("' or '", "、").replace("'", "")
    return {"loc": error.get("loc", []), "field": ".".join(loc), "type": error.get("type", ""), "msg": msg}


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    detail = [_in_chinese(e) for e in exc.errors]
    summary = "；".join(f"{d['field'] or '请求'}：{d['msg']}" for d in detail[:5])
    return api.create_response(
        request,
        {"code": "invalid", "message": f"请求参数的类型或取值不正确（{summary}）", "detail": detail},
        status=422,
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    # django-ninja raises these itself, e.g. 400 for a body that does not parse: same shape as our errors.
    if exc.status_code == 400:
        payload = {"code": "invalid_body", "message": "请求内容无法解析（应为有效的 JSON 或表单）"}
    else:
        payload = {"code": "error", "message": exc.message}
    return api.create_response(request, payload, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFilesSent)
def _request_too_big(request, exc):
    return api.create_response(
        request,
        {"code": "too_large", "message": "请求过大：文件或文本超过上限，或文件数过多；请分批上传或打包为 zip"},
        status=413,
    )


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request, exc):
    # Django refuses a part whose headers pass 1 KB (a file name of several hundred characters) or a broken form.
    log.info("unparsable multipart request on %s: %s", request.path, exc)
    return api.create_response(request, {"code": "bad_request", "message": UNPARSABLE_UPLOAD}, status=400)


@api.exception_handler(Exception)
def _server_error(request, exc):
    log.exception("API error on %s %s", request.method, request.path)
    return api.create_response(request, {"code": "server_error", "message": "服务器内部错误，已记录"}, status=500)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"code": "not_found", "message": "请求的年报、机关或任务不存在"}, status=404)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return api.create_response(
        request, {"code": "unauthorized", "message": "需要有效的接口令牌（Authorization: Bearer …）"}, status=401
    )


# What any read can answer besides 200: a parameter with a NUL character, a private site without a token,
# a missing id, a malformed parameter.
READ_ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _report_out(r: Report) -> dict:
    return {
        "id": r.pk,
        "title": r.title,
        "agency": r.agency,
        "agency_confidence": r.agency_confidence,
        "year": r.year,
        "year_confidence": r.year_confidence,
        "format": r.format,
        "status": r.status,
        "error_count": r.error_count,
        "warning_count": r.warning_count,
        "filename": r.document.filename,
        "sha256": r.document.sha256,
    }


def _report(pk: int) -> Report:
    return get_object_or_404(Report.objects.select_related("agency", "document"), pk=pk)


# -- reads ---------------------------------------------------------------------------------------------------


class ReportQuery(Schema):
    agency: Id | None = None
    q: str = ""
    year: Year | None = None
    format: str | None = None
    has_errors: bool | None = None
    region: str = Field("", max_length=100, description="地区名称（含下级），如 淮安")
    level: LevelKey | None = None
    missing: Literal["agency", "year"] | None = Field(None, description="只看未识别机关或年度的年报")
    rule: str = Field("", max_length=64, description="只看有该检查规则问题的年报")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=2**63 - 1)


@api.get(
    "/reports",
    response={200: ReportPage, **READ_ERRORS},
    summary="年报列表（可按机关、标题或机关全称、地区（含下级）、层级、年度、格式、是否有错误、检查规则、未识别项筛选）",
)
def list_reports(request, query: Query[ReportQuery]):
    if query.format and query.format not in FORMATS:
        raise ApiError(422, "invalid", f"格式只能是 {'、'.join(FORMATS)}")
    flt = ReportFilter(
        agency=query.agency,
        q=query.q.strip(),
        year=query.year,
        format=query.format or "",
        has_errors=query.has_errors,
        rule=query.rule.strip(),
        region=query.region.strip(),
        level=query.level or "",
        missing=query.missing or "",
    )
    qs = flt.apply().order_by("pk")
    items = [_report_out(r) for r in qs[query.offset : query.offset + query.limit]]
    return {"count": qs.count(), "limit": query.limit, "offset": query.offset, "items": items}


@api.get(
    "/reports/{pk}", response={200: dict, **READ_ERRORS}, summary="一份年报的 gongkai.report/v1 文档（已应用更正）"
)
def get_report(request, pk: Id):
    return current_document(_report(pk))


@api.get(
    "/reports/{pk}/cells", response={200: list[CellOut], **READ_ERRORS}, summary="单元格（当前值、原提取值与出处）"
)
def get_cells(request, pk: Id):
    return [
        {
            "path": c.path,
            "label": c.label,
            "kind": c.kind,
            "raw": c.raw,
            "value": number(c.value, c.kind),
            "extracted": number(c.extracted, c.kind),
            "corrected": c.corrected,
            "evidence": c.evidence,
        }
        for c in _report(pk).cell_rows.order_by("pk")
    ]


@api.get(
    "/reports/{pk}/findings", response={200: list[FindingOut], **READ_ERRORS}, summary="检查结果（更正后重新计算）"
)
def get_findings(request, pk: Id):
    return [f.to_json() for f in _report(pk).finding_rows.all()]


@api.get("/reports/{pk}/corrections", response={200: list[dict], **READ_ERRORS}, summary="更正历史")
def get_corrections(request, pk: Id):
    return current_document(_report(pk))["corrections"]


@api.get("/agencies", response={200: list[AgencyOut], **READ_ERRORS}, summary="机关（parent 为空时列出顶层）")
def list_agencies(request, parent: Id | None = None, q: str = "", limit: Annotated[int, Field(ge=1, le=1000)] = 200):
    qs = Agency.objects.all()
    qs = qs.filter(name__icontains=q.strip()) if q.strip() else qs.filter(parent_id=parent)
    return list(qs.order_by("name")[:limit])


@api.get("/agencies/{pk}", response={200: AgencyOut, **READ_ERRORS}, summary="一个机关")
def get_agency(request, pk: Id):
    return get_object_or_404(Agency, pk=pk)


@api.get(
    "/jobs/{pk}",
    auth=UserAuth(),
    response={200: JobOut, **READ_ERRORS},
    summary="上传任务的进度与每个文件的结果（本人的任务；管理员可看全部）",
)
def get_job(request, pk: Id):
    job = get_object_or_404(visible_jobs(request.auth), pk=pk)
    return {
        "id": job.pk,
        "status": job.status,
        "total": job.total,
        "processed": job.processed,
        "items": [
            {"filename": i.filename, "status": i.status, "code": i.code, "message": i.message, "report_id": i.report_id}
            for i in job.items.all()
        ],
    }


# -- comparisons -------------------------------------------------------------------------------------------


@api.get(
    "/agencies/{pk}/years",
    response={200: dict, **READ_ERRORS},
    summary="一个机关的历年对比与跨年度检查（上年结转、现行有效件数）",
)
def agency_years(request, pk: Id):
    yoy = year_over_year(get_object_or_404(Agency, pk=pk))
    years = sorted(yoy.reports)
    return {
        "agency_id": pk,
        "years": years,
        "reports": {str(y): yoy.reports[y].pk for y in years},
        "series": [{**s, "values": [number(v) for v in s["values"]]} for s in yoy.series()],
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "year": f.year,
                "message": f.message,
                "cells": f.cells,
                "expected": number(f.expected),
                "found": number(f.found),
            }
            for f in yoy.findings
        ],
    }


@api.get(
    "/compare",
    response={200: dict, **READ_ERRORS},
    summary="同一年度机关间比较（可限地区、层级）：比率、定义、分子分母；分母过小不排名",
)
def compare(request, year: Year, rate: RateKey = "granted", within: Id | None = None, level: LevelKey | None = None):
    spec = RATE_BY_KEY[rate]
    region = get_object_or_404(Agency, pk=within) if within is not None else None
    rows = rate_rows(spec, reports_for_year(year, region, level or ""))
    return {
        "year": year,
        "rate": {"key": spec.key, "name": spec.name, "definition": spec.definition},
        "small_denominator": SMALL_DENOMINATOR,
        "items": [
            {
                "report_id": r.report.pk,
                "agency": str(r.report.agency),
                "agency_id": r.report.agency_id,
                "numerator": number(r.numerator),
                "denominator": number(r.denominator),
                "rate": r.rate,
                "rank": r.rank,
                "small": r.small,
            }
            for r in rows
        ],
    }


@api.get(
    "/agencies/{pk}/consolidation",
    response={200: dict, **READ_ERRORS},
    summary="汇总下级单位某年度的年报，列出未报送与有错误的单位",
)
def consolidation(request, pk: Id, year: Year):
    result = consolidate(get_object_or_404(Agency, pk=pk), year)
    return {
        "agency_id": pk,
        "year": year,
        "format": result.format_id,
        "contributors": [
            {"agency_id": c.agency.pk, "agency": c.agency.name, "report_id": c.report.pk if c.report else None}
            | {"state": c.state}
            for c in result.contributors
        ],
        "sums": {path: number(v) for path, v in sorted(result.sums.items())},
        "own_report_id": result.own.pk if result.own else None,
        "differences": [{"path": p, "sum": number(s), "own": number(o)} for p, s, o in result.differences()],
    }


# -- writes --------------------------------------------------------------------------------------------------


def _require_editor(request) -> None:
    if not can_upload(request.auth):
        raise ApiError(403, "forbidden", "需要编辑或管理员的令牌")


@api.post(
    "/ingest",
    auth=WriteAuth(),
    response={
        200: IngestOut,
        201: IngestOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
    },
    summary="上传年报（文件、压缩包或文本）；全部成功才入库，任何文件无法识别则一份也不保存",
)
def ingest(request, files: File[list[UploadedFile]] = None, text: Form[str] = ""):
    _require_editor(request)
    files = files or []
    if not files and not text.strip():
        raise ApiError(422, "empty", "请上传文件或提供 text 文本")
    if len(files) > MAX_FILES_PER_REQUEST:
        raise ApiError(413, "too_many_files", f"一次最多上传 {MAX_FILES_PER_REQUEST} 个文件")
    if sum(f.size for f in files) + len(text.encode("utf-8")) > settings.GONGKAI_MAX_REQUEST_BYTES:
        raise ApiError(
            413, "too_large", f"一次上传合计超过 {settings.GONGKAI_MAX_REQUEST_BYTES // 1024 // 1024} MB，请分批上传"
        )
    limit = settings.GONGKAI_MAX_UPLOAD_BYTES
    batch: list[tuple[str, bytes]] = []
    try:
        for upload in files:
            name = upload.name or "upload"
            cap = settings.GONGKAI_MAX_ZIP_BYTES if name.lower().endswith(".zip") else limit
            if upload.size > cap:
                raise TooLarge(f"文件“{name}”过大，超过上限 {cap // 1024 // 1024} MB", "file too large")
            data = upload.read()
            batch += expand_zip(data) if is_zip(name, data) else [(name, data)]
        if text.strip():
            batch.append(("粘贴的文本.txt", text.encode("utf-8")))
        outcomes = ingest_many_atomic(batch, request.auth)
    except TooLarge as exc:
        raise ApiError(413, exc.code, exc.message_zh) from None
    except InputError as exc:
        extra = {"message_en": exc.message_en, "filename": getattr(exc, "filename", None)}
        raise ApiError(403 if exc.code == "outside_region" else 422, exc.code, exc.message_zh, **extra) from None
    items = [
        {"filename": name, "report_id": o.report.pk, "created": o.created}
        for (name, _), o in zip(batch, outcomes, strict=True)
    ]
    return Status(201 if any(o.created for o in outcomes) else 200, {"items": items})


@api.post(
    "/reports/{pk}/corrections",
    auth=WriteAuth(),
    response={201: CorrectionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="更正单元格数值、机关或年度（记录修改人、时间与原因，重新检查）",
)
def post_correction(request, pk: Id, body: CorrectionIn):
    _require_editor(request)
    report = _report(pk)
    if body.field == "value":
        if not body.path:
            raise corrections.CorrectionError("更正单元格时必须给出 path", 422)
        c = corrections.correct_cell(report, body.path, str(body.value), body.reason, request.auth)
    elif body.field == "year":
        c = corrections.correct_year(report, body.value, body.reason, request.auth)
    elif isinstance(body.value, int):
        c = corrections.correct_agency(report, body.value, body.reason, request.auth)
    else:
        c = corrections.correct_agency_by_name(report, str(body.value), body.reason, request.auth)
    report.refresh_from_db()
    return Status(201, correction_json(c) | {"report_status": report.status})


# -- the agency tree -----------------------------------------------------------------------------------------

_AGENCY_WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _parent(pk: int | None) -> Agency | None:
    if pk is None:
        return None
    parent = Agency.objects.filter(pk=pk).first()
    if parent is None:
        raise ApiError(404, "not_found", f"上级机关 {pk} 不存在")
    return parent


@api.post("/agencies", auth=WriteAuth(), response={201: AgencyOut, **_AGENCY_WRITE}, summary="新建机关")
def create_agency(request, body: AgencyIn):
    _require_editor(request)
    parent = _parent(body.parent_id)
    fields = body.model_dump(exclude={"parent_id"})
    return Status(201, agency_edits.create_agency(request.auth, parent=parent, **fields))


@api.patch(
    "/agencies/{pk}",
    auth=WriteAuth(),
    response={200: AgencyOut, **_AGENCY_WRITE},
    summary="修改机关的名称、层级、类型、上级或行政区划代码（留有修改记录）",
)
def update_agency(request, pk: Id, body: AgencyPatch):
    _require_editor(request)
    agency = get_object_or_404(Agency, pk=pk)
    changes = body.model_dump(exclude_unset=True)
    if "parent_id" in changes:
        changes["parent"] = _parent(changes.pop("parent_id"))
    if any(value is None for key, value in changes.items() if key != "parent"):
        raise ApiError(422, "invalid", "除 parent_id 外，字段不能为 null")
    return agency_edits.update_agency(agency, request.auth, **changes)


@api.post(
    "/agencies/{pk}/merge",
    auth=WriteAuth(),
    response={200: AgencyMergeOut, **_AGENCY_WRITE},
    summary="把重复的机关合并到另一个机关：年报与下级机关移过去，然后删除本机关",
)
def merge_agency(request, pk: Id, body: AgencyMergeIn):
    _require_editor(request)
    source = get_object_or_404(Agency, pk=pk)
    target = get_object_or_404(Agency, pk=body.into)
    moved = agency_edits.merge_agency(source, target, request.auth)
    return {"into": target, **moved}


@api.delete(
    "/agencies/{pk}",
    auth=WriteAuth(),
    response={204: None, **_AGENCY_WRITE},
    summary="删除没有年报和下级机关的机关",
)
def delete_agency(request, pk: Id):
    _require_editor(request)
    agency = get_object_or_404(Agency, pk=pk)
    agency_edits.delete_agency(agency, request.auth)
    return Status(204, None)
