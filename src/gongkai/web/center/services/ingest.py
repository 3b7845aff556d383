"""Ingest: bytes, pasted text or a zip in → one Report per distinct document (by SHA-256) out."""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.db import IntegrityError, transaction

from gongkai.errors import InputError, TooLarge
from gongkai.parse import parse_bytes_with_text
from gongkai.web.center.models import Document, Report
from gongkai.web.center.services.permissions import can_edit_agency
from gongkai.web.center.services.previous_year import reread_next_year, with_stored_previous_year
from gongkai.web.center.services.store import save_report

# Tries of one store when another process inserts a row it needs at the same moment.
RACE_ATTEMPTS = 3
log = logging.getLogger("gongkai.web")


class OutsideRegion(InputError):
    code = "outside_region"


@dataclass
class Outcome:
    report: Report
    created: bool  # False: the same document was already stored


# Django refuses a form part whose headers pass 1 KB: a file name of several hundred characters, or a broken form.
UNPARSABLE_UPLOAD = "上传内容无法解析：文件名过长（超过约 300 个汉字）或表单格式不正确；请缩短文件名后重新上传"


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def check_size(size: int, filename: str = "") -> None:
    limit = settings.GONGKAI_MAX_UPLOAD_BYTES
    if size > limit:
        raise TooLarge(
            f"文件{('“' + filename + '”') if filename else ''}过大（{_mb(size)}），超过上限 {_mb(limit)}",
            f"file too large ({size} bytes > {limit})",
        )


@dataclass
class Prepared:
    """A document read and parsed, not yet stored (parsing is slow: it happens outside any write transaction)."""

    data: bytes
    filename: str
    digest: str
    existing: Report | None
    parsed: object = None
    rendered: str = ""


def prepare(data: bytes, filename: str) -> Prepared:
    """Read and parse the bytes, unless the same document is stored already. Raises InputError (with a Chinese
    reason) for anything that is not a readable annual report."""
    check_size(len(data), filename)
    digest = hashlib.sha256(data).hexdigest()
    existing = Report.objects.filter(document__sha256=digest).first()
    if existing is not None:
        return Prepared(data, filename, digest, existing)
    return Prepared(data, filename, digest, None, *parse_bytes_with_text(data, filename))


def store(prepared: Prepared, user=None) -> Outcome:
    """Write a prepared document and its report; nothing is written when it is refused."""
    if prepared.existing is not None:
        return Outcome(prepared.existing, created=False)
    if prepared.parsed is not None:  # a 表二（一） row the text leaves open may be placed by the stored last year
        prepared.parsed, prepared.rendered = with_stored_previous_year(
            prepared.parsed, prepared.rendered, prepared.data, prepared.filename
        )
    for attempt in range(1, RACE_ATTEMPTS + 1):
        try:
            outcome = _store_once(prepared, user)
            if outcome.created:  # the same agency's next year, stored earlier, may now be read in full
                reread_next_year(outcome.report)
            return outcome
        except _RowRace:
            # Another request created a row this report needs (its province, its county) between this one's
            # lookup and insert: everything written here rolled back, and a second try finds that row.
            if attempt == RACE_ATTEMPTS:
                raise
            log.info("storing %s: a row was created concurrently, trying again", prepared.filename)
    raise AssertionError("unreachable")


class _RowRace(IntegrityError):
    """A unique row inserted by someone else meanwhile, other than this document itself."""


def _store_once(prepared: Prepared, user) -> Outcome:
    report = None
    try:
        with transaction.atomic():
            _drop_orphan(prepared.digest)
            report = save_report(
                prepared.data, prepared.digest, prepared.filename, prepared.parsed, prepared.rendered, user
            )
            if user is not None and not can_edit_agency(user, report.agency):
                # Rolls back the report and any agency placed for it.
                raise OutsideRegion(
                    f"该年报属于“{report.agency}”，不在您负责的地区内，未入库",
                    f"report of {report.agency} is outside the uploader's region",
                )
    except IntegrityError as exc:
        _discard_file(report)
        # Another request stored the same bytes between our lookup and insert…
        existing = Report.objects.filter(document__sha256=prepared.digest).first()
        if existing is None:  # …or created another row this one needs
            raise _RowRace(*exc.args) from exc
        return Outcome(existing, created=False)
    except BaseException:
        _discard_file(report)
        raise
    return Outcome(report, created=True)


