"""Legacy .doc/.xls (OLE compound files): told apart by their streams, converted by LibreOffice.

LibreOffice is not needed here: its absence is the first thing tested, and the
conversion plumbing is tested with a stand-in `soffice` that writes a prepared
.docx/.xlsx where LibreOffice would.  One test uses the real LibreOffice and is
skipped when it is not installed.
"""

from __future__ import annotations

import json
import random
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongkai.errors import Encrypted, InputError, TooLarge, Unsupported
from gongkai.parse import parse_bytes
from gongkai.proving.evaluate import table_differences as differences
from gongkai.proving.synth import random_tables
from gongkai.proving.synth_files import build_docx
from gongkai.reading import legacy
from gongkai.reading.files import sniff
from tests.test_sheets import build_xlsx

_FREE, _END, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole_file(*streams: str) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) whose directory lists empty `streams`."""
    assert len(streams) <= 3  # root + 3 entries fill the one directory sector
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)  # versions, byte order, sector shifts
    struct.pack_into("<III", header, 0x2C, 1, 1, 0)  # 1 FAT sector, directory at sector 1, transaction 0
    struct.pack_into("<IIIII", header, 0x38, 4096, _END, 0, _END, 0)  # mini cutoff, no mini FAT, no DIFAT
    struct.pack_into("<109I", header, 0x4C, 0, *([_FREE] * 108))  # the FAT is sector 0
    fat = struct.pack("<128I", _FAT_SECTOR, _END, *([_FREE] * 126))

    def entry(name: str, kind: int, child: int = _NO_STREAM, right: int = _NO_STREAM) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        out = bytearray(128)
        out[: len(encoded)] = encoded
        struct.pack_into("<HBB", out, 0x40, len(encoded), kind, 1)
        struct.pack_into("<III", out, 0x44, _NO_STREAM, right, child)
        struct.pack_into("<IQ", out, 0x74, _END, 0)  # start sector, size
        return bytes(out)

    entries = [entry("Root Entry", 5, child=1 if streams else _NO_STREAM)]
    for i, name in enumerate(streams, 1):
        entries.append(entry(name, 2, right=i + 1 if i < len(streams) else _NO_STREAM))
    directory = b"".join(entries).ljust(512, b"\0")
    return bytes(header) + fat + directory


def test_stream_names() -> None:
    data = ole_file("WordDocument", "1Table", "\x05SummaryInformation")
    assert sniff(data) == "ole"
    assert legacy.ole_stream_names(data) == {"WordDocument", "1Table", "\x05SummaryInformation"}
    assert legacy.ole_stream_names(ole_file("Workbook")) == {"Workbook"}
    assert legacy.ole_stream_names(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)) == set()


@pytest.mark.parametrize("streams", [("WordDocument", "1Table"), ("Workbook",), ("Book",)])
def test_without_libreoffice(monkeypatch: pytest.MonkeyPatch, streams: tuple[str, ...]) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(Unsupported) as caught:
        parse_bytes(ole_file(*streams), "report.doc")
    assert caught.value.message_zh == (
        "旧版 Word/Excel（.doc/.xls）和 RTF 文件需要安装 LibreOffice 才能读取"
        "（apt-get install libreoffice-writer-nogui libreoffice-calc-nogui），或请另存为 .docx/.xlsx"
    )
    assert caught.value.message_en == "legacy .doc/.xls and .rtf need LibreOffice (soffice) on PATH"


def test_rtf_is_sniffed_and_never_read_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # Rich text is markup: read as a report's text it was refused as "no 信息公开" (its Chinese is escaped).
    rtf = b"{\\rtf1\\ansi\\ansicpg936 {\\fonttbl}\\'d5\\'fe\\'b8\\'ae}"
    assert sniff(rtf) == "rtf"
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(Unsupported) as caught:
        parse_bytes(rtf, "report.rtf")
    assert "RTF" in caught.value.message_zh


def test_encrypted_office_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A password-protected .docx/.xlsx is an OLE file holding the encrypted package."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(Encrypted) as caught:
        parse_bytes(ole_file("EncryptionInfo", "EncryptedPackage"), "report.docx")
    assert "加密" in caught.value.message_zh


def test_other_ole_files() -> None:
    with pytest.raises(Unsupported) as caught:
        parse_bytes(ole_file("PowerPoint Document"), "slides.ppt")
    assert ".ppt" in caught.value.message_zh
    with pytest.raises(Unsupported) as caught:
        parse_bytes(ole_file("__substg1.0_0037001F"), "mail.msg")
    assert "无法识别" in caught.value.message_zh


# ---------------------------------------------------------------------------
# The conversion, with a stand-in for LibreOffice
# ---------------------------------------------------------------------------
FAKE_SOFFICE = """#!{python}
import json, os, shutil, sys, time
args = sys.argv[1:]
with open(os.environ["FAKE_SOFFICE_LOG"], "w") as log:
    json.dump(args, log)
