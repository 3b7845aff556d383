"""Fuzzing every reader entry point: whatever the input, a Report or an InputError, and soon.

A user drops any file on gongkai; the answer must be the report or a one-line
reason (gongkai.errors.InputError), never a traceback and never a hang.  The
inputs: random bytes under every file name and magic number, the bundled reports
and office/PDF files built from one of them with bytes, characters and lines
inserted, deleted, duplicated, shuffled and cut, random text made of table labels
and separators, and fixed monsters (50,000 unclosed tags, a 2 MB line, a 1 MB cell).

The strategies here are shared with bench/fuzz.py, which runs them for minutes.
"""

from __future__ import annotations

import functools
import io
import json
import re
import signal
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gongkai.errors import InputError
from gongkai.parse import parse_bytes, parse_file, parse_text

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT = 5.0  # seconds for one input; a real report takes milliseconds
FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck))


# ---------------------------------------------------------------------------
# Running one input
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    entry: str  # parse_bytes | parse_text | parse_file
    name: str  # the file name the reader is given
    data: bytes | str

    def __repr__(self) -> str:  # hypothesis prints this: whole when small enough to be a reproducer
        head = self.data[:1500]
        more = f" + <{len(self.data) - len(head)} more>" if len(self.data) > len(head) else ""
        return f"Case({self.entry!r}, {self.name!r}, {head!r}{more})"

    def _repr_pretty_(self, printer, _cycle) -> None:  # hypothesis's printer would spell out every field
        printer.text(repr(self))


class Hang(AssertionError):
    pass


@contextmanager
def time_bound(seconds: float):
    """Interrupt the block after `seconds` (SIGALRM also stops the regex engine); main thread only."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(_signum, _frame):
        raise Hang(f"no answer after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_case(case: Case, limit: float = TIME_LIMIT) -> str:
    """ "report", or "refused:<code>" for an InputError; any other exception, or a hang, propagates."""
    started = time.perf_counter()
    try:
        with time_bound(limit):
            if case.entry == "parse_text":
                report = parse_text(case.data, case.name)
            elif case.entry == "parse_bytes":
                report = parse_bytes(case.data, case.name)
            else:
                with tempfile.TemporaryDirectory() as tmp:
                    path = Path(tmp) / case.name
                    path.write_bytes(case.data)
                    report = parse_file(path)
            json.dumps(report.to_json(), ensure_ascii=False)  # the public JSON must be writable too
        outcome = "report"
    except InputError as exc:
        outcome = f"refused:{exc.code}"
    elapsed = time.perf_counter() - started
    if elapsed > limit:  # where SIGALRM is unavailable
        raise Hang(f"answer after {elapsed:.1f} s")
    return outcome


# ---------------------------------------------------------------------------
# Material: the bundled reports, their labels, and office/PDF files built from one
# ---------------------------------------------------------------------------
SEED_FILES = (*sorted((ROOT / "corpus" / "seeds").glob("*.txt")), ROOT / "tests" / "data" / "report_2021.html")
SEEDS = tuple((p.name, p.read_text(encoding="utf-8")) for p in SEED_FILES)
TABLE_SEED = (ROOT / "corpus" / "seeds" / "002_puyang_2019.txt").read_text(encoding="utf-8")  # tab-separated tables
NAMES = ("report.txt", "report.html", "report.pdf", "report.docx", "report.xlsx", "report")
MAGIC = (
    b"",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
)
SEPARATORS = ("|", "||", "\t", "\n", "｜", " ", "　", "\r\n", "&nbsp;", "<td>", "</td>", "<tr>", "</tr>", "<br>")
NOISE = ("增", "减", "+", "-", "/", "—", "无", "万元", "亿元", "元", ",", "，", ".", "（", "）", "(", ")", "１２", "0")
# Labels and values as printed: every short piece of the bundled reports between separators.
VOCAB = tuple(sorted({p for _, text in SEEDS for p in re.split(r"[|\t\n<>]+", text) if 0 < len(p.strip()) <= 40}))
XML_BITS = (
    "<",
    ">",
    "</w:tc>",
    "<w:tc>",
    "<w:tr>",
    "<w:tbl>",
    '<w:gridSpan w:val="999999"/>',
    '<w:vMerge w:val="restart"/>',
    "<w:vMerge/>",
    '<c r="XFD1048576" t="s"><v>99999</v></c>',
    '<mergeCell ref="A1:XFD1048576"/>',
    '<table:table-cell table:number-columns-repeated="1000000000"/>',
    "&amp;",
    "&#0;",
    "<![CDATA[",
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>',
)

fragments = st.one_of(
    st.text(max_size=30),
    st.sampled_from(SEPARATORS + NOISE),
    st.sampled_from(VOCAB),
    st.integers(-(10**15), 10**15).map(str),
)


@functools.cache
def sample_docx() -> bytes:
    import docx

    document = docx.Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            rows.clear()

    for line in TABLE_SEED.split("\n"):
        if "\t" in line:
            rows.append(line.split("\t"))
        else:
            flush()
            document.add_paragraph(line)
    flush()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@functools.cache
def sample_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for line in TABLE_SEED.split("\n"):
        book.active.append([int(v) if v.isdigit() else v for v in line.split("\t")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@functools.cache
def sample_ods() -> bytes:
    def cell(value: str) -> str:
        if value.isdigit():
            number = f'office:value-type="float" office:value="{value}"'
            return f"<table:table-cell {number}><text:p>{value}</text:p></table:table-cell>"
        return (
            f"<table:table-cell><text:p>{value.replace('&', '&amp;').replace('<', '&lt;')}</text:p></table:table-cell>"
        )

    rows = "".join(
        f"<table:table-row>{''.join(map(cell, line.split(chr(9))))}</table:table-row>"
        for line in TABLE_SEED.split("\n")
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="年报">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


@functools.cache
def sample_pdf() -> bytes:
    """Uncompressed content streams, so that byte mutations hit the drawing operators."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0)
    y = 800
    for line in TABLE_SEED.split("\n"):
        if y < 40:
            page.showPage()
            y = 800
        page.setFont("STSong-Light", 6)
        if "\t" in line:
            for i, value in enumerate(line.split("\t")):
                page.rect(20 + 38 * i, y - 3, 38, 11)
                page.drawString(21 + 38 * i, y, value[:6])
        else:
            page.drawString(20, y, line[:100])
        y -= 11
    page.save()
    return out.getvalue()


