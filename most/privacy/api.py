"""The data subject's export and erasure for data protection contacts who script them."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from most.api_views import MemberApiView
from most.jobs.api import JobOutput, job_output

from . import selectors, services


class ErasureOutput(serializers.Serializer):
    id = serializers.IntegerField()
    erased_at = serializers.DateTimeField()


def _person(member, pk):
    person = selectors.person_for(member, pk)
    if person is None:
        raise NotFound("not found")
    return person


class PersonExportApi(MemberApiView):
    @extend_schema(
        request=None,
        responses={202: JobOutput},
        operation_id="persons_export",
        description="Start the export of everything the organisation keeps about the person "
        "(GDPR Art. 15, 20): a ZIP with a JSON file and a PDF, made in the background. Poll "
        "the job, then fetch its download. For the organisation's data protection contact "
        "(administrator) only; the request and each download are audited.",
    )
    def post(self, request, pk):
        person = _person(self.member, pk)
        job = services.export_start(member=self.member, person=person, request=request)
        return Response(job_output(request, job), status=status.HTTP_202_ACCEPTED)


class PersonErasureApi(MemberApiView):
    @extend_schema(
        request=None,
        responses={
            200: ErasureOutput,
            409: OpenApiResponse(description="Refused: a legal hold, or already erased."),
        },
        operation_id="persons_erase",
        description="Erase the person (GDPR Art. 17): anonymised in place in every part of "
        "Most, their values in the audit trail made unreadable, every grant ended; counts by "
        "age group, sex and country stay. Refused with 409 and the reason under a legal hold. "
        "For the organisation's data protection contact (administrator) only.",
    )
    def post(self, request, pk):
        person = _person(self.member, pk)
        person = services.person_erase(member=self.member, person=person, request=request)
        return Response({"id": person.pk, "erased_at": person.erased_at})
