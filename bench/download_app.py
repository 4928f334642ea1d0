"""The app as bench_downloads.py serves it: unchanged, plus a stand-in for the PDF renderer.

A scorecard download whose query string carries `bench-sleep=SECONDS` does everything a real
download does (the read-only unit, the cache look-up, the data of the render when it renders in
the request), then sleeps for that long instead of rendering (in the request, or instead of
waiting for the render pool) and sends a small stand-in file, which it does not store. It
holds what a render holds for as long, without using a core: if saves wait on a download that
sleeps, they wait on something it holds (a lock, a connection, a thread), not on the CPU. Every
other request, downloads without the parameter included, runs the app's own code.

    gunicorn -w 2 --threads 4 --chdir bench 'download_app:create_app()'
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from flask import Flask, request

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `app` from the checkout, as bench_survey.py's servers import it

from app import create_app as create_real_app  # noqa: E402 - once the checkout is importable
from app.scorecards import operations, renderer  # noqa: E402

#: A small but valid PDF: one empty page.
STAND_IN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

_render = operations.PreparedPdf.file
_render_in_pool = renderer.RenderPool.render


def create_app() -> Flask:
    app = create_real_app()
    stand_in = Path(app.instance_path) / "bench-stand-in.pdf"
    stand_in.parent.mkdir(parents=True, exist_ok=True)
    stand_in.write_bytes(STAND_IN)

    def file(pdf: operations.PreparedPdf) -> Path:
        seconds = request.args.get("bench-sleep")
        if seconds is None or not pdf.needs_rendering:
            return _render(pdf)
        time.sleep(min(10.0, float(seconds)))
        return stand_in

    def render(pool: renderer.RenderPool, submission_id: int, lang: str) -> Path:
        seconds = request.args.get("bench-sleep")
        if seconds is None:
            return _render_in_pool(pool, submission_id, lang)
        time.sleep(min(10.0, float(seconds)))
        return stand_in

    setattr(operations.PreparedPdf, "file", file)  # noqa: B010 - mypy refuses a method assigned
    setattr(renderer.RenderPool, "render", render)  # noqa: B010
    return app