CONTAINERS = {"docx": sample_docx, "xlsx": sample_xlsx, "ods": sample_ods, "pdf": sample_pdf}


# ---------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------
@st.composite
def mutated_text(draw, text: str, bits=fragments, max_ops: int = 5) -> str:
    """Characters inserted and deleted, lines duplicated, swapped and shuffled, the end cut off."""
    for op in draw(
        st.lists(st.sampled_from(("insert", "delete", "dup", "swap", "shuffle", "cut")), min_size=1, max_size=max_ops)
    ):
        at = draw(st.integers(0, len(text)))
        if op == "insert":
            text = text[:at] + draw(bits) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 400)) :]
        elif op == "cut":
            text = text[:at]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if op == "dup":
                copies = max(2, min(300, 200_000 // (len(lines[i]) + 1)))  # a few hundred KB at most
                lines[i : i + 1] = [lines[i]] * draw(st.integers(2, copies))
            elif op == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                draw(st.randoms(use_true_random=False)).shuffle(lines)
            text = "\n".join(lines)
    return text


@st.composite
def mutated_bytes(draw, data: bytes, max_ops: int = 4) -> bytes:
    for op in draw(st.lists(st.sampled_from(("flip", "insert", "delete", "cut")), min_size=1, max_size=max_ops)):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
        elif op == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 256)) :]
        else:
            data = data[:at]
    return data


random_bytes = st.builds(
    lambda magic, body, name: Case("parse_bytes", name, magic + body),
    st.sampled_from(MAGIC),
    st.binary(max_size=4096),
    st.sampled_from(NAMES),
)


@st.composite
def mutated_seeds(draw) -> Case:
    name, text = draw(st.sampled_from(SEEDS))
    text = draw(mutated_text(text))
    encoding = draw(st.sampled_from(("text", "utf-8", "gb18030", "utf-16", "utf-16-le")))
    if encoding == "text":
        return Case("parse_text", name, text)
    suffix = draw(st.sampled_from((Path(name).suffix, ".html", ".txt")))
    entry = draw(st.sampled_from(("parse_bytes", "parse_bytes", "parse_file")))
    return Case(entry, Path(name).stem + suffix, text.encode(encoding, errors="surrogatepass"))


