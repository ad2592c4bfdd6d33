"""One database's run, in a child process: load the data, time the requests over HTTP against
`most serve`, check recall, replay the searches in-process to see their SQL statements.

Django and the application are imported inside the functions, after `run_child` has pointed
`DATABASE_URL` at a fresh database and set Django up.
"""

import contextlib
import gc
import os
import platform
import random
import time
from urllib.parse import urlencode

from config import (
    HOME,
    HTMX,
    KINDS,
    LOGIN,
    QUERIES_PER_KIND,
    REQUESTS,
    TRIVIAL,
    WARMUP_ROUNDS,
)
from database import django_on_fresh_database, load
from queries import build_queries, first_letter_counts
from server import Browser, production_server

SEED = 2026  # of the persons the queries are built from


def run_child(args):
    """Measure one database (args.db); returns its figures (JSON-serialisable)."""
    directory, cleanup = django_on_fresh_database(args.db)
    try:
        return _measure(args, directory)
    finally:
        from django.db import connections

        connections.close_all()
        cleanup()


def _path(kind, text):
    """(path, headers) of a request of this kind."""
    if kind == TRIVIAL:
        return "/health/", {}
    if kind == HOME:
        return "/app/", {}
    return f"/app/persons/?{urlencode({'q': text})}", HTMX


def _measure(args, directory):
    from django.db import connection, connections
    from django.test.utils import setup_test_environment

    from most.demo.generator import DEMO_PASSWORD

    # DEBUG off at run time, as in production (no query log); settings chose static storage.
    setup_test_environment(debug=False)
    out = {"db": args.db, "persons": args.persons, "stages": {}, "load": {}}

    def stage(name, start):
        seconds = time.perf_counter() - start
        out["stages"][name] = seconds
        print(f"[{args.db}] {name}: {seconds:.1f} s", flush=True)

    organisation, member, client = load(args, out, stage)

    start = time.perf_counter()
    warmup, queries = _build_queries(organisation)
    stage("build queries", start)
    connections.close_all()  # the server has the database to itself while it is timed

    start = time.perf_counter()
    with production_server(directory) as port:
        stage("start most serve", start)
        rows, home = _time_requests(args.db, port, queries, warmup, DEMO_PASSWORD, out)
    out["home"] = home
    stage(f"{len(rows)} timed requests (with warm-up)", start)

    searches = [row for row in rows if row["kind"] in KINDS]
    start = time.perf_counter()
    _check_recall(member, searches)
    stage("recall check", start)

    start = time.perf_counter()
    _replay(client, searches)
    stage("in-process replay", start)
    out["rows"] = rows

    if args.explain:
        out["explain"] = _explain_slowest(client, searches, args.explain)
    out["versions"] = _versions(connection)
    return out


def _build_queries(organisation):
    """(warm-up queries, timed queries), from persons drawn with a fixed seed."""
    from most.people.models import Person

    rng = random.Random(SEED)
    persons = Person.objects.filter(organisation=organisation)
    family_names = persons.values_list("family_name_latin", flat=True)
    letter_counts = first_letter_counts(family_names.iterator(chunk_size=10_000))
    pks = list(persons.values_list("pk", flat=True))
    sample = list(Person.objects.filter(pk__in=rng.sample(pks, min(len(pks), 4000))))
    rng.shuffle(sample)
    warmup = build_queries(sample, rng, WARMUP_ROUNDS, letter_counts)
    return warmup, build_queries(sample, rng, QUERIES_PER_KIND, letter_counts)


def _check_recall(member, rows):
    """Whether each search's intended person is among its matches; how many matches it has."""
    from most.people.selectors import PersonQuery, person_search

    for row in rows:
        result = person_search(member, PersonQuery(text=row["q"]))
        target = row["target"]
        row["found"] = target is not None and result.persons.filter(pk=target).exists()
        row["matches"] = result.persons.count()
        row["similar"] = result.similar


