"""Scorecards: a cold render in each language against WeasyPrint alone, and cached downloads.

    .venv/bin/python bench/bench_scorecards.py [--repeat 5] [--requests 2000] [--langs ar zh en]

Part 1, cold renders (nothing cached). The national scorecard of one country (every question
answered by `app.demo.answers` from a fixed seed; benchmarks over 24 peers; an earlier campaign
to compare with) is rendered in each language by the app's own pipeline, from the scorecard's
data to PDF bytes: context, charts, HTML, then `app.pdf.render_pdf` with its URL fetcher. In the
same run, interleaved, WeasyPrint alone renders the very same HTML string with its defaults (its
own fetcher reading the stylesheets from disk): the least any scorecard of this layout costs.
Each is timed `--repeat` times; the best and the median are reported, in CPU time of this
process (what a render costs a core, whatever else the machine runs) and in wall time.
Targets: our overhead at most 25% over WeasyPrint alone; Chinese and Arabic at most 1.5 times
English. Also reported: the first render in a fresh process, per language (imports, fontconfig,
loading the fonts).

Part 2, cached downloads. A database of its own (SQLite in a temporary folder, migrated), a
campaign of the national questionnaire with one published, fully answered submission and a
signed-in reviewer. Through the Flask test client, the PDF is downloaded once (rendered and
stored), then `--requests` times from the cache: requests per second, with, for scale, the same
number of requests for a static file (`/static/app.css`) and plain reads of the cached file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import logging
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()  # after the standard library's imports, before the app's
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONNAIRE = "national-cybersecurity"
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
TARGET_OVERHEAD = 1.25
TARGET_SCRIPT_RATIO = 1.5


# --- Part 1: cold renders ---


def scorecard_data(seed: int) -> Any:
    """One country's scorecard data: full answers, 24 peers' benchmarks, an earlier result."""
    from app.demo.answers import generate_answers
    from app.scorecards.context import EarlierResult, Place, ScorecardData
    from questionnaires.answers import parse_answers
    from questionnaires.loader import get_definition
    from scoring import benchmark, score

    definition = get_definition(QUESTIONNAIRE)
    rng = random.Random(seed)

    def answers(maturity: float) -> Any:
        return parse_answers(definition, generate_answers(definition, maturity, rng))

    regions = ("africa", "americas", "arab_states", "asia_pacific", "cis", "europe")
    peers = [score(definition, answers(rng.random()), f"P{i:02d}") for i in range(24)]
    region_of = {p.country: regions[i % 6] for i, p in enumerate(peers)}
    return ScorecardData(
        definition=definition,
        answers=answers(0.6),
        evidence=frozenset(q.id for q in definition.questions()[::3]),
        country=Place("KE", "KEN", "africa"),
        campaign="National cybersecurity commitment 2026",
        status="draft",
        date=dt.date(2026, 6, 1),
        benchmark=benchmark(peers, lambda p: region_of.get(p.country or "")),
        earlier=EarlierResult("Commitment 2024", score(definition, answers(0.4), "KEN")),
    )


@dataclass
class Timing:
    cpu: list[float]
    wall: list[float]

    def add(self, func: Callable[[], object]) -> object:
        cpu, wall = time.process_time(), time.perf_counter()
        result = func()
        self.cpu.append(time.process_time() - cpu)
        self.wall.append(time.perf_counter() - wall)
        return result


def render_ours(data: Any, lang: str) -> bytes:
    """The app's way: scorecard context, HTML, then the PDF with the app's URL fetcher."""
    from app.pdf import ASSET_BASE_URL, render_pdf
    from app.scorecards.context import build_scorecard
    from app.scorecards.rendering import render_html

    return render_pdf(render_html(build_scorecard(data, lang)), base_url=ASSET_BASE_URL)


def render_alone(html: str, base_url: str) -> bytes | None:
    """WeasyPrint on its own, with its default fetcher, on the same HTML."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def cold_renders(langs: list[str], repeat: int, seed: int) -> dict[str, tuple[Timing, Timing]]:
    from app.pdf import ASSET_FOLDER
    from app.scorecards.context import build_scorecard
    from app.scorecards.rendering import render_html

    data = scorecard_data(seed)
    direct_base = ASSET_FOLDER.as_uri() + "/"
    results: dict[str, tuple[Timing, Timing]] = {}
    for lang in langs:  # warm up: imports, templates compiled, fonts found
        render_ours(data, lang)
    for lang in langs:
        ours, alone = Timing([], []), Timing([], [])
        html = render_html(build_scorecard(data, lang))
        for _ in range(repeat):
            ours.add(functools.partial(render_ours, data, lang))
            alone.add(functools.partial(render_alone, html, direct_base))
        results[lang] = (ours, alone)
    return results


