"""The template context of one scorecard, built from scoring results and primitives.

`ScorecardData` is what a scorecard is made of, gathered by `operations` from the database or by
the command line from an answers file: a definition, normalised answers and plain values, never
ORM objects. `build_scorecard(data, lang)` scores it and turns everything into display-ready
values in that language: numbers and dates formatted by Babel's locale data, titles taken from
the definition's texts, country names from CLDR, charts drawn. Templates lay these out and
translate only their own labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup

from app.scorecards import charts
from questionnaires.plan import compiled
from questionnaires.schema import (
    NOT_APPLICABLE,
    Definition,
    EvidenceRule,
    Question,
    ScoreTier,
    Section,
)
from questionnaires.types import TYPES, Shown
from questionnaires.types.text import SHOWN_TEXT_LENGTH
from scoring import Benchmark, GroupBenchmark, Profile, highlights, score
from scoring.benchmark import Stats

#: Statuses whose figures are official: no "draft" watermark.
OFFICIAL_STATUSES = frozenset({"validated", "published"})
#: A longer text answer is cut in the appendix: the PDF shows answers, not documents.
MAX_TEXT_ANSWER = SHOWN_TEXT_LENGTH
#: Indicators listed under "what would raise the total most".
SHOWN_GAINS = 5

#: An answer in the appendix: a kind the template translates (none, not_applicable, yes, no,
#: partial, level) or lines of text; each question type makes its own (`QuestionKind.shown`).
ShownAnswer = Shown


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@dataclass(frozen=True, slots=True)
class Place:
    """A country by its ISO codes, and its ITU-D region (a `Region` value) when known."""

    iso2: str
    iso3: str
    region: str | None


@dataclass(frozen=True, slots=True)
class EarlierResult:
    """The country's profile in an earlier campaign of the same questionnaire."""

    campaign: str
    profile: Profile


@dataclass(frozen=True)
class ScorecardData:
    """Everything one scorecard shows, as primitives and scoring inputs."""

    definition: Definition
    answers: Mapping[str, Any]  # question id -> normalised value
    evidence: frozenset[str] = frozenset()  # questions with evidence attached
    country: Place | None = None
    campaign: str | None = None
    status: str = "draft"
    date: dt.date = field(default_factory=_today)
    benchmark: Benchmark | None = None
    earlier: EarlierResult | None = None


# --- What the templates receive ---


@dataclass(frozen=True, slots=True)
class SectionRow:
    id: str
    title: str
    score: str
    max_score: str
    counted: bool
    bar: Markup
    region_mean: str | None
    world_mean: str | None
    change: str | None  # since the earlier campaign, signed


@dataclass(frozen=True, slots=True)
class TierStep:
    name: str
    minimum: str | None  # the weighted model's threshold; None for tiers of levels
    current: bool


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    section: str
    title: str
    score: str | None  # None when nothing in it counted


@dataclass(frozen=True, slots=True)
class DeltaRow:
    title: str
    score: str
    difference: str


@dataclass(frozen=True, slots=True)
class GainRow:
    title: str
    section: str
    score: str
    gain: str


@dataclass(frozen=True, slots=True)
class Change:
    campaign: str
    before: str
    now: str
    difference: str
    trend: Literal["up", "down", "same"]


@dataclass(frozen=True, slots=True)
class AppendixRow:
    number: str
    id: str
    text: str
    answer: ShownAnswer
    evidence: bool | None  # None: the question asks for no evidence


@dataclass(frozen=True, slots=True)
class AppendixSection:
    title: str
    rows: tuple[AppendixRow, ...]


@dataclass(frozen=True, slots=True)
class ParameterRow:
    section: str
    title: str
    level: int | None  # None: not applicable or not shown
    required: int | None  # the level the next tier needs, when short of it
    cells: tuple[str, ...]  # for levels 0..4: "below", "at", "needed" or ""


@dataclass(frozen=True, slots=True)
class GapRow:
    title: str
    level: int
    required: int


