"""REST API for a person's casework: the same services and policy as the pages. Psychosocial
records are in the answers of the organisation's counsellors only; for anyone else the key is
not there at all."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from most.api_views import MemberApiView
from most.lib.errors import NotFound
from most.people import selectors as people
from most.people.services import person_view_audit

from . import policy, selectors, services
from .models import (
    Assessment,
    CounsellingSession,
    Goal,
    GoalAction,
    Outcome,
    PsychosocialRecord,
)
from .taxonomy import Domain, Need, PsychosocialFactor


def _person(member, pk, allowed):
    person = people.person_for(member, pk)
    if not allowed(member, person):
        raise NotFound("not found")
    return person


class ScoreSerializer(serializers.Serializer):
    need = serializers.ChoiceField(choices=Need.choices)
    notes = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class AssessmentOutput(serializers.ModelSerializer):
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = ("id", "assessed_on", "note", "scores")

    def get_scores(self, assessment) -> dict:
        return {s.domain: {"need": s.need, "notes": s.notes} for s in assessment.scores.all()}


class AssessmentInput(serializers.Serializer):
    assessed_on = serializers.DateField()
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    scores = serializers.DictField(
        child=ScoreSerializer(), help_text=f"{{domain: {{need, notes}}}}; domains: {Domain.values}"
    )


class GoalActionOutput(serializers.ModelSerializer):
    class Meta:
        model = GoalAction
        fields = (
            "id",
            "description",
            "responsible_user",
            "responsible_organisation",
            "due_on",
            "status",
        )


class GoalOutput(serializers.ModelSerializer):
    actions = GoalActionOutput(many=True)

    class Meta:
        model = Goal
        fields = ("id", "domain", "title", "due_on", "status", "actions", "version")


class GoalInput(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ("title", "domain", "due_on")


class CounsellingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CounsellingSession
        fields = (
            "id",
            "held_on",
            "minutes",
            "kind",
            "language",
            "interpreter_present",
            "mediator_present",
            "summary",
        )
        read_only_fields = ("id",)


class PsychosocialSerializer(serializers.ModelSerializer):
    factors = serializers.ListField(
        child=serializers.ChoiceField(choices=PsychosocialFactor.choices), max_length=4
    )

    class Meta:
        model = PsychosocialRecord
        fields = ("id", "recorded_on", "level", "factors", "notes")
        read_only_fields = ("id",)


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outcome
        fields = (
            "id",
            "kind",
            "achieved_on",
            "employer",
            "employer_name",
            "detail",
            "slovenian_level",
        )
        read_only_fields = ("id",)


CASEWORK = inline_serializer(
    "Casework",
    {
        "assessments": AssessmentOutput(many=True),
        "goals": GoalOutput(many=True),
        "counselling": CounsellingSerializer(many=True),
        "outcomes": OutcomeSerializer(many=True),
        "psychosocial": PsychosocialSerializer(
            many=True, required=False, help_text="Only for the organisation's counsellors."
        ),
    },
)


class CaseworkApi(MemberApiView):
    @extend_schema(responses=CASEWORK, operation_id="casework_retrieve")
    def get(self, request, pk):
        person = _person(self.member, pk, policy.can_view_casework)
        person_view_audit(member=self.member, person=person, request=request, via="api casework")
        casework = selectors.casework_of(self.member, person)
        data = {
            "assessments": AssessmentOutput(casework["assessments"], many=True).data,
            "goals": GoalOutput(casework["goals"], many=True).data,
            "counselling": CounsellingSerializer(casework["counselling"], many=True).data,
            "outcomes": OutcomeSerializer(casework["outcomes"], many=True).data,
        }
        if policy.can_view_psychosocial(self.member, person):
            data["psychosocial"] = PsychosocialSerializer(casework["psychosocial"], many=True).data
        return Response(data)


class AssessmentApi(MemberApiView):
    @extend_schema(
        request=AssessmentInput,
        responses={201: AssessmentOutput},
        operation_id="assessments_create",
    )
    def post(self, request, pk):
        person = _person(self.member, pk, policy.can_manage_casework)
        serializer = AssessmentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assessment = services.assessment_record(
            member=self.member,
            person=person,
            assessed_on=data["assessed_on"],
            note=data["note"],
            scores={code: (row["need"], row["notes"]) for code, row in data["scores"].items()},
            request=request,
        )
        return Response(AssessmentOutput(assessment).data, status=status.HTTP_201_CREATED)


def _record_api(record, allowed, input_class, output_class, name):
    """An endpoint that adds one record made by `record(member=, person=, fields=, request=)`."""

    class RecordApi(MemberApiView):
        @extend_schema(
            request=input_class, responses={201: output_class}, operation_id=f"{name}_create"
        )
        def post(self, request, pk):
            person = _person(self.member, pk, allowed)
            serializer = input_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            created = record(
                member=self.member,
                person=person,
                fields=dict(serializer.validated_data),
                request=request,
            )
            return Response(output_class(created).data, status=status.HTTP_201_CREATED)

    RecordApi.__name__ = f"{name.title()}Api"
    return RecordApi


GoalApi = _record_api(services.goal_add, policy.can_manage_casework, GoalInput, GoalOutput, "goals")
CounsellingApi = _record_api(
    services.counselling_record,
    policy.can_manage_casework,
    CounsellingSerializer,
    CounsellingSerializer,
    "counselling",
)
PsychosocialApi = _record_api(
    services.psychosocial_record,
    policy.can_record_psychosocial,
    PsychosocialSerializer,
    PsychosocialSerializer,
    "psychosocial",
)
OutcomeApi = _record_api(
    services.outcome_record,
    policy.can_manage_casework,
    OutcomeSerializer,
    OutcomeSerializer,
    "outcomes",
)
