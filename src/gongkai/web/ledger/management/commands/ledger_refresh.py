"""Recompute the stored clock columns (due date, phase) of ledger requests, e.g. after an administrator added a
year's holiday arrangement: requests whose deadline ran into a year without calendar data get their due date."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Prefetch

from gongkai.web.ledger.models import Event, Request
from gongkai.web.ledger.services import records

FIELDS = ["due", "phase", "pause_end", "outcome", "closed_on", "problem_count", "year"]


class Command(BaseCommand):
    help = "重新计算台账中申请的答复期限（录入新一年的节假日安排后运行）"

    def add_arguments(self, parser):
        parser.add_argument("--agency", type=int, help="只重新计算这个机关（id）的申请")
        parser.add_argument("--all", action="store_true", help="包括已办结的申请")

    def handle(self, *args, **options):
        qs = Request.objects.select_related("agency").prefetch_related(
            Prefetch("events", queryset=Event.objects.order_by("on", "pk"))
        )
        if options.get("agency"):
            qs = qs.filter(agency_id=options["agency"])
        if not options.get("all"):
            qs = qs.exclude(phase="closed")
        changed = seen = 0
        batch = []
        for req in qs.iterator(chunk_size=1000):
            seen += 1
            before = [getattr(req, f) for f in FIELDS]
            records.refresh_unsaved(req, list(req.events.all()))
            if [getattr(req, f) for f in FIELDS] != before:
                batch.append(req)
            if len(batch) >= 1000:
                changed += self._save(batch)
                batch = []
        changed += self._save(batch)
        self.stdout.write(f"已检查 {seen} 件申请，{changed} 件的答复期限或状态已更新")

    @staticmethod
    def _save(batch) -> int:
        with transaction.atomic():
            Request.objects.bulk_update(batch, FIELDS)
        return len(batch)
