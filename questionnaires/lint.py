"""Checks questionnaire definitions and reports every problem in words an author can act on.

Three layers run in turn: YAML syntax, the pydantic schema (structure, types, translations,
unknown keys), then the rules that need the whole tree (ids, conditions, tiers, `replaces`).
Each problem names the file, the line where it can be found and the nearest node id. On top,
the linter holds shipped definitions to versions.lock.json: a released version never changes.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from questionnaires.export import content_hash
from questionnaires.schema import (
    LANGUAGES,
    NOT_APPLICABLE,
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Definition,
    Indicator,
    LevelTier,
    Not,
    Question,
    ScoreTier,
    Section,
    condition_references,
)
from questionnaires.types import TYPES
from questionnaires.yamlio import FileTooLarge, YamlError, load_yaml, read_text

PACKAGE_DIR = Path(__file__).resolve().parent
SHIPPED_DIR = PACKAGE_DIR / "definitions"
LOCK_FILE = PACKAGE_DIR / "versions.lock.json"

Loc = tuple[int | str, ...]
#: {definition id: {version (as a string, as in JSON): content hash}}
Lock = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition file."""

    file: str
    node_id: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        node = f" {self.node_id}:" if self.node_id else ""
        return f"{where}:{node} {self.message}"


# --- Public entry points -------------------------------------------------------------------


def check_text(text: str, source: str = "<string>") -> tuple[Definition | None, list[Problem]]:
    """Parse and check one definition; the definition is returned only when there is no problem.

    This is what the loader runs. It leaves out the version lock, which concerns the shipped
    files of this repository rather than the validity of a definition.
    """
    result = _check(text, source)
    return result.definition, result.problems


def check_structure(data: Any, source: str) -> tuple[Definition | None, list[Problem]]:
    """Validate already parsed data against the schema only (no lines, no tree rules)."""
    try:
        return Definition.model_validate(data), []
    except ValidationError as exc:
        return None, _validation_problems(exc, data, source, _Lines(None))


def lint_text(text: str, source: str = "<string>", *, lock: Lock | None = None) -> list[Problem]:
    """Every problem in one definition text, the version lock included."""
    return _lint(_check(text, source), source, _current_lock(lock)).problems


def lint_file(path: Path | str, *, lock: Lock | None = None) -> list[Problem]:
    return lint_paths([path], lock=lock)


def lint_paths(paths: Iterable[Path | str], *, lock: Lock | None = None) -> list[Problem]:
    """Every problem in the given files, including one id and version defined twice."""
    return _lint_many(paths, lock)[1]


# --- The version lock ------------------------------------------------------------------------


def read_lock(path: Path | None = None) -> dict[str, dict[str, str]]:
    """The lock file's {id: {version: hash}}; empty when there is no lock file yet."""
    path = path or LOCK_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the lock: {exc}") from exc
    if not _is_lock(data):
        raise ValueError('expected {"definition id": {"version": "content hash"}}')
    return data


def _is_lock(data: Any) -> bool:
    return isinstance(data, dict) and all(
        isinstance(versions, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in versions.items())
        for versions in data.values()
    )


@dataclass(frozen=True)
class LockUpdate:
    """What `update_lock` did: the entries it added, or the problems that stopped it."""

    added: tuple[str, ...]
    problems: tuple[Problem, ...]


def update_lock(directory: Path | None = None, lock_file: Path | None = None) -> LockUpdate:
    """Record the hash of every shipped definition version not yet in the lock.

    An existing entry is never changed: a changed definition needs a new version. Nothing is
    written unless every file is valid.
    """
    directory = directory or SHIPPED_DIR
    lock_file = lock_file or LOCK_FILE
    try:
        lock = read_lock(lock_file)
    except ValueError as exc:
        return LockUpdate((), (Problem(str(lock_file), None, str(exc)),))
    definitions, problems = _lint_many(sorted(directory.glob("*.yaml")), lock)
    if problems:
        return LockUpdate((), tuple(problems))
    added = []
    for definition in definitions:
        versions = lock.setdefault(definition.id, {})
        if str(definition.version) not in versions:
            versions[str(definition.version)] = content_hash(definition)
            added.append(f"{definition.id} version {definition.version}")
    if added:
        lock_file.write_text(_dump_lock(lock), encoding="utf-8")
    return LockUpdate(tuple(added), ())


