"""Languages: the six UN languages, the locale choice and the translation helpers.

The interface's messages are in app/translations (one catalogue per language; English is the
source). After changing a message in the code or a template, run `make translations`.
"""

from __future__ import annotations

import functools
from typing import Any

from babel import Locale
from flask import Flask, Response, current_app, has_request_context, request, session
from flask_babel import (
    force_locale,
    get_locale,
    get_translations,
    gettext,
    lazy_gettext,
    ngettext,
    pgettext,
)
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from questionnaires.schema import LANGUAGES

_ = gettext
_l = lazy_gettext

__all__ = ["LANGUAGES", "_", "_l", "force_locale", "gettext", "ngettext", "pgettext"]

#: Set when a user picks a language for this sign-in (the header menu).
SESSION_LANGUAGE_KEY = "language"


def select_locale() -> str:
    """Profile setting, then the language chosen in this session, then the browser, then the
    default (also outside a request, e.g. in a CLI command that did not force a locale)."""
    if not has_request_context():
        return _default_language()
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LANGUAGES:
        return str(current_user.locale)
    chosen = session.get(SESSION_LANGUAGE_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    return browser_language() or _default_language()


def browser_language() -> str | None:
    """The first of the browser's languages (by preference) that the app speaks, matched on the
    language alone: `en-GB, fr;q=0.9` is English, `zh-TW` Chinese. `*` means no preference."""
    for value, quality in request.accept_languages:
        if quality <= 0:
            continue
        if value == "*":
            return None
        language = value.replace("_", "-").split("-")[0].lower()
        if language in LANGUAGES:
            return language
    return None


def _default_language() -> str:
    return str(current_app.config["DEFAULT_LANGUAGE"])


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


@functools.cache
def text_direction(lang: str) -> str:
    return Locale.parse(lang).text_direction[:3]  # 'ltr' or 'rtl'


@functools.cache
def language_name(lang: str) -> str:
    """A language's name in itself, capitalised as a menu item: "Français", "Русский", "中文"
    (the menu shows each language in its own script)."""
    name = str(Locale.parse(lang).get_display_name(lang))
    return name[:1].upper() + name[1:]


def language_menu_return_path() -> str | None:
    """Where the language menu leads back to: this page, if it can be fetched again (a page shown
    in answer to a form, like a failed sign-in, is fetched by its address without the form)."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    try:
        current_app.url_map.bind_to_environ(request.environ).match(request.path, method="GET")
    except HTTPException:  # POST only, or not a page at all
        return None
    return request.path


def _vary_on_language(response: Response) -> Response:
    """Pages depend on the browser's languages (the session cookie is varied on by Flask)."""
    if request.endpoint != "static":
        response.vary.add("Accept-Language")
    return response


def _catalogue() -> Any:
    """The translations of the current locale, remembered per app and locale.

    A page asks for a hundred messages and more, and Flask-Babel finds the catalogue anew for each
    (its context, the domain, the locale's name). The locale is still Flask-Babel's choice,
    `force_locale` included; only where its catalogue is found is remembered.
    """
    locale = get_locale()
    if locale is None:  # outside an app context
        return get_translations()
    catalogues: dict[Locale, Any] = current_app.extensions["i18n_catalogues"]
    found = catalogues.get(locale)
    if found is None:
        found = catalogues[locale] = get_translations()
    return found


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        current_language=current_language,
        text_direction=text_direction,
        language_name=language_name,
        language_menu_return_path=language_menu_return_path,
        LANGUAGES=LANGUAGES,
    )
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    # Templates translate through `_catalogue`, newstyle as with Flask-Babel's own callables.
    app.extensions["i18n_catalogues"] = {}
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _catalogue().ugettext(s),
        ngettext=lambda s, p, n: _catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: _catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: _catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.after_request(_vary_on_language)
