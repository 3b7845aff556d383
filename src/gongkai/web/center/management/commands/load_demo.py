from django.core.management.base import BaseCommand

from gongkai.web.center.services.demo import load_demo


class Command(BaseCommand):
    help = "载入合成的演示年报（石家庄市下级单位等，文件名以“合成示例”开头），用于体验汇总与对比；已入库的不会重复"

    def handle(self, *args, **options):
        created, existing = load_demo()
        self.stdout.write(f"合成示例年报：新入库 {created} 份，已存在 {existing} 份")
