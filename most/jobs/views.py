from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from most.accounts.decorators import member_required

from .models import JobState
from .policy import jobs_visible_to
from .services import job_result_delivered


def _job(request, pk):
    job = jobs_visible_to(request.member).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@require_GET
@member_required
def job_detail(request, pk):
    """How far the job is; the page polls its status fragment until the job has finished."""
    job = _job(request, pk)
    context = {
        "job": job,
        "title": _(job.title),
        "message": _(job.message) if job.message else "",
        "state": JobState(job.state).label,
    }
    template = "jobs/job_detail.html"
    if request.htmx and request.htmx.target == "job-status":
        template += "#job-status"
    return render(request, template, context)


@require_GET
@member_required
def job_download(request, pk):
    job = _job(request, pk)
    if job.state != JobState.DONE or not job.result_file:
        raise Http404
    storage = storages["private"]
    if not storage.exists(job.result_file):  # expired and deleted
        raise Http404
    job_result_delivered(member=request.member, job=job, request=request)
    return FileResponse(
        storage.open(job.result_file, "rb"),
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_type,
    )
