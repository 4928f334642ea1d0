from __future__ import annotations

from typing import Any

import pytest

from app.web import CONTENT_SECURITY_POLICY


def test_home_page_answers_with_security_headers(client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("accept", "lang", "direction"),
    [
        ("ar", "ar", "rtl"),
        ("zh-CN,zh;q=0.9", "zh", "ltr"),
        ("fr-FR", "fr", "ltr"),
        ("de", "en", "ltr"),
    ],
)
def test_page_language_follows_the_browser(
    client: Any, accept: str, lang: str, direction: str
) -> None:
    html = client.get("/", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in html
