"""The `duban` operator command.

`duban serve|worker|migrate|demo|createadmin|check|audit verify|backup|restore|...`:
every operator task goes through here. Subcommands other than `serve` are Django
management commands, so `duban X --help` explains each one.
"""

from __future__ import annotations

import os
import sys

# Friendly names for the management commands behind them.
ALIASES = {
    "check": "duban_check",
    "worker": "worker",
}


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
        ],
    )
    return 0  # not reached


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__.strip())
        print("\n可用命令: serve worker migrate demo createadmin check audit backup restore")
        return 0
    if argv[0] == "serve":
        return serve(argv[1:])
    from django.core.management import execute_from_command_line

    command = ALIASES.get(argv[0], argv[0])
    execute_from_command_line(["duban", command, *argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
