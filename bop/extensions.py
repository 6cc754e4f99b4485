"""Flask extensions, created unbound so blueprints can import them without an app."""
from typing import Any, TypeAlias

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session


class Base(DeclarativeBase):
    # Stable constraint names, so Alembic can alter them later on SQLite and PostgreSQL alike.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
# What database code takes: a plain Session (tests, CLI) or the request-scoped `db.session`.
DbSession: TypeAlias = Session | scoped_session[Any]


def unsaved_changes() -> bool:
    """Whether the request's session holds changes not yet committed. The per-process caches keep
    nothing then: a value read for a key is the stored one, while a rollback could still undo what
    the queries would see (autoflush)."""
    session = db.session
    return bool(session.new or session.dirty or session.deleted)


migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
