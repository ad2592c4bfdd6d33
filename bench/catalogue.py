"""Service catalogue benchmark: the HSDS import, the public finder and the HSDS API at national
scale, over HTTP.

    .venv/bin/python bench/catalogue.py [--services 5000] [--locations 8000]
        [--db sqlite|postgres|both]

For each database, in a child process of this script (on a copy of most/ taken when the run
begins, as the other benchmarks do) with a fresh database (a temporary SQLite file; a
`most_bench_catalogue` database on the local PostgreSQL):

1. generate the catalogue as HSDS documents (catalogue_data.py: towns and streets from Faker's
   Slovenian provider, a few large providers and many small ones);
2. time its import into the empty catalogue, in-process, as `most catalogue_import` does it
   (read, check every row, write in one transaction);
3. give a third of the services translations, count the SQL statements of an HSDS page of one
   and of fifty fully nested services, and of the finder's pages;
4. start `most serve` and time, interleaved round-robin after a warm-up: the trivial view
   (GET /health/), the finder searched by words, by category and town, and by language, free
   of charge and open now (in Arabic), and HSDS pages of 50 fully nested services;
5. print the figures and write them into bench/README.md between the catalogue's markers.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from config import RESULTS_DIR
from parent import code_snapshot, publish, remove_snapshot, start_child
from report import percentile, table

RESULTS = RESULTS_DIR / "catalogue"
MARK_START, MARK_END = "<!-- bench:catalogue:start -->", "<!-- bench:catalogue:end -->"
HEADING = "### Latest figures (`catalogue.py`)"
TRIVIAL = "trivial view"
WORDS, FILTERS, OPEN = (
    "finder: words",
    "finder: category and town",
    "finder: language, free, open now",
)
HSDS_PAGE = "HSDS /services, 50 fully nested"
TARGETS_MS = {WORDS: 50, FILTERS: 50, OPEN: 50, HSDS_PAGE: 150}
IMPORT_TARGET_S = 60
WARMUP = 3


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=5_000)
    parser.add_argument("--locations", type=int, default=8_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        Path(args.out).write_text(json.dumps(run_child(args), indent=1), encoding="utf-8")
        return
    code, env = code_snapshot()
    try:
        began = time.perf_counter()
        RESULTS.mkdir(parents=True, exist_ok=True)
        results = []
        for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
            out = RESULTS / f"{db}-{args.services}.json"
            print(f"== {db}: {args.services:,} services", flush=True)
            sizes = ["--services", str(args.services), "--locations", str(args.locations)]
            start_child(
                Path(__file__).resolve(),
                ["--db", db, "--out", str(out), "--requests", str(args.requests), *sizes],
                env,
            )
            results.append(json.loads(out.read_text(encoding="utf-8")))
        marks = (MARK_START, MARK_END, HEADING)
        seconds = time.perf_counter() - began
        publish(args, results, seconds, render=render, verdict=verdict, marks=marks)
    finally:
        remove_snapshot(code)


# --- The child process: one database ------------------------------------------------------------


def run_child(args):
    from database import django_on_fresh_database

    directory, cleanup = django_on_fresh_database(args.db, pg_database="most_bench_catalogue")
    try:
        return _measure(args, directory)
    finally:
        cleanup()


def _stage(out, name, began):
    out["stages"][name] = round(time.perf_counter() - began, 1)
    print(f"[{out['db']}] {name}: {out['stages'][name]} s", flush=True)


def _measure(args, directory):
    from catalogue_data import Catalogue
    from django.core.management import call_command
    from django.db import connection, connections

    out = {"db": args.db, "stages": {}, "sizes": {}}
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    _stage(out, "migrate", began)

    began = time.perf_counter()
    documents = Catalogue(args.services, args.locations).documents()
    content = "\n".join(json.dumps(d, ensure_ascii=False) for d in documents).encode()
    _stage(out, "generate the documents", began)
    out["sizes"]["NDJSON (MB)"] = round(len(content) / 1e6, 1)

    out["import"] = _time_import(content)
    print(f"[{args.db}] import: {out['import']}", flush=True)
    out["sizes"].update(_sizes())

    began = time.perf_counter()
    _translate_a_third()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    _stage(out, "translations, statistics", began)

    out["statements"] = _statements()
    out["queries"] = _queries(args.requests + WARMUP)
    connections.close_all()

    from server import Browser, production_server

    began = time.perf_counter()
    with production_server(directory) as port:
        _stage(out, "start most serve", began)
        began = time.perf_counter()
        out["rows"] = _time_requests(Browser(port), out["queries"], args.requests)
        _stage(out, "timed requests", began)
    out["load"] = os.getloadavg()[0]
    out["versions"] = {"database": connection.vendor, "server": connection.Database.__name__}
    out["commit"] = os.environ.get("MOST_BENCH_COMMIT", "unknown")
    return out


def _time_import(content):
    from most.directory import hsds_import
    from most.directory.services import catalogue_import

    began = time.perf_counter()
    dataset = hsds_import.read("catalogue.ndjson", content)
    read = time.perf_counter() - began
    outcome = catalogue_import(dataset=dataset, name="bench")
    assert outcome.ok, [str(p) for p in outcome.problems[:5]]
    total = time.perf_counter() - began
    return {
        "seconds": round(total, 1),
        "read_seconds": round(read, 1),
        "rows": len(dataset.rows),
        "counts": outcome.counts,
    }


def _sizes():
    from most.directory import models

    return {
        "organisations": models.Organization.objects.count(),
        "services": models.Service.objects.count(),
        "locations": models.Location.objects.count(),
        "services at a location": models.ServiceAtLocation.objects.count(),
        "schedules": models.Schedule.objects.count(),
        "languages": models.Language.objects.count(),
        "attributes": models.Attribute.objects.count(),
    }


def _translate_a_third():
    from most.directory.models import Service
    from most.directory.services import service_search_text

    services = list(Service.objects.select_related("organization").order_by("pk")[::3])
    for service in services:
        service.translations = {
            "en": {"name": f"Service {service.name}", "description": "Help for migrants."},
            "ar": {"name": "خدمة للمهاجرين", "description": "مساعدة للمهاجرين وعائلاتهم."},
        }
        service.search_text = service_search_text(service)
    Service.objects.bulk_update(services, ["translations", "search_text"], batch_size=500)


def _statements():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    counts = {}
    for label, url in (
        ("HSDS, 1 full service", "/api/hsds/services?full=true&per_page=1"),
        ("HSDS, 50 full services", "/api/hsds/services?full=true&per_page=50"),
        ("finder, one result", "/services/?q=Tolmačenje+na+daljavo+za"),
        ("finder, 20 results", "/services/?category=language-course"),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[label] = len(queries)
    return counts


def _queries(needed):
    """The requests of each kind, from the catalogue's own words, categories and towns."""
    import random

    from most.directory.models import Address, Service

    rng = random.Random(7)
    names = list(Service.objects.values_list("name", flat=True)[:2000])
    towns = sorted(set(Address.objects.values_list("city", flat=True)))
    categories = ["legal-aid", "language-course", "integration-counselling", "employment"]
    pages = Service.objects.count() // 50
    queries = {WORDS: [], FILTERS: [], OPEN: [], HSDS_PAGE: []}
    for _ in range(needed):
        words = rng.choice(names).split()
        queries[WORDS].append("/services/?" + urlencode({"q": " ".join(words[:2])}))
        queries[FILTERS].append(
            "/services/?"
            + urlencode({"category": rng.choice(categories), "town": rng.choice(towns)})
        )
        queries[OPEN].append(
            "/services/?"
            + urlencode({"language": rng.choice(["ar", "uk", "fa"]), "free": "on", "open": "on"})
        )
        queries[HSDS_PAGE].append(
            f"/api/hsds/services?full=true&per_page=50&page={rng.randint(1, pages)}"
        )
    return queries


