"""One scorecard as HTML (the browser preview) and as PDF, from its context alone.

No request, no database and no Flask: the web app, background workers and the offline
`cybermaturity score --pdf` all render the same way. Each language has its own Jinja
environment with that language's catalogue installed, so concurrent renders in different
languages never share translation state. Autoescaping is on for every template.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from app import PROJECT_ROOT
from app.pdf import ASSET_BASE_URL, WEASYPRINT_VERSION, render_pdf
from app.scorecards.context import Scorecard

TEMPLATE_FOLDER = PROJECT_ROOT / "templates"
SCORECARD_TEMPLATES = TEMPLATE_FOLDER / "scorecards"
TRANSLATIONS_FOLDER = PROJECT_ROOT / "app" / "translations"
TEMPLATES = {"weighted": "scorecards/pdf/national.html", "levels": "scorecards/pdf/cirt.html"}

#: Raise by hand for a change that the fingerprint below cannot see.
_FORMAT = "1"


def _fingerprint() -> str:
    """A digest of everything that shapes a scorecard: its templates and assets, the code that
    scores and builds its context and charts, the compiled translations and WeasyPrint's
    version."""
    here = Path(__file__).resolve().parent
    files = sorted(SCORECARD_TEMPLATES.rglob("*"))
    files += [here / name for name in ("charts.py", "context.py", "rendering.py")]
    files += [PROJECT_ROOT / "app" / "pdf.py", *sorted((PROJECT_ROOT / "scoring").glob("*.py"))]
    files += sorted(TRANSLATIONS_FOLDER.glob("*/LC_MESSAGES/*.mo"))
    digest = hashlib.sha256(WEASYPRINT_VERSION.encode())
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


#: Part of every cached PDF's key: a new template version renders every scorecard afresh.
TEMPLATE_VERSION = f"{_FORMAT}-{_fingerprint()}"


@dataclass(frozen=True)
class PreviewLinks:
    """What the browser preview adds to the page: where its stylesheets and the PDF are, and
    the same scorecard in each language."""

    stylesheets: tuple[str, ...]  # scorecard.css imports charts.css next to it
    pdf: str
    back: str | None
    languages: tuple[tuple[str, str, str], ...]  # (code, name in itself, preview URL)


@cache
def translations(lang: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS_FOLDER), [lang], domain="messages")


@cache
def environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_FOLDER)),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def render_html(card: Scorecard, preview: PreviewLinks | None = None) -> str:
    """The scorecard's HTML: for the PDF without `preview`, for the browser with it."""
    template = environment(card.lang).get_template(TEMPLATES[card.model])
    stylesheets = preview.stylesheets if preview else ("scorecard.css",)
    return template.render(card=card, preview=preview, stylesheets=stylesheets)


def render_scorecard_pdf(card: Scorecard) -> bytes:
    return render_pdf(render_html(card), base_url=ASSET_BASE_URL)
