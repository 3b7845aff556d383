"""Bring the tables up to date, one process at a time.

Several processes may start at once on a fresh database (`gongkai serve --workers N` on two machines, a worker
and the site, two `gongkai ingest` runs); two `migrate` commands at the same moment both see a table missing and
the second fails half-way ("table already exists"). On PostgreSQL a session advisory lock serialises them across
machines; on SQLite (one file, one machine) a lock file beside the database does.
"""

from __future__ import annotations

from pathlib import Path

# pg_advisory_lock takes a 64-bit key: any constant this project owns ("gongkai" in ASCII).
_ADVISORY_KEY = int.from_bytes(b"gongkai", "big")


def migrate() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_ADVISORY_KEY])
        try:
            call_command("migrate", interactive=False, verbosity=0)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_ADVISORY_KEY])
        return
    from filelock import FileLock

    name = str(settings.DATABASES["default"].get("NAME") or "")
    on_disk = connection.vendor == "sqlite" and name and ":memory:" not in name and "mode=memory" not in name
    with FileLock(Path(f"{name}.migrate-lock") if on_disk else Path(settings.DATA_DIR) / "migrate.lock"):
        call_command("migrate", interactive=False, verbosity=0)
