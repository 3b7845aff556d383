"""A report being written (its gongkai.draft/v1 JSON) and the history of its review."""

# ruff: noqa: RUF012 — Django declares options (Meta, choices) as class-level lists
from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.web.center.models import Agency, Report

DRAFT, SUBMITTED, RETURNED, APPROVED, PUBLISHED = "draft", "submitted", "returned", "approved", "published"
STATUSES = [
    (DRAFT, "编写中"),
    (SUBMITTED, "已报送待审核"),
    (RETURNED, "已退回修改"),
    (APPROVED, "审核通过待发布"),
    (PUBLISHED, "已发布"),
]

ACTIONS = {
    "create": "开始编写",
    "save": "保存",
    "import": "导入",
    "ledger": "从依申请台账取数",
    "submit": "报送",
    "return": "退回修改",
    "approve": "审核通过",
    "publish": "发布",
    "consolidate": "汇总生成",
}


class ReportDraft(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="drafts")
    year = models.PositiveIntegerField("年度")
    data = models.JSONField("草稿")  # gongkai.draft/v1
    status = models.CharField("状态", max_length=16, choices=STATUSES, default=DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated = models.DateTimeField(auto_now=True)
    published_report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_url = models.URLField("发布网址", max_length=500, blank=True)  # where the agency's site shows it
    # A consolidated report: the 本级 figures as they were before the subordinates' were first added (path → value)
    own_tables = models.JSONField("本级数（汇总前）", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年报草稿"
        ordering = ["-year", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="draft_unique_agency_year")]

    def __str__(self) -> str:
        return f"{self.agency.name}{self.year}年度报告"


class DraftEvent(models.Model):
    """Every save and every step of the review: who, when, what, and why."""

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=16)  # create | save | import | ledger | submit | return | approve | publish
    comment = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=STATUSES)  # after the action
    # What changed: [{"path", "label", "before", "after"}], every cell, text, acknowledgement and the status.
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def get_action_display(self) -> str:
        return ACTIONS.get(self.action, self.action)
