"""Injected spam: found with exact spans, never on legitimate wording, never breaking a table."""

import pytest

from gongkai.parse import parse_text
from gongkai.reading.tamper import find_spam
from gongkai.reading.textnorm import fold
from tests.conftest import seed_path


@pytest.mark.parametrize(
    "text",
    [
        "市体育局公开体育彩票公益金使用情况。",
        "开展整治棋牌室赌博专项行动，查处涉赌案件12起。",
        "严厉打击跨境赌场招赌行为。",
        "举办全民健身运动会和棋牌比赛。",
        "公开体育场馆开放时间。",
        "转播欧洲五大联赛比赛，丰富群众文化生活。",
    ],
)
def test_legitimate_wording_is_not_spam(text):
    assert find_spam(fold(text)) == []


@pytest.mark.parametrize(
    ("text", "spam"),
    [
        ("坚持以188比分直播：新时代中国特色社会主义思想为指导", ["188比分直播："]),
        ("发布天天棋牌现行有效规章61件", ["天天棋牌"]),
        ("访问开云体育APP下载最新版", ["开云体育APP"]),
        ("百家乐真人娱乐平台", ["百家乐", "真人娱乐"]),
        ("雷速體育:國務院", ["雷速體育:"]),  # traditional characters
        ("与政务公开办公室欧洲五大联赛:印发通知", ["欧洲五大联赛:"]),  # replacing words, as on a real page
        ("某市beat365官方网站大全_旧版彩票365下载人民政府", ["beat365", "彩票365"]),
    ],
)
def test_spam_spans(text, spam):
    spans = find_spam(fold(text))
    assert [text[s.start : s.end] for s in spans] == spam


def test_spam_inside_a_table_label_and_cell():
    text = seed_path("000").read_text(encoding="utf-8")
    text = text.replace("规章\n|\n2\n|\n14", "规天天棋牌章\n|\n2\n|\n雷速体育:14", 1)
    report = parse_text(text)
    assert report.to_json()["active"]["rules"] == {"issued": 2, "repealed": 14, "in_force": 61}
    assert sorted(f.found for f in report.findings if f.rule == "tamper.spam") == ["天天棋牌", "天天棋牌", "雷速体育:"]
