"""A form on another site, posted to ours through the victim's browser, never gets saved; the
victim's own answers, kept when their session ended, still do."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.factories import DEFAULT_PASSWORD
from tests.functional.conftest import LAW, LiveServer, sign_in

pytestmark = pytest.mark.browser

OpenPage = Callable[..., Page]


def attacker_page(action: str, fields: dict[str, str]) -> bytes:
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
    )
    return (
        "<!doctype html><html><body>"
        f'<form id="f" method="post" action="{html.escape(action)}">{inputs}</form>'
        "<script>document.getElementById('f').submit()</script>"
        "</body></html>"
    ).encode()


@pytest.fixture
def other_site() -> Iterator[Callable[[bytes], str]]:
    """Another site, on another loopback address (so another site for the browser), serving
    whatever page the test gives it."""
    served: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = served.get("page", b"")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.2", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(page: bytes) -> str:
        served["page"] = page
        return f"http://127.0.0.2:{server.server_port}/"

    try:
        yield serve
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def sign_in_here(page: Page, email: str) -> None:
    """Sign in on the sign-in page the browser is on."""
    page.locator('input[name="email"]').fill(email)
    password = page.locator('input[name="password"]')
    password.fill(DEFAULT_PASSWORD)
    password.press("Enter")


def test_another_sites_form_is_never_saved_but_the_users_kept_answers_are(
    live_server: LiveServer, open_page: OpenPage, other_site: Callable[[bytes], str]
) -> None:
    seed = live_server.seed()
    email = seed.emails[0]
    section = f"{live_server.url}/survey/{seed.submission_id}/legal"
    page = open_page()
    sign_in(page, email)

    # Another site sends our form through this browser: it lands on the sign-in page (the
    # session cookie stays home), with nothing kept; signing in there offers nothing to send.
    page.goto(other_site(attacker_page(section, {"legal.cybercrime.law": "no"})))
    expect(page.locator('input[name="password"]')).to_be_visible()
    assert page.locator('input[name="replay"]').get_attribute("value") in ("", None)
    sign_in_here(page, email)
    expect(page.get_by_role("button", name=live_server.ui("en", "Send again"))).to_have_count(0)
    assert live_server.answers_of(seed.submission_id) == {}

    # The person's own answer, typed while their session ended, is kept and sent again.
    page.goto(section)
    page.context.clear_cookies()  # the session ends while the page is open
    question = page.locator('.question[data-question="legal.cybercrime.law"]')
    expect(question).to_contain_text(LAW["en"])
    page.route("**/autosave", lambda route: route.abort())  # only the page's own Save now
    question.locator('input[value="yes"]').check()
    page.get_by_role("button", name=live_server.ui("en", "Save")).first.click()
    sign_in_here(page, email)
    page.get_by_role("button", name=live_server.ui("en", "Send again")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    assert live_server.answers_of(seed.submission_id) == {"legal.cybercrime.law": "yes"}
