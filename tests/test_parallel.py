"""Parallel parsing: the same output as a serial run, in input order; a crash or a timeout costs one file."""

import json
import os
import shutil
import signal
import time

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.parallel import Failure, imap_ordered
from gongkai.proving import synth
from tests.conftest import SEEDS

runner = CliRunner()


# Module-level: workers import these by name.
def _square_or_misbehave(x: int) -> int:
    if x == 3:
        os.kill(os.getpid(), signal.SIGSEGV)  # what a crashing native library does
    if x == 5:
        time.sleep(60)
    if x == 7:
        raise RuntimeError("boom")
    return x * x


def _pid(_: int) -> int:
    return os.getpid()


@pytest.fixture(scope="module")
def mixed_dir(tmp_path_factory):
    """Generated reports in every layout and file format, the seeds, and files that are refused."""
    directory = tmp_path_factory.mktemp("mixed")
    synth.write_corpus(directory, 20, seed=11, layouts=synth.LAYOUTS + synth.FILE_LAYOUTS, formats=synth.FORMAT_IDS)
    for expected in directory.glob("*.expected.json"):
        expected.unlink()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, directory / path.name)
    (directory / "empty.txt").write_bytes(b"")
    (directory / "broken.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    (directory / "binary.txt").write_bytes(bytes(range(256)) * 20)
    return directory


def test_crash_timeout_and_error_are_each_one_items_failure():
    results = list(imap_ordered(_square_or_misbehave, range(10), jobs=2, timeout=3))
    assert [item for item, _ in results] == list(range(10))
    by_item = dict(results)
    assert isinstance(by_item[3], Failure) and by_item[3].code == "worker_crashed"
    assert "SIGSEGV" in by_item[3].message_en
    assert isinstance(by_item[5], Failure) and by_item[5].code == "timeout" and "3" in by_item[5].message_zh
    assert isinstance(by_item[7], Failure) and "RuntimeError: boom" in by_item[7].message_en
    fine = [i for i in range(10) if i not in (3, 5, 7)]
    assert [by_item[i] for i in fine] == [i * i for i in fine]


def test_workers_are_recycled_after_max_tasks():
    pids = [pid for _, pid in imap_ordered(_pid, range(12), jobs=2, max_tasks_per_child=3)]
    assert os.getpid() not in pids
    assert len(set(pids)) >= 4  # 12 items, at most 3 per process


def test_inputs_are_read_lazily_within_the_window():
    taken = []

    def items():
        for i in range(100):
            taken.append(i)
            yield i

    stream = imap_ordered(_pid, items(), jobs=2, window=4)
    next(stream)
    assert len(taken) <= 5  # the window, plus the one that did not fit
    stream.close()  # stops the workers


@pytest.mark.parametrize("command", ["parse", "check"])
@pytest.mark.parametrize("output", [[], ["--jsonl"], ["--json"]], ids=["tables", "jsonl", "json"])
def test_jobs_output_equals_the_serial_run(mixed_dir, command, output):
    serial = runner.invoke(app, [command, *output, "--jobs", "1", str(mixed_dir)])
    parallel = runner.invoke(app, [command, *output, "--jobs", "2", str(mixed_dir)])
    assert serial.exit_code == parallel.exit_code == 2  # the refused files
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr
    assert "共 28 个文件：已解析 25，无法处理 3" in parallel.stderr
    if output == ["--jsonl"]:
        docs = [json.loads(line) for line in parallel.stdout.splitlines()]
        files = sorted(str(p) for p in mixed_dir.iterdir())
        assert [d["source"] for d in docs[: len(files)]] == files  # input order
        assert all(d["schema"] == "gongkai.cross_year/v1" for d in docs[len(files) :])


def test_a_single_file_is_parsed_in_process(monkeypatch):
    import gongkai.parallel

    def refuse(*args, **kwargs):
        raise AssertionError("one file must not start a pool")

    monkeypatch.setattr(gongkai.parallel, "imap_ordered", refuse)
    result = runner.invoke(app, ["parse", "--jsonl", str(next(SEEDS.glob("000_*.txt")))])
    assert result.exit_code == 0 and json.loads(result.stdout)["format"] == "2021"
