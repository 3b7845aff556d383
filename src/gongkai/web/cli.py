"""`gongkai serve`: migrate, load the bundled samples once, and run the site (embedded default: SQLite, files
in the data directory, jobs in-process). Also runnable as `python -m gongkai.web.cli`."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path


def setup(data_dir: str | Path | None = None, host: str | None = None) -> None:
    """Configure and start Django for a command-line process (before any model import)."""
    if data_dir is not None:
        os.environ["GONGKAI_DATA_DIR"] = str(Path(data_dir).expanduser().resolve())
    if host and host not in ("127.0.0.1", "localhost"):
        allowed = os.environ.get("GONGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost")
        os.environ["GONGKAI_ALLOWED_HOSTS"] = f"{allowed},{'*' if host in ('0.0.0.0', '::') else host}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    import django

    django.setup()


def ensure_admin(data_dir: Path) -> str | None:
    """On the very first start, create an `admin` account so someone can log in; its password is written
    (owner-readable only) to the data directory and returned once."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import IntegrityError, transaction

    users = get_user_model()
    if users.objects.exists():
        return None
    password = secrets.token_urlsafe(12)
    try:
        with transaction.atomic():
            user = users.objects.create_superuser("admin", password=password)
            user.groups.add(Group.objects.get_or_create(name="admin")[0])  # get_or_create survives its own race
    except IntegrityError:
        # Another process starting at the same moment created the account first: its password
        # is the one written to the data directory; this start goes on without one.
        if users.objects.filter(username="admin").exists():
            return None
        raise
    path = data_dir / "admin-password.txt"
    path.write_text(password + "\n", encoding="utf-8")
    path.chmod(0o600)
    return password


def prepare(data_dir: str | Path | None, host: str, samples: bool | Path = True) -> None:
    """Everything before serving: settings, database tables, the sample reports, the first admin account."""
    setup(data_dir, host)
    from django.conf import settings

    from gongkai.web.center.services.samples import load_samples, samples_dir
    from gongkai.web.migrate_lock import migrate

    migrate()
    _owner_only_database(settings.DATABASES["default"])
    _show_configuration_problems()
    if samples:
        directory = samples if isinstance(samples, Path) else samples_dir()
        if directory is None:
            print("未找到随附的示例年报（从源码目录运行时才有）；可用 --samples-dir 目录 指定。")
        elif not directory.is_dir():
            raise SystemExit(f"示例年报目录不存在：{directory}（samples directory not found）")
        else:
            created, existing, refused = load_samples(directory)
            print(
                f"示例年报：新入库 {created} 份，已存在 {existing} 份"
                + (f"，无法识别 {len(refused)} 份" if refused else "")
            )
    from gongkai.web.center.services.jobs import resume_interrupted_jobs

    if resumed := resume_interrupted_jobs():
        print(f"继续处理上次中断的任务（上传或导出） {resumed} 个")
    password = ensure_admin(Path(settings.DATA_DIR))
    if password:
        print(f"已创建管理员账号 admin，密码：{password}（也保存在 {Path(settings.DATA_DIR) / 'admin-password.txt'}）")
    print(f"数据目录：{settings.DATA_DIR}")


def _show_configuration_problems() -> None:
    """The site's own system checks (gongkai.W001: uploads in this machine's folder while Celery workers may run
    elsewhere), printed at the start: `migrate` run from here shows none of them."""
    from django.core.checks import ERROR

    from gongkai.web.center.checks import storage_reaches_the_workers

    for problem in storage_reaches_the_workers():
        level = "错误 / error" if problem.level >= ERROR else "警告 / warning"
        print(f"{level} {problem.id}: {problem.msg}", file=sys.stderr)
        if problem.hint:
            print(f"  建议 / hint: {problem.hint}", file=sys.stderr)


def _owner_only_database(database: dict) -> None:
    """A SQLite database made by this start (it holds the sessions) is readable by this account only."""
    if not database["ENGINE"].endswith("sqlite3"):
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(f"{database['NAME']}{suffix}")
        if path.exists():
            path.chmod(0o600)


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    data_dir: str | Path | None = None,
    samples: bool | Path = True,
    threads: int = 8,
) -> None:
    """The embedded site: waitress (a production WSGI server in pure Python, also on Windows) with static
    files from WhiteNoise. Larger deployments run gongkai.web.wsgi under gunicorn behind a web server."""
    prepare(data_dir, host, samples)
    import waitress

    from gongkai.web.wsgi import application

    try:
        server = waitress.create_server(application, host=host, port=port, threads=threads, ident="gongkai")
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise SystemExit(f"无法在 {host}:{port} 上启动：{exc.strerror or exc}（address unavailable）") from None
    shown = f"[{host}]" if ":" in host else host
    print(f"数据中心已启动：http://{shown}:{port}/  （按 Ctrl+C 停止）", flush=True)
    server.run()  # returns on Ctrl+C: waitress finishes the requests in hand and closes its sockets
    print("已停止。")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="gongkai serve", description="启动年报数据中心网站")
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1；0.0.0.0 表示所有网卡）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--data-dir", default=None, help="数据目录（默认 $GONGKAI_DATA_DIR 或 ~/.local/share/gongkai）")
    parser.add_argument("--no-samples", action="store_true", help="不载入随附的示例年报")
    parser.add_argument("--samples-dir", type=Path, default=None, help="从此目录载入示例年报（默认 corpus/seeds）")
    parser.add_argument("--threads", type=int, default=8, help="处理请求的线程数（默认 8）")
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.data_dir, False if args.no_samples else (args.samples_dir or True), args.threads)


if __name__ == "__main__":
    main()
