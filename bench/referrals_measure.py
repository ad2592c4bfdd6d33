"""One database's run of the referrals benchmark, in a child process: write a small data set and
count the pages' SQL statements, write the full one and count them again, start `most serve`
(its e-mail going to a local SMTP sink), time the requests over HTTP beside the trivial view,
then see in-process where the time goes (each statement timed, the slowest one's plan).

Django and the application are imported inside the functions, after `run_child` has pointed
`DATABASE_URL` at a fresh database and set Django up.
"""

import json
import statistics
import time

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
from referrals_data import Sizes, World, name_pools
from referrals_network import SEED, prepare
from server import Browser, production_server
from smtp_sink import smtp_sink

PG_DATABASE = "most_bench_referrals"  # not the other benchmarks': they may run at once
TRIVIAL = "trivial view"
INBOX_NEW = "inbox: new (?view=new)"
INBOX_OPEN = "inbox: in progress (?view=open)"
SEND = "send a referral (API)"
ACCEPT = "accept a referral (API)"
FIGURES = "response-time figures"
ALL_KINDS = (TRIVIAL, INBOX_NEW, INBOX_OPEN, SEND, ACCEPT, FIGURES)
PATHS = {
    TRIVIAL: "/health/",
    INBOX_NEW: "/app/referrals/?view=new",
    INBOX_OPEN: "/app/referrals/?view=open",
    SEND: "/api/referrals/",
}
EXPECTED = {SEND: 201}  # else 200
WARMUP = 3  # untimed requests of every kind first
REPLAYS = 5  # in-process requests of every kind, their SQL timed
REASON = "Potrebuje pomoč pri urejanju dokumentov in stik s svetovalcem; govori ukrajinsko."


def run_child(args):
    """Measure one database (args.db); returns its figures (JSON-serialisable)."""
    return run_in_fresh_database(args, PG_DATABASE, _measure)


