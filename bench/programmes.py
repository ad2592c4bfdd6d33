"""Programmes benchmark: attendance, a person's timeline, the programme dashboard and the
eligible persons at national scale, over HTTP.

    .venv/bin/python bench/programmes.py [--persons 200000] [--activities 5000]
        [--attendance 2000000] [--programmes 60] [--db sqlite|postgres|both] [--small]

Like search.py and privacy.py (whose modules it reuses), each database gets a fresh database of
its own (a temporary SQLite file; a `most_bench_programmes` database on the local PostgreSQL),
each in a child process of this same script (`--child`), and every process of the run imports
the application from a copy of most/ taken when the run begins.

What a run does (the modules named are beside this script):

1. one process (`--vocabulary`) reads real names per country of origin (names.py);
2. per database, a child process (programmes_measure.py): migrate, seed the demo organisations
   and users (and facilitators), then write in bulk (programmes_data.py) a small data set (a
   twentieth of the persons, at most 2,000) and count the SQL statements of every page measured;
   then the full one: persons with `bulk_persons` in four organisations (90 % in the first),
   their situations, households and consents; programmes with eligibility rules and phases,
   cohorts of 8–30 participants moving through them, their waiting lists; activities with
   weekly sessions and their attendance; the participants' casework. Count the statements
   again, of the same pages and of the largest;
3. start the production server (`most serve`, server.py) and sign in over HTTP as the first
   organisation's coordinator;
4. time, interleaved round-robin after a warm-up: the trivial view (GET /health/), saving the
   attendance of a group of 25, a person's timeline, the programme dashboard, and the eligible
   persons of three programmes;
5. stop the server; replay every page in-process with its SQL statements timed, EXPLAIN each
   page's slowest statement, and replay the heavier pages once more after a change of the
   database's settings (PostgreSQL: JIT compilation off; SQLite: ANALYZE);
6. print the tables and write them into bench/README.md between the programmes markers
   (programmes_report.py).
"""

import argparse
import sys
from pathlib import Path

# bench/ is not a package: its modules are imported from this script's folder (see search.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from config import RESULTS_DIR
from parent import add_common_arguments, reporter, run
from programmes_measure import run_child
from programmes_report import HEADING, MARK_END, MARK_START, render, verdict

# Its own folder of results: another benchmark may run at the same time.
PROGRAMMES_RESULTS = RESULTS_DIR / "programmes"
SMALL = {"persons": 5_000, "activities": 200, "attendance": 50_000, "programmes": 12}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--activities", type=int, default=5_000, help="default 5,000")
    parser.add_argument(
        "--attendance", type=int, default=2_000_000, help="attendance rows (default 2,000,000)"
    )
    parser.add_argument("--programmes", type=int, default=60, help="default 60")
    parser.add_argument(
        "--requests",
        type=int,
        default=50,
        help="timed requests of each kind and of the trivial view (default 50)",
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help=(
            "a quick check: 5,000 persons, 200 activities, 50,000 attendance rows, 12 "
            "programmes (unless given)"
        ),
    )
    if parser.parse_known_args()[0].small:
        parser.set_defaults(**SMALL)
    run(parser, run_child, report, PROGRAMMES_RESULTS, child_arguments)


def child_arguments(args):
    return [
        *("--activities", str(args.activities), "--attendance", str(args.attendance)),
        *("--programmes", str(args.programmes), "--requests", str(args.requests)),
    ]


report = reporter(render, verdict, (MARK_START, MARK_END, HEADING))


if __name__ == "__main__":
    main()
