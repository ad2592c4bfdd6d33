"""The referrals benchmark's figures as text: Markdown tables (printed, and written into
bench/README.md between the referrals markers) and the verdict against the targets."""

from referrals_data import YEARS
from referrals_measure import (
    ACCEPT,
    ALL_KINDS,
    FIGURES,
    INBOX_NEW,
    INBOX_OPEN,
    REPLAYS,
    SEND,
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

MARK_START = "<!-- bench:referrals:start -->"
MARK_END = "<!-- bench:referrals:end -->"
HEADING = "### Latest figures (`referrals.py`)"
TARGETS_MS = {INBOX_NEW: 100, INBOX_OPEN: 100, SEND: 150, FIGURES: 500}
TARGET_TEXT = {
    INBOX_NEW: "p95 ≤ 100 ms",
    INBOX_OPEN: "p95 ≤ 100 ms",
    SEND: "p95 ≤ 150 ms",
    ACCEPT: "none (timed beside sending)",
    FIGURES: "p95 ≤ 500 ms",
}
STATES = ("draft", "sent", "accepted", "in_progress", "completed", "closed", "declined")


def summarise(result):
    """{kind: figures} of one database's run; ratios against the trivial view's p50 and p95."""
    return timing_summary(result, result["kinds"], TARGETS_MS, TRIVIAL, kb=True)


def render(results, machine):
    summaries = {r["db"]: summarise(r) for r in results}
    return "\n".join(
        [
            _run(results, machine),
            _data(results),
            _network(results),
            _measured(results),
            _over_http(results, summaries),
            _written(results),
            _statements_per_page(results),
            _replayed(results),
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
        f"{sizes['referrals']:,} referrals over {YEARS} years; over HTTP to `most serve`, "
        f"interleaved round-robin: {len(first['rows']) // len(first['kinds'])} requests of each "
        f"kind after {WARMUP} warm-up rounds. {versions}; code at {first['versions']['commit']}."
    )


def _data(results):
    def both(key):
        return cells(results, key)

    def made(key):
        return generated(results, key)

    lines = [
        ["organisations", *both("organisations")],
        ["staff (memberships)", *both("staff (memberships)")],
        ["services in the catalogue", *both("services in the catalogue")],
        ["persons", *both("persons")],
        ["consents", *both("consents")],
        ["  to sharing (referrals)", *made("consents to sharing")],
        ["  withdrawn", *made("consents withdrawn")],
        ["referrals", *both("referrals")],
    ]
    for state in (*STATES, "withdrawn"):
        shares = []
        for r in results:
            n = r["totals"]["by state"].get(state, 0)
            shares.append(f"{n:,} ({n / max(1, r['totals']['referrals']):.1%})")
        lines.append([f"  {state.replace('_', ' ')}", *shares])
    lines += [
        ["steps of referrals", *both("steps of referrals")],
        ["access grants", *both("access grants")],
        ["notices (of the last two weeks)", *both("notices")],
        ["database size (MB)", *both("database MB")],
        ["time to write it (minutes)", *(f"{writing_seconds(r) / 60:.1f}" for r in results)],
    ]
    return "\nThe data:\n\n" + table(["", *(r["db"] for r in results)], lines)


def _network(results):
    network = results[0]["network"]
    receiver, sender = network["receiver"], network["sender"]
    largest = ", ".join(f"{name} {n:,}" for name, n in network["largest receivers"])
    inbox = results[0]["inbox"]["full"]
    small = results[0]["inbox"]["small"]
    late = receiver["answered late"] / max(1, receiver["answered"])
    return "\n".join(
        [
            "",
            f"{network['organisations receiving']} organisations received referrals (median "
            f"{network['median received']:,.0f} each); the largest: {largest}.",
            "",
            f"The inbox timed is {receiver['name']}'s ({receiver['staff']} members of staff): "
            f"{receiver['received']:,} referrals received, {late:.0%} of those answered were "
            f"answered after the promised day. Its inbox at full size: {inbox['new']:,} new "
            f"(waiting for an answer; {inbox['overdue']:,} of them too long), {inbox['open']:,} "
            f"in progress, {inbox['all']:,} in all; with the small data set: {small['new']:,} "
            f"new, {small['open']:,} in progress, {small['all']:,} in all. The sender is "
            f"{sender['name']} ({sender['staff']} members of staff, {sender['persons']:,} "
            f"persons, {sender['sent']:,} referrals written).",
        ]
    )


def _measured(results):
    network = results[0]["network"]
    sends, accepts = network["sends"], network["accepts"]
    first = results[0]
    figures = (
        f"* *{FIGURES}*: `GET {first['figures_path']}`, signed in as the centre's coordinator."
        if first["figures_path"]
        else f"* *{FIGURES}*: not timed: this code has no page named `referrals:figures` yet."
    )
    return "\n".join(
        [
            "\nWhat is requested:\n",
            f"* *{INBOX_NEW}*, *{INBOX_OPEN}*: `GET /app/referrals/?view=new` and `?view=open`, "
            "page 1 (25 referrals, the longest waiting first; the latest sent first), signed in "
            "as a case worker of the centre, with the counts of every tab.",
            f"* *{SEND}*: `POST /api/referrals/` with the case worker's token of "
            f'{network["sender"]["name"]}, `{{"person", "service" | "receiver", '
            f'"reason", "urgency": "routine"}}`, answered 201: each request another person '
            "of the NGO whose consent to sharing holds, to a service (or, one in five, an "
            "organisation) drawn as the referrals are; "
            f"{sends['requests']} requests to {sends['to organisations']} organisations, "
            f"{sends['to an organisation, no service']} without a service. The consent is "
            "checked, the referral and its two steps written and audited, the receiver's staff "
            "notified, and the e-mail sent to a local SMTP sink after the commit.",
            f'* *{ACCEPT}*: `POST /api/referrals/<id>/transitions/` `{{"action": "accept", '
            '"version"}` with the token of the centre\'s case worker, answered 200: the '
            "referrals waiting longest in its inbox, one each request "
            f"({accepts['past their due day']} of the {accepts['requests']} past their due "
            "day). The consent is checked, the access grant created and audited, the sender "
            "notified and e-mailed.",
            figures,
        ]
    )


def _over_http(results, summaries):
    kinds = [k for k in ALL_KINDS if any(k in r["kinds"] for r in results)]
    rows = timing_table(results, summaries, kinds, TARGETS_MS, TARGET_TEXT)
    return OVER_HTTP_INTRO + "\n" + rows


def _written(results):
    lines = []
    for r in results:
        c = r["checked"]
        lines.append(
            f"{r['db']}: {c['sent']} referrals sent over HTTP, {c['sent and waiting']} of them "
            f"waiting in the database with {c['their steps']} steps and {c['their notices']:,} "
            f"notices; {c['accepted']} accepted, {c['accepted, with a grant in force']} with "
            f"an access grant in force; {r['mails']} e-mails received by the SMTP sink."
        )
    return "\nWhat the timed requests wrote (checked after the timing):\n\n" + "  \n".join(lines)


def _statements_per_page(results):
    header = ["request"]
    for r in results:
        header += [f"{r['db']} small", f"{r['db']} full"]
    lines = []
    for kind in ALL_KINDS:
        if kind == TRIVIAL:
            continue
        line = [kind]
        for r in results:
            for when in ("small", "full"):
                count = r["statements"][when].get(kind)
                line.append("—" if count is None else _statements(count))
        lines.append(line)
    small = results[0]["small"]
    intro = (
        "\nSQL statements per request (test client, in-process): *small* with only the small "
        f"data set written ({small['persons']:,} persons, {small['referrals']:,} referrals), "
        "*full* with all of it; the same pages, another person sent and another referral "
        "accepted at each size. *n + m*: n statements that read and write what the request is "
        "about, m that write the audit trail or begin and end a transaction. A page writes an "
        "audit entry of the persons it names, and names a person only where the organisation "
        "may see them (its own record, or one shared with it now), so m is 0 or 3 (4 with "
        "SQLite's BEGIN) depending on who is on page 1.\n"
    )
    return intro + "\n" + table(header, lines)


def _statements(count):
    core = count["statements"] - count["audit"]
    return f"{core} + {count['audit']}" if count["audit"] else str(core)


def _replayed(results):
    intro = (
        f"\nThe same requests replayed in-process after the timing ({REPLAYS} of each, test "
        "client, every SQL statement timed in the driver, its rows fetched included):\n"
    )
    return replay_table(results, ALL_KINDS, "request", intro)


def _plans(results, summaries):
    """The slowest statement of every request that misses its target, and its plan."""
    intro = (
        "\nThe slowest statement of each request that misses its target, and its plan "
        "(EXPLAIN QUERY PLAN on SQLite; EXPLAIN ANALYZE on PostgreSQL, with the replay's "
        "parameters):\n"
    )
    return slowest_plans(results, summaries, TARGETS_MS, intro)


def verdict(results):
    lines = []
    for r in results:
        s = summarise(r)
        db = r["db"]
        for kind in ALL_KINDS[1:]:
            if kind not in s:
                lines.append(f"{db}: {kind} not timed (no page named referrals:figures)")
                continue
            p95 = s[kind]["p95"]
            text = f"{db}: {kind} p95 {p95:,.0f} ms (max {s[kind]['max']:,.0f} ms"
            if kind not in TARGETS_MS:
                lines.append(f"{text}), ×{s[kind]['p95_ratio']:,.1f} the trivial view")
                continue
            ok = "meets" if p95 <= TARGETS_MS[kind] else "MISSES"
            over = f", {s[kind]['over']} of {s[kind]['n']} above" if s[kind]["over"] else ""
            lines.append(
                f"{text}{over}), ×{s[kind]['p95_ratio']:,.1f} the trivial view "
                f"({ok} {TARGET_TEXT[kind]})"
            )
        counts = r["statements"]
        varying = [
            kind
            for kind, full in counts["full"].items()
            if kind in counts["small"]
            and counts["small"][kind]["statements"] - counts["small"][kind]["audit"]
            != full["statements"] - full["audit"]
        ]
        if varying:
            lines.append(f"{db}: SQL statements vary with the size for: {', '.join(varying)}")
        else:
            lines.append(
                f"{db}: SQL statements per request the same at both sizes, the audit "
                "trail's aside (meets)"
            )
        if errors := sum(v["errors"] for v in s.values()):
            lines.append(f"{db}: {errors} requests did not answer as expected")
        c = r["checked"]
        if (
            c["sent and waiting"] != c["sent"]
            or c["accepted, with a grant in force"] != c["accepted"]
        ):
            lines.append(f"{db}: what the requests wrote is not all there: {c}")
    return "\n".join(lines)
