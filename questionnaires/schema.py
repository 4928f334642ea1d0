"""The questionnaire format. These pydantic models are its single source of truth.

YAML definitions are parsed into these models; the JSON Schema that editors use is generated from
them; forms, scoring and reports read them. Every model is frozen: a loaded definition never
changes.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

#: The six official languages of the United Nations, in the UN's own order.
LANGUAGES: tuple[str, ...] = ("ar", "zh", "en", "fr", "ru", "es")
LEVELS: tuple[int, ...] = (0, 1, 2, 3, 4)
NOT_APPLICABLE = "n/a"

NodeId = Annotated[
    str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$", max_length=120)
]
Score = Annotated[float, Field(ge=0, le=1)]
Weight = Annotated[float, Field(gt=0)]


class Strict(BaseModel):
    """Unknown keys are errors, so a typo never silently drops a rule."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(Strict):
    """A text in each of the six UN languages; none may be left out."""

    ar: Annotated[str, Field(min_length=1)]
    zh: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]
    fr: Annotated[str, Field(min_length=1)]
    ru: Annotated[str, Field(min_length=1)]
    es: Annotated[str, Field(min_length=1)]

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to English for a language we do not ship."""
        return str(getattr(self, lang if lang in LANGUAGES else "en"))


class QuestionType(StrEnum):
    """The names of the built-in question types (`questionnaires.types` holds every type)."""

    YES_NO = "yes_no"
    YES_NO_PARTIAL = "yes_no_partial"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    NUMBER = "number"
    TEXT = "text"
    DATE = "date"
    URL = "url"
    LEVEL = "level"


_BUILT_IN_NAMES = frozenset(t.value for t in QuestionType)


def _registered_type(name: str) -> str:
    from questionnaires.types import TYPES  # the types read this module

    if name not in TYPES:
        names = [f"'{n}'" for n in TYPES]
        expected = " or ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
        raise PydanticCustomError("enum", "Input should be {expected}", {"expected": expected})
    # A built-in type's name as its QuestionType member, so `q.type is QuestionType.X` holds.
    return QuestionType(name) if name in _BUILT_IN_NAMES else name


#: A registered question type's name; the JSON Schema lists them (`export.json_schema`).
TypeName = Annotated[str, AfterValidator(_registered_type), WithJsonSchema({"type": "string"})]


class EvidenceRule(StrEnum):
    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED_IF_POSITIVE = "required_if_positive"
    REQUIRED = "required"


class EvidenceKind(StrEnum):
    FILE = "file"
    LINK = "link"


class Evidence(Strict):
    rule: EvidenceRule = EvidenceRule.NONE
    kinds: tuple[EvidenceKind, ...] = (EvidenceKind.FILE, EvidenceKind.LINK)
    help: Text | None = None

    @field_validator("kinds")
    @classmethod
    def _kinds_not_empty(cls, kinds: tuple[EvidenceKind, ...]) -> tuple[EvidenceKind, ...]:
        if not kinds:
            raise ValueError("at least one kind of evidence (file, link) must be allowed")
        return kinds


class Choice(Strict):
    id: NodeId
    label: Text
    score: Score = 0.0


class Threshold(Strict):
    """A number at or above `min` earns `score` (the highest such threshold wins)."""

    min: float
    score: Score


# --- Conditions (`show_if`): a small structured grammar, evaluated without `eval`. ---

ScalarValue = bool | int | float | str


class Compare(Strict):
    """Compares one earlier question's answer; exactly one operator is given."""

    question: NodeId
    equals: ScalarValue | None = None
    in_: tuple[ScalarValue, ...] | None = Field(default=None, alias="in")
    answered: bool | None = None
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> Compare:
        given = [op for op in OPERATORS if getattr(self, op) is not None]
        if len(given) != 1:
            raise ValueError(
                "a comparison needs exactly one of: equals, in, answered, gt, gte, lt, lte"
            )
        return self

    @property
    def operator(self) -> str:
        return next(op for op in OPERATORS if getattr(self, op) is not None)

    @property
    def operand(self) -> Any:
        return getattr(self, self.operator)


