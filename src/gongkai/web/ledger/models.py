"""Storage of the request ledger (依申请公开台账). The rules live in the core (`gongkai.ledger`): every
computation converts these rows to its dataclasses (services.records.core_request). The only derived values
stored are `due`, `phase`, `pause_end`, `outcome` and `closed_on` on Request, recomputed by the core's clock
whenever a request or one of its events changes, so that a list of 100,000 requests filters by state in SQL."""

# ruff: noqa: RUF012 — Django declares options (Meta, choices, error messages) as class-level lists
from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.web.center.models import Agency


class LedgerSettings(models.Model):
    """Per-agency options: the public application form, and the column mapping of its Excel ledger."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="ledger_settings")
    public_form = models.BooleanField("开放网上申请", default=False)
    import_mapping = models.JSONField("导入列对应关系", default=dict, blank=True)


class Request(models.Model):
    """One application for disclosure. Personal data (applicant_name, contact, id_number) is shown unmasked
    only to staff of the agency, and every such view is logged (PersonalDataView)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="ledger_requests")
    number = models.CharField("编号", max_length=64)
    received = models.DateField("收到日期")
    year = models.PositiveSmallIntegerField("年度", db_index=True)  # received.year, for the filters
    channel = models.CharField("渠道", max_length=32)
    applicant_type = models.CharField("申请人类型", max_length=32)
    applicant_name = models.CharField("申请人", max_length=200, blank=True)
    contact = models.CharField("联系方式", max_length=200, blank=True)
    id_number = models.CharField("证件号码", max_length=64, blank=True)
    content = models.TextField("申请内容", blank=True)
    fee_method = models.CharField("收费方式", max_length=16, blank=True)
    query_code = models.CharField("查询码", max_length=16, unique=True)
    # Derived from the events by the core's clock (refresh on every change), never typed in:
    due = models.DateField("答复期限", null=True, blank=True)
    phase = models.CharField(max_length=24, default="running")  # running, paused, awaiting_*, closed
    pause_end = models.DateField(null=True, blank=True)  # last day of an open pause (paused, awaiting_payment)
    outcome = models.CharField("办理结果", max_length=48, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    problem_count = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "依申请公开申请"
        ordering = ["-received", "-pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="ledger_request_unique_number")]
        indexes = [
            models.Index(fields=["agency", "-received", "-id"], name="ledger_req_agency_recv"),
            models.Index(fields=["agency", "phase", "due"], name="ledger_req_agency_phase_due"),
            models.Index(fields=["agency", "year", "outcome"], name="ledger_req_agency_year"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.number}"


class Event(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32)
    on = models.DateField("日期")
    outcome = models.CharField("办理结果", max_length=48, blank=True)
    party = models.CharField("第三方", max_length=200, blank=True)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]


class Case(models.Model):
    """An administrative review (行政复议) or lawsuit (行政诉讼) about the agency's disclosure work: table 四."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="ledger_cases")
    number = models.CharField("编号", max_length=64)
    kind = models.CharField("类别", max_length=32)
    filed = models.DateField("立案日期")
    outcome = models.CharField("结果", max_length=32, blank=True)
    closed = models.DateField("审结日期", null=True, blank=True)
    request = models.ForeignKey(Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-filed", "-pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="ledger_case_unique_number")]


class RequestVersion(models.Model):
    """Every change to a request (its fields or its events): who, when, and the whole request before and after."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=32)  # create, update, event, delete_event, import
    summary = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "version"]
        constraints = [models.UniqueConstraint(fields=["request", "version"], name="ledger_version_unique")]


class PersonalDataView(models.Model):
    """A view of unmasked personal data: who saw which request('s applicant) where."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE)
    request = models.ForeignKey(Request, null=True, blank=True, on_delete=models.SET_NULL)
    where = models.CharField(max_length=32)  # page, export, api
    count = models.PositiveIntegerField(default=1)  # requests shown at once (an export)
    address = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "个人信息查看记录"
        ordering = ["-created", "-pk"]


class Attachment(models.Model):
    """A file sent with a public application: PDF or image only, checked by content, not by name."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    file = models.FileField(upload_to="ledger/%Y/")
    size = models.PositiveIntegerField()
    created = models.DateTimeField(auto_now_add=True)