@st.composite
def mutated_containers(draw) -> Case:
    """An office or PDF file with bytes changed, or (zips) one XML part edited and zipped again."""
    kind = draw(st.sampled_from(sorted(CONTAINERS)))
    data = CONTAINERS[kind]()
    if kind == "pdf" or draw(st.booleans()):
        data = draw(mutated_bytes(data))
    else:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = {info.filename: archive.read(info) for info in archive.infolist()}
        name = draw(st.sampled_from(sorted(n for n in parts if n.endswith((".xml", ".rels")))))
        edited = draw(mutated_text(parts[name].decode("utf-8"), st.one_of(fragments, st.sampled_from(XML_BITS))))
        parts[name] = edited.encode("utf-8", errors="surrogatepass")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, body in parts.items():
                archive.writestr(member, body)
        data = out.getvalue()
    return Case("parse_bytes", draw(st.sampled_from((f"report.{kind}", *NAMES))), data)


@st.composite
def table_soup(draw) -> Case:
    """Random text made of labels, numbers and separators: tables that almost are."""
    pieces = draw(st.lists(st.one_of(fragments, st.sampled_from(VOCAB), st.sampled_from(SEPARATORS)), max_size=200))
    text = ("政府信息公开工作年度报告\n" if draw(st.booleans()) else "") + "".join(pieces)
    if draw(st.booleans()):
        return Case("parse_text", "soup.txt", text)
    return Case(
        "parse_bytes", draw(st.sampled_from(("soup.html", "soup.txt"))), text.encode("utf-8", errors="surrogatepass")
    )


STRATEGIES = {
    "random_bytes": random_bytes,
    "mutated_seeds": mutated_seeds(),
    "mutated_containers": mutated_containers(),
    "table_soup": table_soup(),
}


# ---------------------------------------------------------------------------
# Fixed monsters: deep nesting and huge cells
# ---------------------------------------------------------------------------
def _seed(prefix: str) -> str:
    return next(text for name, text in SEEDS if name.startswith(prefix))


def _docx_with_body(body: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(sample_docx())) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    start, end = xml.index("<w:body>") + len("<w:body>"), xml.index("</w:body>")
    parts["word/document.xml"] = (xml[:start] + body + xml[end:]).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in parts.items():
            archive.writestr(member, data)
    return out.getvalue()


def _one_mb_html_cell() -> str:
    return re.sub(r"<td([^>]*)>\s*\d+\s*</td>", rf"<td\1>{'8' * 1_000_000}</td>", _seed("report_2021"), count=1)


_HEAD = "政府信息公开工作年度报告\n"
# name → builder: a few MB each, built when the test runs.
MONSTERS: dict[str, Callable[[], Case]] = {
    "50000 unclosed <div>": lambda: Case(
        "parse_bytes", "deep.html", (_HEAD + "<div>" * 50_000 + "一、总体情况").encode()
    ),
    "50000 unclosed <table><tr><td>": lambda: Case(
        "parse_bytes", "deep.html", (_HEAD + "<table><tr><td>1" * 50_000).encode()
    ),
    "50000 <div> inside a real page": lambda: Case(
        "parse_bytes",
        "deep.html",
        _seed("report_2021").replace("<body>", "<body>" + "<div><span>" * 50_000, 1).encode(),
    ),
    "5000 nested Word tables": lambda: Case(
        "parse_bytes",
        "deep.docx",
        _docx_with_body("<w:tbl><w:tr><w:tc>" * 5_000 + "<w:p><w:r><w:t>政府信息公开</w:t></w:r></w:p>"),
    ),
    "2 MB single line": lambda: Case("parse_text", "line.txt", _HEAD + "信息公开年度报告｜1｜" * 150_000),
    "2 MB line of separators": lambda: Case("parse_bytes", "line.txt", (_HEAD + "1|\t" * 700_000).encode()),
    "1 MB of digits in a cell (text)": lambda: Case(
        "parse_text", "000.txt", _seed("000").replace("\n914390\n", "\n" + "9" * 1_000_000 + "\n", 1)
    ),
    "1 MB of digits in a cell (html)": lambda: Case("parse_bytes", "cell.html", _one_mb_html_cell().encode()),
    # Quadratic until 634f76d (facts patterns restarted at every digit): 40,000 digits took 10 s.
    "40,000 digits in the prose": lambda: Case("parse_text", "digits.txt", _HEAD + "9" * 40_000),
    "1 MB label": lambda: Case("parse_text", "002.txt", _seed("002").replace("行政许可", "行政许可" * 250_000, 1)),
}


