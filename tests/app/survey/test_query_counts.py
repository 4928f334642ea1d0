"""A guard against N+1 queries: a pillar page and an autosave each take a fixed number of queries,
whether the submission has one answer with evidence or thirty.

If a change adds a query on purpose, update the figure below; if the figure grows with the
number of answers, something loads them one by one.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event, select

from app import db
from app.campaigns.operations import create_campaign
from app.demo.answers import generate_answers
from app.survey import operations, queries
from app.survey.models import Submission
from questionnaires.answers import parse_answers
from questionnaires.loader import get_definition
from questionnaires.schema import Definition
from tests.app.conftest import login, page_form
from tests.factories import CountryFactory, UserFactory

PILLAR = "capacity_development"  # the largest pillar of the national questionnaire

#: The browser session, the user, the submission with its campaign and country, its answers with
#: their evidence.
PAGE_QUERIES = 4
#: Reading: the browser session, the user, the submission with its campaign and country, the
#: answers. Saving: the
#: submission with its campaign and the answer sent, read again under the write lock; then the
#: audit entry, the submission's revision and the answer written.
AUTOSAVE_QUERIES = 9


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.statements.clear()

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Any) -> Iterator[QueryLog]:
    """Every SELECT, INSERT, UPDATE and DELETE sent on the app's engine while the test runs
    (transaction control, savepoints and pragmas are not queries of the code under test)."""
    log = QueryLog()
    engine = app.extensions["database_engine"]

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            log.statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def national() -> Definition:
    return get_definition("national-cybersecurity")


@pytest.fixture
def countries(db_session: Any, national: Definition) -> list[Any]:
    """Two countries with a submission each to a campaign on the national questionnaire."""
    countries = [CountryFactory(), CountryFactory()]
    today = dt.datetime.now(dt.UTC).date()
    create_campaign(
        national, "Query counts", today - dt.timedelta(days=1), today + dt.timedelta(days=30)
    )
    return countries


@dataclass
class Answered:
    submission: Any
    focal_point: Any
    values: dict[str, Any]
    links_on_page: int


def answered(country: Any, definition: Definition, count: int) -> Answered:
    """The country's submission with `count` answers, each with a link as evidence, those of the
    pillar first; and a focal point of that country."""
    submission = db.session.scalars(
        select(Submission).where(Submission.country_id == country.id)
    ).one()
    author = UserFactory(country=country)
    values = parse_answers(definition, generate_answers(definition, 0.9, random.Random(7)))  # noqa: S311
    on_page = [q.id for s in definition.sections if s.id == PILLAR for q in s.questions()]
    order = [qid for qid in on_page if qid in values]
    order += [qid for qid in values if qid not in on_page]
    chosen = {qid: values[qid] for qid in order[:count]}
    operations.save_answers(submission, chosen, {}, author)
    for question_id in chosen:
        link = f"https://example.org/evidence/{question_id}"
        operations.add_link(submission, definition.question(question_id), link, author)
    # The page lists the evidence of its questions that ask for some.
    asks = {qid for qid in on_page if definition.question(qid).evidence.rule.value != "none"}
    shown = sum(1 for qid in chosen if qid in asks)
    return Answered(submission, UserFactory(country=country), chosen, shown)


def test_the_pillar_page_and_autosave_take_as_many_queries_for_thirty_answers_as_for_one(
    app: Any, countries: list[Any], national: Definition, count_queries: QueryLog
) -> None:
    counts = {}
    for size, country in zip((1, 30), countries, strict=True):
        case = answered(country, national, size)
        assert len(queries.load_answers(case.submission)) == size
        client = app.test_client()
        login(client, case.focal_point)
        url = f"/survey/{case.submission.id}/{PILLAR}"
        page_form(client, url)  # the first view in a process also reads the definition, once

        count_queries.clear()
        html, hidden = page_form(client, url)
        page = count_queries.count
        assert html.count('href="https://example.org/evidence/') == case.links_on_page >= 1

        # A real save: the first answer of the pillar, changed from yes to no or the other way.
        question_id, value = next(iter(case.values.items()))
        assert value in ("yes", "no", "partial")
        data = {f"v:{question_id}": hidden[f"v:{question_id}"]}
        data[question_id] = "no" if value != "no" else "yes"
        count_queries.clear()
        response = client.post(
            f"{url}/autosave",
            data=data,
            headers={"Accept": "application/json", "X-CSRFToken": hidden["csrf_token"]},
        )
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["versions"] == {question_id: 2}
        counts[size] = (page, count_queries.count)

    assert counts[1] == counts[30] == (PAGE_QUERIES, AUTOSAVE_QUERIES), counts
