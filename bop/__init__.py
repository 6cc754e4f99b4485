"""BOP: planning, check-in and flyers for Dutch neighbourhood meeting places."""
from __future__ import annotations

import os
from datetime import timedelta

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from . import paths
from .extensions import babel, csrf, db, login_manager, migrate
from .languages import LANGUAGES
from .paths import MIGRATIONS, STATIC, TEMPLATES, TRANSLATIONS
from .site import ratelimit, secret_key, urls


def create_app(config: dict | None = None) -> Flask:
    missing = paths.missing_files(paths.ROOT, LANGUAGES)
    if missing:  # e.g. `pip install .` copied bop/ alone into site-packages
        raise RuntimeError(paths.missing_files_message(paths.ROOT, missing))
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC),
    )
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "bop.sqlite"),
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_DEFAULT_TIMEZONE="Europe/Amsterdam",
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS),
        LANGUAGES=LANGUAGES,
        WTF_CSRF_TIME_LIMIT=None,   # a form left open all morning must still submit
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        AUTO_MIGRATE=True,          # upgrade an empty database on first start
        PAGE_SIZE=50,
        PUBLIC_URL=None,            # e.g. https://bop.example.nl: printed and sent URLs use it (site/urls.py)
        PROXY_HOPS=0,               # trusted proxies in front of the app (nginx: 1)
        # Cookies: not sent along with requests from other sites; Secure when PUBLIC_URL is https.
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        # "Ingelogd blijven" lasts one working day: office laptops are shared, and a laptop left
        # logged in at night must not open visitor names to the next person in the morning.
        REMEMBER_COOKIE_DURATION=timedelta(hours=12),
        RETENTION_DAYS=365,         # named check-ins older than this become anonymous counts
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("BOP")
    app.config.from_prefixed_env("FLASK")
    if config:
        app.config.update(config)
    os.makedirs(app.instance_path, exist_ok=True)
    secret_key.configure(app)  # refuses to start without a real key outside debug and testing
    app.session_interface = secret_key.SessionCookies()
    urls.configure(app)        # PUBLIC_URL, Secure cookies, ProxyFix

    from .site import inputs
    from .site.templating import IsoDateConverter

    inputs.init_app(app)  # before the blueprints: their routes pick their converters when registered
    app.url_map.converters["isodate"] = IsoDateConverter
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    ratelimit.init_app(app)

    from .accounts import auth, locations, organisations, people
    from .checkin import api, kiosk, selfcheckin, today
    from .flyers import views as flyers
    from .insight import blueprint as insight
    from .insight import demo as insight_demo  # noqa: F401  (adds rounds and a story to the demo)
    from .insight import ladder_views as insight_ladder  # noqa: F401  (attaches the participation ladder)
    from .insight import outreach as insight_outreach  # noqa: F401  (attaches the outreach routes)
    from .insight import rounds as insight_rounds  # noqa: F401  (attaches the door-to-door rounds)
    from .insight import views as insight_views  # noqa: F401  (attaches the report routes)
    from .planning import agenda
    from .planning import views as planning
    from .privacy import views as privacy
    from .site import backup, cli, errors, headers  # noqa: F401  (backup registers `flask bop backup`)
    from .visitors import commands as visitor_commands  # noqa: F401  (registers `flask bop` commands)
    from .visitors import views as visitors

    for module in (auth, people, locations, organisations, planning, agenda, flyers, visitors,
                   api, today, kiosk, selfcheckin, privacy, insight):
        app.register_blueprint(module.bp)
    errors.init_app(app)
    headers.init_app(app)
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
