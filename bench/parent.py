"""What the parent process of every benchmark does: the copy of the code that the run measures,
the vocabulary of real names, one child process per database, and the machine it ran on."""

import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from config import ROOT


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
