"""Load benchmark: fill the database with synthetic reports in a realistic tree, then time the main pages and
API endpoints in-process (no network), reporting p50/p95/max per endpoint."""

from __future__ import annotations

import hashlib
import random
import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test import Client

from gongkai.parse import parse_text
from gongkai.proving.synth import random_tables, render
from gongkai.web.center.models import Agency, Cell, Document, Finding, Report
from gongkai.web.center.services.compare import RATE_BY_KEY
from gongkai.web.center.services.store import cell_rows, document_figures, finding_rows, status_of

ROOT_NAME = "基准测试省"
YEARS = (2019, 2020, 2021, 2022, 2023)


@dataclass
class Template:
    text: str
    doc: dict
    findings: list


def _templates(count: int, rng: random.Random) -> dict[str, list[Template]]:
    out: dict[str, list[Template]] = {"2019": [], "2021": []}
    for format_id in out:
        for _ in range(count):
            tables = random_tables(rng, format_id, consistent=rng.random() > 0.2)
            text = render(tables, rng.choice(("cell_per_line", "inline_pipes", "markdown")), rng, noise=False)
            parsed = parse_text(text, "bench.txt")
            out[format_id].append(Template(text, parsed.to_json(), parsed.findings))
    return out


def _tree(agencies: int) -> list[Agency]:
    """A province with cities, each with departments and counties with townships: `agencies` leaves in all."""
    root, _ = Agency.objects.get_or_create(name=ROOT_NAME, parent=None, defaults={"level": "province"})
    leaves: list[Agency] = []
    cities = max(1, agencies // 200)
    for c in range(cities):
        city, _ = Agency.objects.get_or_create(name=f"基准{c + 1}市", parent=root, defaults={"level": "city"})
        leaves.append(city)
        per_city = agencies // cities
        departments = per_city * 3 // 10
        for d in range(departments):
            leaves.append(
                Agency.objects.get_or_create(
                    name=f"基准{c + 1}市第{d + 1}局", parent=city, defaults={"level": "city", "kind": "department"}
                )[0]
            )
        county_count = max(1, (per_city - departments) // 7)
        for k in range(county_count):
            county, _ = Agency.objects.get_or_create(name=f"基准{k + 1}县", parent=city, defaults={"level": "county"})
            leaves.append(county)
            for t in range(6):
                leaves.append(
                    Agency.objects.get_or_create(
                        name=f"基准{k + 1}县第{t + 1}镇", parent=county, defaults={"level": "township"}
                    )[0]
                )
    return leaves


def load(reports: int, templates: int = 40, seed: int = 1, progress=print) -> int:
    """Add synthetic reports until the benchmark tree holds `reports` of them; returns how many were added."""
    rng = random.Random(seed)
    existing = Report.objects.filter(document__filename__startswith="bench-").count()
    if existing >= reports:
        return 0
    pool = _templates(templates, rng)
    leaves = _tree(max(1, reports // len(YEARS)))
    slots = [(a, y) for y in YEARS for a in leaves][existing:reports]
    added = 0
    for start in range(0, len(slots), 500):
        with transaction.atomic():
            added += _load_batch(slots[start : start + 500], pool, rng, existing + start)
        progress(f"已写入 {existing + added} / {reports} 份")
    if connection.vendor == "postgresql":
        # What autovacuum would do shortly after a bulk load; without it the planner guesses row counts badly.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return added


def _load_batch(slots, pool, rng: random.Random, offset: int) -> int:
    cells, findings = [], []
    for i, (agency, year) in enumerate(slots):
        template = rng.choice(pool["2021" if year >= 2021 else "2019"])
        # Appended at the end, so every evidence offset of the template stays valid.
        text = f"{template.text}\n（基准测试数据 {agency.name} {year} #{offset + i}）\n"
        data = text.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        name = default_storage.save(f"bench/{digest}.txt", ContentFile(data))
        document = Document.objects.create(
            sha256=digest,
            filename=f"bench-{offset + i}.txt",
            file=name,
            size=len(data),
            kind="text",
            source_text=text,
            rendered_text=text,
        )
        status, errors, warnings = status_of(template.findings)
        report = Report.objects.create(
            document=document,
            agency=agency,
            agency_confidence=0.95,
            agency_source="title",
            year=year,
            year_confidence=0.95,
            year_source="title",
            format=template.doc["format"],
            parsed=template.doc,
            figures=document_figures(template.doc),
            printed_title=f"{agency.name}{year}年政府信息公开工作年度报告",
            status=status,
            error_count=errors,
            warning_count=warnings,
        )
        cells += cell_rows(report, template.doc)
        findings += finding_rows(report, template.doc["findings"])
    Cell.objects.bulk_create(cells, batch_size=5000)
    Finding.objects.bulk_create(findings, batch_size=5000)
    return len(slots)


def measure(requests: int = 50, seed: int = 2) -> list[dict]:
    rng = random.Random(seed)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    report_ids = list(Report.objects.values_list("pk", flat=True))
    city_ids = list(Agency.objects.filter(parent__name=ROOT_NAME).values_list("pk", flat=True)) or [None]
    leaf_ids = list(Report.objects.exclude(agency=None).values_list("agency_id", flat=True).distinct()[:2000])
    year = max(YEARS)

    def any_report():
        return rng.choice(report_ids)

    endpoints = {
        "首页 /": lambda: "/",
        "年报列表 /reports/?year=": lambda: f"/reports/?year={rng.choice(YEARS)}&page={rng.randint(1, 20)}",
        "年报页 /reports/<id>/": lambda: f"/reports/{any_report()}/",
        "出处 /reports/<id>/evidence/": lambda: f"/reports/{any_report()}/evidence/?path=requests.total.total",
        "API 列表 /api/reports": lambda: f"/api/reports?year={rng.choice(YEARS)}&offset={rng.randint(0, 1000)}",
        "API 年报 /api/reports/<id>": lambda: f"/api/reports/{any_report()}",
        "API 单元格 /api/reports/<id>/cells": lambda: f"/api/reports/{any_report()}/cells",
        "历年对比 /agencies/<id>/years/": lambda: f"/agencies/{rng.choice(leaf_ids)}/years/",
        "汇总 /agencies/<市>/consolidation/": lambda: f"/agencies/{rng.choice(city_ids)}/consolidation/?year={year}",
        "机关对比 /compare/（市内）": lambda: f"/compare/?year={year}&within={rng.choice(city_ids)}",
        "机关对比 /compare/（全部）": lambda: (
            f"/compare/?year={rng.choice(YEARS)}&rate={rng.choice(list(RATE_BY_KEY))}"
        ),
        "机构树 /agencies/": lambda: "/agencies/",
    }
    client = Client()
    for url in endpoints.values():  # warm up: template compilation and first queries are not what users wait for
        client.get(url())
    results = []
    for name, url in endpoints.items():
        timings = []
        for _ in range(requests):
            target = url()
            started = time.perf_counter()
            response = client.get(target)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{target} → {response.status_code}")
        timings.sort()
        p95 = statistics.quantiles(timings, n=20, method="inclusive")[-1] if len(timings) > 1 else timings[0]
        results.append(
            {
                "endpoint": name,
                "n": len(timings),
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(p95, 1),
            }
            | {"max_ms": round(timings[-1], 1)}
        )
    return results
