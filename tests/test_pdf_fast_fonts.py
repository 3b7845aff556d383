"""A machine without CJK fonts must not change what a PDF reads as.

pdfium measures the glyphs of a non-embedded font in the font it substitutes; with no CJK font installed every
such glyph box is empty and its text page silently drops text objects, so a wrapped cell "11" / "6" read as 11.
The fast reader must notice and leave the document to pdfplumber. The test starts pdfium, in a fresh interpreter,
with an empty folder as its only font folder: what a server without fonts gives.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.conftest import ROOT

WITHOUT_FONTS = textwrap.dedent(
    """
    import ctypes, json, tempfile
    import pypdfium2.raw as raw

    raw.FPDF_DestroyLibrary()  # started by `import pypdfium2` with the system's font folders
    folder = ctypes.create_string_buffer(tempfile.mkdtemp().encode())
    paths = (ctypes.POINTER(ctypes.c_char) * 2)(ctypes.cast(folder, ctypes.POINTER(ctypes.c_char)), None)
    raw.FPDF_InitLibraryWithConfig(raw.FPDF_LIBRARY_CONFIG(
        version=2, m_pUserFontPaths=ctypes.cast(paths, ctypes.POINTER(ctypes.POINTER(ctypes.c_char))),
        m_pIsolate=None, m_v8EmbedderSlot=0))

    import pypdfium2 as pdfium
    from gongkai.proving.evaluate import case_rng
    from gongkai.reading import pdf
    from gongkai.proving.evaluate import compare_tables
    from gongkai.parse import parse_bytes
    from gongkai.proving.synth import random_tables
    from gongkai.proving import synth_files

    out = []
    for index, fmt in ((14, "2021"), (15, "2019")):  # each has a wrapped number cell
        rng = case_rng(0, index, "clean")
        rng.random()
        tables = random_tables(rng, fmt)
        data = synth_files.build("pdf", tables, rng)
        fast = pdf._fast_text_layer(data, len(pdfium.PdfDocument(data)))
        cells, mismatches = compare_tables(tables, parse_bytes(data, "report.pdf").to_json())
        out.append({"fast": fast is not None, "cells": cells, "mismatches": mismatches})
    print(json.dumps(out))
    """
)


def test_a_pdf_reads_the_same_on_a_machine_without_cjk_fonts():
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_FONTS], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    cases = json.loads(done.stdout.strip().splitlines()[-1])
    for case in cases:
        assert case["cells"] > 100
        assert case["mismatches"] == []
        assert not case["fast"]  # the glyph boxes are empty: pdfplumber reads it
