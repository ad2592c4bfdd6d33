"""One database's run of the privacy benchmark, in a child process: write the persons and their
audit trail, start `most serve` and `most worker`, time the audit page, the data subject's
export and the erasure over HTTP beside the trivial view, then see in-process where the time
goes.

Django and the application are imported inside the functions, after `run_child` has pointed
`DATABASE_URL` at a fresh database and set Django up.
"""

import gc
import io
import json
import os
import time
import zipfile
from urllib.parse import urlsplit

from measure import DatabaseTimer, run_in_fresh_database
from privacy_data import load
from server import Browser, production_server

PG_DATABASE = "most_bench_privacy"  # not the search benchmark's: both may run at once
ADMIN = "admin@most.example"  # the organisation's administrator: its data protection contact
TRIVIAL = "trivial view"
AUDIT = "audit page"
AUDIT_ACTION = "audit page, ?action=view"
AUDIT_RARE = "audit page, ?action=export"
AUDIT_LATER = "audit page 20"
EXPORT = "export, end to end"
ERASURE = "erasure"
KINDS = (TRIVIAL, AUDIT, AUDIT_ACTION, AUDIT_RARE, AUDIT_LATER, EXPORT, ERASURE)
AUDIT_PATHS = {
    AUDIT: "/app/audit/",
    AUDIT_ACTION: "/app/audit/?action=view",
    AUDIT_RARE: "/app/audit/?action=export",
    AUDIT_LATER: "/app/audit/?page=20",
}
WARMUP = {**dict.fromkeys((TRIVIAL, *AUDIT_PATHS), 3), EXPORT: 2, ERASURE: 2}
POLL_SECONDS = 0.05  # how often the client asks how far an export is
EXPORT_TIMEOUT = 120
REPLAYS = 5  # in-process audit pages of each kind, their SQL timed
IN_PROCESS = 3  # in-process exports and erasures, their parts timed


def run_child(args):
    """Measure one database (args.db); returns its figures (JSON-serialisable)."""
    # The administrator signs in with the password alone, in the server and in this process.
    os.environ["MOST_TWO_FACTOR_FOR_ADMINS"] = "false"
    return run_in_fresh_database(args, PG_DATABASE, _measure)


def _measure(args, directory):
    from django.db import connection, connections
    from django.test.utils import setup_test_environment

    from most.demo.generator import DEMO_PASSWORD

    setup_test_environment(debug=False)
    counts = {EXPORT: args.exports, ERASURE: args.erasures}
    counts.update(dict.fromkeys((TRIVIAL, *AUDIT_PATHS), args.requests))
    out = {"db": args.db, "persons": args.persons, "counts": counts, "stages": {}, "load": {}}

    def stage(name, start):
        seconds = time.perf_counter() - start
        out["stages"][name] = seconds
        print(f"[{args.db}] {name}: {seconds:.1f} s", flush=True)

    organisation, admin, token, candidates = load(args, out, stage)
    exports, erasures = candidates["export"], candidates["erasure"]
    needed = {EXPORT: WARMUP[EXPORT] + args.exports, ERASURE: WARMUP[ERASURE] + args.erasures}
    if len(exports) < needed[EXPORT] + IN_PROCESS or len(erasures) < needed[ERASURE] + IN_PROCESS:
        raise RuntimeError(f"too few persons to export and erase: {len(exports), len(erasures)}")
    plan = {
        EXPORT: exports[: needed[EXPORT]],
        ERASURE: erasures[: needed[ERASURE]],
    }
    connections.close_all()  # the server has the database to itself while it is timed

    start = time.perf_counter()
    environment = {"MOST_TWO_FACTOR_FOR_ADMINS": "false"}
    with production_server(directory, env=environment, worker=True) as port:
        stage("start most serve and most worker", start)
        start = time.perf_counter()
        out["rows"] = _time_requests(args.db, port, token, DEMO_PASSWORD, plan, counts, out)
        stage(f"{len(out['rows'])} timed requests (with warm-up)", start)

    start = time.perf_counter()
    out["replay"] = _replay_audit(admin)
    out["in_process"] = {
        "export": _export_in_process(admin, exports[needed[EXPORT] :][:IN_PROCESS]),
        "erasure": _erase_in_process(admin, erasures[needed[ERASURE] :][:IN_PROCESS]),
    }
    stage("in-process replay", start)
    out["versions"] = _versions(connection)
    return out


# --- over HTTP -------------------------------------------------------------------------------


