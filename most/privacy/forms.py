from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RequestKind, RequestState


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("The person asks for"), choices=RequestKind.choices)
    received_on = forms.DateField(
        label=_("Received on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The answer is due one month later."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("How the request came in, how the person's identity was checked."),
    )


class CloseForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Answer"),
        choices=[(RequestState.DONE, _("Done")), (RequestState.REFUSED, _("Refused"))],
    )
    outcome = forms.CharField(
        label=_("What was done, or why it is refused"), required=False, max_length=500
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("For example the court case or the inspection that needs the record."),
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to keep the hold until it is lifted."),
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that erasure cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
