"""The programmes benchmark's figures as text: Markdown tables (printed, and written into
bench/README.md between the programmes markers) and the verdict against the targets."""

import statistics

from programmes_measure import (
    ATTENDANCE,
    DASHBOARD,
    ELIGIBLE,
    KINDS,
    REPLAYS,
    TIMELINE,
    TRIVIAL,
    WARMUP,
)
from report import (
    OVER_HTTP_INTRO,
    cells,
    generated,
    replay_table,
    run_time,
    slowest_plans,
    table,
    timing_summary,
    timing_table,
    versions_text,
    writing_seconds,
)

MARK_START = "<!-- bench:programmes:start -->"
MARK_END = "<!-- bench:programmes:end -->"
HEADING = "### Latest figures (`programmes.py`)"
TARGETS_MS = {
    ATTENDANCE: 100,
    TIMELINE: 100,
    DASHBOARD: 500,
    **dict.fromkeys(ELIGIBLE.values(), 1000),
}
TARGET_TEXT = {
    ATTENDANCE: "p95 ≤ 100 ms",
    TIMELINE: "p95 ≤ 100 ms",
    DASHBOARD: "p95 ≤ 500 ms",
    **dict.fromkeys(ELIGIBLE.values(), "≤ 1 s"),
}
COUNTS = ("small", "small, at full size", "largest, at full size")


def summarise(result):
    """{kind: figures} of one database's run; ratios against the trivial view's p50 and p95."""
    return timing_summary(result, KINDS, TARGETS_MS, TRIVIAL)


def render(results, machine):
    summaries = {r["db"]: summarise(r) for r in results}
    return "\n".join(
        [
            _run(results, machine),
            _data(results),
            _measured(results),
            _over_http(results, summaries),
            _statements_per_page(results),
            _replayed(results),
            _variant(results),
            _plans(results, summaries),
            run_time(results),
        ]
    )


def _run(results, machine):
    first = results[0]
    sizes = first["sizes"]
    versions = versions_text(results)
    return (
        f"Run {machine['date']} on {machine['machine']}. {sizes['persons']:,} persons, "
        f"{sizes['programmes']} programmes, {sizes['activities']:,} activities, "
        f"{sizes['attendance']:,} attendance rows; over HTTP to `most serve`, signed in as the "
        f"first organisation's coordinator, interleaved round-robin: "
        f"{len(first['rows']) // len(KINDS)} requests of each kind after {WARMUP} warm-up "
        f"rounds. {versions}; code at {first['versions']['commit']}."
    )


def _data(results):
    def both(key):
        return cells(results, key)

    def made(key):
        return generated(results, key)

    lines = [
        ["persons", *both("persons")],
        [
            "  in the first organisation",
            *(f"{r['items']['organisation persons']:,}" for r in results),
        ],
        ["situations (work, assistance, education, school)", *both("situations")],
        ["households", *both("households")],
        ["consents", *both("consents")],
        ["programmes", *both("programmes")],
        ["phases", *both("phases")],
        ["enrolments", *both("enrolments")],
        ["  took a place (participants)", *made("participants")],
    ]
    for status in ("active", "paused", "completed", "dropped_out", "waitlisted", "applied"):
        lines.append([f"  {status.replace('_', ' ')}", *made(f"enrolments {status}")])
    lines += [
        ["enrolment phases", *both("enrolment phases")],
        ["activities", *both("activities")],
        ["  individual help", *made("individual activities")],
        ["sessions", *both("sessions")],
        ["  cancelled", *made("cancelled sessions")],
        ["  past, attendance not recorded", *made("sessions left unrecorded")],
        ["attendance rows", *both("attendance")],
        [
            "  present / excused / absent",
            *(
                " / ".join(f"{_share(r, value):.0%}" for value in ("present", "excused", "absent"))
                for r in results
            ),
        ],
        ["needs assessments", *both("needs assessments")],
        ["goals", *both("goals")],
        ["counselling sessions", *both("counselling sessions")],
        ["psychosocial records", *both("psychosocial records")],
        ["outcomes", *both("outcomes")],
        ["database size (MB)", *both("database MB")],
        ["time to write it (minutes)", *(f"{writing_seconds(r) / 60:.1f}" for r in results)],
    ]
    return "\nThe data:\n\n" + table(["", *(r["db"] for r in results)], lines)


