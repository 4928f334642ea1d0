"""Answers as people read them: choice labels, "Yes", "Level 3", in the reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale

from app.i18n import _
from questionnaires.schema import NOT_APPLICABLE, Question, QuestionType


def display_value(question: Question, value: Any, lang: str) -> str:
    """A stored answer as text; an empty string for no answer."""
    if value is None or value in ("", []):
        return ""
    with force_locale(lang):
        if value == NOT_APPLICABLE:
            return _("Not applicable")
        return _display(question, value, lang)


def _display(question: Question, value: Any, lang: str) -> str:
    match question.type:
        case QuestionType.YES_NO | QuestionType.YES_NO_PARTIAL:
            # i18n: answers to a yes/no question, as shown in lists and comparisons
            return {"yes": _("Yes"), "no": _("No"), "partial": _("Partially")}.get(
                value, str(value)
            )
        case QuestionType.SINGLE_CHOICE | QuestionType.MULTI_CHOICE:
            chosen = [value] if isinstance(value, str) else list(value)
            labels = [(c.label.get(lang) if (c := question.choice(v)) else v) for v in chosen]
            return "; ".join(labels)
        case QuestionType.LEVEL:
            return _("Level %(n)s", n=value)
        case QuestionType.URL:
            return "\n".join(value) if isinstance(value, list | tuple) else str(value)
    return str(value)


def status_text(status: str) -> str:
    labels = {
        # i18n: this and the next four are the status of a country's questionnaire (a submission)
        "draft": _("Draft"),
        "submitted": _("Submitted for review"),
        "returned": _("Returned for changes"),
        "validated": _("Validated"),
        "published": _("Published"),
    }
    return labels.get(status, status)