def _time_requests(db, port, queries, warmup, password, out):
    """Warm up, then time every kind of request round-robin; returns (rows, home status)."""
    browser = Browser(port)
    browser.log_in(LOGIN, password)

    def plan(searches, rounds):
        by_kind = {kind: [] for kind in REQUESTS}
        for query in searches:
            by_kind[query[0]].append(query)
        by_kind[TRIVIAL] = [(TRIVIAL, "", "", None)] * rounds
        by_kind[HOME] = [(HOME, "", "", None)] * rounds
        return by_kind

    home_status = None
    by_kind = plan(warmup, WARMUP_ROUNDS)
    for n in range(WARMUP_ROUNDS):
        for kind in REQUESTS:
            if n < len(by_kind[kind]):
                _kind, _detail, text, _target = by_kind[kind][n]
                status, _body, _seconds = browser.get(*_path(kind, text))
                if kind == HOME:
                    home_status = status
                elif status != 200:
                    raise RuntimeError(f"warm-up {kind} {text!r} answered {status}")
    kinds = [kind for kind in REQUESTS if kind != HOME or home_status != 404]
    if home_status == 404:
        print(f"[{db}] GET /app/ answers 404: the workspace home is not available", flush=True)

    by_kind = plan(queries, QUERIES_PER_KIND)
    rounds = max(len(by_kind[kind]) for kind in kinds)
    rows = []
    out["load"]["before timing"] = os.getloadavg()[0]
    # No garbage collection in this process while it times: a full collection of the objects it
    # holds took ~50 ms, which showed as one slow request at the same place on every database.
    gc.collect()
    gc.freeze()
    gc.disable()
    for n in range(rounds):
        # Round-robin, starting one kind further each round: machine noise hits all alike.
        for kind in kinds[n % len(kinds) :] + kinds[: n % len(kinds)]:
            if n >= len(by_kind[kind]):
                continue
            _kind, detail, text, target = by_kind[kind][n]
            status, body, seconds = browser.get(*_path(kind, text))
            rows.append(
                {
                    "kind": kind,
                    "detail": detail,
                    "q": text,
                    "target": target,
                    "ms": seconds * 1000,
                    "status": status,
                    "bytes": len(body),
                    "first_page": target is not None
                    and f'href="/app/persons/{target}/"'.encode() in body,
                }
            )
    gc.enable()
    gc.unfreeze()
    out["load"]["after timing"] = os.getloadavg()[0]
    errors = [r for r in rows if r["status"] != 200]
    for row in errors[:10]:
        print(f"[{db}] {row['kind']} {row['q']!r} answered {row['status']}", flush=True)
    return rows, home_status


def _replay(client, rows):
    """Each search once more in-process with the test client, its SQL statements timed."""
    from django.db import close_old_connections, connection

    timer = DatabaseTimer()
    with connection.execute_wrapper(timer), timer.fetches():
        for row in rows:
            close_old_connections()
            connection.ensure_connection()
            timer.reset()
            began = time.perf_counter()
            path, headers = _path(row["kind"], row["q"])
            client.get(path, headers=headers)
            row["replay_ms"] = (time.perf_counter() - began) * 1000
            row["db_ms"] = timer.seconds * 1000
            row["sql"] = timer.count
            row["statements"] = timer.statements


# What each SQL statement of the search page is for, by its text.
_STATEMENTS = [
    ('UPDATE "django_session"', "session: save"),
    ('FROM "django_session"', "session"),
    ('"audit_auditedperson"', "audit: persons shown"),
    ("BEGIN", "BEGIN"),
    ("RELEASE SAVEPOINT", "RELEASE SAVEPOINT"),
    ("SAVEPOINT", "SAVEPOINT"),
    ('FROM "accounts_user"', "user"),
    ('FROM "accounts_membership"', "membership"),
    ("WITH RECURSIVE names", "municipality choices"),
    ("WITH w0 AS", "matches: page of ids and count"),
    ("SELECT (SELECT 1 FROM", "word statistics"),
    ("SELECT COUNT(*)", "result count"),
    ('FROM "people_searchvocabulary"', "misspelling: vocabulary"),
    ('FROM "people_searchvariant"', "misspelling: variants"),
    ("SELECT p.id FROM", "broad word: page in list order"),
    ('INSERT INTO "audit_', "audit entry"),
    ('SELECT "people_person"."id"', "page of 25"),
]


def _statement_label(sql):
    for needle, label in _STATEMENTS:
        if needle in sql:
            return label
    return " ".join(sql.split())[:40]


_FETCHES = ("fetchone", "fetchmany", "fetchall")


class DatabaseTimer:
    """Times every SQL statement: how many ran, how long they took, and what they were.

    A statement's time is its execute() plus fetching its rows: SQLite computes rows while they
    are fetched, so execute() alone would leave most of a large result's work uncounted.
    """

    def __init__(self, label=None):
        self.count, self.seconds, self.statements = 0, 0.0, []
        self._cursors = {}  # id of a cursor → its statement's index in self.statements
        self._label = label or _statement_label  # what a statement is for, by its text

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self._cursors[id(context["cursor"])] = len(self.statements)
            self.statements.append([self._label(sql), 0.0])
            self.count += 1
            self._add(context["cursor"], time.perf_counter() - start)

    def _add(self, cursor, seconds):
        index = self._cursors.get(id(cursor))
        if index is not None and index < len(self.statements):
            self.statements[index][1] += seconds * 1000
            self.seconds += seconds

    def reset(self):
        self.count, self.seconds, self.statements, self._cursors = 0, 0.0, [], {}

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

        for name in _FETCHES:
            assert name not in CursorWrapper.__dict__, name
            setattr(CursorWrapper, name, timed(name))
        try:
            yield
        finally:
            for name in _FETCHES:
                delattr(CursorWrapper, name)


def _explain(sql, params):
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return "\n".join(f"  {row[-1]}" for row in rows)
    return "\n".join(f"  {row[0]}" for row in rows)


def _slowest_statements(client, url, headers, how_many):
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


