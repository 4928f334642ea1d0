"""HTML to PDF. The only module that imports WeasyPrint.

WeasyPrint never reaches the network or the filesystem on its own: every URL a document refers to
(stylesheets, images, fonts declared in CSS) goes through `AssetFetcher`, which serves the files of
one folder of the app's own PDF assets under a base URL that resolves nowhere, and refuses
everything else: file://, http(s) to any host, data: URIs, other schemes, other folders. A refused
URL is logged and left out of the PDF, so no text a user typed can pull a local file or a remote
resource into a document. System fonts are found by fontconfig, not through URLs.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from pathlib import Path

# WeasyPrint reports each step of every render (and of its own import) at INFO: noise in the
# app's log. Set before the import below, which already logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML, URLFetcher, __version__  # noqa: E402
from weasyprint.urls import URLFetcherResponse  # noqa: E402

from app import PROJECT_ROOT  # noqa: E402

logger = logging.getLogger(__name__)

#: The files PDFs may refer to: stylesheets and pictures the project ships, nothing uploaded.
ASSET_FOLDER = PROJECT_ROOT / "templates" / "scorecards" / "assets"
#: Where documents find those assets. `.invalid` never resolves (RFC 2606), and nothing is ever
#: requested from it: the fetcher reads the folder above.
ASSET_BASE_URL = "https://assets.cybermaturity.invalid/"

#: Part of the scorecards' template version: a new WeasyPrint may lay pages out differently.
WEASYPRINT_VERSION: str = __version__

_ASSET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.(css|svg|png)$")


class AssetRefusedError(ValueError):
    """A document asked for something that is not one of the app's PDF assets."""


class AssetFetcher(URLFetcher):
    """Serves `folder`'s assets under `base_url`; refuses every other URL."""

    def __init__(self, base_url: str, folder: Path) -> None:
        # No protocol allowed and no redirects: the parent's network handlers are never reached.
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.base_url = base_url
        self.folder = folder

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        path = self.asset_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def asset_path(self, url: str) -> Path:
        """The asset file `url` names; AssetRefusedError for anything else."""
        name = url.removeprefix(self.base_url) if url.startswith(self.base_url) else None
        if name is None or not _ASSET_NAME.fullmatch(name):
            logger.warning("PDF rendering refused the URL %.200r", url)
            raise AssetRefusedError(f"not an asset of this app: {url[:200]!r}")
        path = self.folder / name
        if not path.is_file():
            raise AssetRefusedError(f"no such asset: {name!r}")
        return path


def fast_font_subsetting() -> bool:
    """Whether WeasyPrint found libharfbuzz-subset (Debian: libharfbuzz-subset0). Without it,
    fonts are subset in Python, about fifty times slower for CJK fonts."""
    from weasyprint.text.ffi import harfbuzz_subset

    return harfbuzz_subset is not None


def render_pdf(html: str, *, base_url: str) -> bytes:
    """The PDF of `html`. Its relative URLs resolve against `base_url`, under which only the
    assets of ASSET_FOLDER can be fetched (pass ASSET_BASE_URL).

    Fonts are subset (WeasyPrint's default): small files and, with libharfbuzz-subset, fast.
    """
    fetcher = AssetFetcher(base_url, ASSET_FOLDER)
    pdf: bytes = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
    return pdf
