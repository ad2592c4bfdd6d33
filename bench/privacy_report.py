"""The privacy benchmark's figures as text: Markdown tables (printed, and written into
bench/README.md between the privacy markers) and the verdict against the targets."""

import statistics

from privacy_measure import (
    AUDIT,
    AUDIT_PATHS,
    ERASURE,
    EXPORT,
    KINDS,
    POLL_SECONDS,
    TRIVIAL,
)
from report import (
    percentile,
    run_time,
    slowest_by_label,
    table,
    timing_table,
    versions_text,
)

MARK_START = "<!-- bench:privacy:start -->"
MARK_END = "<!-- bench:privacy:end -->"
HEADING = "### Latest figures (`privacy.py`)"
TARGETS_MS = {**dict.fromkeys(AUDIT_PATHS, 100), EXPORT: 2000, ERASURE: 1000}
TARGET_TEXT = {**dict.fromkeys(AUDIT_PATHS, "p95 ≤ 100 ms"), EXPORT: "≤ 2 s", ERASURE: "≤ 1 s"}


def summarise(result):
    """{kind: figures} of one database's run; ratios against the trivial view's median."""
    summary = {}
    for kind in KINDS:
        rows = [r for r in result["rows"] if r["kind"] == kind]
        if not rows:
            continue
        times = [r["ms"] for r in rows]
        summary[kind] = {
            "n": len(rows),
            "median": statistics.median(times),
            "p95": percentile(times, 0.95),
            "max": max(times),
            "errors": sum(r["status"] not in (200, 202) for r in rows),
        }
    base = summary[TRIVIAL]["median"]
    for figures in summary.values():
        figures["median_ratio"] = figures["median"] / base
        figures["p95_ratio"] = figures["p95"] / base
    return summary


def render(results, machine):
    summaries = {r["db"]: summarise(r) for r in results}
    return "\n".join(
        [
            _run(results, machine),
            _data(results),
            _over_http(results, summaries),
            _exports(results),
            _audit_pages(results),
            _erasures(results),
            _export_parts(results),
            run_time(results),
        ]
    )


def _run(results, machine):
    first = results[0]
    versions = versions_text(results, "2 workers, and `most worker`")
    counts = first["counts"]
    return (
        f"Run {machine['date']} on {machine['machine']}. {first['persons']:,} persons, all in "
        f"one organisation, and a year of their audit trail; over HTTP to `most serve`, "
        f"interleaved round-robin: {counts[AUDIT]} requests of each audit page and of the "
        f"trivial view, {counts[EXPORT]} exports and {counts[ERASURE]} erasures (each of a "
        f"different person), after a warm-up. {versions}; code at "
        f"{first['versions']['commit']}."
    )


def _data(results):
    first = results[0]["data"]
    actions = sorted(first["entries by action"], key=lambda a: -first["entries by action"][a])
    lines = [
        ["audit entries", *(f"{r['data']['entries']:,}" for r in results)],
        *(
            [f"  {action}", *(f"{r['data']['entries by action'][action]:,}" for r in results)]
            for action in actions
        ),
        ["audit keys", *(f"{r['data']['audit keys']:,}" for r in results)],
        [
            "persons shown by lists and searches",
            *(f"{r['data']['audited persons']:,}" for r in results),
        ],
        ["consents", *(f"{r['data']['consents']:,}" for r in results)],
        ["households", *(f"{r['data']['households']:,}" for r in results)],
        ["database size (MB)", *(f"{r['data']['database MB']:,}" for r in results)],
    ]
    return "\nThe data:\n\n" + table(["", *(r["db"] for r in results)], lines)


def _over_http(results, summaries):
    intro = (
        "\nOver HTTP, end to end (connect, request, whole response; an export from its POST to "
        "the last byte of its ZIP); ÷ trivial is p50 / p95 against the trivial view's p50 in "
        "the same run:\n"
    )
    rows = timing_table(
        results,
        summaries,
        KINDS,
        TARGETS_MS,
        TARGET_TEXT,
        label=lambda kind: f"{kind} (`{AUDIT_PATHS[kind]}`)" if kind in AUDIT_PATHS else kind,
    )
    return intro + "\n" + rows


