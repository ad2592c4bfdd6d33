"""Matching name words against the search-key index, ranking and counting in one statement.

A search word matches a person's keys by prefix: as typed ('f:oleks'), by its transliteration
skeleton ('s:lks'), and for a possibly misspelt word by similar vocabulary keys. Keys hold only
a-z, 0-9 and ':', all below '~' in byte order (SQLite's BINARY collation, and the "C" collation
the key column has on PostgreSQL), so [prefix, prefix + '~') is every key that starts with prefix:
one index range on both databases.

The statement reads each word's ranges of the organisation's index as separate index-only scans,
groups them by person, joins the words on the person, and returns one page of ids together with
the number of all matches (a window count), so that the list page needs no second pass for its
count. Measured in bench/search.py.
"""

from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_

from django.db import connection
from django.db.models import Q

from most.lib import names

from .models import Person, PersonSearchKey

AFTER = "~"


def prefix_condition(prefix) -> Q:
    return Q(key__gte=prefix, key__lt=prefix + AFTER)


@dataclass(frozen=True)
class Word:
    text: str
    similar: tuple = ()  # vocabulary keys it also matches, when it may be misspelt

    @property
    def typed(self):
        return f"f:{self.text}"

    @cached_property
    def branches(self):
        """(kind, value) of each index range or list of keys the word matches."""
        found = [("prefix", self.typed)]
        for skeleton in names.skeletons(self.text):
            # A skeleton of two consonants is a whole short name (Olga, Olha: "lg"), not the
            # start of a longer one; as a prefix it would match half the registry.
            if len(skeleton) >= 3:
                found.append(("prefix", f"s:{skeleton}"))
            elif len(skeleton) == 2:
                found.append(("equal", f"s:{skeleton}"))
        if similar := self._similar_not_covered(found):
            found.append(("in", similar))
        return tuple(found)

    def _similar_not_covered(self, branches):
        """The similar keys that find persons the branches (and the other similar keys) miss.

        Every name word gives a person both its 'f:' key and the 's:' key of its skeleton, so a
        similar name whose skeleton is matched already adds nobody: 'sevcenko' matches the
        skeleton 'svcnk', hence everyone named Shevchenko or Savchenko, whose keys would
        otherwise be read twice. (A key cut at the column's length may have lost its skeleton's
        end: such a key is kept.)
        """
        longest = PersonSearchKey._meta.get_field("key").max_length

        def matched(key):
            return any(
                key.startswith(value) if kind == "prefix" else key == value
                for kind, value in branches
            )

        def covered(key):
            if matched(key):
                return True
            whole = key.startswith("f:") and len(key) < longest
            skeletons = names.skeletons(key[2:]) if whole else []
            return any(
                skeleton and (matched(f"s:{skeleton}") or f"s:{skeleton}" in self.similar)
                for skeleton in skeletons
            )

        return tuple(key for key in self.similar if not covered(key))

    @property
    def typed_only(self):
        """Matched only as typed (a word of a letter or two, 'Al'): every match ranks alike."""
        return self.branches == (("prefix", self.typed),)

    def condition(self) -> Q:
        """The same as a queryset filter."""
        terms = {
            "prefix": prefix_condition,
            "equal": lambda key: Q(key=key),
            "in": lambda keys: Q(key__in=keys),
        }
        return reduce(or_, (terms[kind](value) for kind, value in self.branches))


# Counting a word's keys stops here (per index range): enough to tell narrow from broad.
COUNT_CAP = 10_000


@dataclass(frozen=True)
class WordStatistics:
    known: bool  # some name of the organisation begins with the word as typed
    keys: int  # the organisation's keys matching it, counted up to COUNT_CAP per range
    capped: bool  # the count stopped at COUNT_CAP: a broad word


def _quoted(*names):
    return [connection.ops.quote_name(name) for name in names]


def word_statistics(organisation_id, words) -> dict[str, WordStatistics]:
    """Whether each word is known, and how broad it is, in one statement.

    Known: some name of the organisation's persons begins with the word as typed (never another
    organisation's names), and how many keys match it, up to COUNT_CAP per branch.
    """
    keys_table, key = _quoted(PersonSearchKey._meta.db_table, "key")
    # Several words: to order them. One word: whether it is broad enough to be read in the
    # persons' order instead (RankedMatches); only a word read as typed can be.
    counting = len(words) > 1 or words[0].typed_only
    columns, params = [], []
    for word in words:
        columns.append(
            f"(SELECT 1 FROM {keys_table} "
            f"WHERE organisation_id = %s AND {key} >= %s AND {key} < %s LIMIT 1)"
        )
        params += [organisation_id, word.typed, word.typed + AFTER]
        for kind, value in word.branches if counting else ():
            sql, values = _branch_sql(key, kind, value)
            columns.append(
                f"(SELECT COUNT(*) FROM (SELECT 1 FROM {keys_table} "
                f"WHERE organisation_id = %s AND {sql} LIMIT %s) AS b)"
            )
            params += [organisation_id, *values, COUNT_CAP]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        row = list(cursor.fetchone())
    found = {}
    for word in words:
        known = row.pop(0) is not None
        counts = [row.pop(0) for _branch in word.branches] if counting else [0]
        found[word.text] = WordStatistics(known, sum(counts), COUNT_CAP in counts)
    return found


