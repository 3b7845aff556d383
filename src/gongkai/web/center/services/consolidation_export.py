"""The consolidated tables as a workbook: the sums in the official layout, every contributor's values,
and the differences from the agency's own report."""

from __future__ import annotations

from openpyxl import Workbook

from gongkai.web.center.models import Cell
from gongkai.web.center.services.consolidate import Consolidation
from gongkai.web.center.services.documents import number
from gongkai.web.center.services.exports import bold_row, layout_sheet, save, xlsx_value


def to_xlsx(result: Consolidation) -> bytes:
    wb = Workbook(write_only=True)
    summary = wb.create_sheet("报送情况")
    summary.append(bold_row(summary, ["单位", "类型", "年报编号", "状态", "错误数"]))
    state_names = {"ok": "已报送", "errors": "已报送（检查有错误）", "missing": "未报送"}
    for c in result.contributors:
        report_id, errors = (c.report.pk, c.report.error_count) if c.report else (None, None)
        row = [c.agency.name, c.agency.get_kind_display(), report_id, state_names[c.state], errors]
        summary.append([xlsx_value(summary, v) for v in row])
    differences = {path for path, _, _ in result.differences()}
    if result.format_id:
        heading = f"{result.agency.name}{result.year}年下级单位年报汇总（{len(result.reports)} 个单位）"
        layout_sheet(
            wb,
            "汇总表",
            heading,
            result.format_id,
            lambda path: (number(result.sums[path]) if path in result.sums else None, path in differences),
        )
    _contributions_sheet(wb, result)
    if result.own is not None:
        sheet = wb.create_sheet("与本机关年报对比")
        sheet.append(bold_row(sheet, ["单元格", "下级之和", "本机关年报"]))
        for path, total, own in result.differences():
            row = [path, number(total) if total is not None else None, number(own) if own is not None else None]
            sheet.append([xlsx_value(sheet, v) for v in row])
    return save(wb)


def _contributions_sheet(wb: Workbook, result: Consolidation) -> None:
    """One row per cell, one column per reporting child: the drill-down on paper."""
    sheet = wb.create_sheet("各单位数值")
    reporting = [c for c in result.contributors if c.report is not None]
    sheet.append(bold_row(sheet, ["单元格", "汇总", *(c.agency.name for c in reporting)]))
    values: dict[tuple[int, str], object] = {
        (report_id, path): value
        for report_id, path, value in Cell.objects.filter(report__in=result.reports).values_list(
            "report_id", "path", "value"
        )
    }
    for path in sorted(result.sums):
        row = [path, number(result.sums[path])]
        for c in reporting:
            value = values.get((c.report.pk, path))
            row.append(number(value) if value is not None else None)
        sheet.append([xlsx_value(sheet, v) for v in row])
