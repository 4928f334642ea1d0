"""Autosave while reviewers download scorecards: does a PDF render hold up the focal points' saves?

    .venv/bin/python bench/bench_downloads.py [--database sqlite postgresql] [--rounds 3]
        [--duration 20] [--reviewers 1 2] [--downloads render sleep cached] [--sleep SECONDS]
        [--workers 2] [--threads 4]

For each database in turn (both by default, in one run), the set-up of bench_survey.py: a new
database, migrated, with the demo data and ten focal points spread over the six demo countries
whose drafts are open, each saving an answer of its own, and one gunicorn server on loopback
(`-w 2 --threads 4` by default), here serving bench/download_app.py: the app plus a stand-in
for the renderer that the `sleep` downloads ask for. The demo reviewer signs in once per
reviewer client. Then, `--rounds` times:

1. undisturbed: the ten focal points autosave, each once every 0.5 s (twice a second);
2. the same, while one reviewer, then two, download scorecards back to back, each kind of
   download of `--downloads` in turn:
   - `render`: uncached. The reviewers go round the six drafts being edited, in the six
     languages in turn; every save makes a new revision of its draft, and the drafts are saved
     several times a second, so every download finds its scorecard out of date and renders it
     (the server's log, which records each render, is counted to check this);
   - `sleep`: the same downloads, which read exactly as before but then sleep instead of
     rendering, as long as the same round's rendered downloads took (median): what a render
     holds, without the CPU it uses;
   - `cached`: a published scorecard, stored once before, in the six languages in turn: the
     download's own requests, queries and file, without a render.

Each disturbed phase's autosave p95 is compared with the undisturbed phase of its round; the
median ratio over the rounds is reported. Renders are limited to 30 a minute per client address
(`RENDERS_PER_ADDRESS`), and a session is bound to the address it signed in from: each reviewer
here signs in from four loopback addresses of its own and downloads from each in turn, so the
limit never answers 429 and each reviewer renders as fast as the server lets it.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import secrets
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bench_survey as survey

CLIENTS = 10
PACE = 0.5  # seconds between one focal point's saves
RATIO_TARGET = 1.5  # disturbed p95 at most this many times the undisturbed p95
LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")
KINDS = ("render", "sleep", "cached")
SESSIONS = 4  # addresses per reviewer: at most a render a second, under 30 a minute from each
RENDERED = b"rendered in"  # in the server's log, once per render (app.scorecards.operations)


# --- Reviewers ---


@dataclass
class Reviewer:
    """One reviewer's downloads of one kind: which scorecards, in turn, and from where."""

    sessions: list[survey.Client]  # one per address: the render limit is per address
    targets: list[tuple[int, str]]  # (submission id, language)
    query: str = ""
    sent: int = 0

    async def download(self) -> int:
        submission_id, lang = self.targets[self.sent % len(self.targets)]
        session = self.sessions[self.sent % len(self.sessions)]
        self.sent += 1
        path = f"/scorecards/{submission_id}/scorecard-{lang}.pdf{self.query}"
        response = await session.send("GET", path)
        if response.status == 200 and not response.body.startswith(b"%PDF"):
            return -1  # not a PDF: counted as a failure
        return response.status


