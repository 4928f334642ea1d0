"""The bulk ZIP: its file names, what goes in it, and `cybermaturity scorecards render`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app.jobs import bulk, operations
from app.jobs.models import JobStatus
from app.jobs.runners import RQRunner
from app.survey.models import SubmissionStatus
from tests.app.conftest import campaign_submissions
from tests.app.jobs.committed import Seeded, committed_app, in_app, seed
from tests.app.jobs.rq_support import REDIS_URL, rq_queue
from tests.factories import AnswerFactory, CountryFactory

EXECUTABLE = Path(sys.executable).with_name("cybermaturity")


# --- Names and contents, in the test database ---


@pytest.mark.usefixtures("app_context")
def test_entries_are_named_by_country_questionnaire_version_and_language(campaign: Any) -> None:
    submissions = campaign_submissions(campaign)
    names = bulk.entry_names(campaign, [s.id for s in reversed(submissions)], "zh")
    assert list(names) == [s.id for s in reversed(submissions)]  # the job's order
    assert names[submissions[0].id] == f"{submissions[0].country.iso3}-test-survey-v1-zh.pdf"
    scope = {"include_unpublished": True}
    assert (
        bulk.zip_name(campaign, "zh", {})
        == f"scorecards-test-survey-v1-campaign{campaign.id}-zh.zip"
    )
    assert bulk.zip_name(campaign, "zh", scope).endswith(f"campaign{campaign.id}-zh-all.zip")


@pytest.mark.usefixtures("app_context")
def test_published_ones_by_default_every_answered_one_with_all(campaign: Any) -> None:
    CountryFactory()  # a third country, never answered
    draft, published, *_never = sorted(campaign_submissions(campaign), key=lambda s: s.id)
    for submission in (draft, published):
        AnswerFactory(submission=submission, question_id="legal.law.exists", value="no")
    published.status = SubmissionStatus.PUBLISHED
    assert bulk.submission_ids(campaign.id, include_unpublished=False) == [published.id]
    assert sorted(bulk.submission_ids(campaign.id, include_unpublished=True)) == sorted(
        [draft.id, published.id]
    )


@pytest.mark.usefixtures("app_context")
def test_a_zip_holds_the_files_under_their_names(tmp_path: Path) -> None:
    pdf = tmp_path / "cached.pdf"
    pdf.write_bytes(b"%PDF-1.7 scorecard")
    target = tmp_path / "out.zip"
    operations.write_atomically(
        target,
        lambda path: bulk.write_zip(path, [("FRA-x-v1-fr.pdf", pdf), ("KEN-x-v1-fr.pdf", pdf)]),
    )
    with zipfile.ZipFile(target) as zf:
        assert zf.namelist() == ["FRA-x-v1-fr.pdf", "KEN-x-v1-fr.pdf"]
        assert zf.read("KEN-x-v1-fr.pdf") == b"%PDF-1.7 scorecard"


# --- The command line, as a user runs it, on a committed database ---


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("bulk_cli")
    with committed_app(folder, f"bulk_cli_{worker_id}") as app:
        yield app, seed(app, published=("FRA", "BRA"), unpublished=("CHN",))


def environment(app: Flask) -> dict[str, str]:
    """The command line's environment for the same database and instance folder as `app`."""
    return {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "INSTANCE_PATH": app.instance_path,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "REDIS_URL": "",
    }


def cli(app: Flask, *args: str, stdout: Any = subprocess.PIPE) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own console script
        [str(EXECUTABLE), "scorecards", "render", "--processes", "2", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(app),
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=600)
    return process.returncode, stdout, stderr


def test_render_writes_the_zip_with_a_progress_bar_and_a_summary(
    world: tuple[Flask, Seeded], tmp_path: Path
) -> None:
    app, seeded = world
    output = tmp_path / "scorecards.zip"
    code, stdout, stderr = finish(
        cli(app, "--campaign", str(seeded.campaign_id), "--lang", "fr", "--output", str(output))
    )
    assert code == 0, stderr
    lines = stdout.strip().splitlines()
    assert re.fullmatch(r"Bulk test campaign: 2 scorecards in fr, job \d+\.", lines[0])
    assert "Rendering" in stdout
    assert lines[-2].startswith("2 scorecards (Bulk test campaign, fr) in ")
    assert lines[-1] == str(output)
    with zipfile.ZipFile(output) as zf:
        assert sorted(zf.namelist()) == [
            "BRA-national-cybersecurity-v1-fr.pdf",
            "FRA-national-cybersecurity-v1-fr.pdf",
        ]
    job_id = lines[0].rsplit(" ", 1)[-1].rstrip(".")
    kept = Path(app.instance_path) / "jobs" / job_id
    assert [p.name for p in kept.iterdir()] == [
        f"scorecards-national-cybersecurity-v1-campaign{seeded.campaign_id}-fr.zip"
    ]


