"""Upload files, a folder, a zip or pasted text; follow the job."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.web.center.models import IngestJob
from gongkai.web.center.services.jobs import create_job, start_job
from gongkai.web.center.services.permissions import ADMIN, role
from gongkai.web.center.views.common import require_uploader


@login_required
def upload(request):
    require_uploader(request)
    limit_mb = settings.GONGKAI_MAX_UPLOAD_BYTES // 1024 // 1024
    if request.method == "POST":
        files = request.FILES.getlist("files") + request.FILES.getlist("folder")
        text = request.POST.get("text", "")
        too_big = [f.name for f in files if f.size > settings.GONGKAI_MAX_UPLOAD_BYTES * 10]
        if too_big:
            # Zips may hold up to ten times the single-file limit; anything larger is refused before reading.
            messages.error(request, f"文件过大：{'、'.join(too_big)}")
        elif not files and not text.strip():
            messages.error(request, "请选择文件、文件夹或压缩包，或粘贴年报文本")
        else:
            job = create_job([(f.name, f.read()) for f in files], text, request.user)
            start_job(job)
            return redirect("center:job", pk=job.pk)
    return render(request, "center/upload.html", {"limit_mb": limit_mb})


def _visible_jobs(request):
    # Editors follow their own uploads; administrators see everyone's.
    jobs = IngestJob.objects.select_related("created_by")
    return jobs if role(request.user) == ADMIN else jobs.filter(created_by=request.user)


@login_required
def job_detail(request, pk: int):
    job = get_object_or_404(_visible_jobs(request), pk=pk)
    template = "center/_job_progress.html" if request.headers.get("HX-Request") else "center/job.html"
    return render(request, template, {"job": job, "items": job.items.select_related("report", "report__agency")})


@login_required
def job_list(request):
    return render(request, "center/job_list.html", {"jobs": _visible_jobs(request)[:100]})
