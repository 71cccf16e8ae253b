"""The `duban` operator command: help, backup and restore (run on SQLite and on PostgreSQL)."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import sys
import tarfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection

from duban import cli
from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit import chain
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.core.backup import create_backup, pid_file
from duban.org.factories import make_unit
from duban.org.models import Unit

pytestmark = [
    # Backups read committed data through another connection (pg_dump) or the backup API,
    # and restores replace the whole database: the tests need real commits.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "postgresql" and shutil.which("pg_dump") is None,
        reason="pg_dump is not installed",
    ),
]


@pytest.fixture
def var(settings, tmp_path):
    """A private var/ folder so backups never touch the developer's own."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "files"
    settings.DUBAN_AUDIT_KEY_FILE = tmp_path / "var" / "audit.key"
    settings.MEDIA_ROOT.mkdir(parents=True)
    return settings.VAR_DIR


def test_help_lists_every_operator_command(capsys):
    """`duban help` names serve, worker, demo, backup and restore."""
    assert cli.main(["help"]) == 0
    out = capsys.readouterr().out
    for word in (
        "serve",
        "worker",
        "migrate",
        "demo",
        "createadmin",
        "check",
        "audit verify",
        "backup",
        "restore",
    ):
        assert word in out


def test_backup_writes_an_archive_with_database_files_and_manifest(var):
    """Given an uploaded file, when the operator backs up, then one archive holds all of it."""
    (var / "files" / "a").mkdir()
    (var / "files" / "a" / "note.txt").write_text("附件内容")

    call_command("backup")

    [archive] = list((var / "backups").glob("duban-*.tar.gz"))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
        assert tar.extractfile("files/a/note.txt").read().decode() == "附件内容"
    assert manifest["vendor"] == connection.vendor
    assert manifest["database"] in names
    assert archive.stat().st_mode & 0o077 == 0, "a backup holds everything: only its owner may read it"


def test_backup_is_audited_as_an_operator_action_from_the_cli(var):
    """The BACKUP entry has no actor, source "cli", and names the file and its digest."""
    out = var / "elsewhere" / "mine.tar.gz"

    call_command("backup", out=out)

    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.event == AuditEvent.BACKUP
    assert entry.actor is None
    assert entry.source == "cli"
    assert entry.target_repr == "mine.tar.gz"
    assert out.is_file()
    assert len(entry.changes["sha256"][1]) == 64


def test_backup_change_restore_round_trip(var):
    """Given a backup, when data and files change and the backup is restored, the old state is back."""
    kept = make_unit("保留的单位")
    (var / "files" / "kept.txt").write_text("旧文件")
    archive = var / "backups" / "before.tar.gz"
    create_backup(out=archive)

    added = make_unit("备份后新建的单位")
    Unit.objects.filter(pk=kept.pk).update(name="备份后改名")
    (var / "files" / "kept.txt").unlink()
    (var / "files" / "new.txt").write_text("新文件")

    call_command("restore", str(archive))

    assert Unit.objects.get(pk=kept.pk).name == "保留的单位"
    assert not Unit.objects.filter(pk=added.pk).exists()
    assert (var / "files" / "kept.txt").read_text() == "旧文件"
    assert not (var / "files" / "new.txt").exists()
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.event == AuditEvent.RESTORE
    assert (entry.actor, entry.source, entry.target_repr) == (None, "cli", "before.tar.gz")
    # The state before the restore was saved first, so a wrong restore can be undone.
    assert list((var / "backups").glob("duban-pre-restore-*.tar.gz"))


def seal_now() -> None:
    # The sealer leaves entries alone for a few seconds (writers may still commit); tests do not wait.
    assert chain.seal_pending(min_age=datetime.timedelta(0), lookback=None) > 0


def test_the_audit_chain_verifies_after_going_back_to_an_older_backup(var):
    """Restoring drops the entries written after the backup on purpose: the chain head follows,
    so `duban audit verify` passes, and the RESTORE entry records both heads."""
    make_unit("备份前的单位")
    seal_now()
    archive = var / "backups" / "older.tar.gz"
    create_backup(out=archive)
    make_unit("备份后的单位")
    seal_now()

    call_command("restore", str(archive), keep_current=False)

    call_command("audit", "verify", grace_minutes=60)
    entry = AuditEntry.objects.order_by("-id").first()
    before, after = entry.changes["audit_head_seq"]
    assert before > after > 0


def test_restore_refuses_while_the_web_server_runs_unless_forced(var):
    """A live `web` pid file stops the restore with a clear message; --force goes ahead."""
    archive = var / "backups" / "b.tar.gz"
    create_backup(out=archive)
    make_unit("恢复会删掉的单位")
    server = subprocess.Popen(
        [sys.executable, "-c", "import time; print('up', flush=True); time.sleep(60)", "duban-serve"],
        stdout=subprocess.PIPE,
    )
    try:
        server.stdout.readline()  # the process runs its own command line now
        pid_file("web").write_text(str(server.pid))
        with pytest.raises(CommandError, match="仍在运行"):
            call_command("restore", str(archive))
        assert Unit.objects.filter(name="恢复会删掉的单位").exists()

        call_command("restore", str(archive), force=True, keep_current=False)
        assert not Unit.objects.filter(name="恢复会删掉的单位").exists()
    finally:
        server.kill()
        server.communicate()


def test_restore_ignores_a_stale_pid_file(var):
    """A pid file left by a crashed server (process gone) does not block the restore."""
    archive = var / "backups" / "b.tar.gz"
    create_backup(out=archive)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    pid_file("web").write_text(str(gone.pid))

    call_command("restore", str(archive), keep_current=False)

    assert AuditEntry.objects.order_by("-id").first().event == AuditEvent.RESTORE


def test_restore_refuses_a_file_that_is_not_a_duban_backup(var, tmp_path):
    """A foreign archive is refused before anything is touched."""
    unit = make_unit("不会被动的单位")
    junk = tmp_path / "junk.tar.gz"
    with tarfile.open(junk, "w:gz") as tar:
        (tmp_path / "x.txt").write_text("x")
        tar.add(tmp_path / "x.txt", arcname="x.txt")

    with pytest.raises(CommandError, match="不是 duban 备份文件"):
        call_command("restore", str(junk))
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
    assert Unit.objects.filter(pk=unit.pk).exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.RESTORE).exists()


def test_restore_refuses_an_archive_with_unsafe_paths(var, tmp_path):
    """A crafted archive that would write outside the restore folder is refused."""
    evil = tmp_path / "evil.tar.gz"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": 1, "vendor": connection.vendor, "database": "x"}))
    with tarfile.open(evil, "w:gz") as tar:
        tar.add(manifest, arcname="manifest.json")
        tar.add(manifest, arcname="../../escaped.json")

    with pytest.raises(CommandError):
        call_command("restore", str(evil))
    assert not (tmp_path / "escaped.json").exists()


def test_only_the_system_admin_may_back_up_from_a_page():
    """Through the service, a business user (or another administrator) is refused."""
    liaison = make_user_with_role(Role.UNIT_LIAISON)
    auditor = make_user_with_role(Role.AUDIT_ADMIN, region=make_unit().region)

    for user in (liaison, auditor):
        with pytest.raises(PermissionDenied):
            create_backup(actor=user)
    assert not AuditEntry.objects.filter(event=AuditEvent.BACKUP).exists()
