"""The authoring data (spec/authoring.toml): page geometry, fonts, sentence templates, readiness rules."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass

from gongkai.spec import SPEC_DIR


@functools.cache
def authoring() -> dict:
    with open(SPEC_DIR / "authoring.toml", "rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class Font:
    role: str
    name: str  # as agencies' machines have it
    word_fallback: str
    free: str  # the free font PDFs are rendered with
    free_bold: bool
    debian: str


@dataclass(frozen=True)
class Sentence:
    key: str
    section: str
    template: str
    paths: tuple[str, ...]
    when: str  # "nonzero" | "zero" | "always"
    formats: tuple[str, ...] = ()


def fonts() -> dict[str, Font]:
    return {
        role: Font(
            role=role,
            name=d["name"],
            word_fallback=d["word_fallback"],
            free=d["free"],
            free_bold=d.get("free_bold", False),
            debian=d["debian"],
        )
        for role, d in authoring()["fonts"].items()
    }


def sentences() -> tuple[Sentence, ...]:
    return tuple(
        Sentence(
            key=s["key"],
            section=s["section"],
            template=s["template"],
            paths=tuple(s["paths"]),
            when=s.get("when", "always"),
            formats=tuple(s.get("formats", ())),
        )
        for s in authoring()["sentence"]
    )
