"""Both runners, for real: a local process pool, and RQ workers over the real Redis.

Worker processes see committed data only, so these tests use a database of their own
(`committed.py`) and render real scorecards.
"""

from __future__ import annotations

import os
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app.jobs import bulk, operations, runners
from app.jobs.models import Job, JobKind, JobStatus
from app.jobs.runners import BROKEN_POOL_ERROR, LocalRunner, Plan, RQRunner, Step
from tests.app.jobs.committed import Seeded, committed_app, in_app, seed
from tests.app.jobs.rq_support import REDIS_URL, rq_queue

ENTRY = "{}-national-cybersecurity-v1-{}.pdf"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("runners")
    with committed_app(folder, f"runners_{worker_id}") as app:
        yield app, seed(app, published=("FRA", "KEN"), unpublished=("EGY",))


@pytest.fixture
def app(world: Any) -> Flask:
    return world[0]


@pytest.fixture
def seeded(world: Any) -> Seeded:
    return world[1]


def request(app: Flask, seeded: Seeded, lang: str, **kwargs: Any) -> int:
    def ask() -> int:
        from app import db
        from app.campaigns.models import Campaign

        campaign = db.session.get(Campaign, seeded.campaign_id)
        job, created = bulk.request_bulk_scorecards(campaign, lang, background=False, **kwargs)
        assert created
        return job.id

    return int(in_app(app, ask))


def job_state(app: Flask, job_id: int) -> dict[str, Any]:
    def read() -> dict[str, Any]:
        job = operations.get_job(job_id)
        assert job is not None
        path = operations.result_file(job)
        return {
            "status": job.status,
            "done": job.progress_done,
            "total": job.progress_total,
            "error": job.error,
            "path": path,
            "started": job.started_dt,
            "finished": job.finished_dt,
        }

    return dict(in_app(app, read))


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        return {name: zf.read(name) for name in zf.namelist()}


def test_each_kind_of_job_registers_its_planner_with_the_runners() -> None:
    # Runners import no kind of job (an import contract in pyproject.toml): the module defining
    # one registers its planner, and the modules a pool's workers load first, on import.
    assert set(runners._planners) == set(JobKind)
    assert runners._planners[JobKind.BULK_SCORECARDS] is bulk.plan
    assert runners._preload == ["app.jobs.bulk", "app.scorecards.operations"]


def test_the_local_pool_renders_every_scorecard_and_packs_the_zip(
    app: Flask, seeded: Seeded
) -> None:
    job_id = request(app, seeded, "fr")
    progress: list[int] = []
    runner = LocalRunner(2)
    try:
        runner.run(app, job_id, on_progress=progress.append)
    finally:
        runner.shutdown()
    state = job_state(app, job_id)
    assert state["status"] is JobStatus.DONE, state["error"]
    assert (state["done"], state["total"], sum(progress)) == (2, 2, 2)
    assert state["started"] <= state["finished"]
    assert (
        state["path"].name
        == f"scorecards-national-cybersecurity-v1-campaign{seeded.campaign_id}-fr.zip"
    )
    assert state["path"].is_relative_to(Path(app.instance_path) / "jobs")
    files = entries(state["path"])
    assert sorted(files) == [ENTRY.format("FRA", "fr"), ENTRY.format("KEN", "fr")]
    assert all(data.startswith(b"%PDF") for data in files.values())
    assert not [p for p in state["path"].parent.iterdir() if p.name.endswith(".tmp")]


def test_a_job_handed_to_the_pool_runs_in_the_background(app: Flask, seeded: Seeded) -> None:
    job_id = request(app, seeded, "fr", include_unpublished=True)
    runner = LocalRunner(2)
    try:
        runner.submit(app, job_id)  # returns at once; a thread coordinates the pool
        deadline = time.monotonic() + 300
        while job_state(app, job_id)["status"] in (JobStatus.QUEUED, JobStatus.RUNNING):
            assert time.monotonic() < deadline, "the job did not finish"
            time.sleep(0.2)
    finally:
        runner.shutdown()
    state = job_state(app, job_id)
    assert state["status"] is JobStatus.DONE, state["error"]
    assert sorted(entries(state["path"])) == [
        ENTRY.format(iso3, "fr") for iso3 in ("EGY", "FRA", "KEN")
    ]


def test_a_scorecard_that_cannot_be_rendered_fails_the_job(app: Flask, seeded: Seeded) -> None:
    job_id = request(app, seeded, "es")

    def add_a_missing_submission() -> None:
        job = operations.get_job(job_id)
        assert job is not None
        job.parameters = {**job.parameters, "submission_ids": [999999]}

    in_app(app, add_a_missing_submission)
    runner = LocalRunner(1)
    try:
        with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the renderer raises
            runner.run(app, job_id)
    finally:
        runner.shutdown()
    state = job_state(app, job_id)
    assert state["status"] is JobStatus.FAILED
    assert state["error"].startswith("Submission 999999: ")
    assert state["path"] is None