def test_render_all_includes_unpublished_and_prints_where_the_zip_is(
    world: tuple[Flask, Seeded],
) -> None:
    app, seeded = world
    code, stdout, stderr = finish(
        cli(app, "--campaign", str(seeded.campaign_id), "--lang", "fr", "--all")
    )
    assert code == 0, stderr
    path = Path(stdout.strip().splitlines()[-1])
    assert path.is_relative_to(Path(app.instance_path) / "jobs")
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == [
            f"{iso3}-national-cybersecurity-v1-fr.pdf" for iso3 in ("BRA", "CHN", "FRA")
        ]


def test_render_follows_a_job_already_under_way(
    world: tuple[Flask, Seeded], tmp_path: Path
) -> None:
    """Asking from the command line while the web app prepares the same ZIP starts nothing
    new: the command follows that job and prints its file."""
    app, seeded = world

    def under_way() -> int:
        from app import db
        from app.campaigns.models import Campaign

        campaign = db.session.get(Campaign, seeded.campaign_id)
        job, _created = bulk.request_bulk_scorecards(campaign, "fr", background=False)
        operations.start_job(job.id)
        return job.id

    job_id = in_app(app, under_way)
    output = tmp_path / "stdout.txt"
    with output.open("w") as stdout_file:
        process = cli(
            app, "--campaign", str(seeded.campaign_id), "--lang", "fr", stdout=stdout_file
        )
        following = f"Job {job_id} is already under way elsewhere; following it."
        deadline = time.monotonic() + 120
        while following not in output.read_text():
            assert process.poll() is None, output.read_text()
            assert time.monotonic() < deadline, output.read_text()
            time.sleep(0.1)
        # Meanwhile the job's own workers finish it (this test stands in for them; the final
        # step renders what no chunk did).
        with app.app_context():
            assert bulk.assemble(job_id) is not None
        code, _stdout, stderr = finish(process)
    assert code == 0, stderr
    lines = output.read_text().strip().splitlines()
    assert lines[0] == f"Bulk test campaign: 2 scorecards in fr, job {job_id}."
    assert lines[-1].endswith("-fr.zip")
    assert in_app(app, lambda: operations.get_job(job_id).status) is JobStatus.DONE


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--campaign", "999", "--lang", "fr"), "no campaign with the id 999"),
        (("--campaign", "{campaign}", "--lang", "xx"), "'xx' is not one of"),
    ],
)
def test_render_refuses_what_it_cannot_do(
    world: tuple[Flask, Seeded], args: tuple[str, ...], message: str
) -> None:
    app, seeded = world
    args = tuple(a.format(campaign=seeded.campaign_id) for a in args)
    code, _stdout, stderr = finish(cli(app, *args))
    assert code == 2
    assert message in stderr


# --- RQ workers started by the command line, against the real Redis ---


@pytest.fixture
def redis_queue() -> Iterator[tuple[Any, str]]:
    with rq_queue() as connection_and_name:
        yield connection_and_name


def test_the_worker_command_runs_queued_jobs_on_every_process(
    world: tuple[Flask, Seeded], redis_queue: tuple[Any, str]
) -> None:
    app, seeded = world
    connection, name = redis_queue

    def ask() -> int:
        from app import db
        from app.campaigns.models import Campaign

        campaign = db.session.get(Campaign, seeded.campaign_id)
        return bulk.request_bulk_scorecards(campaign, "es", background=False)[0].id

    job_id = in_app(app, ask)
    RQRunner(connection, queue_name=name, chunk_size=1).enqueue(app, job_id)
    worker = subprocess.run(  # noqa: S603 - our own console script
        [str(EXECUTABLE), "scorecards", "worker", "--burst", "--processes", "2", "--queue", name],
        capture_output=True,
        text=True,
        env={**environment(app), "REDIS_URL": REDIS_URL},
        timeout=600,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr
    assert worker.stderr.count("Successfully completed") == 3  # two chunks, then the ZIP
    state = in_app(app, lambda: operations.get_job(job_id).status)
    assert state is JobStatus.DONE


def test_the_worker_command_needs_redis(world: tuple[Flask, Seeded]) -> None:
    app, _seeded = world
    env = {**environment(app), "REDIS_URL": ""}
    result = subprocess.run(  # noqa: S603 - our own console script
        [str(EXECUTABLE), "scorecards", "worker", "--burst"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "REDIS_URL is not set" in result.stderr
