from flask import Blueprint

from app.home import views

bp = Blueprint("home", __name__)
bp.add_url_rule("/", "index", views.index)
