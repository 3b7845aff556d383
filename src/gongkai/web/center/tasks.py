"""Celery tasks (run by a worker when CELERY_BROKER_URL is set, in-process otherwise)."""

from gongkai.web.celery_app import app
from gongkai.web.center.services.jobs import run_job


@app.task(name="gongkai.process_ingest_job")
def process_job_task(job_id: int) -> None:
    run_job(job_id)
