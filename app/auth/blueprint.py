from flask import Blueprint

from app.auth import views

bp = Blueprint("auth", __name__)
bp.add_url_rule("/sign-in", "sign_in", views.sign_in, methods=("GET", "POST"))
bp.add_url_rule("/sign-out", "sign_out", views.sign_out, methods=("POST",))
