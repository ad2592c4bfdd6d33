"""A person's timeline: everything that happened to them, newest first, from every app.

The people app sits below the apps that add to it (programmes, casework) and does not import
them: each registers, from its AppConfig.ready(), a function (member, person) that returns the
querysets of what that member may see, each made into rows by `rows()`. The timeline is their
UNION ALL, ordered and cut into pages by the database: a page costs two queries (the count and
the page) however long the person's history is.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import CharField, DateField, F, IntegerField, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from . import policy
from .models import SITUATION_VALUES, Consent, ConsentPurpose, Situation, SituationKind

_providers: list[Callable] = []
_describers: dict[str, Callable] = {}
PER_PAGE = 20


def register_timeline(provider: Callable, describers: dict[str, Callable] | None = None):
    """provider(member, person) -> [querysets made by rows()]; describers: {kind: function
    (text, detail) -> the entry in words}, for the kinds the provider's rows have."""
    if provider not in _providers:
        _providers.append(provider)
    _describers.update(describers or {})
    return provider


def _column(value, output):
    """A field's name, an expression, or nothing (an empty string)."""
    if not value:
        return Value("", output_field=CharField())
    return Cast(F(value) if isinstance(value, str) else value, output)


def rows(queryset, *, day, kind, text=None, detail=None, ref="pk"):
    """The queryset as timeline rows: day (a date), kind (a fixed word such as "consent"), ref
    (an id), text and detail (codes or short strings the kind's describer puts in words). day,
    text and detail are field names or expressions."""
    return (
        queryset.order_by()
        .annotate(
            t_day=_column(day, DateField()),
            t_kind=Value(kind, output_field=CharField()),
            t_ref=_column(ref, IntegerField()),
            t_text=_column(text, CharField()),
            t_detail=_column(detail, CharField()),
        )
        .values_list("t_day", "t_kind", "t_ref", "t_text", "t_detail")
    )


@dataclass(frozen=True)
class Entry:
    day: object
    kind: str
    ref: int
    text: str


def _people_rows(member, person):
    return [
        rows(
            Situation.objects.filter(person=person),
            day="since",
            kind="situation",
            text="kind",
            detail="value",
        ),
        rows(
            Consent.objects.filter(person=person, organisation=member.organisation_id),
            day="given_on",
            kind="consent",
            text="purpose",
        ),
        rows(
            Consent.objects.filter(
                person=person, organisation=member.organisation_id, withdrawn_on__isnull=False
            ),
            day="withdrawn_on",
            kind="consent.withdrawn",
            text="purpose",
        ),
    ]


def _situation(text, detail):
    kind = SituationKind(text)
    try:
        value = SITUATION_VALUES[kind](detail).label
    except ValueError:
        value = detail
    return f"{kind.label}: {value}"


def _consent(text, detail):
    return _("Consent given: %(purpose)s") % {"purpose": ConsentPurpose(text).label}


def _consent_withdrawn(text, detail):
    return _("Consent withdrawn: %(purpose)s") % {"purpose": ConsentPurpose(text).label}


def timeline_page(member, person, page_number=None):
    """One page of the person's timeline for the member (their own organisation's record)."""
    if not policy.can_view_history(member, person):
        return None
    querysets = _people_rows(member, person)
    for provider in _providers:
        querysets.extend(provider(member, person))
    union = querysets[0].union(*querysets[1:], all=True).order_by("-t_day", "-t_kind", "-t_ref")
    page = Paginator(union, PER_PAGE).get_page(page_number)
    page.object_list = [_entry(row) for row in page.object_list]
    return page


def _entry(row):
    day, kind, ref, text, detail = row
    describe = _describers.get(kind) or _describers.get(kind.split(".")[0])
    words = describe(text, detail) if describe else text
    return Entry(day=day, kind=kind, ref=ref, text=str(words))


_describers.update(
    {"situation": _situation, "consent": _consent, "consent.withdrawn": _consent_withdrawn}
)