def _share(result, presence):
    """The share of the attendance rows written with this presence."""
    written = result["data"]["attendance"] + result["small"]["attendance"]
    key = f"attendance {presence}"
    return (result["data"].get(key, 0) + result["small"].get(key, 0)) / max(1, written)


def _measured(results):
    first = results[0]["items"]
    dashboard = first["dashboard"]
    timeline = first["timeline rows"]
    sessions = results[0]["attendance_sessions"]
    eligible = "; ".join(
        f"{label.split(': ')[1]} {first['eligible'][key]['count']:,}"
        for key, label in ELIGIBLE.items()
    )
    return "\n".join(
        [
            "\nWhat is requested (all in the first organisation):\n",
            f"* *{ATTENDANCE}*: `POST /app/programmes/sessions/<id>/attendance/` with the "
            "presence of each of the 25 (85 % present), answered 302; each request a session of "
            "the last two weeks of a cohort of 25 taking part now, whose attendance was not yet "
            f"taken ({sessions['groups of 25']:,} such sessions for the {sessions['needed']} "
            f"needed{'; each saved once' if sessions['groups of 25'] >= sessions['needed'] else ''}"
            ").",
            f"* *{TIMELINE}*: `GET /app/persons/<id>/timeline/` (page 1 of 20 entries) of "
            f"{timeline['persons']} participants drawn from the tenth with the most attendance: "
            f"{timeline['min']:,}–{timeline['max']:,} entries each (median "
            f"{timeline['median']:,.0f}).",
            f"* *{DASHBOARD}*: `GET /app/reports/programmes/<id>/` of the programme with the "
            f"most attendance, “{dashboard['name']}” (since {dashboard['starts_on']}): "
            f"{dashboard['participants']:,} participants, {dashboard['enrolments']:,} "
            f"enrolments, {dashboard['activities']:,} activities, {dashboard['sessions']:,} "
            f"sessions, {dashboard['attendance']:,} attendance rows.",
            "* *eligible persons*: `GET /app/programmes/<id>/eligible/` (page 1 of 50, "
            "alphabetical, with how many meet the rules, as the page counts them), for a "
            "programme with the activation programme's rules (women of 18 or more, permanent "
            "residence or citizenship, Slovenian below B1, social assistance or out of work), "
            "one for job seekers (18–64, unemployed) and one with the family programme's rules "
            "(a member of a household, not a Slovenian or EU citizen). Eligible of the "
            "organisation's "
            f"{results[0]['items']['organisation persons']:,} persons: {eligible}.",
        ]
    )


def _over_http(results, summaries):
    rows = timing_table(results, summaries, KINDS, TARGETS_MS, TARGET_TEXT)
    return OVER_HTTP_INTRO + "\n" + rows


def _statements_per_page(results):
    header = ["page"]
    for r in results:
        header += [f"{r['db']} {label}" for label in ("small", "same at full", "largest")]
    lines = []
    for kind in KINDS:
        line = [kind]
        for r in results:
            for when in COUNTS:
                count = r["statements"][when].get(kind)
                line.append("—" if count is None else count["statements"])
        lines.append(line)
    first = results[0]
    small = first["statements"]["small"].get(ATTENDANCE, {}).get("item", "none")
    intro = (
        "\nSQL statements per page (test client, in-process): *small* with only the small data "
        f"set written ({first['small']['persons']:,} persons, {first['small']['attendance']:,} "
        "attendance rows), its programmes, its person with the longest history who lives in a "
        f"household and a session of one of its groups ({small}); *same at full* the same "
        "pages again with all the data written; *largest* at full size, the dashboard's "
        "programme, the person with the longest history who lives in a household and a group "
        "of 25. (A person's page reads their household's members in one more statement: the "
        "persons counted live in one.)\n"
    )
    return intro + "\n" + table(header, lines)