def ingest_bytes(data: bytes, filename: str, user=None) -> Outcome:
    """Store one document and its report, or return the report already stored for the same bytes."""
    return store(prepare(data, filename), user)


def _drop_orphan(digest: str) -> None:
    """A document whose report was deleted (e.g. in the admin) must not block storing the same bytes again."""
    for orphan in Document.objects.filter(sha256=digest, report__isnull=True):
        orphan.file.delete(save=False)
        orphan.delete()


def _discard_file(report: Report | None) -> None:
    if report is not None and report.document_id and report.document.file:
        report.document.file.delete(save=False)


def ingest_text(text: str, title: str = "", user=None) -> Outcome:
    name = (title.strip() or "粘贴的文本")[:80]
    return ingest_bytes(text.encode("utf-8"), name if name.endswith(".txt") else f"{name}.txt", user)


def ingest_many_atomic(files: list[tuple[str, bytes]], user=None) -> list[Outcome]:
    """All or nothing (the API): if any file is refused, no report of this request is kept. Every file is
    parsed before the write transaction opens, so the database is locked only while rows are written."""
    prepared = []
    for name, data in files:
        try:
            prepared.append(prepare(data, name))
        except InputError as exc:
            exc.filename = name  # tells the caller which file was refused
            raise
    outcomes: list[Outcome] = []
    try:
        with transaction.atomic():
            for item in prepared:
                try:
                    outcomes.append(store(item, user))
                except InputError as exc:
                    exc.filename = item.filename
                    raise
    except BaseException:
        for outcome in outcomes:
            if outcome.created:
                outcome.report.document.file.delete(save=False)
        raise
    return outcomes


def is_zip(name: str, data: bytes) -> bool:
    # Office files are zips too; only a file named .zip is an archive of reports.
    return name.lower().endswith(".zip") and data[:4] == b"PK\x03\x04"


def expand_zip(data: bytes) -> list[tuple[str, bytes]]:
    """The files inside a zip, bounded in count and size. Names are reduced to their last part:
    nothing is ever written to a path taken from the archive."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError("压缩包已损坏，无法打开", "corrupt zip archive", "bad_zip") from exc
    members = [
        m
        for m in archive.infolist()
        if not m.is_dir() and not PurePosixPath(m.filename).name.startswith(".") and "__MACOSX" not in m.filename
    ]
    if len(members) > settings.GONGKAI_MAX_ZIP_FILES:
        raise TooLarge(
            f"压缩包内文件过多（{len(members)} 个），上限 {settings.GONGKAI_MAX_ZIP_FILES} 个",
            f"too many files in zip ({len(members)})",
        )
    if any(m.flag_bits & 0x1 for m in members):
        raise InputError("压缩包已加密，无法读取", "encrypted zip", "encrypted")
    out, total = [], 0
    limit = settings.GONGKAI_MAX_UPLOAD_BYTES
    for member in members:
        name = _member_name(member)
        # Read at most limit+1 bytes: the sizes in the header can lie (zip bombs).
        try:
            with archive.open(member) as fh:
                content = fh.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            # A damaged member (bad CRC, truncated) or a method Python cannot read (Deflate64 from Windows).
            raise InputError(
                f"压缩包中的“{name}”已损坏或使用了不支持的压缩方式，请重新打包（标准 zip）",
                f"cannot read zip member {name}: {exc}",
                "bad_zip",
            ) from exc
        check_size(len(content), name)
        total += len(content)
        if total > settings.GONGKAI_MAX_ZIP_BYTES:
            raise TooLarge(
                f"压缩包解压后超过上限 {_mb(settings.GONGKAI_MAX_ZIP_BYTES)}",
                "zip expands beyond the limit",
            )
        out.append((name, content))
    return out


def _member_name(member: zipfile.ZipInfo) -> str:
    name = member.filename
    if not member.flag_bits & 0x800:
        # Zips made on Chinese Windows store names in GBK without saying so.
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gbk")
    return PurePosixPath(name.replace("\\", "/")).name[:255] or "未命名"
