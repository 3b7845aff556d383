"""`gongkai ingest`: load folders and zips of reports into the data center's database from the command line.

The same reading, dedupe (SHA-256 of the bytes) and placement as the upload page: parsing runs in worker
processes (`gongkai.parallel`), and every write goes through the center's own `ingest.store` in this process,
one transaction per report. A file whose bytes are stored already is skipped before it is parsed, so running
the same command again after an interruption continues where it stopped. Only a window of files is in memory
at any time, whatever the number of files.

This module is imported by the workers too: nothing Django is imported at module level.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

log = logging.getLogger("gongkai.ingest")

WORKER_NICENESS = 5
# What the CLI reads from a folder: the report files `gongkai parse` reads, and zips of them.
ZIP_SUFFIX = ".zip"


@dataclass(slots=True)
class Item:
    """One file to load: on disk (`path`) or a member of a zip (`data` given)."""

    name: str  # the file name stored with the document, as the upload page stores it
    shown: str  # where it came from, for messages: a path, or archive.zip:member
    path: Path | None = None
    data: bytes | None = None
    digest: str = ""
    status: str = ""  # decided before parsing: "duplicate" or "refused"
    code: str = ""
    message: str = ""


@dataclass(slots=True)
class Outcome:
    item: Item
    status: str  # created | duplicate | refused | failed
    code: str = ""
    message: str = ""
    report_id: int | None = None


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)  # by status
    reasons: Counter = field(default_factory=Counter)  # refused/failed: (code, Chinese reason) → files
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process: reading, dedupe lookups, writing (and parsing when jobs=1)
    worker_cpu_seconds: float = 0.0  # the worker processes, parsing

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        if outcome.status in ("refused", "failed"):
            self.reasons[(outcome.code, _reason_kind(outcome.message))] += 1


def _reason_kind(message: str) -> str:
    """A refusal's message without the file's own name, so equal reasons count together."""
    if "“" in message and "”" in message:  # 文件“x.pdf”过大 → 文件过大
        start, end = message.index("“"), message.index("”")
        message = message[:start] + message[end + 1 :]
    return message


def parse_upload(argument: tuple[bytes, str] | None):
    """In a worker: what `ingest.prepare` does after its database lookup (`parse_bytes_with_text`), as
    ("ok", report, rendered text) or ("refused", code, Chinese reason, English reason)."""
    if argument is None:  # decided before parsing (duplicate, refused): nothing to do
        return None
    from gongkai.errors import InputError
    from gongkai.parse import parse_bytes_with_text

    data, filename = argument
    try:
        return "ok", *parse_bytes_with_text(data, filename)
    except InputError as exc:
        return "refused", exc.code, exc.message_zh, exc.message_en
    except RecursionError:
        return "refused", "too_complex", "文档结构过于复杂，无法解析", "document nesting too deep"
    except Exception as exc:  # one file's bug must not stop the run; it is logged and counted
        log.exception("internal error while parsing %s", filename)
        return "failed", "internal", "处理该文件时发生内部错误，已记录，请联系管理员", repr(exc)


def walk(paths: list[Path], readable: set[str]) -> Iterator[Item]:
    """Files as given (any name), folders recursively and sorted (report files and zips); zips opened with the
    upload page's limits. A path that cannot be read becomes a refused item, never an exception."""
    for path in paths:
        if path.is_dir():
            for found in files_under(path):
                if found.suffix.lower() in readable or found.suffix.lower() == ZIP_SUFFIX:
                    yield from _items(found)
        else:
            yield from _items(path)