def small_sizes(args):
    """The small data set written first, whose pages' statements are counted before the rest
    is written: a fortieth of the full one."""
    return Sizes(
        persons=max(1_000, min(5_000, args.persons // 40)),
        referrals=max(1_500, min(7_500, args.referrals // 40)),
    )


def figures_path():
    """The response-time figures' page, if this code has it."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("referrals:figures")
    except NoReverseMatch:
        return None


def _measure(args, directory):
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import setup_test_environment

    from most.demo.generator import DEMO_PASSWORD

    setup_test_environment(debug=False)
    out = {"db": args.db, "stages": {}, "load": {}}
    out["sizes"] = {"persons": args.persons, "referrals": args.referrals}

    def stage(name, start):
        seconds = time.perf_counter() - start
        out["stages"][name] = seconds
        print(f"[{args.db}] {name}: {seconds:.1f} s", flush=True)

    network = prepare(stage, DEMO_PASSWORD)
    figures = figures_path()
    out["kinds"] = [k for k in ALL_KINDS if k != FIGURES or figures]
    out["figures_path"] = figures
    names = name_pools(args.names)
    clients = {}
    for what in ("receiver", "figures"):
        clients[what] = Client()
        clients[what].force_login(network.logins[what][0])
    clients["api"] = Client()

    small = small_sizes(args)
    start = time.perf_counter()
    small_world = World(small, SEED, network, names)
    out["small"] = small_world.write(lambda *_: None)
    stage(f"small data set: {small.persons:,} persons, {small.referrals:,} referrals", start)
    small_items = small_world.items(1)
    out["statements"] = {"small": _count_pages(clients, network, small_items, out["kinds"])}
    out["inbox"] = {"small": _inbox_sizes(network)}

    full = Sizes(args.persons - small.persons, args.referrals - small.referrals)
    world = World(full, SEED + 1, network, names)
    out["data"] = world.write(stage)
    print(f"[{args.db}] {out['data']}", flush=True)
    analyze(args, stage)

    needed = 1 + WARMUP + args.requests + REPLAYS
    items = world.items(needed)
    for what in ("send", "accept"):
        if len(items[what]) < needed:
            raise RuntimeError(f"{len(items[what])} items to {what}, {needed} needed")
    counted = {what: items[what][:1] for what in items}
    timed = {what: items[what][1 : needed - REPLAYS] for what in items}
    replayed = {what: items[what][needed - REPLAYS : needed] for what in items}

    start = time.perf_counter()
    out["statements"]["full"] = _count_pages(clients, network, counted, out["kinds"])
    out["inbox"]["full"] = _inbox_sizes(network)
    out["totals"] = _totals(connection)
    out["network"] = _describe(network, timed)
    stage("count statements, describe the data", start)
    connections.close_all()  # the server has the database to itself while it is timed

    start = time.perf_counter()
    with smtp_sink() as sink:
        host, port = sink.server_address
        mail = {"EMAIL_HOST": host, "EMAIL_PORT": str(port)}
        with production_server(directory, env=mail) as port:
            stage("start most serve", start)
            start = time.perf_counter()
            out["rows"] = _time_requests(args, port, DEMO_PASSWORD, network, timed, out)
            stage(f"{len(out['rows'])} timed requests (with warm-up)", start)
        out["mails"] = sink.messages
    out["checked"] = _check(out["rows"])

    start = time.perf_counter()
    out["replay"] = _replay(clients, network, replayed, out["kinds"])
    stage("in-process replay", start)
    out["versions"] = versions(connection)
    return out


# --- a request, in-process or over HTTP -----------------------------------------------------


def _body(kind, item):
    if kind == SEND:
        body = {k: v for k, v in item.items() if k != "to"}
        return {**body, "reason": REASON, "urgency": "routine"}
    pk, version = item
    return {"action": "accept", "version": version}


def _path(kind, item=None):
    if kind == ACCEPT:
        return f"/api/referrals/{item[0]}/transitions/"
    return PATHS.get(kind) or figures_path()


def _in_process(clients, network, kind, item=None):
    """The request with the test client; returns the response (asserting its status)."""
    path = _path(kind, item)
    if kind in (SEND, ACCEPT):
        token = network.tokens["sender" if kind == SEND else "receiver"]
        response = clients["api"].post(
            path,
            data=json.dumps(_body(kind, item)),
            content_type="application/json",
            headers={"authorization": f"Token {token}"},
        )
    else:
        client = clients["figures" if kind == FIGURES else "receiver"]
        response = client.get(path)
    expected = EXPECTED.get(kind, 200)
    assert response.status_code == expected, (path, response.status_code, response.content[:300])
    return response


def _count_pages(clients, network, items, kinds):
    """{kind: {"statements", "audit"}} of each request, in this process: all its statements,
    and those that write the audit trail (a page lists persons by name only where it may,
    and audits that it did: four more statements, on some pages only) or begin and end its
    transactions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for kind in kinds:
        item = None
        if kind in (SEND, ACCEPT):
            pool = items["send" if kind == SEND else "accept"]
            if not pool:
                continue
            item = pool[0]
        with CaptureQueriesContext(connection) as captured:
            _in_process(clients, network, kind, item)
        audit = [
            q
            for q in captured
            if '"audit_' in q["sql"] or q["sql"].startswith(("BEGIN", "SAVEPOINT", "RELEASE"))
        ]
        counts[kind] = {"statements": len(captured), "audit": len(audit)}
    return counts


def _inbox_sizes(network):
    """How many referrals the centre's inbox holds in each view (the page shows 25 a time)."""
    from most.referrals import selectors

    member = network.logins["receiver"][1]
    counts = selectors.inbox_counts(member)
    counts["all"] = selectors.inbox(member, selectors.Filters(view="all")).count()
    return counts


def _time_requests(args, port, password, network, items, out):
    """Warm up, then time every kind round-robin; returns the rows (warm-up left out)."""
    kinds = out["kinds"]
    inbox = Browser(port)
    inbox.log_in(network.logins["receiver"][0].email, password)
    figures = Browser(port)
    if FIGURES in kinds:
        figures.log_in(network.logins["figures"][0].email, password)
    api = Browser(port)  # a script's: the token, no cookies
    pools = {SEND: iter(items["send"]), ACCEPT: iter(items["accept"])}

    def request(kind):
        if kind in (SEND, ACCEPT):
            item = next(pools[kind])
            token = network.tokens["sender" if kind == SEND else "receiver"]
            headers = {
                "Authorization": f"Token {token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            }
            body = json.dumps(_body(kind, item), ensure_ascii=False).encode()
            status, content, seconds = api.request("POST", _path(kind, item), body, headers)
            row = {"status": status, "ms": seconds * 1000, "bytes": len(content)}
            if status in (200, 201):
                row["referral"] = json.loads(content)["id"]
            else:
                row["body"] = content[:300].decode(errors="replace")
            return row
        browser = figures if kind == FIGURES else inbox
        status, content, seconds = browser.get(_path(kind))
        return {"status": status, "ms": seconds * 1000, "bytes": len(content)}

    return round_robin(args, out, kinds, request, lambda kind: EXPECTED.get(kind, 200), WARMUP)


def _check(rows):
    """What the timed requests wrote: the referrals sent, with their two steps and the
    receivers' notices; those accepted, with an access grant in force."""
    from most.people.policy import active_grants
    from most.referrals.models import Event, Notification, Referral

    sent = [r["referral"] for r in rows if r["kind"] == SEND and r["ok"]]
    accepted = [r["referral"] for r in rows if r["kind"] == ACCEPT and r["ok"]]
    return {
        "sent": len(sent),
        "sent and waiting": Referral.objects.filter(pk__in=sent, state="sent").count(),
        "their steps": Event.objects.filter(referral__in=sent).count(),
        "their notices": Notification.objects.filter(referral__in=sent).count(),
        "accepted": len(accepted),
        "accepted, with a grant in force": Referral.objects.filter(
            pk__in=accepted, state="accepted", grant__in=active_grants()
        ).count(),
    }


# --- what the data is ----------------------------------------------------------------------


def _totals(connection):
    """Rows of the tables the pages read, the referrals by state, and the database's size."""
    from django.db.models import Count

    from most.referrals.models import Referral

    tables = [
        ("organisations", "accounts.Organisation"),
        ("staff (memberships)", "accounts.Membership"),
        ("services in the catalogue", "directory.Service"),
        ("persons", "people.Person"),
        ("consents", "people.Consent"),
        ("referrals", "referrals.Referral"),
        ("steps of referrals", "referrals.Event"),
        ("access grants", "people.AccessGrant"),
        ("notices", "referrals.Notification"),
    ]
    totals = table_totals(connection, tables)
    by_state = Referral.objects.values_list("state").annotate(n=Count("pk")).order_by()
    totals["by state"] = dict(by_state.values_list("state", "n"))
    return totals


def _describe(network, timed):
    """The network's variety (the largest receivers, a typical one), the centre whose inbox
    is timed, the sending NGO, and what the timed requests send and accept."""
    from django.db.models import Count, F
    from django.utils import timezone

    from most.accounts.models import Membership
    from most.people.models import Person
    from most.referrals.models import Referral

    received = list(
        Referral.objects.exclude(state="draft")
        .values_list("receiver__name")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("receiver__name", "n")
    )
    receiver, sender = network.receiver, network.sender
    answered = Referral.objects.filter(receiver=receiver.pk, answered_at__isnull=False)
    late = answered.filter(answered_at__gt=F("due_at")).count()
    waiting = Referral.objects.filter(
        receiver=receiver.pk, state="sent", pk__in=[pk for pk, _v in timed["accept"]]
    )
    return {
        "organisations receiving": len(received),
        "largest receivers": received[:5],
        "median received": statistics.median(n for _name, n in received),
        "receiver": {
            "name": receiver.name,
            "staff": Membership.objects.filter(organisation=receiver.pk).count(),
            "received": Referral.objects.filter(receiver=receiver.pk)
            .exclude(state="draft")
            .count(),
            "answered": answered.count(),
            "answered late": late,
        },
        "sender": {
            "name": sender.name,
            "staff": Membership.objects.filter(organisation=sender.pk).count(),
            "persons": Person.objects.filter(organisation=sender.pk).count(),
            "sent": Referral.objects.filter(sender=sender.pk).count(),
        },
        "sends": {
            "to organisations": len({item["to"] for item in timed["send"]}),
            "to an organisation, no service": sum("receiver" in i for i in timed["send"]),
            "requests": len(timed["send"]),
        },
        "accepts": {
            "requests": len(timed["accept"]),
            "past their due day": waiting.filter(due_at__lt=timezone.now()).count(),
        },
    }


# --- in-process: where the time goes ----------------------------------------------------------

# What each statement is for, by its text: every needle must be in it; the first match wins.
_STATEMENTS = [
    (("INSERT INTO",), lambda sql: "insert " + sql.split('"')[1]),
    (("UPDATE",), lambda sql: "update " + sql.split('"')[1]),
    (('FROM "django_session"',), "session"),
    (('"most_cache"',), "cache (API throttle)"),
    (('FROM "authtoken_token"',), "token"),
    (('FROM "accounts_user"',), "user"),
    (('FROM "accounts_membership"',), "memberships"),
    (('"audit_auditkey"',), "audit key"),
    (('FROM "referrals_referral"', "COUNT("), "referrals counted"),
    (('FROM "referrals_referral"',), "referrals"),
    (('FROM "referrals_notification"',), "notices"),
    (('FROM "people_accessgrant"',), "access grants"),
    (('FROM "people_consent"',), "consents"),
    (('FROM "people_person"',), "person"),
    (('FROM "directory_service"',), "service"),
    (("SAVEPOINT",), "savepoint"),
    (("BEGIN",), "BEGIN"),
]


_label = labeller(_STATEMENTS)


def _replay(clients, network, items, kinds):
    """Each kind of request REPLAYS times in-process (test client), every SQL statement timed;
    the plan of each kind's slowest statement (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on
    PostgreSQL, in a transaction rolled back)."""
    timer = TextTimer(_label)
    replay = {}
    for kind in kinds:
        if kind == TRIVIAL:
            continue
        pool = items["send"] if kind == SEND else items["accept"] if kind == ACCEPT else None

        def send(n, kind=kind, pool=pool):
            _in_process(clients, network, kind, pool[n] if pool else None)

        replay[kind] = replay_kind(timer, send, REPLAYS, skip=("BEGIN", "SAVEPOINT"))
    return replay