def _dump_lock(lock: Mapping[str, Mapping[str, str]]) -> str:
    # Versions in numeric order (JSON's sort_keys would put "10" before "2").
    ordered = {key: {v: lock[key][v] for v in sorted(lock[key], key=int)} for key in sorted(lock)}
    return json.dumps(ordered, indent=2) + "\n"


def _current_lock(lock: Lock | None) -> Lock:
    return read_lock() if lock is None else lock


def _lock_problem(result: _Result, source: str, lock: Lock) -> Problem | None:
    definition = result.definition
    if definition is None:
        return None
    recorded = lock.get(definition.id, {}).get(str(definition.version))
    if recorded is None or recorded == content_hash(definition):
        return None
    message = (
        f"changed without raising version from {definition.version} "
        "(versions.lock.json records another content hash)"
    )
    return Problem(source, definition.id, message, result.lines(("version",)))


# --- Running the checks ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Result:
    definition: Definition | None
    problems: list[Problem]
    lines: _Lines


def _check(text: str, source: str) -> _Result:
    try:
        data = load_yaml(text, source)
    except YamlError as exc:
        return _Result(None, [_yaml_problem(exc)], _Lines(None))
    lines = _Lines(text)
    if data is None:
        return _Result(None, [Problem(source, None, "the file is empty")], lines)
    try:
        definition = Definition.model_validate(data)
    except ValidationError as exc:
        return _Result(None, _validation_problems(exc, data, source, lines), lines)
    issues = tree_issues(definition)
    problems = _sorted(Problem(source, i.node_id, i.message, lines(i.loc)) for i in issues)
    return _Result(None if problems else definition, problems, lines)


def _yaml_problem(exc: YamlError) -> Problem:
    where = exc.source if exc.line is None else f"{exc.source}:{exc.line}"
    message = str(exc).removeprefix(f"{where}: ")
    return Problem(exc.source, None, f"YAML syntax: {message}", exc.line)


def _lint(result: _Result, source: str, lock: Lock) -> _Result:
    problem = _lock_problem(result, source, lock)
    if problem is None:
        return result
    return _Result(None, [*result.problems, problem], result.lines)


def _lint_many(
    paths: Iterable[Path | str], lock: Lock | None
) -> tuple[list[Definition], list[Problem]]:
    try:
        current = _current_lock(lock)
    except ValueError as exc:
        return [], [Problem(str(LOCK_FILE), None, str(exc))]
    definitions: list[Definition] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, int], str] = {}
    for path in paths:
        result = _lint(_read_and_check(Path(path)), str(path), current)
        problems += result.problems
        if result.definition is None:
            continue
        key = (result.definition.id, result.definition.version)
        if key in seen:
            message = f"version {key[1]} is also defined in {seen[key]}"
            problems.append(Problem(str(path), key[0], message, result.lines(("version",))))
        else:
            seen[key] = str(path)
            definitions.append(result.definition)
    return definitions, problems


