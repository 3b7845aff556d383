"""The PDF page image has a pixel cap and is rendered once per page."""

from __future__ import annotations

import random
import struct
import time
from pathlib import Path

import pytest

from gongkai.proving import synth, synth_files
from gongkai.web.center.services import evidence
from gongkai.web.center.services.ingest import ingest_bytes
from tests.pdf_bombs import pdf

PATH = "requests.total.total"


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG")
    return struct.unpack(">II", png[16:24])


@pytest.fixture
def pdf_report(db):
    tables = synth.random_tables(random.Random(7), "2021")
    return ingest_bytes(synth_files.report_pdf(tables, random.Random(7)), "report.pdf").report


def test_a_giant_page_is_rendered_within_the_pixel_cap(client, pdf_report):
    # The stored original replaced by one whose page is 5,000 pt square: 56 megapixels at the usual scale.
    Path(pdf_report.document.file.path).write_bytes(pdf([(b"", b"0 0 m 100 100 l S")], size=(5000, 5000)))
    on_page_one = pdf_report.cell_rows.filter(evidence__location__page=1).first()
    started = time.monotonic()
    image = client.get(f"/reports/{pdf_report.pk}/page.png?path={on_page_one.path}")
    assert image.status_code == 200 and time.monotonic() - started < 10
    width, height = _size(image.content)
    assert width * height <= evidence.PAGE_MAX_PIXELS and max(width, height) <= evidence.PAGE_MAX_SIDE
    assert width == height == 2000  # scaled down, not cropped


def test_pages_are_rendered_once_then_served_from_the_cache(client, pdf_report, monkeypatch):
    renders = []
    real = evidence._render
    monkeypatch.setattr(evidence, "_render", lambda data, page: renders.append(page) or real(data, page))
    first = client.get(f"/reports/{pdf_report.pk}/page.png?path={PATH}")
    page = pdf_report.cell_rows.get(path=PATH).evidence["location"]["page"]
    other = pdf_report.cell_rows.exclude(path=PATH).filter(evidence__location__page=page).first()
    second = client.get(f"/reports/{pdf_report.pk}/page.png?path={other.path}")
    assert first.status_code == second.status_code == 200
    assert _size(first.content) == _size(second.content) == (893, 1263)  # A4 at 1.5 px per point
    assert first.content != second.content  # each with its own box
    assert renders == [page]


def test_a_page_number_outside_the_document_is_404(client, pdf_report):
    cell = pdf_report.cell_rows.get(path=PATH)
    cell.evidence = {**cell.evidence, "location": {**cell.evidence["location"], "page": 99}}
    cell.save()
    assert client.get(f"/reports/{pdf_report.pk}/page.png?path={PATH}").status_code == 404