def _exports(results):
    parts = [
        ("POST (202)", "post_ms"),
        ("queued: until a poll sees it started", "queued_ms"),
        ("running: until a poll sees it done", "running_ms"),
        ("download of the ZIP", "download_ms"),
    ]
    header = ["export, in parts"]
    for r in results:
        header += [f"{r['db']} p50 ms", f"{r['db']} p95 ms"]
    lines = []
    for label, key in parts:
        line = [label]
        for r in results:
            values = [row[key] for row in r["rows"] if row["kind"] == EXPORT and key in row]
            line += [f"{statistics.median(values):,.1f}", f"{percentile(values, 0.95):,.1f}"]
        lines.append(line)
    notes = []
    for r in results:
        rows = [row for row in r["rows"] if row["kind"] == EXPORT and "records" in row]
        if not rows:
            continue
        audit = [row["records"].get("audit.auditentry", 0) for row in rows]
        notes.append(
            f"{r['db']}: ZIP {statistics.median(row['bytes'] for row in rows) / 1024:,.0f} KiB "
            f"(PDF {statistics.median(row['pdf_bytes'] for row in rows) / 1024:,.0f} KiB), "
            f"{statistics.median(len(row['records']) for row in rows):.0f} kinds of record, "
            f"{min(audit)}–{max(audit)} audit entries per person, "
            f"{statistics.median(row['polls'] for row in rows):.0f} polls"
        )
    intro = (
        f"\nThe exports in parts (the client polls the job every {POLL_SECONDS * 1000:.0f} ms; "
        "the worker looks for queued work once a second):\n"
    )
    return intro + "\n" + table(header, lines) + "\n\n" + "; ".join(notes) + "."


def _audit_pages(results):
    header = ["page", "database", "SQL median / p95 ms", "in-process median ms", "statements"]
    header += ["slowest statement (median ms)", "entries shown / sealed / opened", "count"]
    lines = []
    for kind in AUDIT_PATHS:
        for r in results:
            replay = r["replay"][kind]
            rows = replay["rows"]
            label, times = slowest_by_label(rows)
            db_times = [row["db_ms"] for row in rows]
            lines.append(
                [
                    kind,
                    r["db"],
                    f"{statistics.median(db_times):.1f} / {percentile(db_times, 0.95):.1f}",
                    f"{statistics.median(row['ms'] for row in rows):.1f}",
                    f"{statistics.median(row['sql'] for row in rows):.0f}",
                    f"{label} ({statistics.median(times):.1f})",
                    f"{replay['entries']} / {replay['sealed']} / {replay['opened']}",
                    f"{replay['count']:,}",
                ]
            )
    intro = (
        "\nThe audit pages replayed in-process after the timing (test client, SQL timed in the "
        "driver); *opened*: entries whose sealed values the page decrypted:\n"
    )
    return intro + "\n" + table(header, lines)


def _erasures(results):
    lines = []
    for r in results:
        for item in r["in_process"]["erasure"]:
            slowest = "; ".join(f"{ms:.0f} ms `{sql[:90]}`" for ms, sql in item["slowest"][:3])
            lines.append(
                f"* {r['db']}: {item['ms']:.0f} ms, {item['sql']} statements "
                f"({item['db_ms']:.0f} ms in SQL); slowest: {slowest}"
            )
    intro = "\nErasures in-process (`person_erase`, each statement timed, rows fetched too):\n\n"
    return intro + "\n".join(lines)


def _export_parts(results):
    lines = []
    for r in results:
        for item in r["in_process"]["export"]:
            slowest = item["slowest"][0] if item["slowest"] else (0, "")
            lines.append(
                f"* {r['db']}: data {item['data_ms']:.0f} ms ({item['sql']} statements, slowest "
                f"{slowest[0]:.0f} ms `{slowest[1][:70]}`), PDF {item['pdf_ms']:.0f} ms, "
                f"{item['audit_rows']} audit entries"
            )
    intro = "\nExports in-process (the worker's two parts: `subject_data`, then WeasyPrint):\n\n"
    return intro + "\n".join(lines)


def verdict(results):
    lines = []
    for r in results:
        s = summarise(r)
        for kind, limit in TARGETS_MS.items():
            if kind not in s:
                continue
            p95 = s[kind]["p95"]
            ok = "meets" if p95 <= limit else "MISSES"
            lines.append(
                f"{r['db']}: {kind} p95 {p95:,.0f} ms, max {s[kind]['max']:,.0f} ms, "
                f"×{s[kind]['p95_ratio']:,.1f} the trivial view ({ok} {TARGET_TEXT[kind]})"
            )
        if errors := sum(v["errors"] for v in s.values()):
            lines.append(f"{r['db']}: {errors} requests did not answer 200 / 202")
    return "\n".join(lines)
