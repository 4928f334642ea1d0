"""Reading YAML the way questionnaire authors expect, within limits.

PyYAML follows YAML 1.1, where `yes`, `no`, `on` and `off` are booleans. In a questionnaire `yes`
and `no` are answers, so only `true` and `false` are booleans here (as in YAML 1.2). Duplicate keys
are errors rather than the last one silently winning.

Files come from users (answers files, definitions being written), so what is read is bounded:
`read_text` refuses a file over `MAX_FILE_BYTES`, and a document nested more than `MAX_DEPTH`
levels deep, or holding more than `MAX_VALUES` values (each use of an alias counted, so a few lines
of aliases cannot stand for millions of values), is an error with its line rather than a
RecursionError or an endless walk later on. libyaml's parser (`yaml.CSafeLoader`) is used when
PyYAML was built with it, ten times faster than the pure-Python one, with the same results.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

import yaml

#: The largest file `read_text` reads, in bytes (4 MiB; the largest shipped definition is 0.6 MB).
MAX_FILE_BYTES = 4 * 1024 * 1024
#: How deep mappings and lists may nest (the shipped definitions need 11 levels, answers files 3).
MAX_DEPTH = 100
#: How many values (mappings, lists and scalars, each use of an alias counted) a document may hold.
MAX_VALUES = 1_000_000


class YamlError(ValueError):
    """A YAML document that could not be read, with the place it went wrong."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class FileTooLarge(ValueError):  # noqa: N818 - reads as "file too large" at call sites
    """A file larger than the limit; its message says so in words."""


def read_text(path: Path | str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """A UTF-8 file's text, with line ends as `Path.read_text` gives them, reading at most
    `max_bytes` (so never all of a huge file, or of a device that never ends).

    Raises FileTooLarge, OSError, or UnicodeDecodeError.
    """
    with Path(path).open("rb") as file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileTooLarge(f"larger than {_size(max_bytes)}, the most a file may hold")
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB" if n >= 1024 * 1024 else f"{n} bytes"


_NODE_NESTS = (yaml.MappingNode, yaml.SequenceNode)
_INT_TAG = "tag:yaml.org,2002:int"
_MAX_INT_CHARS = 1000
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_HAS_LIBYAML = _Base is not yaml.SafeLoader


class _Rules:
    """YAML 1.2 booleans, no duplicate keys, and the limits; mixed into a SafeLoader."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                continue  # SafeConstructor reports it, with its line
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            if node.tag == _INT_TAG and len(node.value) > _MAX_INT_CHARS:
                # 0x… and 0b… are read at any length, but no message could then show them.
                raise ValueError(f"a number of more than {_MAX_INT_CHARS} characters")
            return super().construct_object(node, deep=deep)  # type: ignore[misc]
        except (ValueError, OverflowError) as exc:  # a 5,000-digit number, a 13th month
            message = f"cannot read {_shown(node.value)}: {exc}"
            raise yaml.constructor.ConstructorError(None, None, message, node.start_mark) from exc

    def construct_document(self, node: yaml.Node) -> Any:
        # The tree is complete here, before any value is built from it.
        found = _over_limits(node, _node_children, _NODE_NESTS)
        if found is not None:
            bad, message = found
            raise yaml.composer.ComposerError(None, None, message, bad.start_mark)
        return super().construct_document(node)  # type: ignore[misc]


class _Loader(_Rules, _Base):  # type: ignore[valid-type,misc]
    """The loader used: libyaml's parser when present."""


class _PureLoader(_Rules, yaml.SafeLoader):
    """The pure-Python loader, whose composer recurses once per level: it stops past the limit
    before Python's recursion limit does (libyaml has its own limit, 1000 levels)."""

    _level = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._level += 1
        try:
            if self._level > MAX_DEPTH + 1:  # the last level holds scalars
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, _too_deep(), mark)
            return super().compose_node(parent, index)
        finally:
            self._level -= 1


# Drop the YAML 1.1 bool resolver, then allow only true/false (any capitalisation YAML 1.2 allows).
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_RESOLVERS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _cls in (_Loader, _PureLoader):
    _cls.yaml_implicit_resolvers = {first: list(r) for first, r in _RESOLVERS.items()}
    _cls.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))


def load_yaml(text: str, source: str = "<string>") -> Any:
    """Parse one YAML document; errors name the source and the line (1-based)."""
    try:
        return _load(text, source, _Loader)
    except YamlError as exc:
        if not _HAS_LIBYAML or not isinstance(exc.__cause__, _SYNTAX):
            raise
        # Say what is wrong in PyYAML's words, as before libyaml was used (errors are rare).
        _load(text, source, _PureLoader)
        raise


_SYNTAX = (yaml.reader.ReaderError, yaml.scanner.ScannerError, yaml.parser.ParserError)


def _load(text: str, source: str, loader: type[yaml.SafeLoader]) -> Any:
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - both loaders derive from SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        if "maximum nesting depth" in problem:  # libyaml's own limit, past ours
            problem = _too_deep()
        raise YamlError(source, problem, line) from exc
    except yaml.YAMLError as exc:
        raise YamlError(source, str(exc)) from exc


def check_limits(data: Any, source: str) -> None:
    """Raise YamlError if parsed data (e.g. from JSON) nests deeper or holds more than a YAML
    document may. Python's JSON parser stops at its recursion limit: catch RecursionError too."""
    found = _over_limits(data, _data_children, (dict, list))
    if found is not None:
        raise YamlError(source, found[1])


def _shown(value: Any) -> str:
    if not isinstance(value, str):
        return "this value"
    return repr(value if len(value) <= 40 else f"{value[:40]}…")


def _too_deep() -> str:
    return f"nested more than {MAX_DEPTH} levels deep"


_N = TypeVar("_N")


def _over_limits(
    root: _N, children: Callable[[_N], list[_N]], nests: tuple[type, ...]
) -> tuple[_N, str] | None:
    """The first node found too deep or too large, with why; None when within the limits.

    `nests` are the types that hold other nodes, found by `children`; anything else is a leaf.
    Walks without recursion, each shared node (a YAML alias) once: its height and size are kept.
    """
    if not isinstance(root, nests):
        return None
    done: dict[int, tuple[int, int]] = {}  # id -> (levels of nesting, values) of its subtree
    open_: dict[int, list[_N]] = {}  # id -> children, of the nodes being walked
    stack: list[_N] = [root]
    while stack:
        node = stack[-1]
        key = id(node)
        kids = open_.pop(key, None)
        if kids is not None:  # every child done: measure it
            stack.pop()
            height, size = 1, 1
            for kid in kids:
                h, n = done.get(id(kid), (0, 1))  # not done: a leaf
                height, size = max(height, h + 1), size + n
            done[key] = (height, size)
            if height > MAX_DEPTH:
                return node, _too_deep()
            if size > MAX_VALUES:
                return node, f"more than {MAX_VALUES:,} values (aliases counted at each use)"
        elif key in done:
            stack.pop()
        else:
            kids = children(node)
            open_[key] = kids
            for kid in kids:
                if isinstance(kid, nests) and id(kid) not in done:
                    if id(kid) in open_:
                        return kid, "an alias refers to a mapping or list that contains it"
                    stack.append(kid)
    return None


def _node_children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value)


def _data_children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [*value.keys(), *value.values()]
    return list(value)
