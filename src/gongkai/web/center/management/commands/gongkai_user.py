import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from gongkai.web.center.models import Agency, Profile
from gongkai.web.center.services.permissions import ROLE_NAMES


class Command(BaseCommand):
    help = "创建或更新用户并设定角色（viewer 查看者 / editor 编辑 / admin 管理员）和负责地区"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLE_NAMES), default="viewer")
        parser.add_argument("--region", help="编辑负责的地区或机关名称（留空表示不限地区）")
        parser.add_argument("--password", help="密码（不给则随机生成并显示）")

    def handle(self, *args, username, role, region=None, password=None, **options):
        user, created = get_user_model().objects.get_or_create(username=username)
        if password or created:
            password = password or secrets.token_urlsafe(12)
            user.set_password(password)
        user.is_staff = user.is_superuser = role == "admin"
        user.save()
        user.groups.set([Group.objects.get_or_create(name=role)[0]])
        agency = None
        if region:
            agency = Agency.objects.filter(name=region).first()
            if agency is None:
                raise CommandError(f"没有名为“{region}”的机关或地区")
        Profile.objects.update_or_create(user=user, defaults={"region": agency})
        self.stdout.write(f"用户 {username}：{ROLE_NAMES[role]}{('，负责 ' + region) if region else ''}")
        if password:
            self.stdout.write(f"密码：{password}")
