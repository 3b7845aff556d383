"""Damaged generated reports: for every class of publishing damage, the share of cells recovered, the wrong values
and the unread cells (those the damaged text does not determine counted apart).

    ./run python bench/damage.py                     # 400 reports of each class, writes bench/results/damage.json
    ./run python bench/damage.py --reports 260 --seed 1

A wrong value is a number the reader reports where the report prints another (or prints no such row); an unread
cell is one it leaves empty.  The goal is zero wrong values: a cell may stay unread, with a finding, never be guessed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import console, machine, write_json  # bench/ is on sys.path when run as a script

from gongkai.proving.evaluate import evaluate_damaged, render_damaged
from gongkai.proving.synth_damage import DAMAGES

PER_CLASS = 400

RESULTS = Path(__file__).resolve().parent / "results" / "damage.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--reports",
        type=int,
        default=PER_CLASS * len(DAMAGES),
        help=f"damaged reports, the classes in turn (default {PER_CLASS} of each of the {len(DAMAGES)} classes)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write the results")
    args = parser.parse_args()
    result = evaluate_damaged(args.reports, seed=args.seed)
    console().print(render_damaged(result))
    result["machine"] = machine()
    result["command"] = f"./run python bench/damage.py --reports {args.reports} --seed {args.seed}"
    write_json(result, args.json)
    print(f"written: {args.json}")


if __name__ == "__main__":
    main()