def _read_and_check(path: Path) -> _Result:
    try:
        text = read_text(path)
    except UnicodeDecodeError:
        return _Result(None, [Problem(str(path), None, "not UTF-8 text")], _Lines(None))
    except FileTooLarge as exc:
        return _Result(None, [Problem(str(path), None, str(exc))], _Lines(None))
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror or exc}"
        return _Result(None, [Problem(str(path), None, message)], _Lines(None))
    return _check(text, str(path))


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    """In file order (problems without a line first), duplicates dropped."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: p.line or 0)


# --- Lines: where a path of keys and indexes sits in the YAML text -------------------------


class _Lines:
    """Finds the 1-based line of a path in the YAML node tree, or of its nearest ancestor.

    The tree is composed on first use only: a valid file never needs it.
    """

    def __init__(self, text: str | None) -> None:
        self._text = text
        self._root: yaml.Node | None = None

    def _tree(self) -> yaml.Node | None:
        if self._root is None and self._text is not None:
            text, self._text = self._text, None
            # Composing builds nodes only, so the loader's boolean rules do not matter here.
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            try:
                self._root = yaml.compose(text, Loader=loader)
            except yaml.YAMLError:
                self._root = None
        return self._root

    def __call__(self, loc: Loc) -> int | None:
        node = self._tree()
        if node is None:
            return None
        line = int(node.start_mark.line) + 1
        for segment in loc:
            found = _child_node(node, segment)
            if found is None:
                break
            line, node = found
        return line


def _child_node(node: yaml.Node, segment: int | str) -> tuple[int, yaml.Node] | None:
    """The line of the key (or list item) for `segment`, and the node it leads to."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(segment):
                return int(key.start_mark.line) + 1, value
        return None
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    if isinstance(segment, int) and 0 <= segment < len(items):
        return int(items[segment].start_mark.line) + 1, items[segment]
    return None


# --- Schema errors: from pydantic's locations to node ids and short messages ---------------

_NODE_LISTS = frozenset({"pillars", "categories", "indicators", "questions", "tiers"})
_TEXT_FIELDS = frozenset({"title", "text", "help", "description", "name", "label", "unit"})
_MAIN_TEXTS = frozenset({("title",), ("text",), ("name",)})
_SCORE_FIELDS = frozenset({"score", "partial_score"})
_SCALAR_TAGS = frozenset({"bool", "int", "float", "str"})
#: The key that tells which kind of condition an author meant.
_CONDITION_KEYS = {"question": "Compare", "all": "AllOf", "any": "AnyOf", "not": "Not"}
_EXPECTED = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "finite_number": "a finite number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "dict_type": "a mapping",
    "tuple_type": "a list",
    "list_type": "a list",
}
_BOUNDS = {
    "greater_than": ("gt", "greater than"),
    "greater_than_equal": ("ge", "at least"),
    "less_than": ("lt", "less than"),
    "less_than_equal": ("le", "at most"),
}


@dataclass(frozen=True)
class _Error:
    """A pydantic error with its location split into a data path and the union members tried."""

    path: Loc
    members: tuple[tuple[Loc, str], ...]
    key_error: bool
    type: str
    msg: str
    ctx: Mapping[str, Any]
    input: Any


def _validation_problems(
    exc: ValidationError, data: Any, source: str, lines: _Lines
) -> list[Problem]:
    errors = [_split(e, data) for e in exc.errors(include_url=False)]
    kept, vague = _pick_members(errors, data)
    kept = _merge_missing_translations(kept)
    problems = [_problem(e.path, _message_for(e, data), data, source, lines) for e in kept]
    problems += [_problem(p, _vague(p, m, data), data, source, lines) for p, m in vague.items()]
    return _sorted(problems)


def _merge_missing_translations(errors: Sequence[_Error]) -> list[_Error]:
    """One error for all the languages missing from one text, e.g. path (..., "ar, zh")."""
    groups: dict[Loc | int, list[_Error]] = {}
    for i, error in enumerate(errors):
        missing = error.type == "missing" and bool(error.path) and error.path[-1] in LANGUAGES
        groups.setdefault(error.path[:-1] if missing else i, []).append(error)
    return [_merged(group) for group in groups.values()]


def _merged(group: Sequence[_Error]) -> _Error:
    if len(group) == 1:
        return group[0]
    langs = ", ".join(str(e.path[-1]) for e in group)
    return replace(group[0], path=(*group[0].path[:-1], langs))


