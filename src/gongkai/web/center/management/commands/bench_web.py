import json
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from gongkai.web.center.models import Report
from gongkai.web.center.services import bench


class Command(BaseCommand):
    help = "负载基准：在当前数据库（DATABASE_URL）中准备 N 份合成年报，测量主要页面与接口的 p50/p95 响应时间"

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=10000)
        parser.add_argument("--requests", type=int, default=50, help="每个接口的请求次数")
        parser.add_argument("--output", help="把结果写入此 JSON 文件")

    def handle(self, *args, reports, requests, output=None, **options):
        call_command("migrate", interactive=False, verbosity=0)
        added = bench.load(reports, progress=self.stdout.write)
        self.stdout.write(f"数据库 {connection.vendor}：共 {Report.objects.count()} 份年报（本次新增 {added} 份）")
        results = bench.measure(requests)
        width = max(len(r["endpoint"]) for r in results)
        for r in results:
            flag = "" if r["p95_ms"] < 200 else "  ← 超过 200 ms"
            times = f"p50 {r['p50_ms']:>7.1f} ms  p95 {r['p95_ms']:>7.1f} ms  max {r['max_ms']:>7.1f} ms"
            line = f"{r['endpoint']:<{width}}  {times}"
            self.stdout.write(line + flag)
        if output:
            summary = {"database": connection.vendor, "reports": Report.objects.count(), "results": results}
            Path(output).write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
