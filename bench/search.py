"""Search benchmark: the person list's search as staff use it, at national scale, over HTTP.

    .venv/bin/python bench/search.py [--persons 200000] [--db sqlite|postgres|both]

Each database gets a fresh database of its own (a temporary SQLite file; a `most_bench` database
on the local PostgreSQL), never the developer's. Django reads its settings at import, so the
parent process runs every database in a child process of this same script (`--child`) and prints
the combined table; bench/README.md explains the figures and gets the newest ones.

Every process of a run, the server included, imports the application from a copy of most/ taken
when the run begins, so that edits to the work tree during the run do not mix two versions.

What a run does (the modules named are beside this script):

1. one process (`--vocabulary`) reads real names per country of origin from names-dataset and
   Faker into a compact JSON file (names-dataset alone takes ~1 GB while it is loaded): names.py,
   with transliteration.py for the spellings of names in other scripts;
2. per database, a child process (`--child`, measure.py): migrate, seed the demo organisations
   and users, write 1,000 persons with those names through `bulk_persons` into the first
   organisation and count the SQL queries of the list, search and detail pages; write the rest
   (all in that one organisation: the worst case) and count again; count the vocabulary
   (distinct names, distinct search keys): database.py;
3. start the production server (`most serve`: gunicorn, DEBUG off) on the bench database, log in
   over HTTP as the case worker (server.py) and time, interleaved round-robin after warm-up
   requests, the trivial view (GET /health/), the search as the HTMX fragment for six kinds of
   query (50 each, from random persons with a fixed seed: queries.py) and the workspace home;
4. stop the server; check with `person_search` whether the intended person is among the
   matches, replay the searches in-process to see their SQL statements;
5. print the tables and write them into bench/README.md (report.py).
"""

import argparse
import sys
from pathlib import Path

# bench/ is not a package: its modules are imported from this script's folder, which Python puts
# first on sys.path when it runs a script, but not in every way of running one (-P, runpy).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from config import RESULTS_DIR, ROOT
from measure import run_child
from parent import add_common_arguments, machine, run
from report import README, misses, plans, render, verdict, write_readme


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser)
    parser.add_argument(
        "--explain",
        type=int,
        default=0,
        metavar="N",
        help="print the plans of the slowest SQL of the N slowest searches",
    )
    run(parser, run_child, report, RESULTS_DIR, child_arguments)


def child_arguments(args):
    return ["--explain", str(args.explain)] if args.explain else []


def report(args, results, seconds):
    text = render(results, machine()) + f"\n\nWhole benchmark: {seconds / 60:.1f} minutes."
    print()
    print(text)
    print()
    print(verdict(results))
    if missed := misses(results):
        print("\nMisspelt / other-script queries that missed their person:")
        print(missed)
    if explained := plans(results):
        print(explained)
    if not args.no_readme:
        write_readme(text + "\n\n" + verdict(results).replace("\n", "  \n"))
        print(f"\nFigures written to {README.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
