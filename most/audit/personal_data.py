"""What each app holds about a person, and how it is exported and erased.

Every app that keeps a record about a person registers its models here, from its
`personal_data` module, loaded by its AppConfig.ready(): which model, how it reaches the person,
why it is kept (the records of processing, GDPR Art. 30), which of its fields are too sensitive to
copy into the audit trail, and how its rows are erased. The data subject's export and erasure
(the `privacy` app) and the records of processing read this registry only, so a new app is
covered by registering its models; a test fails for any model that points at a person without
being registered.

This module sits in the audit app, the bottom of the app graph, so that every app can register
without importing the apps above it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class Holding:
    """One model's data about persons."""

    model: type[models.Model]
    # The lookup from the model to the person's id: "pk" for the person, "person",
    # "members__person" for a household, "person_id" for a plain number.
    person: str
    # For the records of processing (translatable, lazily).
    purpose: str
    categories: str
    legal_basis: str
    retention: str
    recipients: str = ""
    # Exported fields, in order; None: every concrete field. Never the person's secrets of
    # others (a psychosocial note is exported to the person it is about: it is theirs).
    fields: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    # Fields whose values the audit trail never records ("changed", without the value).
    sensitive: frozenset[str] = frozenset()
    # erase(person) removes or anonymises this model's data about the person, and returns the
    # audit subjects ("household:7") whose keys are to be destroyed with the person's; None:
    # the rows go with the person's (a cascade) or another holding's eraser sees to them.
    erase: Callable | None = None
    # export(person) -> list of dicts; None: the rows' `fields`.
    export: Callable | None = None
    # Derived data (search keys) is listed in the records of processing but not exported.
    exported: bool = True

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def rows_of(self, person_id):
        return self.model._default_manager.filter(**{self.person: person_id})

    def export_rows(self, person) -> list[dict]:
        if self.export is not None:
            return self.export(person)
        names = self.fields or tuple(
            f.attname
            for f in self.model._meta.concrete_fields
            if f.attname != "id" and f.name not in self.exclude
        )
        return list(self.rows_of(person.pk).order_by("pk").values("pk", *names))


@dataclass
class _Registry:
    holdings: dict[str, Holding] = field(default_factory=dict)
    # Work an erasure does beyond the rows of a model: files of exports, caches.
    erasers: list[Callable] = field(default_factory=list)


_registry = _Registry()


def register(model, **options) -> Holding:
    holding = Holding(model=model, **options)
    _registry.holdings[holding.label] = holding
    return holding


def register_eraser(function: Callable) -> Callable:
    """function(person) runs in every erasure, after the holdings' erasers (as they do, it may
    return audit subjects whose keys are to be destroyed)."""
    if function not in _registry.erasers:
        _registry.erasers.append(function)
    return function


def holdings() -> list[Holding]:
    return list(_registry.holdings.values())


def erasers() -> list[Callable]:
    return list(_registry.erasers)


def holding_of(label: str) -> Holding | None:
    return _registry.holdings.get(label)


def sensitive_fields(object_type: str) -> frozenset[str]:
    holding = _registry.holdings.get(object_type)
    return holding.sensitive if holding else frozenset()


def unregistered_models(candidates=None) -> list[str]:
    """The models that point at a person (a foreign key to a registered model that is the
    person itself, or a field named person / person_id) without being registered: their rows
    would be missing from the export and outlive an erasure."""
    from django.apps import apps

    persons = {h.model for h in _registry.holdings.values() if h.person == "pk"}
    missing = []
    for model in apps.get_models() if candidates is None else candidates:
        if model._meta.label_lower in _registry.holdings:
            continue
        for model_field in model._meta.concrete_fields:
            points_at_person = model_field.is_relation and model_field.related_model in persons
            if points_at_person or model_field.name in ("person", "person_id"):
                missing.append(model._meta.label_lower)
                break
    return missing
