"""The damage classes for templates that do not fit the format (foreign_block, columns_reordered, two_reports) print
what they claim, and gongkai reads them with no wrong value: a cell the text does not place is left unread."""

from __future__ import annotations

import random
import re

import pytest

from gongkai.parse import parse_text
from gongkai.proving.evaluate import classify_cells, flatten
from gongkai.proving.synth import REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_ROWS
from gongkai.proving.synth_damage import NO_REVIEW, DamagedReport, damaged_report
from gongkai.spec import FORMATS

SEEDS = range(30)


def _case(damage: str, seed: int, format_id: str | None = None) -> DamagedReport:
    return damaged_report(random.Random(f"gongkai.damage-templates:{seed}"), damage, format_id)


def _wrong(case: DamagedReport) -> list[dict]:
    return classify_cells(case.truth, parse_text(case.text).to_json(), case.undetermined)["wrong"]


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _first_report(case: DamagedReport) -> str:
    """The text up to a second report's title (the whole text when there is none)."""
    titles = [m.start() for m in re.finditer(r"^(?:# )?\S*政府信息公开工作年度报告$", case.text, re.M)]
    return case.text[: titles[1]] if len(titles) > 1 else case.text


def _active_heads(case: DamagedReport) -> dict[str, list[str]]:
    """表二's blocks: article → the field labels its header row prints."""
    heads, article = {}, ""
    for line in _first_report(case).splitlines():
        if line.startswith("| 第二十条"):
            article = _cells(line)[0]
        elif line.startswith("| 信息内容 |"):
            heads[article] = _cells(line)[1:]
    return heads


# ---------------------------------------------------------------------------
# foreign_block
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_a_foreign_block_prints_the_other_formats_headers_and_leaves_its_cells_undetermined(seed):
    case = _case("foreign_block", seed)
    own, other = FORMATS[case.format], FORMATS["2019" if case.format == "2021" else "2021"]
    heads = {
        b.article: [f.label for f in b.fields] for b in other.active if any(o.article == b.article for o in own.active)
    }
    printed = _active_heads(case)
    foreign = [article for article, labels in heads.items() if printed[article][: len(labels)] == labels]
    assert len(foreign) == 1  # exactly one block under the other format's headers
    [block] = [b for b in own.active if b.article == foreign[0]]
    assert case.undetermined == {f"active.{r.key}.{f.key}" for r in block.rows for f in block.fields}
    # A row the foreign block does not print (2019 其他对外管理服务事项 under a 2021 （五）) has no value in the truth.
    other_rows = {r.key for b in other.active if b.article == block.article for r in b.rows}
    for row in block.rows:
        assert (row.key in other_rows) == any(v is not None for v in case.truth["active"][row.key].values())


@pytest.mark.parametrize("seed", SEEDS)
def test_a_2019_report_with_a_2021_block_is_read_with_no_wrong_value(seed):
    assert _wrong(_case("foreign_block", seed, "2019")) == []


def test_a_2021_report_with_a_2019_block_is_read_with_no_wrong_value():
    assert [w for seed in SEEDS for w in _wrong(_case("foreign_block", seed, "2021"))] == []


# ---------------------------------------------------------------------------
# columns_reordered
# ---------------------------------------------------------------------------
REQUEST_SUB = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
REVIEW_OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结"]


