"""The text around a cell's evidence span, for the evidence panel (always shown escaped), and the PDF page
image with the cell's box, rendered at a capped size and cached."""

from __future__ import annotations

import html
import io
import math
import re
from dataclasses import dataclass

from django.core.cache import cache

from gongkai.proving.evidence import boxed_png
from gongkai.web.center.models import Cell, Document

# A page image is rendered at PAGE_SCALE (1.5 px per point: an A4 page is 893 x 1263 px), smaller when the page
# is so large that it would pass PAGE_MAX_PIXELS or PAGE_MAX_SIDE: a 14,400 pt page must not become gigabytes.
PAGE_SCALE = 1.5
PAGE_MAX_PIXELS = 4_000_000
PAGE_MAX_SIDE = 4000
PAGE_CACHE_SECONDS = 24 * 3600

_TAG = re.compile(r"<[^>]*>|<[^>]*$|^[^<]*>", re.S)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_SPACE = re.compile(r"[ \t\r\f\v\xa0]+")
_BREAKS = re.compile(r"\s*\n\s*")
CONTEXT = 120


@dataclass
class Snippet:
    before: str
    match: str
    after: str
    line: int | None = None
    location: dict | None = None


def _plain(fragment: str, is_html: bool) -> str:
    if is_html:
        fragment = _TAG.sub(" ", _SCRIPT.sub(" ", fragment))
        fragment = html.unescape(fragment)
    # Reports laid out one cell per line would fill the panel with line breaks; a mark keeps them visible.
    return _BREAKS.sub(" ⏎ ", _SPACE.sub(" ", fragment))


def snippet(cell: Cell, source: str, input_kind: str) -> Snippet | None:
    evidence = cell.evidence or {}
    start, end = evidence.get("start"), evidence.get("end")
    if start is None or end is None or not source:
        return Snippet("", "", "", location=evidence.get("location")) if evidence.get("location") else None
    is_html = input_kind == "html"
    # HTML carries markup between words: take a wider stretch, then strip it.
    width = CONTEXT * (4 if is_html else 1)
    before = _plain(source[max(0, start - width) : start], is_html)[-CONTEXT:]
    after = _plain(source[end : end + width], is_html)[:CONTEXT]
    return Snippet(before, _plain(source[start:end], is_html), after, evidence.get("line"), evidence.get("location"))


def page_scale(width_pt: float, height_pt: float) -> float:
    """PAGE_SCALE, or less so that the image stays within PAGE_MAX_PIXELS and PAGE_MAX_SIDE."""
    width_pt, height_pt = max(width_pt, 1.0), max(height_pt, 1.0)
    by_area = math.sqrt(PAGE_MAX_PIXELS / (width_pt * height_pt))
    by_side = PAGE_MAX_SIDE / max(width_pt, height_pt)
    return min(PAGE_SCALE, by_area, by_side)


def _render(data: bytes, page: int) -> tuple[bytes, float] | None:
    """Page `page` (1-based) as PNG at its capped scale, and that scale; None when there is no such page."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        if not isinstance(page, int) or not 1 <= page <= len(document):
            return None
        pdf_page = document[page - 1]
        scale = page_scale(*pdf_page.get_size())
        image = pdf_page.render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue(), scale


def page_png(document: Document, page: int, bbox: list[float]) -> bytes | None:
    """The page with the box drawn on it. The page itself is rendered once per document and page, then cached."""
    from PIL import Image

    key = f"gongkai:page:{document.sha256}:{page}:{PAGE_SCALE}:{PAGE_MAX_PIXELS}"
    cached = cache.get(key)
    if cached is None:
        with document.file.open("rb") as fh:
            cached = _render(fh.read(), page)
        if cached is None:
            return None
        cache.set(key, cached, PAGE_CACHE_SECONDS)
    png, scale = cached
    return boxed_png(Image.open(io.BytesIO(png)).convert("RGB"), bbox, scale)
