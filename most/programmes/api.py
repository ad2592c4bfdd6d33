"""REST API for programmes, enrolment, activities and attendance: the same services and policy
as the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from most.api import Pagination
from most.api_views import MemberApiView
from most.audit.models import AuditAction
from most.lib.errors import NotFound
from most.people import selectors as people
from most.people.services import person_view_audit, persons_shown_audit

from . import activity_selectors, activity_services, policy, selectors, services
from .models import (
    Activity,
    ActivityKind,
    DropoutReason,
    Enrolment,
    EnrolmentStatus,
    Presence,
    Programme,
    Session,
)


def _must(allowed: bool):
    if not allowed:
        raise NotFound("not found")


def _shown(request, member, description, person_ids, total):
    if person_ids:
        persons_shown_audit(
            member=member,
            action=AuditAction.LIST,
            description=f"api: {description}",
            personal=False,
            person_ids=person_ids,
            total=total,
            request=request,
        )


# --- Serializers --------------------------------------------------------------------------


class PhaseSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    planned_weeks = serializers.IntegerField(
        min_value=1, max_value=260, required=False, allow_null=True
    )


class ProgrammeOutput(serializers.ModelSerializer):
    phases = serializers.SerializerMethodField()
    areas = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = (
            "id",
            "name",
            "description",
            "target_group",
            "capacity",
            "starts_on",
            "ends_on",
            "phases",
            "areas",
            "eligibility",
            "version",
        )

    def get_phases(self, programme) -> list[dict]:
        return [
            {"id": p.pk, "position": p.position, "name": p.name, "planned_weeks": p.planned_weeks}
            for p in programme.phases.all()
        ]

    def get_areas(self, programme) -> list[dict]:
        return [{"id": a.pk, "name": a.name} for a in programme.areas.all()]


class ProgrammeInput(serializers.ModelSerializer):
    phases = PhaseSerializer(many=True, max_length=12)
    areas = serializers.ListField(
        child=serializers.CharField(max_length=150), required=False, max_length=30
    )
    eligibility = serializers.JSONField(
        required=False,
        help_text='{"all": [...]} or {"any": [...]} of conditions such as '
        '{"field": "age", "op": "gte", "value": 18}; see docs/programmes.md.',
    )

    class Meta:
        model = Programme
        fields = (*services.PROGRAMME_FIELDS, "phases", "areas", "eligibility")


class ProgrammeUpdateInput(ProgrammeInput):
    version = serializers.IntegerField(min_value=1)

    class Meta(ProgrammeInput.Meta):
        fields = (*ProgrammeInput.Meta.fields, "version")


class EnrolmentOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="person.latin_name")
    phase = serializers.CharField(source="phase.name", allow_null=True, default=None)

    class Meta:
        model = Enrolment
        fields = (
            "id",
            "person",
            "name",
            "household",
            "status",
            "applied_on",
            "started_on",
            "ended_on",
            "phase",
            "dropout_reason",
            "note",
            "version",
        )


class EnrolInput(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, required=False)
    household = serializers.IntegerField(min_value=1, required=False)
    apply_only = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate(self, data):
        if ("person" in data) == ("household" in data):
            raise serializers.ValidationError("Name a person or a household.")
        return data


class MoveInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=[*EnrolmentStatus.values, "next_phase"])
    reason = serializers.ChoiceField(choices=DropoutReason.choices, required=False, default="")
    on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1)


class SessionOutput(serializers.ModelSerializer):
    clash = serializers.BooleanField(required=False)

    class Meta:
        model = Session
        fields = ("id", "starts_at", "ends_at", "place", "facilitator", "cancelled", "clash")


class ActivityOutput(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = (
            "id",
            "programme",
            "kind",
            "title",
            "area",
            "phase",
            "enrolment",
            "facilitator",
            "place",
            "recurrence",
        )


class ActivityInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = serializers.CharField(max_length=200)
    area = serializers.IntegerField(required=False, allow_null=True)
    phase = serializers.IntegerField(required=False, allow_null=True)
    enrolment = serializers.IntegerField(required=False, allow_null=True)
    facilitator = serializers.IntegerField(required=False, allow_null=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    first_day = serializers.DateField()
    starts = serializers.TimeField()
    ends = serializers.TimeField()
    every_weeks = serializers.IntegerField(min_value=0, max_value=4, default=0)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), required=False, default=list
    )
    count = serializers.IntegerField(min_value=1, max_value=200, required=False, allow_null=True)
    until = serializers.DateField(required=False, allow_null=True)


class AttendanceInput(serializers.Serializer):
    presences = serializers.DictField(
        child=serializers.ChoiceField(choices=Presence.choices),
        help_text="{enrolment id: present | absent | excused}, the whole group in one request.",
    )


# --- Programmes ---------------------------------------------------------------------------


def _programme_fields(data):
    return {name: data[name] for name in services.PROGRAMME_FIELDS if name in data}


def _phases(data):
    return [(row["name"], row.get("planned_weeks")) for row in data.get("phases", [])]


class ProgrammeListApi(MemberApiView):
    pagination_class = Pagination

    @extend_schema(responses=ProgrammeOutput(many=True), operation_id="programmes_list")
    def get(self, request):
        _must(policy.can_view_programmes(self.member))
        programmes = selectors.programmes_of(self.member).prefetch_related("phases", "areas")
        paginator = Pagination()
        page = paginator.paginate_queryset(programmes, request, view=self)
        return paginator.get_paginated_response(ProgrammeOutput(page, many=True).data)

    @extend_schema(
        request=ProgrammeInput, responses={201: ProgrammeOutput}, operation_id="programmes_create"
    )
    def post(self, request):
        _must(policy.can_manage_programme(self.member))
        serializer = ProgrammeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        programme = services.programme_create(
            member=self.member,
            fields=_programme_fields(data),
            phases=_phases(data),
            areas=data.get("areas", []),
            eligibility=data.get("eligibility"),
            request=request,
        )
        programme = selectors.programme_for(self.member, programme.pk)
        return Response(ProgrammeOutput(programme).data, status=status.HTTP_201_CREATED)


class ProgrammeDetailApi(MemberApiView):
    @extend_schema(responses=ProgrammeOutput, operation_id="programmes_retrieve")
    def get(self, request, pk):
        return Response(ProgrammeOutput(selectors.programme_for(self.member, pk)).data)

    @extend_schema(
        request=ProgrammeUpdateInput,
        responses=ProgrammeOutput,
        operation_id="programmes_partial_update",
    )
    def patch(self, request, pk):
        programme = selectors.programme_for(self.member, pk)
        _must(policy.can_manage_programme(self.member, programme))
        serializer = ProgrammeUpdateInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "version" not in data:
            raise serializers.ValidationError({"version": ["This field is required."]})
        version = data["version"]
        if "eligibility" in data:
            programme = services.programme_rules_save(
                member=self.member,
                programme=programme,
                version=version,
                rule=data["eligibility"],
                request=request,
            )
            version = programme.version
        if set(data) - {"eligibility", "version"}:
            phases = _phases(data) or [(p.name, p.planned_weeks) for p in programme.phases.all()]
            areas = data.get("areas", [a.name for a in programme.areas.all()])
            services.programme_update(
                member=self.member,
                programme=programme,
                version=version,
                fields=_programme_fields(data),
                phases=phases,
                areas=areas,
                request=request,
            )
        return Response(ProgrammeOutput(selectors.programme_for(self.member, pk)).data)


class EligibleApi(MemberApiView):
    @extend_schema(
        responses=inline_serializer(
            "EligiblePersons",
            {
                "count": serializers.IntegerField(help_text="Counted up to 1,000."),
                "more": serializers.BooleanField(help_text="More than `count` meet the rules."),
                "page": serializers.IntegerField(),
                "results": inline_serializer(
                    "EligiblePerson",
                    {
                        "id": serializers.IntegerField(),
                        "name": serializers.CharField(),
                        "enrolled": serializers.BooleanField(),
                    },
                    many=True,
                ),
            },
        ),
        parameters=[OpenApiParameter("page", int)],
        operation_id="programmes_eligible",
    )
    def get(self, request, pk):
        programme = selectors.programme_for(self.member, pk)
        _must(policy.can_manage_enrolments(self.member, programme))
        page = selectors.eligible_persons(self.member, programme, request.query_params.get("page"))
        rows = [{"id": p.pk, "name": p.latin_name, "enrolled": p.enrolled} for p in page]
        _shown(
            request,
            self.member,
            f"programme {pk}: eligible",
            [r["id"] for r in rows],
            page.paginator.count,
        )
        return Response(
            {
                "count": page.paginator.count,
                "more": page.paginator.object_list.capped,
                "page": page.number,
                "results": rows,
            }
        )


class EligibilityApi(MemberApiView):
    @extend_schema(
        responses=inline_serializer(
            "Eligibility",
            {"eligible": serializers.BooleanField(), "reasons": serializers.ListField()},
        ),
        operation_id="programmes_eligibility",
    )
    def get(self, request, pk, person_pk):
        programme = selectors.programme_for(self.member, pk)
        person = people.person_for(self.member, person_pk)
        _must(policy.can_enrol(self.member, programme, person))
        person_view_audit(member=self.member, person=person, request=request, via="api")
        reasons = selectors.eligibility_of(programme, person)
        return Response({"eligible": not reasons, "reasons": reasons})


class EnrolmentListApi(MemberApiView):
    pagination_class = Pagination

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=EnrolmentStatus.values)],
        responses=EnrolmentOutput(many=True),
        operation_id="enrolments_list",
    )
    def get(self, request, pk):
        programme = selectors.programme_for(self.member, pk)
        wanted = request.query_params.get("status")
        if wanted and wanted not in EnrolmentStatus.values:
            raise serializers.ValidationError({"status": ["Unknown status."]})
        paginator = Pagination()
        enrolments = selectors.enrolments_in(self.member, programme, wanted or None)
        page = paginator.paginate_queryset(enrolments, request, view=self)
        _shown(
            request,
            self.member,
            f"programme {pk}",
            [e.person_id for e in page],
            paginator.page.paginator.count,
        )
        return paginator.get_paginated_response(EnrolmentOutput(page, many=True).data)

    @extend_schema(
        request=EnrolInput,
        responses={201: EnrolmentOutput(many=True)},
        operation_id="enrolments_create",
    )
    def post(self, request, pk):
        programme = selectors.programme_for(self.member, pk)
        _must(policy.can_manage_enrolments(self.member, programme))
        serializer = EnrolInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "household" in data:
            household = people.household_for(self.member, data["household"])
            enrolments, _left_out = services.enrol_household(
                member=self.member,
                programme=programme,
                household=household,
                apply_only=data["apply_only"],
                request=request,
            )
        else:
            person = people.person_for(self.member, data["person"])
            _must(policy.can_enrol(self.member, programme, person))
            enrolments = services.enrol(
                member=self.member,
                programme=programme,
                persons=[person],
                apply_only=data["apply_only"],
                note=data["note"],
                request=request,
            )
        return Response(EnrolmentOutput(enrolments, many=True).data, status=201)


class EnrolmentMoveApi(MemberApiView):
    @extend_schema(request=MoveInput, responses=EnrolmentOutput, operation_id="enrolments_move")
    def post(self, request, pk):
        enrolment = selectors.enrolment_for(self.member, pk)
        _must(policy.can_enrol(self.member, enrolment.programme, enrolment.person))
        serializer = MoveInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.enrolment_change(member=self.member, enrolment=enrolment, request=request, **data)
        return Response(EnrolmentOutput(selectors.enrolment_for(self.member, pk)).data)


# --- Activities and attendance -----------------------------------------------------------


class ActivityListApi(MemberApiView):
    @extend_schema(responses=ActivityOutput(many=True), operation_id="activities_list")
    def get(self, request, pk):
        programme = selectors.programme_for(self.member, pk)
        activities = activity_selectors.activities_of(self.member, programme)
        return Response(ActivityOutput(activities, many=True).data)

    @extend_schema(
        request=ActivityInput, responses={201: ActivityOutput}, operation_id="activities_create"
    )
    def post(self, request, pk):
        programme = selectors.programme_for(self.member, pk)
        _must(policy.can_manage_programme(self.member, programme))
        serializer = ActivityInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        activity = activity_services.activity_create(
            member=self.member,
            programme=programme,
            fields={
                "kind": data["kind"],
                "title": data["title"],
                "area_id": data.get("area"),
                "phase_id": data.get("phase"),
                "enrolment_id": data.get("enrolment"),
                "facilitator_id": data.get("facilitator"),
                "place": data["place"],
            },
            plan={
                name: data.get(name)
                for name in (
                    "first_day",
                    "starts",
                    "ends",
                    "every_weeks",
                    "weekdays",
                    "count",
                    "until",
                )
            },
            request=request,
        )
        return Response(ActivityOutput(activity).data, status=status.HTTP_201_CREATED)


class ActivityDetailApi(MemberApiView):
    @extend_schema(
        responses=inline_serializer(
            "ActivityWithSessions",
            {"activity": ActivityOutput(), "sessions": SessionOutput(many=True)},
        ),
        operation_id="activities_retrieve",
    )
    def get(self, request, pk):
        activity = activity_selectors.activity_for(self.member, pk)
        sessions = activity_selectors.sessions_of(activity)
        return Response(
            {
                "activity": ActivityOutput(activity).data,
                "sessions": SessionOutput(sessions, many=True).data,
            }
        )


class AttendanceApi(MemberApiView):
    @extend_schema(
        responses=inline_serializer(
            "AttendanceSheet",
            {
                "enrolment": serializers.IntegerField(),
                "person": serializers.IntegerField(),
                "name": serializers.CharField(),
                "presence": serializers.CharField(allow_null=True),
            },
            many=True,
        ),
        operation_id="attendance_retrieve",
    )
    def get(self, request, pk):
        session = activity_selectors.session_for(self.member, pk)
        _must(policy.can_record_attendance(self.member, session.activity.programme))
        sheet = activity_selectors.attendance_sheet(session)
        _shown(
            request,
            self.member,
            f"session {pk}: attendance",
            [e.person_id for e in sheet],
            len(sheet),
        )
        return Response(
            [
                {
                    "enrolment": e.pk,
                    "person": e.person_id,
                    "name": e.person.latin_name,
                    "presence": e.presence,
                }
                for e in sheet
            ]
        )

    @extend_schema(
        request=AttendanceInput,
        responses=inline_serializer("AttendanceSaved", {"saved": serializers.IntegerField()}),
        operation_id="attendance_update",
    )
    def put(self, request, pk):
        session = activity_selectors.session_for(self.member, pk)
        _must(policy.can_record_attendance(self.member, session.activity.programme))
        serializer = AttendanceInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            presences = {
                int(key): value for key, value in serializer.validated_data["presences"].items()
            }
        except ValueError:
            raise serializers.ValidationError({"presences": ["Keys are enrolment ids."]}) from None
        saved = activity_services.attendance_save(
            member=self.member, session=session, presences=presences, request=request
        )
        return Response({"saved": saved})
