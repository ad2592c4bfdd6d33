"""Reading persons and households. Everything starts from the policy querysets."""

import datetime
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Prefetch, Q, Value, When
from rapidfuzz import process
from rapidfuzz.distance import OSA

from most.lib import names
from most.lib.errors import NotFound

from . import policy
from .models import (
    Consent,
    Household,
    HouseholdMember,
    Person,
    PersonLanguage,
    PersonSearchKey,
    SearchVocabulary,
)

# Keys hold only a-z, 0-9 and ':', all below '~' in byte order (SQLite's BINARY collation and
# the "C" collation the key column gets on PostgreSQL), so [prefix, prefix + '~') is every key
# that starts with prefix: an index range scan on both databases.
_AFTER = "~"
_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$|^(\d{4})-(\d{1,2})-(\d{1,2})$")
_PHONE = re.compile(r"^\+?[\d\s/().-]{5,}$")


@dataclass(frozen=True)
class PersonQuery:
    text: str = ""
    residence_status: str = ""
    municipality: str = ""
    language: str = ""


@dataclass
class SearchResult:
    persons: object  # a queryset, ordered
    similar: bool = False  # True when the words matched similar names, not only the typed ones
    count: int | None = None  # how many persons, when the search had to count them anyway


def _prefix(key_prefix):
    return Q(key__gte=key_prefix, key__lt=key_prefix + _AFTER)


def _word_condition(word, tolerant=False):
    """Keys that match the word: as typed, by transliteration, and if tolerant, misspelt."""
    condition = _prefix(f"f:{word}")
    skeleton = names.skeleton(word)
    # A skeleton of two consonants is a whole short name (Olga, Olha: "lg"), not the start of
    # a longer one; as a prefix it would match half the registry.
    if len(skeleton) >= 3:
        condition |= _prefix(f"s:{skeleton}")
    elif len(skeleton) == 2:
        condition |= Q(key=f"s:{skeleton}")
    if tolerant and (similar := _similar_keys(word)):
        condition |= Q(key__in=similar)
    return condition


def _is_known(word):
    """Does any name begin with the word as typed? If not, it may well be misspelt."""
    return SearchVocabulary.objects.filter(_prefix(f"f:{word}")).exists()


def _similar_keys(word):
    """Vocabulary keys within a small edit distance (a swap of two letters counts as one)."""
    found = []
    skeleton = names.skeleton(word)
    for key, limit in ((f"f:{word}", 1 if len(word) <= 5 else 2), (f"s:{skeleton}", 1)):
        if len(key) < 5:  # too short to tell a misspelling from another name
            continue
        candidates = list(
            SearchVocabulary.objects.filter(
                key__startswith=key[:2], length__gte=len(key) - limit, length__lte=len(key) + limit
            ).values_list("key", flat=True)
        )
        matches = process.extract(
            key, candidates, scorer=OSA.distance, score_cutoff=limit, limit=50
        )
        found.extend(match for match, _distance, _index in matches)
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
            words.extend(names.words(token))
    return words, dates, years, ""


# A name query first collects the ids of the persons it matches from the key index. Up to this
# many, the page is then read by id; a broader query (a letter or two) is left to the database,
# which finds the first page quickly by walking the alphabetical index.
# Measured (bench/search.py): PostgreSQL reads thousands of ids by primary key quickly, while
# SQLite then prefers scanning the organisation's index, so it gets the database-side path sooner.
CANDIDATE_LIMITS = {"postgresql": 20_000}
CANDIDATE_LIMIT = 3_000
# Ranking by spelling is a CASE over the ids in SQL; beyond this many it costs more than it helps.
RANK_LIMIT = 3_000


def _candidate_limit():
    return CANDIDATE_LIMITS.get(connection.vendor, CANDIDATE_LIMIT)


@dataclass
class _Matches:
    ids: set  # persons matching every word
    as_typed: set  # of those, persons whose names match every word as typed, not transliterated


