"""Every question type has every part, and a new type needs one module and its macro.

`missing_parts` lists what a registered type lacks: its schema options, normaliser, credit,
display (page and PDF), form field, macro, script flag, demo-data generator, lint rules and export.
The second half defines a type the way docs/development.md ("Adding a question type") says, and
follows it through the form, saving, progress, scoring and display.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from flask import Flask
from jinja2 import ChoiceLoader, DictLoader

from app import PROJECT_ROOT
from app.scorecards.context import shown_answer
from app.survey.display import display_value
from app.survey.forms import FIELD_MAKERS, section_form_class
from app.survey.progress import section_progress
from questionnaires.answers import AnswerError, normalize_answer
from questionnaires.export import content_hash, export_definition
from questionnaires.loader import definition_from_json
from questionnaires.plan import credit_function
from questionnaires.schema import Definition, Question
from questionnaires.types import TYPES, register, unregister
from questionnaires.types.base import Formats, Gettext, QuestionKind, Shown, fail
from scoring import score
from tests.app.conftest import login, page_form, t

SCRIPT = (PROJECT_ROOT / "app" / "static" / "survey.js").read_text(encoding="utf-8")
#: The ways survey.js reads an answer: the keys of its `readers`.
SCRIPT_READERS = set(
    re.findall(r"^    (\w+): \(", SCRIPT.split("const readers = {")[1].split("};")[0], re.M)
)
#: What each type must write for itself (the base class has no sensible default).
OWN_METHODS = ("normalize", "sample", "answers_hint")


class _Formats:
    lang = "en"

    def number(self, value: float) -> str:
        return f"{value:,}"

    def date(self, value: Any) -> str:
        return str(value)


def definition_with(kind: QuestionKind) -> Definition:
    """A definition with one question of `kind`, built from its example options."""
    question = {"id": "s.i.q", "type": kind.name, "text": t("Q"), **kind.example}
    indicator = {"id": "s.i", "title": t("I"), "questions": [question]}
    section = {"id": "s", "title": t("S"), "indicators": [indicator]}
    data = {"id": f"parts-{kind.name}", "version": 1, "model": "weighted", "title": t("P")}
    return definition_from_json({**data, "pillars": [section]})


def missing_parts(app: Flask, kind: QuestionKind) -> list[str]:
    """The parts `kind` lacks, by name; empty when it is complete."""
    missing = [
        f"{name} (its own)"
        for name in OWN_METHODS
        if getattr(type(kind), name) is getattr(QuestionKind, name)
    ]
    if missing:
        return missing
    try:
        definition = definition_with(kind)  # schema: its example options are accepted
    except ValueError as exc:
        return [f"schema: {exc}"]
    question = definition.question("s.i.q")
    raw = kind.sample(question, 0.9, random.Random(1))  # noqa: S311 - demo data
    try:
        value = normalize_answer(question, raw)  # normaliser
    except AnswerError as exc:
        return [f"demo data or normaliser: {exc}"]
    assert value is not None
    missing += _scoring_parts(question, value)
    missing += _display_parts(app, question, kind, value)
    missing += _form_parts(app, definition, question, kind, value)
    if not isinstance(kind.answers_hint(question), str) or not isinstance(
        kind.lint(question), list
    ):
        missing.append("lint rules")
    exported = export_definition(definition)["pillars"][0]["indicators"][0]["questions"][0]
    if exported["type"] != kind.name or not {"partial_score", "integer"} <= set(exported):
        missing.append("export")
    return missing


def _scoring_parts(question: Question, value: Any) -> list[str]:
    credit = credit_function(question.model_copy(update={"scored": True}), "weighted")
    if credit is None or not 0 <= credit(value) <= 1:
        return ["credit"]
    return []


def _display_parts(app: Flask, question: Question, kind: QuestionKind, value: Any) -> list[str]:
    missing = []
    with app.test_request_context():
        if not display_value(question, value, "en"):
            missing.append("display (page)")
    if not isinstance(kind.shown(question, value, _Formats()), Shown):
        missing.append("display (PDF)")
    if not isinstance(kind.counts_toward_progress, bool):
        missing.append("progress")
    return missing


def _form_parts(
    app: Flask, definition: Definition, question: Question, kind: QuestionKind, value: Any
) -> list[str]:
    if kind.field not in FIELD_MAKERS:
        return ["form field"]
    missing = []
    with app.test_request_context():
        digest = content_hash(definition)
        form_class = section_form_class(definition, digest, definition.sections[0], "en")
        data = {question.id: kind.to_form(value)}
        form = form_class(formdata=None, data=data, meta={"csrf": False})
        if normalize_answer(question, kind.from_form(form[question.id].data)) != value:
            missing.append("form field (its value does not come back)")
        template = app.jinja_env.get_template(kind.macro)
        if not hasattr(template.module, "answer"):
            missing.append("macro")
    if kind.script not in SCRIPT_READERS:
        missing.append("script flag")
    return missing


@pytest.mark.parametrize("name", list(TYPES))
def test_every_registered_type_has_every_part(app: Flask, name: str) -> None:
    assert missing_parts(app, TYPES[name]) == []


def test_a_type_without_its_own_normaliser_is_incomplete(app: Flask) -> None:
    class Half(QuestionKind):
        name = "half"
        field = "textarea"
        script = "text"

    assert missing_parts(app, Half()) == [
        "normalize (its own)",
        "sample (its own)",
        "answers_hint (its own)",
    ]


# --- A new type, as docs/development.md describes: one module and its macro ---


class Percent(QuestionKind):
    """percent: a whole number 0-100, worth that share of full credit (the docs' example)."""

    name = "percent"
    scored_by_default = True
    compares_numbers = True
    field = "number"
    script = "number"
    macro = "survey/types/percent.html"
    example: ClassVar[dict[str, Any]] = {}

    def normalize(self, question: Question, raw: Any) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != int(raw):
            raise fail(question, f"expected a whole number, got {raw!r}", "integer")
        if not 0 <= raw <= 100:
            code, limit = ("min", 0) if raw < 0 else ("max", 100)
            raise fail(question, f"{raw} is not a percentage", code, limit=limit)
        return int(raw)

    def from_form(self, data: Any) -> Any:
        return TYPES["number"].from_form(data)

    def credit(self, question: Question) -> Any:
        return lambda value: value / 100

    def is_positive(self, question: Question, value: Any) -> bool:
        return bool(value >= 50)

    def display(self, question: Question, value: Any, lang: str, _: Gettext) -> str:
        return f"{value} %"

    def shown(self, question: Question, value: Any, fmt: Formats) -> Shown:
        return Shown("text", (f"{fmt.number(value)} %",))

    def sample(self, question: Question, p: float, rng: random.Random) -> int:
        return round(p * 100)

    def answers_hint(self, question: Question) -> str:
        return "a whole number 0-100"


PERCENT_MACRO = """
{% import "survey/types/input.html" as input %}
{% macro answer(q, field, editable, lang) %}
  {{- input.answer(q, field, editable, lang) -}}<span class="percent-sign">%</span>
{% endmacro %}
"""

QUESTION = "legal.share.covered"


@pytest.fixture
def percent(app: Flask) -> Iterator[QuestionKind]:
    kind = register(Percent())
    loader = app.jinja_env.loader
    assert loader is not None
    app.jinja_env.loader = ChoiceLoader([DictLoader({kind.macro: PERCENT_MACRO}), loader])
    try:
        yield kind
    finally:
        app.jinja_env.loader = loader
        unregister(kind.name)


@pytest.fixture
def definition(percent: QuestionKind) -> Definition:
    """The campaign's definition (it replaces tests/app/conftest.py's): a percent question."""
    questions = [
        {"id": "legal.share.exists", "type": "yes_no", "text": t("Exists")},
        {"id": QUESTION, "type": "percent", "text": t("Share covered"), "weight": 3},
    ]
    indicator = {"id": "legal.share", "title": t("Share"), "questions": questions}
    other = {
        "id": "technical.cirt",
        "title": t("CIRT"),
        "questions": [{"id": "technical.cirt.exists", "type": "yes_no", "text": t("CIRT")}],
    }
    return definition_from_json(
        {
            "id": "percent-survey",
            "version": 1,
            "model": "weighted",
            "title": t("Percent survey"),
            "pillars": [
                {"id": "legal", "title": t("Legal"), "indicators": [indicator]},
                {"id": "technical", "title": t("Technical"), "indicators": [other]},
            ],
        }
    )


def test_a_new_type_is_complete(app: Flask, percent: QuestionKind) -> None:
    assert missing_parts(app, percent) == []


def test_a_new_type_flows_through_form_save_progress_score_and_display(
    app: Flask, client: Any, definition: Definition, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    page_url = f"/survey/{submission.id}/legal"
    # Form: its field and macro on the page, with the script's flag.
    html, hidden = page_form(client, page_url)
    assert f'data-question="{QUESTION}" data-type="percent" data-read="number"' in html
    assert f'name="{QUESTION}"' in html
    assert 'class="percent-sign"' in html
    # Save: refused out of range, in the user's language; kept in range.
    refused = client.post(page_url, data={**hidden, QUESTION: "140"})
    assert refused.status_code == 422
    assert "Enter a number of at most 100." in refused.get_data(as_text=True)
    _, hidden = page_form(client, page_url)
    assert client.post(page_url, data={**hidden, QUESTION: "60"}).status_code == 302
    html, _ = page_form(client, page_url)
    assert f'id="{QUESTION}" inputmode="decimal" name="{QUESTION}" type="text" value="60"' in html
    # Progress: it counts as an answered question of its section.
    legal = section_progress(definition, {QUESTION: 60})[0]
    assert (legal.answered, legal.total) == (1, 2)
    assert "1 of 2 answered" in html
    # Score: 60 % of full credit, weighted 3 against the yes/no question's 1.
    profile = score(definition, {QUESTION: 60, "legal.share.exists": "yes"})
    assert profile.sections[0].indicators[0].score == pytest.approx((3 * 0.6 + 1) / 4)
    # Display: on the page (as a conflict shows it) and in the scorecard's appendix.
    question = definition.question(QUESTION)
    with app.test_request_context():
        assert display_value(question, 60, "fr") == "60 %"
    assert shown_answer(question, 60, _Formats()) == Shown("text", ("60 %",))  # type: ignore[arg-type]
    assert "60 %" in client.get(f"/scorecards/{submission.id}/?lang=en").get_data(as_text=True)


def test_the_json_schema_names_a_registered_type(percent: QuestionKind) -> None:
    from questionnaires.export import json_schema

    assert "percent" in json_schema()["$defs"]["QuestionType"]["enum"]
