from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user


def index() -> ResponseReturnValue:
    return render_template("home/index.html", user=current_user)
