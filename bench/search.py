"""Search benchmark: the person list's search as staff use it, at national scale.

    .venv/bin/python bench/search.py [--persons 200000] [--db sqlite|postgres|both]

Each database gets a fresh database of its own (a temporary SQLite file; a `most_bench` database
on the local PostgreSQL), never the developer's. Django reads its settings at import, so the
parent process runs every database in a child process of this same script (`--child`) and prints
the combined table; bench/README.md explains the figures and gets the newest ones.

What one database's run does:

1. migrate, seed the demo organisations and users, write 1,000 persons with `bulk_persons` into
   the first organisation and count the SQL queries of the list, search and detail pages;
2. write the rest of the persons (all in that one organisation: the worst case) and count again;
3. build 200 queries from random persons (fixed seed): exact, partial, other script, misspelt;
4. log in a test Client as the case worker and time GET /app/persons/?q=... as the HTMX
   fragment the page swaps while one types (10 warm-up queries first);
5. check with `person_search` whether the intended person is among the matches, and whether the
   page shows them among its first 25.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
RESULTS_DIR = ROOT / "bench" / "results"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "most_bench"
LOGIN = "caseworker@most.example"
SMALL = 1_000  # the size at which query counts are taken first
QUERIES_PER_CATEGORY = 50
WARMUP = 10
SEED = 2026
CATEGORIES = ("exact", "partial", "other-script", "misspelt")
TARGET_P95_MS = 50
TARGET_RECALL = 0.95
TARGET_QUERIES = 10
MARK_START = "<!-- bench:results:start -->"
MARK_END = "<!-- bench:results:end -->"


# --- Queries ------------------------------------------------------------------------------

# Slovenian transcription of Russian and Ukrainian Cyrillic: how a Slovenian office often writes
# a name it heard or read (Шевченко → Ševčenko, Юлія → Julija), unlike the passport's Shevchenko.
_SLOVENE_LETTERS = "a b v g g d e je ž z i i ji j k l m n o p r s t u f h c č š šč _ ju ja jo i e _"
_CYRILLIC_LETTERS = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяёыэъ"
_SLOVENE = dict(zip(_CYRILLIC_LETTERS, _SLOVENE_LETTERS.split(" "), strict=True))
_SLOVENE_UKRAINIAN = {"г": "h", "и": "y"}
# Serbian Latin → Cyrillic, for Bosnian names written in Cyrillic.
_SERBIAN_CYRILLIC = [
    ("dž", "џ"),
    ("lj", "љ"),
    ("nj", "њ"),
    *zip("abcčćdđefghijklmnoprsštuvzž", "абцчћдђефгхијклмнопрсштувзж", strict=True),
]
# Passport spellings of one Arabic or Persian name differ in vowels, doubled letters and the
# article: Mohammed / Muhammad, Yousef / Yusuf, Al-Khatib / El-Khatib / Al Khatib.
_PASSPORT_VARIANTS = [
    (r"o", "u"),
    (r"u", "o"),
    (r"ou", "u"),
    (r"ee", "i"),
    (r"oo", "u"),
    (r"e", "i"),
    (r"i", "e"),
    (r"a(?=[^aeiou])", "e"),
    (r"([bcdfghklmnrst])\1", r"\1"),
    (r"(?<=[aeiou])([mnst])(?=[aeiou])", r"\1\1"),
    (r"^Al-", "El-"),
    (r"^Al-", "Al "),
    (r"^Al-(.)", lambda m: "Al" + m[1].lower()),
]


def _slovene(text, ukrainian):
    out = []
    for char in text:
        lower = char.lower()
        latin = (_SLOVENE_UKRAINIAN.get(lower) if ukrainian else None) or _SLOVENE.get(lower)
        if latin is None:
            latin = char
        latin = "" if latin == "_" else latin
        out.append(latin[:1].upper() + latin[1:] if char != lower and latin else latin)
    return "".join(out)


def _serbian_cyrillic(text):
    out, i = [], 0
    while i < len(text):
        for latin, cyrillic in _SERBIAN_CYRILLIC:
            chunk = text[i : i + len(latin)]
            if chunk.lower() == latin:
                out.append(cyrillic.upper() if chunk[0].isupper() else cyrillic)
                i += len(latin)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _passport_variant(rng, name):
    options = []
    for pattern, replacement in _PASSPORT_VARIANTS:
        matches = list(re.finditer(pattern, name))
        if matches:
            match = rng.choice(matches)
            start, end = match.span()
            new = match.expand(replacement) if isinstance(replacement, str) else replacement(match)
            variant = name[:start] + new + name[end:]
            if variant != name:
                options.append(variant)
    return rng.choice(options) if options else None


def _letter_prefix(text, letters):
    """The start of text holding `letters` letters (Al-Ahmad, 4 → 'Al-Ah')."""
    count = 0
    for i, char in enumerate(text):
        count += char.isalpha()
        if count == letters:
            return text[: i + 1]
    return text


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def _misspell(rng, word, first_letter):
    """One edit of word: at its first letter when first_letter, elsewhere otherwise."""
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    kind = rng.choice(["substitution", "deletion", "insertion", "transposition"])
    i = letters[0] if first_letter else rng.choice(letters[1:])
    if kind == "transposition":
        j = i + 1 if first_letter or i + 1 < len(word) else i - 1
        if not word[j : j + 1].isalpha() or word[i].lower() == word[j].lower():
            kind = "substitution"
        else:
            a, b = sorted((i, j))
            chars = list(word)
            chars[a], chars[b] = chars[b], chars[a]
            if first_letter:  # keep the capital where a person would type it
                chars[a] = chars[a].upper()
                chars[b] = chars[b].lower()
            return "".join(chars), kind
    if kind == "deletion":
        return word[:i] + word[i + 1 :], kind
    letter = rng.choice(_ALPHABET)
    if kind == "insertion":
        new = letter.upper() if first_letter else letter
        return word[:i] + new + word[i:], kind
    letter = rng.choice([c for c in _ALPHABET if c != word[i].lower()])
    letter = letter.upper() if word[i].isupper() else letter
    return word[:i] + letter + word[i + 1 :], "substitution"


def _other_script_query(rng, person, kind):
    latin_given, latin_family = person.given_name_latin, person.family_name_latin
    if kind == "native":
        return f"{person.given_name} {person.family_name}"
    if kind == "slovene":
        ukrainian = person.country_of_origin == "UA"
        return f"{_slovene(person.given_name, ukrainian)} {_slovene(person.family_name, ukrainian)}"
    if kind == "passport":
        if rng.random() < 0.5:
            latin_given = _passport_variant(rng, latin_given) or latin_given
        else:
            latin_family = _passport_variant(rng, latin_family) or latin_family
        return f"{latin_given} {latin_family}"
    if kind == "serbian-cyrillic":
        return f"{_serbian_cyrillic(latin_given)} {_serbian_cyrillic(latin_family)}"
    raise ValueError(kind)


# (kind, countries the person comes from, how many): about 50 queries in other scripts.
_OTHER_SCRIPT_PLAN = [
    ("native", ("UA", "RU", "MK"), 15),
    ("slovene", ("UA", "RU"), 10),
    ("native", ("SY", "AF"), 10),
    ("passport", ("SY", "AF"), 10),
    ("serbian-cyrillic", ("BA",), 5),
]


def build_queries(persons, rng):
    """[(category, detail, query text, target pk)]: QUERIES_PER_CATEGORY of each category."""
    queries = []
    for person in rng.sample(persons, QUERIES_PER_CATEGORY):
        queries.append(
            ("exact", "", f"{person.given_name_latin} {person.family_name_latin}", person.pk)
        )
    for n, person in enumerate(rng.sample(persons, QUERIES_PER_CATEGORY)):
        family = _letter_prefix(person.family_name_latin, rng.randint(3, 5))
        if n % 2 == 0:
            queries.append(("partial", "family prefix", family, person.pk))
        else:
            given = _letter_prefix(person.given_name_latin, rng.randint(2, 4))
            queries.append(("partial", "given+family prefixes", f"{given} {family}", person.pk))
    for kind, countries, count in _OTHER_SCRIPT_PLAN:
        pool = [p for p in persons if p.country_of_origin in countries]
        for person in rng.sample(pool, count):
            text = _other_script_query(rng, person, kind)
            detail = f"{kind} ({person.country_of_origin})"
            queries.append(("other-script", detail, text, person.pk))
    for n, person in enumerate(rng.sample(persons, QUERIES_PER_CATEGORY)):
        first_letter = n % 2 == 1
        family, kind = _misspell(rng, person.family_name_latin, first_letter)
        detail = f"{kind}, {'first letter' if first_letter else 'first letter kept'}"
        queries.append(("misspelt", detail, f"{person.given_name_latin} {family}", person.pk))
    return queries


# --- Measuring (child process) -------------------------------------------------------------


def _percentile(values, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


# What each SQL statement of the search page is for, by its text.
_STATEMENTS = [
    ('FROM "django_session"', "session"),
    ('FROM "accounts_user"', "user"),
    ('FROM "accounts_membership"', "membership"),
    ("WITH RECURSIVE names", "municipality choices"),
    ("WITH w0 AS", "matches: page of ids and count"),
    ("SELECT (SELECT 1 FROM", "word statistics"),
    ("SELECT COUNT(*)", "result count"),
    ('FROM "people_searchvocabulary"', "misspelling: vocabulary"),
    ('INSERT INTO "audit_', "audit entry"),
    ('SELECT "people_person"."id"', "page of 25"),
]


def statement_label(sql):
    for needle, label in _STATEMENTS:
        if needle in sql:
            return label
    return " ".join(sql.split())[:40]


class _DatabaseTimer:
    """Times every SQL statement: how many ran, how long they took, and what they were.

    A statement's time is its execute() plus fetching its rows: SQLite computes rows while they
    are fetched, so execute() alone would leave most of a large result's work uncounted.
    """

    def __init__(self):
        self.count, self.seconds, self.statements = 0, 0.0, []
        self._cursors = {}  # id of a cursor → its statement's index in self.statements

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self._cursors[id(context["cursor"])] = len(self.statements)
            self.statements.append([statement_label(sql), 0.0])
            self.count += 1
            self._add(context["cursor"], time.perf_counter() - start)

    def _add(self, cursor, seconds):
        index = self._cursors.get(id(cursor))
        if index is not None and index < len(self.statements):
            self.statements[index][1] += seconds * 1000
            self.seconds += seconds

    def reset(self):
        self.statements, self._cursors = [], {}

    @contextlib.contextmanager
    def fetches(self):
        """Also time the fetch methods of Django's cursors (which it delegates to the driver)."""
        from django.db.backends.utils import CursorWrapper

        timer = self

        def timed(name):
            def fetch(cursor, *args, **kwargs):
                start = time.perf_counter()
                try:
                    return CursorWrapper.__getattr__(cursor, name)(*args, **kwargs)
                finally:
                    timer._add(cursor, time.perf_counter() - start)

            return fetch

        for name in FETCHES:
            assert name not in CursorWrapper.__dict__, name
            setattr(CursorWrapper, name, timed(name))
        try:
            yield
        finally:
            for name in FETCHES:
                delattr(CursorWrapper, name)


