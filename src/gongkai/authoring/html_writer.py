"""The report as a web page ready to paste into a 政府网站 CMS.

Plain markup: headings, paragraphs and the three tables with rowspan/colspan and ruled
borders; styles are inline (CMS editors drop <style> blocks), no scripts, no classes that
need a stylesheet, no external assets (fonts are named, not loaded).  The same layout as
the Word file, from `gongkai.authoring.tables`.
"""

from __future__ import annotations

import html
import re

from gongkai.authoring.draft import AnnualReportDraft
from gongkai.authoring.spec import authoring, fonts
from gongkai.authoring.tables import TableLayout, filled, layouts
from gongkai.spec import SECTIONS

_SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）[^。；]{1,30}$")


def _family(role: str) -> str:
    font = fonts()[role]
    return ",".join(f"'{name}'" for name in (font.name, font.word_fallback, font.free)) + ",serif"


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _table(layout: TableLayout) -> list[str]:
    sizes = authoring()["sizes"]
    size = sizes["table_wide" if layout.wide else "table"]
    total = sum(layout.widths_mm)
    out = [
        '<table border="1" cellspacing="0" cellpadding="4" '
        f'style="border-collapse:collapse;width:100%;font-size:{size}pt;font-family:{_family("body")}">',
        "<colgroup>" + "".join(f'<col style="width:{w / total:.2%}">' for w in layout.widths_mm) + "</colgroup>",
        "<tbody>",
    ]
    cell_style = "border:1px solid #000;padding:3px 2px;vertical-align:middle;text-align:center"
    for row in layout.rows:
        cells = []
        for cell in row:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            tag = "th" if cell.kind == "head" else "td"
            style = cell_style
            if cell.kind == "label" and cell.rowspan == 1:
                style = style.replace("text-align:center", "text-align:left")
            if tag == "th":
                style += f";font-weight:normal;font-family:{_family('heading1')}"
            cells.append(f'<{tag}{attrs} style="{style}">{_esc(cell.text)}</{tag}>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return out


def build_html(draft: AnnualReportDraft) -> str:
    """The draft as a self-contained HTML page (UTF-8)."""
    sizes = authoring()["sizes"]
    tables = layouts(draft.format_id)
    body = f"font-family:{_family('body')};font-size:{sizes['body']}pt;line-height:1.8"
    para = '<p style="text-indent:2em;margin:0">{}</p>'
    title = _esc(draft.title())
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{title}</title>",
        "</head>",
        "<body>",
        f'<div style="max-width:156mm;margin:0 auto;{body}">',
        f'<h1 style="text-align:center;font-family:{_family("title")};font-size:{sizes["title"]}pt;'
        f'font-weight:normal;line-height:1.5;margin:0 0 1em">{title}</h1>',
        para.format(_esc(draft.intro())),
    ]
    for section in SECTIONS:
        out.append(
            f'<h2 style="font-family:{_family("heading1")};font-size:{sizes["body"]}pt;font-weight:normal;'
            f'text-indent:2em;margin:0">{_esc(section.number)}、{_esc(section.label)}</h2>'
        )
        if section.table:
            out += _table(filled(tables[section.table], draft.value))
            continue
        for line in (ln.strip() for ln in draft.texts.get(section.key, "").splitlines()):
            if not line:
                continue
            if _SUBHEADING.match(line):
                out.append(
                    f'<h3 style="font-family:{_family("heading2")};font-size:{sizes["body"]}pt;font-weight:normal;'
                    f'text-indent:2em;margin:0">{_esc(line)}</h3>'
                )
            else:
                out.append(para.format(_esc(line)))
    out.append(f'<p style="text-align:right;margin:2em 4em 0 0">{_esc(draft.agency)}</p>')
    if draft.published:
        day = draft.published
        out.append(f'<p style="text-align:right;margin:0 4em 0 0">{day.year}年{day.month}月{day.day}日</p>')
    out += ["</div>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
