"""`gongkai render`: a parse result, a draft or a published report file, written in the official format."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.parse import parse_file
from gongkai.proving.evaluate import table_differences
from tests.authoring.helpers import make_draft
from tests.conftest import seed_path

runner = CliRunner()


def test_render_a_parse_result_as_word(tmp_path):
    parsed = runner.invoke(app, ["parse", "--json", str(seed_path("004"))])
    assert parsed.exit_code == 0
    source = tmp_path / "report.json"
    source.write_text(parsed.stdout, encoding="utf-8")
    out = tmp_path / "report.docx"
    result = runner.invoke(app, ["render", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "已生成" in result.output
    again = parse_file(out).to_json()
    assert table_differences(json.loads(parsed.stdout), again) == []


def test_render_a_published_file_keeps_its_text(tmp_path):
    out = tmp_path / "puyang.html"
    result = runner.invoke(app, ["render", str(seed_path("002")), "--to", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "濮阳市人民政府2019年政府信息公开工作年度报告" in page
    assert "全市共受理政府信息公开申请199件" in page  # section 一 as published
    original, again = parse_file(seed_path("002")).to_json(), parse_file(out).to_json()
    assert table_differences(original, again) == []
    assert sorted(f["rule"] for f in again["findings"]) == sorted(f["rule"] for f in original["findings"])


def test_render_a_draft(tmp_path):
    draft, truth = make_draft(2, "2021")
    source = tmp_path / "draft.json"
    source.write_text(json.dumps(draft.to_json(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.htm"
    result = runner.invoke(app, ["render", str(source), "--to", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert table_differences({"format": "2021", **truth}, parse_file(out).to_json()) == []


def test_render_refuses_clearly(tmp_path):
    cases = [
        (["render", str(seed_path("003")), "-o", str(tmp_path / "a.docx")], "文字版年报"),
        (["render", str(tmp_path / "missing.json"), "-o", str(tmp_path / "a.docx")], "文件不存在"),
        (["render", str(seed_path("000")), "-o", str(tmp_path / "a.odt")], "请用 --to 指定输出格式"),
    ]
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    cases.append((["render", str(broken), "-o", str(tmp_path / "a.docx")], "不是有效的 JSON"))
    other = tmp_path / "other.json"
    other.write_text('{"schema": "something/v1"}', encoding="utf-8")
    cases.append((["render", str(other), "-o", str(tmp_path / "a.docx")], "不是 gongkai"))
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "Traceback" not in result.output
