"""The staff's forms for the catalogue: a service, its weekly hours, a translation, an import."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import categories, finder
from .forms import language_name
from .models import DEFAULT_RESPONSE_DAYS, REGIONS, SHAREABLE, Attribute, ProfessionalRole, Service
from .professionals import profile_values
from .services import SERVICE_FIELDS, Hours
from .texts import term_name

DAY_CHOICES = [
    ("MO", _("Mon")),
    ("TU", _("Tue")),
    ("WE", _("Wed")),
    ("TH", _("Thu")),
    ("FR", _("Fri")),
    ("SA", _("Sat")),
    ("SU", _("Sun")),
]


def _secure_urls(field, **kwargs):
    """A web address typed without its scheme is a secure one."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ServiceForm(forms.ModelForm):
    """A service with its kind, languages, place and features; the weekly hours are rows of
    HoursFormSet beside it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    category = forms.ChoiceField(label=_("Kind of service"))
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), required=False, widget=forms.CheckboxSelectMultiple
    )
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    address_1 = forms.CharField(label=_("Street and number"), required=False, max_length=300)
    postal_code = forms.CharField(label=_("Postcode"), required=False, max_length=20)
    city = forms.CharField(label=_("Town"), required=False, max_length=100)
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("For the map."),
    )
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    transportation = forms.CharField(
        label=_("How to get there"),
        required=False,
        max_length=500,
        widget=forms.Textarea({"rows": 2}),
    )
    wheelchair = forms.BooleanField(label=_("Wheelchair access"), required=False)

    class Meta:
        model = Service
        fields = SERVICE_FIELDS
        formfield_callback = _secure_urls
        labels = {
            "name": _("Name"),
            "alternate_name": _("Other name"),
            "description": _("What the service offers"),
            "status": _("Status"),
            "email": _("E-mail"),
            "url": _("Web page"),
            "application_process": _("How to apply"),
            "eligibility_description": _("Who can come"),
            "fees_description": _("Costs"),
            "minimum_age": _("From age"),
            "maximum_age": _("To age"),
            "response_days": _("Answers referrals within (working days)"),
        }
        widgets = {
            name: forms.Textarea({"rows": 3})
            for name in (
                "description",
                "application_process",
                "eligibility_description",
                "fees_description",
            )
        }

    def __init__(self, *args, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["response_days"].help_text = _("Empty: %(days)d working days.") % {
            "days": DEFAULT_RESPONSE_DAYS
        }
        self.fields["category"].choices = [("", "—")] + [
            (term.code, term_name(term, language)) for term in finder.category_terms()
        ]
        self.fields["languages"].choices = [
            (code, language_name(code)) for code in categories.SPOKEN_LANGUAGES
        ]
        service = self.instance
        if service.pk and not self.is_bound:
            self.initial.update(current_extras(service))


def current_extras(service):
    """The form's values that are not the service's own fields."""
    extras = {"version": service.version}
    codes = set(
        Attribute.objects.filter(link_id=service.pk).values_list("taxonomy_term__code", flat=True)
    )
    extras["category"] = next(
        (code for code in categories.TERMS[categories.CATEGORIES] if code in codes), ""
    )
    extras["free"] = "free-of-charge" in codes
    extras["languages"] = list(service.languages.values_list("code", flat=True))
    sal = service.service_at_locations.select_related("location").order_by("id").first()
    if sal is not None:
        location = sal.location
        address = location.addresses.order_by("id").first()
        extras.update(
            latitude=location.latitude,
            longitude=location.longitude,
            transportation=location.transportation,
            wheelchair=Attribute.objects.filter(
                link_id=location.pk, taxonomy_term__code="wheelchair-access"
            ).exists(),
        )
        if address is not None:
            extras.update(
                address_1=address.address_1, postal_code=address.postal_code, city=address.city
            )
    return extras


class HoursForm(forms.Form):
    days = forms.MultipleChoiceField(
        label=_("Days"), choices=DAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    opens = forms.TimeField(
        label=_("Opens"), required=False, widget=forms.TimeInput({"type": "time"}, format="%H:%M")
    )
    closes = forms.TimeField(
        label=_("Closes"), required=False, widget=forms.TimeInput({"type": "time"}, format="%H:%M")
    )

    def clean(self):
        data = super().clean()
        given = [data.get("days"), data.get("opens"), data.get("closes")]
        if any(given) and not all(given):
            raise forms.ValidationError(_("Give the days, the opening and the closing time."))
        return data

    def hours(self):
        data = self.cleaned_data
        if not data.get("days"):
            return None
        return Hours(days=data["days"], opens=data["opens"], closes=data["closes"])


HoursFormSet = forms.formset_factory(HoursForm, extra=2, max_num=10, absolute_max=10)


def hours_formset(data, service):
    initial = []
    if service is not None and service.pk:
        for schedule in service.schedules.order_by("opens_at", "id"):
            if (schedule.freq or "").upper() == "WEEKLY" and schedule.opens_at:
                initial.append(
                    {
                        "days": [d for d in (schedule.byday or "").split(",") if d],
                        "opens": schedule.opens_at,
                        "closes": schedule.closes_at,
                    }
                )
    return HoursFormSet(data, initial=initial, prefix="hours")


class TranslationForm(forms.Form):
    """A service's texts in one of the public pages' languages."""

    name = forms.CharField(label=_("Name"), required=False, max_length=300)
    description = forms.CharField(
        label=_("What the service offers"), required=False, widget=forms.Textarea({"rows": 4})
    )
    application_process = forms.CharField(
        label=_("How to apply"), required=False, widget=forms.Textarea({"rows": 2})
    )
    eligibility_description = forms.CharField(
        label=_("Who can come"), required=False, widget=forms.Textarea({"rows": 2})
    )
    fees_description = forms.CharField(
        label=_("Costs"), required=False, widget=forms.Textarea({"rows": 2})
    )


MAX_DATASET_MB = 100


class ImportForm(forms.Form):
    dataset = forms.FileField(
        label=_("Dataset"),
        help_text=_(
            "Open Referral HSDS 3.0: the API's JSON (.json, .ndjson) or the tabular package "
            "(datapackage.json and its CSV files) as a .zip."
        ),
    )

    def clean_dataset(self):
        dataset = self.cleaned_data["dataset"]
        if dataset.size > MAX_DATASET_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is too large: at most %(mb)s MB.") % {"mb": MAX_DATASET_MB}
            )
        return dataset


class ProfessionalForm(forms.Form):
    """A member's own entry in the catalogue of professionals, and what the network sees."""

    roles = forms.MultipleChoiceField(
        label=_("What you do"),
        choices=ProfessionalRole.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.CharField(
        label=_("Skills"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you work in"), required=False, widget=forms.CheckboxSelectMultiple
    )
    qualifications = forms.CharField(
        label=_("Qualifications"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions you work in"),
        required=False,
        choices=[(region, region) for region in REGIONS],
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.CharField(
        label=_("When you are available"), required=False, max_length=300
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.EmailField(label=_("E-mail"), required=False)
    listed = forms.BooleanField(
        label=_("List me in the network's catalogue"),
        required=False,
        help_text=_("Unticked, only your colleagues see your entry."),
    )
    shared = forms.MultipleChoiceField(
        label=_("What other organisations may see besides your name, organisation and roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = [
            (code, language_name(code)) for code in categories.SPOKEN_LANGUAGES
        ]
        self.fields["shared"].choices = [(name, self.fields[name].label) for name in SHAREABLE]


def professional_initial(profile):
    if profile is None:
        return {"listed": True, "shared": ["languages", "regions", "skills"]}
    return profile_values(profile)


class ProfessionalSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    role = forms.ChoiceField(label=_("Role"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["role"].choices = anything + list(ProfessionalRole.choices)
        self.fields["language"].choices = anything + [
            (code, language_name(code)) for code in categories.SPOKEN_LANGUAGES
        ]
        self.fields["region"].choices = anything + [(region, region) for region in REGIONS]
