"""Referrals benchmark: an organisation's inbox, sending and accepting a referral, and the
response-time figures at national scale, over HTTP.

    .venv/bin/python bench/referrals.py [--persons 200000] [--referrals 300000]
        [--requests 50] [--db sqlite|postgres|both] [--small]

Like the other benchmarks (whose modules it reuses), each database gets a fresh database of its
own (a temporary SQLite file; a `most_bench_referrals` database on the local PostgreSQL), each
in a child process of this same script (`--child`), and every process of the run imports the
application from a copy of most/ taken when the run begins.

What a run does (the modules named are beside this script):

1. one process (`--vocabulary`) reads real names per country of origin (names.py);
2. per database, a child process (referrals_measure.py): migrate, seed the demo's organisations
   and users, then the network (referrals_network.py): some 330 organisations of very
   different sizes (the regional centres for social work and employment offices, health
   centres, schools, municipalities, administrative units, 170 NGOs), their staff and their
   services in the catalogue. Write in bulk (referrals_data.py) a small data set (a fortieth,
   at most 5,000 persons and 7,500 referrals) and count the SQL statements of every request
   measured; then the full one: persons with `bulk_persons` in every organisation that
   registers them, their consents, three years of referrals with their steps, access grants
   and recent notices. Count the statements again;
3. start the production server (`most serve`, server.py), its e-mail going to a local SMTP
   sink (smtp_sink.py); sign in over HTTP as a case worker and as the coordinator of
   Ljubljana's centre for social work, the largest receiver;
4. time, interleaved round-robin after a warm-up: the trivial view (GET /health/), the
   centre's inbox (new, in progress), sending a referral over the API as an NGO's case worker,
   accepting one over the API as the centre's case worker, and the response-time figures (if
   this code has the page);
5. stop the server; check what the requests wrote; replay every request in-process with its
   SQL statements timed and EXPLAIN each one's slowest statement;
6. print the tables and write them into bench/README.md between the referrals markers
   (referrals_report.py).
"""

import argparse
import sys
from pathlib import Path

# bench/ is not a package: its modules are imported from this script's folder (see search.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from config import RESULTS_DIR
from parent import add_common_arguments, reporter, run
from referrals_measure import run_child
from referrals_report import HEADING, MARK_END, MARK_START, render, verdict

# Its own folder of results: another benchmark may run at the same time.
REFERRALS_RESULTS = RESULTS_DIR / "referrals"
SMALL = {"persons": 20_000, "referrals": 40_000, "requests": 12}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--referrals", type=int, default=300_000, help="default 300,000")
    parser.add_argument(
        "--requests",
        type=int,
        default=50,
        help="timed requests of each kind and of the trivial view (default 50)",
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="a quick check: 20,000 persons, 40,000 referrals, 12 requests (unless given)",
    )
    if parser.parse_known_args()[0].small:
        parser.set_defaults(**SMALL)
    run(parser, run_child, report, REFERRALS_RESULTS, child_arguments)


def child_arguments(args):
    return ["--referrals", str(args.referrals), "--requests", str(args.requests)]


report = reporter(render, verdict, (MARK_START, MARK_END, HEADING))


if __name__ == "__main__":
    main()
