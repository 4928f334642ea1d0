"""Bulk scorecards: the ZIP of 194 countries' scorecards, on 1 process and on 2.

    .venv/bin/python bench/bench_bulk.py [--countries N] [--lang en] [--processes 1 2]
                                         [--rounds N] [--database sqlite|postgresql]

Creates a database of its own (an SQLite file in a temporary folder, or a new PostgreSQL database
that is dropped at the end), migrates it and opens a campaign of the national questionnaire in
which every ITU member state has answered in full (answers from `app.demo.answers`, a fixed seed,
each country with its own maturity) and been published. Then, for each process count, the bulk
job runs exactly as `cybermaturity scorecards render` runs it: a job row, a new process pool of
that size (its start is timed too), one task per scorecard, the ZIP. The scorecard cache is
emptied before each run, so every run renders all of them cold.

Reported: the wall time of each run, the time per scorecard, and the speed-up over 1 process
(target: at least 1.7 on 2 processes). The machine needs that many free cores: so that a busy
machine shows as such, each run also reports the CPU time its workers used (from /proc, start
included), as CPU seconds per scorecard and as the cores the job had on average (CPU time over
wall time), and the load average before it. With `--rounds N` each count runs N times, in the
order 1 2 2 1 ..., and the best run of each is kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUESTIONNAIRE = "national-cybersecurity"
TARGET_SPEEDUP = 1.7


def make_app(url: str, instance: Path) -> Any:
    from app import create_app
    from tests.support.database import upgrade

    upgrade(url)
    return create_app(
        {"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench-only-secret"}
    )


def publish_campaign(countries: int, seed: int) -> dict[str, int]:
    """A campaign with `countries` published, fully answered submissions: its id and count."""
    from sqlalchemy import select

    from app import db
    from app.auth.models import Role
    from app.auth.operations import create_user
    from app.campaigns.operations import create_campaign
    from app.countries.operations import sync_countries
    from app.db import utcnow
    from app.demo.answers import generate_answers
    from app.survey import operations as survey
    from app.survey.models import Submission, SubmissionStatus
    from questionnaires.answers import parse_answers
    from questionnaires.loader import get_definition

    sync_countries()
    definition = get_definition(QUESTIONNAIRE)
    today = dt.datetime.now(dt.UTC).date()
    campaign = create_campaign(definition, "Bulk benchmark", today, today + dt.timedelta(days=1))
    author = create_user("bench@example.org", None, Role.ADMIN, name="Bench")
    rng = random.Random(seed)
    submissions = db.session.scalars(
        select(Submission).where(Submission.campaign_id == campaign.id).order_by(Submission.id)
    ).all()[:countries]
    now = utcnow()
    for submission in submissions:
        raw = generate_answers(definition, rng.random(), rng)
        survey.save_answers(submission, parse_answers(definition, raw), {}, author)
        submission.status = SubmissionStatus.PUBLISHED
        submission.submitted_dt = submission.validated_dt = submission.published_dt = now
    db.session.flush()
    return {"campaign_id": campaign.id, "count": len(submissions)}


@dataclass(frozen=True)
class Run:
    processes: int
    seconds: float
    scorecards: int
    load: float
    cpu_seconds: float | None  # used by the pool's workers, start included (Linux only)

    @property
    def cores_used(self) -> float | None:
        """How many cores the job had on average: below `processes`, others took the rest."""
        return self.cpu_seconds / self.seconds if self.cpu_seconds is not None else None


def cpu_seconds(pids: list[int]) -> float | None:
    """User and system CPU time of these processes so far, from /proc; None elsewhere."""
    total = 0
    try:
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    except (OSError, IndexError, ValueError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


def run_once(app: Any, campaign_id: int, lang: str, processes: int) -> Run:
    """One cold bulk job on a new pool of `processes` workers."""
    from app import db
    from app.campaigns.models import Campaign
    from app.jobs import operations
    from app.jobs.bulk import request_bulk_scorecards
    from app.jobs.models import JobStatus
    from app.jobs.runners import LocalRunner
    from app.transactions import transactional

    shutil.rmtree(Path(app.instance_path) / "cache" / "scorecards", ignore_errors=True)
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is None:
            raise SystemExit(f"no campaign {campaign_id}")
        job, created = transactional(request_bulk_scorecards)(campaign, lang, background=False)
        if not created:
            raise SystemExit("a job for this ZIP is already under way")
        job_id, total = job.id, job.progress_total
    load = os.getloadavg()[0]
    runner = LocalRunner(processes)
    started = time.perf_counter()
    try:
        runner.run(app, job_id)
    finally:
        seconds = time.perf_counter() - started
        used = cpu_seconds(runner.worker_pids())  # the workers are idle, still alive
        runner.shutdown()
    with app.app_context():
        finished = operations.get_job(job_id)
        path = operations.result_file(finished) if finished is not None else None
        if finished is None or finished.status is not JobStatus.DONE or path is None:
            raise SystemExit(f"the job failed: {finished.error if finished else 'gone'}")
        with zipfile.ZipFile(path) as zf:
            if len(zf.namelist()) != total:
                raise SystemExit(f"{len(zf.namelist())} scorecards in the ZIP, not {total}")
    return Run(processes, seconds, total, load, used)


def start_forkserver() -> None:
    """Start the pools' forkserver (it imports the rendering code once) before any timing, so
    the first run does not pay for it alone."""
    from multiprocessing import forkserver

    from app.jobs.runners import pool_context

    pool_context()
    forkserver.ensure_running()


def main() -> None:
    from tests.support.database import benchmark_server, empty_database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=194, help="Published scorecards.")
    parser.add_argument("--lang", default="en", help="Language of the scorecards.")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--server",
        default=benchmark_server(),
        help="a PostgreSQL server where a database may be created (default: %(default)s, or "
        "BENCH_POSTGRESQL_URL)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--rounds", type=int, default=1, help="Runs of each count, in 1 2 2 1 order; best kept."
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    server = args.server if args.database == "postgresql" else None
    with (
        tempfile.TemporaryDirectory(prefix="bench-bulk-") as tmp,
        empty_database(server, Path(tmp), "bench_bulk") as url,
    ):
        app = make_app(url, Path(tmp) / "instance")
        from app import db
        from app.transactions import transactional

        with app.app_context():
            seeded = transactional(publish_campaign)(args.countries, args.seed)
        campaign_id, count = seeded["campaign_id"], seeded["count"]
        print(f"{count} published scorecards ({QUESTIONNAIRE}, {args.lang}), {args.database}")
        print(f"{cores} cores available to this process")
        start_forkserver()
        runs: dict[int, list[Run]] = {n: [] for n in args.processes}
        for order in run_order(args.processes, args.rounds):
            run = run_once(app, campaign_id, args.lang, order)
            runs[order].append(run)
            print(
                f"{order} process(es): {run.seconds:.1f} s, "
                f"{run.seconds / run.scorecards:.2f} s a scorecard, {cores_text(run)} cores used "
                f"(load before: {run.load:.2f})"
            )
        db.dispose(app)
    report(runs)


def cores_text(run: Run) -> str:
    return f"{run.cores_used:.2f}" if run.cores_used is not None else "n/a"


def run_order(counts: list[int], rounds: int) -> list[int]:
    """Each process count once per round, every other round in reverse (1 2 2 1 ...), so a
    machine getting busier or quieter during the benchmark favours no count."""
    order: list[int] = []
    for index in range(rounds):
        order += counts if index % 2 == 0 else counts[::-1]
    return order


def report(runs: dict[int, list[Run]]) -> None:
    """The best run of each process count, and its speed-up over the first count's best."""
    best = {count: min(found, key=lambda r: r.seconds) for count, found in runs.items()}
    counts = list(best)
    base = best[counts[0]]
    print()
    print("| Processes | Wall time | Per scorecard | Speed-up | Cores used | CPU per scorecard |")
    print("|---|---|---|---|---|---|")
    for count in counts:
        run = best[count]
        cpu = f"{run.cpu_seconds / run.scorecards:.2f} s" if run.cpu_seconds else "n/a"
        print(
            f"| {count} | {run.seconds:.1f} s | {run.seconds / run.scorecards:.2f} s "
            f"| {base.seconds / run.seconds:.2f}x | {cores_text(run)} | {cpu} |"
        )
    last = best[counts[-1]]
    speedup = base.seconds / last.seconds
    verdict = "meets" if speedup >= TARGET_SPEEDUP else "misses"
    print(f"\nSpeed-up on {last.processes} processes: {speedup:.2f}x ({verdict} the 1.7 target)")


if __name__ == "__main__":
    main()
