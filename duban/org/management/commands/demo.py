"""`duban demo [--password P] [--seed N] [--json]`: build the demo city and list its accounts."""

from __future__ import annotations

import json
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from duban.accounts.choices import Role
from duban.org.choices import UnitKind
from duban.org.demo.build import DEFAULT_SEED, DemoAccount, build_demo


class Command(BaseCommand):
    help = (
        "生成演示数据：一个虚构的市、11 个县(区)、一个完整的演示县和各角色的演示账号。重复运行不会重复创建。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="所有新建演示账号的密码（给出时首次登录无需改密）")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="随机种子：同一种子生成相同的人名和村名"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 列表输出账号")
        parser.add_argument(
            "--modules",
            help="只生成这些模块的演示数据（逗号分隔，如 projects,tasks；空字符串表示只生成组织机构）",
        )

    def handle(self, *args, password=None, seed=DEFAULT_SEED, json=False, **options):
        started = time.monotonic()
        try:
            modules = None if options["modules"] is None else [m for m in options["modules"].split(",") if m]
            accounts = build_demo(seed=seed, password=password, modules=modules)
        except ValidationError as exc:
            raise CommandError("演示数据未生成（未做任何改动）：" + "；".join(exc.messages)) from exc
        elapsed = time.monotonic() - started
        created = sum(1 for a in accounts if a.created)
        existing = len(accounts) - created
        summary = f"演示数据就绪：新建账号 {created} 个，已存在未改动 {existing} 个，用时 {elapsed:.1f} 秒。"
        if json:
            self.stdout.write(_dumps([a.as_json() for a in accounts]))
            self.stderr.write(summary)
            return
        self.stdout.write(_table(accounts))
        self.stdout.write(summary)
        if existing:
            self.stdout.write("已存在的账号保持原样（密码未改动）。")
        if created and password is None:
            self.stdout.write("新建账号的密码为随机生成，只显示这一次；首次登录须修改密码。")


def _dumps(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)


def _table(accounts: list[DemoAccount]) -> str:
    kinds = dict(UnitKind.choices)
    header = ["用户名", "角色", "单位", "单位类型", "姓名", "密码"]
    rows = [
        [
            a.username,
            str(Role(a.role).label),
            a.unit or "—",
            str(kinds.get(a.unit_kind, "—")) if a.unit_kind else "—",
            a.real_name,
            a.password
            if a.password is not None
            else ("(已存在，未改动)" if not a.created else "(--password 所设)"),
        ]
        for a in accounts
    ]
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