def _branch_sql(column, kind, value):
    if kind == "prefix":
        return f"{column} >= %s AND {column} < %s", [value, value + AFTER]
    if kind == "equal":
        return f"{column} = %s", [value]
    return f"{column} IN ({', '.join(['%s'] * len(value))})", list(value)


def _untyped_sql(column, word):
    """0 for a key spelt as the word was typed, 1 for another transliteration or a similar name."""
    return f"CASE WHEN {column} >= %s AND {column} < %s THEN 0 ELSE 1 END", [
        word.typed,
        word.typed + AFTER,
    ]


# A word much broader than the narrowest ("Al" beside "Petrenko") is cheaper to check for each
# person the others found than to read in full: reading costs about one unit per key, checking
# about four per person (measured in bench/search.py). Below PROBE_FLOOR keys reading is cheap
# whatever the other words.
PROBE_RATIO = 4
PROBE_FLOOR = 2_000


def _plan(words, statistics):
    """(words to read and join, the narrowest first; words to check per person).

    A possibly misspelt word was counted without its similar names, so it never leads.
    """
    ordered = sorted(
        words, key=lambda word: (bool(word.similar), statistics[word.text].keys, -len(word.text))
    )
    narrowest = statistics[ordered[0].text].keys
    joined, probed = [ordered[0]], []
    for word in ordered[1:]:
        counted = statistics[word.text]
        broad = counted.capped or counted.keys > max(PROBE_RATIO * narrowest, PROBE_FLOOR)
        (probed if broad else joined).append(word)
    return joined, probed


# The text of the statements below is built from table and column names and placeholders only;
# every value, typed words included, is a parameter.


def _word_sql(n, word, organisation_id, with_sort_name):
    """A CTE w<n>: the persons with keys matching the word, and whether as typed (0) or not."""
    table, key = _quoted(PersonSearchKey._meta.db_table, "key")
    columns = "person_id, sort_name" if with_sort_name else "person_id"
    untyped, params = _untyped_sql(key, word)
    # One index-only range scan per branch: an OR of ranges would read the table's rows.
    branches = []
    for kind, value in word.branches:
        sql, values = _branch_sql(key, kind, value)
        branches.append(
            f"SELECT {columns}, {key} FROM {table} WHERE organisation_id = %s AND {sql}"
        )
        params += [organisation_id, *values]
    sql = (
        f"w{n} AS (SELECT {columns}, MIN({untyped}) AS untyped "
        f"FROM ({' UNION ALL '.join(branches)}) AS k{n} GROUP BY {columns})"
    )
    return sql, params


def _probe_sql(word):
    """The person's best spelling of the word, NULL when none of the person's keys matches it."""
    table, key = _quoted(PersonSearchKey._meta.db_table, "key")
    untyped, params = _untyped_sql(f"k.{key}", word)
    conditions = []
    for kind, value in word.branches:
        sql, values = _branch_sql(f"k.{key}", kind, value)
        conditions.append(f"({sql})")
        params += values
    sql = (
        f"(SELECT MIN({untyped}) FROM {table} k "
        f"WHERE k.person_id = w0.person_id AND ({' OR '.join(conditions)}))"
    )
    return sql, params


def _statement(organisation_id, joined, probed, persons):
    """(sql, params) of the ranked matches, to be followed by PAGE or COUNT.

    joined: the words read in full and joined on the person, the first giving the sort names;
    probed: the words checked for each person the joined words found.
    """
    ctes, params = [], []
    for n, word in enumerate(joined):
        sql, values = _word_sql(n, word, organisation_id, with_sort_name=not n)
        ctes.append(sql)
        params += values
    untyped = [f"w{n}.untyped" for n in range(len(joined))]
    for word in probed:
        sql, values = _probe_sql(word)
        untyped.append(sql)
        params += values
    tables = "w0" + "".join(
        f" JOIN w{n} ON w{n}.person_id = w0.person_id" for n in range(1, len(joined))
    )
    only = ""
    if persons is not None:
        persons_sql, values = persons.values("pk").order_by().query.sql_with_params()
        only = f"WHERE w0.person_id IN ({persons_sql})"
        params += values
    sql = (
        f"WITH {', '.join(ctes)}, "
        # Materialised: the outer query filters and orders on the sum, computed once.
        f"ranked AS MATERIALIZED (SELECT w0.person_id, w0.sort_name, {' + '.join(untyped)} "
        f"AS untyped FROM {tables} {only}) "
    )
    return sql, params