def _problem(path: Loc, message: str, data: Any, source: str, lines: _Lines) -> Problem:
    node_id, _ = _nearest_node(path, data)
    return Problem(source, node_id, message, lines(path))


def _split(error: Any, data: Any) -> _Error:
    """Separate pydantic's union tags (e.g. 'AllOf', 'tuple[ScoreTier, ...]') from data keys."""
    path: list[int | str] = []
    members: list[tuple[Loc, str]] = []
    key_error = False
    current = data
    for segment in error["loc"]:
        if segment == "[key]":
            key_error = True
        elif _is_tag(segment, current):
            members.append((tuple(path), _member(str(segment))))
        else:
            path.append(segment)
            current = _child(current, segment)
    return _Error(
        tuple(path),
        tuple(members),
        key_error,
        error["type"],
        error["msg"],
        error.get("ctx") or {},
        error.get("input"),
    )


def _is_tag(segment: int | str, current: Any) -> bool:
    if not isinstance(segment, str) or (isinstance(current, dict) and segment in current):
        return False
    return segment[:1].isupper() or "[" in segment or segment in _SCALAR_TAGS


def _member(tag: str) -> str:
    """'function-after[_one_operator(), Compare]' -> 'Compare'; 'bool' stays 'bool'."""
    names = re.findall(r"[A-Z]\w*", tag)
    return names[-1] if names else tag


def _pick_members(errors: Sequence[_Error], data: Any) -> tuple[list[_Error], dict[Loc, str]]:
    """Keep the errors of the union member the author meant (a condition with `all` is an
    all-of, tiers follow the model); a union whose intent cannot be told gets one message."""
    kept: list[_Error] = []
    vague: dict[Loc, str] = {}
    for error in errors:
        for position, member in error.members:
            wanted = _wanted_member(member, _value_at(data, position), data)
            if wanted is None:
                vague.setdefault(position, member)
                break
            if wanted != member:
                break
        else:
            kept.append(error)
    return kept, vague


def _wanted_member(member: str, value: Any, data: Any) -> str | None:
    if member in _CONDITION_KEYS.values():
        if not isinstance(value, dict):
            return None
        return next((m for key, m in _CONDITION_KEYS.items() if key in value), None)
    if member in ("ScoreTier", "LevelTier"):
        return _tier_member(data)
    return None


def _tier_member(data: Any) -> str:
    model = data.get("model") if isinstance(data, dict) else None
    if model in ("weighted", "levels"):
        return "ScoreTier" if model == "weighted" else "LevelTier"
    tiers = data.get("tiers") if isinstance(data, dict) else None
    scored = any(isinstance(t, dict) and "min_score" in t for t in tiers or ())
    return "ScoreTier" if scored else "LevelTier"


def _vague(position: Loc, member: str, data: Any) -> str:
    field = _field(position, data)
    if member in _CONDITION_KEYS.values():
        return (
            f"`{field}` must be a comparison (`question` with one operator) "
            "or one of `all`, `any`, `not`"
        )
    if member in _SCALAR_TAGS:
        return f"`{field}` must be text, a number, true or false"
    return f"`{field}` is not valid"


def _child(value: Any, segment: int | str) -> Any:
    if isinstance(value, dict):
        return value.get(segment)
    if isinstance(value, list) and isinstance(segment, int) and 0 <= segment < len(value):
        return value[segment]
    return None


def _value_at(data: Any, path: Loc) -> Any:
    for segment in path:
        data = _child(data, segment)
    return data


def _id_of(value: Any) -> str | None:
    node_id = value.get("id") if isinstance(value, dict) else None
    return node_id if isinstance(node_id, str) else None


