"""Answers as people read them: choice labels, "Yes", "Level 3", in the reader's language."""

from __future__ import annotations

import functools
from typing import Any

from flask_babel import force_locale
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from app.i18n import _, current_language
from questionnaires.schema import NOT_APPLICABLE, Question
from questionnaires.types import TYPES


def display_value(question: Question, value: Any, lang: str) -> str:
    """A stored answer as text; an empty string for no answer."""
    if value is None or value in ("", []):
        return ""
    with force_locale(lang):
        if value == NOT_APPLICABLE:
            return _("Not applicable")
        return _display(question, value, lang)


def _display(question: Question, value: Any, lang: str) -> str:
    return TYPES[question.type].display(question, value, lang, _)


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


def script_messages() -> Markup:
    """What the section page's script says (saving, saved, offline...), in the page's language,
    as JSON to put in the page."""
    return _script_messages(current_language())


@functools.cache
def _script_messages(lang: str) -> Markup:
    # Built once per language: a page would otherwise look up each message on every view.
    with force_locale(lang):
        messages = {
            "saving": _("Saving…"),
            "savedAt": _("All changes saved at {time}"),
            "unsaved": _("Unsaved changes…"),
            "offline": _(
                "Not saved: no connection. Your answers stay on this page and will be saved "
                "when the connection is back."
            ),
            "signedOut": _(
                "Not saved: you are signed out. Sign in again in another tab; your answers stay "
                "on this page and will be saved then."
            ),
            "notSaved": _("Some answers were not saved: see the messages next to them."),
            "conflict": _(
                "Not saved: {who} changed this answer meanwhile. Reload the page to see their "
                "answer, or press Save to choose."
            ),
        }
    return htmlsafe_json_dumps(messages)
