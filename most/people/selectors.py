"""Reading persons and households. Everything starts from the policy querysets."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Prefetch
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_countries import countries
from rapidfuzz.distance import OSA

from most.audit.models import AuditEntry
from most.audit.selectors import entries_shown, persons_recently_viewed_by
from most.lib import names, statistics
from most.lib.errors import NotFound

from . import policy
from .matching import RankedMatches, Word, prefix_condition, word_statistics
from .models import (
    PERSON_FIELDS,
    Consent,
    Household,
    HouseholdMember,
    Person,
    PersonLanguage,
    SearchVariant,
)
from .taxonomy import ResidenceStatus

_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$|^(\d{4})-(\d{1,2})-(\d{1,2})$")
_PHONE = re.compile(r"^\+?[\d\s/().-]{5,}$")


# Persons a list page shows; also as many as the API gives a role that may not export.
PAGE_SIZE = 25


@dataclass(frozen=True)
class PersonQuery:
    text: str = ""
    residence_status: str = ""
    municipality: str = ""
    language: str = ""


# Keys shorter than this are too short to tell a misspelling from another name ('f:al'), and
# match too many persons to be worth matching as one: a skeleton of three consonants ('s:krm')
# is one letter away from dozens of others, unlike a name of three letters.
SIMILAR_MIN_LENGTH = {"f:": 5, "s:": 6}
SIMILAR_PER_WORD = 50


def _similar_keys(organisation_id, words):
    """{word: the organisation's name keys one edit away} (swapping two letters is one edit).

    Looked up by deletion (SearchVariant): a few exact lookups in one index per word."""
    targets = {}
    for word in words:
        for key in (f"f:{word}", f"s:{names.skeleton(word)}"):
            if len(key) >= SIMILAR_MIN_LENGTH[key[:2]]:
                targets[key] = word
    found = {word: [] for word in words}
    if not targets:
        return found
    variants = {key: names.deletion_variants(key) for key in targets}
    candidates = {}
    for variant, key in SearchVariant.objects.filter(
        organisation=organisation_id, variant__in=set().union(*variants.values())
    ).values_list("variant", "key"):
        candidates.setdefault(variant, set()).add(key)
    for target, word in targets.items():
        near = set().union(*(candidates.get(variant, ()) for variant in variants[target]))
        near = sorted(
            (OSA.distance(target, key), key)
            for key in near
            if key != target and OSA.distance(target, key) <= 1
        )
        found[word].extend(key for _distance, key in near[:SIMILAR_PER_WORD])
    return found


def _parse_date(token):
    match = _DATE.match(token)
    if not match:
        return None
    day, month, year = (
        (match[1], match[2], match[3]) if match[1] else (match[6], match[5], match[4])
    )
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _split_query(text):
    """(name words, birth dates, birth years, phone digits) of what a counsellor typed."""
    text = " ".join(text.split())[:200]
    if _PHONE.match(text) and sum(c.isdigit() for c in text) >= 5 and not _parse_date(text):
        digits = names.phone_digits(text)
        if not (len(digits) == 4 and " " not in text):  # a lone year is not a phone number
            return [], [], [], digits
    words, dates, years = [], [], []
    for token in text.split(" "):
        if day := _parse_date(token):
            dates.append(day)
        elif token.isdigit() and len(token) == 4:
            years.append(int(token))
        else:
            words.extend(names.query_words(token))
    return words, dates, years, ""


class SearchPages:
    """A search result as a paginator reads it: its count, and one page at a time.

    prepare adds what the caller shows of each person (related rows) to the page's queryset:
    pages of a name search read only what it asks for. Counted up to LIMIT ("1,000+": the
    pages go as far), unless exact (the API pages through everything).
    """

    LIMIT = 1000

    def __init__(self, result, prepare=None, exact=False):
        self.result = result
        self.prepare = prepare or (lambda persons: persons)
        self.exact = exact
        if result.ranked is not None:
            result.ranked.exact = exact
        self._count = None

    def count(self):
        if self._count is None:
            if self.result.ranked is not None:
                self._count = self.result.ranked.count()
            elif self.exact:
                self._count = self.result.persons.count()
            else:
                self._count = self.result.persons.all()[: self.LIMIT + 1].count()
        return min(self._count, self.LIMIT) if not self.exact else self._count

    @property
    def capped(self):
        """More matches than counted: the page says "1,000+"."""
        if self.result.ranked is not None:
            return self.result.ranked.capped
        self.count()
        return not self.exact and self._count > self.LIMIT

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if self.result.ranked is None:
            return list(self.prepare(self.result.persons)[index])
        ids = self.result.ranked.ids(index.start or 0, index.stop)
        persons = self.prepare(self.result.page_persons.filter(pk__in=ids).order_by())
        by_id = {person.pk: person for person in persons}
        return [by_id[pk] for pk in ids if pk in by_id]


@dataclass
class SearchResult:
    # Builds the queryset of every match, alphabetically (exports, short lists); built only when
    # asked for, since the list page reads a name search's pages from `ranked`.
    all_matches: Callable
    similar: bool = False  # True when the words matched similar names, not only the typed ones
    # For a name search: the matches best first, read page by page from the key index, and the
    # queryset that reads those pages' persons.
    ranked: RankedMatches | None = None
    page_persons: object = None

    @cached_property
    def persons(self):
        return self.all_matches()

    def pages(self, prepare=None, exact=False):
        return SearchPages(self, prepare, exact)


def _matching_every_word(keys, conditions):
    """The keys matching the first condition, of persons with keys matching every other."""
    first, *others = conditions
    matching = keys.filter(first)
    for condition in others:
        matching = matching.filter(person_id__in=keys.filter(condition).values("person_id"))
    return matching


def _by_words(member, persons, texts, filtered):
    """The persons matching every name word; filtered: persons is filtered by other fields."""
    organisation = policy.searchable_organisation(member)
    if organisation is None:
        return SearchResult(persons.none)
    statistics = word_statistics(organisation, [Word(text) for text in texts])
    # A word no name begins with as typed is probably misspelt: it also matches similar names.
    unknown = [text for text in texts if not statistics[text].known]
    similar = _similar_keys(organisation, unknown) if unknown else {}

    def rank(similar):
        words = [Word(text, tuple(similar.get(text, ()))) for text in texts]
        return words, RankedMatches(organisation, words, statistics, persons if filtered else None)

    words, ranked = rank(similar)
    if not ranked.count() and len(unknown) < len(texts):
        # Nothing as typed: perhaps a word is misspelt although some name begins with it.
        similar |= _similar_keys(organisation, [text for text in texts if text not in similar])
        words, ranked = rank(similar)
        unknown = texts

    def all_matches():
        matching = _matching_every_word(
            policy.search_keys_owned_by(member), [word.condition() for word in words]
        )
        return persons.filter(pk__in=matching.values("person_id")).order_by("sort_name", "pk")

    return SearchResult(
        all_matches,
        similar=bool(unknown),
        ranked=ranked,
        page_persons=policy.persons_owned_by(member),
    )


def person_search(member, query: PersonQuery) -> SearchResult:
    """The member's organisation's persons matching the query.

    Names match by any part, in any script and its transliterations; names spelt as typed come
    first, then alphabetically. When nothing matches, the search tolerates a misspelling
    (SearchResult.similar tells the page to say so).
    """
    persons = policy.persons_owned_by(member)
    filtered = bool(query.residence_status or query.municipality or query.language)
    if query.residence_status:
        persons = persons.filter(residence_status=query.residence_status)
    if query.municipality:
        persons = persons.filter(municipality=query.municipality)
    if query.language:
        persons = persons.filter(
            pk__in=PersonLanguage.objects.filter(language=query.language).values("person_id")
        )
    words, dates, years, phone = _split_query(query.text)
    if phone:
        keys = policy.search_keys_owned_by(member).filter(prefix_condition(f"p:{phone}"))
        persons = persons.filter(pk__in=keys.values("person_id"))
    for day in dates:
        persons = persons.filter(birth_date=day)
    for year in years:
        persons = persons.filter(birth_year=year)
    filtered |= bool(phone or dates or years)
    persons = persons.select_related("membership__household")
    if words:
        return _by_words(member, persons, list(dict.fromkeys(words)), filtered)
    return SearchResult(lambda: persons.order_by("sort_name", "pk"))


def with_household(persons):
    """What a list of candidates shows of each person: the household they live in now."""
    return persons.select_related("membership__household")


def municipalities_of(member):
    """The municipalities the member's organisation's persons live in (for the filter).

    A few hundred names among all of an organisation's persons: rather than read every entry of
    the (organisation, municipality) index, jump from each name to the next one.
    """
    organisation = policy.searchable_organisation(member)
    if organisation is None:
        return []
    table = connection.ops.quote_name(Person._meta.db_table)
    # Only the table's name is put into the text; the values are parameters.
    after = (
        f"SELECT MIN(municipality) FROM {table} "  # noqa: S608
        "WHERE organisation_id = %s AND municipality >"
    )
    sql = (
        f"WITH RECURSIVE names(name) AS (SELECT ({after} %s) UNION ALL "  # noqa: S608
        f"SELECT ({after} names.name) FROM names WHERE names.name IS NOT NULL) "
        "SELECT name FROM names WHERE name IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation, "", organisation])
        return [name for (name,) in cursor.fetchall()]


def person_for(member, pk) -> Person:
    """One person the member may read, with what the detail page shows; NotFound otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("not found") from None
    person = (
        policy.persons_visible_to(member)
        .select_related("organisation", "membership__household", "created_by")
        .prefetch_related(
            "aliases",
            "languages",
            "vulnerabilities",
            Prefetch("consents", queryset=Consent.objects.select_related("organisation")),
            Prefetch(
                "membership__household__members",
                queryset=HouseholdMember.objects.select_related("person").order_by("pk"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise NotFound("not found")
    return person


def shared_data(member, person):
    """What another organisation sees of a person shared with it, as (label, value) rows: each
    field the grants share besides the name, in the order of the record. None for an own record.

    The page shows these rows; the API's representation leaves out the same fields (both ask
    policy.person_fields_visible_to)."""
    fields = policy.person_fields_visible_to(member, person)
    if fields is None:
        return None
    rows = []
    for name in PERSON_FIELDS:
        if name in fields and name not in policy.IDENTITY_FIELDS:
            field = Person._meta.get_field(name)
            rows.append((capfirst(field.verbose_name), _display(person, field)))
    if "languages" in fields:
        spoken = [row.get_language_display() for row in person.languages.all()]
        rows.append((_("Languages"), ", ".join(spoken) or "–"))
    return rows


def _display(person, field):
    value = getattr(person, field.name)
    if field.choices and value not in (None, ""):  # countries too
        return getattr(person, f"get_{field.name}_display")()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return value if value not in (None, "") else "–"


def household_for(member, pk) -> Household:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("not found") from None
    household = (
        policy.households_visible_to(member)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=HouseholdMember.objects.select_related("person").order_by(
                    "person__birth_year", "pk"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if household is None:
        raise NotFound("not found")
    return household


def households_of(member, text=""):
    households = policy.households_visible_to(member)
    if conditions := [Word(word).condition() for word in names.query_words(text)]:
        matching = _matching_every_word(policy.search_keys_owned_by(member), conditions)
        households = households.filter(members__person__in=matching.values("person_id"))
        households = households.distinct()
    return households.prefetch_related(
        Prefetch("members", queryset=HouseholdMember.objects.select_related("person"))
    ).order_by("name", "pk")


EXPORT_COLUMNS = (
    ("id", "pk"),
    ("given_name", "given_name"),
    ("family_name", "family_name"),
    ("given_name_latin", "given_name_latin"),
    ("family_name_latin", "family_name_latin"),
    ("birth_date", "birth_date"),
    ("birth_year", "birth_year"),
    ("sex", "sex"),
    ("country_of_origin", "country_of_origin"),
    ("citizenship", "citizenship"),
    ("residence_status", "residence_status"),
    ("residence_valid_until", "residence_valid_until"),
    ("slovenian_level", "slovenian_level"),
    ("municipality", "municipality"),
    ("address", "address"),
    ("phone", "phone"),
    ("email", "email"),
    ("preferred_language", "preferred_language"),
    ("interpreter_needed", "interpreter_needed"),
)


def _plain(value):
    """A value a spreadsheet cell holds: text, number, date (a country becomes its code)."""
    if value is None or isinstance(value, str | int | float | datetime.date):
        return value
    return str(value)


def person_export_rows(persons):
    """(header, rows) of an export: stable column names and codes, read in chunks."""
    header = [name for name, _attribute in EXPORT_COLUMNS] + ["household"]

    def rows():
        for person in persons.iterator(chunk_size=2000):
            household = getattr(getattr(person, "membership", None), "household", None)
            yield [_plain(getattr(person, attribute)) for _name, attribute in EXPORT_COLUMNS] + [
                household.name if household else ""
            ]

    return header, rows()


# --- What needs attention, what was recent ---------------------------------------------------

REMINDER_DAYS = 60


@dataclass(frozen=True)
class Reminder:
    """A residence status or a consent of one person that ends soon."""

    person_id: int
    name: str
    native: str  # the name in its own script, when it differs
    native_language: str  # what a screen reader reads the native name in
    kind: str  # "residence" or "consent"
    what: str  # the status or the consent's purpose, translated
    ends_on: datetime.date


def _reminder_names(person):
    if not person.native_name_differs:
        return person.latin_name, "", ""
    return person.latin_name, person.native_name, person.native_name_language


_NAME_FIELDS = (
    "given_name",
    "family_name",
    "given_name_latin",
    "family_name_latin",
    "country_of_origin",
)


def residence_ending(member, within_days=REMINDER_DAYS):
    """The member's organisation's persons whose residence status ends within the days, soonest
    first (a queryset: page it or slice it)."""
    if not policy.can_see_reminders(member):
        return Person.objects.none()
    today = timezone.localdate()
    return (
        policy.persons_owned_by(member)
        .filter(residence_valid_until__range=(today, today + datetime.timedelta(within_days)))
        .only(*_NAME_FIELDS, "residence_status", "residence_valid_until")
        .order_by("residence_valid_until", "sort_name", "pk")
    )


def consents_ending(member, within_days=REMINDER_DAYS):
    """Consents given to the member's organisation that expire within the days and were not
    withdrawn, soonest first."""
    if not policy.can_see_reminders(member):
        return Consent.objects.none()
    today = timezone.localdate()
    return (
        policy.consents_kept_by(member)
        .filter(
            expires_on__range=(today, today + datetime.timedelta(within_days)),
            withdrawn_on__isnull=True,
        )
        .select_related("person")
        .only(*(f"person__{name}" for name in _NAME_FIELDS), "purpose", "expires_on", "person_id")
        .order_by("expires_on", "person__sort_name", "pk")
    )


def reminders_of(persons=(), consents=()) -> list[Reminder]:
    """Residence statuses and consents as one list, soonest first."""
    reminders = []
    for person in persons:
        reminders.append(
            Reminder(
                person.pk,
                *_reminder_names(person),
                "residence",
                person.residence_status_label,
                person.residence_valid_until,
            )
        )
    for consent in consents:
        reminders.append(
            Reminder(
                consent.person_id,
                *_reminder_names(consent.person),
                "consent",
                consent.get_purpose_display(),
                consent.expires_on,
            )
        )
    return sorted(reminders, key=lambda reminder: (reminder.ends_on, reminder.name))


def persons_recently_registered(member, limit=8):
    return list(
        policy.persons_owned_by(member)
        .only(*_NAME_FIELDS, "created_at")
        .order_by("-created_at", "-pk")[:limit]
    )


def persons_recently_viewed(member, limit=8):
    """The persons whose records the member opened last, most recent first (the audit trail
    knows), among those the member may still read."""
    ids = persons_recently_viewed_by(member, limit)
    if not ids:
        return []
    persons = policy.persons_visible_to(member).filter(pk__in=ids).only(*_NAME_FIELDS)
    by_id = {person.pk: person for person in persons}
    return [by_id[pk] for pk in ids if pk in by_id]


def registry_statistics(member):
    """Counts of the member's organisation's persons, small cells suppressed; None when the
    member may not see statistics. Read at most every few minutes (a cache)."""
    if not policy.can_view_statistics(member):
        return None
    organisation = member.organisation_id
    counts = cache.get_or_set(
        f"registry-statistics:{organisation}",
        lambda: _registry_counts(organisation),
        timeout=STATISTICS_CACHE_SECONDS,
    )
    not_recorded = _("not recorded")
    return {
        "total": statistics.suppressed_total(counts["total"]),
        "by_country": _labelled(
            counts["country"], lambda code: countries.name(code) if code else not_recorded
        ),
        "by_status": _labelled(
            counts["status"], lambda code: ResidenceStatus(code).label if code else not_recorded
        ),
        "by_age": _labelled(
            counts["age"], lambda group: not_recorded if group == "unknown" else group
        ),
    }


def _labelled(counts, label):
    return [
        statistics.Cell(str(label(cell.label)), cell.count)
        for cell in statistics.suppressed(counts)
    ]


STATISTICS_CACHE_SECONDS = 300
AGE_GROUPS = ((0, 5), (6, 14), (15, 17), (18, 24), (25, 44), (45, 64), (65, None))


def _registry_counts(organisation):
    persons = Person.objects.filter(organisation=organisation)
    today = timezone.localdate()

    def grouped(field):
        return dict(persons.values_list(field).annotate(n=Count("pk")).order_by())

    by_year = grouped("birth_year")
    ages = dict.fromkeys([age_label(*group) for group in AGE_GROUPS] + ["unknown"], 0)
    for year, count in by_year.items():
        ages[age_group(None if year is None else today.year - year)] += count
    return {
        "total": sum(by_year.values()),
        "country": {code or "": n for code, n in grouped("country_of_origin").items()},
        "status": grouped("residence_status"),
        "age": ages,
    }


def age_label(low, high):
    return f"{low}+" if high is None else f"{low}–{high}"


def age_group(age):
    if age is None:
        return "unknown"
    for low, high in AGE_GROUPS:
        if age >= low and (high is None or age <= high):
            return age_label(low, high)
    return "unknown"


HISTORY_PAGE_SIZE = 50


def person_history(member, person, page_number):
    """A page of the record's history, newest first, as the member may see it: every value of
    a field the member may see, never a sensitive one's ("changed")."""
    entries = (
        AuditEntry.objects.filter(person_id=person.pk, subject_organisation=person.organisation_id)
        .select_related("actor", "organisation")
        .order_by("-at", "-pk")
    )
    page = Paginator(entries, HISTORY_PAGE_SIZE).get_page(page_number)
    page.object_list = entries_shown(
        page.object_list,
        organisation_id=member.organisation_id,
        visible_fields=policy.person_fields_visible_to(member, person),
    )
    return page
