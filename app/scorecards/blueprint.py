"""Scorecard URLs: the browser preview, the PDF download, and the preview's stylesheets."""

from flask import Blueprint

from app.scorecards import views
from questionnaires.schema import LANGUAGES

bp = Blueprint("scorecards", __name__, url_prefix="/scorecards")
bp.add_url_rule("/<int:submission_id>/", "preview", views.preview)
bp.add_url_rule(
    f"/<int:submission_id>/scorecard-<any({', '.join(LANGUAGES)}):lang>.pdf",
    "download_pdf",
    views.download_pdf,
)
bp.add_url_rule("/assets/<name>", "asset", views.asset)
