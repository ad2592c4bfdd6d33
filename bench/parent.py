"""What the parent process of every benchmark does: the copy of the code that the run measures,
the vocabulary of real names, one child process per database, and the machine it ran on."""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from config import ROOT
from names import extract_vocabulary


def add_common_arguments(parser):
    """What every benchmark takes; and, hidden, what the processes a run starts take (they are
    the benchmark's own script, with one of these)."""
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--sqlite-analyze",
        action="store_true",
        help="run ANALYZE on SQLite after writing the data (PostgreSQL always gets one)",
    )
    parser.add_argument("--no-readme", action="store_true", help="do not update bench/README.md")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    for name in ("--vocabulary", "--names", "--out"):
        parser.add_argument(name, help=argparse.SUPPRESS)


def run(parser, run_child, report, results_dir, child_arguments=lambda args: []):
    """Run as what the script was started as: the vocabulary's process, one database's child
    process (run_child(args) → its figures, written to --out), or the parent. The parent runs
    the vocabulary's process, then a child per database (with the common arguments and
    child_arguments(args)), every process on one copy of the code, and hands the children's
    figures to report(args, results, seconds the run took)."""
    args = parser.parse_args()
    if args.vocabulary:
        extract_vocabulary(args.vocabulary)
    elif args.child:
        if args.db == "both":
            parser.error("--child runs one database")
        result = run_child(args)
        Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    else:
        code, env = code_snapshot()
        try:
            began = time.perf_counter()
            results = _children(args, env, results_dir, child_arguments(args))
            report(args, results, time.perf_counter() - began)
        finally:
            remove_snapshot(code)


def _children(args, env, results_dir, more_arguments):
    results_dir.mkdir(parents=True, exist_ok=True)
    script = Path(sys.argv[0]).resolve()
    names = results_dir / "names.json"
    print("== vocabulary: names-dataset and Faker", flush=True)
    extract_names(script, names, env)
    results = []
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        path = results_dir / f"{db}-{args.persons}.json"
        arguments = ["--db", db, "--persons", str(args.persons)]
        arguments += ["--names", str(names), "--out", str(path), *more_arguments]
        if args.sqlite_analyze:
            arguments.append("--sqlite-analyze")
        print(f"== {db}: {args.persons:,} persons", flush=True)
        start_child(script, arguments, env)
        results.append(json.loads(path.read_text(encoding="utf-8")))
    return results


def code_snapshot():
    """A copy of the application's code, for every process of the run (the children and the
    server put it first on PYTHONPATH): the code measured is the code as the run began, even if
    the work tree changes during the run. Returns (its directory, the children's environment)."""
    directory = tempfile.mkdtemp(prefix="most-bench-code-")
    shutil.copytree(
        ROOT / "most", Path(directory, "most"), ignore=shutil.ignore_patterns("__pycache__")
    )
    commit = (
        os.environ.get("MOST_BENCH_COMMIT")
        or subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    )
    path = os.pathsep.join(p for p in (directory, os.environ.get("PYTHONPATH")) if p)
    return directory, {**os.environ, "PYTHONPATH": path, "MOST_BENCH_COMMIT": commit or "unknown"}


def remove_snapshot(directory):
    shutil.rmtree(directory, ignore_errors=True)


def extract_names(script, path, env):
    """The vocabulary of real names (names.py) into `path`, by `script --vocabulary` in a process
    of its own: names-dataset holds ~1 GB until the process ends."""
    command = [sys.executable, str(script), "--vocabulary", str(path)]
    subprocess.run(command, check=True, cwd=ROOT, env=env)  # noqa: S603 – the benchmark itself


def start_child(script, arguments, env):
    """`script --child *arguments` (one database), run with this same interpreter."""
    command = [sys.executable, str(script), "--child", *arguments]
    subprocess.run(command, check=True, cwd=ROOT, env=env)  # noqa: S603 – the benchmark itself


def machine():
    """{"date", "machine"} of this run, for the report's first line."""
    return {
        "date": datetime.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {_memory()}, {platform.system()} {platform.machine()}",
    }


def _memory():
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            kib = int(meminfo.readline().split()[1])
        return f"{kib / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        return "unknown RAM"


def publish(args, results, seconds, *, render, verdict, marks):
    """Print a benchmark's figures and its verdict, and write them into bench/README.md between
    the benchmark's own markers (marks: start, end, heading) unless --no-readme."""
    from report import README, write_readme

    text = render(results, machine()) + f"\n\nWhole benchmark: {seconds / 60:.1f} minutes."
    print()
    print(text)
    print()
    print(verdict(results))
    if not args.no_readme:
        figures = text + "\n\n" + verdict(results).replace("\n", "  \n")
        write_readme(figures, *marks)
        print(f"\nFigures written to {README.relative_to(ROOT)}")


def reporter(render, verdict, marks):
    """run()'s report for a benchmark: publish its figures (marks: start, end, heading)."""

    def report(args, results, seconds):
        publish(args, results, seconds, render=render, verdict=verdict, marks=marks)

    return report
