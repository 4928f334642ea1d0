"""Forms built from questionnaire definitions: one class per definition, section and language.

Fields only collect what the browser sends; `questionnaires.answers.normalize_answer` decides
what is a valid answer, so the web form, the API and the command line accept exactly the same.
Each question type names the kind of field that asks it (`questionnaires.types`); `FIELD_MAKERS`
below makes each kind.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, ClassVar

from flask_babel import force_locale, format_decimal
from markupsafe import Markup
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import Label
from wtforms.widgets import CheckboxInput, ListWidget, RadioInput, TextInput

from app.forms import AppForm
from app.i18n import _, _l
from questionnaires.answers import AnswerError, AnswerValue, normalize_answer
from questionnaires.schema import NOT_APPLICABLE, Definition, Question, Section
from questionnaires.types import TYPES

NA_SUFFIX = ":na"


# --- Drawing the options once ---
#
# Radio buttons and tick boxes are most of a section page: the same few hundred inputs and labels,
# drawn again on every page view. What WTForms draws for one of them depends only on the values
# in the keys below, so each combination is drawn once per process and reused. The keys hold
# question and choice ids, labels and rendering arguments: a bounded set for the definitions in
# use, and the cache is emptied if it ever grows past its limit.

_MAX_DRAWN = 50_000
_drawn: dict[Hashable, Markup] = {}


def _drawn_once(key: Hashable, draw: Callable[[], Markup]) -> Markup:
    try:
        html = _drawn.get(key)
    except TypeError:  # an unhashable argument: draw it every time
        return draw()
    if html is None:
        html = draw()
        if len(_drawn) >= _MAX_DRAWN:
            _drawn.clear()
        _drawn[key] = html
    return html


def _input_key(widget: Any, field: Field, checked: bool, kwargs: dict[str, Any]) -> Hashable:
    """Everything `wtforms.widgets.Input` reads to draw `field`."""
    return (
        type(widget),
        field.id,
        field.name,
        field._value(),
        checked,
        getattr(field, "_datalist", None),
        tuple(sorted(vars(field.flags).items())),
        tuple(sorted(kwargs.items())),
    )


class _DrawnRadioInput(RadioInput):
    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        key = _input_key(self, field, bool(field.checked), kwargs)
        return _drawn_once(key, lambda: super(_DrawnRadioInput, self).__call__(field, **kwargs))


class _DrawnCheckboxInput(CheckboxInput):
    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        key = _input_key(self, field, bool(getattr(field, "checked", field.data)), kwargs)
        return _drawn_once(key, lambda: super(_DrawnCheckboxInput, self).__call__(field, **kwargs))


class _DrawnLabel(Label):
    def __call__(self, text: Any = None, **kwargs: Any) -> Markup:
        key = (_DrawnLabel, self.field_id, self.text, text, tuple(sorted(kwargs.items())))
        return _drawn_once(key, lambda: super(_DrawnLabel, self).__call__(text, **kwargs))


class _Option(RadioField._Option):
    """One radio button or tick box of a choice field, as WTForms makes them, drawn once."""

    label: Label

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label = _DrawnLabel(self.label.field_id, self.label.text)


class AnswerRadioField(RadioField):
    """Radio buttons where choosing nothing is allowed: an unanswered question, saved as such."""

    option_widget = _DrawnRadioInput()
    _Option = _Option

    def pre_validate(self, form: Any) -> None:
        if self.data not in (None, "", "None"):
            super().pre_validate(form)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = _DrawnCheckboxInput()
    _Option = _Option


class NotApplicableField(BooleanField):
    """The separate "not applicable" tick box of a question without a radio list."""

    widget = _DrawnCheckboxInput()


class DateInput(TextInput):
    input_type = "date"


class SectionForm(AppForm):
    """The answers of one section. `questions` lists the questions it asks, in order."""

    questions: ClassVar[tuple[Question, ...]] = ()
    lang: ClassVar[str] = "en"

    def raw_value(self, question: Question) -> Any:
        """What the browser sent for `question`, shaped for `normalize_answer`."""
        if (
            self._fields.get(question.id + NA_SUFFIX) is not None
            and self[question.id + NA_SUFFIX].data
        ):
            return NOT_APPLICABLE
        return TYPES[question.type].from_form(self[question.id].data)

    def answer_values(self) -> dict[str, AnswerValue | None]:
        """Normal-form values of the form's questions; field errors added where one is invalid."""
        values: dict[str, AnswerValue | None] = {}
        for question in self.questions:
            try:
                values[question.id] = normalize_answer(question, self.raw_value(question))
            except AnswerError as exc:
                self[question.id].errors = [*self[question.id].errors, answer_error_message(exc)]
        return values

    def validate_questions(self) -> bool:
        """Validate the question fields: CSRF is checked by the view."""
        ok = True
        for question in self.questions:
            ok = self[question.id].validate(self) and ok
        return ok


