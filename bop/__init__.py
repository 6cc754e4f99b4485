"""BOP: planning, check-in and flyers for Dutch neighbourhood meeting places."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import babel, csrf, db, login_manager, migrate
from .languages import LANGUAGES
from .paths import MIGRATIONS, STATIC, TEMPLATES


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC),
    )
    app.config.from_mapping(
        SECRET_KEY="dev-only-change-me",
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "bop.sqlite"),
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_DEFAULT_TIMEZONE="Europe/Amsterdam",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        LANGUAGES=LANGUAGES,
        WTF_CSRF_TIME_LIMIT=None,   # a form left open all morning must still submit
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        AUTO_MIGRATE=True,          # upgrade an empty database on first start
        PAGE_SIZE=50,
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("BOP")
    app.config.from_prefixed_env("FLASK")
    if config:
        app.config.update(config)
    os.makedirs(app.instance_path, exist_ok=True)

    from .site.templating import IsoDateConverter

    app.url_map.converters["isodate"] = IsoDateConverter
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)

    from .accounts import auth, locations, organisations, people
    from .checkin import api, kiosk, selfcheckin, today
    from .flyers import views as flyers
    from .planning import agenda
    from .planning import views as planning
    from .site import cli, errors
    from .visitors import commands as visitor_commands  # noqa: F401  (registers `flask bop` commands)
    from .visitors import views as visitors

    for module in (auth, people, locations, organisations, planning, agenda, flyers, visitors,
                   api, today, kiosk, selfcheckin):
        app.register_blueprint(module.bp)
    errors.init_app(app)
    cli.init_app(app)

    from .site.templating import init_app as init_templating
    init_templating(app)

    @app.after_request
    def remember_language(response):
        wanted = request.args.get("lang")
        # Only pages set it: a flyer's ?lang= picks its second language, not the reader's.
        if response.mimetype == "text/html" and wanted in LANGUAGES and request.cookies.get("lang") != wanted:
            response.set_cookie("lang", wanted, max_age=365 * 24 * 3600, samesite="Lax")
        return response

    if app.config["AUTO_MIGRATE"]:
        cli.upgrade_if_empty(app)
    return app


def select_locale() -> str:
    """?lang= wins (and is remembered in a cookie), then the cookie, then Dutch."""
    if not has_request_context():  # CLI commands and PDF builds outside a request
        return "nl"
    if request.path.startswith("/staff"):  # the welfare workers' screens are Dutch
        return "nl"
    wanted = request.args.get("lang") or request.cookies.get("lang")
    return wanted if wanted in LANGUAGES else "nl"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # WAL lets the agenda read while a kiosk writes; busy_timeout makes concurrent writers wait
    # instead of failing; SQLite only enforces foreign keys when asked.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
