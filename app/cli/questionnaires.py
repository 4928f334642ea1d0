"""`cybermaturity questionnaires ...`: lint, list, export and lock questionnaire definitions, and
print their JSON Schema.

None of these commands needs the web application or a database. Exit codes: 0 when all is well,
1 when problems were found, 2 for a usage error. Problems and errors go to stderr.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from app.cli.problems import echo_problems
from questionnaires.export import export_definition, json_schema, summary
from questionnaires.lint import SHIPPED_DIR, Problem, lint_paths, update_lock
from questionnaires.loader import (
    DefinitionError,
    UnknownDefinition,
    get_definition,
    load_directory,
    shipped_definitions,
)
from questionnaires.schema import Definition

_DEFINITION_SUFFIXES = (".yaml", ".yml")

_directory_option = click.option(
    "--dir",
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Read the definitions in DIRECTORY instead of the shipped ones.",
)


@click.group("questionnaires")
def questionnaires_group() -> None:
    """Check, list and export questionnaire definitions."""


@questionnaires_group.command("lint")
@click.argument("files", nargs=-1, type=click.Path(exists=True, path_type=Path))
def lint_command(files: tuple[Path, ...]) -> None:
    """Check definition FILES (or directories of them); by default every shipped definition."""
    paths = _expand(files) if files else sorted(SHIPPED_DIR.glob("*.yaml"))
    if not paths:
        click.echo("no definition files to check", err=True)
        return
    problems = lint_paths([_shown_path(p) for p in paths])
    if problems:
        bad_files = len({p.file for p in problems})
        _fail(problems, f"{_count(len(problems), 'problem')} in {_count(bad_files, 'file')}")
    click.echo(f"{_count(len(paths), 'file')} checked, no problems")


@questionnaires_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per definition.")
@_directory_option
def list_command(as_json: bool, directory: Path | None) -> None:
    """List the definitions: id, version, model and size."""
    rows = [summary(d) for d in _definitions(directory)]
    if as_json:
        click.echo(_json(rows))
    elif rows:
        click.echo("\n".join(_table(rows)))
    else:
        click.echo("no definitions", err=True)


@questionnaires_group.command("export")
@click.argument("definition_id", metavar="ID")
@click.option("--version", type=click.IntRange(min=1), help="A version (default: the latest).")
@click.option("--json", "as_json", is_flag=True, default=True, help="JSON (the only format).")
@_directory_option
def export_command(
    definition_id: str, version: int | None, as_json: bool, directory: Path | None
) -> None:
    """Print definition ID normalised to the exchange JSON (see docs/questionnaire-format.md)."""
    definitions = _definitions(directory)
    try:
        definition = get_definition(definition_id, version, definitions=definitions)
    except UnknownDefinition as exc:
        raise click.BadParameter(str(exc), param_hint="ID") from exc
    click.echo(_json(export_definition(definition)))


@questionnaires_group.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of definition files, for editors."""
    click.echo(_json(json_schema()))


@questionnaires_group.command("lock")
def lock_command() -> None:
    """Record the content hash of every new shipped definition version in versions.lock.json."""
    result = update_lock()
    if result.problems:
        _fail(result.problems, "versions.lock.json left unchanged")
    for entry in result.added:
        click.echo(f"locked {entry}")
    if not result.added:
        click.echo("versions.lock.json is up to date")


def _definitions(directory: Path | None) -> Sequence[Definition]:
    try:
        return shipped_definitions() if directory is None else load_directory(directory)
    except DefinitionError as exc:
        _fail(exc.problems, f"{_count(len(exc.problems), 'problem')} in the definitions")


def _expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; directories replaced by the definition files directly inside them."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in _DEFINITION_SUFFIXES)
        else:
            found.append(path)
    return found


def _shown_path(path: Path) -> Path:
    """Relative to the working directory when inside it, so messages stay short."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def _fail(problems: Sequence[Problem], summary_line: str) -> NoReturn:
    echo_problems(problems)  # at most MAX_SHOWN; the summary line counts them all
    click.echo(summary_line, err=True)
    raise click.exceptions.Exit(1)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _table(rows: Sequence[dict[str, Any]]) -> list[str]:
    header = ("ID", "VERSION", "MODEL", "SECTIONS", "INDICATORS", "QUESTIONS", "TITLE")
    body = [
        (
            row["id"],
            str(row["version"]),
            row["model"],
            _count_sections(row),
            str(row["indicators"]),
            str(row["questions"]),
            row["title"]["en"],
        )
        for row in rows
    ]
    widths = [max(len(r[i]) for r in (header, *body)) for i in range(len(header) - 1)]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1]
        for r in (header, *body)
    ]


def _count_sections(row: dict[str, Any]) -> str:
    if "pillars" in row:
        return _count(row["pillars"], "pillar")
    return f"{row['categories']} {'category' if row['categories'] == 1 else 'categories'}"