def files_under(directory: Path) -> Iterator[Path]:
    """The files under `directory` in the order of sorted(directory.rglob("*")) (a folder's entries by name, a
    subfolder's files where its name sorts), listed a folder at a time as the walk reaches it: the run holds the
    names of the folders it is in, not a path for every file of the tree (20,000 files: 1.4 MB held instead of
    5.4 MB, 11.8 MB at the sort's peak). Symbolic links to folders are not followed, as rglob does not; an unreadable
    folder is skipped, as rglob skips it."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return
    for name in names:
        path = directory / name
        if path.is_dir() and not path.is_symlink():
            yield from files_under(path)
        elif path.is_file():
            yield path


def _items(path: Path) -> Iterator[Item]:
    from gongkai.errors import InputError
    from gongkai.web.center.services.ingest import expand_zip, is_zip

    if path.suffix.lower() != ZIP_SUFFIX:
        yield Item(path.name, str(path), path=path)
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
        if not is_zip(path.name, head):
            yield Item(path.name, str(path), path=path)  # not really a zip: read as a report, refused as one
            return
        from gongkai.web.center.services.ingest import check_size

        check_size(path.stat().st_size, path.name)
        members = expand_zip(path.read_bytes())
    except InputError as exc:
        yield Item(path.name, str(path), status="refused", code=exc.code, message=exc.message_zh)
        return
    except OSError as exc:
        yield Item(path.name, str(path), status="refused", code="unreadable", message=_os_reason(exc))
        return
    members.reverse()
    while members:  # handed out one by one, so each member's bytes go as soon as it is stored
        name, data = members.pop()
        yield Item(name, f"{path}:{name}", data=data)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录"
    return f"无法读取文件（{exc.strerror or exc}）"


class Loader:
    """Decides, in this process, what each item needs: the dedupe lookup before any parsing."""

    def __init__(self) -> None:
        # The digests of this run's files (32 bytes each, not their names: a run of 100,000 files holds ~7 MB).
        self.seen: set[bytes] = set()

    def argument(self, item: Item) -> tuple[bytes, str] | None:
        """What the worker gets: (bytes, name), or None when the item is settled without parsing."""
        from gongkai.errors import InputError
        from gongkai.web.center.models import Report
        from gongkai.web.center.services.ingest import check_size

        if item.status:
            return None
        try:
            if item.data is None:
                assert item.path is not None
                check_size(item.path.stat().st_size, item.name)  # before reading it
                item.data = item.path.read_bytes()
            check_size(len(item.data), item.name)
        except InputError as exc:
            item.status, item.code, item.message, item.data = "refused", exc.code, exc.message_zh, None
            return None
        except OSError as exc:
            item.status, item.code, item.message = "refused", "unreadable", _os_reason(exc)
            return None
        item.digest = hashlib.sha256(item.data).hexdigest()
        if (raw := bytes.fromhex(item.digest)) in self.seen:
            item.status, item.message, item.data = "duplicate", "与本次较早处理的文件内容相同", None
            return None
        self.seen.add(raw)
        if Report.objects.filter(document__sha256=item.digest).exists():
            item.status, item.message, item.data = "duplicate", "相同内容的文件已入库", None
            return None
        return item.data, item.name

    def store(self, item: Item, result) -> Outcome:
        """Write one parsed item through the center's own `ingest.store`, or say why not."""
        from gongkai.errors import InputError
        from gongkai.parallel import Failure
        from gongkai.web.center.services.ingest import Prepared, store

        if item.status:
            return Outcome(item, item.status, item.code, item.message)
        data, item.data = item.data, None
        if isinstance(result, Failure):
            return Outcome(item, "failed", result.code, result.message_zh)
        if result[0] != "ok":
            status, code, message_zh, _ = result
            return Outcome(item, status, code, message_zh)
        _, parsed, rendered = result
        try:
            outcome = store(Prepared(data, item.name, item.digest, None, parsed, rendered))
        except InputError as exc:
            return Outcome(item, "refused", exc.code, exc.message_zh)
        except Exception:  # as the upload page: this file fails, the run goes on
            log.exception("ingest failed for %s", item.shown)
            return Outcome(item, "failed", "internal", "处理该文件时发生内部错误，已记录，请联系管理员")
        if not outcome.created:  # stored meanwhile by someone else (the site, another ingest run)
            return Outcome(item, "duplicate", "", "相同内容的文件已入库", outcome.report.pk)
        return Outcome(item, "created", report_id=outcome.report.pk)


def ingest_paths(
    paths: list[Path],
    *,
    jobs: int,
    timeout: float | None = 600.0,
    on_outcome: Callable[[Outcome], None] | None = None,
    readable: set[str] | None = None,
) -> Summary:
    """Load every report under `paths` (Django set up, tables migrated). With jobs=1 everything runs here."""
    from django.db import reset_queries

    from gongkai.parallel import imap_ordered

    if readable is None:
        from gongkai.cli import READABLE_SUFFIXES as readable
    loader = Loader()
    summary = Summary()
    stats: dict = {}
    started, cpu = time.perf_counter(), time.process_time()
    items = walk(paths, readable)
    if jobs <= 1:
        stream = ((item, parse_upload(loader.argument(item))) for item in items)
    else:
        # The workers run at a lower priority: every report is written here, one at a time, and that is the
        # bottleneck they must not take CPU from.
        stream = imap_ordered(
            parse_upload, items, jobs=jobs, timeout=timeout, argument=loader.argument, nice=WORKER_NICENESS, stats=stats
        )
    for n, (item, result) in enumerate(stream, 1):
        outcome = loader.store(item, result)
        summary.add(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
        if n % 1000 == 0:
            reset_queries()  # bounded memory even when DEBUG keeps a query log
    summary.seconds = time.perf_counter() - started
    summary.cpu_seconds = time.process_time() - cpu
    summary.worker_cpu_seconds = stats.get("worker_cpu_seconds", 0.0)
    return summary


def count_items(paths: list[Path], readable: set[str]) -> int:
    """How many files the progress bar expects: a zip counts its members (from its directory, unread)."""
    total = 0
    for path in paths:
        found = (
            (p for p in files_under(path) if p.suffix.lower() in readable | {ZIP_SUFFIX}) if path.is_dir() else [path]
        )
        total += sum(_members(p) if p.suffix.lower() == ZIP_SUFFIX else 1 for p in found)
    return total


def _members(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [m.filename for m in archive.infolist() if not m.is_dir()]
    except (OSError, zipfile.BadZipFile):
        return 1
    return max(1, sum(1 for n in names if not PurePosixPath(n).name.startswith(".") and "__MACOSX" not in n))


def configure(database_url: str | None, data_dir: Path | None) -> None:
    """Point Django at the database and data directory, start it and bring the tables up to date."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    from gongkai.web.cli import setup

    setup(data_dir)
    from gongkai.web.migrate_lock import migrate

    migrate()
