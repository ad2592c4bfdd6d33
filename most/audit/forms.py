from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditAction


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any action"))] + AuditAction.choices
    )
    actor = forms.CharField(label=_("User's e-mail"), required=False, max_length=254)
    person = forms.IntegerField(label=_("Person number"), required=False, min_value=1)
    day_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    day_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