OPERATORS = ("equals", "in_", "answered", "gt", "gte", "lt", "lte")


class AllOf(Strict):
    all: tuple[Condition, ...] = Field(min_length=1)


class AnyOf(Strict):
    any: tuple[Condition, ...] = Field(min_length=1)


class Not(Strict):
    not_: Condition = Field(alias="not")


Condition = Compare | AllOf | AnyOf | Not


def condition_references(condition: Condition) -> list[str]:
    """The question ids a condition reads, in order."""
    if isinstance(condition, Compare):
        return [condition.question]
    if isinstance(condition, Not):
        return condition_references(condition.not_)
    parts = condition.all if isinstance(condition, AllOf) else condition.any
    return [ref for part in parts for ref in condition_references(part)]


# --- The tree: sections (pillars or categories) -> indicators -> questions. ---


class Question(Strict):
    id: NodeId
    type: TypeName
    text: Text
    help: Text | None = None
    weight: Weight = 1.0
    required: bool = True
    not_applicable: bool = False
    scored: bool | None = None
    show_if: Condition | None = None
    evidence: Evidence = Evidence()
    choices: tuple[Choice, ...] | None = None
    partial_score: Score = 0.5
    thresholds: tuple[Threshold, ...] | None = None
    min: float | None = None
    max: float | None = None
    integer: bool = False
    unit: Text | None = None
    min_length: Annotated[int, Field(ge=0)] | None = None
    max_length: Annotated[int, Field(gt=0)] | None = None
    levels: dict[int, Text] | None = None

    @property
    def is_scored(self) -> bool:
        if self.scored is not None:
            return self.scored
        from questionnaires.types import TYPES

        return TYPES[self.type].scored_by_default

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices or () if c.id == choice_id), None)

    @model_validator(mode="after")
    def _fields_fit_type(self) -> Question:
        for problem in _type_problems(self):
            raise ValueError(problem)
        return self


#: Options some question types take, by group: a type lists the groups it takes (`options`).
_OPTION_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "choices": ("choices", ("choices",)),
    "levels": ("level descriptions", ("levels",)),
    "thresholds": ("thresholds, min or max", ("thresholds", "min", "max")),
    "length": ("min_length or max_length", ("min_length", "max_length")),
}


def _type_problems(q: Question) -> list[str]:
    """What the question's type requires, and options it does not take."""
    from questionnaires.types import TYPES

    kind = TYPES[q.type]
    problems = kind.problems(q)
    for group, (words, keys) in _OPTION_GROUPS.items():
        if group not in kind.options and any(_given(q, key) for key in keys):
            problems.append(f"a {q.type} question takes no {words}")
    if q.min is not None and q.max is not None and q.min > q.max:
        problems.append("min is greater than max")
    return problems


def _given(q: Question, key: str) -> bool:
    value = getattr(q, key)
    return bool(value) if key == "thresholds" else value is not None


class Indicator(Strict):
    id: NodeId
    title: Text
    help: Text | None = None
    weight: Weight = 1.0
    questions: tuple[Question, ...] = ()


class Section(Strict):
    """A pillar of the weighted model or a category of the levels model."""

    id: NodeId
    title: Text
    description: Text | None = None
    indicators: tuple[Indicator, ...] = ()

    def questions(self) -> list[Question]:
        return [q for ind in self.indicators for q in ind.questions]


class ScoreTier(Strict):
    """A tier of the weighted model: reached when the total is at least `min_score`."""

    id: NodeId
    name: Text
    min_score: Annotated[float, Field(ge=0, le=100)]


class LevelTier(Strict):
    """A tier of the levels model: reached when every parameter meets its minimum level."""

    id: NodeId
    name: Text
    default_min_level: Annotated[int, Field(ge=0, le=4)] = 0
    min_levels: dict[NodeId, Annotated[int, Field(ge=0, le=4)]] = {}

    def min_level(self, question_id: str) -> int:
        return self.min_levels.get(question_id, self.default_min_level)