def _explain_slowest(client, rows, how_many):
    """The two slowest SQL statements of each of the how_many slowest searches, with plans."""
    report = []
    for row in sorted(rows, key=lambda r: r["ms"], reverse=True)[:how_many]:
        path, headers = _path(row["kind"], row["q"])
        for seconds, sql, params in _slowest_statements(client, path, headers, how_many=2):
            report.append(
                {
                    "q": row["q"],
                    "kind": row["kind"],
                    "ms": seconds * 1000,
                    "sql": sql,
                    "params": [str(p) for p in params or ()],
                    "plan": _explain(sql, params),
                }
            )
    return report


def _versions(connection):
    import django
    import gunicorn

    if connection.vendor == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    return {
        "commit": os.environ.get("MOST_BENCH_COMMIT") or "unknown",  # the parent's snapshot
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database,
        "server": f"gunicorn {gunicorn.__version__}",
    }


# --- shared by the programmes and referrals benchmarks' children ------------------------------


def run_in_fresh_database(args, pg_database, measure):
    """measure(args, directory) on a fresh database of args.db (PostgreSQL's named
    pg_database), its connections closed and the database removed afterwards."""
    directory, cleanup = django_on_fresh_database(args.db, pg_database)
    try:
        return measure(args, directory)
    finally:
        from django.db import connections

        connections.close_all()
        cleanup()


def labeller(rules):
    """What a statement is for, by its text: rules are (needles, label), every needle must be
    in the statement and the first match wins; a label may be a function of the statement."""

    def label(sql):
        for needles, name in rules:
            if all(needle in sql for needle in needles):
                return name(sql) if callable(name) else name
        return " ".join(sql.split())[:50]

    return label


class TextTimer(DatabaseTimer):
    """DatabaseTimer that also keeps each statement's text and parameters."""

    def __init__(self, label=None):
        super().__init__(label=label)
        self.texts = []

    def __call__(self, execute, sql, params, many, context):
        self.texts.append((sql, params))
        return super().__call__(execute, sql, params, many, context)

    def reset(self):
        super().reset()
        self.texts = []


def replay_kind(timer, send, replays, skip=()):
    """send(n) in-process replays times, every SQL statement timed by timer (a TextTimer);
    returns {"runs", "slowest"}: the slowest statement (not one starting with skip) with its
    plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL, in a transaction rolled
    back), or None."""
    from django.db import close_old_connections, connection, transaction

    runs, slowest = [], (0.0, None, None)
    for n in range(replays):
        close_old_connections()
        connection.ensure_connection()
        timer.reset()
        with connection.execute_wrapper(timer), timer.fetches():
            began = time.perf_counter()
            send(n)
            ms = (time.perf_counter() - began) * 1000
        runs.append(
            {"ms": ms, "db_ms": timer.seconds * 1000, "sql": timer.count}
            | {"statements": timer.statements}
        )
        for (label, statement_ms), (sql, params) in zip(timer.statements, timer.texts, strict=True):
            if statement_ms > slowest[0] and not sql.startswith(skip):
                slowest = (statement_ms, label, (sql, params))
    if slowest[2] is None:
        return {"runs": runs, "slowest": None}
    sql, params = slowest[2]
    with transaction.atomic():
        plan = _explain(sql, params)
        transaction.set_rollback(True)
    return {
        "runs": runs,
        "slowest": {
            "ms": slowest[0],
            "label": slowest[1],
            "sql": " ".join(sql.split()),
            "params": [str(p) for p in params or ()],
            "plan": plan,
        },
    }


def round_robin(args, out, kinds, request, expected, warmup):
    """warmup untimed rounds of request(kind) for every kind, then args.requests rounds timed,
    round-robin, starting one kind further each round (machine noise hits all alike), with no
    garbage collection in this process meanwhile; returns the timed rows, each marked with its
    kind and ok (its status is expected(kind))."""
    for _ in range(warmup):
        for kind in kinds:
            row = request(kind)
            if row["status"] != expected(kind):
                raise RuntimeError(f"warm-up {kind} answered {row['status']}: {row}")
    rows = []
    out["load"]["before timing"] = os.getloadavg()[0]
    # No garbage collection in this process while it times (see _time_requests above).
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        for n in range(args.requests):
            for kind in kinds[n % len(kinds) :] + kinds[: n % len(kinds)]:
                row = request(kind)
                row.update(kind=kind, ok=row["status"] == expected(kind))
                rows.append(row)
    finally:
        gc.enable()
        gc.unfreeze()
    out["load"]["after timing"] = os.getloadavg()[0]
    for row in [r for r in rows if not r["ok"]][:10]:
        print(f"[{args.db}] {row['kind']} answered {row['status']}: {row}", flush=True)
    return rows


def table_totals(connection, tables):
    """{label: rows} of each (label, "app.Model") and the database's size in MB."""
    from django.apps import apps
    from privacy_data import _database_bytes

    totals = {label: apps.get_model(model).objects.count() for label, model in tables}
    totals["database MB"] = round(_database_bytes(connection) / 1e6)
    return totals
