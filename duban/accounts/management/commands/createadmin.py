"""`duban createadmin`: create one of the three administrators (三员分立), scoped to the root region.

There is no superuser: the first accounts of a deployment are made here, on the server, and
every later account through the pages. Audited with no actor and source "cli".
"""

from __future__ import annotations

import getpass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from duban.accounts.choices import ADMIN_ROLES, Role
from duban.accounts.models import User
from duban.accounts.services import create_user, disable_otp, grant_role, reset_password
from duban.audit.context import acting
from duban.org.choices import RegionLevel
from duban.org.models import Region
from duban.org.services import create_region


class Command(BaseCommand):
    help = "创建系统管理员、安全管理员或审计管理员账号（范围为根区划）；--reset 重置已有管理员的密码和双因素认证。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--role", required=True, choices=sorted(str(r) for r in ADMIN_ROLES))
        parser.add_argument("--username", required=True)
        parser.add_argument("--real-name", default="")
        parser.add_argument("--password", default=None, help="不提供时交互输入（推荐，避免留在命令历史中）")
        parser.add_argument("--region-name", default="", help="区划树为空时创建的根区划名称")
        parser.add_argument("--region-code", default="", help="根区划代码，如 371100")
        parser.add_argument(
            "--region-level", default=RegionLevel.COUNTY, choices=[RegionLevel.CITY, RegionLevel.COUNTY]
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="该管理员已存在时：重置密码（下次登录须修改）并清除双因素认证",
        )

    def handle(self, *args, **options) -> None:
        password = options["password"] or self._prompt_password(options)
        try:
            with acting(source="cli"), transaction.atomic():
                existing = User.objects.filter(username=options["username"]).first()
                if existing is not None:
                    message = self._reset(existing, options, password)
                else:
                    message = self._create(options, password)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(message))

    def _prompt_password(self, options) -> str:
        if not options.get("interactive", True) or not self.stdin_isatty():
            raise CommandError("请用 --password 提供密码，或在终端中交互输入")
        first = getpass.getpass("密码: ")
        if first != getpass.getpass("再次输入密码: "):
            raise CommandError("两次输入的密码不一致")
        return first

    @staticmethod
    def stdin_isatty() -> bool:
        import sys

        return sys.stdin.isatty()

    def _root_region(self, options) -> Region:
        roots = list(Region.objects.filter(parent__isnull=True).order_by("path")[:2])
        if len(roots) == 1:
            return roots[0]
        if len(roots) > 1:
            raise CommandError("区划树有多个根区划，无法确定管理员的范围")
        if not options["region_name"] or not options["region_code"]:
            raise CommandError("区划树为空：请用 --region-name 和 --region-code 创建根区划")
        return create_region(
            actor=None,
            name=options["region_name"],
            code=options["region_code"],
            level=options["region_level"],
            check_access=False,
        )

    def _create(self, options, password: str) -> str:
        if not options["real_name"]:
            raise CommandError("请用 --real-name 提供姓名")
        region = self._root_region(options)
        user = create_user(
            actor=None,
            username=options["username"],
            real_name=options["real_name"],
            password=password,
            must_change_password=True,
            check_access=False,
        )
        grant_role(actor=None, user=user, role=options["role"], region=region, check_access=False)
        label = Role(options["role"]).label
        return f"已创建{label} {user.username}（范围：{region.name}），首次登录须修改密码并设置双因素认证。"

    def _reset(self, user: User, options, password: str) -> str:
        if not options["reset"]:
            raise CommandError(f"用户 {user.username} 已存在；如需重置其密码，请加 --reset")
        if not user.grants.active().filter(role=options["role"]).exists():
            raise CommandError(f"用户 {user.username} 不是{Role(options['role']).label}")
        reset_password(user, actor=None, new_password=password, check_access=False)
        disable_otp(user, actor=None, reason="命令行重置", check_access=False)
        return f"已重置 {user.username} 的密码和双因素认证，下次登录须修改密码并重新绑定。"
