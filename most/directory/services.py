"""Changing the catalogue."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from most.audit.models import AuditAction
from most.audit.services import audit_record

from . import categories, hsds_import
from .models import Taxonomy, TaxonomyTerm
from .selectors import search_text


def catalogue_import(*, dataset, name, owner=None, actor=None, progress=None):
    """Write a dataset read by hsds_import (all or nothing) and log it; returns the Outcome.
    owner: the network member that keeps the organisations it brings."""
    with transaction.atomic():
        outcome = hsds_import.apply(dataset, owner=owner, progress=progress)
        if outcome.ok:
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                organisation=owner,
                object_type="directory.dataset",
                object_repr=name,
                facts={"imported": outcome.counts},
            )
    return outcome


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


def service_translate(service, language, texts):
    """Keep the service's texts in another language (a text left empty is dropped)."""
    if language not in categories.LANGUAGES or language == service.original_language:
        raise ValidationError(_("Not a language the catalogue is translated into."))
    unknown = set(texts) - set(TRANSLATED)
    if unknown:
        raise ValidationError(_("Not a text of a service: %(f)s.") % {"f": ", ".join(unknown)})
    kept = {name: text.strip() for name, text in texts.items() if text and text.strip()}
    translations = dict(service.translations)
    if kept:
        translations[language] = kept
    else:
        translations.pop(language, None)
    service.translations = translations
    service.search_text = service_search_text(service)
    service.last_modified = timezone.now()
    service.save(update_fields=["translations", "search_text", "last_modified"])
    return service


def service_search_text(service):
    texts = [service.name, service.alternate_name, service.description]
    for translated in service.translations.values():
        texts += [translated.get("name"), translated.get("alternate_name")]
        texts.append(translated.get("description"))
    texts.append(service.organization.name)
    return search_text(*texts)


def network_taxonomies_ensure():
    """The network's categories and features, as migration 0002 writes them: for a database
    emptied since (a test's flush)."""
    categories.write(Taxonomy, TaxonomyTerm)
