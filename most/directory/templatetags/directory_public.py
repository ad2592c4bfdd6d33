from django import template
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
