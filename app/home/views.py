from __future__ import annotations

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user


def index() -> ResponseReturnValue:
    """Signed-in users start at their questionnaires; everyone else sees what this is."""
    if current_user.is_authenticated:
        return redirect(url_for("survey.index"))
    return render_template("home/index.html")
