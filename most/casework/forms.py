from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from most.accounts.models import Organisation, OrganisationType
from most.people.forms import DateInput

from .models import CounsellingSession, Goal, GoalAction, Outcome, PsychosocialRecord
from .taxonomy import Domain, Need, PsychosocialFactor


class AssessmentForm(forms.Form):
    """A need score and notes for every integration domain; a domain left empty was not
    assessed."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
        for domain in Domain:
            self.fields[f"need-{domain.value}"] = forms.TypedChoiceField(
                label=domain.label,
                choices=[("", "–")] + Need.choices,
                coerce=int,
                required=False,
            )
            self.fields[f"notes-{domain.value}"] = forms.CharField(
                label=_("Notes: %(domain)s") % {"domain": domain.label},
                max_length=1000,
                required=False,
            )

    def domain_rows(self):
        return [(self[f"need-{d.value}"], self[f"notes-{d.value}"]) for d in Domain]

    def scores(self):
        return {
            domain.value: (need, self.cleaned_data[f"notes-{domain.value}"])
            for domain in Domain
            if (need := self.cleaned_data[f"need-{domain.value}"]) not in ("", None)
        }


class NoModelValidation:
    def _post_clean(self):
        pass  # the services validate the record as a whole


class GoalForm(NoModelValidation, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ("title", "domain", "due_on")
        widgets = {"due_on": DateInput()}


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Goal._meta.get_field("status").choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class GoalActionForm(NoModelValidation, forms.ModelForm):
    class Meta:
        model = GoalAction
        fields = ("description", "responsible_user", "responsible_organisation", "due_on")
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        users = self.fields["responsible_user"]
        users.queryset = users.queryset.filter(
            memberships__organisation=member.organisation_id, memberships__is_active=True
        ).order_by("full_name")
        users.label_from_instance = lambda user: user.full_name
        organisations = self.fields["responsible_organisation"]
        organisations.queryset = Organisation.objects.filter(is_active=True).exclude(
            pk=member.organisation_id
        )


class CounsellingForm(NoModelValidation, forms.ModelForm):
    class Meta:
        model = CounsellingSession
        fields = (
            "held_on",
            "minutes",
            "kind",
            "language",
            "interpreter_present",
            "mediator_present",
            "summary",
        )
        widgets = {"held_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class PsychosocialForm(NoModelValidation, forms.ModelForm):
    factors = forms.MultipleChoiceField(
        label=_("Factors at play (IOM psychosocial model)"),
        choices=PsychosocialFactor.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = PsychosocialRecord
        fields = ("recorded_on", "level", "factors", "notes")
        widgets = {"recorded_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "notes": _("Only the counsellors of your organisation can read these notes."),
            "level": _("The level of the MHPSS intervention pyramid the support belongs to."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = timezone.localdate()


class OutcomeForm(NoModelValidation, forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ("kind", "achieved_on", "employer", "employer_name", "detail", "slovenian_level")
        widgets = {"achieved_on": DateInput()}
        help_texts = {
            "detail": _("The job, the course or school, the grade reached."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["achieved_on"].initial = timezone.localdate()
        self.fields["employer"].queryset = Organisation.objects.filter(
            is_active=True, type=OrganisationType.EMPLOYER
        )