FETCHES = ("fetchone", "fetchmany", "fetchall")


def _prepare_database(db):
    """Point DATABASE_URL at a fresh database; returns a function that removes it."""
    if db == "sqlite":
        directory = tempfile.mkdtemp(prefix="most-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
        os.environ["MOST_DATA_DIR"] = directory
        Path(directory, "static").mkdir()
        return lambda: shutil.rmtree(directory, ignore_errors=True)

    import psycopg

    def admin(sql):
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    admin(f"CREATE DATABASE {PG_DATABASE}")
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    os.environ["MOST_DATA_DIR"] = directory = tempfile.mkdtemp(prefix="most-bench-")
    Path(directory, "static").mkdir()

    def cleanup():
        admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        shutil.rmtree(directory, ignore_errors=True)

    return cleanup


def _count_queries(client, urls):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for label, url, headers in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
        counts[label] = len(captured)
    return counts


def _misspelt_probe(member, person):
    """A one-letter misspelling of the person's name that only the fallback finds."""
    from most.people.selectors import PersonQuery, person_search

    family = person.family_name_latin
    for i in range(len(family) - 1, 0, -1):
        for letter in "zqxw":
            text = f"{person.given_name_latin} {family[:i]}{letter}{family[i + 1 :]}"
            result = person_search(member, PersonQuery(text=text))
            if result.similar and result.persons.filter(pk=person.pk).exists():
                return text
    return f"{person.given_name_latin} {family}"


def _page_urls(person, misspelt):
    from urllib.parse import urlencode

    htmx = {"HX-Request": "true", "HX-Target": "results"}
    query = urlencode({"q": f"{person.given_name_latin} {person.family_name_latin}"})
    misspelt = urlencode({"q": misspelt})
    return [
        ("list (no query)", "/app/persons/", {}),
        ("search, HTMX fragment", f"/app/persons/?{query}", htmx),
        ("search, full page", f"/app/persons/?{query}", {}),
        ("misspelt search (fallback), fragment", f"/app/persons/?{misspelt}", htmx),
        ("detail", f"/app/persons/{person.pk}/", {}),
    ]


def _explain(sql, params):
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return "\n".join(f"  {row[-1]}" for row in rows)
    return "\n".join(f"  {row[0]}" for row in rows)


def _slowest_statements(client, url, headers, how_many=3):
    """The slowest SQL statements of one request, with their parameters."""
    from django.db import connection

    statements = []

    def record(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - start, sql, params))

    with connection.execute_wrapper(record):
        client.get(url, headers=headers)
    return sorted(statements, key=lambda s: s[0], reverse=True)[:how_many]