# ---------------------------------------------------------------------------
# Bugs found here and not fixed yet (the core files are other work in progress)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Known:
    """A minimal reproducer, run as an xfail(strict=True) test: once fixed it passes, and strict
    makes that a failure asking for the entry to go.  `signature` recognises the same bug when a
    fuzzed input meets it, so that the property tests go on looking for new ones."""

    case: Callable[[], Case]
    reason: str
    raises: type[Exception]  # what the reproducer raises today: anything else fails the xfail
    signature: Callable[[Case, Exception], bool] = lambda _case, _exc: False


KNOWN: dict[str, Known] = {}  # every bug found so far is fixed; its reproducer is in REGRESSIONS

# Bugs the fuzzing found, fixed since: each must end in a report or a clean refusal.
REGRESSIONS: dict[str, Callable[[], Case]] = {
    "UTF-16 BOM then one odd byte": lambda: Case("parse_bytes", "report.txt", b"\xff\xfe\x00"),
    "UTF-8 BOM then invalid UTF-8": lambda: Case("parse_bytes", "report.txt", b"\xef\xbb\xbf\x80"),
    "a 5,000-digit count in the prose": lambda: Case(
        "parse_text", "facts.txt", _HEAD + "全年共收到政府信息公开申请" + "9" * 5_000 + "件。"
    ),
    # Its lines were folded (to tell page furniture) before the document's text had its surrogates replaced.
    "a PDF whose character map gives lone surrogates": lambda: Case("parse_bytes", "report.pdf", _surrogate_pdf()),
}


def _surrogate_pdf() -> bytes:
    """A one-page PDF of plain text lines and a font whose ToUnicode map turns "A" into U+D94F, a lone surrogate."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
        b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <D94F> endbfchar "
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    lines = b"".join(b"BT /F2 12 Tf 72 %d Td (Report line %d 12 34) Tj ET " % (700 - 20 * i, i) for i in range(20))
    content = lines + b"BT /F1 12 Tf 72 40 Td (AAA 3) Tj ET BT /F1 12 Tf 72 760 Td (AAA) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 7 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def run_fuzz(case: Case, limit: float = TIME_LIMIT) -> str:
    """run_case, with a bug already in KNOWN reported as "known:<name>" instead of raised."""
    try:
        return run_case(case, limit)
    except Exception as exc:
        name = next((name for name, known in KNOWN.items() if known.signature(case, exc)), None)
        if name is None:
            raise
        return f"known:{name}"


def _xfail_known(names):
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, raises=KNOWN[n].raises, reason=KNOWN[n].reason))
        if n in KNOWN
        else n
        for n in names
    ]


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------
def test_the_guard_catches_a_hang():
    with pytest.raises(Hang), time_bound(0.2):
        re.match(r"(a+)+$", "a" * 40 + "b")  # catastrophic backtracking: minutes without the bound


def test_a_crash_is_not_taken_for_a_refusal(monkeypatch):
    def crash(*_args):
        raise KeyError("cell")

    monkeypatch.setattr(sys.modules[__name__], "parse_text", crash)
    with pytest.raises(KeyError):
        run_fuzz(Case("parse_text", "x.txt", "政府信息公开"))


@pytest.mark.parametrize("kind", sorted(CONTAINERS))
def test_unmutated_containers_are_read_as_reports(kind):
    # The fuzz starts from files the readers accept, so that mutations reach the table code.
    assert run_case(Case("parse_bytes", f"report.{kind}", CONTAINERS[kind]())) == "report"


@pytest.mark.parametrize("name", _xfail_known(MONSTERS))
def test_monster(name):
    run_case(MONSTERS[name]())


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_fixed_reproducer(name):
    result = run_case(REGRESSIONS[name]())
    assert result == "report" or result.startswith("refused:"), result


@settings(FUZZ, max_examples=150)
@given(case=random_bytes)
def test_random_bytes(case):
    event(run_fuzz(case))


@settings(FUZZ, max_examples=80)
@given(case=mutated_seeds())
def test_mutated_seeds(case):
    event(run_fuzz(case))


@settings(FUZZ, max_examples=60)
@given(case=mutated_containers())
def test_mutated_containers(case):
    event(run_fuzz(case))


@settings(FUZZ, max_examples=100)
@given(case=table_soup())
def test_table_soup(case):
    event(run_fuzz(case))
