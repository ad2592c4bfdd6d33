"""A record's texts in the visitor's language: its own translation where there is one, else
English, else the language it was written in, each text marked with the language it is in."""

from dataclasses import dataclass

FALLBACK = "en"
# The texts of a service a translation may give.
TRANSLATED = (
    "name",
    "alternate_name",
    "description",
    "application_process",
    "eligibility_description",
    "fees_description",
    "interpretation_services",
    "wait_time",
    "alert",
)


@dataclass(frozen=True)
class Text:
    text: str
    language: str
    # The visitor's language, when the text is not in it (the page says so).
    missing: str | None = None

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)


def texts(record, language, fields, original="sl"):
    """{field: Text} of the record's fields for a visitor reading `language`."""
    original = getattr(record, "original_language", original)
    translations = record.translations or {}
    order = [language, FALLBACK, original] if language != original else [original]
    found = {}
    for field in fields:
        for candidate in order:
            if candidate == original:
                value = getattr(record, field, "")
            else:
                value = translations.get(candidate, {}).get(field, "")
            if value:
                missing = language if candidate != language else None
                found[field] = Text(value, candidate, missing)
                break
        else:
            found[field] = Text("", language)
    return found


def term_name(term, language):
    """A taxonomy term's name in the visitor's language, else in Slovenian (its own name)."""
    return (term.translations or {}).get(language) or term.name