def _nearest_node(path: Loc, data: Any) -> tuple[str | None, int]:
    """The id of the deepest node (definition, section, indicator, question, tier) on `path`,
    and how many segments of the path lead to it."""
    node_id, depth, current = _id_of(data), 0, data
    for i, segment in enumerate(path):
        current = _child(current, segment)
        in_list = i > 0 and isinstance(segment, int) and path[i - 1] in _NODE_LISTS
        if in_list and _id_of(current):
            node_id, depth = _id_of(current), i + 1
    return node_id, depth


def _field(path: Loc, data: Any) -> str:
    """The path below its node, readably: `choices[partial].score`, `levels[3]`."""
    _, depth = _nearest_node(path, data)
    current = _value_at(data, path[:depth])
    parts: list[str] = []
    for segment in path[depth:]:
        child = _child(current, segment)
        if isinstance(segment, int):
            parts.append(f"[{_id_of(child) or segment}]")
        else:
            parts.append(("." if parts else "") + segment)
        current = child
    return "".join(parts)


def _message_for(error: _Error, data: Any) -> str:
    _, depth = _nearest_node(error.path, data)
    rest = error.path[depth:]
    parent, last = rest[:-1], rest[-1] if rest else None
    inside = f" in `{_field(error.path[:-1], data)}`" if parent else ""
    if error.key_error:
        return f"invalid key `{last}`{inside}: {_what(error)}"
    if _is_text(parent) and isinstance(last, str):
        return _text_message(error, last, parent, inside)
    if error.type in ("missing", "extra_forbidden"):
        word = "missing" if error.type == "missing" else "unknown key"
        return f"{word} `{last}`{inside}"
    return _value_message(error, data, last)


def _value_message(error: _Error, data: Any, last: int | str | None) -> str:
    field = _field(error.path, data)
    if last in _TEXT_FIELDS and error.type in ("model_type", "dict_type"):
        return f"`{field}` must give a text in each language: {', '.join(LANGUAGES)}"
    if error.type in ("value_error", "assertion_error"):
        reason = error.msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        return f"`{field}`: {reason}" if field else reason
    if not field:
        return f"{'this node' if error.path else 'the document'} {_what(error)}"
    return f"`{field}` {_what(error)}"


def _is_text(parent: Loc) -> bool:
    """Whether `parent` is a six-language text (a title, a help text, a level description)."""
    if not parent:
        return False
    return parent[-1] in _TEXT_FIELDS or (len(parent) >= 2 and parent[-2] == "levels")


def _text_message(error: _Error, lang: str, parent: Loc, inside: str) -> str:
    where = "" if parent in _MAIN_TEXTS else inside
    if error.type == "missing":
        plural = "s" if ", " in lang else ""
        return f"missing translation{plural}: {lang}{where}"
    if error.type == "string_too_short":
        return f"empty translation: {lang}{where}"
    if error.type == "extra_forbidden":
        return f"unknown language `{lang}`{where} (languages: {', '.join(LANGUAGES)})"
    return f"translation {lang}{where} {_what(error)}"


_WHAT = {
    "string_pattern_mismatch": (
        "{got} is not a valid id (lowercase letters, digits, _ and -, parts joined by dots)"
    ),
    "string_too_long": "is longer than {max_length} characters",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
    "enum": "must be one of {expected} (got {got})",
    "literal_error": "must be one of {expected} (got {got})",
}


def _what(error: _Error) -> str:
    """What is wrong with a value, as the end of a sentence about it."""
    got = _shown(error.input)
    if error.type in _EXPECTED:
        return f"must be {_EXPECTED[error.type]}"
    if error.type in _BOUNDS:
        if error.path and error.path[-1] in _SCORE_FIELDS:
            return f"{got} is outside [0, 1]"
        key, words = _BOUNDS[error.type]
        return f"must be {words} {_shown(error.ctx.get(key))} (got {got})"
    if error.type in _WHAT:
        expected = str(error.ctx.get("expected", "")).replace("'", "")
        return _WHAT[error.type].format(
            got=got, expected=expected, max_length=error.ctx.get("max_length")
        )
    return f"is not valid: {error.msg[:1].lower()}{error.msg[1:]}"


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # "0", not "0.0", in a message about a bound
    return json.dumps(value, ensure_ascii=False, default=str)


