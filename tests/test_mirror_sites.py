"""Labels as mirror sites reprint them: traditional characters with Taiwan phrasing (文件 → 檔案) and pinyin with
tone marks after some characters (`規(guī)章`).  Layouts from real mirror pages; the numbers are made up."""

from __future__ import annotations

from gongkai.parse import parse_text
from gongkai.reading.textnorm import label_key

HEAD = "某某縣某某鎮2021年政府信息公開工作年度報告\n二、主動公開政府信息情況\n"
TABLE_TWO = """第二十條第(一)項 | |||
信息內容 | 本年制發(fā)件數(shù) | 本年廢止件數(shù) | 現(xiàn)行有效件數(shù) |
規(guī)章 | 0 | 0 | 0 |
行政規(guī)范性文件 | 3 | 1 | 14 |
第二十條第(五)項 | |||
信息內容 | 本年處理決定數(shù)量 | ||
行政許可 | 12 | ||
第二十條第(八)項 | |||
信息內容 | 本年收費金額(單位:萬元) | ||
行政事業(yè)性收費 | 0.5 |
"""
TABLE_THREE = """三、收到和處理政府信息公開申請情況
(本列數(shù)據(jù)的勾稽關系為:第一項加第二項之和,等于第三項加第四項之和) | 申請人情況 | ||||||||
自然人 | 法人或其他組織 | 總計 | |||||||
商業(yè)企業(yè) | 科研機構 | 社會公益組織 | 法律服務機構 | 其他 | |||||
一、本年新收政府信息公開申請數(shù)量 | 2 | 1 | 0 | 0 | 0 | 0 | 3 | ||
二、上年結轉政府信息公開申請數(shù)量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
"""


def test_pinyin_after_a_character_is_not_part_of_the_label():
    assert label_key("規(guī)章") == label_key("规章")
    assert label_key("行政事業(yè)性收費") == label_key("行政事业性收费")
    # Without a tone mark too, and twice over, as the same mirrors print it.
    assert label_key("規(gui)章") == label_key("规章")
    assert label_key("政(zheng)(zheng)府信息公(gong)(gong)開") == label_key("政府信息公开")
    # Brackets that are no pinyin note stay: Latin that is no syllable, one letter, or not right after a character.
    assert label_key("規章(a)") != label_key("规章")
    assert label_key("規章(pdf)") != label_key("规章")
    assert label_key("規章 (guī)") != label_key("规章")


def test_rows_whose_labels_carry_pinyin_notes_are_read():
    report = parse_text(HEAD + TABLE_TWO + TABLE_THREE).to_json()
    active = report["active"]
    assert active["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert active["normative_documents"] == {"issued": 3, "repealed": 1, "in_force": 14}
    assert active["fees"] == {"amount_wan_yuan": 0.5}
    assert report["requests"]["new_received"] == [2, 1, 0, 0, 0, 0, 3]


def test_taiwan_phrasing_of_normative_documents_is_read():
    text = """某市國資委2020年政府信息公開工作年度報告
二、主動公開政府信息情況
  第二十條第(一)項
  信息內容
本年新製作數量
本年新公開數量
對外公開總數量
  規章
0
0
0
  規範性檔案
4
4
96
三、收到和處理政府信息公開申請情況
"""
    active = parse_text(text).to_json()["active"]
    assert active["normative_documents"] == {"new_made": 4, "new_published": 4, "total_published": 96}
