from drf_spectacular.authentication import SessionScheme
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from most.api import Pagination

from .models import Organisation
from .policy import memberships_of


class VerifiedSessionScheme(SessionScheme):
    """The OpenAPI document shows the session (past its second step) as DRF's cookie. Here, not
    in authentication.py, which DRF imports while its own views are loading."""

    target_class = "most.accounts.authentication.SessionAuthentication"


class OrganisationOutput(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ("id", "name", "type", "municipality", "email", "phone")


class MembershipOutput(serializers.Serializer):
    organisation = OrganisationOutput()
    role = serializers.CharField()


class OrganisationListApi(APIView):
    """The organisations of the network: public facts only, for every signed-in user."""

    pagination_class = Pagination  # also tells the OpenAPI document that the list is paged

    @extend_schema(responses=OrganisationOutput(many=True), operation_id="organisations_list")
    def get(self, request):
        organisations = Organisation.objects.filter(is_active=True).order_by("name", "pk")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(organisations, request, view=self)
        return paginator.get_paginated_response(OrganisationOutput(page, many=True).data)


class OrganisationDetailApi(APIView):
    @extend_schema(responses=OrganisationOutput, operation_id="organisations_retrieve")
    def get(self, request, pk):
        organisation = get_object_or_404(Organisation, pk=pk, is_active=True)
        return Response(OrganisationOutput(organisation).data)


class MeApi(APIView):
    """Who the token belongs to and the organisations they may act for (X-Organisation)."""

    @extend_schema(responses=MembershipOutput(many=True), operation_id="me_memberships")
    def get(self, request):
        return Response(MembershipOutput(memberships_of(request.user), many=True).data)
