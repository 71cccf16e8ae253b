"""Backups and restores of the whole deployment: the database and the uploaded files.

A backup is one `.tar.gz` holding `manifest.json`, the database (`database.sqlite3`, taken
with SQLite's online backup API, or `database.pgdump`, a `pg_dump -Fc` archive) and the
uploaded files folder under `files/`. The keys in var/ (secret.key, audit.key) are NOT in
it: the audit key must live apart from the data it protects, so it is backed up once, by
hand, somewhere else (docs/deployment.md).

The CLI is an operator tool: `duban backup` / `duban restore` call these functions with
`actor=None` inside `acting(source="cli")`; a future page passes the system admin.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban import audit
from duban.audit.events import AuditEvent

FORMAT = 1
SQLITE_NAME = "database.sqlite3"
PGDUMP_NAME = "database.pgdump"
FILES_NAME = "files"
MANIFEST_NAME = "manifest.json"
# Processes that write the database register here (see duban.cli): web server and worker.
PROCESS_NAMES = ("web", "worker")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, in Chinese."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    sha256: str
    vendor: str


# ---------------------------------------------------------------------------- where things live


def var_dir() -> Path:
    return Path(settings.VAR_DIR)


def backups_dir() -> Path:
    path = var_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def files_dir() -> Path:
    return Path(settings.MEDIA_ROOT)


def pid_file(name: str) -> Path:
    """The pid file of a duban process (`web` or `worker`) under var/run/."""
    path = var_dir() / "run"
    path.mkdir(parents=True, exist_ok=True)
    return path / f"{name}.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A pid can be reused by an unrelated process after a crash: on Linux, check the command.
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        return "duban" in text or "gunicorn" in text
    return True


def running_processes() -> list[str]:
    """Names of the duban processes on this machine that may be using the database."""
    running = []
    for name in PROCESS_NAMES:
        path = pid_file(name)
        try:
            pid = int(path.read_text().strip())
        except (OSError, ValueError):
            continue
        if pid != os.getpid() and _alive(pid):
            running.append(f"{name} (pid {pid})")
    return running


# ---------------------------------------------------------------------------- backup


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env_args(tool: str) -> tuple[list[str], dict[str, str]]:
    """Command prefix and environment for pg_dump/pg_restore from Django's settings."""
    exe = shutil.which(tool)
    if exe is None:
        raise BackupError(
            _("找不到 %(tool)s：请安装 PostgreSQL 客户端工具 (Debian: apt-get install postgresql-client)")
            % {"tool": tool}
        )
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = [exe, "--no-password"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    # The arguments are the PostgreSQL tool found on PATH and values from our own settings.
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s 失败：%(error)s") % {"tool": Path(args[0]).name, "error": done.stderr.strip()[-2000:]}
        )


