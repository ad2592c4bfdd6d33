from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from most.accounts.models import Organisation
from most.directory.models import Service
from most.people.forms import DateInput
from most.people.models import Consent, ConsentEvidence, Person

from .models import DEFAULT_FIELDS, Referral, Urgency
from .services import CHOOSABLE_FIELDS


def field_label(name):
    if name == "languages":
        return _("Languages spoken")
    return Person._meta.get_field(name).verbose_name


class ReferralForm(forms.Form):
    """A referral: to a service found in the catalogue (or an organisation), why, how urgent,
    what is shared; and the consent to sharing, when the person gives it now."""

    service_query = forms.CharField(
        label=_("Find a service"),
        required=False,
        max_length=100,
        help_text=_("Words of its name, its kind or its provider, e.g. “legal aid Koper”."),
    )
    # Chosen among the services found (the template lists them as radio buttons).
    service = forms.UUIDField(required=False, widget=forms.HiddenInput)
    receiver = forms.ModelChoiceField(
        label=_("Or an organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("When no service of the catalogue fits."),
    )
    reason = forms.CharField(
        label=_("Reason for the referral"),
        max_length=2000,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("What the person needs from the service. Write only what it needs to know."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE
    )
    note = forms.CharField(
        label=_("Note to the receiver"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("How and when to reach the person, an interpreter, what was arranged."),
    )
    fields = forms.MultipleChoiceField(
        label=_("Data shared besides the name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=list(DEFAULT_FIELDS),
        help_text=_("Shared only once the receiver accepts. Add more only when it is needed."),
    )
    consent_now = forms.BooleanField(
        label=_("The person gives their consent to sharing with this organisation now"),
        required=False,
    )
    consent_given_on = forms.DateField(
        label=_("Consent given on"), widget=DateInput(), required=False, initial=timezone.localdate
    )
    consent_evidence = forms.ChoiceField(
        label=_("Evidence"), choices=[("", "—"), *ConsentEvidence.choices], required=False
    )
    consent_evidence_reference = forms.CharField(
        label=_("Evidence reference"),
        max_length=200,
        required=False,
        help_text=Consent._meta.get_field("evidence_reference").help_text,
    )
    consent_expires_on = forms.DateField(
        label=_("Consent expires on"), widget=DateInput(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = Organisation.objects.filter(is_active=True).exclude(
            pk=member.organisation_id
        )
        self.fields["fields"].choices = [(name, field_label(name)) for name in CHOOSABLE_FIELDS]

    def clean_service(self):
        pk = self.cleaned_data.get("service")
        if pk is None:
            return None
        service = Service.objects.select_related("organization__owner").filter(pk=pk).first()
        if service is None:
            raise forms.ValidationError(_("Choose one of the services found."))
        return service

    def clean(self):
        data = super().clean()
        if data.get("consent_now"):
            if not data.get("consent_given_on"):
                self.add_error("consent_given_on", _("When did the person give the consent?"))
            if not data.get("consent_evidence"):
                self.add_error("consent_evidence", _("How is the consent recorded?"))
        return data

    def referral_data(self):
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in ("service", "receiver", "reason", "urgency", "note", "fields")
        }

    def consent_fields(self):
        data = self.cleaned_data
        if not data.get("consent_now"):
            return None
        return {
            "given_on": data["consent_given_on"],
            "evidence": data["consent_evidence"],
            "evidence_reference": data.get("consent_evidence_reference", ""),
            "expires_on": data.get("consent_expires_on"),
        }


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=20)
    version = forms.IntegerField()
    reason = forms.CharField(max_length=20, required=False)
    note = forms.CharField(max_length=2000, required=False)


class AnswerForm(forms.Form):
    """What a transition asks for (workflow.Transition): a reason from its field's list, and
    the words to the sender (the feedback, required to complete)."""

    reason = forms.ChoiceField(label=_("Why"))
    note = forms.CharField(
        label=_("Words to the sender"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        if transition.reason_field:
            reasons = Referral._meta.get_field(transition.reason_field).choices
            self.fields["reason"].choices = [("", "—"), *reasons]
        else:
            del self.fields["reason"]
        if transition.feedback_required:
            note = self.fields["note"]
            note.required, note.label = True, _("Feedback to the sender")
            note.help_text = _(
                "What came of the referral: what the person received, what comes next."
            )
            note.widget.attrs["rows"] = 3


def asks_for_answer(transition) -> bool:
    return bool(transition.reason_field or transition.feedback)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=[("", _("Any")), *Urgency.choices]
    )
