"""REST API for referrals: the same policy, selectors and services as the pages. A referral's
person appears by name and with the shared fields only where the pages show them: to the
organisation that keeps the record, and to the receiver while the referral's grant holds."""

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from most.accounts.models import Organisation
from most.api import Pagination, query_text
from most.api_views import MemberApiView
from most.directory.models import Service
from most.lib.errors import NotFound
from most.people import selectors as people
from most.people.models import ConsentEvidence
from most.people.services import person_view_audit

from . import figures, policy, selectors, services
from .models import DEFAULT_FIELDS, Event, Referral, Urgency
from .services import CHOOSABLE_FIELDS
from .workflow import TRANSITIONS


def _must(allowed: bool):
    if not allowed:
        raise NotFound("not found")


class EventOutput(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    actor = serializers.CharField(source="actor.full_name", default=None)

    class Meta:
        model = Event
        fields = ("action", "state", "at", "organisation", "actor", "note")


class ReferralOutput(serializers.ModelSerializer):
    sender = serializers.CharField(source="sender.name")
    receiver = serializers.CharField(source="receiver.name")
    service_name = serializers.CharField(source="service.name", default=None)
    is_overdue = serializers.BooleanField()

    class Meta:
        model = Referral
        fields = (
            "id",
            "person",
            "sender",
            "sender_id",
            "receiver",
            "receiver_id",
            "service",
            "service_name",
            "reason",
            "urgency",
            "note",
            "fields",
            "state",
            "decline_reason",
            "close_reason",
            "feedback",
            "created_at",
            "sent_at",
            "due_at",
            "answered_at",
            "started_at",
            "ended_at",
            "is_overdue",
            "version",
        )


def _output(member, referrals, *, detail=False):
    """Each referral; its person's name and shared fields where the member may see them."""
    named = selectors.fields_shown(member, referrals)
    data = []
    for referral in referrals:
        row = ReferralOutput(referral).data
        if referral.pk in named:
            row["person_name"] = referral.person.display_name
        else:
            row["person"] = None
        if detail:
            row["events"] = EventOutput(selectors.events_of(referral), many=True).data
            own = referral.person.organisation_id == member.organisation_id
            if referral.pk in named and not own:
                row["shared"] = {
                    str(label): str(value)
                    for label, value in people.shared_data(member, referral.person)
                }
        data.append(row)
    return data, named


class ReferralConsentInput(serializers.Serializer):
    given_on = serializers.DateField()
    evidence = serializers.ChoiceField(choices=ConsentEvidence.choices)
    evidence_reference = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReferralInput(serializers.Serializer):
    person = serializers.IntegerField(min_value=1)
    service = serializers.UUIDField(required=False, allow_null=True, default=None)
    receiver = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=2**63 - 1
    )
    reason = serializers.CharField(max_length=2000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    fields = serializers.ListField(
        child=serializers.ChoiceField(choices=CHOOSABLE_FIELDS),
        required=False,
        max_length=len(CHOOSABLE_FIELDS),
        help_text="Shared besides the name; by default birth_year, languages, phone, email.",
    )
    send = serializers.BooleanField(default=True, help_text="False keeps a draft.")
    consent = ReferralConsentInput(
        required=False,
        allow_null=True,
        default=None,
        help_text="The consent to sharing with the receiver that the person gives now.",
    )


class TransitionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=[n for n in TRANSITIONS if n != "send"])
    version = serializers.IntegerField(min_value=1)
    reason = serializers.ChoiceField(
        choices=sorted(
            code
            for t in TRANSITIONS.values()
            if t.reason_field
            for code, _label in Referral._meta.get_field(t.reason_field).choices
        ),
        required=False,
        allow_blank=True,
        default="",
        help_text="Why it is declined (decline) or closed (close).",
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class SendInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    consent = ReferralConsentInput(required=False, allow_null=True, default=None)


REFERRAL = inline_serializer(
    "ReferralDetail",
    {
        "referral": ReferralOutput(),
        "person_name": serializers.CharField(required=False),
        "events": EventOutput(many=True),
        "shared": serializers.DictField(child=serializers.CharField(), required=False),
    },
)
BOX_PARAMETERS = [
    OpenApiParameter("box", str, enum=["inbox", "outbox"], description="Default inbox."),
    OpenApiParameter("view", str, enum=sorted({*selectors.INBOX_VIEWS, *selectors.OUTBOX_VIEWS})),
    OpenApiParameter("q", str, description="The other organisation, the service, the number."),
    OpenApiParameter("urgency", str, enum=Urgency.values),
]


def _referral(member, pk):
    return selectors.referral_for(member, pk)


def _must_answer(member, referral):
    """Only those who may move referrals on, on their organisation's side, learn more (a wrong
    state, a conflict) than that there is nothing for them here."""
    _must(policy.can_send_referrals(member) and policy.side_of(member, referral) is not None)


def _audit_person(member, referral, named, request):
    if referral.pk in named:
        person_view_audit(member=member, person=referral.person, request=request, via="api")


class ReferralListApi(MemberApiView):
    pagination_class = Pagination

    @extend_schema(
        parameters=BOX_PARAMETERS,
        responses=ReferralOutput(many=True),
        operation_id="referrals_list",
    )
    def get(self, request):
        member = self.member
        _must(policy.can_view_referrals(member))
        box = query_text(request, "box", 10) or "inbox"
        views = selectors.INBOX_VIEWS if box == "inbox" else selectors.OUTBOX_VIEWS
        view = query_text(request, "view", 10) or "all"
        if box not in ("inbox", "outbox") or view not in views:
            raise serializers.ValidationError({"view": [f"Choose one of {', '.join(views)}."]})
        urgency = query_text(request, "urgency", 10)
        if urgency and urgency not in Urgency.values:
            raise serializers.ValidationError({"urgency": ["Unknown urgency."]})
        filters = selectors.Filters(view=view, q=query_text(request, "q", 100), urgency=urgency)
        referrals = (selectors.inbox if box == "inbox" else selectors.outbox)(member, filters)
        paginator = Pagination()
        page = paginator.paginate_queryset(referrals, request, view=self)
        data, named = _output(member, page)
        services.persons_listed_audit(
            member=member,
            referrals=page,
            shown=named,
            description=f"api referrals {box}: {filters.q}",
            request=request,
        )
        return paginator.get_paginated_response(data)

    @extend_schema(
        request=ReferralInput, responses={201: ReferralOutput}, operation_id="referrals_create"
    )
    def post(self, request):
        member = self.member
        serializer = ReferralInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person = people.person_for(member, data["person"])
        _must(policy.can_refer(member, person))
        service = None
        if data["service"] is not None:
            service = (
                Service.objects.select_related("organization__owner")
                .filter(pk=data["service"])
                .first()
            )
            if service is None:
                raise serializers.ValidationError({"service": ["No such service."]})
        receiver = None
        if data["receiver"] is not None:
            receiver = Organisation.objects.filter(pk=data["receiver"]).first()
            if receiver is None:
                raise serializers.ValidationError({"receiver": ["No such organisation."]})
        referral = services.referral_create(
            member=member,
            person=person,
            data={
                "service": service,
                "receiver": receiver,
                "reason": data["reason"],
                "urgency": data["urgency"],
                "note": data["note"],
                "fields": data.get("fields", list(DEFAULT_FIELDS)),
            },
            send=data["send"],
            consent=dict(data["consent"]) if data["consent"] else None,
            request=request,
        )
        return Response(ReferralOutput(referral).data, status=status.HTTP_201_CREATED)


class ReferralApi(MemberApiView):
    @extend_schema(responses=REFERRAL, operation_id="referrals_retrieve")
    def get(self, request, pk):
        member = self.member
        referral = _referral(member, pk)
        (data,), named = _output(member, [referral], detail=True)
        _audit_person(member, referral, named, request)
        services.notifications_read(member=member, referral=referral)
        return Response(data)


class TransitionApi(MemberApiView):
    @extend_schema(
        request=TransitionInput,
        responses={200: ReferralOutput},
        operation_id="referrals_transition",
        description="Withdraw (sender), accept, decline, start, complete or close (receiver). "
        "A stale version or a referral already answered is 409 Conflict.",
    )
    def post(self, request, pk):
        member = self.member
        referral = _referral(member, pk)
        serializer = TransitionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _must_answer(member, referral)
        services.referral_transition(
            member=member,
            referral=referral,
            name=data["action"],
            version=data["version"],
            reason=data["reason"],
            note=data["note"],
            request=request,
        )
        return Response(ReferralOutput(referral).data)


class SendApi(MemberApiView):
    @extend_schema(
        request=SendInput, responses={200: ReferralOutput}, operation_id="referrals_send"
    )
    def post(self, request, pk):
        member = self.member
        referral = _referral(member, pk)
        _must_answer(member, referral)
        serializer = SendInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.referral_send(
            member=member,
            referral=referral,
            version=data["version"],
            consent=dict(data["consent"]) if data["consent"] else None,
            request=request,
        )
        return Response(ReferralOutput(referral).data)


class NotificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    referral = serializers.IntegerField(source="referral_id")
    kind = serializers.CharField()
    text = serializers.CharField(help_text="What happened, in the language asked for.")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class NotificationListApi(MemberApiView):
    pagination_class = Pagination

    @extend_schema(responses=NotificationOutput(many=True), operation_id="notifications_list")
    def get(self, request):
        member = self.member
        _must(policy.can_view_referrals(member))
        unread = query_text(request, "unread", 5) in ("1", "true")
        notices = policy.notifications_of(member).filter(Q(read_at__isnull=True) if unread else Q())
        paginator = Pagination()
        page = paginator.paginate_queryset(notices, request, view=self)
        return paginator.get_paginated_response(NotificationOutput(page, many=True).data)


class FigureRowOutput(serializers.Serializer):
    label = serializers.CharField()
    sent = serializers.IntegerField(allow_null=True, help_text="null: fewer than 5, hidden")
    accepted = serializers.IntegerField(allow_null=True)
    declined = serializers.IntegerField(allow_null=True)
    declined_share = serializers.IntegerField(allow_null=True)
    completed = serializers.IntegerField(allow_null=True)
    days_to_accept = serializers.FloatField(allow_null=True)
    days_to_complete = serializers.FloatField(allow_null=True)
    on_time = serializers.IntegerField(allow_null=True)


class CountOutput(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField(allow_null=True, help_text="null: fewer than 5, hidden")


FIGURES = inline_serializer(
    "ReferralFigures",
    {
        "months": serializers.CharField(),
        "received": serializers.IntegerField(allow_null=True),
        "sent": serializers.IntegerField(allow_null=True),
        "received_by_service": FigureRowOutput(many=True),
        "sent_by_receiver": FigureRowOutput(many=True),
        "received_declined_by_reason": CountOutput(many=True),
        "sent_declined_by_reason": CountOutput(many=True),
    },
)


class FiguresApi(MemberApiView):
    @extend_schema(
        parameters=[OpenApiParameter("months", str, enum=list(figures.PERIODS))],
        responses=FIGURES,
        operation_id="referrals_figures",
    )
    def get(self, request):
        member = self.member
        _must(policy.can_view_figures(member))
        months = query_text(request, "months", 2) or figures.DEFAULT_PERIOD
        if months not in figures.PERIODS:
            raise serializers.ValidationError({"months": [f"One of {', '.join(figures.PERIODS)}."]})
        data = figures.referral_figures(member, months)
        return Response(
            {
                "months": data["period"],
                "received": data["received_total"],
                "sent": data["sent_total"],
                "received_by_service": FigureRowOutput(data["by_service"], many=True).data,
                "sent_by_receiver": FigureRowOutput(data["by_receiver"], many=True).data,
                "received_declined_by_reason": CountOutput(
                    data["declined_received"].cells, many=True
                ).data,
                "sent_declined_by_reason": CountOutput(data["declined_sent"].cells, many=True).data,
            }
        )
