"""Drafts made from the synthetic report generator (ground truth with every identity, or broken on purpose)."""

from __future__ import annotations

import copy
import random
from decimal import Decimal

from gongkai.authoring.draft import AnnualReportDraft
from gongkai.proving.synth import perturb, random_tables

AGENCIES = ("石家庄市生态环境局", "濮阳市人民政府", "曲阳县人民政府办公室", "龙岗区交通运输局", "雄县南湖镇人民政府")
PROBLEMS = "一是主动公开的深度有待拓展；二是政策解读形式不够丰富。针对上年度报告所列问题，已逐项完成整改。"


def make_draft(seed: int, format_id: str, *, consistent: bool = True) -> tuple[AnnualReportDraft, dict]:
    """(draft, the tables it holds in the report/v1 shape); broken tables have 1–3 shifted cells."""
    rng = random.Random(seed)
    tables = random_tables(rng, format_id)
    if not consistent:
        for _ in range(rng.randint(1, 3)):
            tables, _, _ = perturb(tables, rng)
    year = rng.choice((2019, 2020)) if format_id == "2019" else rng.choice((2021, 2022, 2023, 2024))
    draft = AnnualReportDraft(
        agency=rng.choice(AGENCIES),
        year=year,
        format_id=format_id,
        active=copy.deepcopy(tables["active"]),
        requests=copy.deepcopy(tables["requests"]),
        review_litigation=copy.deepcopy(tables["review_litigation"]),
        processing_fee_yuan=Decimal(rng.choice((0, 0, 100, 380))),
    )
    offered = draft.offered_sentences()
    draft.texts = {
        "overview": "（一）依申请公开情况\n" + "".join(offered.get("overview", [])),
        "problems": PROBLEMS,
        "other_matters": "".join(offered.get("other_matters", [])),
    }
    return draft, tables


def finding_keys(findings) -> list[tuple[str, tuple[str, ...]]]:
    """Findings as (rule, cells), from Finding objects or their JSON."""
    out = []
    for f in findings:
        rule, cells = (f["rule"], f["cells"]) if isinstance(f, dict) else (f.rule, f.cells)
        out.append((rule, tuple(cells)))
    return sorted(out)
