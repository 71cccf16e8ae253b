"""`make run`: prepare the database, seed the demo county once, then run web server and worker.

A small supervisor: it runs `duban serve` (gunicorn) and `duban worker` as children in their
own sessions, so a Ctrl-C reaches only this process, which then stops both gracefully
(SIGTERM, then SIGKILL after a grace period) and exits 0. If either child dies on its own,
the other is stopped too and the exit status says so.

Environment: HOST, PORT (default 127.0.0.1:8000), DEMO_PASSWORD (the password given to the
demo accounts when the database is seeded; README prints it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType

GRACE_SECONDS = 15
DEFAULT_DEMO_PASSWORD = "Duban@2026demo"


def say(text: str) -> None:
    print(f"==> {text}", flush=True)


def duban(*args: str) -> list[str]:
    return [sys.executable, "-m", "duban.cli", *args]


def prepare(password: str) -> bool:
    """Migrate, collect static files and seed the demo county. Returns False on failure."""
    say("数据库迁移 (migrate)")
    if subprocess.call(duban("migrate", "--noinput", "-v", "1")) != 0:
        return False
    say("收集静态文件 (collectstatic)")
    if subprocess.call(duban("collectstatic", "--noinput", "-v", "0")) != 0:
        return False
    commands = available_commands()
    if database_is_empty():
        if "demo" in commands:
            say("数据库为空：生成演示县 (duban demo)")
            if subprocess.call(duban("demo", "--password", password)) != 0:
                return False
        else:
            say("数据库为空，但 `duban demo` 尚不可用：跳过演示数据")
    else:
        say("数据库已有数据：不再生成演示数据")
    return True


def available_commands() -> set[str]:
    import django
    from django.core.management import get_commands

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    django.setup()
    return set(get_commands())


def database_is_empty() -> bool:
    from django.contrib.auth import get_user_model
    from django.db import connections

    try:
        return not get_user_model().objects.exists()
    finally:
        connections.close_all()  # the children open their own connections


def accounts_summary(password: str) -> list[str]:
    """One active account per role (demo or not), for the banner printed at start."""
    from django.db import connections

    from duban.accounts.choices import Role
    from duban.accounts.models import Grant

    lines = []
    try:
        grants = Grant.objects.active().filter(user__is_active=True).select_related("user", "unit", "region")
        for role in Role:
            grant = grants.filter(role=role).order_by("user__username").first()
            if grant is not None:
                label = str(role.label)
                lines.append(f"  {label:　<8} {grant.user.username:<24} {grant.scope_label}")
    finally:
        connections.close_all()
    if lines:
        header = "角色"
        lines.insert(0, f"  {header:　<8} {'用户名':<21} 范围")  # CJK characters take two columns
        lines.append(f"  演示账号密码: {password}  (仅适用于 make run 生成的演示账号)")
    return lines


class Supervisor:
    """Runs the children, forwards SIGINT/SIGTERM as a graceful stop, reaps them."""

    def __init__(self) -> None:
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = False

    def start(self, name: str, args: list[str]) -> None:
        # A new session: the terminal's Ctrl-C goes to us only, and we stop the children in order.
        self.children[name] = subprocess.Popen(args, start_new_session=True)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def stop(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for name, child in self.children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{name} 未在 {GRACE_SECONDS} 秒内退出：强制结束")
                child.kill()
                child.wait()

    def run(self) -> int:
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        failed = ""
        while not self.stopping and not failed:
            for name, child in self.children.items():
                if child.poll() is not None:
                    failed = f"{name} 已退出 (代码 {child.returncode})"
                    break
            time.sleep(0.2)
        if failed:
            say(f"{failed}：停止其余进程")
        else:
            say("收到停止信号：正在停止网页服务和后台任务…")
        self.stop()
        say("已停止")
        return 1 if failed else 0


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    try:
        if not prepare(password):
            say("准备失败：见上方错误信息")
            return 1
    except KeyboardInterrupt:
        say("已中断")
        return 130
    supervisor = Supervisor()
    if "worker" in available_commands():
        say("启动后台任务 (duban worker)")
        supervisor.start("worker", duban("worker"))
    else:
        say("`duban worker` 尚不可用：不启动后台任务")
    say(f"启动网页服务 (gunicorn) http://{host}:{port}/")
    supervisor.start("web", duban("serve", "--host", host, "--port", port))
    banner = accounts_summary(password)
    if banner:
        say("可登录的账号 (每个角色一个)")
        print("\n".join(banner), flush=True)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 (only the address shown)
    say(f"打开 http://{shown}:{port}/ ；按 Ctrl-C 停止")
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
