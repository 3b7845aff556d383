"""Comparison and consolidation pages."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gongkai.spec import SMALL_DENOMINATOR
from gongkai.web.center.models import Agency, Report
from gongkai.web.center.services.compare import (
    RATE_BY_KEY,
    RATES,
    distribution,
    doubtful_figures,
    rate_rows,
    reports_for_year,
    year_over_year,
)
from gongkai.web.center.services.consolidate import consolidate, contributions
from gongkai.web.center.services.consolidation_export import to_xlsx as consolidation_xlsx
from gongkai.web.center.services.documents import number
from gongkai.web.center.services.presentation import fill
from gongkai.web.center.services.queries import LEVEL_CHOICES, parse_id
from gongkai.web.center.views.exports import CONTENT_TYPES

COMPARE_PAGE = 200


def _year(request, default: int | None) -> int | None:
    year = parse_id(request.GET.get("year"))
    return year if year is not None and 1900 <= year <= 2100 else default


def _numbers(series: list[dict]) -> list[dict]:
    """Chart series with JSON numbers (Decimals do not serialise)."""
    return [{"label": s["label"], "values": [number(v) for v in s["values"]]} for s in series]


@require_GET
def agency_years(request, pk: int):
    agency = get_object_or_404(Agency, pk=pk)
    yoy = year_over_year(agency)
    years = sorted(yoy.reports)
    series_rows = yoy.series()
    series = _numbers(series_rows)
    doubtful = yoy.doubtful()
    flagged = {(d["year"], d["path"]) for d in doubtful}
    return render(
        request,
        "center/agency_years.html",
        {
            "agency": agency,
            "years": years,
            "reports": [yoy.reports[y] for y in years],
            "series": series,
            "chart": {"years": [str(y) for y in years], "series": series},
            "mix": {"years": [str(y) for y in years], "series": _numbers(yoy.outcome_mix())},
            "findings": yoy.findings,
            "doubtful": doubtful,
            "table": [
                {
                    "label": row["label"],
                    "cells": [
                        (number(v), (y, row["path"]) in flagged) for y, v in zip(years, row["values"], strict=True)
                    ],
                }
                for row in series_rows
            ],
        },
    )


@require_GET
def compare_agencies(request):
    years = list(Report.objects.exclude(year=None).order_by("-year").values_list("year", flat=True).distinct())
    year = _year(request, years[0] if years else None)
    within_id = parse_id(request.GET.get("within"))
    within = Agency.objects.filter(pk=within_id).first() if within_id else None
    rate = RATE_BY_KEY.get(request.GET.get("rate", ""), RATES[0])
    level = request.GET.get("level", "")
    level = level if level in dict(LEVEL_CHOICES) else ""
    rows = rate_rows(rate, reports_for_year(year, within, level)) if year else []
    ranked = [r for r in rows if r.rank]
    page = Paginator(rows, COMPARE_PAGE).get_page(request.GET.get("page"))
    # The figures of this rate that a report's own checks fail on: shown beside its row, not silently ranked.
    doubtful = doubtful_figures([r.report.pk for r in page.object_list], rate.paths)
    for row in page.object_list:
        row.doubtful = sorted({t for titles in doubtful.get(row.report.pk, {}).values() for t in titles})
    chart = {
        "names": [str(r.report.agency) for r in ranked][:40],
        "values": [r.percent for r in ranked][:40],
        "label": rate.name,
    }
    spread = distribution(rows)
    return render(
        request,
        "center/compare.html",
        {
            "years": years,
            "year": year,
            "within": within,
            "level": level,
            "levels": LEVEL_CHOICES,
            # Regions worth comparing within: 国务院 (its bodies), provinces and cities (a county's list is short
            # enough to read).
            "regions": Agency.objects.filter(kind="government", level__in=["central", "province", "city"]).order_by(
                "name"
            ),
            "rates": RATES,
            "rate": rate,
            "page": page,
            "query": urlencode({k: v for k, v in request.GET.items() if k != "page"}),
            "chart": chart,
            "spread": {"bands": [b["band"] for b in spread], "values": [b["agencies"] for b in spread]},
            "ranked_count": len(ranked),
            "small": SMALL_DENOMINATOR,
        },
    )


@require_GET
def consolidation(request, pk: int):
    agency = get_object_or_404(Agency, pk=pk)
    years = sorted(
        set(Report.objects.filter(agency__parent=agency).exclude(year=None).values_list("year", flat=True)),
        reverse=True,
    )
    year = _year(request, years[0] if years else None)
    context = {"agency": agency, "years": years, "year": year, "result": None}
    if year is not None:
        result = consolidate(agency, year)
        diffs = {path for path, _, _ in result.differences()}

        def lookup(path: str):
            value = result.sums.get(path)
            classes = "v sev-warning" if path in diffs else "v"
            return ("—" if value is None else number(value)), classes

        base = reverse("center:consolidation", args=[agency.pk])
        context |= {
            "result": result,
            "tables": fill(result.format_id, lookup) if result.format_id and result.reports else [],
            "differences": _differences(result),
            "page_url": f"{base}?year={year}&path=",
            "cell_url": f"{reverse('center:consolidation_cell', args=[agency.pk])}?year={year}&path=",
            "open_path": request.GET.get("path", ""),
        }
        if context["open_path"]:
            context["drill"] = _drill_context(result, context["open_path"])
    return render(request, "center/consolidation.html", context)


def _differences(result) -> list[tuple[str, str, object, object]]:
    labels = dict(result.own.cell_rows.values_list("path", "label")) if result.own else {}
    return [(p, labels.get(p, p), number(s), number(o)) for p, s, o in result.differences()]


def _drill_context(result, path: str) -> dict:
    parts = [(c, number(v)) for c, v in contributions(result, path)]
    label = next(
        (c.report.cell_rows.filter(path=path).values_list("label", flat=True).first() for c, _ in parts if c.report), ""
    )
    return {
        "path": path,
        "label": label or "",
        "parts": parts,
        "total": number(result.sums.get(path)),
        "own": number(result.own_values.get(path)) if result.own else None,
        "result": result,
    }


def _agency_and_year(request, pk: int) -> tuple[Agency, int]:
    agency = get_object_or_404(Agency, pk=pk)
    year = _year(request, None)
    if year is None:
        raise Http404("缺少年度")
    return agency, year


@require_GET
def consolidation_cell(request, pk: int):
    agency, year = _agency_and_year(request, pk)
    result = consolidate(agency, year)
    return render(request, "center/_drill.html", {"drill": _drill_context(result, request.GET.get("path", ""))})


@require_GET
def consolidation_export(request, pk: int):
    agency, year = _agency_and_year(request, pk)
    body = consolidation_xlsx(consolidate(agency, year))
    response = HttpResponse(body, content_type=CONTENT_TYPES["xlsx"])
    name = f"gongkai-{agency.name}-{year}-汇总.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"gongkai.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response
