"""Celery tasks (run by a worker when CELERY_BROKER_URL is set, in-process otherwise)."""

from gongkai.web.celery_app import app
from gongkai.web.center.services.export_jobs import run_export
from gongkai.web.center.services.jobs import run_job


@app.task(name="gongkai.process_ingest_job")
def process_job_task(job_id: int) -> None:
    run_job(job_id)


@app.task(name="gongkai.run_export_job")
def export_job_task(job_id: int) -> None:
    run_export(job_id)
