"""The Celery application. Start a worker with `celery -A gongkai.web.celery_app worker` when CELERY_BROKER_URL is set;
without a broker the settings make every task run in-process (eager)."""

import logging
import os
import threading

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")

app = Celery("gongkai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["gongkai.web.center"])

log = logging.getLogger("gongkai.web")


@worker_ready.connect
def _warn_about_the_configuration(**kwargs) -> None:
    """Celery runs Django's checks at start but shows nothing of them: a worker that cannot read the uploads
    (GONGKAI_STORAGE=local on another machine) says so in its log before it takes any job."""
    from gongkai.web.center.checks import storage_reaches_the_workers

    for problem in storage_reaches_the_workers():
        log.warning("%s: %s %s", problem.id, problem.msg, problem.hint or "")


@worker_ready.connect
def _recover_jobs_from_the_worker(**kwargs) -> None:
    """A worker queues again, at its start and then every GONGKAI_JOB_SWEEP_SECONDS, the jobs whose holder died
    (a killed worker, a stopped server), and deletes the expired exports: no web process needed, in any deployment."""
    threading.Thread(target=_sweep_forever, daemon=True, name="gongkai-job-sweep").start()


def _sweep_forever() -> None:
    from django.conf import settings
    from django.db import close_old_connections

    from gongkai.web.center.services.export_jobs import sweep_exports
    from gongkai.web.center.services.jobs import recover_jobs

    while True:
        close_old_connections()
        try:
            if queued := recover_jobs():
                log.warning("queued %s interrupted job(s) again", queued)
            sweep_exports()
        except Exception:
            log.exception("job recovery sweep failed")
        finally:
            close_old_connections()
        threading.Event().wait(settings.GONGKAI_JOB_SWEEP_SECONDS)
