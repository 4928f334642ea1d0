from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.audit import AppendOnlyError, record
from app.auth.models import Role
from tests.factories import AnswerFactory, CountryFactory, SubmissionFactory, UserFactory


def test_one_submission_per_country_and_campaign(db_session: Any) -> None:
    first = SubmissionFactory()
    with pytest.raises(IntegrityError):
        SubmissionFactory(campaign=first.campaign, country=first.country)


def test_one_answer_per_question_and_submission(db_session: Any) -> None:
    answer = AnswerFactory()
    with pytest.raises(IntegrityError):
        AnswerFactory(submission=answer.submission, question_id=answer.question_id)


@pytest.mark.parametrize(("role", "with_country"), [(Role.FOCAL_POINT, False), (Role.ADMIN, True)])
def test_only_focal_points_belong_to_a_country(
    db_session: Any, role: Role, with_country: bool
) -> None:
    with pytest.raises(IntegrityError):
        UserFactory(role=role, country=CountryFactory() if with_country else None)


def test_answers_are_optimistically_locked(app: Any, db_session: Any) -> None:
    answer = AnswerFactory(value="no")
    assert answer.version == 1
    answer.value = "yes"
    db_session.flush()
    assert answer.version == 2
    # Someone else's save (here: a raw update behind the ORM's back) moves the version on.
    db_session.execute(
        type(answer).__table__.update().where(type(answer).id == answer.id).values(version=3)
    )
    answer.value = "partial"
    with pytest.raises(StaleDataError):
        db_session.flush()


def test_timestamps_are_timezone_aware(db_session: Any) -> None:
    user = UserFactory()
    db_session.expire(user)
    assert user.created_dt.tzinfo is not None


def test_audit_events_are_append_only(app_context: None, db_session: Any) -> None:
    entry = record("test", "Something happened")
    db_session.flush()
    entry.summary = "Something else"
    with pytest.raises(AppendOnlyError):
        db_session.flush()
    db_session.rollback()