_ERROR_MESSAGES: dict[str, Any] = {
    "choice": _l("Choose one of the options."),
    "number": _l("Enter a number."),
    "integer": _l("Enter a whole number."),
    "min": _l("Enter a number of at least %(limit)s."),
    "max": _l("Enter a number of at most %(limit)s."),
    "min_length": _l("Enter at least %(limit)s characters."),
    "max_length": _l("Enter at most %(limit)s characters (you entered %(length)s)."),
    "date": _l("Enter a date as YYYY-MM-DD."),
    "url": _l("Enter full web addresses starting with http:// or https://, one per line."),
    "urls": _l("Enter at most %(limit)s web addresses."),
    "url_length": _l("Enter web addresses of at most %(limit)s characters each."),
    "control": _l("Remove the control characters (such as NUL) from this answer."),
    "level": _l("Choose a level from 0 to 4."),
    "not_applicable": _l("This question cannot be answered “not applicable”."),
}


def answer_error_message(error: AnswerError) -> str:
    """The user's-language message for an invalid answer."""
    template = _ERROR_MESSAGES.get(error.code)
    if template is None:
        return _("This answer is not valid.")
    params = {
        k: format_decimal(v) if isinstance(v, int | float) else v for k, v in error.params.items()
    }
    return str(template) % params


def _with_na(question: Question, choices: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    return [*choices, (NOT_APPLICABLE, _("Not applicable"))] if question.not_applicable else choices


def _select_choices(options: list[tuple[Any, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in options]


def _options(question: Question, lang: str) -> list[tuple[Any, str]]:
    return TYPES[question.type].form_choices(question, lang, _)


_FieldMaker = Callable[[Question, str, dict[str, Any]], Field]

#: The form field of each kind a question type names (`QuestionKind.field`): the one place the
#: app maps question types to WTForms.
FIELD_MAKERS: dict[str, _FieldMaker] = {
    "radio": lambda q, lang, kw: AnswerRadioField(
        choices=_select_choices(_with_na(q, _options(q, lang))), **kw
    ),
    "checkboxes": lambda q, lang, kw: CheckboxesField(
        choices=_select_choices(_options(q, lang)), validate_choice=False, **kw
    ),
    "number": lambda _q, _lang, kw: StringField(render_kw={"inputmode": "decimal"}, **kw),
    "date": lambda _q, _lang, kw: StringField(widget=DateInput(), **kw),
    "lines": lambda _q, _lang, kw: TextAreaField(render_kw={"rows": 2, "dir": "ltr"}, **kw),
    "textarea": lambda _q, _lang, kw: TextAreaField(render_kw={"rows": 4}, **kw),
}


def _field(question: Question, lang: str) -> Field:
    description = question.help.get(lang) if question.help else ""
    kwargs: dict[str, Any] = {"label": question.text.get(lang), "description": description}
    return FIELD_MAKERS[TYPES[question.type].field](question, lang, kwargs)


def _has_na_box(question: Question) -> bool:
    """Types without a radio list get a separate "not applicable" tick box."""
    return question.not_applicable and TYPES[question.type].field != "radio"


#: Form classes by definition digest, section, language and the questions they hold (none: all
#: of the section's). Bounded: forms of some questions (what an autosave sends) are as many as
#: the combinations saved together; after a clear, each is built again when next asked for.
_MAX_FORM_CLASSES = 5_000
_form_classes: dict[tuple[str, str, str, frozenset[str] | None], type[SectionForm]] = {}


def section_form_class(
    definition: Definition,
    digest: str,
    section: Section,
    lang: str,
    only: frozenset[str] | None = None,
) -> type[SectionForm]:
    """The form class of a section in a language, built once and reused by every request.

    With `only`, a form of just those questions of the section: an autosave reads the fields it
    was sent and need not build the others.
    """
    key = (digest, section.id, lang, only)
    form_class = _form_classes.get(key)
    if form_class is None:
        if len(_form_classes) >= _MAX_FORM_CLASSES:
            _form_classes.clear()
        form_class = _form_classes[key] = _build(section, lang, only)
    return form_class


def _build(section: Section, lang: str, only: frozenset[str] | None = None) -> type[SectionForm]:
    questions = tuple(q for q in section.questions() if only is None or q.id in only)
    attrs: dict[str, Any] = {"questions": questions, "lang": lang}
    with force_locale(lang):
        for question in questions:
            attrs[question.id] = _field(question, lang)
            if _has_na_box(question):
                attrs[question.id + NA_SUFFIX] = NotApplicableField(_("Not applicable"))
    return type(f"SectionForm_{section.id}_{lang}", (SectionForm,), attrs)


def form_data_for(values: dict[str, Any], questions: tuple[Question, ...]) -> dict[str, Any]:
    """Stored values as the form's initial data (the reverse of `SectionForm.raw_value`)."""
    data: dict[str, Any] = {}
    for question in questions:
        value = values.get(question.id)
        if value == NOT_APPLICABLE and _has_na_box(question):
            data[question.id + NA_SUFFIX] = True
        elif value == NOT_APPLICABLE:
            data[question.id] = value
        elif value is not None and value != ():
            data[question.id] = TYPES[question.type].to_form(value)
    return data
