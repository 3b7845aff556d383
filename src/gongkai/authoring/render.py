"""`gongkai render`: any report — a draft, a `gongkai.report/v1` JSON, or a published report file — written
in the official format as Word, PDF or a web page."""

from __future__ import annotations

import json
from pathlib import Path

from gongkai.authoring.draft import AnnualReportDraft, DraftError, from_report_json, section_texts

TARGETS = ("docx", "pdf", "html")


def load_draft(path: Path) -> AnnualReportDraft:
    """A draft from a draft JSON (gongkai.draft/v1), a parse result (gongkai.report/v1) or a report file.

    A parse result holds the tables but not the text, so its sections 一、五、六 stay empty; a report
    file is parsed here and keeps its text.
    """
    data = path.read_bytes()
    if path.suffix.lower() == ".json" or data.lstrip()[:1] == b"{":
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DraftError(f"不是有效的 JSON 文件（{exc}）") from None
        if isinstance(doc, list) or not isinstance(doc, dict):
            raise DraftError("JSON 文件应包含一份报告（一个对象），而不是列表")
        return AnnualReportDraft.from_json(doc)
    from gongkai.parse import parse_bytes

    report = parse_bytes(data, str(path))
    return from_report_json(report.to_json(), section_texts(report))


def render(draft: AnnualReportDraft, target: str) -> bytes:
    if target == "docx":
        from gongkai.authoring.docx_writer import build_docx

        return build_docx(draft)
    if target == "pdf":
        from gongkai.authoring.pdf_writer import build_pdf

        return build_pdf(draft)
    if target == "html":
        from gongkai.authoring.html_writer import build_html

        return build_html(draft).encode("utf-8")
    raise DraftError(f"未知的输出格式“{target}”，应为 {'、'.join(TARGETS)}")


def run_command(source: Path, target: str | None, out: Path) -> int:
    """The command line's work: 0 when written, 2 when the input or the output cannot be handled."""
    from rich.console import Console

    err = Console(stderr=True, soft_wrap=True)
    target = (target or out.suffix.lstrip(".")).lower()
    if target not in TARGETS:
        err.print(f"[bold red]请用 --to 指定输出格式：{'、'.join(TARGETS)}[/]  (unknown output format {target!r})")
        return 2
    try:
        draft = load_draft(source)
        data = render(draft, target)
    except FileNotFoundError:
        err.print(f"[bold red]无法处理[/] {source}：文件不存在  [dim](file not found)[/]", highlight=False)
        return 2
    except DraftError as exc:
        err.print(f"[bold red]无法生成[/] {source}：{exc}", highlight=False)
        return 2
    except ValueError as exc:  # the parser's InputError (unreadable or not a report) is a ValueError
        reason = getattr(exc, "message_zh", None) or str(exc)
        err.print(f"[bold red]无法处理[/] {source}：{reason}", highlight=False)
        return 2
    try:
        out.write_bytes(data)
    except OSError as exc:
        err.print(f"[bold red]无法写入[/] {out}：{exc.strerror}", highlight=False)
        return 2
    findings = draft.to_report().findings
    errors = sum(f.severity == "error" for f in findings)
    note = f"；检查发现{errors}个错误级问题，见 gongkai check" if errors else ""
    err.print(f"已生成 {out}（{draft.title()}，{len(data) // 1024 + 1} KB{note}）", highlight=False)
    return 0