def run_child(args):
    cleanup = _prepare_database(args.db)
    os.environ["DJANGO_SETTINGS_MODULE"] = "most.settings"
    os.environ["DEBUG"] = "true"  # the settings' development defaults: no HTTPS redirect
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    try:
        return _measure(args)
    finally:
        from django.db import connections

        connections.close_all()
        cleanup()


def _measure(args):
    from urllib.parse import urlencode

    from django.core.management import call_command
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from most.accounts.models import Membership, User
    from most.demo.generator import bulk_persons, seed_organisations_and_users
    from most.people.models import Person
    from most.people.selectors import PersonQuery, person_search

    # DEBUG off at run time, as in production (no query log); settings chose static storage.
    setup_test_environment(debug=False)
    out = {"db": args.db, "persons": args.persons, "stages": {}, "load": {}}

    def stage(name, start):
        seconds = time.perf_counter() - start
        out["stages"][name] = seconds
        print(f"[{args.db}] {name}: {seconds:.1f} s", flush=True)

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    stage("migrate", start)
    organisation = seed_organisations_and_users()[0]
    user = User.objects.get(email=LOGIN)
    member = Membership.objects.select_related("user", "organisation").get(
        user=user, organisation=organisation
    )
    client = Client()
    client.force_login(user)

    small = min(SMALL, args.persons)
    start = time.perf_counter()
    bulk_persons(organisation, small, seed=1)
    stage(f"generate {small:,} persons", start)
    probe = Person.objects.filter(organisation=organisation).order_by("pk").first()
    misspelt = _misspelt_probe(member, probe)
    out["queries_per_page"] = {str(small): _count_queries(client, _page_urls(probe, misspelt))}

    if args.persons > small:
        start = time.perf_counter()
        bulk_persons(organisation, args.persons - small, seed=2)
        stage(f"generate {args.persons - small:,} more persons", start)
    out["generation_seconds"] = sum(v for k, v in out["stages"].items() if k.startswith("gener"))
    if connection.vendor == "postgresql":
        # What autovacuum does a minute after a bulk load; without it the planner guesses.
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        stage("VACUUM ANALYZE", start)
    elif args.sqlite_analyze:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        stage("ANALYZE", start)
    out["queries_per_page"][str(args.persons)] = _count_queries(client, _page_urls(probe, misspelt))
    name = f"{probe.given_name_latin} {probe.family_name_latin}"
    out["probe"] = {"name": name, "misspelt": misspelt}

    start = time.perf_counter()
    rng = random.Random(SEED)
    pks = list(Person.objects.filter(organisation=organisation).values_list("pk", flat=True))
    chosen = rng.sample(pks, min(len(pks), 4 * QUERIES_PER_CATEGORY + WARMUP + 2000))
    persons = list(Person.objects.filter(pk__in=chosen).order_by("pk"))
    rng.shuffle(persons)
    warmup_persons, persons = persons[:WARMUP], persons[WARMUP:]
    queries = build_queries(persons, rng)
    rng.shuffle(queries)  # categories interleaved, as they come at a desk
    stage("build queries", start)

    htmx = {"HX-Request": "true", "HX-Target": "results"}
    timer = _DatabaseTimer()

    def get(text):
        """One search as a server runs it; (response, seconds spent opening/closing the DB)."""
        began = time.perf_counter()
        close_old_connections()  # what request_started does on a real server
        connection.ensure_connection()
        opened = time.perf_counter()
        response = client.get(f"/app/persons/?{urlencode({'q': text})}", headers=htmx)
        answered = time.perf_counter()
        close_old_connections()  # and request_finished
        assert response.status_code == 200, (text, response.status_code)
        return response, (opened - began) + (time.perf_counter() - answered)

    for n, person in enumerate(warmup_persons):  # WARMUP searches, full names and prefixes
        get(person.family_name_latin[:4] if n % 2 else person.latin_name)

    out["load"]["before searches"] = os.getloadavg()[0]
    start = time.perf_counter()
    rows = []
    with connection.execute_wrapper(timer), timer.fetches():
        for category, detail, text, target in queries:
            before_count, before_seconds = timer.count, timer.seconds
            timer.reset()
            began, cpu = time.perf_counter(), time.process_time()
            response, connecting = get(text)
            elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
            rows.append(
                {
                    "category": category,
                    "detail": detail,
                    "q": text,
                    "target": target,
                    "ms": elapsed * 1000,
                    "db_ms": (timer.seconds - before_seconds) * 1000,
                    "connect_ms": connecting * 1000,
                    "cpu_ms": cpu * 1000,
                    "sql": timer.count - before_count,
                    "statements": timer.statements,
                    "first_page": f'href="/app/persons/{target}/"' in response.content.decode(),
                }
            )
    stage("200 timed searches", start)
    out["load"]["after searches"] = os.getloadavg()[0]

    start = time.perf_counter()
    for row in rows:
        result = person_search(member, PersonQuery(text=row["q"]))
        row["found"] = result.persons.filter(pk=row["target"]).exists()
        row["matches"] = result.persons.count()
        row["similar"] = result.similar
    stage("recall check", start)
    out["rows"] = rows

    if args.explain:
        out["explain"] = _explain_slowest(client, rows, htmx, args.explain)

    out["versions"] = _versions(connection)
    return out


