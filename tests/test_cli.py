"""The command line as a user meets it: tables, JSON, exit codes and bad input."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from tests.conftest import SEEDS, seed_path

runner = CliRunner()


def test_parse_prints_chinese_tables():
    result = runner.invoke(app, ["parse", str(seed_path("000"))])
    assert result.exit_code == 0, result.output
    out = result.output
    headings = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况")
    for text in ("石家庄市人民政府", *headings, "914390", "2088"):
        assert text in out
    assert "requests.balance" in out and "1884" in out


def test_parse_json_contract():
    result = runner.invoke(app, ["parse", "--json", str(seed_path("004"))])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["schema"] == "gongkai.report/v1"
    assert doc["source"].endswith("004_hulunbuir_2020.txt")
    assert doc["format"] == "2019"
    assert doc["meta"]["year"]["value"] == 2020
    assert set(doc) >= {"meta", "format", "active", "requests", "review_litigation", "cells", "findings"}
    cell = next(c for c in doc["cells"] if c["path"] == "requests.total.total")
    assert cell == {
        "path": "requests.total.total",
        "label": "三、本年度办理结果 （七）总计 / 总计",
        "value": 223,
        "kind": "number",
        "raw": "223",
        "placed": "label",
        "evidence": cell["evidence"],
    }
    assert cell["evidence"]["line"] == 87


def test_jsonl_one_line_per_file_and_failures_go_on(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary\x00\xff")
    result = runner.invoke(app, ["parse", "--jsonl", str(seed_path("000")), str(bad), str(seed_path("002"))])
    assert result.exit_code == 2
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    docs = [json.loads(line) for line in lines]
    assert docs[0]["format"] == "2021" and docs[2]["format"] == "2019"
    assert docs[1]["error"]["code"] == "not_text"
    assert "不是文本文件" in result.stderr and "error:" in result.stderr


def test_directory_input(tmp_path):
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, tmp_path / path.name)
    result = runner.invoke(app, ["parse", "--jsonl", "--no-progress", str(tmp_path)])
    assert result.exit_code == 0
    assert [json.loads(line)["format"] for line in result.stdout.splitlines()] == [
        "2021", "2021", "2019", "pre2019", "2019",
    ]  # fmt: skip


def test_check_exit_codes():
    assert runner.invoke(app, ["check", str(seed_path("000"))]).exit_code == 1
    assert runner.invoke(app, ["check", str(seed_path("004"))]).exit_code == 0
    assert runner.invoke(app, ["check", str(seed_path("001")), str(seed_path("002"))]).exit_code == 0


def test_summary_for_many_files():
    files = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    result = runner.invoke(app, ["check", "--progress", *files])
    assert result.exit_code == 1  # seed 000 has errors
    assert "共 5 个文件：已解析 5，无法处理 0，含错误级问题 1" in result.stderr


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "文件为空"),
        ("这是一份普通的通知，与年报无关。".encode(), "不是政府信息公开工作年度报告"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "压缩格式"),
        (bytes(range(256)) * 20, "不是文本文件"),
    ],
    ids=["empty", "not-a-report", "pdf", "docx", "binary"],
)
def test_bad_input_gets_a_clear_reason(tmp_path, content, reason):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 2
    assert reason in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_missing_file():
    result = runner.invoke(app, ["check", "/nonexistent/report.txt"])
    assert result.exit_code == 2
    assert "文件不存在" in result.stderr and "file not found" in result.stderr


def test_huge_file_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.truncate(200 * 1024 * 1024)
    result = runner.invoke(app, ["parse", "--jsonl", str(path)])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["code"] == "too_large"
    assert "文件过大" in result.stderr


def test_show_text_evidence():
    result = runner.invoke(app, ["show", str(seed_path("004")), "requests.total.total"])
    assert result.exit_code == 0
    assert "223" in result.stdout and "（七）总计" in result.stdout
    blank = runner.invoke(app, ["show", str(seed_path("004")), "requests.carried_over.other_org"])
    assert "空白单元格" in blank.stdout
    unknown = runner.invoke(app, ["show", str(seed_path("004")), "requests.nope.total"])
    assert unknown.exit_code == 2 and "没有这个单元格" in unknown.stderr


def test_show_pdf_page_with_the_box(tmp_path):
    import random

    from PIL import Image

    from gongkai.proving import synth, synth_files

    tables = synth.random_tables(random.Random(5), "2021")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(synth_files.report_pdf(tables, random.Random(5)))
    png = tmp_path / "evidence.png"
    result = runner.invoke(app, ["show", str(pdf), "requests.total.total", "--png", str(png)])
    assert result.exit_code == 0, result.output
    assert "page=" in result.stdout
    image = Image.open(png).convert("RGB")
    assert image.size[0] > 1000
    red = sum(
        1 for x in range(image.width) for y in range(0, image.height, 2) if image.getpixel((x, y)) == (220, 30, 30)
    )
    assert red > 100  # the box is drawn