# --- Tree rules: what the schema cannot see one node at a time ------------------------------


@dataclass(frozen=True)
class Issue:
    """A problem found in a valid-looking tree, located by its path in the data."""

    node_id: str | None
    message: str
    loc: Loc = ()


@dataclass(frozen=True)
class _Placed:
    """A node of the tree with its kind, its parent node and its path in the data."""

    kind: str
    node: Section | Indicator | Question
    parent: _Placed | None
    loc: Loc


def tree_issues(definition: Definition) -> list[Issue]:
    """Every rule of the format that spans more than one node, in document order."""
    placed = _placed(definition)
    return [
        *_id_issues(definition, placed),
        *_condition_issues(placed),
        *_question_issues(definition, placed),
        *_tier_issues(definition),
        *_replaces_issues(definition),
    ]


def _placed(definition: Definition) -> list[_Placed]:
    key = definition.section_kind
    kind = "pillar" if key == "pillars" else "category"
    nodes: list[_Placed] = []
    for si, section in enumerate(definition.sections):
        top = _Placed(kind, section, None, (key, si))
        nodes.append(top)
        for ii, indicator in enumerate(section.indicators):
            middle = _Placed("indicator", indicator, top, (*top.loc, "indicators", ii))
            nodes.append(middle)
            for qi, question in enumerate(indicator.questions):
                nodes.append(_Placed("question", question, middle, (*middle.loc, "questions", qi)))
    return nodes


def _questions(placed: Sequence[_Placed]) -> list[tuple[Question, Loc]]:
    return [(p.node, p.loc) for p in placed if isinstance(p.node, Question)]


def _id_issues(definition: Definition, placed: Sequence[_Placed]) -> Iterator[Issue]:
    """Empty branches, ids used twice (across every kind of node), ids outside their parent."""
    if not definition.sections:
        yield Issue(definition.id, f"the definition has no {definition.section_kind}")
    first: dict[str, _Placed] = {}
    for p in placed:
        if isinstance(p.node, Section) and not p.node.indicators:
            yield Issue(p.node.id, f"{p.kind} has no indicators", p.loc)
        if isinstance(p.node, Indicator) and not p.node.questions:
            yield Issue(p.node.id, "indicator has no questions", p.loc)
        if p.node.id in first:
            earlier = first[p.node.id].kind
            yield Issue(p.node.id, f"duplicate id: already used by {_a(earlier)} above", p.loc)
        first.setdefault(p.node.id, p)
        if p.parent is not None and not p.node.id.startswith(p.parent.node.id + "."):
            wanted = f"`{p.parent.node.id}.`, the id of its {p.parent.kind}"
            yield Issue(p.node.id, f"id must start with {wanted}", (*p.loc, "id"))


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _condition_issues(placed: Sequence[_Placed]) -> Iterator[Issue]:
    """References to unknown, later or the same questions, cycles, values no answer can have."""
    questions = _questions(placed)
    order: dict[str, int] = {}
    for i, (q, _) in enumerate(questions):
        order.setdefault(q.id, i)
    kinds = {p.node.id: p.kind for p in reversed(placed)}
    graph = {q.id: [r for r in _refs(q) if r in order and r != q.id] for q, _ in questions}
    cycles = _cycles(graph)
    for q, loc in questions:
        if q.show_if is None:
            continue
        where = (*loc, "show_if")
        cycle, members = cycles.get(q.id, ([], frozenset()))
        if cycle and cycle[0] == q.id:
            yield Issue(q.id, f"show_if references form a cycle: {' -> '.join(cycle)}", where)
        for ref in _refs(q):
            message = _reference_problem(q, ref, order, kinds, members)
            if message:
                yield Issue(q.id, message, where)
        for compare in _comparisons(q.show_if):
            target = questions[order[compare.question]][0] if compare.question in order else None
            message = _value_problem(compare, target) if target else None
            if message:
                yield Issue(q.id, f"show_if: {message}", where)


