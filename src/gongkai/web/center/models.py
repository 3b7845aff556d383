"""Storage. The parsed `gongkai.report/v1` JSON on Report is the source of truth for evidence;
Cell and Finding rows are denormalised copies for querying, and Correction rows are the history."""

# ruff: noqa: RUF012 — Django declares options (Meta, choices, error messages) as class-level lists
from __future__ import annotations

from django.conf import settings
from django.db import models

# 中央级: the State Council (国务院) and its bodies (教育部, 海关总署…), above every province.
LEVELS = [
    ("central", "中央级"),
    ("province", "省级"),
    ("city", "市级"),
    ("county", "县级"),
    ("township", "乡镇级"),
]
KINDS = [("government", "政府（地区）"), ("department", "部门")]


class Agency(models.Model):
    """A node of the region tree: a government (省 → 市 → 县/区 → 乡镇/街道, or 国务院 at the central level) or a
    department under one."""

    name = models.CharField("名称", max_length=200)
    level = models.CharField("层级", max_length=16, choices=LEVELS, blank=True)
    kind = models.CharField("类型", max_length=16, choices=KINDS, default="government")
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    division_code = models.CharField("行政区划代码", max_length=12, blank=True)
    created = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "机关"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="agency_unique_name_per_parent"),
            # NULL parents never collide in a plain unique constraint: top-level names need their own.
            models.UniqueConstraint(fields=["name"], condition=models.Q(parent=None), name="agency_unique_top_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Agency]:
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:  # guards against a cycle made in the admin
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain[::-1]

    def subtree_ids(self) -> set[int]:
        ids, frontier = {self.pk}, [self.pk]
        while frontier:
            frontier = list(
                Agency.objects.filter(parent_id__in=frontier).exclude(pk__in=ids).values_list("pk", flat=True)
            )
            ids.update(frontier)
        return ids


class AgencyChange(models.Model):
    """One change to the agency tree by a user: the history shown on the agency's page."""

    ACTIONS = [("create", "新建"), ("update", "修改"), ("merge", "合并"), ("delete", "删除")]

    agency = models.ForeignKey(
        Agency, verbose_name="机关", null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    agency_name = models.CharField("机关名称", max_length=200)  # kept when the agency is merged away or deleted
    action = models.CharField("操作", max_length=16, choices=ACTIONS)
    detail = models.JSONField("内容", default=dict)  # {field: [old, new]} for an update; what moved for a merge
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "机关修改记录"
        ordering = ["-created", "-pk"]


class Document(models.Model):
    """An uploaded original, stored once per content hash."""

    sha256 = models.CharField("内容摘要（SHA-256）", max_length=64, unique=True)
    filename = models.CharField("文件名", max_length=255)
    file = models.FileField("文件", upload_to="documents/%Y/")
    size = models.PositiveBigIntegerField("大小（字节）")
    kind = models.CharField("输入类型", max_length=16, blank=True)  # text, html, pdf, docx, … (from the parser)
    source_text = models.TextField("原文", blank=True)  # decoded source: evidence offsets refer to it
    rendered_text = models.TextField(
        "纯文本", blank=True
    )  # plain text as a reader sees it (HTML rendered, never shown as HTML)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "原始文件"

    def __str__(self) -> str:
        return self.filename

    def read(self) -> bytes:
        with self.file.open("rb") as fh:
            return fh.read()


class Report(models.Model):
    STATUS = [("ok", "通过"), ("warnings", "有警告"), ("errors", "有错误")]

    document = models.OneToOneField(Document, verbose_name="原始文件", on_delete=models.CASCADE, related_name="report")
    agency = models.ForeignKey(
        Agency, verbose_name="机关", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    agency_confidence = models.FloatField("机关识别可信度", default=0)
    agency_source = models.CharField(
        "机关识别来源", max_length=32, blank=True
    )  # title, text, site_owner, filename, user…
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True, db_index=True)
    year_confidence = models.FloatField("年度识别可信度", default=0)
    year_source = models.CharField(
        "年度识别来源", max_length=32, blank=True
    )  # title, text, statistics_period, filename, user…
    format = models.CharField("格式", max_length=16, db_index=True)
    parsed = models.JSONField("解析结果")  # the v1 document as extracted; never edited
    printed_title = models.CharField("标题", max_length=255, blank=True)  # copied from parsed: lists need no JSON
    # The current values of the cells that rates read (spec RATE_PATHS), as decimal strings: a ranking of
    # thousands of agencies reads one row per report instead of summing cells. Kept by store.figures_of.
    figures = models.JSONField("比率用到的数字", default=dict, blank=True)
    status = models.CharField("状态", max_length=16, choices=STATUS, default="ok", db_index=True)
    error_count = models.PositiveIntegerField("错误数", default=0)
    warning_count = models.PositiveIntegerField("警告数", default=0)
    created = models.DateTimeField("入库时间", auto_now_add=True, db_index=True)
    updated = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "年报"
        ordering = ["-year", "agency__name", "pk"]
        indexes = [models.Index(fields=["agency", "year"])]

    def __str__(self) -> str:
        return f"{self.agency or '未识别机关'} {self.year or '未知'}年"

    @property
    def title(self) -> str:
        return self.printed_title or str(self)

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0


class Cell(models.Model):
    report = models.ForeignKey(Report, verbose_name="年报", on_delete=models.CASCADE, related_name="cell_rows")
    path = models.CharField("路径", max_length=120)
    table = models.CharField("表", max_length=32, db_index=True)
    label = models.CharField("名称", max_length=255)
    kind = models.CharField(
        "类型", max_length=16
    )  # kind as extracted: number, empty, placeholder, delta, money, missing
    raw = models.TextField("原文", null=True, blank=True)
    extracted = models.DecimalField("提取值", max_digits=20, decimal_places=4, null=True, blank=True)
    value = models.DecimalField("当前值", max_digits=20, decimal_places=4, null=True, blank=True)  # corrected
    corrected = models.BooleanField("已更正", default=False)
    evidence = models.JSONField("出处", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "单元格"
        constraints = [models.UniqueConstraint(fields=["report", "path"], name="cell_unique_path")]
        # Rankings and sums read a few paths of many reports: an index-only scan on PostgreSQL
        # (SQLite ignores INCLUDE and keeps a copy of the unique index).
        indexes = [models.Index(fields=["report", "path"], include=["value"], name="cell_report_path_value")]

    def __str__(self) -> str:
        return self.path


class Finding(models.Model):
    report = models.ForeignKey(Report, verbose_name="年报", on_delete=models.CASCADE, related_name="finding_rows")
    rule = models.CharField("规则", max_length=64, db_index=True)
    severity = models.CharField("级别", max_length=16, db_index=True)
    title = models.CharField("标题", max_length=255)
    message = models.TextField("说明")
    cells = models.JSONField("涉及的单元格", default=list)
    expected = models.JSONField("应为", null=True, blank=True)
    found = models.JSONField("实为", null=True, blank=True)
    span = models.JSONField("原文位置", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查结果"
        ordering = ["pk"]

    def to_json(self) -> dict:
        d = {"rule": self.rule, "severity": self.severity, "title": self.title, "message": self.message}
        d["cells"] = self.cells
        if self.expected is not None or self.found is not None:
            d["expected"], d["found"] = self.expected, self.found
        if self.span:
            d["span"] = self.span
        return d


class Correction(models.Model):
    """One change by a user. The extracted value stays on the Cell and in Report.parsed; this is the history."""

    FIELDS = [("value", "单元格数值"), ("agency", "机关"), ("year", "年度")]

    report = models.ForeignKey(Report, verbose_name="年报", on_delete=models.CASCADE, related_name="corrections")
    cell = models.ForeignKey(
        Cell, verbose_name="单元格", null=True, blank=True, on_delete=models.CASCADE, related_name="corrections"
    )
    field = models.CharField("修改项", max_length=16, choices=FIELDS)
    old = models.CharField("原值", max_length=255, blank=True)
    new = models.CharField("新值", max_length=255, blank=True)
    reason = models.TextField("原因")
    # PROTECT: who made a change is part of the record; deactivate an account instead of deleting it.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, on_delete=models.PROTECT)
    created = models.DateTimeField("时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本")  # 1, 2, … per report

    class Meta:
        verbose_name = verbose_name_plural = "更正记录"
        ordering = ["report", "version"]
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="correction_unique_version")]


class IngestJob(models.Model):
    STATUS = [("pending", "排队中"), ("running", "处理中"), ("done", "已完成"), ("failed", "失败")]

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField("创建时间", auto_now_add=True)
    finished = models.DateTimeField("完成时间", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=STATUS, default="pending")
    total = models.PositiveIntegerField("文件数", default=0)
    processed = models.PositiveIntegerField("已处理", default=0)
    # Who may process the job, and until when: renewed while the holder runs; once past, anyone may take it over.
    lease_owner = models.CharField("处理进程", max_length=100, blank=True)
    lease_until = models.DateTimeField("租约到期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "上传任务"
        ordering = ["-created"]

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.processed / self.total)


class JobItem(models.Model):
    STATUS = [
        ("pending", "等待"),
        ("created", "已入库"),
        ("duplicate", "重复（已存在）"),
        ("refused", "无法识别"),
        ("failed", "处理出错"),
    ]

    job = models.ForeignKey(IngestJob, verbose_name="上传任务", on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField("序号")
    filename = models.CharField("文件名", max_length=255)
    staged = models.FileField("暂存文件", upload_to="staging/", blank=True)  # deleted once processed
    status = models.CharField("状态", max_length=16, choices=STATUS, default="pending")
    code = models.CharField("原因代码", max_length=32, blank=True)
    message = models.TextField("说明", blank=True)
    report = models.ForeignKey(Report, verbose_name="年报", null=True, blank=True, on_delete=models.SET_NULL)
    worker = models.CharField("处理进程", max_length=100, blank=True)  # host:pid of the process that processed it

    class Meta:
        verbose_name = verbose_name_plural = "上传文件"
        ordering = ["job", "position"]


class ExportJob(models.Model):
    """An export of a large set of reports, written by a worker (or a thread) to the storage, downloaded later by
    its owner only; deleted with its file GONGKAI_EXPORT_KEEP_DAYS after it finished."""

    STATUS = IngestJob.STATUS  # the same statuses as uploads: the lease and recovery code serves both

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导出人", on_delete=models.CASCADE)
    query = models.TextField("筛选条件", blank=True)  # the export request's query string, as the page received it
    format = models.CharField("格式", max_length=16)
    status = models.CharField("状态", max_length=16, choices=STATUS, default="pending")
    total = models.PositiveIntegerField("年报数", default=0)
    done = models.PositiveIntegerField("已写出", default=0)
    message = models.TextField("说明", blank=True)  # why it failed, in Chinese
    file = models.FileField("导出文件", upload_to="exports/", max_length=255, blank=True)
    filename = models.CharField("下载文件名", max_length=255, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", null=True, blank=True)
    created = models.DateTimeField("创建时间", auto_now_add=True)
    finished = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)
    lease_owner = models.CharField("处理进程", max_length=100, blank=True)
    lease_until = models.DateTimeField("租约到期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导出任务"
        ordering = ["-created"]

    @property
    def percent(self) -> int:
        return 0 if not self.total else round(100 * self.done / self.total)


class Profile(models.Model):
    """What a user may edit: an editor edits reports of agencies in the subtree of `region` (all when empty)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="gongkai_profile"
    )
    # PROTECT: losing the region must never widen an editor's rights to the whole tree.
    region = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, verbose_name="负责地区")

    class Meta:
        verbose_name = verbose_name_plural = "用户权限范围"


class ApiToken(models.Model):
    """A bearer token for API writes; only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("名称", max_length=100, blank=True)
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    created = models.DateTimeField("创建时间", auto_now_add=True)
    last_used = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"


class StoredFile(models.Model):
    """A file kept in the database (GONGKAI_STORAGE=database): originals and staged uploads that every web
    server and worker reads, whatever machine it runs on."""

    name = models.CharField("文件名", max_length=255, unique=True)
    content = models.BinaryField("内容")
    size = models.PositiveBigIntegerField("大小（字节）")
    created = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "数据库中的文件"

    def __str__(self) -> str:
        return self.name
