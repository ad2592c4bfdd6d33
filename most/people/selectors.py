"""Reading persons and households. Everything starts from the policy querysets."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_

from django.db import connection
from django.db.models import Prefetch, Q
from rapidfuzz import process
from rapidfuzz.distance import OSA

from most.lib import names
from most.lib.errors import NotFound

from . import policy
from .matching import RankedMatches, Word, prefix_condition, word_statistics
from .models import (
    Consent,
    Household,
    HouseholdMember,
    Person,
    PersonLanguage,
    SearchVocabulary,
)

_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$|^(\d{4})-(\d{1,2})-(\d{1,2})$")
_PHONE = re.compile(r"^\+?[\d\s/().-]{5,}$")


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


def _similar_keys(words):
    """{word: vocabulary keys a small edit distance away} (swapping two letters counts as one)."""
    targets = []
    for word in words:
        for key, limit in (
            (f"f:{word}", 1 if len(word) <= 5 else 2),
            (f"s:{names.skeleton(word)}", 1),
        ):
            if len(key) >= SIMILAR_MIN_LENGTH[key[:2]]:
                targets.append((word, key, limit))
    found = {word: [] for word in words}
    if not targets:
        return found
    condition = reduce(
        or_,
        (
            Q(
                key__startswith=key[:2],
                length__gte=max(SIMILAR_MIN_LENGTH[key[:2]], len(key) - limit),
                length__lte=len(key) + limit,
            )
            for _word, key, limit in targets
        ),
    )
    candidates = list(SearchVocabulary.objects.filter(condition).values_list("key", "length"))
    for word, key, limit in targets:
        same_kind = [
            candidate
            for candidate, length in candidates
            if candidate[:2] == key[:2] and abs(length - len(key)) <= limit
        ]
        matches = process.extract(key, same_kind, scorer=OSA.distance, score_cutoff=limit, limit=50)
        found[word].extend(match for match, _distance, _index in matches)
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
    pages of a name search read only what it asks for.
    """

    def __init__(self, result, prepare=None):
        self.result = result
        self.prepare = prepare or (lambda persons: persons)

    def count(self):
        if self.result.ranked is not None:
            return self.result.ranked.count()
        return self.result.persons.count()

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

    def pages(self, prepare=None):
        return SearchPages(self, prepare)


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
    similar = _similar_keys(unknown) if unknown else {}

    def rank(similar):
        words = [Word(text, tuple(similar.get(text, ()))) for text in texts]
        return words, RankedMatches(organisation, words, statistics, persons if filtered else None)

    words, ranked = rank(similar)
    if not ranked.count() and len(unknown) < len(texts):
        # Nothing as typed: perhaps a word is misspelt although some name begins with it.
        similar |= _similar_keys([text for text in texts if text not in similar])
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


def person_export_rows(persons):
    """(header, rows) of an export: stable column names and codes, read in chunks."""
    header = [name for name, _attribute in EXPORT_COLUMNS] + ["household"]

    def rows():
        for person in persons.iterator(chunk_size=2000):
            household = getattr(getattr(person, "membership", None), "household", None)
            yield [getattr(person, attribute) for _name, attribute in EXPORT_COLUMNS] + [
                household.name if household else ""
            ]

    return header, rows()
