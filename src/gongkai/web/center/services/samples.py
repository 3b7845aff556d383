"""The bundled sample reports (corpus/seeds), loaded once: re-loading finds them by content hash."""

from __future__ import annotations

from pathlib import Path

from gongkai.errors import InputError
from gongkai.web.center.services.ingest import ingest_bytes


def samples_dir() -> Path | None:
    # The repository checkout holds them beside src/; an installed package has none.
    candidate = Path(__file__).resolve().parents[5] / "corpus" / "seeds"
    return candidate if candidate.is_dir() else None


def load_samples(directory: Path | None = None) -> tuple[int, int, list[str]]:
    """(created, already present, refusals) for every file in the directory."""
    directory = directory or samples_dir()
    created = existing = 0
    refused: list[str] = []
    if directory is None:
        return created, existing, refused
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        try:
            outcome = ingest_bytes(path.read_bytes(), path.name)
        except InputError as exc:
            refused.append(f"{path.name}: {exc.message_zh}")
            continue
        created += outcome.created
        existing += not outcome.created
    return created, existing, refused
