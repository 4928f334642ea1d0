"""What the set-up must install for scorecards to render fast and whole (see the Makefile)."""

from __future__ import annotations

import ctypes.util
import subprocess

from app.pdf import fast_font_subsetting

APT_HINT = "Install it with: apt-get install -y libharfbuzz-subset0 (or run `make install`)."


def _in_linker_cache(name: str) -> bool:
    try:
        listing = subprocess.run(
            ["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=False, timeout=10
        ).stdout
    except OSError:
        return False
    return name in listing


def test_harfbuzz_subset_is_installed() -> None:
    """Without libharfbuzz-subset WeasyPrint falls back to subsetting fonts in Python, about
    fifty times slower for the CJK fonts of the Chinese scorecard."""
    found = ctypes.util.find_library("harfbuzz-subset") or _in_linker_cache("libharfbuzz-subset.so")
    assert found, f"libharfbuzz-subset0 is missing: PDFs would render far slower. {APT_HINT}"


def test_weasyprint_loaded_harfbuzz_subset() -> None:
    assert fast_font_subsetting(), f"WeasyPrint did not find libharfbuzz-subset. {APT_HINT}"


def test_the_noto_fonts_are_installed() -> None:
    families = subprocess.run(
        ["fc-list", ":", "family"],  # noqa: S607 - fontconfig's tool, wherever it is installed
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    ).stdout
    for family in ("Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC"):
        assert family in families, (
            f"The font {family} is missing. "
            "Install it with: apt-get install -y fonts-noto-core fonts-noto-cjk"
        )
