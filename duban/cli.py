"""The `duban` operator command.

    duban serve [--host H] [--port P]   网页服务 (gunicorn, never runserver)
    duban worker                        后台任务 (jobs, reminders, exports)
    duban migrate                       建立/升级数据库
    duban demo [--password P]           生成演示县 (demo county) 和各角色账号
    duban createadmin                   创建管理员账号
    duban check [--deploy]              检查配置、数据库与日志模式
    duban audit verify                  校验审计日志哈希链
    duban backup [--out FILE]           备份数据库和上传文件
    duban restore FILE [--force]        从备份恢复

Subcommands other than `serve` are Django management commands: `duban X --help` explains
each one, and every other management command (collectstatic, ...) works too.
"""

from __future__ import annotations

import os
import sys

# Friendly names for the management commands behind them.
ALIASES = {
    "check": "duban_check",
}


def _pid_file(name: str) -> str:
    from duban.core.backup import pid_file

    return str(pid_file(name))


def _gunicorn_control_socket() -> list[str]:
    """Newer gunicorn opens a control socket in ~/.gunicorn: keep each deployment's in its var/run."""
    from gunicorn.config import Config

    if "control_socket" not in Config().settings:
        return []
    return ["--control-socket", _pid_file("web").removesuffix(".pid") + ".ctl"]


def serve(argv: list[str]) -> int:
    """Serve with gunicorn (a production server, never runserver)."""
    import argparse

    parser = argparse.ArgumentParser(prog="duban serve", description="启动网页服务 (gunicorn)")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("DUBAN_WEB_WORKERS", "2")))
    args = parser.parse_args(argv)
    os.execvp(
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "duban.wsgi:application",
            "--bind",
            f"{args.host}:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
            # `duban restore` looks here to refuse while the web server is up.
            "--pid",
            _pid_file("web"),
            *_gunicorn_control_socket(),
        ],
    )
    return 0  # not reached


def run_worker(argv: list[str]) -> int:
    """The background worker, registered in var/run/worker.pid while it runs."""
    from django.core.management import execute_from_command_line

    path = _pid_file("worker")
    with open(path, "w") as fh:
        fh.write(str(os.getpid()))
    try:
        execute_from_command_line(["duban", "worker", *argv])
    finally:
        try:
            with open(path) as fh:
                mine = fh.read().strip() == str(os.getpid())
            if mine:
                os.unlink(path)
        except OSError:
            pass
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print((__doc__ or "").strip())
        return 0
    if argv[0] == "serve":
        return serve(argv[1:])
    if argv[0] == "worker":
        return run_worker(argv[1:])
    from django.core.management import execute_from_command_line

    command = ALIASES.get(argv[0], argv[0])
    execute_from_command_line(["duban", command, *argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
