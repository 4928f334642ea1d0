"""RQ against the real Redis: a queue name of the test's own, and every key it left removed."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@contextlib.contextmanager
def rq_queue() -> Iterator[tuple[Any, str]]:
    """A connection and a queue name; skips the test when Redis cannot be reached."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    name = f"cybermaturity-test-{uuid.uuid4().hex}"
    try:
        yield connection, name
    finally:
        _clean(connection, name)
        connection.close()


def _clean(connection: Any, name: str) -> None:
    from rq import Queue

    queue = Queue(name, connection=connection)
    registries = (
        queue.finished_job_registry,
        queue.failed_job_registry,
        queue.deferred_job_registry,
        queue.started_job_registry,
    )
    job_ids = {*queue.job_ids, *(jid for r in registries for jid in r.get_job_ids())}
    for pattern in (f"*{name}*", *(f"rq:*{jid}*" for jid in job_ids)):
        for key in connection.scan_iter(pattern):
            connection.delete(key)
    for key in connection.scan_iter("rq:worker:*"):  # workers named by RQ, that served `name`
        if name in (connection.hget(key, "queues") or b"").decode():
            connection.delete(key)
    for shared in ("rq:queues", "rq:workers"):  # sets of every queue and worker
        for member in connection.smembers(shared):
            if name in member.decode():
                connection.srem(shared, member)
