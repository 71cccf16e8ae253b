"""`duban audit verify|seal|export|purge`: the operator's tools for the audit trail."""

from __future__ import annotations

import datetime
import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from duban.audit import chain, exports, keys
from duban.audit.context import acting
from duban.audit.filters import AuditEntryFilter
from duban.audit.models import AuditEntry
from duban.audit.purge import earliest_allowed_cutoff, purge

FILTER_OPTIONS = ("actor", "unit", "event", "outcome", "target_type", "target_id", "since", "until")


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD:{value}") from exc


class Command(BaseCommand):
    help = "审计日志:verify 校验防篡改链,seal 封存,export 导出,purge 清理 180 天以前的记录"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="verify|seal|export|purge")
        verify = sub.add_parser("verify", help="先封存待封存记录,再校验整条链;发现问题时退出码为 1")
        verify.add_argument("--grace-minutes", type=int, default=10, help="未封存记录的容忍时间(分钟)")
        seal = sub.add_parser("seal", help="封存所有已满几秒的未封存记录")
        seal.add_argument("--max-rows", type=int, default=1_000_000)
        seal.add_argument(
            "--reset-head", action="store_true", help="恢复备份后:以数据库中最后一条封存为链头(慎用)"
        )
        export = sub.add_parser("export", help="按条件导出为 CSV(UTF-8 BOM)或 xlsx")
        export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        export.add_argument("--output", "-o", help="输出文件;CSV 缺省写到标准输出")
        for name in FILTER_OPTIONS:
            export.add_argument(f"--{name.replace('_', '-')}", dest=name)
        purge_cmd = sub.add_parser("purge", help="清理某日期以前的记录(不得晚于 180 天以前)")
        purge_cmd.add_argument("--before", required=True, type=_date, help="YYYY-MM-DD")

    def handle(self, *args, action: str, **options) -> None:
        with acting(source="cli"):
            getattr(self, f"do_{action}")(**options)

    def do_verify(self, grace_minutes: int, **options) -> None:
        grace = datetime.timedelta(minutes=grace_minutes)
        # Asked before sealing: an entry that waited too long (inserted by hand with an old
        # time, or the sealer stopped) is reported even though this run then seals it.
        straggler = chain.unsealed_problem(grace)
        try:
            sealed = chain.seal_pending(10_000_000, lookback=None)
        except keys.KeyMissing as exc:
            raise CommandError(str(exc), returncode=1) from exc
        result = chain.verify(unsealed_grace=grace)
        if straggler is not None and straggler.what not in {p.what for p in result.problems}:
            result.problems.append(straggler)
        if sealed:
            self.stdout.write(f"本次封存 {sealed} 条审计记录。")
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"审计链校验通过:共校验 {result.checked} 条封存,链头序号 {result.head_seq}。"
                )
            )
            return
        self.stdout.write(self.style.ERROR(f"审计链校验失败:发现 {len(result.problems)} 处问题。"))
        for problem in result.problems[:20]:
            self.stdout.write(f"  - {problem.message}")
        raise CommandError(result.problems[0].message, returncode=1)

    def do_seal(self, max_rows: int, reset_head: bool, **options) -> None:
        if reset_head:
            head = chain.reset_head()
            self.stdout.write(f"链头已重置为封存序号 {head.seq if head else 0}。")
            return
        try:
            sealed = chain.seal_pending(max_rows, lookback=None)
        except keys.KeyMissing as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"封存 {sealed} 条审计记录。")

    def do_export(self, format: str, output: str | None, **options) -> None:
        data = {name: options[name] for name in FILTER_OPTIONS if options.get(name)}
        filterset = AuditEntryFilter(data, queryset=AuditEntry.objects.all())
        if not filterset.is_valid():
            errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items())
            raise CommandError(f"导出条件有误:{errors}")
        qs = filterset.qs
        if format == "xlsx" and not output:
            raise CommandError("导出 xlsx 需要 --output 文件名")
        exports.audit_export(
            actor=None,
            actor_name=f"命令行 ({getpass.getuser()})",
            fmt=format,
            summary=filterset.summary(),
            count=qs.count(),
        )
        if format == "xlsx":
            with exports.xlsx_file(qs) as src, open(output, "wb") as out:  # type: ignore[arg-type]
                out.write(src.read())
        elif output:
            with open(output, "wb") as out:
                exports.write_csv(qs, out)
        else:
            exports.write_csv(qs, sys.stdout.buffer)
            sys.stdout.flush()
        if output:
            self.stderr.write(f"已导出到 {output}")

    def do_purge(self, before: datetime.date, **options) -> None:
        try:
            result = purge(before, actor=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"已清理 {before.isoformat()} 以前的审计记录 {result.removed} 条"
            f"(最晚可清理到 {earliest_allowed_cutoff().isoformat()})。"
        )
