from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from . import finder
from .texts import term_name

# Languages spoken at services that Django's list of languages leaves out.
MORE_LANGUAGES = {"ps": _("Pashto")}


def language_name(code):
    """A language's name in the visitor's language (Django knows most), else its code."""
    if code in MORE_LANGUAGES:
        return str(MORE_LANGUAGES[code])
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


class FinderForm(forms.Form):
    """The finder's search box and filters; every choice comes from the catalogue."""

    q = forms.CharField(label=_("What are you looking for?"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Kind of service"), required=False)
    language = forms.ChoiceField(label=_("Language spoken"), required=False)
    town = forms.ChoiceField(label=_("Town"), required=False)
    open = forms.BooleanField(label=_("Open now"), required=False)
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    wheelchair = forms.BooleanField(label=_("Wheelchair access"), required=False)

    def __init__(self, *args, language, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        # The finder's cards name the categories too: read once.
        self.category_terms = finder.category_terms()
        self.fields["category"].choices = anything + [
            (term.code, term_name(term, language)) for term in self.category_terms
        ]
        self.fields["language"].choices = anything + sorted(
            ((code, language_name(code)) for code in finder.spoken_languages()),
            key=lambda choice: str(choice[1]).casefold(),
        )
        self.fields["town"].choices = anything + [(town, town) for town in finder.towns()]

    def query(self):
        data = self.cleaned_data if self.is_valid() else {}
        return finder.Query(
            text=data.get("q", ""),
            category=data.get("category", ""),
            language=data.get("language", ""),
            town=data.get("town", ""),
            open_now=data.get("open", False),
            free=data.get("free", False),
            wheelchair=data.get("wheelchair", False),
        )