def render_targets(drafts: list[int], offset: int) -> list[tuple[int, str]]:
    """Every draft in every language, the draft and the language both changing at each step."""
    pairs = [
        (drafts[i % len(drafts)], LANGUAGES[(i // len(drafts) + i) % 6])
        for i in range(len(drafts) * 6)
    ]
    return pairs[offset:] + pairs[:offset]


def reviewer_email(reviewer: int, n: int) -> str:
    return f"bench.reviewer.{reviewer + 1}.{n}@bench.example.org"


async def sign_in_reviewer(port: int, reviewer: int) -> list[survey.Client]:
    """A reviewer, signed in from SESSIONS loopback addresses (127.0.<reviewer + 1>.n), each
    with an account of its own: sign-ins are limited per address and per account."""
    sessions = []
    for n in range(1, SESSIONS + 1):
        plan = survey.Plan(reviewer_email(reviewer, n), f"127.0.{reviewer + 1}.{n}", 0, "", "")
        sessions.append(survey.Client(plan, survey.Connection(port, plan.source)))
    await asyncio.gather(*(session.authenticate(survey.PASSWORD) for session in sessions))
    return sessions


# --- The set-up ---


@dataclass
class Setup:
    plans: list[survey.Plan]
    drafts: list[int]  # the submissions the focal points edit
    published: int  # a published submission: the cached downloads'


def prepare(url: str, config: dict[str, Any], reviewers: int) -> Setup:
    from sqlalchemy import create_engine, select

    from app import create_app, db
    from app.survey.models import Submission, SubmissionStatus
    from app.transactions import transactional

    plans = survey.prepare(url, config, clients=CLIENTS)
    app = create_app(config)
    with app.app_context():
        transactional(_add_reviewers)(reviewers)
    db.dispose(app)
    engine = create_engine(url)
    with engine.connect() as conn:
        published = conn.scalar(
            select(Submission.id)
            .where(Submission.status == SubmissionStatus.PUBLISHED)
            .order_by(Submission.id)
        )
    engine.dispose()
    assert published is not None  # noqa: S101 - the demo data publishes some
    drafts = sorted({plan.submission_id for plan in plans})
    return Setup(plans, drafts, published)


def _add_reviewers(count: int) -> None:
    from app.auth.models import Role
    from app.auth.operations import create_user
    from app.auth.passwords import hash_password

    password_hash = hash_password(survey.PASSWORD)
    for reviewer in range(count):
        for n in range(1, SESSIONS + 1):
            email = reviewer_email(reviewer, n)
            create_user(email, None, Role.REVIEWER, password_hash=password_hash)


# --- Phases ---


@dataclass
class Disturbed:
    kind: str
    reviewers: int
    saves: survey.Phase
    downloads: survey.Phase
    sent: int  # downloads, in and around the timed window
    renders: int  # of those, the ones that rendered (the server's log)


@dataclass
class Round:
    undisturbed: survey.Phase
    disturbed: list[Disturbed] = field(default_factory=list)


@dataclass
class Run:
    database: str
    rounds: list[Round]
    clients: list[survey.Client]
    versions: dict[tuple[int, str], int]


async def measure(
    server: survey.Server,
    setup: Setup,
    args: argparse.Namespace,
    database_pids: Callable[[], list[int]],
) -> tuple[list[Round], list[survey.Client]]:
    await survey.wait_ready(server, "/sign-in")
    clients = [survey.Client(p, survey.Connection(server.port, p.source)) for p in setup.plans]
    await asyncio.gather(*(client.sign_in() for client in clients))
    staff = [await sign_in_reviewer(server.port, n) for n in range(max(args.reviewers))]
    if "cached" in args.downloads:  # store the published scorecard in every language
        primer = Reviewer(staff[0], [(setup.published, lang) for lang in LANGUAGES])
        for _ in LANGUAGES:
            await primer.download()

    timing = (args.warmup, args.duration)

    async def autosave(name: str) -> survey.Phase:
        return await survey.run_phase(
            name,
            server,
            clients,
            survey.Client.autosave,
            timing=timing,
            database_pids=database_pids,
            pace=PACE,
        )

    async def disturbed(kind: str, reviewers: list[Reviewer]) -> Disturbed:
        name = f"{kind} x{len(reviewers)}"
        rendered, sent = server.log.read_bytes().count(RENDERED), sum(r.sent for r in reviewers)
        saves, downloads = await asyncio.gather(
            autosave(name),
            survey.run_phase(
                f"{name}: downloads", server, reviewers, Reviewer.download, timing=timing
            ),
        )
        return Disturbed(
            kind,
            len(reviewers),
            saves,
            downloads,
            sum(r.sent for r in reviewers) - sent,
            server.log.read_bytes().count(RENDERED) - rendered,
        )

    rounds = []
    for n in range(1, args.rounds + 1):
        this = Round(await autosave(f"undisturbed {n}"))
        rounds.append(this)
        for kind in args.downloads:
            for count in args.reviewers:
                reviewers = [
                    _reviewer(
                        kind,
                        index,
                        count=count,
                        sessions=staff[index],
                        setup=setup,
                        this=this,
                        args=args,
                    )
                    for index in range(count)
                ]
                this.disturbed.append(await disturbed(kind, reviewers))
    for client in [*clients, *itertools.chain(*staff)]:
        client.connection.close()
    return rounds, clients


def _reviewer(
    kind: str,
    index: int,
    *,
    count: int,
    sessions: list[survey.Client],
    setup: Setup,
    this: Round,
    args: argparse.Namespace,
) -> Reviewer:
    if kind == "cached":
        targets = [(setup.published, LANGUAGES[(i + 3 * index) % 6]) for i in range(6)]
        return Reviewer(sessions, targets)
    targets = render_targets(setup.drafts, offset=index * 18)
    if kind == "render":
        return Reviewer(sessions, targets)
    return Reviewer(sessions, targets, f"?bench-sleep={_sleep(this, count, args)}")


def _sleep(this: Round, count: int, args: argparse.Namespace) -> str:
    """--sleep, else as long as the round's rendered downloads took (median), else 1.5 s."""
    if args.sleep is not None:
        return f"{args.sleep:.3f}"
    took = [
        d.downloads.percentile(50)
        for d in this.disturbed
        if d.kind == "render" and d.reviewers == count and d.downloads.latencies
    ]
    return f"{(took[0] / 1000 if took else 1.5):.3f}"


# --- The run and its report ---


def main() -> None:
    from tests.support.database import benchmark_server

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"]
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of phases (default: 3)")
    parser.add_argument("--duration", type=float, default=20, help="seconds timed per phase")
    parser.add_argument("--warmup", type=float, default=3, help="untimed seconds before each")
    parser.add_argument(
        "--reviewers", nargs="+", type=int, default=[1, 2], help="reviewers downloading at once"
    )
    parser.add_argument("--downloads", nargs="+", choices=KINDS, default=["render", "sleep"])
    parser.add_argument(
        "--sleep",
        type=float,
        help="seconds a `sleep` download sleeps (default: the median of the round's rendered "
        "downloads with as many reviewers, else 1.5)",
    )
    parser.add_argument("--server", default=benchmark_server(), help="PostgreSQL server")
    parser.add_argument("--workers", type=int, default=survey.WORKERS)
    parser.add_argument("--threads", type=int, default=survey.THREADS)
    args = parser.parse_args()
    if not 1 <= args.duration <= 120 or not 0 <= args.warmup <= 30 or not 1 <= args.rounds <= 10:
        parser.error("--duration takes 1 to 120 seconds, --warmup 0 to 30, --rounds 1 to 10")
    if not all(1 <= n <= 4 for n in args.reviewers) or not 0.1 <= (args.sleep or 1) <= 10:
        parser.error("--reviewers takes 1 to 4, --sleep 0.1 to 10 seconds")
    load = Path("/proc/loadavg").read_text().split()[0]
    runs = [run(database, args) for database in args.database]
    report(args, load, runs)


def run(database: str, args: argparse.Namespace) -> Run:
    from tests.support.database import empty_database

    with tempfile.TemporaryDirectory(prefix="bench-downloads-") as tmp:
        folder = Path(tmp)
        server_url = args.server if database == "postgresql" else None
        with empty_database(server_url, folder, "bench_downloads") as url:
            config = {
                "DATABASE_URL": url,
                "INSTANCE_PATH": folder / "instance",
                "SECRET_KEY": secrets.token_urlsafe(32),
                "SESSION_COOKIE_SECURE": False,
            }
            setup = prepare(url, config, max(args.reviewers))
            pids = survey.postgresql_backends(url) if database == "postgresql" else list
            rounds, clients = serve_and_measure(config, folder, setup, args, pids)
            versions = survey.stored_versions(url, setup.plans)
    return Run(database, rounds, clients, versions)


def serve_and_measure(
    config: dict[str, Any],
    folder: Path,
    setup: Setup,
    args: argparse.Namespace,
    database_pids: Callable[[], list[int]],
) -> tuple[list[Round], list[survey.Client]]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "TESTING", "REDIS_URL")}
    env.update({key: str(value) for key, value in config.items()})
    env["SESSION_COOKIE_SECURE"] = "false"
    gunicorn = ["-w", str(args.workers), "--threads", str(args.threads)]
    server = survey.start_server(
        "app",
        "download_app:create_app()",
        env,
        folder,
        gunicorn,
        "--chdir",
        str(survey.ROOT / "bench"),
    )
    try:
        return asyncio.run(measure(server, setup, args, database_pids))
    finally:
        server.stop()


def report(args: argparse.Namespace, load: str, runs: list[Run]) -> None:
    print(
        f"{CLIENTS} focal points saving once every {PACE:g} s; gunicorn -w {args.workers} "
        f"--threads {args.threads}; {args.duration:g} s timed per phase after {args.warmup:g} s; "
        f"{os.cpu_count()} cores (load average {load} at the start), "
        f"Python {sys.version.split()[0]}"
    )
    for each in runs:
        details(each)
    print()
    print(
        "| Database | Downloads | Undisturbed p50 / p95 | Disturbed p50 / p95 | Saves completed "
        "| p95 ratio: median (rounds) | Downloads completed (rendered) |"
    )
    print("|---|---|---|---|---|---|---|")
    for each in runs:
        for kind, count in _disturbances(each):
            summary_row(each, kind, count)
    print()
    for each in runs:
        for kind, count in _disturbances(each):
            ratios = _ratios(each, kind, count)
            met = statistics.median(ratios) <= RATIO_TARGET
            verdict = "meets" if met else "misses"
            print(
                f"{each.database}, {kind} x{count}: p95 ratio {statistics.median(ratios):.2f} "
                f"(median of {len(ratios)}), {verdict} the {RATIO_TARGET:g}x target"
            )


def details(each: Run) -> None:
    print()
    print(f"{each.database}:")
    print()
    print(
        "| Phase | Saves | p50 | p95 | p99 | Max | Non-200 | CPU: workers | database | others "
        "| Downloads (rendered) | Download p50 | Non-200 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for this in each.rounds:
        print(_phase_row(this.undisturbed) + " | | | |")
        for d in this.disturbed:
            row = _phase_row(d.saves)
            print(
                f"{row} | {d.sent} ({d.renders}) | {d.downloads.percentile(50):.0f} ms "
                f"| {d.downloads.failures} |"
            )
    statuses: Counter[int] = Counter()
    for this in each.rounds:
        for d in this.disturbed:
            statuses.update(d.downloads.statuses)
    stored = sum(
        each.versions.get((c.plan.submission_id, c.plan.question_id)) == c.version
        for c in each.clients
    )
    print()
    print(
        f"download statuses {dict(statuses)}; autosave: "
        f"{sum(c.not_saved for c in each.clients)} answers that were not the next version; "
        f"for {stored} of {len(each.clients)} focal points the stored version is the last one "
        "it got back"
    )


def _phase_row(phase: survey.Phase) -> str:
    cpu = phase.cpu
    return (
        f"| {phase.name} | {len(phase.latencies)} | {phase.percentile(50):.1f} ms "
        f"| {phase.percentile(95):.1f} ms | {phase.percentile(99):.1f} ms "
        f"| {phase.percentile(100):.0f} ms | {phase.failures} | {phase.share(cpu.workers)} "
        f"| {phase.share(cpu.database)} | {phase.share(cpu.others)}"
    )


def _disturbances(each: Run) -> list[tuple[str, int]]:
    return [(d.kind, d.reviewers) for d in each.rounds[0].disturbed]


def _of(each: Run, kind: str, count: int) -> list[tuple[survey.Phase, Disturbed]]:
    return [
        (this.undisturbed, d)
        for this in each.rounds
        for d in this.disturbed
        if (d.kind, d.reviewers) == (kind, count)
    ]


def _ratios(each: Run, kind: str, count: int) -> list[float]:
    return [d.saves.percentile(95) / max(u.percentile(95), 1e-9) for u, d in _of(each, kind, count)]


def _spread(values: list[float], unit: str = "", digits: int = 0) -> str:
    """The median, then the range of the rounds."""
    median = statistics.median(values)
    return f"{median:.{digits}f}{unit} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def summary_row(each: Run, kind: str, count: int) -> None:
    pairs = _of(each, kind, count)
    undisturbed = [u for u, _ in pairs]
    disturbed = [d for _, d in pairs]
    ratios = ", ".join(f"{r:.2f}" for r in _ratios(each, kind, count))
    expected = round(CLIENTS / PACE * undisturbed[0].seconds)
    print(
        f"| {each.database} | {kind} x{count} "
        f"| {_spread([p.percentile(50) for p in undisturbed], digits=1)} / "
        f"{_spread([p.percentile(95) for p in undisturbed], ' ms', 1)} "
        f"| {_spread([d.saves.percentile(50) for d in disturbed], digits=1)} / "
        f"{_spread([d.saves.percentile(95) for d in disturbed], ' ms', 1)} "
        f"| {_spread([float(len(d.saves.latencies)) for d in disturbed])} of {expected} "
        f"| **{statistics.median(_ratios(each, kind, count)):.2f}** ({ratios}) "
        f"| {_spread([float(len(d.downloads.latencies)) for d in disturbed])} "
        f"({sum(d.renders for d in disturbed)} of {sum(d.sent for d in disturbed)}) |"
    )


if __name__ == "__main__":
    main()
