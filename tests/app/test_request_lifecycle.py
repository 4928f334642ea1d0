"""The request lifecycle opens and ends every request's unit of work; views never do.

`ROUTE_MODES` lists every route with the transaction mode its requests run in: a new route, or
one whose mode changes, fails `test_every_route_runs_in_its_listed_mode` until it is listed here.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask, abort
from sqlalchemy import func, select

from app import PROJECT_ROOT, db
from app.audit import AuditEvent, record
from app.transactions import Mode, after_commit, even_if_failed, mode_of, transaction
from tests.support import database

R, W, RW, NONE = Mode.READ, Mode.WRITE, Mode.READ_THEN_WRITE, Mode.NONE

#: (endpoint, method) -> mode. GET reads and every other method writes, unless declared.
ROUTE_MODES: dict[tuple[str, str], Mode] = {
    ("home.index", "GET"): R,
    ("home.set_language", "POST"): W,
    ("auth.sign_in", "GET"): R,
    ("auth.sign_in", "POST"): W,
    ("auth.sign_out", "POST"): W,
    ("auth.forgot_password", "GET"): R,
    ("auth.forgot_password", "POST"): W,
    ("auth.reset_password", "GET"): R,
    ("auth.reset_password", "POST"): W,
    ("auth.accept_invitation", "GET"): R,
    ("auth.accept_invitation", "POST"): W,
    ("csrf_token", "GET"): R,
    ("static", "GET"): R,
    ("survey.index", "GET"): R,
    ("survey.overview", "GET"): R,
    ("survey.section", "GET"): R,
    ("survey.section", "POST"): W,
    ("survey.autosave", "POST"): RW,  # checks in a read, then holds the write lock to save only
    ("survey.download_evidence", "GET"): R,
    ("survey.submit", "POST"): W,
    ("jobs.new_bulk", "GET"): W,  # fails jobs whose worker died
    ("jobs.create_bulk", "POST"): W,
    ("jobs.job", "GET"): W,  # as new_bulk
    ("jobs.job_status", "GET"): R,
    ("jobs.download", "GET"): R,
    ("scorecards.preview", "GET"): R,
    ("scorecards.download_pdf", "GET"): NONE,  # renders for seconds holding no connection
    ("scorecards.asset", "GET"): R,
}


def test_every_route_runs_in_its_listed_mode(app: Flask) -> None:
    actual = {
        (rule.endpoint, method): mode_of(app.view_functions[rule.endpoint], method)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert actual == ROUTE_MODES


def test_only_the_transaction_module_commits() -> None:
    """Views and operations flush; committing is the lifecycle's (and the database module's)."""
    allowed = {PROJECT_ROOT / "app" / "transactions.py", PROJECT_ROOT / "app" / "db.py"}
    offenders = []
    for path in sorted((PROJECT_ROOT / "app").rglob("*.py")):
        if path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute | ast.Name)
                and (getattr(node.func, "attr", None) or getattr(node.func, "id", None))
                in ("commit", "end_reading", "reads_only", "allow_writes")
            ):
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    assert offenders == []


def test_views_declare_no_transaction_by_hand() -> None:
    for path in (PROJECT_ROOT / "app").rglob("views.py"):
        assert "transactional" not in Path(path).read_text(), path


# --- Behaviour, on routes added to an app whose requests commit for real ---


@pytest.fixture(scope="module")
def lifecycle_app(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("lifecycle")
    with database.committed_app(folder, f"lifecycle_{worker_id}") as test_app:
        _add_routes(test_app)
        test_app.config.update(WTF_CSRF_ENABLED=False, PROPAGATE_EXCEPTIONS=False)
        yield test_app


def _add_routes(test_app: Flask) -> None:
    def write(status: int) -> tuple[str, int]:
        record("test", f"written, then answered {status}")
        after_commit(lambda: test_app.config.setdefault("SIDE_EFFECTS", []).append(status))
        return "ok", status

    def write_then_raise() -> str:
        record("test", "written, then raised")
        raise RuntimeError("boom")

    def refuse() -> str:
        record("test", "rolled back")
        even_if_failed(lambda: record("test", "kept although refused"))
        abort(403)

    def write_on_get() -> str:
        record("test", "written on a GET")
        db.session.flush()
        return "ok"

    @transaction(Mode.WRITE)
    def declared_write() -> str:
        record("test", "a GET declared to write")
        return "ok"

    test_app.add_url_rule("/t/write/<int:status>", view_func=write, methods=["POST"])
    test_app.add_url_rule("/t/raise", view_func=write_then_raise, methods=["POST"])
    test_app.add_url_rule("/t/refuse", view_func=refuse, methods=["POST"])
    test_app.add_url_rule("/t/get-write", view_func=write_on_get)
    test_app.add_url_rule("/t/declared", view_func=declared_write)


def entries(test_app: Flask, summary: str) -> int:
    with test_app.app_context():
        found = db.session.scalar(select(func.count()).where(AuditEvent.summary == summary))
    return found or 0


@pytest.mark.parametrize(("status", "kept"), [(200, 1), (302, 1), (400, 0), (422, 0), (500, 0)])
def test_a_write_is_committed_below_400_and_rolled_back_otherwise(
    lifecycle_app: Flask, status: int, kept: int
) -> None:
    response = lifecycle_app.test_client().post(f"/t/write/{status}")
    assert response.status_code == status
    assert entries(lifecycle_app, f"written, then answered {status}") == kept
    assert lifecycle_app.config.get("SIDE_EFFECTS", []).count(status) == kept


def test_a_view_that_raises_is_rolled_back(lifecycle_app: Flask) -> None:
    assert lifecycle_app.test_client().post("/t/raise").status_code == 500
    assert entries(lifecycle_app, "written, then raised") == 0


def test_what_must_be_kept_survives_the_rollback(lifecycle_app: Flask) -> None:
    assert lifecycle_app.test_client().post("/t/refuse").status_code == 403
    assert entries(lifecycle_app, "rolled back") == 0
    assert entries(lifecycle_app, "kept although refused") == 1


def test_a_get_cannot_write_unless_its_route_declares_it(lifecycle_app: Flask) -> None:
    client = lifecycle_app.test_client()
    assert client.get("/t/get-write").status_code == 500  # the database refused the write
    assert entries(lifecycle_app, "written on a GET") == 0
    assert client.get("/t/declared").status_code == 200
    assert entries(lifecycle_app, "a GET declared to write") == 1


def scorecard_to_download(test_app: Flask, lang: str) -> tuple[Any, str]:
    """A signed-in reviewer's client and the URL of a published scorecard, on a committed app."""
    from app.auth.models import Role
    from app.auth.operations import create_user
    from app.transactions import transactional
    from tests.app.conftest import login
    from tests.app.jobs.committed import seed
    from tests.factories import DEFAULT_PASSWORD

    seeded = seed(test_app, published=("FRA",))
    with test_app.app_context():
        transactional(create_user)("reviewer@example.org", DEFAULT_PASSWORD, Role.REVIEWER)
    client = test_app.test_client()
    login(client, SimpleNamespace(email="reviewer@example.org"))
    return client, f"/scorecards/{seeded.published['FRA']}/scorecard-{lang}.pdf"


