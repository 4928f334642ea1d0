"""Reading YAML the way questionnaire authors expect.

PyYAML follows YAML 1.1, where `yes`, `no`, `on` and `off` are booleans. In a questionnaire `yes`
and `no` are answers, so only `true` and `false` are booleans here (as in YAML 1.2). Duplicate keys
are errors rather than the last one silently winning.
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class YamlError(ValueError):
    """A YAML document that could not be read, with the place it went wrong."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans and no duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Drop the YAML 1.1 bool resolver, then allow only true/false (any capitalisation YAML 1.2 allows).
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str, source: str = "<string>") -> Any:
    """Parse one YAML document; errors name the source and the line (1-based)."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlError(source, exc.problem or str(exc), line) from exc
    except yaml.YAMLError as exc:
        raise YamlError(source, str(exc)) from exc
