"""Synthetic demonstration reports (clearly named 合成示例) so consolidation, comparison and year-over-year
pages have something to show next to the five real samples. Never loaded unless asked for."""

from __future__ import annotations

import random
import re

from gongkai.proving.synth import random_tables, render
from gongkai.web.center.services.agencies import place_agency
from gongkai.web.center.services.ingest import ingest_bytes

_TITLE = re.compile(r"^(?P<org>.+?)(?P<year>(?:19|20)\d{2})年")

# (agency, year, whether its numbers add up)
DEMO = (
    ("石家庄市长安区人民政府", 2021, True),
    ("石家庄市长安区人民政府", 2020, True),
    ("石家庄市桥西区人民政府", 2021, False),
    ("石家庄市裕华区人民政府", 2021, True),
    ("石家庄市教育局", 2021, True),
    ("石家庄市公安局", 2021, True),
    ("石家庄市卫生健康委员会", 2021, True),
    ("石家庄市人民政府", 2020, True),
)
SILENT = ("石家庄市新华区人民政府",)  # in the tree, but no report: shows up as 未报送


def demo_document(agency: str, year: int, consistent: bool, seed: int) -> str:
    rng = random.Random(seed)
    tables = random_tables(rng, "2021", consistent=consistent)
    text = render(tables, "cell_per_line", rng, noise=False)
    m = _TITLE.match(text)
    # The generator names a random agency and year; the demo needs ours everywhere in the text.
    return text.replace(m["org"], agency).replace(f"{m['year']}年", f"{year}年")


def load_demo() -> tuple[int, int]:
    created = existing = 0
    for i, (agency, year, consistent) in enumerate(DEMO):
        text = demo_document(agency, year, consistent, seed=1000 + i)
        outcome = ingest_bytes(text.encode("utf-8"), f"合成示例_{agency}_{year}.txt")
        created += outcome.created
        existing += not outcome.created
    for agency in SILENT:
        place_agency(agency)
    return created, existing
