"""`duban check [--deploy]`: Django's system checks plus what the storage is and why."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from duban.core.storage import sqlite_journal_mode


class Command(BaseCommand):
    help = "检查配置与存储 (Django system checks, database, journal mode)"

    def add_arguments(self, parser):
        parser.add_argument("--deploy", action="store_true", help="按生产环境要求检查")

    def handle(self, *args, **options):
        vendor = connection.vendor
        if vendor == "sqlite":
            mode, reason = sqlite_journal_mode()
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                actual = cursor.fetchone()[0]
                cursor.execute("PRAGMA synchronous")
                sync = cursor.fetchone()[0]
            self.stdout.write(f"数据库: SQLite {settings.DATABASES['default']['NAME']}")
            self.stdout.write(f"日志模式: {actual.upper()} (期望 {mode}) — {reason}")
            self.stdout.write(
                f"synchronous: {'FULL' if sync == 2 else sync}; 写事务: IMMEDIATE; 忙等待: 30 秒"
            )
        else:
            self.stdout.write(f"数据库: {vendor} {connection.settings_dict.get('NAME')}")
        call_command("check", deploy=options["deploy"], stdout=self.stdout, stderr=self.stderr)
