"""Answer values: what each question type accepts and the normal form it is turned into."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from questionnaires.answers import (
    AnswerError,
    AnswersError,
    AnswersFileError,
    is_http_url,
    load_answers_file,
    normalize_answer,
    parse_answers,
)
from questionnaires.schema import Definition, Question, Text

TEXT = Text(ar="س", zh="问", en="Question", fr="Question", ru="Вопрос", es="Pregunta")


def question(type_: str, **options: Any) -> Question:
    return Question.model_validate({"id": "q.one", "type": type_, "text": TEXT, **options})


def choices(*ids: str) -> list[dict[str, Any]]:
    return [{"id": i, "label": TEXT, "score": 0.5} for i in ids]


LEVELS = dict.fromkeys(range(5), TEXT)


def normalize(q: Question, raw: Any) -> Any:
    return normalize_answer(q, raw)


def error_of(q: Question, raw: Any) -> str:
    with pytest.raises(AnswerError) as caught:
        normalize_answer(q, raw)
    assert caught.value.question_id == "q.one"
    assert str(caught.value) == f"q.one: {caught.value.message}"
    return caught.value.message


@pytest.mark.parametrize("raw", [None, "", "   ", [], ()])
@pytest.mark.parametrize("type_", ["yes_no", "text", "url"])
def test_blank_is_unanswered(type_: str, raw: Any) -> None:
    assert normalize(question(type_), raw) is None


def test_not_applicable_only_where_allowed() -> None:
    assert normalize(question("yes_no", not_applicable=True), "n/a") == "n/a"
    assert normalize(question("text", not_applicable=True), " n/a ") == "n/a"
    assert error_of(question("yes_no"), "n/a") == "this question cannot be answered n/a"
    # Reserved even in a text question, so "n/a" always means the same thing.
    assert error_of(question("text"), "n/a") == "this question cannot be answered n/a"


def test_yes_no() -> None:
    q = question("yes_no")
    assert (normalize(q, "yes"), normalize(q, "no")) == ("yes", "no")
    for raw in ("partial", "Yes", True, 1):
        assert error_of(q, raw).startswith('expected one of "yes", "no", got')


def test_yes_no_partial() -> None:
    q = question("yes_no_partial")
    assert [normalize(q, v) for v in ("yes", "no", "partial")] == ["yes", "no", "partial"]
    assert error_of(q, "half") == 'expected one of "yes", "no", "partial", got \'half\''


def test_single_choice() -> None:
    q = question("single_choice", choices=choices("a", "b"))
    assert normalize(q, "b") == "b"
    assert error_of(q, "c") == "'c' is not one of its choices (a, b)"
    assert error_of(q, ["a"]) == "expected a choice id, got ['a']"


def test_multi_choice_is_distinct_and_in_definition_order() -> None:
    q = question("multi_choice", choices=choices("a", "b", "c"))
    assert normalize(q, ["c", "a", "c"]) == ("a", "c")
    assert normalize(q, ("b",)) == ("b",)
    assert error_of(q, ["a", "z"]) == "'z' is not one of its choices (a, b, c)"
    assert error_of(q, "a") == "expected a list of choice ids, got 'a'"
    assert error_of(q, [1]) == "expected a choice id, got 1"


def test_number() -> None:
    q = question("number", scored=False, min=0, max=10)
    assert normalize(q, 3) == 3
    assert normalize(q, 2.5) == 2.5
    assert error_of(q, 11) == "11 is above the maximum 10"
    assert error_of(q, -1) == "-1 is below the minimum 0"
    for raw in (True, "3", float("nan"), float("inf"), [1]):
        assert error_of(q, raw).startswith("expected a number")


def test_integer_number() -> None:
    q = question("number", scored=False, integer=True)
    assert normalize(q, 3.0) == 3
    assert type(normalize(q, 3.0)) is int
    assert error_of(q, 3.5) == "expected a whole number, got 3.5"


def test_text() -> None:
    q = question("text", min_length=2, max_length=5)
    assert normalize(q, "  abc ") == "abc"
    assert error_of(q, "a") == "expected at least 2 characters"
    assert error_of(q, "abcdef") == "expected at most 5 characters"
    assert error_of(q, 12) == "expected text, got 12"


def test_date() -> None:
    q = question("date")
    assert normalize(q, date(2024, 2, 29)) == "2024-02-29"
    assert normalize(q, "2024-02-29") == "2024-02-29"
    for raw in ("2023-02-29", "20240229", "2024-2-9", datetime(2024, 1, 1, 12), 2024):  # noqa: DTZ001
        assert error_of(q, raw).startswith("expected a date as YYYY-MM-DD")


def test_urls() -> None:
    q = question("url")
    assert normalize(q, " https://a.example/x ") == ("https://a.example/x",)
    both = ["http://a.example", "https://b.example/p?q=1", "http://a.example"]
    assert normalize(q, both) == ("http://a.example", "https://b.example/p?q=1")
    for raw in ("ftp://a.example", "a.example", "https://", ["https://a.example", "x y"], 3):
        assert "expected" in error_of(q, raw)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://example.org", True),
        ("HTTP://EXAMPLE.ORG/a", True),
        ("https://exa mple.org", False),
        ("https://[::1", False),
        ("mailto:a@example.org", False),
        (None, False),
    ],
)
def test_is_http_url(value: Any, ok: bool) -> None:
    assert is_http_url(value) is ok


def test_level() -> None:
    q = question("level", levels=LEVELS)
    assert [normalize(q, level) for level in range(5)] == [0, 1, 2, 3, 4]
    for raw in (5, -1, True, 2.0, "2"):
        assert error_of(q, raw).startswith("expected a level 0, 1, 2, 3 or 4")


# --- Whole answer sets ---

DEFINITION = Definition.model_validate(
    {
        "id": "answers-test",
        "version": 1,
        "model": "weighted",
        "title": TEXT,
        "pillars": [
            {
                "id": "p",
                "title": TEXT,
                "indicators": [
                    {
                        "id": "p.i",
                        "title": TEXT,
                        "questions": [
                            {"id": "p.i.a", "type": "yes_no", "text": TEXT},
                            {"id": "p.i.b", "type": "level", "text": TEXT, "levels": LEVELS},
                            {"id": "p.i.c", "type": "text", "text": TEXT},
                        ],
                    }
                ],
            }
        ],
    }
)


def test_parse_answers_normalises_and_leaves_out_unanswered() -> None:
    assert parse_answers(DEFINITION, {"p.i.a": "yes", "p.i.b": 3, "p.i.c": ""}) == {
        "p.i.a": "yes",
        "p.i.b": 3,
    }


def test_parse_answers_reports_every_problem() -> None:
    with pytest.raises(AnswersError) as caught:
        parse_answers(DEFINITION, {"p.i.c": 5, "zzz": 1, "p.i.b": 9, "p.i.a": "yes"})
    assert [(p.question_id, p.message) for p in caught.value.problems] == [
        ("zzz", "no such question in this questionnaire"),
        ("p.i.b", "expected a level 0, 1, 2, 3 or 4, got 9"),
        ("p.i.c", "expected text, got 5"),
    ]
    assert str(caught.value).splitlines()[0] == "zzz: no such question in this questionnaire"


# --- The answers file ---


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_file_with_yaml_12_booleans_and_dates(tmp_path: Path) -> None:
    text = "questionnaire: q\nversion: 2\ncountry: KEN\nanswers:\n  a: yes\n  b: 2024-01-31\n"
    loaded = load_answers_file(write(tmp_path, "a.yaml", text))
    assert (loaded.questionnaire, loaded.version, loaded.country) == ("q", 2, "KEN")
    assert loaded.answers == {"a": "yes", "b": date(2024, 1, 31)}


@pytest.mark.parametrize("name", ["a.json", "a.txt"])
def test_json_file_by_extension_or_content(tmp_path: Path, name: str) -> None:
    data = {"questionnaire": "q", "version": 1, "answers": {"a": ["x", "y"]}}
    loaded = load_answers_file(write(tmp_path, name, json.dumps(data)))
    assert loaded.answers == {"a": ["x", "y"]}
    assert loaded.country is None


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("a.json", '{"questionnaire": "q", "version": 1, "version": 2}', "duplicate key 'version'"),
        ("a.json", '{"questionnaire": "q", "version": 1, "answers": {"a": NaN}}', "NaN"),
        ("a.yaml", "questionnaire: q\nversion: 1\nversion: 2\n", "line 3: duplicate key"),
        ("a.yaml", "questionnaire: q\nversion: '1'\n", "version: Input should be a valid integer"),
        ("a.yaml", "questionnaire: q\nversion: 1\ncountry: ke\n", "country: String should match"),
        ("a.yaml", "questionnaire: q\nversion: 1\nanswer: {}\n", "answer: Extra inputs"),
        ("a.yaml", "- 1\n", "file: Input should be a valid dictionary"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, text: str, problem: str) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(AnswersFileError) as caught:
        load_answers_file(path)
    assert caught.value.source == str(path)
    assert problem in caught.value.problems[0]
    assert str(caught.value).startswith(f"{path}: ")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(AnswersFileError, match="cannot read the file"):
        load_answers_file(tmp_path / "missing.yaml")
    path = tmp_path / "latin1.yaml"
    path.write_bytes("country: \xe9".encode("latin-1"))
    with pytest.raises(AnswersFileError, match="cannot read the file"):
        load_answers_file(path)


# --- Bounds every answer keeps, whatever its definition declares ---


def test_urls_are_kept_distinct_in_order_and_their_number_is_bounded() -> None:
    from questionnaires.types.base import MAX_URL_LENGTH, MAX_URLS

    q = question("url")
    urls = [f"https://example.org/{n}" for n in range(MAX_URLS)]
    assert normalize(q, urls) == tuple(urls)
    assert normalize(q, [*urls[:-2], urls[0], f" {urls[1]} "]) == tuple(urls[:-2])
    assert normalize(q, [urls[2], urls[0], urls[2]]) == (urls[2], urls[0])
    with pytest.raises(AnswerError) as too_many:
        normalize(q, [*urls, "https://example.org/one-more"])
    assert (too_many.value.code, too_many.value.params) == ("urls", {"limit": MAX_URLS})
    with pytest.raises(AnswerError) as too_long:
        normalize(q, "https://example.org/" + "a" * MAX_URL_LENGTH)
    assert too_long.value.code == "url_length"
    assert not is_http_url("https://example.org/" + "a" * MAX_URL_LENGTH)
    assert not is_http_url("https://example.org/\x00")


def test_forty_thousand_urls_are_refused_without_reading_them_all() -> None:
    import time

    many = [f"https://example.org/{n}" for n in range(40_000)]
    started = time.perf_counter()
    with pytest.raises(AnswerError):
        normalize(question("url"), many)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\ud800"])
def test_control_characters_are_refused_in_text(bad: str) -> None:
    with pytest.raises(AnswerError) as problem:
        normalize(question("text"), f"before{bad}after")
    assert problem.value.code == "control"


def test_line_breaks_and_tabs_are_text() -> None:
    assert normalize(question("text"), " one\n\ttwo\r\nthree ") == "one\n\ttwo\r\nthree"


def test_text_has_a_default_maximum_a_definition_may_change() -> None:
    from questionnaires.types.base import MAX_TEXT_LENGTH

    assert normalize(question("text"), "x" * MAX_TEXT_LENGTH) == "x" * MAX_TEXT_LENGTH
    with pytest.raises(AnswerError) as problem:
        normalize(question("text"), "x" * (MAX_TEXT_LENGTH + 1))
    assert problem.value.params == {"limit": MAX_TEXT_LENGTH, "length": MAX_TEXT_LENGTH + 1}
    with pytest.raises(AnswerError):
        normalize(question("text", max_length=10), "x" * 11)


def test_numbers_stay_within_the_safe_range_unless_narrowed() -> None:
    from questionnaires.types.base import MAX_NUMBER

    q = question("number", scored=False)
    assert normalize(q, MAX_NUMBER) == MAX_NUMBER
    assert normalize(q, -MAX_NUMBER) == -MAX_NUMBER
    for beyond in (1e25, 10**25, -1e16):
        with pytest.raises(AnswerError) as problem:
            normalize(q, beyond)
        assert problem.value.code in ("min", "max")
    # A definition narrows the range; it cannot widen it.
    assert normalize(question("number", scored=False, max=10), 10) == 10
    with pytest.raises(AnswerError) as problem:
        normalize(question("number", scored=False, max=1e20), 1e16)
    assert problem.value.params == {"limit": MAX_NUMBER}
