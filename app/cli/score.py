"""`cybermaturity score`: score an answers file offline, without the web app or a database,
and render its scorecard as a PDF with `--pdf`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from app.cli.problems import echo_problems
from questionnaires.answers import (
    AnswersError,
    AnswersFile,
    AnswersFileError,
    load_answers_file,
    parse_answers,
)
from questionnaires.loader import DefinitionError, UnknownDefinition, get_definition
from questionnaires.schema import LANGUAGES, Definition
from scoring import highlights, profile_to_json, score
from scoring.profile import Profile, Tier

if TYPE_CHECKING:  # the scorecard's modules are imported only for --pdf
    from app.scorecards.context import Place, ScorecardData

_SHOWN = 3  # strengths, growth areas and opportunities in the summary


@click.command("score")
@click.argument("questionnaire_id")
@click.argument("answers_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--version", "version", type=click.IntRange(min=1), help="Questionnaire version.")
@click.option("--json", "as_json", is_flag=True, help="Print the full profile as JSON.")
@click.option(
    "--pdf",
    "pdf_file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the scorecard as a PDF (a draft, without benchmarks) to this file.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="The scorecard's language.",
)
def score_command(  # click passes every option by name
    *,
    questionnaire_id: str,
    answers_file: Path,
    version: int | None,
    as_json: bool,
    pdf_file: Path | None,
    lang: str,
) -> None:
    """Score ANSWERS_FILE (YAML or JSON) against questionnaire QUESTIONNAIRE_ID.

    Every argument is checked before any work is done; problems go to stderr (at most 50 shown),
    with exit status 1. ANSWERS_FILE may hold at most 4 MB, nested at most 100 levels deep.
    """
    if pdf_file is not None:
        _check_writable(pdf_file)
    document = _read_answers(answers_file)
    if document.questionnaire != questionnaire_id:
        found = document.questionnaire
        _fail([f"answers are for {found!r}, not {questionnaire_id!r}"], f"{answers_file}: ")
    if version is not None and document.version != version:
        found_version = document.version
        _fail([f"answers are for version {found_version}, not {version}"], f"{answers_file}: ")
    definition = _find_definition(questionnaire_id, document.version)
    place = _find_country(document.country)
    try:
        answers = parse_answers(definition, document.answers)
    except AnswersError as exc:
        _fail(exc.problems, prefix=f"{answers_file}: ")
    profile = score(definition, answers, country=document.country)
    if pdf_file is not None:  # before the output, so that a failure leaves stdout empty
        from app.scorecards.context import ScorecardData

        _write_scorecard(
            ScorecardData(definition, answers, country=place, status="draft"), lang, pdf_file
        )
    if as_json:
        click.echo(json.dumps(profile_to_json(profile), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(summary_lines(definition, profile)))


def _check_writable(target: Path) -> None:
    """Exit unless `target` can be written, trying as the PDF will be written (no file is left
    behind, and an existing one is not changed)."""
    existed = target.exists()
    try:
        with target.open("ab"):
            pass
    except OSError as exc:
        _fail([f"{target}: cannot write the PDF: {exc.strerror or exc}"])
    if not existed:
        target.unlink(missing_ok=True)


def _read_answers(path: Path) -> AnswersFile:
    try:
        return load_answers_file(path)
    except AnswersFileError as exc:
        _fail(exc.problems, prefix=f"{path}: ")


def _find_country(iso3: str | None) -> Place | None:
    """The answers file's country, which must be in the ITU list (the scorecard's regions)."""
    if iso3 is None:
        return None
    from app.countries.operations import read_country_records
    from app.scorecards.context import Place

    record = next((r for r in read_country_records() if r.iso3 == iso3), None)
    if record is None:
        _fail([f"{iso3}: not a country in the ITU list"])
    return Place(record.iso2, record.iso3, record.region.value)


def _write_scorecard(data: ScorecardData, lang: str, target: Path) -> None:
    """The scorecard of an answers file, with no database: a draft, without benchmarks."""
    from app.scorecards.context import build_scorecard
    from app.scorecards.rendering import render_scorecard_pdf

    pdf = render_scorecard_pdf(build_scorecard(data, lang))
    try:
        target.write_bytes(pdf)
    except OSError as exc:
        _fail([f"{target}: cannot write the PDF: {exc.strerror}"])
    click.echo(f"Scorecard written to {target} ({len(pdf) // 1024} kB).", err=True)


def _fail(problems: Sequence[object], prefix: str = "") -> NoReturn:
    """One line per problem on stderr (at most MAX_SHOWN, then how many more), then exit 1."""
    echo_problems(problems, prefix)
    raise click.exceptions.Exit(1)


def _find_definition(questionnaire_id: str, version: int) -> Definition:
    """The shipped definition; exits with the reason if there is none to be had."""
    try:
        return get_definition(questionnaire_id, version)
    except UnknownDefinition as exc:
        _fail([str(exc)])
    except DefinitionError as exc:  # a broken shipped file: say where, rather than a traceback
        _fail(exc.problems)


def summary_lines(definition: Definition, profile: Profile) -> list[str]:
    """A readable summary: total and tier, section scores, then what stands out."""
    label = "Total" if profile.model == "weighted" else "Mean level"
    country = f", {profile.country}" if profile.country else ""
    lines = [
        f"{profile.questionnaire} version {profile.version} ({profile.model} model{country})",
        f"{label}: {profile.total:.2f} of {profile.max_total:g}; {_tier(profile.tier)}",
        "",
        f"{profile.section_kind.capitalize()}:",
    ]
    titles = {s.id: s.title.get("en") for s in definition.sections}
    width = max((len(s.id) for s in profile.sections), default=0)
    for section in profile.sections:
        figure = f"{section.score:6.2f} of {section.max_score:g}" if section.counted else "  (none)"
        lines.append(f"  {section.id:<{width}}  {figure}  {titles[section.id]}")
    return lines + _highlight_lines(profile)


def _tier(tier: Tier | None) -> str:
    return f"tier {tier.rank} ({tier.name.get('en')})" if tier else "no tier reached"


def _highlight_lines(profile: Profile) -> list[str]:
    found = highlights(profile, limit=_SHOWN)
    lines = [""]
    if found.strengths:
        listed = ", ".join(f"{d.id} ({d.difference:+.2f})" for d in found.strengths)
        lines.append(f"Relative strengths: {listed}")
    if found.growth:
        listed = ", ".join(f"{d.id} ({d.difference:+.2f})" for d in found.growth)
        lines.append(f"Areas for growth: {listed}")
    if found.opportunities:
        listed = ", ".join(f"{o.id} (+{o.gain:.2f})" for o in found.opportunities)
        lines.append(f"Largest gains if brought to full marks: {listed}")
    if profile.next_tier is not None and profile.gaps:
        lines.append(f"Short of {_tier(profile.next_tier)}:")
        lines += [f"  {g.id}: level {g.level}, needs {g.required}" for g in profile.gaps]
    return lines if len(lines) > 1 else []