def _refs(question: Question) -> list[str]:
    if question.show_if is None:
        return []
    return list(dict.fromkeys(condition_references(question.show_if)))


def _reference_problem(
    q: Question, ref: str, order: Mapping[str, int], kinds: Mapping[str, str], cycle: frozenset[str]
) -> str | None:
    """What is wrong with one reference; a later question on a cycle is reported as the cycle."""
    if ref == q.id:
        return "show_if refers to the question itself"
    if ref not in order:
        if ref in kinds:
            return f"show_if refers to `{ref}`, which is {_a(kinds[ref])}, not a question"
        return f"show_if refers to unknown question `{ref}`"
    if order[ref] > order[q.id] and ref not in cycle:
        return f"show_if refers to `{ref}`, which comes later (a condition reads earlier questions)"
    return None


def _cycles(graph: Mapping[str, Sequence[str]]) -> dict[str, tuple[list[str], frozenset[str]]]:
    """For every question on a cycle of show_if references: a cycle through the first question
    (in document order) of its strongly connected group, e.g. ['a', 'b', 'a'], and the group."""
    reach = {node: _reachable(graph, node) for node in graph}
    cycles: dict[str, tuple[list[str], frozenset[str]]] = {}
    for node in graph:  # document order, so the first member names the cycle
        if node in cycles or node not in reach[node]:
            continue
        members = frozenset(m for m in reach[node] if node in reach[m])
        path = _cycle_through(graph, node, members)
        cycles.update(dict.fromkeys(members, (path, members)))
    return cycles