def _explain_slowest(client, rows, headers, how_many):
    from urllib.parse import urlencode

    report = []
    for row in sorted(rows, key=lambda r: r["ms"], reverse=True)[:how_many]:
        url = f"/app/persons/?{urlencode({'q': row['q']})}"
        for seconds, sql, params in _slowest_statements(client, url, headers, how_many=2):
            report.append(
                {
                    "q": row["q"],
                    "category": row["category"],
                    "ms": seconds * 1000,
                    "sql": sql,
                    "params": [str(p) for p in params or ()],
                    "plan": _explain(sql, params),
                }
            )
    return report


def _versions(connection):
    import django

    if connection.vendor == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    commit = (
        os.environ.get("MOST_BENCH_COMMIT")
        or subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    )
    return {
        "commit": commit or "unknown",
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database,
    }


# --- Reporting (parent process) ------------------------------------------------------------


def summarise(result):
    rows = result["rows"]
    summary = {}
    for category in (*CATEGORIES, "all"):
        chosen = [r for r in rows if category in ("all", r["category"])]
        times = [r["ms"] for r in chosen]
        summary[category] = {
            "n": len(chosen),
            "median": statistics.median(times),
            "p95": _percentile(times, 0.95),
            "max": max(times),
            "db_median": statistics.median(r["db_ms"] for r in chosen),
            "connect_median": statistics.median(r["connect_ms"] for r in chosen),
            "cpu_median": statistics.median(r["cpu_ms"] for r in chosen),
            "python_median": statistics.median(
                r["ms"] - r["db_ms"] - r["connect_ms"] for r in chosen
            ),
            "db_p95": _percentile([r["db_ms"] for r in chosen], 0.95),
            "sql": statistics.median(r["sql"] for r in chosen),
            "recall": sum(r["found"] for r in chosen) / len(chosen),
            "first_page": sum(r["first_page"] for r in chosen) / len(chosen),
            "matches": statistics.median(r["matches"] for r in chosen),
            "similar": sum(r["similar"] for r in chosen),
        }
    return summary


