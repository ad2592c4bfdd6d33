"""REST API for persons, households and consents: the same services and policy as the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from most.api import Pagination, query_text
from most.api_views import MemberApiView
from most.audit.models import AuditAction
from most.lib.errors import NotFound

from . import policy, selectors, services, situations, timeline
from .models import (
    PERSON_FIELDS,
    Consent,
    Household,
    HouseholdMember,
    Person,
    Relationship,
    Situation,
)
from .selectors import PersonQuery
from .services import CONSENT_FIELDS
from .taxonomy import Language, ResidenceStatus, Vulnerability

# One name in the OpenAPI document for the country lists of several fields.
# (Slovenia is listed twice, first and in order; DRF keeps it once.)
COUNTRY_CHOICES = list(dict(Person._meta.get_field("citizenship").choices).items())


def _must(allowed: bool):
    # The same answer as for a missing object: nobody learns what another organisation holds.
    if not allowed:
        raise NotFound("not found")


# --- Serializers --------------------------------------------------------------------------


class PersonOutput(serializers.ModelSerializer):
    organisation = serializers.IntegerField(source="organisation_id")
    aliases = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    vulnerabilities = serializers.SerializerMethodField()
    household = serializers.SerializerMethodField()
    country_of_origin = serializers.CharField()
    citizenship = serializers.CharField()

    class Meta:
        model = Person
        fields = (
            "id",
            "organisation",
            *PERSON_FIELDS,
            "aliases",
            "languages",
            "vulnerabilities",
            "household",
            "version",
            "created_at",
            "updated_at",
        )

    def get_aliases(self, person) -> list[str]:
        return [alias.name for alias in person.aliases.all()]

    def get_languages(self, person) -> list[str]:
        return [row.language for row in person.languages.all()]

    def get_vulnerabilities(self, person) -> list[str]:
        return [row.code for row in person.vulnerabilities.all()]

    def get_household(self, person) -> int | None:
        membership = getattr(person, "membership", None)
        return membership.household_id if membership else None

    def to_representation(self, person):
        data = super().to_representation(person)
        shared = self.context.get("shared_fields")
        if shared is not None:
            # Another organisation's person: only what the access grant shares.
            data = {key: value for key, value in data.items() if key in shared or key == "id"}
        return data


class PersonInput(serializers.ModelSerializer):
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        required=False,
        max_length=20,
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), required=False, max_length=30
    )
    vulnerabilities = serializers.ListField(
        child=serializers.ChoiceField(choices=Vulnerability.choices),
        required=False,
        max_length=30,
    )

    class Meta:
        model = Person
        fields = (*PERSON_FIELDS, "aliases", "languages", "vulnerabilities")
        extra_kwargs = {
            "given_name_latin": {"required": False, "allow_blank": True},
            "family_name_latin": {"required": False, "allow_blank": True},
        }


class VersionRequired(serializers.Serializer):
    """An update names the version it was read at, even a partial one (PATCH), where DRF makes
    every field optional; the OpenAPI document says so too (most.api)."""

    version = serializers.IntegerField(
        min_value=1, help_text="The version you read; a stale one gets 409 Conflict."
    )

    def validate(self, data):
        if "version" not in data:
            raise serializers.ValidationError(
                {"version": [self.fields["version"].error_messages["required"]]}
            )
        return super().validate(data)


class PersonUpdateInput(VersionRequired, PersonInput):
    class Meta(PersonInput.Meta):
        fields = (*PersonInput.Meta.fields, "version")


def _split_person_input(data):
    fields = {key: value for key, value in data.items() if key in PERSON_FIELDS}
    return fields, data.get("aliases"), data.get("languages"), data.get("vulnerabilities")


class HouseholdMemberOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="person.latin_name")

    class Meta:
        model = HouseholdMember
        fields = ("person", "name", "relationship")


class HouseholdOutput(serializers.ModelSerializer):
    members = HouseholdMemberOutput(many=True)

    class Meta:
        model = Household
        fields = ("id", "name", "municipality", "address", "members", "version")


class HouseholdInput(serializers.ModelSerializer):
    class Meta:
        model = Household
        fields = ("name", "municipality", "address")


class HouseholdUpdateInput(VersionRequired, HouseholdInput):
    class Meta(HouseholdInput.Meta):
        fields = (*HouseholdInput.Meta.fields, "version")


class HouseholdMemberInput(serializers.Serializer):
    person = serializers.IntegerField(min_value=1)
    relationship = serializers.ChoiceField(choices=Relationship.choices)


class ConsentOutput(serializers.ModelSerializer):
    is_valid_today = serializers.BooleanField()

    class Meta:
        model = Consent
        fields = (
            "id",
            "person",
            "organisation",
            *CONSENT_FIELDS,
            "withdrawn_on",
            "withdrawal_note",
            "is_valid_today",
            "version",
        )


class ConsentInput(serializers.ModelSerializer):
    class Meta:
        model = Consent
        fields = CONSENT_FIELDS


class ConsentWithdrawInput(serializers.Serializer):
    withdrawn_on = serializers.DateField(required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The version you read; a stale one gets 409 Conflict. "
        "Without it, the consent as it is now.",
    )


# --- Persons ------------------------------------------------------------------------------

SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": 200},
        description="Name in any script, phone or date of birth",
    ),
    OpenApiParameter("status", str, enum=ResidenceStatus.values),
    OpenApiParameter("municipality", {"type": "string", "maxLength": 100}),
    OpenApiParameter("language", str, enum=Language.values),
]


def _pagination(member):
    """Pages as large as the web list's for a role that may not export: the API is no way round
    the export right."""
    paginator = Pagination()
    if not policy.can_export_persons(member):
        paginator.page_size = paginator.max_page_size = selectors.PAGE_SIZE
    return paginator


def _person_detail_queryset(queryset):
    return queryset.select_related("membership").prefetch_related(
        "aliases", "languages", "vulnerabilities"
    )


class PersonListApi(MemberApiView):
    pagination_class = Pagination  # tells the OpenAPI document that the list is paged

    @extend_schema(
        parameters=SEARCH_PARAMETERS,
        responses=PersonOutput(many=True),
        operation_id="persons_list",
    )
    def get(self, request):
        member = self.member
        _must(policy.can_view_persons(member))
        query = PersonQuery(
            text=query_text(request, "q", 200),
            residence_status=query_text(request, "status", 40),
            municipality=query_text(request, "municipality", 100),
            language=query_text(request, "language", 5),
        )
        persons = selectors.person_search(member, query).pages(_person_detail_queryset, exact=True)
        paginator = _pagination(member)
        page = paginator.paginate_queryset(persons, request, view=self)
        services.persons_shown_audit(
            member=member,
            action=AuditAction.SEARCH if query.text else AuditAction.LIST,
            description=f"api: {query.text}",
            person_ids=[person.pk for person in page],
            total=paginator.page.paginator.count,
            request=request,
            personal=bool(query.text),
        )
        return paginator.get_paginated_response(PersonOutput(page, many=True).data)

    @extend_schema(
        request=PersonInput,
        responses={201: PersonOutput},
        operation_id="persons_create",
    )
    def post(self, request):
        member = self.member
        _must(policy.can_register_person(member))
        serializer = PersonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields, aliases, languages, vulnerabilities = _split_person_input(serializer.validated_data)
        person = services.person_register(
            member=member,
            fields=fields,
            aliases=aliases or (),
            languages=languages or (),
            vulnerabilities=vulnerabilities or (),
            request=request,
        )
        person = selectors.person_for(member, person.pk)
        return Response(PersonOutput(person).data, status=status.HTTP_201_CREATED)


class PersonDetailApi(MemberApiView):
    @extend_schema(responses=PersonOutput, operation_id="persons_retrieve")
    def get(self, request, pk):
        member = self.member
        person = selectors.person_for(member, pk)
        services.person_view_audit(member=member, person=person, request=request, via="api")
        context = {"shared_fields": policy.person_fields_visible_to(member, person)}
        return Response(PersonOutput(person, context=context).data)

    @extend_schema(
        request=PersonUpdateInput,
        responses=PersonOutput,
        operation_id="persons_partial_update",
    )
    def patch(self, request, pk):
        member = self.member
        person = selectors.person_for(member, pk)
        _must(policy.can_change_person(member, person))
        serializer = PersonUpdateInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields, aliases, languages, vulnerabilities = _split_person_input(serializer.validated_data)
        services.person_update(
            member=member,
            person=person,
            version=serializer.validated_data["version"],
            fields=fields,
            aliases=aliases,
            languages=languages,
            vulnerabilities=vulnerabilities,
            request=request,
        )
        return Response(PersonOutput(selectors.person_for(member, pk)).data)


# --- Households ---------------------------------------------------------------------------


class HouseholdListApi(MemberApiView):
    pagination_class = Pagination  # also tells the OpenAPI document that the list is paged

    @extend_schema(
        responses=HouseholdOutput(many=True),
        operation_id="households_list",
        parameters=[OpenApiParameter("q", {"type": "string", "maxLength": 200})],
    )
    def get(self, request):
        member = self.member
        _must(policy.can_view_persons(member))
        text = query_text(request, "q", 200)
        households = selectors.households_of(member, text)
        paginator = _pagination(member)
        page = paginator.paginate_queryset(households, request, view=self)
        services.persons_shown_audit(
            member=member,
            action=AuditAction.SEARCH if text else AuditAction.LIST,
            description=f"api: households {text}".strip(),
            person_ids=[row.person_id for household in page for row in household.members.all()],
            total=paginator.page.paginator.count,
            request=request,
            personal=bool(text),
        )
        return paginator.get_paginated_response(HouseholdOutput(page, many=True).data)

    @extend_schema(
        request=HouseholdInput,
        responses={201: HouseholdOutput},
        operation_id="households_create",
    )
    def post(self, request):
        member = self.member
        _must(policy.can_manage_household(member))
        serializer = HouseholdInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        household = services.household_create(
            member=member, request=request, **serializer.validated_data
        )
        household = selectors.household_for(member, household.pk)
        return Response(HouseholdOutput(household).data, status=status.HTTP_201_CREATED)


class HouseholdDetailApi(MemberApiView):
    @extend_schema(
        responses=HouseholdOutput,
        operation_id="households_retrieve",
    )
    def get(self, request, pk):
        member = self.member
        household = selectors.household_for(member, pk)
        services.persons_shown_audit(
            member=member,
            action=AuditAction.LIST,
            description=f"api: household {household.name}",
            person_ids=[row.person_id for row in household.members.all()],
            total=len(household.members.all()),
            request=request,
        )
        return Response(HouseholdOutput(household).data)

    @extend_schema(
        request=HouseholdUpdateInput,
        responses=HouseholdOutput,
        operation_id="households_partial_update",
    )
    def patch(self, request, pk):
        member = self.member
        household = selectors.household_for(member, pk)
        _must(policy.can_manage_household(member, household))
        serializer = HouseholdUpdateInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        services.household_update(
            member=member, household=household, version=version, fields=data, request=request
        )
        return Response(HouseholdOutput(selectors.household_for(member, pk)).data)


class HouseholdMemberApi(MemberApiView):
    @extend_schema(
        request=HouseholdMemberInput,
        responses={201: HouseholdOutput},
        operation_id="households_members_add",
    )
    def post(self, request, pk):
        member = self.member
        household = selectors.household_for(member, pk)
        _must(policy.can_manage_household(member, household))
        serializer = HouseholdMemberInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = selectors.person_for(member, serializer.validated_data["person"])
        services.household_add_member(
            member=member,
            household=household,
            person=person,
            relationship=serializer.validated_data["relationship"],
            request=request,
        )
        household = selectors.household_for(member, pk)
        return Response(HouseholdOutput(household).data, status=status.HTTP_201_CREATED)


class HouseholdRelationshipInput(serializers.Serializer):
    relationship = serializers.ChoiceField(choices=Relationship.choices)


class HouseholdMemberRemoveApi(MemberApiView):
    @extend_schema(
        request=HouseholdRelationshipInput,
        responses=HouseholdOutput,
        operation_id="households_members_change",
    )
    def patch(self, request, pk, person_pk):
        member = self.member
        household = selectors.household_for(member, pk)
        _must(policy.can_manage_household(member, household))
        person = selectors.person_for(member, person_pk)
        serializer = HouseholdRelationshipInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.household_member_change(
            member=member,
            household=household,
            person=person,
            relationship=serializer.validated_data["relationship"],
            request=request,
        )
        return Response(HouseholdOutput(selectors.household_for(member, pk)).data)

    @extend_schema(
        request=None,
        responses={204: None},
        operation_id="households_members_remove",
    )
    def delete(self, request, pk, person_pk):
        member = self.member
        household = selectors.household_for(member, pk)
        _must(policy.can_manage_household(member, household))
        person = selectors.person_for(member, person_pk)
        services.household_remove_member(
            member=member, household=household, person=person, request=request
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Consents -----------------------------------------------------------------------------


class ConsentListApi(MemberApiView):
    @extend_schema(
        responses=ConsentOutput(many=True),
        operation_id="consents_list",
    )
    def get(self, request, pk):
        member = self.member
        person = selectors.person_for(member, pk)
        _must(policy.can_view_consents(member, person))
        services.person_view_audit(
            member=member, person=person, request=request, via="api: consents"
        )
        return Response(ConsentOutput(person.consents.all(), many=True).data)

    @extend_schema(
        request=ConsentInput,
        responses={201: ConsentOutput},
        operation_id="consents_create",
    )
    def post(self, request, pk):
        member = self.member
        person = selectors.person_for(member, pk)
        _must(policy.can_share_person(member, person))
        serializer = ConsentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.consent_record(
            member=member, person=person, fields=serializer.validated_data, request=request
        )
        return Response(ConsentOutput(consent).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawApi(MemberApiView):
    @extend_schema(
        request=ConsentWithdrawInput,
        responses=ConsentOutput,
        operation_id="consents_withdraw",
    )
    def post(self, request, pk):
        member = self.member
        consent = Consent.objects.filter(pk=pk).select_related("person").first()
        if consent is None:
            raise NotFound("not found")
        person = selectors.person_for(member, consent.person_id)
        _must(policy.can_manage_consents(member, person))
        serializer = ConsentWithdrawInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.consent_withdraw(
            member=member,
            consent=consent,
            on=serializer.validated_data.get("withdrawn_on"),
            note=serializer.validated_data.get("note", ""),
            version=serializer.validated_data.get("version"),
            request=request,
        )
        return Response(ConsentOutput(consent).data)


# --- Situation and timeline ---------------------------------------------------------------


class SituationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Situation
        fields = ("id", "kind", "since", "value", "school", "grade", "note")
        read_only_fields = ("id",)


class SituationListApi(MemberApiView):
    @extend_schema(responses=SituationSerializer(many=True), operation_id="situations_list")
    def get(self, request, pk):
        person = selectors.person_for(self.member, pk)
        _must(policy.is_own_record(self.member, person))
        services.person_view_audit(member=self.member, person=person, request=request, via="api")
        rows = situations.situation_history(person)
        return Response(SituationSerializer(rows, many=True).data)

    @extend_schema(
        request=SituationSerializer,
        responses={201: SituationSerializer},
        operation_id="situations_create",
    )
    def post(self, request, pk):
        person = selectors.person_for(self.member, pk)
        _must(policy.can_change_person(self.member, person))
        serializer = SituationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        situation = situations.situation_record(
            member=self.member,
            person=person,
            fields=dict(serializer.validated_data),
            request=request,
        )
        return Response(SituationSerializer(situation).data, status=status.HTTP_201_CREATED)


class TimelineApi(MemberApiView):
    @extend_schema(
        parameters=[OpenApiParameter("page", int)],
        responses=inline_serializer(
            "Timeline",
            {
                "count": serializers.IntegerField(),
                "page": serializers.IntegerField(),
                "results": inline_serializer(
                    "TimelineEntry",
                    {
                        "day": serializers.DateField(),
                        "kind": serializers.CharField(),
                        "ref": serializers.IntegerField(),
                        "text": serializers.CharField(),
                    },
                    many=True,
                ),
            },
        ),
        operation_id="timeline_retrieve",
    )
    def get(self, request, pk):
        person = selectors.person_for(self.member, pk)
        page = timeline.timeline_page(self.member, person, request.query_params.get("page"))
        _must(page is not None)
        services.person_view_audit(
            member=self.member, person=person, request=request, via="api timeline"
        )
        results = [
            {"day": e.day, "kind": e.kind, "ref": e.ref, "text": e.text} for e in page.object_list
        ]
        return Response({"count": page.paginator.count, "page": page.number, "results": results})
