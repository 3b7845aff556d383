"""Damaged cells the text determines are read: long glued 表四 runs, and cut labels that keep their ordinal."""

from __future__ import annotations

import random

from gongkai.fitting.glued import _with_totals, splits
from gongkai.parse import parse_text
from gongkai.proving.synth_damage import DamagedReport, damaged_report


def _case(index: int, damage: str) -> DamagedReport:
    """The damaged report of seed 0 at `index` with `damage` (as damage_case draws it, whatever the rotation)."""
    return damaged_report(random.Random(f"gongkai.damage:0:{index}"), damage)


REVIEW_HEAD = "结果维持结果纠正其他结果尚未审结总计"


def _glued_report(review_digits: str) -> str:
    """pingtan-style crawler text: the 表四 numbers glued after its header."""
    return (
        "某某区2021年政府信息公开工作年度报告\n一、总体情况\n本年度收到申请7件。\n"
        "二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000"
        "行政规范性文件000第二十条第（五）项信息内容本年处理决定数量行政许可5"
        "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
        "一、本年新收政府信息公开申请数量7000007二、上年结转政府信息公开申请数量0000000"
        "三、本年度办理结果（一）予以公开7000007（七）总计7000007四、结转下年度继续办理0000000"
        f"四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼{REVIEW_HEAD}未经复议直接起诉复议后起诉"
        f"{REVIEW_HEAD * 2}{review_digits}五、存在的主要问题及改进情况无。六、其他需要报告的事项无。\n"
    )


def test_a_long_glued_review_run_is_split_block_by_block():
    # 23 digits into 15 numbers: some 320,000 cuts, more than a cut-by-cut search tries; one fits the totals.
    digits = "40105861203314293411018"
    report = parse_text(_glued_report(digits))
    got = [
        report.value(f"review_litigation.{row}.{col}")
        for row in ("review", "litigation_direct", "litigation_after_review")
        for col in ("maintained", "corrected", "other", "pending", "total")
    ]
    # The last block also cuts as 3/4/11/0/18: its 其他结果 and 尚未审结 stay unread.
    assert got == [4, 0, 1, 0, 5, 86, 12, 0, 331, 429, 3, 4, None, None, 18]
    assert report.cells["review_litigation.review.maintained"].placed == "identity"


def test_block_totals_search_finds_exactly_the_cuts_that_satisfy_them():
    for digits in ("000000000000000", "1001112027002700000", "3003033000004021117", "11213112131121311"):
        found = sorted(_with_totals(digits, 4, 3, [10**6]))
        brute = sorted(
            cut
            for cut in splits(digits, 15)
            if all(sum(map(int, cut[i : i + 4])) == int(cut[i + 4]) for i in range(0, 15, 5))
        )
        assert found == brute, digits


def test_two_block_cuts_that_move_a_zero_leave_it_unread():
    # 3/0/0/30/33 and 30/0/3/0/33: 结果纠正 is 0 either way, but which "0" of the run is not known.
    report = parse_text(_glued_report("3003033000004021117"))
    assert report.value("review_litigation.review.corrected") is None
    assert report.value("review_litigation.litigation_after_review.total") == 17


def test_a_cut_label_that_keeps_its_ordinal_names_its_row():
    # label_tail_wrapped: "2．申请人" | 0 | … with the rest of the label on the next line.
    case = _case(480, "label_tail_wrapped")
    assert "|  |  | 2．申请人 |" in case.text
    report = parse_text(case.text)
    row = [report.value(f"requests.other_overdue_fee.{c}") for c in ("natural_person", "commercial", "total")]
    assert row == [case.truth["requests"]["other_overdue_fee"][i] for i in (0, 1, 6)]


def test_every_recovered_damaged_case_is_right():
    cases = [(i, "label_tail_wrapped") for i in range(480, 480 + 14 * 20, 14)] + [
        (656, "glued_cells"),
        (1426, "glued_cells"),
    ]
    for index, damage in cases:
        case = _case(index, damage)
        report = parse_text(case.text).to_json()
        for table in ("requests", "review_litigation"):
            for row, values in (case.truth[table] or {}).items():
                if values is None:
                    continue
                for i, value in enumerate(values):
                    got = report[table][row][i]
                    assert got is None or got == value, (index, table, row, i)


def test_a_long_glued_requests_row_is_split_under_its_total():
    # 30 digits into 7 numbers: some 475,000 cuts, more than a cut-by-cut search tries; one has total = sum of six.
    digits = "123456789101112131415162126836"
    text = _glued_report("000000000000000").replace("申请数量7000007", f"申请数量{digits}")
    text = text.replace("（一）予以公开7000007（七）总计7000007", f"（一）予以公开{digits}（七）总计{digits}")
    report = parse_text(text)
    columns = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total")
    assert [report.value(f"requests.new_received.{c}") for c in columns] == [1234567, 891011, 1213, 14, 15, 16, 2126836]
