from pathlib import Path

from django.core.management.base import BaseCommand

from gongkai.web.center.services.samples import load_samples, samples_dir


class Command(BaseCommand):
    help = "载入随附的示例年报（corpus/seeds）；已入库的不会重复"

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="年报所在目录（默认为随附示例）")

    def handle(self, *args, directory=None, **options):
        folder = Path(directory) if directory else samples_dir()
        if folder is None or not folder.is_dir():
            self.stdout.write("未找到示例年报目录")
            return
        created, existing, refused = load_samples(folder)
        self.stdout.write(f"新入库 {created} 份，已存在 {existing} 份")
        for line in refused:
            self.stdout.write(f"无法识别：{line}")
