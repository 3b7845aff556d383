"""Layouts written by hand: text copied from a PDF (single spaces, wrapped labels) and Markdown."""

import pytest

from gongkai.parse import parse_text
from gongkai.reading.tokens import tokenize

PDF_LIKE = """某某县交通运输局2022年政府信息公开工作年度报告
一、总体情况
本年度共收到政府信息公开申请 9 件。
二、主动公开政府信息情况
第二十条第（一）项
信息内容 本年制发件数 本年废止件数 现行有效件数
规章 0 0 0
行政规范性文件 2 0 11
第二十条第（五）项
信息内容 本年处理决定数量
行政许可 1,532
第二十条第（六）项
信息内容 本年处理决定数量
行政处罚 87
行政强制 0
第二十条第（八）项
信息内容 本年收费金额（单位：万元）
行政事业性收费 0
三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）
申请人情况
自然人 法人或其他组织 总计
商业企业 科研机构 社会公益组织 法律服务机构 其他
一、本年新收政府信息公开申请数量 7 2 0 0 0 0 9
二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0
三、本年度办理结果 （一）予以公开 3 1 0 0 0 0 4
（二）部分公开（区分处理的，只计这一
情形，不计其他情形） 1 0 0 0 0 0 1
（三）不予公开 1．属于国家秘密 0 0 0 0 0 0 0
2．其他法律行政法规禁止公开 0 0 0 0 0 0 0
3．危及“三安全一稳定” 0 0 0 0 0 0 0
4．保护第三方合法权益 0 0 0 0 0 0 0
5．属于三类内部事务信息 0 0 0 0 0 0 0
6．属于四类过程性信息 0 0 0 0 0 0 0
7．属于行政执法案卷 0 0 0 0 0 0 0
8．属于行政查询事项 0 0 0 0 0 0 0
（四）无法提供 1．本机关不掌握相关政府信息 1 1 0 0 0 0 2
2．没有现成信息需要另行制作 0 0 0 0 0 0 0
3．补正后申请内容仍不明确 0 0 0 0 0 0 0
（五）不予处理 1．信访举报投诉类申请 1 0 0 0 0 0 1
2．重复申请 0 0 0 0 0 0 0
3．要求提供公开出版物 0 0 0 0 0 0 0
4．无正当理由大量反复申请 0 0 0 0 0 0 0
5．要求行政机关确认或重新出具已获取信息 0 0 0 0 0 0 0
（六）其他处理 1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息 0 0 0 0 0 0 0
公开申请
2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0
3．其他 0 0 0 0 0 0 0
（七）总计 6 2 0 0 0 0 8
四、结转下年度继续办理 1 0 0 0 0 0 1
四、政府信息公开行政复议、行政诉讼情况
行政复议 行政诉讼
结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉
结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计
0 1 0 0 1 0 0 0 0 0 0 0 0 0 0
五、存在的主要问题及改进情况
无。
六、其他需要报告的事项
无。
"""


def test_pdf_like_text():
    report = parse_text(PDF_LIKE)
    data = report.to_json()
    assert data["format"] == "2021"
    assert data["active"]["normative_documents"] == {"issued": 2, "repealed": 0, "in_force": 11}
    assert data["active"]["licensing"] == {"decisions": 1532}
    req = data["requests"]
    assert req["new_received"] == [7, 2, 0, 0, 0, 0, 9]
    assert req["granted"] == [3, 1, 0, 0, 0, 0, 4]
    assert req["partially_granted"] == [1, 0, 0, 0, 0, 0, 1]
    assert req["unavailable_not_held"] == [1, 1, 0, 0, 0, 0, 2]
    assert req["not_processed_complaint"] == [1, 0, 0, 0, 0, 0, 1]
    assert req["other_overdue_correction"] == [0] * 7
    assert req["total"] == [6, 2, 0, 0, 0, 0, 8]
    assert req["carried_forward"] == [1, 0, 0, 0, 0, 0, 1]
    assert data["review_litigation"]["review"] == [0, 1, 0, 0, 1]
    assert [f["rule"] for f in data["findings"] if f["severity"] in ("error", "warning")] == []
    assert report.meta["agency"]["name"] == "某某县交通运输局"
    assert report.meta["agency"]["is_department"] is True
    assert report.meta["agency"]["level"] == "county"


def _markdown(text: str) -> str:
    """The same report with its three tables as Markdown tables (one row per line)."""
    out = []
    state = "prose"
    for line in text.splitlines():
        if line.startswith(("二、", "三、", "四、政府")):
            out.append(line)
            state = "header"
        elif line.startswith("五、"):
            out.append(line)
            state = "prose"
        elif state == "prose":
            out.append(line)
        else:
            cells = line.split(" ")
            out.append("| " + " | ".join(cells) + " |")
            if state == "header":  # the table's first row is its Markdown header
                out.append("|" + "---|" * len(cells))
                state = "body"
    return "\n".join(out)


def test_markdown_tables():
    text = _markdown(PDF_LIKE)
    assert "|---|" in text
    got = parse_text(text).to_json()
    want = parse_text(PDF_LIKE).to_json()
    for key in ("format", "active", "requests", "review_litigation"):
        assert got[key] == want[key]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("规章\n|\n2\n|\n14\n|\n||\n", [("规章", False), ("2", False), ("14", False), ("", True), ("", True)]),
        ("a | 1 |\n| 2 | ||", [("a", False), ("1", False), ("", True), ("2", False), ("", True), ("", True)]),
        ("x\t\t3\t", [("x", False), ("", True), ("3", False)]),
        ("行政许可 12 3", [("行政许可", False), ("12", False), ("3", False)]),
        ("二〇二一年 工作", [("二〇二一年 工作", False)]),
        ("|---|:---:|", []),
    ],
)
def test_tokenizer(text, expected):
    assert [(t.text, t.empty) for t in tokenize(text)] == expected


def test_table_of_contents_does_not_mislead():
    from tests.conftest import seed_path

    text = seed_path("001").read_text(encoding="utf-8")
    toc = (
        "目录\n一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
        "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
    )
    with_toc = parse_text(toc + text.replace("0 |\n|\n行政许可", "5 |\n|\n行政许可"))
    plain = parse_text(text.replace("0 |\n|\n行政许可", "5 |\n|\n行政许可"))
    for key in ("active", "requests", "review_litigation"):
        assert with_toc.to_json()[key] == plain.to_json()[key]
    assert with_toc.sections["active"]["start"] > len(toc)


def test_label_cut_before_its_values():
    """A label broken by a manual line break, the values after its first part (PDF from Word)."""
    cut = PDF_LIKE.replace(
        "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0",
        "2．申请人逾期未按收费通知 0 0 0 0 0 0 0\n要求缴纳费用、行政机关不再处理其政府信息公开申请",
    )
    assert cut != PDF_LIKE
    assert parse_text(cut).to_json()["requests"] == parse_text(PDF_LIKE).to_json()["requests"]