def _schedule(counts, rounds):
    """{kind: the rounds it is requested in}: each kind's requests spread evenly over the
    rounds (a kind with fewer requests than rounds skips some)."""
    return {
        kind: {n * rounds // count for n in range(count)} if count else set()
        for kind, count in counts.items()
    }


def _time_requests(db, port, token, password, plan, counts, out):
    """Warm up, then time every kind round-robin; returns the rows (warm-up left out)."""
    browser = Browser(port)
    browser.log_in(ADMIN, password)
    api = Browser(port)  # a script of the data protection contact's: the token, no cookies
    auth = {"Authorization": f"Token {token}", "Accept": "application/json"}
    persons = {kind: iter(pks) for kind, pks in plan.items()}

    def request(kind):
        if kind == TRIVIAL:
            status, body, seconds = browser.get("/health/")
            return {"status": status, "ms": seconds * 1000, "bytes": len(body)}
        if kind in AUDIT_PATHS:
            status, body, seconds = browser.get(AUDIT_PATHS[kind])
            return {"status": status, "ms": seconds * 1000, "bytes": len(body)}
        if kind == EXPORT:
            return _export(api, auth, next(persons[EXPORT]))
        pk = next(persons[ERASURE])
        status, body, seconds = api.request("POST", f"/api/persons/{pk}/erasure/", None, auth)
        return {"status": status, "ms": seconds * 1000, "person": pk, "body": body[:200].decode()}

    warm = max(WARMUP.values())
    for n in range(warm):
        for kind in KINDS:
            if n < WARMUP[kind]:
                row = request(kind)
                if row["status"] not in (200, 202):
                    raise RuntimeError(f"warm-up {kind} answered {row['status']}: {row}")

    rounds = max(counts.values())
    schedule = _schedule(counts, rounds)
    rows = []
    out["load"]["before timing"] = os.getloadavg()[0]
    # No garbage collection in this process while it times (see measure.py).
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        for n in range(rounds):
            # Round-robin, starting one kind further each round: machine noise hits all alike.
            for kind in KINDS[n % len(KINDS) :] + KINDS[: n % len(KINDS)]:
                if n in schedule[kind]:
                    rows.append({"kind": kind, **request(kind)})
    finally:
        gc.enable()
        gc.unfreeze()
    out["load"]["after timing"] = os.getloadavg()[0]
    for row in [r for r in rows if r["status"] not in (200, 202)][:10]:
        print(f"[{db}] {row['kind']} answered {row['status']}: {row}", flush=True)
    return rows


def _export(api, auth, pk):
    """The data subject's export as a script does it: start, poll until done, download."""
    began = time.perf_counter()
    status, body, post_seconds = api.request("POST", f"/api/persons/{pk}/export/", None, auth)
    if status != 202:
        return {"status": status, "ms": post_seconds * 1000, "person": pk, "body": body[:300]}
    posted = time.perf_counter()
    job, polls, running = json.loads(body), 0, None
    while job["state"] not in ("done", "failed"):
        if time.perf_counter() - began > EXPORT_TIMEOUT:
            return {"status": 504, "ms": EXPORT_TIMEOUT * 1000, "person": pk, "job": job}
        time.sleep(POLL_SECONDS)
        status, body, _seconds = api.get(f"/api/jobs/{job['id']}/", auth)
        polls += 1
        job = json.loads(body)
        if running is None and job["state"] != "queued":
            running = time.perf_counter()
    done = time.perf_counter()
    if job["state"] != "done":
        return {"status": 500, "ms": (done - began) * 1000, "person": pk, "job": job}
    status, content, download_seconds = api.get(urlsplit(job["download"]).path, auth)
    ended = time.perf_counter()
    row = {
        "status": 200 if status == 200 else status,
        "ms": (ended - began) * 1000,
        "person": pk,
        "post_ms": post_seconds * 1000,
        # From the answer to the POST to the first poll that saw the job started (the worker
        # looks for work once a second), then to the first poll that saw it done.
        "queued_ms": ((running or done) - posted) * 1000,
        "running_ms": (done - (running or done)) * 1000,
        "download_ms": download_seconds * 1000,
        "polls": polls,
        "bytes": len(content),
    }
    if status == 200:
        row.update(_zip_contents(content))
    return row


def _zip_contents(content):
    """What the ZIP holds: its files' sizes, and how many records of each kind the JSON has."""
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        files = {info.filename: info.file_size for info in zipped.infolist()}
        data = next(json.loads(zipped.read(name)) for name in files if name.endswith(".json"))
    records = {label: len(record["rows"]) for label, record in data["records"].items()}
    return {
        "pdf_bytes": sum(size for name, size in files.items() if name.endswith(".pdf")),
        "json_bytes": sum(size for name, size in files.items() if name.endswith(".json")),
        "records": records,
    }


# --- in-process: where the time goes ----------------------------------------------------------

_STATEMENTS = [
    ('UPDATE "django_session"', "session: save"),
    ('FROM "django_session"', "session"),
    ('FROM "accounts_user"', "user"),
    ('FROM "accounts_membership"', "membership"),
    ('FROM "otp_', "second factor"),
    ("SELECT COUNT(*) FROM (SELECT", "entries: counted up to 10,001"),
    ('SELECT "audit_auditentry"."at", "audit_auditentry"."id"', "entries: a stream, newest first"),
    ('FROM "audit_auditentry"', "entries: the page's 50"),
    ('FROM "audit_auditkey"', "keys of the page"),
]


def _label(sql):
    for needle, label in _STATEMENTS:
        if needle in sql:
            return label
    return " ".join(sql.split())[:50]


def _replay_audit(admin):
    """The audit pages in-process (test client): their SQL statements timed, and how many of
    the entries shown had their sealed values opened."""
    from django.core.paginator import Paginator
    from django.db import close_old_connections, connection
    from django.test import Client

    from most.audit.selectors import ERASED, audit_pages, entries_shown

    client = Client()
    client.force_login(admin.user)
    timer = DatabaseTimer(label=_label)
    replay = {}
    for kind, path in AUDIT_PATHS.items():
        rows = []
        with connection.execute_wrapper(timer), timer.fetches():
            for _ in range(REPLAYS):
                close_old_connections()
                connection.ensure_connection()
                timer.reset()
                began = time.perf_counter()
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                rows.append(
                    {
                        "ms": (time.perf_counter() - began) * 1000,
                        "db_ms": timer.seconds * 1000,
                        "sql": timer.count,
                        "statements": timer.statements,
                    }
                )
        query = dict(p.split("=") for p in urlsplit(path).query.split("&") if p)
        page = Paginator(audit_pages(admin, action=query.get("action", "")), 50).get_page(
            query.get("page")
        )
        shown = entries_shown(page.object_list, organisation_id=admin.organisation_id)
        sealed = [s for s in shown if s.key_id is not None]
        replay[kind] = {
            "rows": rows,
            "entries": len(shown),
            "sealed": len(sealed),
            "opened": sum(1 for s in sealed if s.object and s.object != ERASED),
            "erased": sum(1 for s in sealed if s.erased),
            "count": page.paginator.count,
        }
    return replay


def _slow_statements(function):
    """Run function(); returns (its seconds, [(ms, SQL text)] of each statement it ran, its rows
    fetched included: SQLite computes rows while they are fetched)."""
    from django.db import connection

    timer = DatabaseTimer(label=lambda sql: " ".join(sql.split())[:400])
    began = time.perf_counter()
    with connection.execute_wrapper(timer), timer.fetches():
        function()
    seconds = time.perf_counter() - began
    return seconds, [(ms, sql) for sql, ms in timer.statements]


def _export_in_process(admin, pks):
    """The export's two parts, as the worker runs them: the data (its SQL), and the PDF."""
    import tempfile
    from pathlib import Path

    from most.people.models import Person
    from most.privacy.selectors import subject_data
    from most.privacy.tasks import write_pdf

    results = []
    for pk in pks:
        person = Person.objects.get(pk=pk)
        holder = {}
        seconds, statements = _slow_statements(lambda p=person, h=holder: h.update(subject_data(p)))
        with tempfile.TemporaryDirectory(prefix="most-bench-pdf-") as workdir:
            began = time.perf_counter()
            write_pdf(Path(workdir, "export.pdf"), person, holder)
            pdf_seconds = time.perf_counter() - began
        results.append(
            {
                "person": pk,
                "data_ms": seconds * 1000,
                "pdf_ms": pdf_seconds * 1000,
                "sql": len(statements),
                "slowest": sorted(statements, reverse=True)[:3],
                "audit_rows": len(holder["records"]["audit.auditentry"]["rows"]),
            }
        )
    return results


def _erase_in_process(admin, pks):
    """Erasures in-process, each statement timed: which ones an erasure spends its time in."""
    from most.people.models import Person
    from most.privacy.services import person_erase

    results = []
    for pk in pks:
        person = Person.objects.get(pk=pk)
        seconds, statements = _slow_statements(
            lambda p=person: person_erase(member=admin, person=p)
        )
        results.append(
            {
                "person": pk,
                "ms": seconds * 1000,
                "sql": len(statements),
                "db_ms": sum(ms for ms, _sql in statements),
                "slowest": sorted(statements, reverse=True)[:4],
            }
        )
    return results


def _versions(connection):
    from measure import _versions as versions

    return versions(connection)
