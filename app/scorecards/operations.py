"""Scorecards of submissions: the data behind one, its cached PDF, and which ones a campaign has.

The bulk ZIP's workers call `scorecard_pdf_path` once per country, inside an app context, in as
many processes as there are cores; the views call `pdf_file` and `preview_html`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import db
from app.campaigns.models import Campaign
from app.campaigns.operations import campaign_definition
from app.countries.models import Country
from app.scorecards import cache, rendering
from app.scorecards.context import EarlierResult, Place, ScorecardData, build_scorecard
from app.scorecards.rendering import PreviewLinks
from app.survey.models import Answer, Submission, SubmissionStatus
from app.survey.queries import submission_answers, values_by_submission
from app.transactions import reading
from scoring import Benchmark, Profile, benchmark, score

logger = logging.getLogger(__name__)

#: Part of every cached PDF's key; changes whenever the templates, the charts, the context
#: code, the translations or WeasyPrint change.
TEMPLATE_VERSION: str = rendering.TEMPLATE_VERSION

#: Results every signed-in user may see: only these feed the benchmarks and the earlier-campaign
#: comparison, so that no figure a scorecard shows (means, counts, quartiles, the change since
#: an earlier campaign), alone or combined with others, gives away a result its reader may not
#: see. A validated but unpublished result is its country's and the reviewers' only.
PUBLIC = (SubmissionStatus.PUBLISHED,)

#: Benchmarks by (campaign, definition, peers digest), computed once per process.
_BENCHMARKS: OrderedDict[tuple[int, str, str], Benchmark | None] = OrderedDict()
_BENCHMARKS_KEPT = 16


def get_submission(submission_id: int) -> Submission | None:
    """The submission and its country. Its campaign, which carries the whole frozen definition,
    loads only when a scorecard is rendered: a cached download never needs it."""
    return db.session.scalar(
        select(Submission)
        .where(Submission.id == submission_id)
        .options(joinedload(Submission.country))
    )


# --- Which scorecards a campaign has (the bulk ZIP's lists) ---


def published_submission_ids(campaign_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Submission.id)
            .where(
                Submission.campaign_id == campaign_id,
                Submission.status == SubmissionStatus.PUBLISHED,
            )
            .order_by(Submission.id)
        )
    )


def all_submission_ids(campaign_id: int) -> list[int]:
    """Every submission of the campaign with at least one answer (evidence alone is not one)."""
    rows = db.session.execute(
        select(Answer.submission_id, Answer.value)
        .join(Submission, Submission.id == Answer.submission_id)
        .where(Submission.campaign_id == campaign_id)
    )
    return sorted({submission_id for submission_id, value in rows if value not in (None, "", [])})


# --- The PDF, cached ---


def scorecard_pdf_path(submission_id: int, lang: str) -> Path:
    """The cached PDF of the submission in `lang`, rendered and stored first if needed.

    Needs an app context outside any unit of work: it reads in a short unit of its own and
    renders after it. Safe to call from several processes at once. LookupError if there is no
    such submission.
    """
    with reading():
        submission = get_submission(submission_id)
        if submission is None:
            raise LookupError(f"no submission {submission_id}")
        pdf = prepare_pdf(submission, lang)
    return pdf.file()


@dataclass(frozen=True)
class PreparedPdf:
    """A scorecard PDF as the database gave it: the cached file, or the data to render it from.

    Made while reading; `file()` renders (for seconds) with no transaction or connection held.
    """

    key: cache.CacheKey
    cached: Path | None
    data: ScorecardData | None

    @property
    def needs_rendering(self) -> bool:
        return self.cached is None

    def file(self) -> Path:
        if self.cached is not None:
            return self.cached
        assert self.data is not None  # noqa: S101 - made by prepare_pdf with one of the two
        started = time.perf_counter()
        pdf = rendering.render_scorecard_pdf(build_scorecard(self.data, self.key.lang))
        path = cache.store(self.key, pdf)
        logger.info(
            "Scorecard of submission %s (%s) rendered in %.2f s",
            self.key.submission_id,
            self.key.lang,
            time.perf_counter() - started,
        )
        return path


def prepare_pdf(submission: Submission, lang: str, *, read_data: bool = True) -> PreparedPdf:
    """The cached PDF of the submission in `lang` if there is one, else what renders it (its
    data is read only with `read_data`: a render pool's worker reads it itself)."""
    key = cache_key(submission, lang)
    found = cache.lookup(key)
    if found is not None:
        return PreparedPdf(key, found, None)
    return PreparedPdf(key, None, scorecard_data(submission) if read_data else None)


def cache_key(submission: Submission, lang: str) -> cache.CacheKey:
    """(submission, revision, language, template version) and a digest of what else the PDF
    shows: the status (the watermark, the date) and the peers behind the benchmarks."""
    parts = [
        submission.status.value,
        _stamp(submission.updated_dt),
        _stamp(submission.validated_dt),
        _stamp(submission.published_dt),
        _peers_digest(_peer_rows(submission.campaign_id)),
    ]
    state = hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]
    return cache.CacheKey(submission.id, submission.revision, lang, TEMPLATE_VERSION, state)


