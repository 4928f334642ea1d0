"""Random and hostile requests to every route, as every kind of user: never a 500, and a refused
request leaves every table it could have written as it was.

Each example sends a valid CSRF token (so that the views themselves are reached), random or
hostile path arguments (ids past any column's range, unknown sections), and a random body: form
fields with names the app knows and values no form expects, JSON of any shape, or bytes.
`FUZZ_EXAMPLES` sets how many examples each route and role gets (default 12; the examples are
derived from the test's name, so a run is reproducible).
"""

from __future__ import annotations

import io
import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import db
from app.auth.models import Role, User
from app.jobs.models import Job
from app.survey.models import Answer, Evidence, Submission
from questionnaires.schema import LANGUAGES
from tests.app.conftest import csrf_token, login, owner_mark, submission_of
from tests.app.jobs.conftest import RecordingRunner
from tests.app.test_access_matrix import MATRIX
from tests.factories import UserFactory

ANON, OWN, OTHER, REVIEWER, ADMIN = "anonymous", "focal_point", "other_country", "reviewer", "admin"
ROLES = (ANON, OWN, OTHER, REVIEWER, ADMIN)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))

QUESTIONS = [
    "legal.law.exists",
    "legal.law.adopted",
    "legal.law.offences",
    "legal.law.remarks",
    "technical.cirt.exists",
    "technical.cirt.staff",
    "technical.cirt.kind",
    "technical.cirt.site",
    "technical.cirt.maturity",
]
FIELD_NAMES = [
    *QUESTIONS,
    *(f"{prefix}:{q}" for prefix in ("v", "link", "take_theirs") for q in QUESTIONS),
    *(f"{q}:na" for q in QUESTIONS),
    "remove_evidence",
    "email",
    "password",
    "replay",
    "replay_to",
    "language",
    "campaign",
    "include_unpublished",
    "name",
    "confirm",
    "save",
]
HOSTILE = [
    "",
    "\x00",
    "a\x00b",
    "²",
    "٣",
    "9" * 5000,
    "-1",
    "1e25",
    "NaN",
    "-0",
    str(2**63),
    "yes",
    "partial",
    "n/a",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "javascript:alert(1)",
    "http://" + "a" * 3000,
    "\n".join(f"https://example.org/{i}" for i in range(300)),
    "[]",
    "{}",
    '[["a", "b"], ["page_owner", "x"]]',
    "x" * 70000,
]
IDS = [0, 1, 2**31 - 1, 2**31, 2**63, 2**64 + 5, 10**40]

text_values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
form_bodies = st.dictionaries(
    st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=12)),
    st.one_of(text_values, st.lists(text_values, max_size=3)),
    max_size=8,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text_values,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
bodies = st.one_of(
    st.tuples(st.just("form"), form_bodies),
    st.tuples(st.just("json"), json_values),
    st.tuples(st.just("bytes"), st.binary(max_size=200)),
    st.tuples(st.just("file"), form_bodies),
)


#: Every route (the access matrix holds each one, and fails when a route is missing from it).
ROUTES = sorted({(endpoint, method) for endpoint, method, *_ in MATRIX} - {("static", "GET")})


def _rule(app: Any, endpoint: str, method: str) -> Any:
    return next(
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint == endpoint and method in (rule.methods or ())
    )


def _argument(name: str, converter: Any, known: dict[str, Any]) -> st.SearchStrategy[Any]:
    kind = type(converter).__name__
    if "Integer" in kind:
        return st.one_of(st.sampled_from(known["ids"]), st.sampled_from(IDS))
    if "Any" in kind:
        return st.sampled_from(LANGUAGES)
    return st.one_of(st.sampled_from(known.get(name, ["x"])), st.text(min_size=1, max_size=30))


def _state() -> tuple[Any, ...]:
    """What a refused request must leave as it was (the audit trail and the browser sessions may
    grow: refusals are recorded, and a visit gets a session)."""
    return (
        sorted(
            db.session.execute(
                select(Answer.id, Answer.question_id, Answer.value, Answer.version)
            ).all(),
            key=repr,
        ),
        sorted(db.session.execute(select(Evidence.id, Evidence.is_deleted)).all()),
        sorted(
            db.session.execute(select(Submission.id, Submission.status, Submission.revision)).all(),
            key=repr,
        ),
        sorted(
            db.session.execute(
                select(User.id, User.password_hash, User.is_active, User.locale)
            ).all(),
            key=repr,
        ),
        sorted(db.session.execute(select(Job.id, Job.status)).all(), key=repr),
    )


@pytest.fixture
def world(
    app: Any,
    submission: Any,
    country: Any,
    other_country: Any,
    campaign: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, Any]:
    from app.jobs.runners import RUNNER_KEY

    monkeypatch.setitem(app.extensions, RUNNER_KEY, RecordingRunner())
    people = {
        OWN: UserFactory(role=Role.FOCAL_POINT, country=country),
        OTHER: UserFactory(role=Role.FOCAL_POINT, country=other_country),
        REVIEWER: UserFactory(reviewer=True),
        ADMIN: UserFactory(admin=True),
    }
    theirs = submission_of(campaign, other_country)
    return {
        "people": people,
        "known": {
            "ids": [submission.id, theirs.id, campaign.id],
            "section_id": ["legal", "technical"],
            "name": ["scorecard.css", "charts.css"],
            "token": ["x.y.z"],
        },
    }


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method"), ROUTES, ids=[f"{m} {e}" for e, m in ROUTES])
def test_no_request_answers_500_or_writes_half(
    app: Any, db_session: Any, world: dict[str, Any], endpoint: str, method: str, role: str
) -> None:
    rule = _rule(app, endpoint, method)
    client = app.test_client()
    user = world["people"].get(role)
    if user is not None:
        login(client, user)
    token = csrf_token(
        client.get("/sign-in" if user is None else "/survey/").get_data(as_text=True)
    )
    mark = owner_mark(app, user) if user is not None else ""
    arguments = st.fixed_dictionaries(
        {name: _argument(name, conv, world["known"]) for name, conv in rule._converters.items()}
    )

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(arguments=arguments, body=bodies, wants_json=st.booleans(), marked=st.booleans())
    def send(
        arguments: dict[str, Any], body: tuple[str, Any], wants_json: bool, marked: bool
    ) -> None:
        try:
            url = rule.build(arguments, append_unknown=False)[1]
        except Exception:  # a value the rule itself refuses to build: nothing to send
            return
        headers = {
            "X-CSRFToken": token,
            "Accept": "application/json" if wants_json else "text/html",
        }
        kind, content = body
        options: dict[str, Any] = {"headers": headers}
        if kind == "json":
            options["data"], options["content_type"] = json.dumps(content), "application/json"
        elif kind == "bytes":
            options["data"], options["content_type"] = content, "application/x-www-form-urlencoded"
        else:
            data = {**content, "csrf_token": token, **({"page_owner": mark} if marked else {})}
            if kind == "file":
                data["file:legal.law.exists"] = (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "law.pdf")
            options["data"] = data
        before = _state()
        response = client.open(url, method=method, **options)
        response.close()
        assert response.status_code < 500, (url, body, response.get_data(as_text=True)[:300])
        if response.status_code >= 400:
            assert _state() == before, (url, body, response.status_code)
        if user is not None and endpoint == "auth.sign_out":
            login(client, user)

    send()
