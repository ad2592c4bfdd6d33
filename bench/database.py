"""The bench database: a fresh one for every run, filled with the persons; its pages' SQL counted.

Django and the application are imported inside the functions: they run in the child process,
after `DATABASE_URL` names the fresh database and `django.setup()`.
"""

import base64
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from config import HTMX, LOGIN, ROOT
from names import NamePools

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "most_bench"
SMALL = 1_000  # the size at which query counts are taken first


def fresh_database(db, pg_database=PG_DATABASE):
    """Point DATABASE_URL at a fresh database; returns (data directory, function removing both).

    pg_database: the PostgreSQL database's name (each benchmark has its own, so that two can run
    at once). The audit trail's master key (MOST_AUDIT_KEYS) is made here too, once for the run:
    the data this process seals and the server that opens it must share it.
    """
    directory = tempfile.mkdtemp(prefix="most-bench-")
    os.environ["MOST_DATA_DIR"] = directory
    os.environ.setdefault("MOST_AUDIT_KEYS", base64.urlsafe_b64encode(os.urandom(32)).decode())
    Path(directory, "static").mkdir()
    if db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
        return directory, lambda: shutil.rmtree(directory, ignore_errors=True)

    import psycopg

    def admin(sql):
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    admin(f"DROP DATABASE IF EXISTS {pg_database} WITH (FORCE)")
    admin(f"CREATE DATABASE {pg_database}")
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{pg_database}"

    def cleanup():
        admin(f"DROP DATABASE IF EXISTS {pg_database} WITH (FORCE)")
        shutil.rmtree(directory, ignore_errors=True)

    return directory, cleanup


def django_on_fresh_database(db, pg_database=PG_DATABASE):
    """In a child process: a fresh database, and Django set up on it; returns (data directory,
    function removing the database). Django reads its settings once, so once per process."""
    directory, cleanup = fresh_database(db, pg_database)
    os.environ["DJANGO_SETTINGS_MODULE"] = "most.settings"
    os.environ["DEBUG"] = "true"  # in this process: the settings' development defaults
    sys.path.append(str(ROOT))  # the code snapshot on PYTHONPATH comes first
    import django

    # SIGTERM ends the run like Ctrl-C: the server is stopped and the database removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        django.setup()
    except BaseException:
        cleanup()
        raise
    return directory, cleanup


def load(args, out, stage):
    """Migrate, seed the demo's organisations and users, write the persons; count as it goes.

    The SQL queries of five pages are counted at SMALL persons and again at args.persons (into
    out["queries_per_page"]), and the vocabulary at the end (out["vocabulary"]). stage(name,
    start) records how long a step took. Returns (organisation, the case worker's membership,
    a test client logged in as them).
    """
    from django.core.management import call_command
    from django.test import Client

    from most.accounts.models import Membership, User
    from most.demo.generator import bulk_persons, seed_organisations_and_users
    from most.people.models import Person

    names = NamePools(json.loads(Path(args.names).read_text(encoding="utf-8")))
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
    bulk_persons(organisation, small, seed=1, names=names)
    stage(f"generate {small:,} persons", start)
    probe = Person.objects.filter(organisation=organisation).order_by("pk").first()
    misspelt = _misspelt_probe(member, probe)
    urls = _page_urls(probe, misspelt)
    out["queries_per_page"] = {str(small): _count_queries(client, urls)}

    if args.persons > small:
        start = time.perf_counter()
        bulk_persons(organisation, args.persons - small, seed=2, names=names)
        stage(f"generate {args.persons - small:,} more persons", start)
    analyze(args, stage)
    out["queries_per_page"][str(args.persons)] = _count_queries(client, urls)
    out["probe"] = {"name": probe.latin_name, "misspelt": misspelt}
    out["vocabulary"] = _count_vocabulary(organisation)
    print(f"[{args.db}] vocabulary: {out['vocabulary']}", flush=True)
    return organisation, member, client


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


def analyze(args, stage):
    """The planner's statistics after a bulk load: PostgreSQL always (what autovacuum does a
    minute after it; without them the planner guesses), SQLite with --sqlite-analyze (the
    application itself never runs ANALYZE)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        statement = "VACUUM ANALYZE"
    elif args.sqlite_analyze:
        statement = "ANALYZE"
    else:
        return
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(statement)
    stage(statement, start)


def _page_urls(person, misspelt):
    query = urlencode({"q": f"{person.given_name_latin} {person.family_name_latin}"})
    misspelt = urlencode({"q": misspelt})
    return [
        ("list (no query)", "/app/persons/", {}),
        ("search, HTMX fragment", f"/app/persons/?{query}", HTMX),
        ("search, full page", f"/app/persons/?{query}", {}),
        ("misspelt search (fallback), fragment", f"/app/persons/?{misspelt}", HTMX),
        ("detail", f"/app/persons/{person.pk}/", {}),
    ]


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


def _count_vocabulary(organisation):
    """Distinct names and search keys of the organisation, and its persons per country."""
    from django.db import connection
    from django.db.models import Count

    from most.people.models import Person

    persons = Person.objects.filter(organisation=organisation)
    counts = persons.aggregate(
        family=Count("family_name", distinct=True),
        family_latin=Count("family_name_latin", distinct=True),
        given=Count("given_name", distinct=True),
        given_latin=Count("given_name_latin", distinct=True),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(DISTINCT key) FROM people_personsearchkey")
        counts["search_keys"] = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM people_personsearchkey")
        counts["search_key_rows"] = cursor.fetchone()[0]
    by_country = persons.values_list("country_of_origin").annotate(n=Count("id"))
    counts["countries"] = {str(country): n for country, n in by_country}
    return counts
