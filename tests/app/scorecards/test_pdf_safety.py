"""WeasyPrint fetches nothing but the app's own PDF assets, and every user text is escaped: an
answer holding HTML that points at a local file or a remote URL embeds nothing."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from app import pdf as pdf_module
from app.pdf import ASSET_BASE_URL, ASSET_FOLDER, AssetFetcher, AssetRefusedError, render_pdf
from app.scorecards.context import Place, ScorecardData, build_scorecard
from app.scorecards.rendering import render_html, render_scorecard_pdf
from questionnaires.answers import parse_answers
from questionnaires.loader import definition_from_json
from tests.app.conftest import DEFINITION
from tests.app.scorecards.conftest import Pdf

HOSTILE = (
    '<img src="file:///etc/passwd"> <img src="http://127.0.0.1:9/track.png"> '
    '<link rel="stylesheet" href="https://example.org/x.css"> '
    '<style>@import "file:///etc/hostname";</style> <script>alert(1)</script>'
)


def one_pixel_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL WeasyPrint asked the fetcher for."""
    urls: list[str] = []
    original = AssetFetcher.fetch

    def spy(self: AssetFetcher, url: str, headers: Any = None) -> Any:
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(AssetFetcher, "fetch", spy)
    return urls


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/scorecard.css",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.org/x",
        f"{ASSET_BASE_URL}../app/pdf.py",
        f"{ASSET_BASE_URL}%2e%2e/secret_key",
        f"{ASSET_BASE_URL}sub/scorecard.css",
        f"{ASSET_BASE_URL}missing.css",
        f"{ASSET_BASE_URL}scorecard.css?x=/etc/passwd",
        "https://assets.cybermaturity.invalid.example.org/scorecard.css",
    ],
)
def test_the_fetcher_refuses_everything_but_the_apps_assets(url: str) -> None:
    fetcher = AssetFetcher(ASSET_BASE_URL, ASSET_FOLDER)
    with pytest.raises(AssetRefusedError):
        fetcher.fetch(url)


def test_the_fetcher_serves_the_stylesheets() -> None:
    fetcher = AssetFetcher(ASSET_BASE_URL, ASSET_FOLDER)
    response = fetcher.fetch(f"{ASSET_BASE_URL}scorecard.css")
    assert response.read() == (ASSET_FOLDER / "scorecard.css").read_bytes()
    assert response.content_type == "text/css"


def test_render_pdf_embeds_no_local_remote_or_inline_resource(
    fetched: list[str], tmp_path: Path
) -> None:
    picture = tmp_path / "picture.png"
    picture.write_bytes(one_pixel_png())
    inline = base64.b64encode(one_pixel_png()).decode()
    html = (
        f'<html><head><link rel="stylesheet" href="scorecard.css"></head><body><p>Text</p>'
        f'<img src="{picture.as_uri()}"><img src="data:image/png;base64,{inline}">'
        f'<img src="http://127.0.0.1:9/x.png"><img src="../../app/pdf.py">'
        f'<link rel="stylesheet" href="{(ASSET_FOLDER / "scorecard.css").as_uri()}"></body></html>'
    )
    document = Pdf(render_pdf(html, base_url=ASSET_BASE_URL))
    assert document.images() == 0
    assert "Text" in document.text
    assert f"{ASSET_BASE_URL}scorecard.css" in fetched  # our own stylesheet still loads
    assert f"{ASSET_BASE_URL}charts.css" in fetched  # and the one it imports


def test_a_hostile_answer_is_shown_as_text_and_embeds_nothing(fetched: list[str]) -> None:
    definition = definition_from_json(DEFINITION)
    answers = parse_answers(
        definition,
        {"legal.law.remarks": HOSTILE, "technical.cirt.site": "http://127.0.0.1:9/x.png"},
    )
    data = ScorecardData(definition, answers, country=Place("KE", "KEN", "africa"))
    card = build_scorecard(data, "en")
    html = render_html(card)
    assert "<img" not in html
    assert "<script" not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    document = Pdf(render_scorecard_pdf(card))
    assert document.images() == 0
    assert '<img src="file:///etc/passwd">' in document.text  # shown, as typed
    assert "root:" not in document.text
    assert set(fetched) == {f"{ASSET_BASE_URL}scorecard.css", f"{ASSET_BASE_URL}charts.css"}


def test_only_this_module_imports_weasyprint() -> None:
    root = Path(pdf_module.__file__).resolve().parent
    importers = [
        path.relative_to(root.parent)
        for path in root.rglob("*.py")
        if "import weasyprint" in path.read_text() or "from weasyprint" in path.read_text()
    ]
    assert importers == [Path("app/pdf.py")]
