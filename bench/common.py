"""What every benchmark script shares: the machine it ran on, and writing its results."""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

from rich.console import Console


def machine() -> dict:
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
    }


def write_json(result: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def console() -> Console:
    # Rich wraps at 80 columns when stdout is not a terminal; the tables need more.
    return Console(width=None if sys.stdout.isatty() else 150)
