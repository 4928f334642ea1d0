from flask import Blueprint
from flask_limiter import RateLimitExceeded

from app.auth import views

bp = Blueprint("auth", __name__)
bp.add_url_rule("/sign-in", "sign_in", views.sign_in, methods=("GET", "POST"))
bp.add_url_rule("/sign-out", "sign_out", views.sign_out, methods=("POST",))
bp.add_url_rule(
    "/forgot-password", "forgot_password", views.forgot_password, methods=("GET", "POST")
)
bp.add_url_rule(
    "/reset-password/<token>", "reset_password", views.reset_password, methods=("GET", "POST")
)
bp.add_url_rule(
    "/invitation/<token>", "accept_invitation", views.accept_invitation, methods=("GET", "POST")
)
bp.register_error_handler(RateLimitExceeded, views.rate_limited)
