"""Showing where a value came from: the source text around it, or the PDF page with its box.

Used by `gongkai show` and by the web report page.
"""

from __future__ import annotations

import io

from gongkai.report import Cell, Report

_BOX_COLOUR = (220, 30, 30)


def text_context(report: Report, cell: Cell, width: int = 60) -> tuple[str, str, str] | None:
    """(before, printed, after) around the cell's offsets in the decoded source; None without offsets."""
    if cell.start is None or cell.end is None:
        return None
    text = report.text
    before = text[max(0, cell.start - width) : cell.start]
    after = text[cell.end : cell.end + width]
    return before, text[cell.start : cell.end], after


def pdf_page_png(data: bytes, page: int, bbox: list[float], scale: float = 2.0) -> bytes:
    """Page `page` (1-based) of a PDF as PNG with the box drawn on it; bbox in points, top-left origin."""
    import pypdfium2 as pdfium  # imported on use: only PDF evidence needs it

    document = pdfium.PdfDocument(data)
    try:
        image = document[page - 1].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    return boxed_png(image, bbox, scale)


def boxed_png(image, bbox: list[float], scale: float) -> bytes:
    """A rendered page (PIL image, RGB) as PNG with the cell's box drawn; bbox in points, `scale` pixels a point."""
    from PIL import ImageDraw

    x0, top, x1, bottom = (v * scale for v in bbox)
    pad = 3 * scale
    ImageDraw.Draw(image).rectangle([x0 - pad, top - pad, x1 + pad, bottom + pad], outline=_BOX_COLOUR, width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
