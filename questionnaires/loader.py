"""Loading questionnaire definitions: from YAML text, from files, from the shipped set, and from
the frozen copies campaigns keep.

Everything loaded from YAML has passed every check of the linter (the version lock aside), so the
rest of the application can trust a `Definition` it is given. The shipped definitions get the same
checks: nearly all the cost of loading one is parsing its YAML (about 20 ms each with libyaml), the
rules on the whole tree take under a millisecond, and trusting versions.lock.json instead would
cost more than they do (hashing a definition takes about 3 ms).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from questionnaires.export import content_hash
from questionnaires.lint import (
    SHIPPED_DIR,
    Problem,
    check_structure,
    check_text,
)
from questionnaires.schema import Definition
from questionnaires.yamlio import read_text

__all__ = [
    "SHIPPED_DIR",
    "DefinitionError",
    "UnknownDefinition",
    "content_hash",
    "definition_from_json",
    "definition_to_json",
    "get_definition",
    "load_definition",
    "load_directory",
    "parse_definition",
    "shipped_definitions",
]


class DefinitionError(ValueError):
    """A definition that cannot be used, with every problem found in it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownDefinition(KeyError):  # noqa: N818 - reads as "unknown definition" at call sites
    """No definition with this id (and version)."""

    def __str__(self) -> str:
        # KeyError would print the message in quotes.
        return str(self.args[0]) if self.args else "unknown definition"


def parse_definition(text: str, source: str = "<string>") -> Definition:
    """A checked definition from YAML text; raises DefinitionError listing every problem."""
    definition, problems = check_text(text, source)
    if definition is None:
        raise DefinitionError(problems)
    return definition


def load_definition(path: Path | str) -> Definition:
    path = Path(path)
    try:
        text = read_text(path)
    except (OSError, ValueError) as exc:  # FileTooLarge and UnicodeDecodeError are ValueErrors
        raise DefinitionError([Problem(str(path), None, f"cannot read the file: {exc}")]) from exc
    return parse_definition(text, str(path))


def load_directory(directory: Path | str) -> tuple[Definition, ...]:
    """Every `*.yaml` definition in `directory`, sorted by id then version.

    Raises DefinitionError with the problems of every file, and for an id and version that two
    files both define.
    """
    definitions: dict[tuple[str, int], tuple[Definition, Path]] = {}
    problems: list[Problem] = []
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            definition = load_definition(path)
        except DefinitionError as exc:
            problems += exc.problems
            continue
        key = (definition.id, definition.version)
        if key in definitions:
            other = definitions[key][1].name
            message = f"version {definition.version} is also defined in {other}"
            problems.append(Problem(str(path), definition.id, message))
        definitions.setdefault(key, (definition, path))
    if problems:
        raise DefinitionError(problems)
    return tuple(definitions[key][0] for key in sorted(definitions))


@cache
def shipped_definitions() -> tuple[Definition, ...]:
    """The definitions shipped in questionnaires/definitions (read once per process)."""
    return load_directory(SHIPPED_DIR)


def get_definition(
    definition_id: str,
    version: int | None = None,
    *,
    definitions: Sequence[Definition] | None = None,
) -> Definition:
    """A shipped definition (or one of `definitions`): the latest version unless one is given."""
    pool = shipped_definitions() if definitions is None else definitions
    versions = sorted((d for d in pool if d.id == definition_id), key=lambda d: d.version)
    if not versions:
        known = ", ".join(sorted({d.id for d in pool})) or "none"
        raise UnknownDefinition(f"unknown questionnaire {definition_id!r} (known: {known})")
    if version is None:
        return versions[-1]
    for definition in versions:
        if definition.version == version:
            return definition
    known = ", ".join(str(d.version) for d in versions)
    raise UnknownDefinition(
        f"questionnaire {definition_id!r} has no version {version} (versions: {known})"
    )


def definition_to_json(definition: Definition) -> dict[str, Any]:
    """The definition as plain JSON data, every default spelled out, for a frozen copy.

    Spelling defaults out keeps a frozen copy's meaning even if a later release changes one.
    """
    return definition.model_dump(mode="json", by_alias=True)


def definition_from_json(data: Mapping[str, Any]) -> Definition:
    """A definition back from a frozen copy (`definition_to_json`, or the YAML data as JSON).

    Only the schema is checked: a copy was fully checked when it was frozen, and rules added to
    the linter since must not make a running campaign unreadable.
    """
    definition, problems = check_structure(dict(data), "<frozen copy>")
    if definition is None:
        raise DefinitionError(problems)
    return definition
