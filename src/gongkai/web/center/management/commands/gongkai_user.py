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
        region = parser.add_mutually_exclusive_group()
        region.add_argument("--region", help="编辑负责的地区或机关名称（不给则保持原设定）")
        region.add_argument("--all-regions", action="store_true", help="取消地区限制：可编辑全部地区")
        parser.add_argument("--password", help="密码（不给则随机生成并显示）")

    def handle(self, *args, username, role, region=None, all_regions=False, password=None, **options):
        user, created = get_user_model().objects.get_or_create(username=username)
        if password or created:
            password = password or secrets.token_urlsafe(12)
            user.set_password(password)
        user.is_staff = user.is_superuser = role == "admin"
        user.save()
        user.groups.set([Group.objects.get_or_create(name=role)[0]])
        profile, _ = Profile.objects.get_or_create(user=user)
        if region:
            agencies = list(Agency.objects.filter(name=region)[:2])
            if len(agencies) != 1:
                found = "有多个" if agencies else "没有"
                raise CommandError(f"{found}名为“{region}”的机关或地区（请在网站“机关与地区”中核对名称）")
            profile.region = agencies[0]
        elif all_regions:
            profile.region = None
        profile.save()
        scope = f"负责 {profile.region.name}" if profile.region else "不限地区"
        self.stdout.write(f"用户 {username}：{ROLE_NAMES[role]}，{scope}")
        if password:
            self.stdout.write(f"密码：{password}")
