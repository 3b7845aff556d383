"""Which cells a run of values fills, when the run and the row do not have the same number of cells.

A value is written into a cell only when the cell is established: the run has exactly as many values as the
row has columns, or its blank cells are known, or exactly one placement of the values satisfies the row's
identity (total = sum of parts).  Every candidate placement is enumerated (bounded); when the candidates that
satisfy the identity do not all give the same numbers, nothing is placed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Identity = Callable[[list[int]], bool]
T = TypeVar("T")

# A row has at most 15 cells; runs beyond this many candidate placements are left unread rather than searched.
MAX_PLACEMENTS = 5000


@dataclass(slots=True)
class Placement(Generic[T]):
    """One way to fill the row: an item per column (a printed value or a blank)."""

    items: list[T]
    placed: str  # "label": every candidate gives these numbers; "identity": only the identity singles them out


def unique_placement(
    candidates: Sequence[list[T]], number: Callable[[T], int | None], identity: Identity | None
) -> Placement[T] | None:
    """The numbers every candidate that satisfies the identity agrees on, or None (several fit, or none)."""
    candidates = list(itertools.islice(candidates, MAX_PLACEMENTS + 1))
    if not candidates or len(candidates) > MAX_PLACEMENTS:
        return None
    vectors = [[number(x) for x in items] for items in candidates]
    if all(v == vectors[0] for v in vectors):
        return Placement(candidates[0], "label")
    if identity is None:
        return None
    kept = [i for i, v in enumerate(vectors) if None not in v and identity(v)]  # type: ignore[arg-type]
    if kept and all(vectors[i] == vectors[kept[0]] for i in kept):
        return Placement(candidates[kept[0]], "identity")
    return None


def subsets(run: Sequence[T], count: int) -> list[list[T]]:
    """Every way to keep `count` items of a run in order (a run with stray values)."""
    if len(run) > count + 3:
        return []  # more than three strays: not one row
    return [list(c) for c in itertools.islice(itertools.combinations(run, count), MAX_PLACEMENTS + 1)]
