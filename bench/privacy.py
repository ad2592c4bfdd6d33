"""Privacy benchmark: the audit trail, the data subject's export and erasure at national scale,
over HTTP.

    .venv/bin/python bench/privacy.py [--persons 200000] [--db sqlite|postgres|both]

Like search.py (whose modules it reuses), each database gets a fresh database of its own (a
temporary SQLite file; a `most_bench_privacy` database on the local PostgreSQL), each in a child
process of this same script (`--child`), and every process of the run imports the application
from a copy of most/ taken when the run begins.

What a run does (the modules named are beside this script):

1. one process (`--vocabulary`) reads real names per country of origin (names.py);
2. per database, a child process (privacy_measure.py): migrate, seed the demo organisations and
   users (and ten more case workers), write the persons with `bulk_persons` into the first
   organisation, then a year of their audit trail as the services write it (privacy_data.py):
   per person a CREATE entry sealed with the person's key, consents and households with
   theirs, views, lists and searches with the persons they showed, exports of searches, log-ins;
3. start the production server (`most serve`) and the background worker (`most worker`) on it
   (server.py), log in over HTTP as the organisation's administrator (its data protection
   contact, with the password alone: MOST_TWO_FACTOR_FOR_ADMINS=false) and make an API token;
4. time, interleaved round-robin after a warm-up: the trivial view (GET /health/), the audit
   page (the first, filtered by an action, the 20th), the data subject's export end to end
   (POST, poll the job, download the ZIP) and the erasure, each of a different person;
5. stop the server; replay the audit pages in-process with their SQL timed, and run a few
   exports and erasures in-process to see which parts and statements take the time;
6. print the tables and write them into bench/README.md between the privacy markers
   (privacy_report.py).
"""

import argparse
import sys
from pathlib import Path

# bench/ is not a package: its modules are imported from this script's folder (see search.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from config import RESULTS_DIR
from parent import add_common_arguments, reporter, run
from privacy_measure import run_child
from privacy_report import HEADING, MARK_END, MARK_START, render, verdict

# Its own folder of results: a search benchmark may run at the same time.
PRIVACY_RESULTS = RESULTS_DIR / "privacy"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--exports", type=int, default=30, help="timed exports (default 30)")
    parser.add_argument("--erasures", type=int, default=30, help="timed erasures (default 30)")
    parser.add_argument(
        "--requests",
        type=int,
        default=50,
        help="timed requests of each audit page and of the trivial view (default 50)",
    )
    run(parser, run_child, report, PRIVACY_RESULTS, child_arguments)


def child_arguments(args):
    return [
        *("--exports", str(args.exports), "--erasures", str(args.erasures)),
        *("--requests", str(args.requests)),
    ]


report = reporter(render, verdict, (MARK_START, MARK_END, HEADING))


if __name__ == "__main__":
    main()
