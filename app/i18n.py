"""Languages: the six UN languages, the locale choice and the translation helpers."""

from __future__ import annotations

from babel import Locale
from flask import Flask, request, session
from flask_babel import force_locale, get_locale, gettext, lazy_gettext, ngettext, pgettext
from flask_login import current_user

from questionnaires.schema import LANGUAGES

_ = gettext
_l = lazy_gettext

__all__ = ["LANGUAGES", "_", "_l", "force_locale", "gettext", "ngettext", "pgettext"]

#: Set when a user picks a language for this sign-in (the header menu).
SESSION_LANGUAGE_KEY = "language"


def select_locale() -> str:
    """Profile setting, then the language chosen at sign-in, then the browser, then default."""
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LANGUAGES:
        return str(current_user.locale)
    chosen = session.get(SESSION_LANGUAGE_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    best = request.accept_languages.best_match(LANGUAGES)
    return best or _default_language()


def _default_language() -> str:
    from flask import current_app

    return str(current_app.config["DEFAULT_LANGUAGE"])


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def text_direction(lang: str) -> str:
    return Locale.parse(lang).text_direction[:3]  # 'ltr' or 'rtl'


def language_name(lang: str) -> str:
    """A language's name in itself (the menu shows each language in its own script)."""
    return str(Locale.parse(lang).get_display_name(lang))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        current_language=current_language,
        text_direction=text_direction,
        language_name=language_name,
        LANGUAGES=LANGUAGES,
    )
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
