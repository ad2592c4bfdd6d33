from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from most.directory.forms import language_name
from most.directory.texts import term_name

register = template.Library()


@register.simple_tag
def term_label(term):
    return term_name(term, get_language())


@register.simple_tag
def language_names(codes):
    return ", ".join(language_name(code) for code in codes)


@register.simple_tag
def untranslated_notice(text):
    """Says that a text is not in the visitor's language, and which language it is in."""
    return _("Not yet translated into your language; shown in: %(shown)s.") % {
        "shown": language_name(text.language),
    }


@register.simple_tag
def select_options(bound_field):
    """A select's options, written at once: the finder's town list has hundreds, and Django's
    option template per option would cost more than the search."""
    current = str(bound_field.value() or "")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == current else "", label)  # noqa: S308
            for value, label in bound_field.field.choices
        ),
    )
