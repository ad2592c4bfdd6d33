from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from most.people.forms import DateInput

from . import eligibility
from .models import ActivityKind, DropoutReason, EnrolmentStatus, Presence, Programme
from .services import PROGRAMME_FIELDS

MAX_PHASES = 12


class ProgrammeForm(forms.ModelForm):
    """The programme, its areas of concern (one per line) and its phases (a row each)."""

    areas = forms.CharField(
        label=_("Areas of concern"),
        help_text=_("One per line, in the order the programme presents them."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=3000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Programme
        fields = PROGRAMME_FIELDS
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"capacity": _("Leave empty for no limit.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["areas"] = "\n".join(area.name for area in self.instance.areas.all())
            self.initial["version"] = self.instance.version

    def area_names(self):
        lines = (line.strip() for line in self.cleaned_data["areas"].splitlines())
        return [line[:150] for line in lines if line]

    def _post_clean(self):
        pass  # the service validates the programme as a whole


class PhaseForm(forms.Form):
    name = forms.CharField(label=_("Phase"), max_length=150, required=False)
    planned_weeks = forms.IntegerField(
        label=_("Planned weeks"), min_value=1, max_value=260, required=False
    )


class BasePhaseFormSet(forms.BaseFormSet):
    def phases(self):
        """The filled rows, in order, as (name, weeks)."""
        return [
            (form.cleaned_data["name"].strip(), form.cleaned_data.get("planned_weeks"))
            for form in self.forms
            if form.cleaned_data.get("name", "").strip()
        ]


PhaseFormSet = forms.formset_factory(
    PhaseForm, formset=BasePhaseFormSet, extra=0, max_num=MAX_PHASES, absolute_max=MAX_PHASES
)


def phase_formset(data=None, programme=None):
    """The programme's phases and empty rows to add more (three for a new programme)."""
    initial = (
        [{"name": p.name, "planned_weeks": p.planned_weeks} for p in programme.phases.all()]
        if programme
        else []
    )
    rows = max(len(initial) + 1, 3)
    formset = PhaseFormSet(data, initial=initial + [{}] * (rows - len(initial)), prefix="phases")
    return formset


class GROUP:
    REQUIRED = "required"
    ALTERNATIVE = "alternative"


class FieldChoiceForm(forms.Form):
    """The first step of adding a condition: what it is about."""

    field = forms.ChoiceField(
        label=_("Condition on"),
        choices=[("", "–")] + [(name, fact.label) for name, fact in eligibility.FACTS.items()],
    )


class ConditionForm(forms.Form):
    """The second step: what the chosen fact must be, and whether it is required or one of the
    alternatives (at least one alternative must hold)."""

    field = forms.CharField(widget=forms.HiddenInput)
    op = forms.ChoiceField(label=_("Must be"))
    values = forms.MultipleChoiceField(
        label=_("Values"), widget=forms.CheckboxSelectMultiple, required=False
    )
    value = forms.IntegerField(label=_("Years"), min_value=0, max_value=120, required=False)
    group = forms.ChoiceField(
        label=_("How it counts"),
        choices=[
            (GROUP.REQUIRED, _("Required")),
            (GROUP.ALTERNATIVE, _("One of the alternatives: at least one alternative holds")),
        ],
        widget=forms.RadioSelect,
        initial=GROUP.REQUIRED,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, fact, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fact = fact
        self.fields["field"].initial = fact.name
        self.fields["op"].choices = list(fact.operators.items())
        if fact.number:
            del self.fields["values"]
            self.fields["value"].required = True
        else:
            del self.fields["value"]
            choices = (
                fact.choices().items()
                if fact.choices
                else [(name, name) for name in municipalities]
            )
            self.fields["values"].choices = [
                (code, label) for code, label in choices if code not in fact.unrecorded
            ]
            self.fields["values"].required = True
            if len(self.fields["values"].choices) > 30:
                self.fields["values"].widget = forms.SelectMultiple(attrs={"size": 10})

    def condition(self) -> dict:
        data = self.cleaned_data
        if self.fact.number:
            return {"field": self.fact.name, "op": data["op"], "value": data["value"]}
        return {"field": self.fact.name, "op": data["op"], "values": data["values"]}


class EnrolForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    apply_only = forms.BooleanField(
        label=_("Only record the application; decide on the place later"), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class HouseholdEnrolForm(forms.Form):
    household = forms.IntegerField(widget=forms.HiddenInput)


class MoveForm(forms.Form):
    """A change of an enrolment's status, or a move to the next phase."""

    to = forms.ChoiceField(choices=EnrolmentStatus.choices + [("next_phase", "next_phase")])
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", "–")] + DropoutReason.choices, required=False
    )
    on = forms.DateField(label=pgettext_lazy("date", "On"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class Repeat:
    ONCE = 0
    WEEKLY = 1
    FORTNIGHTLY = 2


WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ActivityForm(forms.Form):
    """An activity and when it meets: once, or weekly on some weekdays a number of times."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    area = forms.TypedChoiceField(label=_("Area of concern"), coerce=int, required=False)
    phase = forms.TypedChoiceField(
        label=_("For the participants in phase"), coerce=int, required=False
    )
    enrolment = forms.TypedChoiceField(
        label=_("For one participant (individual help)"), coerce=int, required=False
    )
    facilitator = forms.TypedChoiceField(label=_("Facilitator"), coerce=int, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    first_day = forms.DateField(label=_("First day"), widget=DateInput())
    starts = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    ends = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    every_weeks = forms.TypedChoiceField(
        label=_("Repeats"),
        coerce=int,
        choices=[
            (Repeat.ONCE, _("Once")),
            (Repeat.WEEKLY, _("Every week")),
            (Repeat.FORTNIGHTLY, _("Every other week")),
        ],
        initial=Repeat.ONCE,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=pgettext_lazy("weekdays", "On"),
        coerce=int,
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty for the weekday of the first day."),
    )
    count = forms.IntegerField(label=_("Times"), min_value=1, max_value=200, required=False)
    until = forms.DateField(label=_("Until"), widget=DateInput(), required=False)

    def __init__(self, *args, programme, areas, phases, participants, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        none = [("", "–")]
        self.fields["area"].choices = none + [(a.pk, a.name) for a in areas]
        self.fields["phase"].choices = none + [(p.pk, p.name) for p in phases]
        self.fields["enrolment"].choices = none + [
            (e.pk, e.person.latin_name) for e in participants
        ]
        self.fields["facilitator"].choices = none + [
            (m.user_id, m.user.full_name) for m in colleagues
        ]
        self.fields["first_day"].initial = max(timezone.localdate(), programme.starts_on)

    def activity_fields(self):
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"].strip(),
            "area_id": data["area"] or None,
            "phase_id": data["phase"] or None,
            "enrolment_id": data["enrolment"] or None,
            "facilitator_id": data["facilitator"] or None,
            "place": " ".join(data["place"].split()),
        }

    def plan(self):
        data = self.cleaned_data
        return {
            "first_day": data["first_day"],
            "starts": data["starts"],
            "ends": data["ends"],
            "every_weeks": data["every_weeks"],
            "weekdays": data["weekdays"],
            "count": data["count"],
            "until": data["until"],
        }


class AttendanceForm(forms.Form):
    """The presence of each of the group: radio buttons named presence-<enrolment id>; built
    from the sheet, read back in `presences`."""

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        for enrolment in sheet:
            self.fields[f"presence-{enrolment.pk}"] = forms.ChoiceField(
                label=enrolment.person.latin_name,
                choices=Presence.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=enrolment.presence,
            )

    def presences(self) -> dict[int, str]:
        return {
            int(name.removeprefix("presence-")): value
            for name, value in self.cleaned_data.items()
            if value
        }

    def rows(self):
        return [(enrolment, self[f"presence-{enrolment.pk}"]) for enrolment in self.sheet]