def _reordered(case: DamagedReport) -> list[str]:
    """Which tables print their columns in another order than the format's, checked against the values: each
    value printed under a header is the truth of that header's field."""
    lines = case.text.splitlines()
    found = []
    sub = next(_cells(line)[4:9] for line in lines if "| 商业企业 |" in line or "| 科研机构 |" in line)
    assert sorted(sub) == sorted(REQUEST_SUB)
    if sub != REQUEST_SUB:
        found.append("requests")
        [row] = [_cells(line) for line in lines if line.startswith("| 一、本年新收政府信息公开申请数量 |")]
        truth = dict(zip(REQUEST_COLUMNS, case.truth["requests"]["new_received"], strict=True))
        by_label = dict(zip(REQUEST_SUB, REQUEST_COLUMNS[1:6], strict=True))
        assert [int(v) for v in row[4:9]] == [truth[by_label[label]] for label in sub]
    at = next(i for i, line in enumerate(lines) if line.startswith("| 行政复议 |"))
    outcomes = _cells(lines[at + 2])[:4]
    assert sorted(outcomes) == sorted(REVIEW_OUTCOMES)
    assert _cells(lines[at + 3])[5:9] == _cells(lines[at + 3])[10:14] == outcomes  # both litigation blocks
    if outcomes != REVIEW_OUTCOMES:
        found.append("review")
        values = [int(v) for v in _cells(lines[at + 4])]
        by_label = dict(zip(REVIEW_OUTCOMES, REVIEW_COLUMNS[:4], strict=True))
        for block, row in enumerate(REVIEW_ROWS):
            truth = dict(zip(REVIEW_COLUMNS, case.truth["review_litigation"][row], strict=True))
            assert values[block * 5 : block * 5 + 4] == [truth[by_label[label]] for label in outcomes]
    heads = _active_heads(case)
    assert list(heads) == [b.article for b in FORMATS[case.format].active]
    for block in FORMATS[case.format].active:
        labels, printed = [f.label for f in block.fields], heads[block.article]
        if printed[: len(labels)] != labels:
            assert sorted(printed[: len(labels)]) == sorted(labels)
            found.append(f"active {block.article}")
    return found


@pytest.mark.parametrize("seed", SEEDS)
def test_columns_reordered_prints_one_table_in_another_order_with_its_values_in_that_order(seed):
    case = _case("columns_reordered", seed)
    assert len(_reordered(case)) == 1
    assert case.undetermined == frozenset()  # the header says which value is which


def test_columns_reordered_reorders_each_kind_of_table():
    kinds = {_reordered(_case("columns_reordered", seed))[0].split(" ")[0] for seed in SEEDS}
    assert kinds == {"requests", "review", "active"}


@pytest.mark.parametrize("seed", SEEDS)
def test_reordered_columns_are_never_read_by_the_formats_order(seed):
    assert _wrong(_case("columns_reordered", seed)) == []


# ---------------------------------------------------------------------------
# two_reports
# ---------------------------------------------------------------------------
def _agency(title: str) -> str:
    return re.sub(r"^# ", "", title).split("20", 1)[0]


@pytest.mark.parametrize("seed", SEEDS)
def test_two_reports_print_another_agencys_report_after_the_first(seed):
    case = _case("two_reports", seed)
    titles = re.findall(r"^(?:# )?\S*政府信息公开工作年度报告$", case.text, re.M)
    assert len(titles) == 2 and _agency(titles[0]) != _agency(titles[1])
    first = _first_report(case)
    assert first.count("三、收到和处理政府信息公开申请情况") == 1
    # The second is a whole report: its six sections (headings in other wordings too) and its tables' numbers.
    second = case.text[len(first) :]
    numbers = iter(re.findall(r"^(?:## )?([一二三四五六])、", second, re.M))  # table rows (一、本年新收…) too
    assert all(n in numbers for n in "一二三四五六")
    assert len(re.findall(r"\d+", second)) > 60
    review_cells = {f"review_litigation.{row}.{col}" for row in REVIEW_ROWS for col in REVIEW_COLUMNS}
    if NO_REVIEW in first:  # the first report prints no 表四: its cells are zeros nothing in it prints
        assert case.undetermined == review_cells
        assert all(v == 0 for p, v in flatten(case.truth).items() if p in review_cells)
        assert "行政复议" not in first.split("四、", 1)[0]  # nor does its overview give a figure
    else:
        assert case.undetermined == frozenset()


def test_two_reports_drop_the_first_reports_review_table_in_some_files():
    assert 5 < sum(NO_REVIEW in _first_report(_case("two_reports", seed)) for seed in SEEDS) < 25


def _plain_and_same_format(case: DamagedReport) -> bool:
    """The second report is of the first's format (its 表三 prints the 2021 （六） sub-rows iff the first's does) and
    its headings are no markdown headings."""
    split_rows = case.text.count("逾期不补正")
    return "\n## 一、" not in case.text and split_rows == (2 if case.format == "2021" else 0)


def test_the_first_of_two_reports_of_one_format_is_read_with_no_wrong_value():
    cases = [c for c in (_case("two_reports", seed) for seed in range(80)) if _plain_and_same_format(c)]
    assert len(cases) >= 10
    assert [w for c in cases for w in _wrong(c)] == []


def test_the_first_of_two_reports_is_read_with_no_wrong_value():
    assert [w for seed in range(100) for w in _wrong(_case("two_reports", seed))] == []
