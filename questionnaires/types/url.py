"""url: a tuple of distinct http(s) URLs, at most MAX_URLS of them, each at most MAX_URL_LENGTH
characters."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from questionnaires.types.base import (
    MAX_URL_LENGTH,
    MAX_URLS,
    Formats,
    Gettext,
    QuestionKind,
    Shown,
    fail,
    has_control_characters,
)

if TYPE_CHECKING:
    from questionnaires.schema import Question

SAMPLE_LINK = "https://www.example.gov/cybersecurity/{}"


def is_http_url(value: Any) -> bool:
    """An absolute http or https URL with a host, no spaces or control characters, and at most
    MAX_URL_LENGTH characters."""
    if not isinstance(value, str) or len(value) > MAX_URL_LENGTH:
        return False
    if any(c.isspace() for c in value) or has_control_characters(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced [ in the host
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class Url(QuestionKind):
    name = "url"
    field = "lines"
    script = "lines"
    macro = "survey/types/lines.html"

    def normalize(self, question: Question, raw: Any) -> tuple[str, ...]:
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple):
            raise fail(question, f"expected a URL or a list of URLs, got {raw!r}", "url")
        if len(items) > MAX_URLS:
            raise fail(question, f"expected at most {MAX_URLS} URLs", "urls", limit=MAX_URLS)
        urls: dict[str, None] = {}  # distinct, in the order given
        for item in items:
            url = item.strip() if isinstance(item, str) else item
            if isinstance(url, str) and len(url) > MAX_URL_LENGTH:
                raise fail(question, "a URL is too long", "url_length", limit=MAX_URL_LENGTH)
            if not is_http_url(url):
                raise fail(question, f"expected an http(s) URL, got {item!r}", "url")
            urls[url] = None
        return tuple(urls)

    def from_form(self, data: Any) -> Any:
        return [line.strip() for line in str(data or "").splitlines() if line.strip()]

    def to_form(self, value: Any) -> Any:
        return "\n".join(value)

    def display(self, question: Question, value: Any, lang: str, _: Gettext) -> str:
        return "\n".join(value) if isinstance(value, list | tuple) else str(value)

    def shown(self, question: Question, value: Any, fmt: Formats) -> Shown:
        items = list(value) if isinstance(value, list | tuple) else [value]
        return Shown("text", tuple(str(item) for item in items))

    def sample(self, question: Question, p: float, rng: random.Random) -> list[str]:
        return [SAMPLE_LINK.format(question.id.replace(".", "/"))]

    def answers_hint(self, question: Question) -> str:
        return "an http(s) URL"

    def can_equal(self, question: Question, value: Any) -> bool:
        return isinstance(value, str) and is_http_url(value.strip())


KIND = Url()