def test_a_scorecard_that_cannot_be_rendered_is_left_out_and_the_rest_is_packed(
    app: Flask, seeded: Seeded
) -> None:
    job_id = request(app, seeded, "ar")
    france, kenya = seeded.published["FRA"], seeded.published["KEN"]

    def add_a_missing_submission() -> None:
        job = operations.get_job(job_id)
        assert job is not None
        job.parameters = {**job.parameters, "submission_ids": [france, 999999, kenya]}
        job.progress_total = 3

    in_app(app, add_a_missing_submission)
    runner = LocalRunner(1)
    try:
        runner.run(app, job_id)
    finally:
        runner.shutdown()
    state = job_state(app, job_id)
    assert state["status"] is JobStatus.DONE, state["error"]
    assert sorted(entries(state["path"])) == [ENTRY.format(i, "ar") for i in ("FRA", "KEN")]
    left_out = in_app(app, lambda: operations.get_job(job_id).parameters["left_out"])  # type: ignore[union-attr]
    assert left_out == [999999]


def test_a_worker_process_that_dies_fails_the_job(
    app: Flask, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = request(app, seeded, "ru")
    dying = Plan(job_id, [Step(os._exit, (1,), 1)], Step(bulk.assemble, (job_id,)))
    monkeypatch.setattr(runners, "load_plan", lambda job_id, chunk_size: dying)
    runner = LocalRunner(1)
    try:
        with pytest.raises(runners.BrokenProcessPool):
            runner.run(app, job_id)
    finally:
        runner.shutdown()
    state = job_state(app, job_id)
    assert (state["status"], state["error"]) == (JobStatus.FAILED, BROKEN_POOL_ERROR)


# --- RQ, against the real Redis ---


@pytest.fixture
def redis_queue() -> Iterator[tuple[Any, str]]:
    with rq_queue() as connection_and_name:
        yield connection_and_name


def work(app: Flask, connection: Any, name: str) -> None:
    """A worker in burst mode, in this process, inside the app (as `scorecards worker` runs)."""
    from rq import SimpleWorker

    with app.app_context():
        SimpleWorker([name], connection=connection, name=f"{name}-worker").work(burst=True)


def test_rq_workers_take_the_chunks_and_the_final_step_packs_the_zip(
    app: Flask, seeded: Seeded, redis_queue: tuple[Any, str]
) -> None:
    connection, name = redis_queue
    job_id = request(app, seeded, "en")
    queued = RQRunner(connection, queue_name=name, chunk_size=1).enqueue(app, job_id)
    # One task per chunk, any worker may take each; the final step waits for them all.
    assert [q.args for q in queued] == [
        (job_id, "en", [seeded.published["FRA"]]),
        (job_id, "en", [seeded.published["KEN"]]),
        (job_id,),
    ]
    assert job_state(app, job_id)["status"] is JobStatus.QUEUED
    work(app, connection, name)
    state = job_state(app, job_id)
    assert state["status"] is JobStatus.DONE, state["error"]
    assert sorted(entries(state["path"])) == [ENTRY.format(i, "en") for i in ("FRA", "KEN")]
    assert all(q.get_status(refresh=True) == "finished" for q in queued)


def test_an_rq_chunk_that_fails_fails_the_job_and_the_final_step_stops(
    app: Flask, seeded: Seeded, redis_queue: tuple[Any, str]
) -> None:
    connection, name = redis_queue
    job_id = request(app, seeded, "zh")

    def break_it() -> None:
        job = operations.get_job(job_id)
        assert job is not None
        job.parameters = {**job.parameters, "submission_ids": [999999]}

    in_app(app, break_it)
    queued = RQRunner(connection, queue_name=name).enqueue(app, job_id)
    work(app, connection, name)
    state = job_state(app, job_id)
    assert state["status"] is JobStatus.FAILED
    assert state["error"].startswith("Submission 999999: ")
    assert state["path"] is None
    assert [q.get_status(refresh=True) for q in queued] == ["failed", "finished"]
    assert queued[-1].return_value() is None  # found the job failed and wrote nothing


def test_when_redis_is_down_the_job_fails_at_once(app: Flask, seeded: Seeded) -> None:
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    job_id = request(app, seeded, "fr", include_unpublished=True)
    nowhere = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
    with pytest.raises(RedisConnectionError):
        RQRunner(nowhere).enqueue(app, job_id)
    state = job_state(app, job_id)
    assert state["status"] is JobStatus.FAILED
    assert state["error"].startswith("Could not queue the job")


def test_the_runner_follows_the_configuration(app: Flask) -> None:
    assert isinstance(runners.make_runner(app), LocalRunner)
    assert LocalRunner().max_workers == (os.cpu_count() or 1)
    redis_app = Flask("x")
    redis_app.config["REDIS_URL"] = REDIS_URL
    runner = runners.make_runner(redis_app)
    assert isinstance(runner, RQRunner)
    assert runner.queue_name == runners.QUEUE_NAME


def test_jobs_are_only_visible_as_rows(app: Flask) -> None:
    """Nothing but ids and primitives goes into a job's parameters (they cross processes)."""

    def kinds() -> set[type]:
        from sqlalchemy import select

        from app import db

        found: set[type] = set()
        for parameters in db.session.scalars(select(Job.parameters)):
            for value in parameters.values():
                found |= {type(v) for v in value} if isinstance(value, list) else {type(value)}
        return found

    assert in_app(app, kinds) <= {int, str, bool}
