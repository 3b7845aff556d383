"""Compression bombs in PDFs are refused by a bounded pre-flight, fast and in little memory."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongkai.errors import TooLarge
from gongkai.reading import pdf, pdf_limits
from tests.pdf_bombs import a85_flate_bomb, deflated_blanks, flate_bomb
from tests.pdf_bombs import pdf as make_pdf

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return flate_bomb(256)  # 256 KB on disk, 256 MiB inflated


def test_a_flate_bomb_is_refused_as_a_bomb_not_as_a_scan(bomb):
    assert len(bomb) < 300_000
    started = time.monotonic()
    with pytest.raises(TooLarge) as refused:
        pdf.read(bomb)
    assert time.monotonic() - started < 10
    assert "压缩炸弹" in refused.value.message_zh and "扫描件" not in refused.value.message_zh
    assert "100 MB" in refused.value.message_zh and "bomb" in refused.value.message_en


@pytest.mark.parametrize(
    "hostile",
    [
        pytest.param(lambda: flate_bomb(256, length_ref=True), id="lying-indirect-length"),
        pytest.param(lambda: a85_flate_bomb(256), id="ascii85-then-flate"),
    ],
)
def test_bombs_behind_a_lying_length_or_a_filter_chain(hostile):
    with pytest.raises(TooLarge, match="bomb"):
        pdf_limits.check(hostile())


def test_the_document_total_is_bounded_too(monkeypatch):
    three = make_pdf([(b"/Filter /FlateDecode", deflated_blanks(8))] * 3)
    pdf_limits.check(three)  # 24 MiB in all: under the default limits
    monkeypatch.setattr(pdf_limits, "MAX_TOTAL_BYTES", 20 * pdf_limits.MIB)
    with pytest.raises(TooLarge, match="all streams together"):
        pdf_limits.check(three)


def test_ordinary_streams_pass_and_damaged_ones_are_left_to_the_reader():
    text = b"BT /F1 12 Tf 72 700 Td (hello) Tj ET"
    import zlib

    pdf_limits.check(make_pdf([(b"/Filter /FlateDecode", zlib.compress(text)), (b"", text)]))
    pdf_limits.check(make_pdf([(b"/Filter /FlateDecode", b"x\x9cnot really deflate")]))


def test_the_cli_refuses_a_2_gib_bomb_in_seconds_and_little_memory(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(flate_bomb(2048))  # 2 MB on disk, 2 GiB inflated
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.monotonic()\n"
        "p = subprocess.run([sys.executable, '-m', 'gongkai', 'parse', sys.argv[1]], capture_output=True, text=True)\n"
        "print(time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
        "print(p.returncode)\n"
        "print(p.stdout + p.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, timeout=120)
    seconds, mib = done.stdout.split("\n", 1)[0].split()
    output = done.stdout.split("\n", 2)[2]
    assert "压缩炸弹" in output and "扫描件" not in output and "Traceback" not in output
    assert float(seconds) < 20 and int(mib) < 400, (seconds, mib)