def _stamp(moment: dt.datetime | None) -> str:
    return moment.isoformat() if moment else "-"


# --- What a scorecard shows ---


def preview_html(submission: Submission, lang: str, links: PreviewLinks) -> str:
    return rendering.render_html(build_scorecard(scorecard_data(submission), lang), links)


def scorecard_data(submission: Submission) -> ScorecardData:
    """Everything one scorecard shows, as primitives: answers, evidence, country, benchmarks."""
    answers = submission_answers(submission)
    return ScorecardData(
        definition=campaign_definition(submission.campaign),
        answers=answers.values,
        evidence=answers.evidence,
        country=_place(submission.country),
        campaign=submission.campaign.title,
        status=submission.status.value,
        date=_as_of(submission),
        benchmark=campaign_benchmark(submission.campaign),
        earlier=earlier_result(submission),
    )


def _place(country: Country) -> Place:
    return Place(country.iso2, country.iso3, country.region.value)


def _as_of(submission: Submission) -> dt.date:
    """Published or validated: that day; otherwise the day of the last change."""
    moment = submission.published_dt or submission.validated_dt or submission.updated_dt
    return moment.date()


# --- Benchmarks: the regional and global means of the campaign's official results ---


def _peer_rows(campaign_id: int) -> list[tuple[int, int, dt.datetime, str, str]]:
    """(submission id, revision, last change, ISO3, region) of the published submissions."""
    rows = db.session.execute(
        select(
            Submission.id,
            Submission.revision,
            Submission.updated_dt,
            Country.iso3,
            Country.region,
        )
        .join(Country, Country.id == Submission.country_id)
        .where(Submission.campaign_id == campaign_id, Submission.status.in_(PUBLIC))
        .order_by(Submission.id)
    )
    return [(r[0], r[1], r[2], r[3], r[4].value) for r in rows]


def _peers_digest(rows: list[tuple[int, int, dt.datetime, str, str]]) -> str:
    text = ";".join(f"{sid}:{rev}:{_stamp(moment)}" for sid, rev, moment, _, _ in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def campaign_benchmark(campaign: Campaign) -> Benchmark | None:
    """Regional and global figures over the campaign's published submissions (groups under
    three countries show none); None while there are none at all."""
    rows = _peer_rows(campaign.id)
    if not rows:
        return None
    key = (campaign.id, campaign.definition_hash, _peers_digest(rows))
    if key in _BENCHMARKS:
        _BENCHMARKS.move_to_end(key)
        return _BENCHMARKS[key]
    found = _compute_benchmark(campaign, rows)
    _BENCHMARKS[key] = found
    while len(_BENCHMARKS) > _BENCHMARKS_KEPT:
        _BENCHMARKS.popitem(last=False)
    return found


def _compute_benchmark(
    campaign: Campaign, rows: list[tuple[int, int, dt.datetime, str, str]]
) -> Benchmark:
    definition = campaign_definition(campaign)
    values = values_by_submission({sid: definition for sid, *_ in rows})  # one query
    region_of = {iso3: region for _, _, _, iso3, region in rows}
    profiles = [score(definition, values.get(sid, {}), country=iso3) for sid, _, _, iso3, _ in rows]
    return benchmark(profiles, lambda p: region_of.get(p.country or ""))


# --- The change since an earlier campaign ---


def earlier_result(submission: Submission) -> EarlierResult | None:
    """The country's published result in the most recent earlier campaign of the same
    questionnaire (any version) in which it has one."""
    campaign = submission.campaign
    earlier = db.session.scalars(
        select(Submission)
        .join(Campaign, Campaign.id == Submission.campaign_id)
        .where(
            Campaign.questionnaire_id == campaign.questionnaire_id,
            Campaign.opens_on < campaign.opens_on,
            Submission.country_id == submission.country_id,
            Submission.status.in_(PUBLIC),
        )
        .order_by(Campaign.opens_on.desc(), Campaign.id.desc())
        .options(joinedload(Submission.campaign))
        .limit(1)
    ).first()
    if earlier is None:
        return None
    return EarlierResult(earlier.campaign.title, _profile(earlier))


def _profile(submission: Submission) -> Profile:
    definition = campaign_definition(submission.campaign)
    return score(definition, submission_answers(submission).values, country=submission.country.iso3)
