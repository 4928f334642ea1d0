"""cybermaturity: self-assessment of national cybersecurity and CIRT maturity."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. The order is fixed: config, extensions, Jinja and Babel, database,
    request handlers, blueprints. Nothing here touches the database."""
    from app import config as config_module

    settings = config_module.load_settings(config)
    app = Flask(
        __name__,
        instance_path=str(settings.INSTANCE_PATH),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(config_module.flask_config(settings))
    _configure_logging(app)
    _init_extensions(app)
    _init_jinja_and_babel(app)
    _init_database(app)
    _init_request_handlers(app)
    _register_blueprints(app)
    return app


def _configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing and not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )


def _init_extensions(app: Flask) -> None:
    from app.auth import sessions
    from app.auth.loader import load_user
    from app.auth.views import unauthorized
    from app.extensions import csrf, limiter, login_manager
    from app.i18n import _l

    sessions.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"
    limiter.init_app(app)


def _init_jinja_and_babel(app: Flask) -> None:
    from app import i18n
    from app.extensions import babel

    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(PROJECT_ROOT / "app" / "translations")
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)


def _init_database(app: Flask) -> None:
    from app import (
        db,
        models,  # noqa: F401 - registers every model before the first query
    )

    db.init_app(app)


def _init_request_handlers(app: Flask) -> None:
    from app import transactions, web

    transactions.init_app(app)
    web.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from app.auth.blueprint import bp as auth_bp
    from app.home.blueprint import bp as home_bp
    from app.jobs.blueprint import bp as jobs_bp
    from app.scorecards.blueprint import bp as scorecards_bp
    from app.survey.blueprint import bp as survey_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(survey_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(scorecards_bp)
