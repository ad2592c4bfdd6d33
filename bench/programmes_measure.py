"""One database's run of the programmes benchmark, in a child process: write a small data set
and count the pages' SQL statements, write the full one and count them again, start `most
serve`, time the pages over HTTP beside the trivial view, then see in-process where the time
goes (each statement timed, the slowest one's plan).

Django and the application are imported inside the functions, after `run_child` has pointed
`DATABASE_URL` at a fresh database and set Django up.
"""

import itertools
import random
import statistics
import time
from urllib.parse import urlencode

from database import analyze
from measure import (
    TextTimer,
    labeller,
    replay_kind,
    round_robin,
    run_in_fresh_database,
    table_totals,
)
from measure import _versions as versions
from programmes_data import TIMED_GROUP, Sizes, World, name_pools, prepare
from server import Browser, production_server

PG_DATABASE = "most_bench_programmes"  # not the other benchmarks': they may run at once
LOGIN = "coordinator@most.example"  # the first organisation's coordinator: every page here
SEED = 5
TRIVIAL = "trivial view"
ATTENDANCE = "attendance of a group of 25, saved"
TIMELINE = "a person's timeline"
DASHBOARD = "programme dashboard"
ELIGIBLE = {
    "activation": "eligible persons: activation rules",
    "jobs": "eligible persons: job seekers",
    "family": "eligible persons: family rules",
}
KINDS = (TRIVIAL, ATTENDANCE, TIMELINE, DASHBOARD, *ELIGIBLE.values())
WARMUP = 3  # untimed requests of every kind first
REPLAYS = 5  # in-process requests of every kind, their SQL timed
PRESENCE = (("present", 85), ("excused", 9), ("absent", 6))


def run_child(args):
    """Measure one database (args.db); returns its figures (JSON-serialisable)."""
    return run_in_fresh_database(args, PG_DATABASE, _measure)


