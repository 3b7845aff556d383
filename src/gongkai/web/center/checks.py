"""System checks for a deployment's configuration (`manage.py check`, and logged when a Celery worker starts)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register

LOCAL_STORAGE_WITH_WORKERS = "gongkai.W001"
S3_BACKEND_MISSING = "gongkai.E001"


@register("gongkai")
def storage_reaches_the_workers(app_configs=None, **kwargs) -> list:
    """With a broker, uploads are processed by Celery workers that may run on other machines: they can read
    the staged uploads only from a storage they all reach, not from the web server's own folder."""
    problems = []
    storage = getattr(settings, "GONGKAI_STORAGE", "local")
    if settings.CELERY_BROKER_URL and storage == "local":
        problems.append(
            Warning(
                "已设置 CELERY_BROKER_URL，但上传文件保存在本机目录（GONGKAI_STORAGE=local）：其他机器上的工作进程"
                "读不到这些文件，上传会失败；它们写出的后台导出文件网站也读不到。"
                "请设置 GONGKAI_STORAGE=database 或 s3。"
                " / CELERY_BROKER_URL is set but uploads are stored in this machine's folder (GONGKAI_STORAGE=local):"
                " Celery workers on other machines cannot read them, nor can the site serve the exports they write.",
                hint="GONGKAI_STORAGE=database（原件存入数据库 / originals in the database）或 "
                "GONGKAI_STORAGE=s3（S3 兼容存储 / an S3-compatible store）；仅当所有工作进程与网站共用同一目录"
                "（GONGKAI_MEDIA_ROOT）时 local 才可用 / local only works when every worker shares the web"
                " server's GONGKAI_MEDIA_ROOT.",
                id=LOCAL_STORAGE_WITH_WORKERS,
            )
        )
    if storage == "s3":
        try:
            import storages.backends.s3  # noqa: F401
        except ImportError:
            problems.append(
                Error(
                    "GONGKAI_STORAGE=s3 需要 django-storages 与 boto3：pip install 'gongkai[s3]'"
                    " / GONGKAI_STORAGE=s3 needs django-storages and boto3.",
                    id=S3_BACKEND_MISSING,
                )
            )
    return problems
