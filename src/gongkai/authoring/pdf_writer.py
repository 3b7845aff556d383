"""The report as PDF: the .docx converted by LibreOffice (headless), with the CJK fonts embedded.

Why LibreOffice from the .docx rather than a second layout (WeasyPrint from HTML,
reportlab): the PDF must be laid out exactly like the Word file an agency receives,
and one layout engine reading one file guarantees it: the same page geometry,
line grid, merged cells, repeated header rows and odd/even page numbers, with no
second description to keep in step.  LibreOffice is free (MPL), runs as a program
(no GPL code is imported), writes a text layer and embeds subsets of the fonts it
used.  The official font names (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) are
mapped to free Debian fonts through a fontconfig file made for the conversion
(spec/authoring.toml), so a machine without the agencies' commercial fonts still
produces a PDF whose fonts are the intended kind (宋/仿宋 serif, 黑体 sans, 楷体).

Conversions are batched: one LibreOffice start converts many files, with a profile
directory of its own so that parallel conversions never collide.  The .docx goes
through LibreOffice's own format on the way, where one setting its .docx import
ignores (no extra space between Chinese and digits) is switched off.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from gongkai.authoring.docx_writer import build_docx
from gongkai.authoring.draft import AnnualReportDraft, DraftError
from gongkai.authoring.spec import fonts

CONVERT_TIMEOUT_S = 600
_SOFFICE_NAMES = ("soffice", "libreoffice")


def soffice() -> str | None:
    for name in _SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def fontconfig_file(directory: Path) -> Path:
    """A fontconfig file: the system configuration plus each official font name → its free font."""
    rules = []
    for font in {f.name: f for f in fonts().values()}.values():
        weight = '<edit name="weight" mode="assign"><const>bold</const></edit>' if font.free_bold else ""
        rules.append(
            f'<match target="pattern"><test name="family" qual="any"><string>{escape(font.name)}</string></test>'
            f'<edit name="family" mode="assign" binding="strong"><string>{escape(font.free)}</string></edit>'
            f"{weight}</match>"
        )
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n' + "\n".join(rules) + "\n</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def missing_fonts() -> list[str]:
    """Free fonts of spec/authoring.toml that fontconfig does not know on this machine (their Debian packages)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return sorted({f.debian for f in fonts().values()})
    known = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, timeout=60).stdout
    families = {name.strip() for line in known.splitlines() for name in line.split(",")}
    return sorted({f.debian for f in fonts().values() if f.free not in families})


def _soffice(program: str, profile: Path, env: dict, target: str, files: list[Path], out_dir: Path) -> str:
    command = [
        program,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        target,
        "--outdir",
        str(out_dir),
        *map(str, files),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S, env=env)
    except subprocess.TimeoutExpired:
        raise DraftError(f"LibreOffice 转换超时（{CONVERT_TIMEOUT_S} 秒）") from None
    return done.stderr


def _no_autospace(odt: Path) -> None:
    """Turn off the extra space LibreOffice puts between Chinese and Latin letters or digits.

    The .docx says so (w:autoSpaceDE/w:autoSpaceDN = 0, which Word honours), but LibreOffice's .docx import
    ignores those two properties; its own format keeps the setting, so the file is patched there.  With the
    space, a PDF's text layer reads "申请 199 件" and the figure stated in the prose is lost to a reader.
    """
    with zipfile.ZipFile(odt) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(odt, "w") as archive:
        for info, data in members:
            if info.filename in ("styles.xml", "content.xml"):
                data = _AUTOSPACE.sub(b'style:text-autospace="none"', data)
            archive.writestr(info, data)


_AUTOSPACE = re.compile(rb'style:text-autospace="[^"]*"')


def convert_docx(files: list[Path], out_dir: Path) -> list[Path]:
    """Convert .docx files to PDF with LibreOffice (one start for all files, through its own format to
    switch off the Chinese–Latin spacing); returns the PDFs, in order."""
    program = soffice()
    if program is None:
        raise DraftError("生成 PDF 需要 LibreOffice（soffice），本机未安装：请安装 libreoffice-writer-nogui")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-") as tmp:
        tmp_path = Path(tmp)
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(tmp_path)), HOME=str(tmp_path))
        profile = tmp_path / "profile"
        odt_dir = tmp_path / "odt"
        stderr = _soffice(program, profile, env, "odt", files, odt_dir)
        odts = [odt_dir / (f.stem + ".odt") for f in files]
        missing = [p.name for p in odts if not p.exists()]
        if missing:
            raise DraftError(f"LibreOffice 未能读取：{'、'.join(missing)}（{stderr.strip()[-300:]}）")
        for odt in odts:
            _no_autospace(odt)
        stderr = _soffice(program, profile, env, "pdf:writer_pdf_Export", odts, out_dir)
    pdfs = [out_dir / (f.stem + ".pdf") for f in files]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise DraftError(f"LibreOffice 未能生成 PDF：{'、'.join(missing)}（{stderr.strip()[-300:]}）")
    return pdfs


def build_pdf(draft: AnnualReportDraft) -> bytes:
    """The draft as PDF (its .docx, converted)."""
    return build_pdfs([draft])[0]


def build_pdfs(drafts: list[AnnualReportDraft]) -> list[bytes]:
    """Many drafts as PDF with a single LibreOffice start."""
    with tempfile.TemporaryDirectory(prefix="gongkai-docx-") as tmp:
        tmp_path = Path(tmp)
        files = []
        for i, draft in enumerate(drafts):
            path = tmp_path / f"report-{i:05d}.docx"
            path.write_bytes(build_docx(draft))
            files.append(path)
        return [p.read_bytes() for p in convert_docx(files, tmp_path / "pdf")]