def _time_requests(browser, queries, count):
    rows = []
    kinds = [TRIVIAL, *queries]
    for n in range(WARMUP + count):
        for kind in kinds:
            path = "/health/" if kind == TRIVIAL else queries[kind][n]
            headers = {"Accept-Language": "ar"} if kind == OPEN else {}
            status, body, seconds = browser.get(path, headers)
            assert status == 200, (path, status, body[:200])
            if n >= WARMUP:
                rows.append({"kind": kind, "ms": seconds * 1000, "bytes": len(body)})
    return rows


# --- The report --------------------------------------------------------------------------------


def _summary(result):
    by_kind = {}
    for row in result["rows"]:
        by_kind.setdefault(row["kind"], []).append(row["ms"])
    return {
        kind: {
            "p50": statistics.median(values),
            "p95": percentile(values, 0.95),
            "max": max(values),
            "kb": statistics.median(r["bytes"] for r in result["rows"] if r["kind"] == kind) / 1024,
        }
        for kind, values in by_kind.items()
    }


def render(results, info):
    first = results[0]
    lines = [
        f"Run {info['date']} on {info['machine']}; code at {first['commit']}. Over HTTP to "
        "`most serve` (gunicorn, 2 workers), interleaved round-robin: "
        f"{len(first['rows']) // 5} requests of each kind after {WARMUP} warm-up rounds.",
        "",
        "The data:",
        "",
    ]
    header = ["", *(r["db"] for r in results)]
    keys = list(first["sizes"])
    lines.append(table(header, [[k, *(f"{r['sizes'][k]:,}" for r in results)] for k in keys]))
    lines += [
        "",
        "The import of the whole catalogue (NDJSON, read, checked, written in one transaction):",
        "",
    ]
    rows = [
        ["rows read", *(f"{r['import']['rows']:,}" for r in results)],
        ["reading (s)", *(f"{r['import']['read_seconds']}" for r in results)],
        [
            f"whole import (s), target ≤ {IMPORT_TARGET_S}",
            *(f"{r['import']['seconds']}" for r in results),
        ],
    ]
    lines.append(table(header, rows))
    lines += [
        "",
        "Over HTTP (ms; ÷ trivial: the p50 and p95 against the trivial view's in the same run):",
        "",
    ]
    summaries = {r["db"]: _summary(r) for r in results}
    head = ["request", "target"]
    for r in results:
        head += [f"{r['db']} p50", f"{r['db']} p95", f"{r['db']} ÷ trivial", f"{r['db']} KB"]
    body = []
    for kind in [TRIVIAL, WORDS, FILTERS, OPEN, HSDS_PAGE]:
        target = f"p95 ≤ {TARGETS_MS[kind]} ms" if kind in TARGETS_MS else "baseline"
        cells = [kind, target]
        for r in results:
            s, t = summaries[r["db"]][kind], summaries[r["db"]][TRIVIAL]
            miss = " ✗" if kind in TARGETS_MS and s["p95"] > TARGETS_MS[kind] else ""
            cells += [
                f"{s['p50']:,.1f}",
                f"{s['p95']:,.1f}{miss}",
                f"×{s['p50'] / t['p50']:.1f} / ×{s['p95'] / t['p95']:.1f}",
                f"{s['kb']:,.1f}",
            ]
        body.append(cells)
    lines.append(table(head, body))
    lines += ["", "SQL statements per page (test client):", ""]
    labels = list(first["statements"])
    lines.append(
        table(
            ["page", *(r["db"] for r in results)],
            [[k, *(str(r["statements"][k]) for r in results)] for k in labels],
        )
    )
    return "\n".join(lines)


def verdict(results):
    lines = []
    for r in results:
        summary = _summary(r)
        for kind, limit in TARGETS_MS.items():
            p95 = summary[kind]["p95"]
            ratio = p95 / summary[TRIVIAL]["p95"]
            state = "meets" if p95 <= limit else "MISSES"
            lines.append(
                f"{r['db']}: {kind} p95 {p95:,.0f} ms, ×{ratio:.1f} the trivial view "
                f"({state} p95 ≤ {limit} ms)"
            )
        seconds = r["import"]["seconds"]
        state = "meets" if seconds <= IMPORT_TARGET_S else "MISSES"
        services = r["sizes"]["services"]
        lines.append(
            f"{r['db']}: import of {services:,} services {seconds} s "
            f"({state} ≤ {IMPORT_TARGET_S} s)"
        )
        one, fifty = (
            r["statements"]["HSDS, 1 full service"],
            r["statements"]["HSDS, 50 full services"],
        )
        state = "meets" if one == fifty else "MISSES"
        lines.append(
            f"{r['db']}: HSDS page statements {one} for 1, {fifty} for 50 ({state}: the same)"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