def _dump_database(folder: Path) -> str:
    """Write the database into `folder`; return the archive member name."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / SQLITE_NAME)
        try:
            # The online backup API copies a consistent snapshot while others keep working.
            connection.connection.backup(target)
        finally:
            target.close()
        return SQLITE_NAME
    if connection.vendor == "postgresql":
        args, env = _pg_env_args("pg_dump")
        name = str(connection.settings_dict["NAME"])
        _run([*args, "--format=custom", "--no-owner", "--file", str(folder / PGDUMP_NAME), name], env)
        return PGDUMP_NAME
    raise BackupError(_("不支持备份该数据库：%(vendor)s") % {"vendor": connection.vendor})


def default_backup_path(prefix: str = "duban") -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = backups_dir() / f"{prefix}-{stamp}.tar.gz"
    n = 1
    while path.exists():  # two backups in one second keep both
        n += 1
        path = backups_dir() / f"{prefix}-{stamp}-{n}.tar.gz"
    return path


def _require_operator(actor) -> None:
    # The CLI passes no actor (whoever can run it on the server is the operator); a page
    # passes the logged-in user, who must be the system administrator.
    if actor is not None:
        from duban.accounts.choices import Role
        from duban.accounts.policy import require_role

        require_role(actor, Role.SYSTEM_ADMIN)


def create_backup(*, actor=None, out: Path | None = None, prefix: str = "duban") -> BackupResult:
    """Back up the database and the uploaded files into one archive; audited as BACKUP."""
    _require_operator(actor)
    out = Path(out) if out else default_backup_path(prefix)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(dir=var_dir(), prefix=".backup-") as tmp:
        folder = Path(tmp)
        member = _dump_database(folder)
        manifest = {
            "format": FORMAT,
            "vendor": connection.vendor,
            "database": member,
            "created_at": timezone.now().isoformat(),
        }
        (folder / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(folder / MANIFEST_NAME, arcname=MANIFEST_NAME)
            tar.add(folder / member, arcname=member)
            if files_dir().is_dir():
                tar.add(files_dir(), arcname=FILES_NAME)
    os.chmod(partial, 0o600)  # the archive holds everything: only the operator may read it
    partial.replace(out)
    result = BackupResult(path=out, size=out.stat().st_size, sha256=_sha256(out), vendor=connection.vendor)
    with transaction.atomic():
        audit.record(
            AuditEvent.BACKUP,
            actor=actor,
            description=out.name,
            changes={"size": [None, result.size], "sha256": [None, result.sha256]},
        )
    return result


# ---------------------------------------------------------------------------- restore


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.extractfile(MANIFEST_NAME)
        manifest = json.loads(member.read()) if member else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("不是 duban 备份文件（缺少或无法识别 manifest.json）"))
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(
            _("备份来自 %(theirs)s 数据库，当前为 %(ours)s：不能跨数据库类型恢复")
            % {"theirs": manifest.get("vendor"), "ours": connection.vendor}
        )
    return manifest


def _safe_extract(tar: tarfile.TarFile, folder: Path) -> None:
    # Refuse absolute paths, "..", links and devices: a crafted archive must not write outside.
    if hasattr(tarfile, "data_filter"):
        try:
            tar.extractall(folder, filter="data")
        except tarfile.FilterError as exc:
            raise BackupError(_("备份文件含有不安全的路径：%(error)s") % {"error": exc}) from exc
        return
    root = folder.resolve()
    for member in tar.getmembers():  # Python 3.11.0-3.11.3 have no extraction filters
        target = (folder / member.name).resolve()
        if not (member.isfile() or member.isdir()) or not target.is_relative_to(root):
            raise BackupError(_("备份文件含有不安全的路径：%(name)s") % {"name": member.name})
    tar.extractall(folder)  # noqa: S202 (members checked above)


def _load_database(folder: Path, member: str) -> None:
    source = folder / member
    if not source.is_file():
        raise BackupError(_("备份文件缺少数据库：%(name)s") % {"name": member})
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        src = sqlite3.connect(source)
        try:
            # Copy page by page into the live database, under its own locks (WAL-safe).
            src.backup(connection.connection)
        finally:
            src.close()
        return
    args, env = _pg_env_args("pg_restore")
    name = str(connection.settings_dict["NAME"])
    connection.close()  # pg_restore drops the tables: our own connection must not hold them
    _run(
        [*args, "--clean", "--if-exists", "--no-owner", "--single-transaction", "-d", name, str(source)], env
    )


def _swap_files(folder: Path) -> None:
    """Replace the uploaded files folder with the one from the backup (or an empty one)."""
    live = files_dir()
    restored = folder / FILES_NAME
    if not restored.is_dir():
        restored.mkdir()
    live.parent.mkdir(parents=True, exist_ok=True)
    old = live.with_name(f".{live.name}-before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if live.exists():
        live.rename(old)
    shutil.move(str(restored), str(live))
    shutil.rmtree(old, ignore_errors=True)


def _reset_audit_head() -> tuple[int | None, int | None]:
    """The chain head file (beside the audit key) still names the newest seal from before the
    restore; going back to a backup is deliberate here, so the restored last seal becomes the
    head (`duban audit seal --reset-head`). Both sequence numbers go into the RESTORE entry."""
    from duban.audit import chain, keys

    before = keys.read_head()
    after = chain.reset_head()
    return (before.seq if before else None), (after.seq if after else None)


def restore_backup(path: Path, *, actor=None, force: bool = False, keep_current: bool = True) -> BackupResult:
    """Restore the database and files from `path`; audited as RESTORE in the restored data.

    Refuses while a duban web server or worker is running here (they would keep writing
    into what is being replaced) unless `force`. Unless `keep_current` is off, the current
    state is first saved as a `pre-restore` backup, so a wrong restore can be undone.
    """
    _require_operator(actor)
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("找不到备份文件：%(path)s") % {"path": path})
    running = running_processes()
    if running and not force:
        raise BackupError(
            _("duban 仍在运行：%(names)s。请先停止网页服务和后台任务，或使用 --force。")
            % {"names": "、".join(running)}
        )
    sha = _sha256(path)
    try:
        tar = tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(_("无法读取备份文件：%(error)s") % {"error": exc}) from exc
    with tar, tempfile.TemporaryDirectory(dir=files_dir().parent, prefix=".restore-") as tmp:
        manifest = _read_manifest(tar)
        _safe_extract(tar, Path(tmp))
        from duban.audit.models import AuditEntry

        previous = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
        if keep_current:
            create_backup(actor=actor, prefix="duban-pre-restore")
        _load_database(Path(tmp), manifest["database"])
        _swap_files(Path(tmp))
    head_before, head_after = _reset_audit_head()
    with transaction.atomic():
        # Written into the restored trail: entries after the backup's time are gone from it,
        # so the entry says which file came back and where the trail stood before.
        audit.record(
            AuditEvent.RESTORE,
            actor=actor,
            description=path.name,
            changes={
                "sha256": [None, sha],
                "backup_created_at": [None, manifest.get("created_at")],
                "last_entry_before_restore": [previous, None],
                "audit_head_seq": [head_before, head_after],
            },
        )
    return BackupResult(path=path, size=path.stat().st_size, sha256=sha, vendor=connection.vendor)
