"""A generated ledger to try the pages with: the core's generator (every path a request takes, all valid),
stored through the same path as an import. The agency is placed in the region tree by its name."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError

from gongkai.ledger.calendar import CalendarMissing
from gongkai.ledger.synth import generate_cases, generate_ledger
from gongkai.web.center.services.agencies import place_agency
from gongkai.web.center.services.refusal import Refused
from gongkai.web.ledger.models import Request
from gongkai.web.ledger.services import transfer


class Command(BaseCommand):
    help = "为一个机关生成演示台账（合成数据，编号以 DEMO- 开头），用于体验台账、期限和年度统计"

    def add_arguments(self, parser):
        parser.add_argument("--agency", default="石家庄市自然资源和规划局", help="机关名称（按名称归入地区树）")
        parser.add_argument("--requests", type=int, default=500)
        parser.add_argument("--year", type=int, default=2025)
        parser.add_argument("--as-of", default="", help="记录到哪一天为止（默认该年12月15日：之后收到的仍在办理）")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        agency = place_agency(options["agency"])
        if Request.objects.filter(agency=agency, number__startswith="DEMO-").exists():
            raise CommandError(f"{agency.name}已有演示台账")
        year = options["year"]
        try:
            as_of = date.fromisoformat(options["as_of"]) if options["as_of"] else date(year, 12, 15)
        except ValueError:
            raise CommandError("--as-of 应为 2025-12-15 这样的日期") from None
        try:
            requests = generate_ledger(options["requests"], year, agency=agency.name, seed=options["seed"], as_of=as_of)
        except CalendarMissing as exc:
            raise CommandError(exc.message_zh) from None
        requests = [r.__class__(**{**_fields(r), "id": f"DEMO-{r.id}"}) for r in requests]
        cases = [c.__class__(**{**_fields(c), "id": f"DEMO-{c.id}", "request_id": f"DEMO-{c.request_id}"})
                 for c in generate_cases(requests, seed=options["seed"])]  # fmt: skip
        try:
            n, m = transfer.store(agency, SimpleNamespace(requests=requests, cases=cases), None)
        except Refused as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"{agency.name}（id {agency.pk}）：生成 {n} 件申请、{m} 件复议诉讼案件；打开 /ledger/agency/{agency.pk}/"
        )


def _fields(obj) -> dict:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}
