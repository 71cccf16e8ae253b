"""`duban restore FILE [--force]`: bring back the database and uploaded files from a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from duban.audit.context import acting
from duban.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从备份恢复数据库和上传文件 (先停止网页服务和后台任务)"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="duban backup 生成的 .tar.gz 文件")
        parser.add_argument("--force", action="store_true", help="即使检测到 duban 仍在运行也恢复")
        parser.add_argument(
            "--no-safety-backup",
            action="store_false",
            dest="keep_current",
            help="恢复前不先备份当前数据 (默认会先备份为 duban-pre-restore-*.tar.gz)",
        )

    def handle(self, *args, **options):
        try:
            with acting(source="cli"):
                result = restore_backup(
                    options["file"], actor=None, force=options["force"], keep_current=options["keep_current"]
                )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"恢复完成: {result.path} (sha256 {result.sha256})"))
