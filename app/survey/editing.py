"""When a submission can change: the survey's rule, which its writes enforce and the access
policy asks (`app.permissions.may_edit_submission`).

A module of its own, importing neither the survey's queries nor its operations, so the access
policy asks it without an import cycle (the queries ask the access policy).
"""

from __future__ import annotations

from app.campaigns.operations import is_open
from app.survey.models import Submission, SubmissionStatus

EDITABLE_STATUSES = frozenset({SubmissionStatus.DRAFT, SubmissionStatus.RETURNED})


def is_editable(submission: Submission) -> bool:
    return submission.status in EDITABLE_STATUSES and is_open(submission.campaign)