def test_a_scorecard_renders_holding_no_transaction_or_connection(
    tmp_path: Path, worker_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An uncached PDF takes seconds to lay out: meanwhile other requests must not wait for this
    one's write lock (SQLite) or pooled connection (PostgreSQL)."""
    from app.scorecards import rendering

    held: list[tuple[bool, int]] = []
    render = rendering.render_scorecard_pdf

    def render_and_look(*args: Any, **kwargs: Any) -> bytes:
        engine = db.session.get_bind()
        held.append((db.session().in_transaction(), engine.pool.checkedout()))  # type: ignore[union-attr]
        return render(*args, **kwargs)

    monkeypatch.setattr(rendering, "render_scorecard_pdf", render_and_look)
    with database.committed_app(tmp_path, f"render_{worker_id}") as test_app:
        client, url = scorecard_to_download(test_app, "en")
        response = client.get(url)
        assert response.status_code == 200
        assert response.data.startswith(b"%PDF")
        response.close()
    assert held == [(False, 0)]


def test_a_download_that_must_render_is_rendered_in_a_worker_process_of_lower_priority(
    tmp_path: Path, worker_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering in the web process would hold its interpreter lock for seconds, and every other
    request that process serves would wait for it."""
    from app.scorecards import rendering
    from app.scorecards.renderer import RENDER_NICENESS, render_pool

    def not_here(*_args: Any) -> bytes:
        raise AssertionError("rendered in the web process")

    monkeypatch.setattr(rendering, "render_scorecard_pdf", not_here)
    with database.committed_app(
        tmp_path, f"pool_{worker_id}", SCORECARD_RENDER_PROCESSES=1
    ) as test_app:
        client, url = scorecard_to_download(test_app, "ar")
        response = client.get(url)
        assert response.status_code == 200
        assert response.data.startswith(b"%PDF")
        response.close()
        pool = render_pool(test_app)
        assert pool is not None
        workers = list(getattr(pool._pool, "_processes", {}))
        assert len(workers) == 1
        assert os.getpriority(os.PRIO_PROCESS, workers[0]) >= RENDER_NICENESS
        again = client.get(url)  # cached now: read in the request, no render anywhere
        assert again.data == response.data
        again.close()
