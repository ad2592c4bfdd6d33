"""What a run measures, shared by the benchmark's modules: where things are, what is requested."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"  # git ignores it

LOGIN = "caseworker@most.example"  # the demo's case worker, who searches
HTMX = {"HX-Request": "true", "HX-Target": "results"}  # the live search's fragment

QUERIES_PER_KIND = 50
WARMUP_ROUNDS = 5  # warm-up requests of every kind before timing
KINDS = ("exact", "partial", "other-script", "misspelt", "one-letter", "two-letters")
TRIVIAL, HOME = "trivial view", "workspace home"
REQUESTS = (TRIVIAL, *KINDS, HOME)