def _word_matches(word, tolerant):
    """(ids, ids as typed) of one word, or None when it matches too many keys to list."""
    # A plain range scan of the key index; narrowing it by the other words' persons
    # ("person_id IN ...") makes PostgreSQL pick a slower plan.
    keys = PersonSearchKey.objects.filter(_word_condition(word, tolerant))
    # Counting past the limit in the index is cheaper than reading rows only to drop them.
    # (A person has a few keys per word.)
    row_limit = 4 * _candidate_limit()
    if keys.values("pk")[row_limit : row_limit + 1].exists():
        return None
    rows = list(keys.values_list("person_id", "key"))
    typed_prefix = f"f:{word}"
    ids = {person_id for person_id, _key in rows}
    typed = {person_id for person_id, key in rows if key.startswith(typed_prefix)}
    return ids, typed


def _name_matches(words, tolerant) -> _Matches | None:
    """The persons matching every word, or None when they are too many to list."""
    matches = None
    # The longest word first: it usually matches fewest persons.
    for word in sorted(words, key=len, reverse=True):
        found = _word_matches(word, tolerant[word])
        if found is None:
            return None
        ids, typed = found
        if matches is None:
            matches = _Matches(ids, typed)
        else:
            matches.ids &= ids
            matches.as_typed &= typed
    # Only the persons matching every word count: "Olena Kovalenko" is narrow even when
    # thousands are called Kovalenko.
    return matches if matches is not None and len(matches.ids) <= _candidate_limit() else None


def _filter_by_words(persons, words, tolerant):
    """The database does the matching (for broad queries, where the ids would be too many)."""
    for word in words:
        keys = PersonSearchKey.objects.filter(_word_condition(word, tolerant[word]))
        persons = persons.filter(pk__in=keys.values("person_id"))
    return persons


def _match_words(persons, words, tolerant):
    """(persons matching every word, whether they can be ranked by spelling as typed)."""
    matches = _name_matches(words, tolerant)
    if matches is None:
        return _filter_by_words(persons, words, tolerant), False
    persons = persons.filter(pk__in=matches.ids)
    if len(matches.ids) > RANK_LIMIT:
        return persons, False
    ranked = persons.annotate(
        as_typed=Case(When(pk__in=matches.as_typed, then=Value(0)), default=Value(1))
    )
    return ranked, True


def person_search(member, query: PersonQuery) -> SearchResult:
    """The member's organisation's persons matching the query, alphabetically.

    Names match by any part, in any script and its transliterations; names spelt as typed come
    first. When nothing matches, the search tolerates a misspelling (SearchResult.similar tells
    the page to say so).
    """
    persons = policy.persons_owned_by(member)
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
        persons = persons.filter(
            pk__in=PersonSearchKey.objects.filter(_prefix(f"p:{phone}")).values("person_id")
        )
    for day in dates:
        persons = persons.filter(birth_date=day)
    for year in years:
        persons = persons.filter(birth_year=year)
    order = ["sort_name", "pk"]
    similar, count = False, None
    if words:
        # A word no name begins with is probably misspelt: it also matches similar names.
        tolerant = {word: not _is_known(word) for word in words}
        similar = any(tolerant.values())
        found, ranked = _match_words(persons, words, tolerant)
        count = found.count()
        if not count and not all(tolerant.values()):
            found, ranked = _match_words(persons, words, dict.fromkeys(words, True))
            similar, count = True, None
        persons = found
        if ranked:
            # Names spelt as typed come before other transliterations (Mohammed, Mahmood).
            order.insert(0, "as_typed")
    persons = persons.select_related("membership__household").order_by(*order)
    return SearchResult(persons, similar=similar, count=count)


def municipalities_of(member):
    """The municipalities the member's organisation's persons live in (for the filter)."""
    return list(
        policy.persons_owned_by(member)
        .exclude(municipality="")
        .order_by("municipality")
        .values_list("municipality", flat=True)
        .distinct()
    )


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
    if text:
        words = names.words(text)
        members = _filter_by_words(
            Person.objects.filter(organisation=member.organisation_id),
            words,
            dict.fromkeys(words, False),
        )
        households = households.filter(members__person__in=members).distinct()
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
