"""Every model, imported once so that Alembic and tests see the whole schema."""

from app.audit import AuditEvent
from app.auth.models import User
from app.auth.sessions import UserSession
from app.campaigns.models import Campaign
from app.countries.models import Country
from app.db import Model
from app.jobs.models import Job
from app.review.models import ReviewComment
from app.survey.models import Answer, Evidence, Submission

__all__ = [
    "Answer",
    "AuditEvent",
    "Campaign",
    "Country",
    "Evidence",
    "Job",
    "Model",
    "ReviewComment",
    "Submission",
    "User",
    "UserSession",
]
