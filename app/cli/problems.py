"""Problems on stderr, one a line, at most `MAX_SHOWN` of them: a file with a million mistakes
must not print a million lines."""

from __future__ import annotations

from collections.abc import Sequence

import click

#: The most problems a command prints; a last line says how many more were found.
MAX_SHOWN = 50


def echo_problems(problems: Sequence[object], prefix: str = "", limit: int = MAX_SHOWN) -> None:
    """The first `limit` problems, each on its own line after `prefix`, then how many more."""
    for problem in problems[:limit]:
        click.echo(f"{prefix}{problem}", err=True)
    if len(problems) > limit:
        click.echo(f"{prefix}… and {len(problems) - limit:,} more", err=True)
