"""Small display filters for the templates (Chinese names of codes)."""

from django import template

from gongkai.spec import FORMATS
from gongkai.web.center.models import LEVELS

register = template.Library()

_LEVEL = dict(LEVELS)
_SOURCE = {
    "title": "标题",
    "title_above": "标题上方一行",
    "compiled_by": "编制单位",
    "publisher": "发布机构",
    "text": "正文",
    "site_owner": "网站主办单位",
    "statistics_period": "统计期间",
    "filename": "文件名",
    "user": "人工确认",
    "": "未识别",
}
_KIND = {
    "number": "数字",
    "empty": "空白（按 0 计）",
    "placeholder": "占位符（按 0 计）",
    "delta": "增减数",
    "money": "金额",
    "missing": "缺失",
}
_AGENCY_FIELD = {"name": "名称", "level": "层级", "kind": "类型", "parent": "上级", "division_code": "行政区划代码"}
_TABLE = {"active": "表二", "requests": "表三", "review_litigation": "表四"}
_INPUT = {"text": "文本", "html": "网页", "pdf": "PDF", "docx": "Word", "xlsx": "Excel", "ods": "ODS", "odt": "ODT"}


@register.filter
def percent(value) -> str:
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return "—"


@register.filter
def level_name(value) -> str:
    return _LEVEL.get(value or "", "未知层级")


@register.filter
def source_name(value) -> str:
    return _SOURCE.get(value or "", value)


@register.filter
def kind_name(value) -> str:
    return _KIND.get(value or "", value)


@register.filter
def table_name(path: str) -> str:
    return _TABLE.get((path or "").split(".", 1)[0], "")


@register.filter
def input_name(value) -> str:
    return _INPUT.get(value or "", value or "未知")


@register.filter
def confidence_class(value) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "low"
    return "high" if v >= 0.9 else "mid" if v >= 0.7 else "low"


@register.filter
def agency_field_name(value) -> str:
    return _AGENCY_FIELD.get(value, value)


@register.filter
def format_name(value) -> str:
    spec = FORMATS.get(value or "")
    return spec.name.split("（")[0] if spec else (value or "未知")  # the short name: a column of a list


CONFIRM_BELOW = 0.9  # an automatic agency or year with less confidence than this asks an editor to confirm it


@register.filter
def to_confirm(report) -> list[str]:
    """What an editor should confirm on a stored report: an unrecognised or unsure agency or year."""
    if report is None:
        return []
    out = []
    if report.agency_id is None:
        out.append("机关未识别")
    elif report.agency_source != "user" and report.agency_confidence < CONFIRM_BELOW:
        out.append(f"机关待确认（可信度 {percent(report.agency_confidence)}）")
    if report.year is None:
        out.append("年度未识别")
    elif report.year_source != "user" and report.year_confidence < CONFIRM_BELOW:
        out.append(f"年度待确认（可信度 {percent(report.year_confidence)}）")
    return out


@register.filter
def check_summary(report) -> str:
    """ "2 个错误，1 个警告", or "通过检查"."""
    if report is None:
        return ""
    parts = []
    if report.error_count:
        parts.append(f"{report.error_count} 个错误")
    if report.warning_count:
        parts.append(f"{report.warning_count} 个警告")
    return "，".join(parts) or "通过检查"


@register.filter
def job_summary(items) -> str:
    """One line over a job's stored files: how many have errors and how many need their agency or year confirmed."""
    reports = [i.report for i in items if i.report is not None]
    if not reports:
        return ""
    errors = sum(1 for r in reports if r.error_count)
    confirm = sum(1 for r in reports if to_confirm(r))
    return f"{len(reports)} 份年报：{errors} 份有错误，{confirm} 份需确认机关或年度"
