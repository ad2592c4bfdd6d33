from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    PERSON_FIELDS,
    SITUATION_VALUES,
    Consent,
    Household,
    Person,
    Relationship,
    Sex,
)
from .selectors import PersonQuery
from .services import CONSENT_FIELDS, person_prepare
from .taxonomy import VULNERABILITY_GROUPS, Language, ResidenceStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(forms.ModelForm):
    """Collects a person's data; the services validate it again and save it."""

    aliases = forms.CharField(
        label=_("Other names and spellings"),
        help_text=_("One per line, e.g. the spelling in an old passport."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerabilities"),
        help_text=_("Being a minor follows from the date of birth."),
        choices=[
            (group, [(code.value, code.label) for code in codes])
            for group, codes in VULNERABILITY_GROUPS
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "residence_valid_from": DateInput(),
            "residence_valid_until": DateInput(),
            "given_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "family_name": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "given_name": _("As the person writes it, in any script."),
            "given_name_latin": _("Leave empty to fill in automatically."),
            "family_name_latin": _("Leave empty to fill in automatically."),
            "birth_year": _("When only the year is known."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("given_name_latin", "family_name_latin"):
            self.fields[name].required = False
        # A choice the counsellor makes ("not recorded" included), never one made for them.
        self.fields["sex"].choices = [("", _("Choose"))] + Sex.choices
        if not self.instance.pk:
            self.initial.setdefault("sex", "")
        if self.instance.pk:
            self.fields["aliases"].initial = "\n".join(a.name for a in self.instance.aliases.all())
            self.fields["languages"].initial = [r.language for r in self.instance.languages.all()]
            self.fields["vulnerabilities"].initial = [
                r.code for r in self.instance.vulnerabilities.all()
            ]
            self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        # Show the service's checks (dates, Latin letters, phone) together with the form's own,
        # so one submit lists every problem. The service checks again when it saves.
        probe = Person(**{name: data[name] for name in PERSON_FIELDS if name in data})
        try:
            person_prepare(probe)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, errors)
        return data

    def _post_clean(self):
        # The services validate the whole person (with derived fields) before saving.
        pass

    def vulnerability_groups(self):
        """[(group, [checkbox, ...]), ...]: the checkboxes of each group, for the template."""
        boxes = iter(self["vulnerabilities"].subwidgets)
        return [(group, [next(boxes) for _code in codes]) for group, codes in VULNERABILITY_GROUPS]

    def person_fields(self):
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}

    def alias_list(self):
        return self.cleaned_data["aliases"].splitlines()


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(
            attrs={
                "placeholder": _("Name in any script, phone or date of birth"),
                "autocomplete": "off",
            }
        ),
    )
    status = forms.ChoiceField(
        label=_("Residence status"),
        required=False,
        choices=[("", _("Any status"))] + ResidenceStatus.choices,
    )
    # Any text validates, so the fragment that live search swaps in needs no list of choices;
    # the full page fills the select with the organisation's municipalities.
    municipality = forms.CharField(
        label=_("Municipality"), required=False, max_length=100, widget=forms.Select
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language"))] + Language.choices
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].widget.choices = [("", _("Any municipality"))] + [
            (m, m) for m in municipalities
        ]

    def query(self) -> PersonQuery:
        """What a valid form asks for."""
        data = self.cleaned_data
        return PersonQuery(
            text=data["q"],
            residence_status=data["status"],
            municipality=data["municipality"],
            language=data["language"],
        )


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = CONSENT_FIELDS
        widgets = {"given_on": DateInput(), "expires_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Consents are mostly recorded as they are given.
        self.fields["given_on"].initial = timezone.localdate

    def _post_clean(self):
        pass


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HouseholdForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Household
        fields = ("name", "municipality", "address")
        help_texts = {"name": _("Usually the family name, e.g. “Kovalenko family”.")}

    def _post_clean(self):
        pass


def _relationship_choices():
    return [("", _("Choose the relationship"))] + Relationship.choices


def default_relationship(household):
    """The first person added is usually the head; after that the counsellor must choose."""
    if household is None or household.members.filter(relationship=Relationship.HEAD).exists():
        return ""
    return Relationship.HEAD


class HouseholdMemberForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=_relationship_choices, required=False
    )

    def __init__(self, *args, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relationship"].initial = default_relationship(household)


class RelationshipForm(forms.Form):
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=_relationship_choices, required=False
    )


class NewMemberPlacementForm(forms.Form):
    """On the person form: put the new person straight into a household."""

    household = forms.IntegerField(widget=forms.HiddenInput, required=False)
    relationship = forms.ChoiceField(
        label=_("Relationship in the household"), choices=_relationship_choices, required=False
    )


class SituationForm(forms.Form):
    """A dated fact of the person's situation; one list of every situation, grouped by kind."""

    situation = forms.ChoiceField(
        label=_("Situation"),
        choices=[
            (kind.label, [(f"{kind.value}:{code.value}", code.label) for code in codes])
            for kind, codes in SITUATION_VALUES.items()
        ],
    )
    since = forms.DateField(label=_("Since"), widget=DateInput())
    school = forms.CharField(
        label=_("School"),
        max_length=150,
        required=False,
        help_text=_("For a child at school: the school and the grade."),
    )
    grade = forms.IntegerField(label=_("Grade"), required=False, min_value=1, max_value=13)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["since"].initial = timezone.localdate()

    def situation_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["kind"], data["value"] = data.pop("situation").split(":", 1)
        return data
