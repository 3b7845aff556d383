"""Upload files, a folder, a zip or pasted text; follow the job."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.web.center.services.ingest import UNPARSABLE_UPLOAD
from gongkai.web.center.services.jobs import create_job, start_job, visible_jobs
from gongkai.web.center.views.common import require_uploader


@login_required
def upload(request):
    require_uploader(request)
    limit_mb = settings.GONGKAI_MAX_UPLOAD_BYTES // 1024 // 1024
    if request.method == "POST":
        try:
            files = request.FILES.getlist("files") + request.FILES.getlist("folder")
            text = request.POST.get("text", "")
        except (RequestDataTooBig, TooManyFilesSent):
            messages.error(
                request,
                f"一次最多上传 {settings.DATA_UPLOAD_MAX_NUMBER_FILES} 个文件、粘贴不超过 "
                f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024 // 1024} MB 文本；请分批上传，或打包为 zip 压缩包",
            )
            return redirect("center:upload")
        except MultiPartParserError:
            messages.error(request, UNPARSABLE_UPLOAD)
            return redirect("center:upload")
        too_big = [f.name for f in files if f.size > settings.GONGKAI_MAX_UPLOAD_BYTES * 10]
        if sum(f.size for f in files) > settings.GONGKAI_MAX_REQUEST_BYTES:
            messages.error(
                request, f"一次上传的文件合计超过 {settings.GONGKAI_MAX_REQUEST_BYTES // 1024 // 1024} MB，请分批上传"
            )
        elif too_big:
            # Zips may hold up to ten times the single-file limit; anything larger is refused before reading.
            messages.error(request, f"文件过大：{'、'.join(too_big)}")
        elif not files and not text.strip():
            messages.error(request, "请选择文件、文件夹或压缩包，或粘贴年报文本")
        else:
            job = create_job([(f.name, f.read()) for f in files], text, request.user)
            start_job(job)
            return redirect("center:job", pk=job.pk)
    return render(request, "center/upload.html", {"limit_mb": limit_mb})


@login_required
def job_detail(request, pk: int):
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    template = "center/_job_progress.html" if request.headers.get("HX-Request") else "center/job.html"
    return render(request, template, {"job": job, "items": job.items.select_related("report", "report__agency")})


@login_required
def job_list(request):
    return render(request, "center/job_list.html", {"jobs": visible_jobs(request.user)[:100]})