class Replaces(Strict):
    """How answers of an earlier version carry forward: old question id -> new id (or null)."""

    version: Annotated[int, Field(ge=1)]
    questions: dict[NodeId, NodeId | None] = {}


def _text(ar: str, zh: str, en: str, fr: str, ru: str, es: str) -> Text:  # noqa: PLR0917 - UN order
    return Text(ar=ar, zh=zh, en=en, fr=fr, ru=ru, es=es)


#: The GCI 2024 tier model, used when a weighted definition declares no tiers of its own.
DEFAULT_SCORE_TIERS: tuple[ScoreTier, ...] = (
    ScoreTier(
        id="role_modelling",
        min_score=95,
        name=_text(
            "قدوة يُحتذى بها",
            "示范引领",
            "Role-modelling",
            "Exemplaire",
            "Образцовый уровень",
            "Modelo a seguir",
        ),
    ),
    ScoreTier(
        id="advancing",
        min_score=85,
        name=_text(
            "متقدمة", "稳步推进", "Advancing", "En progression", "Продвинутый уровень", "En avance"
        ),
    ),
    ScoreTier(
        id="establishing",
        min_score=55,
        name=_text(
            "في طور الترسيخ",
            "逐步确立",
            "Establishing",
            "En consolidation",
            "Уровень становления",
            "En consolidación",
        ),
    ),
    ScoreTier(
        id="evolving",
        min_score=20,
        name=_text(
            "في طور التطور",
            "不断发展",
            "Evolving",
            "En évolution",
            "Развивающийся уровень",
            "En evolución",
        ),
    ),
    ScoreTier(
        id="building",
        min_score=0,
        name=_text(
            "في طور البناء",
            "起步建设",
            "Building",
            "En construction",
            "Начальный уровень",
            "En construcción",
        ),
    ),
)


class Definition(Strict):
    id: NodeId
    version: Annotated[int, Field(ge=1)]
    model: Literal["weighted", "levels"]
    title: Text
    description: Text | None = None
    tiers: tuple[ScoreTier, ...] | tuple[LevelTier, ...] | None = None
    replaces: Replaces | None = None
    pillars: tuple[Section, ...] | None = None
    categories: tuple[Section, ...] | None = None

    @model_validator(mode="after")
    def _tree_fits_model(self) -> Definition:
        if self.model == "weighted" and (self.pillars is None or self.categories is not None):
            raise ValueError("a weighted definition has `pillars` and no `categories`")
        if self.model == "levels" and (self.categories is None or self.pillars is not None):
            raise ValueError("a levels definition has `categories` and no `pillars`")
        wanted = ScoreTier if self.model == "weighted" else LevelTier
        if self.tiers and not all(isinstance(t, wanted) for t in self.tiers):
            key = "min_score" if self.model == "weighted" else "min_levels"
            raise ValueError(f"tiers of a {self.model} definition are declared with `{key}`")
        if self.model == "levels" and not self.tiers:
            raise ValueError("a levels definition declares its tiers")
        return self

    @property
    def sections(self) -> tuple[Section, ...]:
        """Pillars or categories, whichever the model uses."""
        return self.pillars if self.pillars is not None else self.categories or ()

    @property
    def section_kind(self) -> Literal["pillars", "categories"]:
        return "pillars" if self.model == "weighted" else "categories"

    @property
    def effective_tiers(self) -> tuple[ScoreTier, ...] | tuple[LevelTier, ...]:
        """Declared tiers, highest (rank 1) first; the GCI defaults for a weighted model."""
        return self.tiers or DEFAULT_SCORE_TIERS

    def questions(self) -> list[Question]:
        """Every question in document order."""
        return [q for s in self.sections for q in s.questions()]

    @cached_property
    def question_index(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions()}

    def question(self, question_id: str) -> Question:
        return self.question_index[question_id]


# Conditions refer to themselves; resolve the forward references once everything is declared.
for _model in (AllOf, AnyOf, Not, Question, Definition):
    _model.model_rebuild()