@dataclass(frozen=True)
class Scorecard:
    """One scorecard in one language, ready to lay out."""

    lang: str
    direction: str
    model: str
    title: str
    version: int
    country: str | None
    iso3: str | None
    region: str | None
    campaign: str | None
    date: str
    status: str
    draft: bool
    total: str
    max_total: str
    tier: str | None
    tiers: tuple[TierStep, ...]
    region_total: str | None
    world_total: str | None
    region_countries: int
    world_countries: int
    sections: tuple[SectionRow, ...]
    radar: Markup | None
    swatches: Mapping[str, Markup]
    indicators: tuple[IndicatorRow, ...]
    strengths: tuple[DeltaRow, ...]
    growth: tuple[DeltaRow, ...]
    gains: tuple[GainRow, ...]
    change: Change | None
    appendix: tuple[AppendixSection, ...]
    parameters: tuple[ParameterRow, ...] = ()
    next_tier: str | None = None
    gaps: tuple[GapRow, ...] = ()


# --- Building it ---


class _Format:
    """Numbers and dates in one language (Latin digits: Babel's default numbering system)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.rtl = text_direction(lang) == "rtl"

    def points(self, value: float) -> str:
        return str(format_decimal(value, "0.00", locale=self.lang))

    def whole(self, value: float) -> str:
        return str(format_decimal(value, "0.##", locale=self.lang))

    def signed(self, value: float) -> str:
        return str(format_decimal(round(value, 2) + 0.0, "+0.00;-0.00", locale=self.lang))

    def percent(self, value: float) -> str:
        return str(format_percent(value, "0%", locale=self.lang))

    def number(self, value: float) -> str:
        return str(format_decimal(value, locale=self.lang))

    def date(self, value: dt.date) -> str:
        return str(format_date(value, "long", locale=self.lang))


def country_name(iso2: str, lang: str) -> str:
    """The country's name in `lang` from the Unicode CLDR data Babel ships."""
    return str(Locale.parse(lang).territories.get(iso2, iso2))


def text_direction(lang: str) -> str:
    return "rtl" if Locale.parse(lang).text_direction == "rtl" else "ltr"


def build_scorecard(data: ScorecardData, lang: str) -> Scorecard:
    """The scorecard of `data` in `lang` (one of the six UN languages)."""
    definition = data.definition
    iso3 = data.country.iso3 if data.country else None
    profile = score(definition, data.answers, country=iso3)
    fmt = _Format(lang)
    region = _group(data.benchmark, data.country)
    world = data.benchmark.overall if data.benchmark else None
    sections = _section_rows(data, profile, fmt, (region, world))
    titles = _titles(definition, lang)
    return Scorecard(
        lang=lang,
        direction="rtl" if fmt.rtl else "ltr",
        model=definition.model,
        title=definition.title.get(lang),
        version=definition.version,
        country=country_name(data.country.iso2, lang) if data.country else None,
        iso3=iso3,
        region=data.country.region if data.country else None,
        campaign=data.campaign,
        date=fmt.date(data.date),
        status=data.status,
        draft=data.status not in OFFICIAL_STATUSES,
        total=fmt.points(profile.total),
        max_total=fmt.whole(profile.max_total),
        tier=profile.tier.name.get(lang) if profile.tier else None,
        tiers=_tier_steps(definition, profile, fmt, lang),
        region_total=_mean(region.total if region else None, fmt),
        world_total=_mean(world.total if world else None, fmt),
        region_countries=region.countries if region else 0,
        world_countries=world.countries if world else 0,
        sections=sections,
        radar=_radar(profile, sections, (region, world), fmt.rtl),
        swatches={key: charts.swatch(key) for key in charts.SERIES_STYLES},
        indicators=_indicator_rows(profile, titles, fmt),
        strengths=_deltas(profile, titles, fmt, above=True),
        growth=_deltas(profile, titles, fmt, above=False),
        gains=_gains(profile, titles, fmt),
        change=_change(data.earlier, profile, fmt),
        appendix=_appendix(data, fmt),
        parameters=_parameter_rows(definition, profile, lang),
        next_tier=profile.next_tier.name.get(lang) if profile.next_tier else None,
        gaps=tuple(
            GapRow(definition.question(g.id).text.get(lang), g.level, g.required)
            for g in profile.gaps
        ),
    )