def first_render_in_a_new_process(lang: str, seed: int) -> float:
    """Seconds from a fresh interpreter's start to its first PDF in `lang`."""
    output = subprocess.run(  # noqa: S603 - this interpreter, this script
        [sys.executable, __file__, "--first-render", lang, "--seed", str(seed)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return float(output.strip().splitlines()[-1])


def first_render(lang: str, seed: int) -> None:
    """The child side of `first_render_in_a_new_process`: imports count too."""
    from app.pdf import ASSET_BASE_URL, render_pdf
    from app.scorecards.context import build_scorecard
    from app.scorecards.rendering import render_html

    render_pdf(render_html(build_scorecard(scorecard_data(seed), lang)), base_url=ASSET_BASE_URL)
    print(time.perf_counter() - STARTED)


def report_renders(results: dict[str, tuple[Timing, Timing]], fresh: dict[str, float]) -> None:
    print("\nCold render of the national scorecard (best / median of each, seconds)")
    print(
        f"{'lang':<5} {'ours cpu':>9} {'alone cpu':>10} {'overhead':>9}   "
        f"{'ours wall':>10} {'alone wall':>11} {'overhead':>9}   {'new process':>11}"
    )
    for lang, (ours, alone) in results.items():
        over_cpu = min(ours.cpu) / min(alone.cpu)
        over_wall = min(ours.wall) / min(alone.wall)
        print(
            f"{lang:<5} {_pair(ours.cpu):>9} {_pair(alone.cpu):>10} {_pct(over_cpu):>9}   "
            f"{_pair(ours.wall):>10} {_pair(alone.wall):>11} {_pct(over_wall):>9}   "
            f"{fresh.get(lang, float('nan')):>10.2f}s"
        )
    worst = max(min(o.cpu) / min(a.cpu) for o, a in results.values())
    verdict = "meets" if worst <= TARGET_OVERHEAD else "MISSES"
    print(f"Largest overhead (CPU, best): {_pct(worst)}: {verdict} the 25% target")
    if "en" in results:
        english = min(results["en"][0].cpu)
        for lang in ("zh", "ar"):
            if lang in results:
                ratio = min(results[lang][0].cpu) / english
                verdict = "meets" if ratio <= TARGET_SCRIPT_RATIO else "MISSES"
                print(f"{lang} / en (CPU, best): {ratio:.2f}x: {verdict} the 1.5x target")


def _pair(values: list[float]) -> str:
    return f"{min(values):.2f}/{statistics.median(values):.2f}"


def _pct(ratio: float) -> str:
    return f"{(ratio - 1) * 100:+.0f}%"


# --- Part 2: cached downloads ---


def downloads(requests: int, seed: int) -> None:
    from app import create_app, db
    from app.transactions import transactional
    from tests.support.database import upgrade

    with tempfile.TemporaryDirectory(prefix="bench-scorecards-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        app = create_app(
            {
                "DATABASE_URL": url,
                "INSTANCE_PATH": Path(tmp) / "instance",
                "SECRET_KEY": "bench-only-secret",
                "SESSION_COOKIE_SECURE": False,
            }
        )
        with app.app_context():
            submission_id, email = transactional(_published_scorecard)(seed)
        client = app.test_client()
        _sign_in(client, email)
        pdf_url = f"/scorecards/{submission_id}/scorecard-en.pdf"
        started = time.perf_counter()
        first = _get(client, pdf_url)
        print(f"\nFirst download (rendered and stored): {time.perf_counter() - started:.2f} s")
        with app.app_context():
            from app.scorecards.operations import scorecard_pdf_path

            path = scorecard_pdf_path(submission_id, "en")
        rows = [
            ("cached PDF download", lambda: _get(client, pdf_url)),
            ("static file (/static/app.css)", lambda: _get(client, "/static/app.css")),
            ("read of the cached file alone", path.read_bytes),
        ]
        print(f"{requests} requests each, Flask test client, one thread")
        for label, func in rows:
            func()
            started = time.perf_counter()
            for _ in range(requests):
                func()
            seconds = time.perf_counter() - started
            print(f"  {label:<32} {requests / seconds:8.0f} per second")
        assert _get(client, pdf_url) == first  # noqa: S101 - the cache served the same file
        db.dispose(app)


def _published_scorecard(seed: int) -> tuple[int, str]:
    from sqlalchemy import select

    from app import db
    from app.auth.models import Role
    from app.auth.operations import create_user
    from app.campaigns.operations import create_campaign
    from app.countries.models import Country
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
    campaign = create_campaign(definition, "Benchmark", today, today + dt.timedelta(days=1))
    email = "reviewer@bench.example.org"
    author = create_user(email, "bench-password-123", Role.REVIEWER, name="Bench")
    submission = db.session.scalars(
        select(Submission)
        .join(Country)
        .where(Submission.campaign_id == campaign.id, Country.iso3 == "KEN")
    ).one()
    raw = generate_answers(definition, 0.6, random.Random(seed))
    survey.save_answers(submission, parse_answers(definition, raw), {}, author)
    submission.status = SubmissionStatus.PUBLISHED
    submission.validated_dt = submission.published_dt = utcnow()
    db.session.flush()
    return submission.id, email


def _sign_in(client: Any, email: str) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"email": email, "password": "bench-password-123"}
    if token:
        data["csrf_token"] = token.group(1)
    if client.post("/sign-in", data=data).status_code != 302:
        raise SystemExit("could not sign in")


def _get(client: Any, url: str) -> bytes:
    response = client.get(url)
    body: bytes = response.get_data()
    response.close()
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code}")
    return body


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="Renders per language and side.")
    parser.add_argument("--requests", type=int, default=2000, help="Cached downloads timed.")
    parser.add_argument("--langs", nargs="+", default=list(LANGUAGES), choices=LANGUAGES)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-fresh", action="store_true", help="No fresh-process renders.")
    parser.add_argument("--only", choices=("renders", "downloads"), help="Run one part only.")
    parser.add_argument("--first-render", choices=LANGUAGES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.first_render:
        first_render(args.first_render, args.seed)
        return
    print(f"Load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if args.only != "downloads":
        fresh = {}
        if not args.skip_fresh:
            fresh = {lang: first_render_in_a_new_process(lang, args.seed) for lang in args.langs}
        report_renders(cold_renders(args.langs, args.repeat, args.seed), fresh)
    if args.only != "renders":
        downloads(args.requests, args.seed)
    print(f"Load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
