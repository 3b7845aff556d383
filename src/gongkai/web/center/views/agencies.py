"""The agency tree: browse it, and (editors, admins) fix it: create, change, merge and delete agencies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from gongkai.web.center.models import KINDS, LEVELS, Agency, Report
from gongkai.web.center.services import agency_edits
from gongkai.web.center.services.agencies import awaiting_placement
from gongkai.web.center.services.queries import LIST_DEFERRED, parse_id
from gongkai.web.center.views.common import attempt

PICK_LIMIT = 20

TREE_DEPTH = 2  # provinces, cities and their direct children; deeper levels are one click away


@require_GET
def agency_list(request):
    q = request.GET.get("q", "").strip()[:50]
    if q:
        matches = Agency.objects.filter(name__icontains=q).annotate(n=Count("reports")).order_by("name")[:200]
        rows = [{"agency": a, "depth": 0, "waiting": awaiting_placement(a)} for a in matches]
        return render(request, "center/agency_list.html", {"rows": rows, "q": q, "searched": True})
    show_all = request.GET.get("all") == "1"
    # Two grouped counts instead of one join of reports × children (which multiplies both counts).
    report_counts = dict(Report.objects.values_list("agency_id").annotate(n=Count("pk")).order_by())
    child_counts = dict(Agency.objects.values_list("parent_id").annotate(n=Count("pk")).order_by())
    agencies = list(Agency.objects.order_by("name").only("name", "level", "kind", "parent_id", "division_code"))
    for agency in agencies:
        agency.n, agency.k = report_counts.get(agency.pk, 0), child_counts.get(agency.pk, 0)
    # Governments first: 国务院 (central, above every division), then in division-code order (省 → 市 → 县 as the
    # national list has them), then by name.
    agencies.sort(key=lambda a: (a.kind != "government", a.level != "central", a.division_code or "~", a.name))
    children: dict[int | None, list[Agency]] = {}
    waiting = []  # below province level with no parent: 待归属, shown last for an editor to place
    for agency in agencies:
        if awaiting_placement(agency):
            waiting.append(agency)
        else:
            children.setdefault(agency.parent_id, []).append(agency)

    def walk(parent_id, depth, seen):
        for agency in children.get(parent_id, []):
            if agency.pk in seen:
                continue
            seen.add(agency.pk)
            yield agency, depth
            if show_all or depth + 1 < TREE_DEPTH:
                yield from walk(agency.pk, depth + 1, seen)

    seen: set[int] = set()
    rows = [{"agency": a, "depth": d} for a, d in walk(None, 0, seen)]
    waiting_rows = []
    for agency in waiting:
        waiting_rows.append({"agency": agency, "depth": 0, "waiting": True})
        waiting_rows += [{"agency": a, "depth": d} for a, d in walk(agency.pk, 1, seen)]
    return render(
        request,
        "center/agency_list.html",
        {
            "rows": rows,
            "waiting_rows": waiting_rows,
            "show_all": show_all,
            "total": len(agencies),
            "can_create_top": agency_edits.can_edit_tree(request.user, None),
            "levels": LEVELS,
            "kinds": KINDS,
        },
    )


@require_GET
def agency_detail(request, pk: int):
    agency = get_object_or_404(Agency, pk=pk)
    reports = Report.objects.filter(agency=agency).select_related("agency", "document").defer(*LIST_DEFERRED)
    reports = reports.order_by("-year", "-created")
    subtree = Report.objects.filter(agency_id__in=agency.subtree_ids()).exclude(agency=agency)
    return render(
        request,
        "center/agency_detail.html",
        {
            "agency": agency,
            "ancestors": agency.ancestors(),
            "children": agency.children.annotate(n=Count("reports")).order_by("kind", "name"),
            "reports": reports,
            "subtree_count": subtree.count(),
            "can_edit": agency_edits.can_edit_tree(request.user, agency),
            "levels": LEVELS,
            "kinds": KINDS,
            "changes": agency.changes.select_related("user")[:50],
        },
    )


@require_GET
def agency_pick(request):
    """Agencies matching a name, as radio buttons for a form field (htmx): the parent to move to, the agency
    to merge into. Lists only agencies the user may use."""
    q = request.GET.get("q", "").strip()[:50]
    field = "target" if request.GET.get("field") == "target" else "parent"
    matches = []
    if q:
        qs = Agency.objects.filter(name__icontains=q).select_related("parent").order_by("name")
        if (excluded := parse_id(request.GET.get("exclude"))) is not None:
            qs = qs.exclude(pk=excluded)
        matches = list(agency_edits.editable(request.user, qs)[:PICK_LIMIT])
    return render(request, "center/_agency_pick.html", {"matches": matches, "field": field, "q": q})


def _agency_from(request, field: str) -> Agency | None:
    pk = parse_id(request.POST.get(field))
    return Agency.objects.filter(pk=pk).first() if pk is not None else None


@login_required
@require_POST
def agency_create(request):
    parent = _agency_from(request, "parent")
    if request.POST.get("parent") and parent is None:
        messages.error(request, "所选上级机关不存在")
        return redirect("center:agencies")
    created = attempt(
        request,
        lambda: agency_edits.create_agency(
            request.user,
            name=request.POST.get("name", ""),
            parent=parent,
            level=request.POST.get("level", ""),
            kind=request.POST.get("kind", "government"),
            division_code=request.POST.get("division_code", ""),
        ),
        "已新建机关",
    )
    if isinstance(created, Agency):
        return redirect("center:agency", pk=created.pk)
    return redirect("center:agency", pk=parent.pk) if parent else redirect("center:agencies")


@login_required
@require_POST
def agency_update(request, pk: int):
    agency = get_object_or_404(Agency, pk=pk)
    changes = {f: request.POST[f] for f in ("name", "level", "kind", "division_code") if f in request.POST}
    if request.POST.get("move") == "top":
        changes["parent"] = None
    elif request.POST.get("parent"):
        changes["parent"] = _agency_from(request, "parent")
        if changes["parent"] is None:
            messages.error(request, "所选上级机关不存在")
            return redirect("center:agency", pk=agency.pk)
    attempt(request, lambda: agency_edits.update_agency(agency, request.user, **changes), "已保存修改")
    return redirect("center:agency", pk=agency.pk)


@login_required
@require_POST
def agency_merge(request, pk: int):
    source = get_object_or_404(Agency, pk=pk)
    target = _agency_from(request, "target")
    if target is None:
        messages.error(request, "请先查找并选择要合并到的机关")
        return redirect("center:agency", pk=source.pk)
    name = source.name
    moved = attempt(
        request, lambda: agency_edits.merge_agency(source, target, request.user), f"已把“{name}”合并到“{target.name}”"
    )
    return redirect("center:agency", pk=target.pk if moved else source.pk)


@login_required
@require_POST
def agency_delete(request, pk: int):
    agency = get_object_or_404(Agency, pk=pk)
    parent_id = agency.parent_id
    if attempt(request, lambda: agency_edits.delete_agency(agency, request.user), f"已删除“{agency.name}”"):
        return redirect("center:agency", pk=parent_id) if parent_id else redirect("center:agencies")
    return redirect("center:agency", pk=agency.pk)