def _titles(definition: Definition, lang: str) -> dict[str, str]:
    """Section and indicator titles by id."""
    titles = {s.id: s.title.get(lang) for s in definition.sections}
    titles.update({i.id: i.title.get(lang) for s in definition.sections for i in s.indicators})
    return titles


def _group(benchmark: Benchmark | None, country: Place | None) -> GroupBenchmark | None:
    if benchmark is None or country is None or country.region is None:
        return None
    return benchmark.groups.get(country.region)


def _mean(stats: Stats | None, fmt: _Format) -> str | None:
    return fmt.points(stats.mean) if stats is not None else None


def _section_mean(group: GroupBenchmark | None, section_id: str) -> Stats | None:
    return group.sections.get(section_id) if group is not None else None


def _section_rows(
    data: ScorecardData,
    profile: Profile,
    fmt: _Format,
    groups: tuple[GroupBenchmark | None, GroupBenchmark | None],
) -> tuple[SectionRow, ...]:
    region, world = groups
    titles = {s.id: s.title.get(fmt.lang) for s in data.definition.sections}
    earlier = {s.id: s for s in data.earlier.profile.sections} if data.earlier else {}
    rows = []
    for section in profile.sections:
        region_stats = _section_mean(region, section.id)
        world_stats = _section_mean(world, section.id)
        markers = [
            (key, stats.mean / section.max_score)
            for key, stats in (("region", region_stats), ("world", world_stats))
            if stats is not None
        ]
        before = earlier.get(section.id)
        rows.append(
            SectionRow(
                id=section.id,
                title=titles[section.id],
                score=fmt.points(section.score),
                max_score=fmt.whole(section.max_score),
                counted=section.counted,
                bar=charts.score_bar(section.score / section.max_score, markers, rtl=fmt.rtl),
                region_mean=_mean(region_stats, fmt),
                world_mean=_mean(world_stats, fmt),
                change=fmt.signed(section.score - before.score) if before else None,
            )
        )
    return tuple(rows)


def _radar(
    profile: Profile,
    rows: tuple[SectionRow, ...],
    groups: tuple[GroupBenchmark | None, GroupBenchmark | None],
    rtl: bool,
) -> Markup | None:
    if len(rows) not in charts.RADAR_AXES:
        return None
    series = [charts.Series("country", tuple(s.score for s in profile.sections))]
    for key, group in zip(("region", "world"), groups, strict=True):
        means = [_section_mean(group, s.id) for s in profile.sections]
        if all(m is not None for m in means):
            series.append(charts.Series(key, tuple(m.mean for m in means if m is not None)))
    maximum = profile.sections[0].max_score
    ticks = [maximum * k / 4 for k in range(1, 5)]
    return charts.radar_chart(
        [r.title for r in rows], series, max_value=maximum, ticks=ticks, rtl=rtl
    )


def _tier_steps(
    definition: Definition, profile: Profile, fmt: _Format, lang: str
) -> tuple[TierStep, ...]:
    current = profile.tier.id if profile.tier else None
    return tuple(
        TierStep(
            name=tier.name.get(lang),
            minimum=fmt.whole(tier.min_score) if isinstance(tier, ScoreTier) else None,
            current=tier.id == current,
        )
        for tier in definition.effective_tiers
    )


def _indicator_rows(
    profile: Profile, titles: Mapping[str, str], fmt: _Format
) -> tuple[IndicatorRow, ...]:
    def shown(value: float | None) -> str | None:
        if value is None:
            return None
        return fmt.percent(value) if profile.model == "weighted" else fmt.points(value)

    return tuple(
        IndicatorRow(titles[section.id], titles[ind.id], shown(ind.score))
        for section in profile.sections
        for ind in section.indicators
    )