def small_sizes(args):
    """The small data set written first, whose pages' statements are counted before the rest
    is written: a hundredth of the full one."""
    return Sizes(
        persons=max(500, min(2_000, args.persons // 20)),
        programmes=min(4, args.programmes),
        activities=max(10, min(50, args.activities // 20)),
        attendance=max(2_000, min(20_000, args.attendance // 20)),
    )


def _measure(args, directory):
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import setup_test_environment

    from most.demo.generator import DEMO_PASSWORD

    setup_test_environment(debug=False)
    out = {"db": args.db, "persons": args.persons, "stages": {}, "load": {}}
    out["sizes"] = {
        "persons": args.persons,
        "programmes": args.programmes,
        "activities": args.activities,
        "attendance": args.attendance,
    }

    def stage(name, start):
        seconds = time.perf_counter() - start
        out["stages"][name] = seconds
        print(f"[{args.db}] {name}: {seconds:.1f} s", flush=True)

    organisations, staff, coordinator = prepare(stage)
    names = name_pools(args.names)
    client = Client()
    client.force_login(coordinator.user)

    small = small_sizes(args)
    start = time.perf_counter()
    small_world = World(small, SEED, organisations, staff, names)
    written = out["small"] = small_world.write(lambda *_: None)
    stage(
        f"small data set: {written['persons']:,} persons, {written['programmes']} programmes, "
        f"{written['activities']} activities, {written['attendance']:,} attendance rows",
        start,
    )
    small_items = small_world.items(1)
    small_session = (small_items["attendance"] or [None])[0]
    out["statements"] = {"small": _count_pages(client, small_items, small_session)}
    out["small_items"] = _public(small_items)

    full = Sizes(
        persons=args.persons - small.persons,
        programmes=max(3, args.programmes - small.programmes),
        activities=args.activities - small.activities,
        attendance=args.attendance - small.attendance,
    )
    world = World(full, SEED + 1, organisations, staff, names)
    out["data"] = world.write(stage)
    print(f"[{args.db}] {out['data']}", flush=True)
    analyze(args, stage)

    needed = WARMUP + args.requests + REPLAYS + 1
    items = world.items(WARMUP + args.requests + REPLAYS)
    groups = [item for item in items["attendance"] if len(item[1]) == TIMED_GROUP]
    if not groups:
        raise RuntimeError("no group of 25 to save the attendance of: a larger data set is needed")
    out["attendance_sessions"] = {"groups of 25": len(groups), "needed": needed}
    # Sessions for: the count below, the warm-up and timed requests, the replay; if there are
    # fewer groups than that, sessions are saved again (a second save replaces the first).
    sessions = [groups[i % len(groups)] for i in range(needed)]
    counted, timed, replayed = sessions[0], sessions[1 : needed - REPLAYS], sessions[-REPLAYS:]

    start = time.perf_counter()
    out["statements"]["small, at full size"] = _count_pages(client, small_items, small_session)
    out["statements"]["largest, at full size"] = _count_pages(client, items, counted)
    out["totals"] = _totals(connection)
    out["items"] = _describe(coordinator, items)
    stage("count statements, describe the data", start)
    connections.close_all()  # the server has the database to itself while it is timed

    start = time.perf_counter()
    with production_server(directory) as port:
        stage("start most serve", start)
        start = time.perf_counter()
        out["rows"] = _time_requests(args, port, DEMO_PASSWORD, items, timed, out)
        stage(f"{len(out['rows'])} timed requests (with warm-up)", start)
    out["saved"] = _check_saved(timed)

    start = time.perf_counter()
    out["replay"] = _replay(client, items, replayed)
    # What a change of the database's settings would do (the HTTP figures keep the defaults).
    if connection.vendor == "postgresql":
        out["variant"] = _replay_with(client, items, "SET jit = on", "RESET jit", _jit_on)
    else:
        out["variant"] = _replay_with(client, items, "ANALYZE", None, None)
    stage("in-process replay", start)
    out["versions"] = versions(connection)
    return out


def _public(items):
    """The items as the results keep them (not the groups' enrolment ids)."""
    public = {key: value for key, value in items.items() if key != "attendance"}
    public["attendance"] = [
        {"session": session, "group": len(group)} for session, group in items["attendance"][:3]
    ]
    return public


# --- SQL statements per page ----------------------------------------------------------------


def _page(kind, items, session=None, person=None):
    """(method, path, form) of a request of this kind: the attendance of the session (id,
    [enrolment ids]), the timeline of the person (default: the first of the items')."""
    if kind == TRIVIAL:
        return "get", "/health/", None
    if kind == ATTENDANCE:
        session_id, group = session
        form = {f"presence-{pk}": "present" for pk in group}
        return "post", f"/app/programmes/sessions/{session_id}/attendance/", form
    if kind == TIMELINE:
        return "get", f"/app/persons/{person or items['timeline'][0]}/timeline/", None
    if kind == DASHBOARD:
        return "get", f"/app/reports/programmes/{items['dashboard']}/", None
    key = next(k for k, label in ELIGIBLE.items() if label == kind)
    return "get", f"/app/programmes/{items['eligible'][key]}/eligible/", None


def _send(client, method, path, form):
    response = client.post(path, form) if method == "post" else client.get(path)
    expected = 302 if method == "post" else 200
    assert response.status_code == expected, (path, response.status_code)
    return response


def _count_pages(client, items, session):
    """{kind: {"statements", "item"}} of each page for these items (the timeline of the person
    with the longest history), in this process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for kind in KINDS:
        if kind == ATTENDANCE and session is None:
            continue
        method, path, form = _page(kind, items, session, items.get("richest"))
        with CaptureQueriesContext(connection) as captured:
            _send(client, method, path, form)
        counts[kind] = {"statements": len(captured), "item": _item(path, form)}
    return counts


def _item(path, form):
    return f"group of {len(form)}" if form else path


def _totals(connection):
    """Rows of every table the pages read, and the database's size."""
    tables = [
        ("persons", "people.Person"),
        ("situations", "people.Situation"),
        ("households", "people.Household"),
        ("consents", "people.Consent"),
        ("programmes", "programmes.Programme"),
        ("phases", "programmes.Phase"),
        ("enrolments", "programmes.Enrolment"),
        ("enrolment phases", "programmes.EnrolmentPhase"),
        ("activities", "programmes.Activity"),
        ("sessions", "programmes.Session"),
        ("attendance", "programmes.Attendance"),
        ("needs assessments", "casework.Assessment"),
        ("goals", "casework.Goal"),
        ("counselling sessions", "casework.CounsellingSession"),
        ("psychosocial records", "casework.PsychosocialRecord"),
        ("outcomes", "casework.Outcome"),
        ("audit entries", "audit.AuditEntry"),
    ]
    return table_totals(connection, tables)


def _describe(member, items):
    """How large the things measured are: the timeline persons' histories, the dashboard's
    programme, the eligible persons of each rule."""
    from django.db.models import Count

    from most.people.models import Person
    from most.people.policy import persons_owned_by
    from most.people.timeline import timeline_page
    from most.programmes import eligibility
    from most.programmes.models import Activity, Attendance, Enrolment, Programme, Session

    histories = [
        timeline_page(member, Person.objects.get(pk=pk)).paginator.count for pk in items["timeline"]
    ]
    programme = Programme.objects.get(pk=items["dashboard"])
    by_status = dict(
        Enrolment.objects.filter(programme=programme)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    # Everybody the rules admit (the page itself may count only so far).
    persons = persons_owned_by(member)
    eligible = {}
    for key, pk in items["eligible"].items():
        if key in ELIGIBLE:
            rules = Programme.objects.get(pk=pk).eligibility
            eligible[key] = {"count": eligibility.eligible(rules, persons).count()}
    return {
        "timeline rows": {
            "persons": len(histories),
            "min": min(histories),
            "median": statistics.median(histories),
            "max": max(histories),
        },
        "dashboard": {
            "name": programme.name,
            "starts_on": programme.starts_on.isoformat(),
            "participants": Enrolment.objects.filter(
                programme=programme, started_on__isnull=False
            ).count(),
            "enrolments": sum(by_status.values()),
            "activities": Activity.objects.filter(programme=programme).count(),
            "sessions": Session.objects.filter(activity__programme=programme).count(),
            "attendance": Attendance.objects.filter(session__activity__programme=programme).count(),
        },
        "eligible": eligible,
        "organisation persons": Person.objects.filter(organisation=member.organisation).count(),
    }


# --- over HTTP ----------------------------------------------------------------------------------


def _time_requests(args, port, password, items, sessions, out):
    """Warm up, then time every kind round-robin; returns the rows (warm-up left out)."""
    browser = Browser(port)
    browser.log_in(LOGIN, password)
    rng = random.Random(SEED)
    sessions, persons = iter(sessions), itertools.cycle(items["timeline"])
    referer = f"http://127.0.0.1:{port}/app/"

    def request(kind):
        item = None
        if kind == TRIVIAL:
            path = "/health/"
        elif kind == ATTENDANCE:
            item, group = next(sessions)
            form = {"csrfmiddlewaretoken": browser.cookies["csrftoken"]}
            for pk in group:
                form[f"presence-{pk}"] = rng.choices(*zip(*PRESENCE, strict=True))[0]
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": referer}
            path = f"/app/programmes/sessions/{item}/attendance/"
            status, body, seconds = browser.request("POST", path, urlencode(form), headers)
            return {"status": status, "ms": seconds * 1000, "bytes": len(body), "item": item}
        elif kind == TIMELINE:
            item = next(persons)
            path = f"/app/persons/{item}/timeline/"
        elif kind == DASHBOARD:
            item = items["dashboard"]
            path = f"/app/reports/programmes/{item}/"
        else:
            key = next(k for k, label in ELIGIBLE.items() if label == kind)
            item = items["eligible"][key]
            path = f"/app/programmes/{item}/eligible/"
        status, body, seconds = browser.get(path)
        return {"status": status, "ms": seconds * 1000, "bytes": len(body), "item": item}

    def expected(kind):
        return 302 if kind == ATTENDANCE else 200

    return round_robin(args, out, KINDS, request, expected, WARMUP)


def _check_saved(sessions):
    """How many of the sessions saved over HTTP hold a row for each of their group."""
    from django.db.models import Count

    from most.programmes.models import Attendance

    wanted = {session: len(group) for session, group in sessions}
    found = dict(
        Attendance.objects.filter(session__in=wanted)
        .values_list("session")
        .annotate(n=Count("pk"))
        .values_list("session", "n")
    )
    return {
        "sessions": len(wanted),
        "complete": sum(found.get(session, 0) == n for session, n in wanted.items()),
    }


# --- in-process: where the time goes ----------------------------------------------------------

# What each statement is for, by its text: every needle must be in it; the first match wins.
_STATEMENTS = [
    (('UPDATE "django_session"',), "session: save"),
    (('FROM "django_session"',), "session"),
    (('FROM "accounts_user"',), "user"),
    (('FROM "accounts_membership"',), "membership"),
    (('"audit_auditkey"',), "audit: the person's key"),
    (('INSERT INTO "audit_auditentry"',), "audit entry"),
    (('"audit_auditedperson"',), "audit: persons shown"),
    (('INSERT INTO "programmes_attendance"',), "attendance: save"),
    (('FROM "programmes_enrolment"', 'AS "presence"'), "attendance: the group's sheet"),
    (("UNION ALL", "COUNT(*)"), "timeline: count"),
    (("UNION ALL",), "timeline: page"),
    (('FROM "programmes_attendance"', "COUNT(DISTINCT"), "dashboard: present by area"),
    (('FROM "programmes_attendance"', "GROUP BY"), "dashboard: attendance by activity"),
    (('FROM "casework_outcome"',), "dashboard: outcomes"),
    (('FROM "programmes_enrolment"', "GROUP BY"), "dashboard: participants grouped"),
    (('FROM "people_person"', "COUNT(*)"), "eligible: count"),
    (('FROM "people_person"', 'AS "enrolled"'), "eligible: page"),
    (('FROM "people_person"',), "person"),
    (('FROM "programmes_session"',), "session and activity"),
    (('FROM "programmes_programme"',), "programme"),
    (('FROM "programmes_enrolment"', "COUNT("), "enrolments counted"),
    (('FROM "programmes_enrolment"',), "enrolments"),
    (("SAVEPOINT",), "savepoint"),
    (("BEGIN",), "BEGIN"),
]


_label = labeller(_STATEMENTS)


def _replay(client, items, sessions):
    """Each kind of page REPLAYS times in-process (test client), every SQL statement timed;
    the plan of each kind's slowest statement (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on
    PostgreSQL, in a transaction rolled back)."""
    timer = TextTimer(_label)
    replay = {}
    for kind in KINDS:

        def send(n, kind=kind):
            person = items["timeline"][n % len(items["timeline"])]
            _send(client, *_page(kind, items, sessions[n], person))

        replay[kind] = replay_kind(timer, send, REPLAYS)
    return replay


def _jit_on(connection):
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        return cursor.fetchone()[0] == "on"


VARIANT_KINDS = (TIMELINE, DASHBOARD, *ELIGIBLE.values())


def _replay_with(client, items, statement, undo, check):
    """The timeline, the dashboard and the eligible pages replayed once more after a change of
    the database's settings: on PostgreSQL with JIT compilation on for this connection (`SET
    jit = on`: PostgreSQL's default, which Most's connections turn off), on SQLite after
    `ANALYZE` (the planner's statistics, which the application never gathers). Returns
    {"change": statement, kind: [runs]}; check(connection) says that the change still holds
    after each request."""
    from django.db import connection

    timer = TextTimer(_label)
    figures = {"change": statement}
    with connection.cursor() as cursor:
        cursor.execute(statement)
    try:
        for kind in VARIANT_KINDS:
            runs = []
            for n in range(REPLAYS):
                person = items["timeline"][n % len(items["timeline"])]
                timer.reset()
                with connection.execute_wrapper(timer), timer.fetches():
                    began = time.perf_counter()
                    _send(client, *_page(kind, items, person=person))
                    ms = (time.perf_counter() - began) * 1000
                if check is not None:
                    assert check(connection), f"{statement} no longer holds: connection replaced"
                runs.append({"ms": ms, "db_ms": timer.seconds * 1000})
            figures[kind] = runs
    finally:
        if undo:
            with connection.cursor() as cursor:
                cursor.execute(undo)
    return figures
