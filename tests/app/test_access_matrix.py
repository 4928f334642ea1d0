"""Every route, for every kind of user, including a focal point of another country.

A route missing from MATRIX fails `test_every_route_is_in_the_matrix`: new pages must say who may
use them. 302 means "sent to sign in" for anonymous users and "moved on" for the others.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from app.auth.models import Role
from tests.app.conftest import login, submission_of
from tests.factories import UserFactory

ANON, OWN, OTHER, REVIEWER, ADMIN = "anonymous", "focal_point", "other_country", "reviewer", "admin"
ROLES = (ANON, OWN, OTHER, REVIEWER, ADMIN)


def expect(anonymous: int, own: int, other: int, reviewer: int, admin: int) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, own, other, reviewer, admin), strict=True))


PDF = b"%PDF-1.4\n%%EOF\n"

#: (endpoint, method, url, form data) -> expected status per kind of user.
MATRIX: list[tuple[str, str, str, dict[str, Any], dict[str, int]]] = [
    ("home.index", "GET", "/", {}, expect(200, 302, 302, 302, 302)),
    ("home.set_language", "POST", "/language", {"language": "fr"}, expect(302, 302, 302, 302, 302)),
    ("auth.sign_in", "GET", "/sign-in", {}, expect(200, 302, 302, 302, 302)),
    (
        "auth.sign_in",
        "POST",
        "/sign-in",
        {"email": "nobody@example.org", "password": "x"},
        expect(200, 200, 200, 200, 200),
    ),
    ("auth.sign_out", "POST", "/sign-out", {}, expect(302, 302, 302, 302, 302)),
    ("auth.forgot_password", "GET", "/forgot-password", {}, expect(200, 200, 200, 200, 200)),
    (
        "auth.forgot_password",
        "POST",
        "/forgot-password",
        {"email": "nobody@example.org"},
        expect(302, 302, 302, 302, 302),
    ),
    # Token pages answer to the link alone, whoever asks; a wrong link is refused for everyone.
    ("auth.reset_password", "GET", "/reset-password/x.y.z", {}, expect(400, 400, 400, 400, 400)),
    ("auth.reset_password", "POST", "/reset-password/x.y.z", {}, expect(400, 400, 400, 400, 400)),
    ("auth.accept_invitation", "GET", "/invitation/x.y.z", {}, expect(400, 400, 400, 400, 400)),
    ("auth.accept_invitation", "POST", "/invitation/x.y.z", {}, expect(400, 400, 400, 400, 400)),
    ("csrf_token", "GET", "/csrf-token", {}, expect(200, 200, 200, 200, 200)),
    ("static", "GET", "/static/app.css", {}, expect(200, 200, 200, 200, 200)),
    ("survey.index", "GET", "/survey/", {}, expect(302, 200, 200, 200, 200)),
    ("survey.overview", "GET", "/survey/{sub}/", {}, expect(302, 200, 404, 200, 200)),
    ("survey.section", "GET", "/survey/{sub}/legal", {}, expect(302, 200, 404, 200, 200)),
    (
        "survey.section",
        "POST",
        "/survey/{sub}/legal",
        {"legal.law.exists": "yes"},
        expect(401, 302, 404, 403, 403),
    ),
    (
        "survey.autosave",
        "POST",
        "/survey/{sub}/legal/autosave",
        {"v:legal.law.exists": "1", "legal.law.exists": "no"},
        expect(401, 200, 404, 403, 403),
    ),
    (
        "survey.download_evidence",
        "GET",
        "/survey/{sub}/evidence/{evidence}",
        {},
        expect(302, 200, 404, 200, 200),
    ),
    ("survey.submit", "POST", "/survey/{sub}/submit", {}, expect(401, 422, 404, 403, 403)),
    # Published scorecards are everybody's: any signed-in user may ask for their ZIP.
    ("jobs.new_bulk", "GET", "/downloads/scorecards", {}, expect(302, 200, 200, 200, 200)),
    (
        "jobs.create_bulk",
        "POST",
        "/downloads/scorecards",
        {"campaign": "0", "language": "fr"},  # no such campaign: refused, nothing started
        expect(401, 422, 422, 422, 422),
    ),
    ("jobs.job", "GET", "/downloads/{job}", {}, expect(302, 200, 200, 200, 200)),
    ("jobs.job_status", "GET", "/downloads/{job}/status", {}, expect(302, 200, 200, 200, 200)),
    ("jobs.download", "GET", "/downloads/{job}/file", {}, expect(302, 200, 200, 200, 200)),
    # A ZIP with unpublished scorecards holds every country's: reviewers and admins only.
    ("jobs.download", "GET", "/downloads/{job_all}/file", {}, expect(302, 403, 403, 200, 200)),
    # A draft's scorecard is its country's; published ones are every signed-in user's (below).
    ("scorecards.preview", "GET", "/scorecards/{sub}/", {}, expect(302, 200, 404, 200, 200)),
    (
        "scorecards.download_pdf",
        "GET",
        "/scorecards/{sub}/scorecard-en.pdf",
        {},
        expect(302, 200, 404, 200, 200),
    ),
    ("scorecards.asset", "GET", "/scorecards/assets/scorecard.css", {}, expect(*[200] * 5)),
]


@pytest.fixture
def people(country: Any, other_country: Any) -> dict[str, Any]:
    return {
        OWN: UserFactory(role=Role.FOCAL_POINT, country=country),
        OTHER: UserFactory(role=Role.FOCAL_POINT, country=other_country),
        REVIEWER: UserFactory(reviewer=True),
        ADMIN: UserFactory(admin=True),
    }


@pytest.fixture
def evidence_id(app: Any, submission: Any, people: dict[str, Any], monkeypatch: Any) -> int:
    """A file attached by the country's own focal point."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    client = app.test_client()
    login(client, people[OWN])
    client.post(
        f"/survey/{submission.id}/legal",
        data={"file:legal.law.exists": (io.BytesIO(PDF), "law.pdf"), "legal.law.exists": "yes"},
        content_type="multipart/form-data",
    )
    from sqlalchemy import select

    from app import db
    from app.survey.models import Evidence

    return db.session.scalars(select(Evidence.id)).one()