PAGE = (
    "SELECT person_id FROM ranked WHERE untyped IS NOT NULL "
    "ORDER BY untyped, sort_name, person_id LIMIT %s OFFSET %s"
)
COUNT = "SELECT COUNT(*) FROM ranked WHERE untyped IS NOT NULL"


# A person has at most this many keys that begin with one word: its given and family names in
# both scripts, their joins, other names. So a word with COUNT_CAP keys or more matches more than
# COUNT_CAP / KEYS_PER_PERSON persons.
KEYS_PER_PERSON = 8


def _in_order_statement(organisation_id, word):
    """(sql, params) of the persons with a key beginning with the word, alphabetically, one page
    at a time (LIMIT and OFFSET are the last two params).

    For a broad word (the first letter of a name), whose matches are a large part of the
    registry: walking the persons in alphabetical order, a page is found after a few hundred
    index lookups, where reading every match first would read tens of thousands of keys.
    """
    persons, keys, key, sort_name = _quoted(
        Person._meta.db_table, PersonSearchKey._meta.db_table, "key", "sort_name"
    )
    sql = (
        f"SELECT p.id FROM {persons} p WHERE p.organisation_id = %s AND EXISTS "
        f"(SELECT 1 FROM {keys} k WHERE k.person_id = p.id AND k.{key} >= %s AND k.{key} < %s) "
        f"ORDER BY p.{sort_name}, p.id LIMIT %s OFFSET %s"
    )
    return sql, [organisation_id, word.typed, word.typed + AFTER]


class RankedMatches:
    """The persons with keys matching every word, best first, read a page at a time.

    Best first: the fewest words matched other than as typed (Mohammed before Muhammad when
    one types Mohammed), then alphabetically. persons: a queryset the matches must also be in
    (the search's other filters), or None.

    Counted up to LIMIT only (then "1,000+"), unless exact: a page of a broad word's matches
    needs only the first ones, its exact count would read them all. The first LIMIT + 1 ids are
    read at once; pages within them need no further statement. A single broad word read as
    typed is read in the persons' order instead, page by page (_in_order_statement).
    """

    LIMIT = 1000
    HEAD = 200  # exact: ids read with the first page; pages within it need no statement

    def __init__(self, organisation_id, words, statistics, persons=None, exact=False):
        joined, probed = _plan(words, statistics)
        self._with, self._params = _statement(organisation_id, joined, probed, persons)
        self.exact = exact
        self._head = None
        self._total = None
        self._in_order = None
        if (
            persons is None
            and len(words) == 1
            and words[0].typed_only
            and statistics[words[0].text].keys >= KEYS_PER_PERSON * (self.LIMIT + 1)
        ):
            self._in_order = _in_order_statement(organisation_id, words[0])

    def _read(self, offset, limit):
        if self._in_order is not None:
            sql, params = self._in_order
        else:
            sql, params = self._with + PAGE, self._params
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [person_id for (person_id,) in cursor.fetchall()]

    def _first(self):
        if self._head is None:
            self._head = self._read(0, self.HEAD if self.exact else self.LIMIT + 1)
        return self._head

    def count(self) -> int:
        """The number of matches; at most LIMIT unless exact (see capped)."""
        if not self.exact:
            if self._in_order is not None:
                return self.LIMIT  # more, as the keys counted say
            return min(len(self._first()), self.LIMIT)
        if self._total is None:
            with connection.cursor() as cursor:
                cursor.execute(self._with + COUNT, self._params)
                self._total = cursor.fetchone()[0]
        return self._total

    @property
    def capped(self) -> bool:
        if self.exact:
            return False
        return self._in_order is not None or len(self._first()) > self.LIMIT

    def ids(self, start, stop=None) -> list[int]:
        stop = self.count() if stop is None else stop
        if self._in_order is not None:
            return self._read(start, max(0, stop - start))
        if stop <= len(self._first()) or not self.exact:
            return self._first()[start:stop]
        return self._read(start, max(0, stop - start))
