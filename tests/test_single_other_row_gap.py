"""A 2021 report that prints the 2019-style single （六）其他处理 row, as `pdftotext -layout` gives it (columns
aligned with spaces, a long label wrapped over two lines, its values on a line of their own between the two
halves, a page number inside the table): the row above （六） is placed by position. The run of unlabeled rows is
counted without the two （六） sub-rows the report does not print (counted with them, the row was left unread
as ambiguous). The layout is that of 洪泽区's 2023 report converted by pdftotext; the numbers are made up."""

from __future__ import annotations

from gongkai.parse import parse_text

COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total")

TEXT = """淮安市某某区人民政府
2023 年政府信息公开工作年度报告
  一、总体情况
  本机关依法公开政府信息。
  二、主动公开政府信息情况
              第二十条第（一）项
       信息内容   本年制发件数    本年废止件数    现行有效件数
规章               0          0       0
行政规范性文件          2          1       9
  三、收到和处理政府信息公开申请情况
                                                   申请人情况
                                                         法人或其他组织
                                         自然人   商业  科研  社会公益  法律服务  其他   总计
                                                  企业  机构  组织      机构
  一、本年新收政府信息公开申请数量         13      1     0     0     0     0     14
  二、上年结转政府信息公开申请数量          1      0     0     0     0     0      1
              （一）予以公开                5      0     0     0     0     0      5
              （二）部分公开（区分处理的，只计这一情形，不计其他情形）
                                            2      0     0     0     0     0      2
                            1.属于国家秘密       0     0      0     0   0   0     0
                            2.其他法律行政法规禁止公开   0     0      0     0   0   0     0
                            3.危及“三安全一稳定”   0     0      0     0   0   0     0
              （三）不予公开
                            4.保护第三方合法权益   0     0      0     0   0   0     0
                            5.属于三类内部事务信息  0     0      0     0   0   0     0
  三、本年度                6.属于四类过程性信息   1     0      0     0   0   0     1
  办理结果                  7.属于行政执法案卷     0     0      0     0   0   0     0
                            8.属于行政查询事项     0     0      0     0   0   0     0
                            1.本机关不掌握相关政府信息   3    1      0     0   0   0     4
                  （四）无法提供
                            2.没有现成信息需要另行制作   0     0      0     0   0   0     0

                                                                        -3-
                 3.补正后申请内容仍不明确         0    0   0   0    0    0   0
                 1.信访举报投诉类申请           0    0   0   0    0    0   0
                 2.重复申请                0    0   0   0    0    0   0
                 3.要求提供公开出版物           0    0   0   0    0    0   0
     （五）不予处理
                 4.无正当理由大量反复 申请        0    0   0   0    0    0   0
                 5.要求行政机关确认或重 新出具
                     已获取信息
                                       2    0   0   0    0    0   2
     （六）其他处理                           1    0   0   0    0    0   1
     （七）总计                             14   1   0   0    0    0   15
四、结转下年度继续办理                            0    0   0   0    0    0   0
     四、政府信息公开行政复议、行政诉讼情况
          行政复议                              行政诉讼
                              未经复议直接起诉                  复议后起诉
结果   结果     其他   尚未     总 计 结果 结果 其他       尚未   总 计  结果 结果 其他 尚未  总计
维持   纠正     结果   审结           维持 纠正 结果       审结          维持 纠正 结果 审结
1    0      0   0    1   0    0   0   0    0   0   0     0   0   0
     五、存在的主要问题及改进情况
     无。
     六、其他需要报告的事项
     无。
"""


def _row(report, key: str) -> list:
    return [report.value(f"requests.{key}.{column}") for column in COLUMNS]


def test_row_above_the_single_other_row_is_placed_by_position():
    report = parse_text(TEXT)
    assert _row(report, "not_processed_confirm_existing") == [2, 0, 0, 0, 0, 0, 2]
    assert report.cells["requests.not_processed_confirm_existing.total"].placed == "position"
    assert _row(report, "other_other") == [1, 0, 0, 0, 0, 0, 1]
    assert _row(report, "other_overdue_fee") == [None] * 7  # not printed: absent, not 0
    assert _row(report, "total") == [14, 1, 0, 0, 0, 0, 15]
    rules = {f.rule for f in report.findings}
    assert "requests.other_not_split" in rules and "cells.ambiguous" not in rules