def _deltas(
    profile: Profile, titles: Mapping[str, str], fmt: _Format, *, above: bool
) -> tuple[DeltaRow, ...]:
    found = highlights(profile)
    chosen = found.strengths if above else found.growth
    return tuple(
        DeltaRow(titles[d.id], fmt.points(d.score), fmt.signed(d.difference)) for d in chosen
    )


def _gains(profile: Profile, titles: Mapping[str, str], fmt: _Format) -> tuple[GainRow, ...]:
    found = highlights(profile, limit=SHOWN_GAINS).opportunities
    score_of = fmt.percent if profile.model == "weighted" else fmt.points
    return tuple(
        GainRow(titles[o.id], titles[o.section], score_of(o.score), fmt.signed(o.gain))
        for o in found
    )


def _change(earlier: EarlierResult | None, profile: Profile, fmt: _Format) -> Change | None:
    if earlier is None:
        return None
    difference = round(profile.total, 2) - round(earlier.profile.total, 2)
    trend: Literal["up", "down", "same"] = (
        "up" if difference > 0 else "down" if difference < 0 else "same"
    )
    return Change(
        campaign=earlier.campaign,
        before=fmt.points(earlier.profile.total),
        now=fmt.points(profile.total),
        difference=fmt.signed(difference),
        trend=trend,
    )


# --- Appendix: every question shown to the country, its answer, and whether evidence is there ---


def _appendix(data: ScorecardData, fmt: _Format) -> tuple[AppendixSection, ...]:
    visible = compiled(data.definition).visible(data.answers)
    return tuple(
        AppendixSection(
            section.title.get(fmt.lang), _appendix_rows(data, s_no, section, visible, fmt)
        )
        for s_no, section in enumerate(data.definition.sections, start=1)
    )


def _appendix_rows(
    data: ScorecardData, s_no: int, section: Section, visible: frozenset[str], fmt: _Format
) -> tuple[AppendixRow, ...]:
    rows = []
    for i_no, indicator in enumerate(section.indicators, start=1):
        for q_no, question in enumerate(indicator.questions, start=1):
            if question.id not in visible:
                continue
            asks = question.evidence.rule is not EvidenceRule.NONE
            rows.append(
                AppendixRow(
                    number=f"{s_no}.{i_no}.{q_no}",
                    id=question.id,
                    text=question.text.get(fmt.lang),
                    answer=shown_answer(question, data.answers.get(question.id), fmt),
                    evidence=(question.id in data.evidence) if asks else None,
                )
            )
    return tuple(rows)


def shown_answer(question: Question, value: Any, fmt: _Format) -> ShownAnswer:
    """An answer as the appendix shows it; the template translates the kinds it names."""
    if value is None or value in ("", [], ()):
        return ShownAnswer("none")
    if value == NOT_APPLICABLE:
        return ShownAnswer("not_applicable")
    return TYPES[question.type].shown(question, value, fmt)


# --- Levels model: the colour-coded grid of parameters ---


def _parameter_rows(
    definition: Definition, profile: Profile, lang: str
) -> tuple[ParameterRow, ...]:
    if profile.model != "levels":
        return ()
    required = {g.id: g.required for g in profile.gaps}
    section_titles = {s.id: s.title.get(lang) for s in definition.sections}
    return tuple(
        ParameterRow(
            section=section_titles[p.section],
            title=definition.question(p.id).text.get(lang),
            level=p.level,
            required=required.get(p.id),
            cells=_cells(p.level, required.get(p.id)),
        )
        for p in profile.parameters
    )


def _cells(level: int | None, required: int | None) -> tuple[str, ...]:
    if level is None:
        return ("",) * 5
    needed = required if required is not None else -1
    return tuple(
        "at" if k == level else "below" if k < level else "needed" if k <= needed else ""
        for k in range(5)
    )
