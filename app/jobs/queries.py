"""What the job pages list: campaigns to choose from, and the user's recent downloads."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app import db
from app.auth.models import User
from app.campaigns.models import Campaign
from app.countries.models import Country
from app.i18n import current_language, ngettext
from app.jobs.models import Job, JobKind
from app.permissions import may_view_job
from app.survey.models import Submission, SubmissionStatus

#: Jobs listed under the form; older ones are still reachable by their address.
RECENT = 10


def campaign_choices() -> list[tuple[int, str]]:
    """Every campaign, newest first, with how many scorecards it has published."""
    published = func.count(Submission.id).filter(Submission.status == SubmissionStatus.PUBLISHED)
    rows = db.session.execute(
        select(Campaign.id, Campaign.title, published)
        .outerjoin(Submission, Submission.campaign_id == Campaign.id)
        .group_by(Campaign.id, Campaign.title)
        .order_by(Campaign.created_dt.desc(), Campaign.id.desc())
    ).all()
    return [
        (
            cid,
            ngettext(
                "%(title)s (%(num)d published scorecard)",
                "%(title)s (%(num)d published scorecards)",
                count,
                title=title,
            ),
        )
        for cid, title, count in rows
    ]


@dataclass(frozen=True)
class JobRow:
    job: Job
    campaign_title: str


def recent_jobs(user: User) -> list[JobRow]:
    """The latest ZIPs this user may see, whoever asked for them (asking again gives the same
    job, so a job is everybody's who could have asked for it)."""
    jobs = db.session.scalars(
        select(Job)
        .where(Job.kind == JobKind.BULK_SCORECARDS)
        .order_by(Job.created_dt.desc(), Job.id.desc())
        .limit(RECENT * 3)
    ).all()
    visible = [job for job in jobs if may_view_job(user, job)][:RECENT]
    ids = {int(job.parameters["campaign_id"]) for job in visible}
    rows = db.session.execute(select(Campaign.id, Campaign.title).where(Campaign.id.in_(ids)))
    titles: dict[int, str] = {row.id: row.title for row in rows}
    return [JobRow(job, titles.get(int(job.parameters["campaign_id"]), "")) for job in visible]


def left_out_countries(job: Job) -> list[str]:
    """The names of the countries whose scorecard a finished job could not put in its ZIP, in
    the page's language."""
    ids = job.parameters.get("left_out") or []
    if not ids:
        return []
    countries = db.session.scalars(
        select(Country)
        .join(Submission, Submission.country_id == Country.id)
        .where(Submission.id.in_(ids))
    )
    lang = current_language()
    return sorted(country.name(lang) for country in countries)
