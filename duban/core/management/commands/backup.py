"""`duban backup [--out FILE]`: the database and uploaded files into one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from duban.audit.context import acting
from duban.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库和上传文件 (默认写入 var/backups/duban-<时间>.tar.gz)"

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="备份文件路径 (.tar.gz)")

    def handle(self, *args, **options):
        try:
            with acting(source="cli"):
                result = create_backup(actor=None, out=options["out"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"备份完成: {result.path} ({result.size} 字节, sha256 {result.sha256})")
        )
