"""The figures of a run as text: Markdown tables (printed, and written into bench/README.md
between its markers), the verdict against the targets, the misses and the plans."""

import os
import statistics

from config import HOME, KINDS, QUERIES_PER_KIND, REQUESTS, ROOT, TRIVIAL, WARMUP_ROUNDS

README = ROOT / "bench" / "README.md"
MARK_START = "<!-- bench:results:start -->"
MARK_END = "<!-- bench:results:end -->"
TARGET_P95_MS = 50
TARGET_HOME_P95_MS = 100
TARGET_RECALL = 0.95
TARGET_QUERIES = 10


def percentile(values, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


def summarise(result):
    """{request kind: figures} of one database's run."""
    summary = {}
    for kind in REQUESTS:
        chosen = [r for r in result["rows"] if r["kind"] == kind]
        if not chosen:
            continue
        times = [r["ms"] for r in chosen]
        s = summary[kind] = {
            "n": len(chosen),
            "median": statistics.median(times),
            "p95": percentile(times, 0.95),
            "max": max(times),
            "errors": sum(r["status"] != 200 for r in chosen),
        }
        if kind in KINDS:
            targeted = [r for r in chosen if r["target"] is not None]
            s["recall"] = sum(r["found"] for r in targeted) / len(targeted) if targeted else None
            s["first_page"] = (
                sum(r["first_page"] for r in targeted) / len(targeted) if targeted else None
            )
            s["matches"] = statistics.median(r["matches"] for r in chosen)
            s["similar"] = sum(r["similar"] for r in chosen)
            s["sql"] = statistics.median(r["sql"] for r in chosen)
            s["db_median"] = statistics.median(r["db_ms"] for r in chosen)
            s["db_p95"] = percentile([r["db_ms"] for r in chosen], 0.95)
            s["replay_median"] = statistics.median(r["replay_ms"] for r in chosen)
    trivial = summary[TRIVIAL]
    for s in summary.values():
        s["median_ratio"] = s["median"] / trivial["median"]
        s["p95_ratio"] = s["p95"] / trivial["p95"]
    return summary


def _target(kind):
    if kind == TRIVIAL:
        return "baseline"
    if kind == HOME:
        return f"p95 ≤ {TARGET_HOME_P95_MS} ms"
    return f"p95 ≤ {TARGET_P95_MS} ms"


def _limit(kind):
    return TARGET_HOME_P95_MS if kind == HOME else TARGET_P95_MS


def table(header, lines):
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=True)]

    def fmt(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([fmt(header), rule, *(fmt(line) for line in lines)])


def _percent(value):
    return "—" if value is None else f"{value:.0%}"


def render(results, machine):
    """The figures as Markdown tables (printed, and written into bench/README.md)."""
    summaries = {r["db"]: summarise(r) for r in results}
    return "\n".join(
        [
            _run(results, machine),
            _vocabulary(results),
            _over_http(results, summaries),
            _recall(results, summaries),
            _replayed(results, summaries),
            _statements(results),
            _queries_per_page(results),
            "\nThe slowest searches of each kind (over HTTP):\n",
            _slowest(results, how_many=3),
            run_time(results),
        ]
    )


def _run(results, machine):
    first = results[0]
    versions = (
        "; ".join(r["versions"]["database"] for r in results)
        + f"; {first['versions']['server']}, 2 workers; Python {first['versions']['python']}, "
        f"Django {first['versions']['django']}"
    )
    return (
        f"Run {machine['date']} on {machine['machine']}. {first['persons']:,} persons, all in "
        f"one organisation; {QUERIES_PER_KIND} requests of each kind after {WARMUP_ROUNDS} "
        f"warm-up rounds, over HTTP to `most serve`. {versions}; code at "
        f"{first['versions']['commit']}."
    )


def _vocabulary(results):
    first = results[0]
    vocabulary = [
        ("distinct family names (as written)", "family"),
        ("distinct family names (Latin form)", "family_latin"),
        ("distinct given names (as written)", "given"),
        ("distinct given names (Latin form)", "given_latin"),
        ("distinct search keys", "search_keys"),
        ("search key rows", "search_key_rows"),
    ]
    lines = [[label] + [f"{r['vocabulary'][key]:,}" for r in results] for label, key in vocabulary]
    countries = sorted(first["vocabulary"]["countries"].items(), key=lambda item: -item[1])
    shares = ", ".join(f"{c} {n / first['persons']:.0%}" for c, n in countries)
    return "\n".join(
        [
            "\nVocabulary of the registry:\n",
            table(["", *(r["db"] for r in results)], lines),
            f"\nPersons by country of origin: {shares}.",
        ]
    )


def timing_table(results, summaries, kinds, targets_ms, target_text, label=str):
    """The over-HTTP table the programmes and privacy benchmarks share: each kind's p50, p95
    (✗ past its target) and max per database, and both against the trivial view's."""
    header = ["request", "target"]
    for r in results:
        db = r["db"]
        header += [f"{db} p50 ms", f"{db} p95 ms", f"{db} max ms", f"{db} ÷ trivial p50 / p95"]
    lines = []
    for kind in kinds:
        line = [label(kind), target_text.get(kind, "baseline")]
        for r in results:
            s = summaries[r["db"]].get(kind)
            if s is None:
                line += ["—", "", "", ""]
                continue
            flag = "" if kind not in targets_ms or s["p95"] <= targets_ms[kind] else " ✗"
            errors = f" ({s['errors']} errors)" if s["errors"] else ""
            line += [
                f"{s['median']:,.1f}{errors}",
                f"{s['p95']:,.1f}{flag}",
                f"{s['max']:,.1f}",
                f"×{s['median_ratio']:,.1f} / ×{s['p95_ratio']:,.1f}",
            ]
        lines.append(line)
    return table(header, lines)


def _over_http(results, summaries):
    header = ["request", "target"]
    for r in results:
        header += [f"{r['db']} median ms", f"{r['db']} p95 ms", f"{r['db']} ÷ trivial"]
    lines = []
    for kind in REQUESTS:
        line = [kind if kind != HOME else f"{kind} (GET /app/)", _target(kind)]
        for r in results:
            s = summaries[r["db"]].get(kind)
            if s is None:
                line += ["not available", "", ""]
                continue
            flag = "" if kind == TRIVIAL or s["p95"] <= _limit(kind) else " ✗"
            errors = f" ({s['errors']} errors)" if s["errors"] else ""
            line += [
                f"{s['median']:.1f}{errors}",
                f"{s['p95']:.1f}{flag}",
                f"×{s['median_ratio']:.1f} / ×{s['p95_ratio']:.1f}",
            ]
        lines.append(line)
    intro = (
        "\nOver HTTP, end to end (connect, request, whole response); "
        "÷ trivial is median / p95 against the trivial view's median / p95 in the same run:\n"
    )
    return intro + "\n" + table(header, lines)


def _recall(results, summaries):
    header = ["query"]
    for r in results:
        header += [f"{r['db']} recall", f"{r['db']} on page 1"]
    header += ["median matches", "misspelling fallback used"]
    lines = []
    for kind in KINDS:
        line = [kind]
        for r in results:
            s = summaries[r["db"]][kind]
            line += [_percent(s["recall"]), _percent(s["first_page"])]
        s = summaries[results[0]["db"]][kind]
        line += [f"{s['matches']:,.0f}", s["similar"]]
        lines.append(line)
    intro = (
        f"\nRecall (the intended person among the matches; target ≥ {TARGET_RECALL:.0%} for "
        "misspelt and other-script) and on page 1 (among the 25 the page shows):\n"
    )
    return intro + "\n" + table(header, lines)


def _replayed(results, summaries):
    header = ["query"]
    for r in results:
        header += [f"{r['db']} SQL median / p95 ms", f"{r['db']} in-process median ms"]
    header.append("SQL statements")
    lines = []
    for kind in KINDS:
        line = [kind]
        for r in results:
            s = summaries[r["db"]][kind]
            line += [f"{s['db_median']:.1f} / {s['db_p95']:.1f}", f"{s['replay_median']:.1f}"]
        line.append(f"{summaries[results[0]['db']][kind]['sql']:.0f}")
        lines.append(line)
    intro = (
        "\nThe same searches replayed in-process after the timing (test client, the SQL timed "
        "in the driver):\n"
    )
    return intro + "\n" + table(header, lines)


def _statements(results):
    lines = []
    for r in results:
        by_label = {}
        for row in r["rows"]:
            for label, ms in row.get("statements", ()):
                by_label.setdefault(label, []).append(ms)
        total = sum(sum(v) for v in by_label.values())
        for label, times in sorted(by_label.items(), key=lambda item: -sum(item[1])):
            lines.append(
                [
                    r["db"],
                    label,
                    len(times),
                    f"{statistics.median(times):.2f}",
                    f"{percentile(times, 0.95):.2f}",
                    f"{max(times):.1f}",
                    f"{sum(times) / total:.0%}",
                ]
            )
    header = ["database", "statement", "runs", "median ms", "p95 ms", "max ms", "share of SQL"]
    return "\nIts SQL statements:\n\n" + table(header, lines)


def _queries_per_page(results):
    sizes = sorted({int(s) for r in results for s in r["queries_per_page"]})
    pages = list(results[0]["queries_per_page"][str(sizes[0])])
    header = ["page"] + [f"{r['db']} @ {s:,}" for r in results for s in sizes]
    lines = [
        [page] + [r["queries_per_page"][str(s)][page] for r in results for s in sizes]
        for page in pages
    ]
    intro = f"\nSQL queries per page (target ≤ {TARGET_QUERIES}, constant with size):\n"
    return intro + "\n" + table(header, lines)


def _slowest(results, how_many):
    lines = []
    for r in results:
        for kind in KINDS:
            rows = [row for row in r["rows"] if row["kind"] == kind]
            for row in sorted(rows, key=lambda row: row["ms"], reverse=True)[:how_many]:
                statement = max(row["statements"], key=lambda st: st[1], default=("—", 0.0))
                lines.append(
                    f"* {r['db']}: {row['ms']:.1f} ms {kind} `{row['q']}` "
                    f"({row['matches']:,} {'match' if row['matches'] == 1 else 'matches'}"
                    f"{', similar names' if row['similar'] else ''}; "
                    f"replayed: SQL {row['db_ms']:.1f} ms, slowest {statement[0]} "
                    f"{statement[1]:.1f} ms)"
                )
    return "\n".join(lines)


def run_time(results):
    """The load around the timing, and how long each stage of the run took."""
    header = ["stage"] + [r["db"] for r in results]
    stages = list(dict.fromkeys(k for r in results for k in r["stages"]))
    lines = [
        [name] + [f"{r['stages'][name]:.1f} s" if name in r["stages"] else "" for r in results]
        for name in stages
    ]
    loads = ", ".join(
        f"{r['db']} {r['load']['before timing']:.1f} → {r['load']['after timing']:.1f}"
        for r in results
    )
    return "\n".join(
        [
            f"\nLoad average (1 min) around the timed requests: {loads} "
            f"(on {os.cpu_count()} cores; above ~1 other programs were competing for the CPU).",
            "\nRun time:\n",
            table(header, lines),
        ]
    )


def verdict(results):
    """One line per target and database: the figure, and whether it meets the target."""
    lines = []
    for r in results:
        s = summarise(r)
        db = r["db"]
        for kind in (*KINDS, HOME):
            if kind not in s:
                lines.append(f"{db}: {kind} not available (GET /app/ answers 404)")
                continue
            p95, limit = s[kind]["p95"], _limit(kind)
            ok = "meets" if p95 <= limit else "MISSES"
            lines.append(
                f"{db}: {kind} p95 {p95:.1f} ms, ×{s[kind]['p95_ratio']:.1f} the trivial view "
                f"({ok} ≤ {limit} ms)"
            )
        for kind in ("misspelt", "other-script"):
            recall = s[kind]["recall"]
            ok = "meets" if recall >= TARGET_RECALL else "MISSES"
            lines.append(f"{db}: {kind} recall {recall:.0%} ({ok} ≥ {TARGET_RECALL:.0%})")
        worst = max(max(v.values()) for v in r["queries_per_page"].values())
        ok = "meets" if worst <= TARGET_QUERIES else "MISSES"
        lines.append(f"{db}: at most {worst} SQL queries per page ({ok} ≤ {TARGET_QUERIES})")
        if errors := sum(v["errors"] for v in s.values()):
            lines.append(f"{db}: {errors} requests did not answer 200")
    return "\n".join(lines)


def misses(results):
    """The misspelt and other-script searches that did not find their person."""
    lines = []
    for r in results:
        for row in r["rows"]:
            if row["kind"] in ("misspelt", "other-script") and not row["found"]:
                lines.append(
                    f"  {r['db']}: {row['kind']} ({row['detail']}) {row['q']!r} "
                    f"→ person {row['target']} not found ({row['matches']:,} matches)"
                )
    return "\n".join(lines)


def plans(results):
    """The slowest statements that --explain asked for, with their parameters and plans."""
    lines = []
    for result in results:
        for item in result.get("explain", []):
            lines.append(
                f"\n[{result['db']}] {item['ms']:.1f} ms for {item['q']!r} ({item['kind']}):"
            )
            lines.append(_interpolate(item["sql"], item["params"]))
            lines.append(item["plan"])
    return "\n".join(lines)


def _interpolate(sql, params):
    """The statement with its parameters in place of the placeholders, to read or paste."""
    for param in params:
        sql = sql.replace("%s", repr(param), 1).replace("?", repr(param), 1)
    return sql


def write_readme(text, start=MARK_START, end=MARK_END, heading="## Latest figures"):
    """Put text between the markers of bench/README.md (after its end, under `heading`, if they
    are missing). Each benchmark has markers of its own."""
    content = README.read_text(encoding="utf-8") if README.exists() else ""
    block = f"{start}\n{text}\n{end}"
    if start in content and end in content:
        before = content.split(start)[0]
        after = content.split(end, 1)[1]
        content = before + block + after
    else:
        content = content.rstrip() + f"\n\n{heading}\n\n" + block + "\n"
    README.write_text(content, encoding="utf-8")


# --- shared by the programmes, referrals and privacy benchmarks' reports ----------------------

OVER_HTTP_INTRO = (
    "\nOver HTTP, end to end (connect, request, whole response); ÷ trivial is the p50 and "
    "the p95 against the trivial view's (`GET /health/`) p50 and p95 in the same run:\n"
)


def timing_summary(result, kinds, targets_ms, trivial, kb=False):
    """{kind: figures} of one database's timed rows (ok: answered as expected); ratios against
    the trivial view's p50 and p95; kb: the median response's size too."""
    summary = {}
    for kind in kinds:
        rows = [r for r in result["rows"] if r["kind"] == kind]
        if not rows:
            continue
        times = [r["ms"] for r in rows]
        summary[kind] = {
            "n": len(rows),
            "median": statistics.median(times),
            "p95": percentile(times, 0.95),
            "max": max(times),
            "errors": sum(not r["ok"] for r in rows),
        }
        if kb:
            summary[kind]["kb"] = statistics.median(r["bytes"] for r in rows) / 1024
        if kind in targets_ms:
            summary[kind]["over"] = sum(t > targets_ms[kind] for t in times)
    base = summary[trivial]
    for figures in summary.values():
        figures["median_ratio"] = figures["median"] / base["median"]
        figures["p95_ratio"] = figures["p95"] / base["p95"]
    return summary


def versions_text(results, server="2 workers"):
    """The databases', the server's, Python's and Django's versions."""
    first = results[0]["versions"]
    return (
        "; ".join(r["versions"]["database"] for r in results)
        + f"; {first['server']}, {server}; Python {first['python']}, "
        f"Django {first['django']}"
    )


def writing_seconds(result):
    """Seconds the data took: every stage before the statements were counted at full size."""
    seconds = 0.0
    for name, value in result["stages"].items():
        if name.startswith("count statements"):
            break
        seconds += value
    return seconds


def cells(results, key):
    """A row's cells: the table's total of key in each database's run."""
    return [f"{r['totals'][key]:,}" for r in results]


def generated(results, key):
    """A row's cells: how many of key the small and the full data set wrote in each run."""
    return [f"{r['data'].get(key, 0) + r['small'].get(key, 0):,}" for r in results]


def slowest_by_label(runs):
    """(label, [ms]) of the statements whose median is the slowest over the runs."""
    by_label = {}
    for run in runs:
        for label, ms in run["statements"]:
            by_label.setdefault(label, []).append(ms)
    return max(by_label.items(), key=lambda item: statistics.median(item[1]))


def replay_table(results, kinds, first_column, intro):
    """The requests replayed in-process: SQL time, in-process time, statements and the slowest
    statement of each kind in each run (results[i]["replay"][kind]["runs"])."""
    header = [first_column, "database", "SQL median / p95 ms", "in-process median ms"]
    header += ["statements", "slowest statement (median ms)"]
    lines = []
    for kind in kinds:
        for r in results:
            if kind not in r["replay"]:
                continue
            runs = r["replay"][kind]["runs"]
            label, times = slowest_by_label(runs)
            db = [run["db_ms"] for run in runs]
            lines.append(
                [
                    kind,
                    r["db"],
                    f"{statistics.median(db):,.1f} / {percentile(db, 0.95):,.1f}",
                    f"{statistics.median(run['ms'] for run in runs):,.1f}",
                    f"{statistics.median(run['sql'] for run in runs):.0f}",
                    f"{label} ({statistics.median(times):,.1f})",
                ]
            )
    return intro + "\n" + table(header, lines)


def slowest_plans(results, summaries, targets_ms, intro):
    """The slowest statement of every kind that misses its target, and its plan."""
    parts = []
    for r in results:
        for kind, limit in targets_ms.items():
            s = summaries[r["db"]].get(kind)
            replay = r["replay"].get(kind)
            if s is None or replay is None or replay["slowest"] is None or s["p95"] <= limit:
                continue
            slowest = replay["slowest"]
            parts.append(
                f"\n{r['db']}, {kind}: {slowest['label']}, {slowest['ms']:,.1f} ms\n\n"
                f"```\n{_shorten(slowest['sql'])}\n\n{_cut(slowest['plan'] or '')}\n```"
            )
    if not parts:
        return ""
    return intro + "\n".join(parts)


def _cut(plan, head=32, tail=8):
    """The plan's first and last lines (PostgreSQL ends with the JIT compilation's timing and
    the execution time)."""
    rows = plan.splitlines()
    if len(rows) <= head + tail + 1:
        return plan
    return "\n".join([*rows[:head], f"  … ({len(rows) - head - tail} lines)", *rows[-tail:]])


def _shorten(sql, width=700):
    return sql if len(sql) <= width else sql[:width] + " …"
