"""Reading YAML: YAML 1.2 booleans, no duplicate keys, the same with libyaml and without, and
limits on what a file may make the reader do."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from questionnaires import yamlio
from questionnaires.lint import SHIPPED_DIR
from questionnaires.yamlio import (
    MAX_DEPTH,
    FileTooLarge,
    YamlError,
    check_limits,
    load_yaml,
    read_text,
)

LOADERS = pytest.mark.parametrize(
    "loader", [yamlio._Loader, yamlio._PureLoader], ids=["default", "pure-python"]
)


def load(text: str, loader: type[yaml.SafeLoader]) -> object:
    return yamlio._load(text, "f.yaml", loader)


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
def test_libyaml_is_used_when_present() -> None:
    assert issubclass(yamlio._Loader, yaml.CSafeLoader)


@LOADERS
def test_only_true_and_false_are_booleans(loader: type[yaml.SafeLoader]) -> None:
    text = "a: yes\nb: no\nc: on\nd: off\ne: true\nf: False\ng: TRUE\nh: y\n"
    assert load(text, loader) == {
        "a": "yes",
        "b": "no",
        "c": "on",
        "d": "off",
        "e": True,
        "f": False,
        "g": True,
        "h": "y",
    }


@LOADERS
def test_duplicate_keys_are_errors_with_their_line(loader: type[yaml.SafeLoader]) -> None:
    with pytest.raises(YamlError, match=r"^f\.yaml:3: duplicate key 'a'$"):
        load("a: 1\nb: 2\na: 3\n", loader)


@pytest.mark.parametrize("path", sorted(SHIPPED_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_both_loaders_read_the_shipped_definitions_alike(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert load(text, yamlio._Loader) == load(text, yamlio._PureLoader)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: [1, 2\nb: 3\n", "f.yaml:2: expected ',' or ']', but got ':'"),
        ("a:\n\tb: 1\n", "f.yaml:2: found character '\\t' that cannot start any token"),
    ],
)
def test_syntax_errors_are_told_in_pyyamls_words(text: str, message: str) -> None:
    with pytest.raises(YamlError) as caught:
        load_yaml(text, "f.yaml")
    assert str(caught.value) == message


@LOADERS
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\nb: 2019-13-01\n", "f.yaml:2: cannot read '2019-13-01': month must be in 1..12"),
        ("a: !!float abc\n", "f.yaml:1: cannot read 'abc': could not convert string to float"),
        ("a: " + "1" * 5000, f"f.yaml:1: cannot read '{'1' * 40}…': a number of more than 1000"),
        ("a: 0x" + "f" * 5000, f"f.yaml:1: cannot read '0x{'f' * 38}…': a number of more than"),
        ("? [a, b]\n: 1\n", "f.yaml:1: found unhashable key"),
    ],
)
def test_values_that_cannot_be_built_are_errors_with_their_line(
    loader: type[yaml.SafeLoader], text: str, message: str
) -> None:
    with pytest.raises(YamlError) as caught:  # rather than a ValueError or TypeError
        load(text, loader)
    assert str(caught.value).startswith(message)


def _flow(depth: int) -> str:
    return "a: " + "[" * depth + "]" * depth + "\n"


def _block(depth: int) -> str:
    return "".join(f"{'  ' * level}k:\n" for level in range(depth)) + "  " * depth + "k: 1\n"


@LOADERS
@pytest.mark.parametrize(
    "text",
    [_flow(MAX_DEPTH), _flow(100_000), _block(MAX_DEPTH), _block(2_000)],  # with the top mapping
    ids=["flow-101", "flow-100001", "block-101", "block-2001"],
)
def test_deep_nesting_is_an_error_not_a_recursion_error(
    loader: type[yaml.SafeLoader], text: str
) -> None:
    with pytest.raises(YamlError, match=f"nested more than {MAX_DEPTH} levels deep"):
        load(text, loader)


@LOADERS
def test_nesting_up_to_the_limit_is_read(loader: type[yaml.SafeLoader]) -> None:
    assert load(_flow(MAX_DEPTH - 1), loader) is not None
    assert load(_block(MAX_DEPTH - 1), loader) is not None


@LOADERS
def test_aliases_count_at_each_use(loader: type[yaml.SafeLoader]) -> None:
    # Seven lines standing for 10 ** 7 values: refused before anything walks them.
    lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    with pytest.raises(YamlError, match=r"^f\.yaml:6: more than 1,000,000 values"):
        load("\n".join(lines), loader)


@LOADERS
def test_aliases_within_the_limits_are_fine(loader: type[yaml.SafeLoader]) -> None:
    shared = {"b": 1}
    assert load("a: &x {b: 1}\nc: [*x, *x, {d: *x}]\n", loader) == {
        "a": shared,
        "c": [shared, shared, {"d": shared}],
    }


@LOADERS
def test_an_alias_inside_its_own_anchor_is_an_error(loader: type[yaml.SafeLoader]) -> None:
    with pytest.raises(YamlError, match="an alias refers to a mapping or list that contains it"):
        load("a: &a [1, *a]\n", loader)


def test_check_limits_on_parsed_data() -> None:
    data: list[object] = []
    innermost = data
    for _ in range(MAX_DEPTH - 2):
        innermost.append([])
        innermost = innermost[-1]  # type: ignore[assignment]
    check_limits({"a": data}, "x.json")  # MAX_DEPTH levels with the mapping
    with pytest.raises(YamlError, match=r"^x\.json: nested more than 100 levels deep$"):
        check_limits({"a": [data]}, "x.json")
    with pytest.raises(YamlError, match="more than 1,000,000 values"):
        check_limits([0] * 1_000_000, "x.json")


def test_read_text_stops_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a: 1\r\nb: 2\rc: 3\n")
    assert read_text(path) == "a: 1\nb: 2\nc: 3\n"  # line ends as Path.read_text gives them
    assert read_text(path, max_bytes=16) == "a: 1\nb: 2\nc: 3\n"
    with pytest.raises(FileTooLarge, match=r"^larger than 15 bytes, the most a file may hold$"):
        read_text(path, max_bytes=15)
    with pytest.raises(FileTooLarge, match=r"^larger than 4 MB"):
        read_text("/dev/zero")  # reads 4 MB and one byte, not forever
