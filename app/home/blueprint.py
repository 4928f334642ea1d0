"""The landing page, each role's starting point, and the language menu."""

from flask import Blueprint

from app.home import views

bp = Blueprint("home", __name__)
bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/language", "set_language", views.set_language, methods=["POST"])