if os.environ.get("FAKE_SOFFICE_SLEEP"):
    time.sleep(float(os.environ["FAKE_SOFFICE_SLEEP"]))
outdir = args[args.index("--outdir") + 1]
target = args[args.index("--convert-to") + 1]
stem = os.path.splitext(os.path.basename(args[-1]))[0]
os.makedirs(outdir, exist_ok=True)
if os.environ.get("FAKE_SOFFICE_OUTPUT"):
    shutil.copy(os.environ["FAKE_SOFFICE_OUTPUT"], os.path.join(outdir, stem + "." + target))
"""


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script = tmp_path / "soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable))
    script.chmod(0o755)
    log = tmp_path / "soffice-args.json"
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))
    monkeypatch.setattr(shutil, "which", lambda name: str(script) if name == "soffice" else None)
    return log


def test_doc_converted_and_read(fake_soffice: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    truth = random_tables(random.Random(61), "2021")
    converted = tmp_path / "converted.docx"
    converted.write_bytes(build_docx(truth, 61))
    monkeypatch.setenv("FAKE_SOFFICE_OUTPUT", str(converted))

    report = parse_bytes(ole_file("WordDocument", "1Table"), "report.doc")
    assert differences(truth, report.to_json()) == []
    assert report.to_json()["input"]["kind"] == "doc"
    assert report.cells["requests.new_received.total"].location == {"table": 2, "row": 4, "cell": 10}

    args = json.loads(fake_soffice.read_text())
    assert "--headless" in args
    assert args[args.index("--convert-to") + 1] == "docx"
    profile = next(a for a in args if a.startswith("-env:UserInstallation="))
    assert profile.startswith("-env:UserInstallation=file:///")
    assert args[-1].endswith("input.doc")
    assert not Path(args[args.index("--outdir") + 1]).exists()  # the temporary directory is gone


def test_xls_converted_and_read(fake_soffice: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    truth = random_tables(random.Random(62), "2019")
    converted = tmp_path / "converted.xlsx"
    converted.write_bytes(build_xlsx(truth, 62)[0])
    monkeypatch.setenv("FAKE_SOFFICE_OUTPUT", str(converted))

    report = parse_bytes(ole_file("Workbook"), "report.xls")
    assert differences(truth, report.to_json()) == []
    assert report.to_json()["input"]["kind"] == "xls"
    assert json.loads(fake_soffice.read_text())[-5:-3] == ["--convert-to", "xlsx"]


def test_conversion_that_writes_nothing(fake_soffice: Path) -> None:
    with pytest.raises(InputError) as caught:
        parse_bytes(ole_file("WordDocument"), "report.doc")
    assert caught.value.message_zh == "LibreOffice 无法转换此文件（文件可能已损坏或加密）"


def test_conversion_timeout(fake_soffice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy, "TIMEOUT_S", 0.5)
    monkeypatch.setenv("FAKE_SOFFICE_SLEEP", "30")
    started = time.perf_counter()
    with pytest.raises(TooLarge) as caught:
        parse_bytes(ole_file("WordDocument"), "report.doc")
    assert time.perf_counter() - started < 5
    assert "超时" in caught.value.message_zh


# ---------------------------------------------------------------------------
# The real thing, where LibreOffice is installed
# ---------------------------------------------------------------------------
_SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
_needs_libreoffice = pytest.mark.skipif(_SOFFICE is None, reason="LibreOffice not installed")


def _converted(tmp_path: Path, seed: int, target: str) -> tuple[dict, bytes]:
    """A generated report as .docx, converted by the real LibreOffice to `target`: (its truth, the new file)."""
    truth = random_tables(random.Random(seed), "2021")
    source = tmp_path / "report.docx"
    source.write_bytes(build_docx(truth, seed))
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    command = [_SOFFICE, profile, "--headless", "--convert-to", target, "--outdir", str(tmp_path), str(source)]
    subprocess.run(command, check=True, timeout=120, capture_output=True)
    return truth, (tmp_path / f"report.{target}").read_bytes()


@_needs_libreoffice
def test_real_libreoffice_round_trip(tmp_path: Path) -> None:
    truth, data = _converted(tmp_path, 63, "doc")
    report = parse_bytes(data, "report.doc")
    assert differences(truth, report.to_json()) == []


@_needs_libreoffice
def test_real_libreoffice_rtf(tmp_path: Path) -> None:
    truth, data = _converted(tmp_path, 64, "rtf")
    report = parse_bytes(data, "report.rtf")
    assert report.input_kind == "rtf"
    assert differences(truth, report.to_json()) == []
