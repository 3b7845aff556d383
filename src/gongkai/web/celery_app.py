"""The Celery application. Start a worker with `celery -A gongkai.web.celery_app worker` when CELERY_BROKER_URL is set;
without a broker the settings make every task run in-process (eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")

app = Celery("gongkai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["gongkai.web.center"])