@pytest.fixture
def bulk_jobs(app_context: None, campaign: Any) -> dict[str, int]:
    """Two finished ZIP jobs: published scorecards only, and every answered one."""
    from app.jobs import bulk, operations
    from app.jobs.models import Job, JobKind

    ids = {}
    for name, include in (("job", False), ("job_all", True)):
        key = bulk.dedupe_key(campaign.id, "fr", include)
        parameters = {"campaign_id": campaign.id, "lang": "fr", "include_unpublished": include}
        job: Job = operations.create_job(
            JobKind.BULK_SCORECARDS, key, parameters, total=1, user=None
        )[0]
        operations.start_job(job.id)
        path = operations.result_folder(job.id) / f"{name}.zip"
        path.write_bytes(b"PK\x05\x06" + bytes(18))
        operations.finish_job(job.id, path)
        ids[name] = job.id
    return ids


@pytest.mark.parametrize(
    ("endpoint", "method", "url", "data", "expected"),
    MATRIX,
    ids=[f"{m} {u}" for _, m, u, _, _ in MATRIX],
)
@pytest.mark.parametrize("role", ROLES)
def test_access(
    app: Any,
    client: Any,
    monkeypatch: Any,
    submission: Any,
    people: dict[str, Any],
    evidence_id: int,
    bulk_jobs: dict[str, int],
    endpoint: str,
    method: str,
    url: str,
    data: dict[str, Any],
    expected: dict[str, int],
    role: str,
) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    if role != ANON:
        login(client, people[role])
    target = url.format(sub=submission.id, evidence=evidence_id, **bulk_jobs)
    headers = {"Accept": "application/json"} if endpoint == "survey.autosave" else {}
    response = client.open(target, method=method, data=data, headers=headers)
    response.close()
    assert response.status_code == expected[role], response.get_data(as_text=True)[:500]


def test_every_route_is_in_the_matrix(app: Any) -> None:
    covered = {(endpoint, method) for endpoint, method, *_ in MATRIX}
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set()


def test_the_other_countrys_submission_is_also_refused_to_its_neighbour(
    campaign: Any, other_country: Any, people: dict[str, Any], client: Any
) -> None:
    theirs = submission_of(campaign, other_country)
    login(client, people[OWN])
    assert client.get(f"/survey/{theirs.id}/").status_code == 404


@pytest.mark.parametrize("url", ["/scorecards/{sub}/", "/scorecards/{sub}/scorecard-ar.pdf"])
@pytest.mark.parametrize("role", ROLES)
def test_a_published_scorecard_is_for_every_signed_in_user(
    client: Any, submission: Any, people: dict[str, Any], role: str, url: str
) -> None:
    from app import db
    from app.survey.models import SubmissionStatus

    submission.status = SubmissionStatus.PUBLISHED
    db.session.flush()
    if role != ANON:
        login(client, people[role])
    response = client.get(url.format(sub=submission.id))
    response.close()
    assert response.status_code == (302 if role == ANON else 200)


@pytest.mark.parametrize("role", [OWN, REVIEWER, ADMIN])
def test_a_draft_opens_read_only_for_those_who_may_not_edit_it(
    client: Any, submission: Any, people: dict[str, Any], role: str
) -> None:
    """Reviewers and administrators read a draft; nothing on its page invites them to type."""
    login(client, people[role])
    page = client.get(f"/survey/{submission.id}/legal").get_data(as_text=True)
    editable = role == OWN
    assert ('name="save"' in page) is editable
    assert ("data-autosave-url" in page) is editable
    assert ("focal points answer this questionnaire" in page) is not editable
    overview = client.get(f"/survey/{submission.id}/").get_data(as_text=True)
    assert ("/submit" in overview) is editable


def test_access_is_decided_in_the_policy_module_only() -> None:
    """No module but `app/permissions.py` compares a user's role: every decision is a named
    check there (creating accounts and labelling roles are not decisions)."""
    import ast

    from app import PROJECT_ROOT

    offenders = []
    for path in sorted((PROJECT_ROOT / "app").rglob("*.py")):
        if path.name == "permissions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Compare) and any(
                isinstance(side, ast.Attribute) and side.attr == "role"
                for side in (node.left, *node.comparators)
            ):
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    assert offenders == []


def test_every_permission_is_used() -> None:
    from app import PROJECT_ROOT
    from app.permissions import Permission

    sources = "".join(
        p.read_text() for p in (PROJECT_ROOT / "app").rglob("*.py") if p.name != "permissions.py"
    )
    permissions_module = (PROJECT_ROOT / "app" / "permissions.py").read_text()
    for permission in Permission:
        uses = sources.count(f"Permission.{permission.name}") + permissions_module.count(
            f"Permission.{permission.name}"
        )
        assert uses > 0, permission