def _replayed(results):
    intro = (
        f"\nThe same pages replayed in-process after the timing ({REPLAYS} of each, test "
        "client, every SQL statement timed in the driver, its rows fetched included):\n"
    )
    return replay_table(results, KINDS, "page", intro)


def _variant(results):
    """The pages replayed after a change of the database's settings, beside the replay as
    measured: PostgreSQL with JIT compilation, SQLite after ANALYZE."""
    lines = []
    for r in results:
        variant = r.get("variant")
        if not variant:
            continue
        for kind, runs in variant.items():
            if kind == "change":
                continue
            measured = r["replay"][kind]["runs"]
            lines.append(
                [
                    kind,
                    r["db"],
                    f"`{variant['change']}`",
                    f"{statistics.median(run['db_ms'] for run in measured):,.1f}",
                    f"{statistics.median(run['db_ms'] for run in runs):,.1f}",
                    f"{statistics.median(run['ms'] for run in measured):,.1f}",
                    f"{statistics.median(run['ms'] for run in runs):,.1f}",
                ]
            )
    if not lines:
        return ""
    header = ["page", "database", "change", "SQL ms as measured", "SQL ms changed"]
    header += ["in-process ms as measured", "in-process ms changed"]
    intro = (
        "\nWhat the database's settings do: the heavier pages replayed in-process once more "
        "after a change that the server timed above did not have (medians of "
        f"{REPLAYS}): PostgreSQL with JIT compilation on for the connection (its default; the "
        "server runs with `jit = off`, as Most sets it), SQLite after `ANALYZE` (the planner's "
        "statistics; the application never gathers them):\n"
    )
    return intro + "\n" + table(header, lines)


def _plans(results, summaries):
    """The slowest statement of every page that misses its target, and its plan."""
    intro = (
        "\nThe slowest statement of each page that misses its target, and its plan (EXPLAIN "
        "QUERY PLAN on SQLite; EXPLAIN ANALYZE on PostgreSQL, with the parameters of the "
        "replay):\n"
    )
    return slowest_plans(results, summaries, TARGETS_MS, intro)


def verdict(results):
    lines = []
    for r in results:
        s = summarise(r)
        db = r["db"]
        for kind, limit in TARGETS_MS.items():
            if kind not in s:
                continue
            p95 = s[kind]["p95"]
            ok = "meets" if p95 <= limit else "MISSES"
            over = f", {s[kind]['over']} of {s[kind]['n']} above" if s[kind]["over"] else ""
            lines.append(
                f"{db}: {kind} p95 {p95:,.0f} ms (max {s[kind]['max']:,.0f} ms{over}), "
                f"×{s[kind]['p95_ratio']:,.1f} the trivial view ({ok} {TARGET_TEXT[kind]})"
            )
        varying = [
            kind
            for kind in KINDS
            if len(
                {
                    r["statements"][when][kind]["statements"]
                    for when in COUNTS
                    if kind in r["statements"][when]
                }
            )
            > 1
        ]
        if varying:
            lines.append(
                f"{db}: SQL statements per page vary with the size for: {', '.join(varying)}"
            )
        else:
            lines.append(f"{db}: SQL statements per page the same at every size (meets)")
        if errors := sum(v["errors"] for v in s.values()):
            lines.append(f"{db}: {errors} requests did not answer as expected")
        saved = r["saved"]
        if saved["complete"] != saved["sessions"]:
            lines.append(
                f"{db}: {saved['sessions'] - saved['complete']} saved sessions lack attendance rows"
            )
    return "\n".join(lines)