def _reachable(graph: Mapping[str, Sequence[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = list(graph[start])
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(graph.get(node, ()))
    return seen


def _cycle_through(
    graph: Mapping[str, Sequence[str]], start: str, members: frozenset[str]
) -> list[str]:
    """The shortest way from `start` back to itself, staying among `members`."""
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph[node]:
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if nxt in members and nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return [start, start]


def _comparisons(condition: Condition) -> Iterator[Compare]:
    if isinstance(condition, Compare):
        yield condition
    elif isinstance(condition, Not):
        yield from _comparisons(condition.not_)
    elif isinstance(condition, AllOf | AnyOf):
        parts = condition.all if isinstance(condition, AllOf) else condition.any
        for part in parts:
            yield from _comparisons(part)


def _value_problem(compare: Compare, target: Question) -> str | None:
    """Why a comparison can never hold for any answer `target` can have, if it cannot."""
    operator = compare.operator
    if operator == "answered":
        return None
    if operator in ("gt", "gte", "lt", "lte"):
        if TYPES[target.type].compares_numbers:
            return None
        return f"`{operator}` compares numbers, but `{target.id}` is a {target.type} question"
    values = compare.operand if operator == "in_" else (compare.operand,)
    if NOT_APPLICABLE in values:
        return f'"{NOT_APPLICABLE}" never matches: an n/a answer equals no value'
    impossible = [v for v in values if not _can_answer(target, v)]
    if not impossible:
        return None
    shown = ", ".join(_shown(v) for v in impossible)
    verb = "is not a possible answer" if len(impossible) == 1 else "are not possible answers"
    return f"{shown} {verb} to `{target.id}` ({_answers_hint(target)})"


def _can_answer(question: Question, value: Any) -> bool:
    """Whether some answer to `question` equals `value` as conditions compare them."""
    return TYPES[question.type].can_equal(question, value)


def _answers_hint(q: Question) -> str:
    return TYPES[q.type].answers_hint(q)


def _question_issues(definition: Definition, placed: Sequence[_Placed]) -> Iterator[Issue]:
    """Each type's own rules (`QuestionKind.lint`: choice ids used twice, thresholds out of
    order, bounds beyond what answers may be), and scoring the levels model cannot do."""
    for q, loc in _questions(placed):
        for message, where in TYPES[q.type].lint(q):
            yield Issue(q.id, message, (*loc, *where))
        if definition.model == "levels" and q.is_scored and not TYPES[q.type].is_parameter:
            message = (
                "a levels definition scores level questions only; "
                f"mark this {q.type} question `scored: false`"
            )
            yield Issue(q.id, message, (*loc, "type"))


def _tier_issues(definition: Definition) -> Iterator[Issue]:
    tiers: Sequence[ScoreTier | LevelTier] = definition.tiers or ()
    seen: set[str] = set()
    for i, tier in enumerate(tiers):
        if tier.id in seen:
            yield Issue(tier.id, "duplicate tier id", ("tiers", i, "id"))
        seen.add(tier.id)
    yield from _score_tier_issues([t for t in tiers if isinstance(t, ScoreTier)])
    yield from _level_tier_issues(definition, [t for t in tiers if isinstance(t, LevelTier)])


def _score_tier_issues(tiers: Sequence[ScoreTier]) -> Iterator[Issue]:
    """Highest first, each below the last, and the lowest starting at 0 so every score fits."""
    for i, (higher, lower) in enumerate(pairwise(tiers), start=1):
        if lower.min_score >= higher.min_score:
            message = (
                f"tiers must be listed from highest to lowest: `{lower.id}` "
                f"({lower.min_score:g}) follows `{higher.id}` ({higher.min_score:g})"
            )
            yield Issue(lower.id, message, ("tiers", i, "min_score"))
    if tiers:
        lowest = min(range(len(tiers)), key=lambda i: tiers[i].min_score)
        if tiers[lowest].min_score != 0:
            message = "the lowest tier must start at 0, so that every score has a tier"
            yield Issue(tiers[lowest].id, message, ("tiers", lowest, "min_score"))


def _level_tier_issues(definition: Definition, tiers: Sequence[LevelTier]) -> Iterator[Issue]:
    """Minimums only for known parameters, and never lower in a higher tier."""
    questions = definition.question_index
    parameters = [q for q in questions if TYPES[questions[q].type].is_parameter]
    for i, tier in enumerate(tiers):
        for key in tier.min_levels:
            if key not in parameters:
                what = "not a level question" if key in questions else "an unknown parameter"
                yield Issue(
                    tier.id, f"minimum for `{key}`, {what}", ("tiers", i, "min_levels", key)
                )
    for i, (higher, lower) in enumerate(pairwise(tiers)):
        if higher.default_min_level < lower.default_min_level:
            message = (
                f"`default_min_level` {higher.default_min_level} is below the "
                f"{lower.default_min_level} of the lower tier `{lower.id}`"
            )
            yield Issue(higher.id, message, ("tiers", i, "default_min_level"))
        for p in parameters:
            explicit = p in higher.min_levels or p in lower.min_levels
            if explicit and higher.min_level(p) < lower.min_level(p):
                message = (
                    f"requires level {higher.min_level(p)} for `{p}`, below the "
                    f"{lower.min_level(p)} required by the lower tier `{lower.id}`"
                )
                yield Issue(higher.id, message, ("tiers", i, "min_levels", p))


def _replaces_issues(definition: Definition) -> Iterator[Issue]:
    replaces = definition.replaces
    if replaces is None:
        return
    if replaces.version >= definition.version:
        message = (
            f"replaces version {replaces.version}, which is not earlier than "
            f"this version {definition.version}"
        )
        yield Issue(definition.id, message, ("replaces", "version"))
    for old, new in replaces.questions.items():
        if new is not None and new not in definition.question_index:
            message = f"replaces maps `{old}` to unknown question `{new}`"
            yield Issue(definition.id, message, ("replaces", "questions", old))