def _table(header, lines):
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=True)]

    def fmt(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([fmt(header), rule, *(fmt(line) for line in lines)])


def render(results, machine):
    """The figures as Markdown tables (printed, and written into bench/README.md)."""
    out = []
    size = results[0]["persons"]
    versions = (
        "; ".join(f"{r['versions']['database']}" for r in results)
        + f"; Python {results[0]['versions']['python']}, Django {results[0]['versions']['django']}"
    )
    out.append(
        f"Run {machine['date']} on {machine['machine']}. {size:,} persons, all in one "
        f"organisation; {len(results[0]['rows'])} queries after {WARMUP} warm-up queries. "
        f"{versions}; code at {results[0]['versions']['commit']}."
    )
    summaries = {r["db"]: summarise(r) for r in results}

    lines = []
    for category in (*CATEGORIES, "all"):
        line = [category]
        for result in results:
            s = summaries[result["db"]][category]
            line += [
                f"{s['median']:.1f}",
                f"{s['p95']:.1f}",
                f"{s['recall']:.0%}",
                f"{s['first_page']:.0%}",
            ]
        lines.append(line)
    header = ["query"]
    for result in results:
        name = result["db"]
        header += [f"{name} median ms", f"{name} p95 ms", f"{name} recall", f"{name} on page 1"]
    out.append("\nSearch (GET /app/persons/?q=…, HTMX fragment), end to end:\n")
    out.append(_table(header, lines))

    lines = []
    for category in (*CATEGORIES, "all"):
        for result in results:
            s = summaries[result["db"]][category]
            lines.append(
                [
                    category,
                    result["db"],
                    f"{s['db_median']:.1f}",
                    f"{s['db_p95']:.1f}",
                    f"{s['connect_median']:.1f}",
                    f"{s['python_median']:.1f}",
                    f"{s['cpu_median']:.1f}",
                ]
            )
    header = [
        "query",
        "database",
        "SQL median ms",
        "SQL p95 ms",
        "connect+close median ms",
        "Python median ms",
        "CPU of this process median ms",
    ]
    out.append("\nWhere the time goes (SQL, opening and closing the connection, the rest):\n")
    out.append(_table(header, lines))

    lines = []
    for result in results:
        by_label = {}
        for row in result["rows"]:
            for label, ms in row["statements"]:
                by_label.setdefault(label, []).append(ms)
        total = sum(sum(v) for v in by_label.values())
        for label, times in sorted(by_label.items(), key=lambda item: -sum(item[1])):
            lines.append(
                [
                    result["db"],
                    label,
                    len(times),
                    f"{statistics.median(times):.2f}",
                    f"{_percentile(times, 0.95):.2f}",
                    f"{max(times):.1f}",
                    f"{sum(times) / total:.0%}",
                ]
            )
    header = ["database", "statement", "runs", "median ms", "p95 ms", "max ms", "share of SQL"]
    out.append("\nThe SQL statements of the 200 searches:\n")
    out.append(_table(header, lines))

    first = summaries[results[0]["db"]]
    lines = [
        [
            c,
            first[c]["n"],
            f"{first[c]['matches']:,.0f}",
            first[c]["similar"],
            f"{first[c]['sql']:.0f}",
        ]
        for c in (*CATEGORIES, "all")
    ]
    out.append("\nThe queries (the same on every database):\n")
    header = ["query", "n", "median matches", "misspelling fallback used", "SQL per request"]
    out.append(_table(header, lines))

    sizes = sorted({int(s) for r in results for s in r["queries_per_page"]})
    pages = list(results[0]["queries_per_page"][str(sizes[0])])
    header = ["page"] + [f"{r['db']} @ {s:,}" for r in results for s in sizes]
    lines = [
        [page] + [r["queries_per_page"][str(s)][page] for r in results for s in sizes]
        for page in pages
    ]
    out.append("\nSQL queries per page (target ≤ 10, constant with size):\n")
    out.append(_table(header, lines))

    header = ["stage"] + [r["db"] for r in results]
    stages = list(dict.fromkeys(k for r in results for k in r["stages"]))
    lines = [
        [name] + [f"{r['stages'][name]:.1f} s" if name in r["stages"] else "" for r in results]
        for name in stages
    ]
    loads = ", ".join(
        f"{r['db']} {r['load']['before searches']:.1f} → {r['load']['after searches']:.1f}"
        for r in results
    )
    out.append(
        f"\nLoad average (1 min) around the timed searches: {loads} "
        f"(on {os.cpu_count()} cores; above ~1 other programs were competing for the CPU)."
    )
    out.append("\nRun time:\n")
    out.append(_table(header, lines))
    return "\n".join(out)


def verdict(results):
    lines = []
    for result in results:
        s = summarise(result)
        p95 = s["all"]["p95"]
        lines.append(
            f"{result['db']}: p95 {p95:.1f} ms "
            f"({'meets' if p95 <= TARGET_P95_MS else 'MISSES'} the {TARGET_P95_MS} ms target)"
        )
        for category in ("misspelt", "other-script"):
            recall = s[category]["recall"]
            ok = "meets" if recall >= TARGET_RECALL else "MISSES"
            lines.append(f"{result['db']}: {category} recall {recall:.0%} ({ok} the 95 % target)")
        worst = max(max(v.values()) for v in result["queries_per_page"].values())
        ok = "meets" if worst <= TARGET_QUERIES else "MISSES"
        lines.append(f"{result['db']}: at most {worst} SQL queries per page ({ok} ≤ 10)")
    return "\n".join(lines)


def misses(results):
    lines = []
    for result in results:
        for row in result["rows"]:
            if not row["found"] and row["category"] in ("misspelt", "other-script"):
                lines.append(
                    f"  {result['db']}: {row['category']} ({row['detail']}) {row['q']!r} "
                    f"→ person {row['target']} not found ({row['matches']} matches)"
                )
    return "\n".join(lines)


def slowest(results, how_many=8):
    lines = []
    for result in results:
        for row in sorted(result["rows"], key=lambda r: r["ms"], reverse=True)[:how_many]:
            lines.append(
                f"  {result['db']}: {row['ms']:6.1f} ms (SQL {row['db_ms']:5.1f} ms, "
                f"{row['sql']} statements) {row['category']:<12} {row['q']!r} "
                f"{row['matches']:,} matches{' (similar)' if row['similar'] else ''}; "
                f"slowest SQL: {max(row['statements'], key=lambda st: st[1])[0]} "
                f"{max(st[1] for st in row['statements']):.1f} ms"
            )
    return "\n".join(lines)


def write_readme(text):
    content = README.read_text(encoding="utf-8") if README.exists() else ""
    block = f"{MARK_START}\n{text}\n{MARK_END}"
    if MARK_START in content and MARK_END in content:
        before = content.split(MARK_START)[0]
        after = content.split(MARK_END, 1)[1]
        content = before + block + after
    else:
        content = content.rstrip() + "\n\n## Latest figures\n\n" + block + "\n"
    README.write_text(content, encoding="utf-8")


def run_parent(args):
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    results = []
    for db in dbs:
        path = RESULTS_DIR / f"{db}-{args.persons}.json"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            "--db",
            db,
            "--persons",
            str(args.persons),
            "--out",
            str(path),
        ]
        if args.sqlite_analyze:
            command.append("--sqlite-analyze")
        if args.explain:
            command += ["--explain", str(args.explain)]
        print(f"== {db}: {args.persons:,} persons", flush=True)
        subprocess.run(command, check=True, cwd=ROOT)  # noqa: S603 – this very script
        results.append(json.loads(path.read_text(encoding="utf-8")))
    total = time.perf_counter() - began

    machine = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {_memory()}, {platform.system()} {platform.machine()}",
    }
    text = render(results, machine) + f"\n\nWhole benchmark: {total / 60:.1f} minutes."
    print()
    print(text)
    print()
    print(verdict(results))
    if missed := misses(results):
        print("\nMisspelt / other-script queries that missed their person:")
        print(missed)
    print("\nSlowest searches:")
    print(slowest(results))
    for result in results:
        for item in result.get("explain", []):
            print(f"\n[{result['db']}] {item['ms']:.1f} ms for {item['q']!r} ({item['category']}):")
            print(_interpolate(item["sql"], item["params"]))
            print(item["plan"])
    if not args.no_readme:
        write_readme(text + "\n\n" + verdict(results).replace("\n", "  \n"))
        print(f"\nFigures written to {README.relative_to(ROOT)}")


def _interpolate(sql, params):
    for param in params:
        sql = sql.replace("%s", repr(param), 1).replace("?", repr(param), 1)
    return sql


def _memory():
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            kib = int(meminfo.readline().split()[1])
        return f"{kib / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        return "unknown RAM"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--sqlite-analyze",
        action="store_true",
        help="run ANALYZE on SQLite after writing the persons (PostgreSQL always gets one)",
    )
    parser.add_argument(
        "--explain",
        type=int,
        default=0,
        metavar="N",
        help="print the plans of the slowest SQL of the N slowest searches",
    )
    parser.add_argument("--no-readme", action="store_true", help="do not update bench/README.md")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.db == "both":
            parser.error("--child runs one database")
        result = run_child(args)
        Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    else:
        run_parent(args)


if __name__ == "__main__":
    main()
