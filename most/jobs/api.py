from django.core.files.storage import storages
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from most.api_views import MemberApiView

from .models import JobState
from .policy import jobs_visible_to
from .services import job_result_delivered


class JobOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    state = serializers.CharField()
    percent = serializers.IntegerField()
    message = serializers.CharField()
    download = serializers.CharField(allow_null=True, help_text="Where to fetch the result.")


def job_output(request, job):
    return {
        "id": job.pk,
        "kind": job.kind,
        "state": job.state,
        "percent": job.percent,
        "message": job.message,
        "download": request.build_absolute_uri(reverse("api-job-download", args=[job.pk]))
        if job.state == JobState.DONE
        else None,
    }


def _job(member, pk):
    job = jobs_visible_to(member).filter(pk=pk).first()
    if job is None:
        raise NotFound("not found")
    return job


class JobDetailApi(MemberApiView):
    """How far a background job is (an export): poll until its state is done or failed."""

    @extend_schema(responses=JobOutput, operation_id="jobs_retrieve")
    def get(self, request, pk):
        return Response(job_output(request, _job(self.member, pk)))


class JobDownloadApi(MemberApiView):
    """The file a finished job produced (kept for 24 hours); each download is audited."""

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        operation_id="jobs_download",
    )
    def get(self, request, pk):
        job = _job(self.member, pk)
        storage = storages["private"]
        if job.state != JobState.DONE or not job.result_file or not storage.exists(job.result_file):
            raise NotFound("not found")
        job_result_delivered(member=self.member, job=job, request=request)
        return FileResponse(
            storage.open(job.result_file, "rb"),
            as_attachment=True,
            filename=job.result_name,
            content_type=job.result_type,
        )
