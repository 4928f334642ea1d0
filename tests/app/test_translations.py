"""The interface in six languages: the catalogues hold exactly the messages of the code and
templates, every language translates all of them, and the app serves the compiled catalogues.

English is the source language; app/translations holds the template (messages.pot) and one
catalogue per other language. `make translations` re-extracts and updates them.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app import PROJECT_ROOT
from questionnaires.schema import LANGUAGES

TRANSLATIONS = PROJECT_ROOT / "app" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
UPDATE = "make translations"

#: As in the Makefile's EXTRACT_OPTIONS: the default keywords plus the lazy ones.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
COMMENT_TAGS = ["i18n:"]

#: `%(name)s`, `%d`, `%%`: what Python's % operator reads. Jinja applies it to every message of a
#: template, so a stray `%` in any translation breaks the page.
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
#: `{time}`: placeholders that survey.js fills in.
BRACES = re.compile(r"\{\w*\}")

MessageId = str | tuple[str, ...]
Key = tuple[MessageId, str | None]


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _catalogue(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def _keys(catalog: Catalog) -> set[Key]:
    return {(message.id, message.context) for message in catalog if message.id}


def _not_ignored(dirname: str) -> bool:
    """As `--ignore-dirs='.* __pycache__'`: the virtualenv and caches are not searched."""
    name = os.path.basename(dirname)
    return not (name.startswith(".") or name == "__pycache__")


def extract(root: Path) -> Catalog:
    """What `pybabel extract -F babel.cfg` finds under `root` (with the project's babel.cfg)."""
    with (PROJECT_ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        directory_filter=_not_ignored,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def out_of_date(extracted: Catalog, committed: Catalog) -> str | None:
    """What the committed template lacks or holds in excess, said so that it can be fixed."""
    missing = sorted(_keys(extracted) - _keys(committed), key=str)
    unused = sorted(_keys(committed) - _keys(extracted), key=str)
    if not missing and not unused:
        return None
    lines = [
        f"app/translations/messages.pot is out of date: run `{UPDATE}`, then translate the new "
        "messages in app/translations/*/LC_MESSAGES/messages.po."
    ]
    for msgid, _context in missing:
        where = ", ".join(sorted({path for path, _line in extracted[msgid].locations}))
        lines.append(f"  not in the catalogue: {msgid!r} ({where})")
    lines += [f"  no longer used: {msgid!r}" for msgid, _context in unused]
    return "\n".join(lines)


def test_the_catalogue_has_exactly_the_messages_of_the_code_and_templates() -> None:
    problem = out_of_date(extract(PROJECT_ROOT), _read(TEMPLATE))
    assert problem is None, problem


def test_a_message_added_to_a_template_is_reported_with_the_command_to_run(
    tmp_path: Path,
) -> None:
    page = tmp_path / "templates" / "feature" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        "<h1>{% trans %}Sign in{% endtrans %}</h1><p>{% trans %}Brand new{% endtrans %}"
    )
    committed = Catalog()
    committed.add("Sign in")
    committed.add("Gone")
    problem = out_of_date(extract(tmp_path), committed) or ""
    assert "not in the catalogue: 'Brand new' (templates/feature/page.html)" in problem
    assert "no longer used: 'Gone'" in problem
    assert "Sign in" not in problem
    assert f"`{UPDATE}`" in problem


def _placeholders(text: str) -> Counter[str]:
    return Counter(PERCENT.findall(text) + BRACES.findall(text))


def _translation_problems(message: Message, translated: Message | None, forms: int) -> list[str]:
    if translated is None:
        return ["missing"]
    if translated.fuzzy:
        return ["fuzzy (check the translation, then remove the fuzzy flag)"]
    if isinstance(message.id, tuple):
        return _plural_problems(message.id[1], translated.string, forms)
    if not translated.string:
        return ["empty"]
    if _placeholders(translated.string) != _placeholders(message.id):
        return [f"placeholders differ: {translated.string!r}"]
    return []


def _plural_problems(plural: str, translated: Any, forms: int) -> list[str]:
    strings = translated if isinstance(translated, tuple) else ()
    if len(strings) != forms or not all(strings):
        return [f"needs {forms} plural forms, has {sum(1 for s in strings if s)}"]
    # A form may write its number out in words (Arabic says "one question", "two questions"),
    # but no form may bring a placeholder of its own, and the general (last) form has them all.
    source = _placeholders(plural)
    problems = [f"unknown placeholder in {s!r}" for s in strings if _placeholders(s) - source]
    if _placeholders(strings[-1]) != source:
        problems.append(f"placeholders differ: {strings[-1]!r}")
    return problems


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang: str) -> None:
    template = _read(TEMPLATE)
    catalog = _read(_catalogue(lang), locale=lang)
    assert catalog.locale is not None
    assert str(catalog.locale) == lang
    assert not catalog.fuzzy, "a fuzzy catalogue header keeps the catalogue from being compiled"
    problems = [
        f"  {message.id!r}: {problem}"
        for message in template
        if message.id
        for problem in _translation_problems(
            message, catalog.get(message.id, message.context), catalog.num_plurals
        )
    ]
    problems += [
        f"  {msgid!r}: not in messages.pot" for msgid, _ in _keys(catalog) - _keys(template)
    ]
    assert not problems, f"{_catalogue(lang).relative_to(PROJECT_ROOT)}:\n" + "\n".join(problems)


def _compiled(lang: str) -> Path:
    source = _catalogue(lang)
    compiled = source.with_suffix(".mo")
    if not compiled.is_file() or compiled.stat().st_mtime < source.stat().st_mtime:
        pytest.fail(
            f"{compiled.relative_to(PROJECT_ROOT)} is missing or older than its .po file: run "
            "`make install` (or `.venv/bin/pybabel compile -d app/translations`)"
        )
    return compiled


@pytest.mark.parametrize("lang", TRANSLATED)
def test_pages_are_served_from_the_compiled_catalogues(client: Any, lang: str) -> None:
    _compiled(lang)
    sign_in = _read(_catalogue(lang), locale=lang).get("Sign in")
    assert sign_in is not None
    assert sign_in.string != "Sign in"
    html = client.get("/", headers={"Accept-Language": lang}).get_data(as_text=True)
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert f'<a href="/sign-in">{sign_in.string}</a>' in html
    assert ">Sign in<" not in html


def test_english_pages_use_the_source_messages(client: Any) -> None:
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert '<a href="/sign-in">Sign in</a>' in html


def test_plural_forms_follow_each_languages_rules(app: Any) -> None:
    from flask_babel import force_locale, ngettext

    for lang in TRANSLATED:
        _compiled(lang)
    message = (
        "%(answered)s of %(total)s answered, %(count)s required question still open",
        "%(answered)s of %(total)s answered, %(count)s required questions still open",
    )

    def say(lang: str, count: int) -> str:
        with app.test_request_context(), force_locale(lang):
            return str(ngettext(*message, count, answered=1, total=30, count=count))

    assert "سؤالان" in say("ar", 2)  # the dual
    assert "أسئلة" in say("ar", 3)
    assert "سؤالًا" in say("ar", 11)
    assert say("ru", 1).endswith("1 обязательный вопрос")
    assert say("ru", 3).endswith("3 обязательных вопроса")
    assert say("ru", 5).endswith("5 обязательных вопросов")
    assert say("fr", 1).endswith("1 question obligatoire sans réponse")
    assert say("fr", 2).endswith("2 questions obligatoires sans réponse")
    assert say("es", 2).endswith("2 preguntas obligatorias pendientes")
    assert "7" in say("zh", 7)
