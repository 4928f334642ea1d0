"""The language menu and the order in which the interface language is chosen: the profile's
language, then the one picked in this session, then the browser's, then DEFAULT_LANGUAGE."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.i18n import SESSION_LANGUAGE_KEY, browser_language, select_locale
from tests.app.conftest import csrf_token, login
from tests.factories import UserFactory


def page_language(client: Any, url: str = "/", accept: str = "en") -> str:
    html = client.get(url, headers={"Accept-Language": accept}).get_data(as_text=True)
    match = re.search(r'<html lang="(\w+)"', html)
    assert match, html[:300]
    return match.group(1)


def choose(client: Any, language: str, page: str = "/sign-in") -> Any:
    """Press a language in the menu of `page`, as a browser would."""
    html = client.get(page).get_data(as_text=True)
    action = re.search(r'<form method="post" action="(/language[^"]*)"', html)
    assert action, "no language menu on the page"
    return client.post(
        action.group(1).replace("&amp;", "&"),
        data={"csrf_token": csrf_token(html), "language": language},
    )


def test_the_menu_offers_every_language_in_its_own_script(client: Any) -> None:
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    names = {"ar": "العربية", "zh": "中文", "en": "English", "fr": "Français", "ru": "Русский"}
    for lang, name in {**names, "es": "Español"}.items():
        direction = "rtl" if lang == "ar" else "ltr"
        assert (
            f'name="language" value="{lang}" lang="{lang}"\n                  dir="{direction}"'
            in html
        )
        assert f">{name}</button>" in html
    assert 'value="fr" lang="fr"\n                  dir="ltr" aria-current="true">' in html
    assert html.count('action="/language?next=/"') == 1


def test_a_visitors_choice_holds_for_the_session_whatever_the_browser_says(client: Any) -> None:
    assert page_language(client, accept="es") == "es"
    response = choose(client, "ar")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"  # back to the page it was chosen on
    assert page_language(client, accept="es") == "ar"
    with client.session_transaction() as session:
        assert session[SESSION_LANGUAGE_KEY] == "ar"


def test_a_signed_in_users_choice_becomes_their_profile_language(
    client: Any, db_session: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    response = choose(client, "zh", page="/survey/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/survey/"
    db_session.expire_all()
    assert focal_point.locale == "zh"
    assert page_language(client, "/survey/", accept="ru") == "zh"


def test_the_profile_language_comes_before_the_sessions_and_the_browsers(
    client: Any, db_session: Any
) -> None:
    user = UserFactory(locale="ru")
    login(client, user)
    with client.session_transaction() as session:
        session[SESSION_LANGUAGE_KEY] = "fr"
    assert page_language(client, "/survey/", accept="es") == "ru"


def test_without_a_profile_language_the_sessions_comes_before_the_browsers(
    client: Any, db_session: Any
) -> None:
    user = UserFactory(locale=None)
    login(client, user)
    assert page_language(client, "/survey/", accept="es") == "es"
    with client.session_transaction() as session:
        session[SESSION_LANGUAGE_KEY] = "fr"
    assert page_language(client, "/survey/", accept="es") == "fr"


def test_the_default_language_when_the_browser_asks_for_none_of_the_six(
    app: Any, client: Any, monkeypatch: Any
) -> None:
    assert page_language(client, accept="de, pt;q=0.5") == "en"
    monkeypatch.setitem(app.config, "DEFAULT_LANGUAGE", "fr")
    assert page_language(client, accept="de") == "fr"
    assert page_language(client, accept="*") == "fr"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("en-GB,fr;q=0.9", "en"),  # matched on the language, before the next preference
        ("fr-CA", "fr"),
        ("zh-TW,zh;q=0.9", "zh"),
        ("es-419", "es"),
        ("AR-eg", "ar"),
        ("ru;q=0, es;q=0.5", "es"),  # q=0 means "not this one"
        ("de;q=0.9, ru;q=0.8", "ru"),
        ("*", None),
        ("de, *;q=0.5", None),
        ("", None),
    ],
)
def test_browser_language(app: Any, accept: str, expected: str | None) -> None:
    with app.test_request_context(headers={"Accept-Language": accept}):
        assert browser_language() == expected


def test_outside_a_request_the_locale_is_the_default(app: Any) -> None:
    with app.app_context():
        assert select_locale() == app.config["DEFAULT_LANGUAGE"]


def test_pages_say_that_they_vary_with_the_browsers_language(client: Any) -> None:
    assert "Accept-Language" in client.get("/").headers["Vary"]
    static = client.get("/static/app.css")
    static.close()
    assert "Accept-Language" not in static.headers.get("Vary", "")


@pytest.mark.parametrize("value", ["", "de", "EN", "en-GB", "../fr"])
def test_an_unknown_language_is_refused(
    app: Any, client: Any, monkeypatch: Any, value: str
) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    assert client.post("/language", data={"language": value}).status_code == 400
    with client.session_transaction() as session:
        assert SESSION_LANGUAGE_KEY not in session


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/survey/?x=1", "/survey/?x=1"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("survey", "/"),
        (None, "/"),
    ],
)
def test_the_menu_leads_back_to_pages_of_this_site_only(
    app: Any, client: Any, monkeypatch: Any, target: str | None, location: str
) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    query = {"next": target} if target is not None else {}
    response = client.post("/language", query_string=query, data={"language": "fr"})
    assert response.status_code == 302
    assert response.headers["Location"] == location


def test_a_choice_needs_the_pages_csrf_token(client: Any) -> None:
    client.get("/")
    response = client.post("/language", data={"language": "ru"})
    assert response.status_code != 302
    with client.session_transaction() as session:
        assert SESSION_LANGUAGE_KEY not in session


def test_a_page_shown_after_a_form_leads_back_to_its_address(app: Any) -> None:
    from app.i18n import language_menu_return_path

    with app.test_request_context("/sign-in", method="POST"):
        assert language_menu_return_path() == "/sign-in"
    with app.test_request_context("/sign-out", method="POST"):  # a form's target, not a page
        assert language_menu_return_path() is None
    with app.test_request_context("/survey/?page=2"):
        assert language_menu_return_path() == "/survey/?page=2"
