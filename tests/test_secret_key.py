"""Finding 1: without a real secret key the app does not start outside debug and testing, and a
cookie signed with the old published default opens nothing."""
from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from flask.sessions import SecureCookieSessionInterface

from bop import create_app
from bop.site.secret_key import InsecureConfiguration
from tests.conftest import config_for

ROOT = Path(__file__).resolve().parent.parent


def production_config(database, **overrides):
    config = config_for(database, TESTING=False)
    config.pop("SECRET_KEY")
    return {**config, **overrides}


@pytest.fixture
def no_key_in_environment(monkeypatch, tmp_path):
    for name in ("BOP_SECRET_KEY", "FLASK_SECRET_KEY", "FLASK_DEBUG", "BOP_DEBUG"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("key", [None, "", "dev-only-change-me", "short-key-0123456789"])
def test_production_app_refuses_to_start_without_a_real_key(migrated_database, no_key_in_environment, key):
    config = production_config(migrated_database) if key is None else production_config(migrated_database, SECRET_KEY=key)
    with pytest.raises(InsecureConfiguration, match="BOP_SECRET_KEY"):
        create_app(config)


def test_the_old_default_from_the_environment_is_refused(migrated_database, monkeypatch):
    monkeypatch.setenv("BOP_SECRET_KEY", "dev-only-change-me")
    with pytest.raises(InsecureConfiguration, match="dev-only-change-me"):
        create_app(production_config(migrated_database))


def test_a_long_random_key_from_the_environment_starts(migrated_database, monkeypatch):
    monkeypatch.setenv("BOP_SECRET_KEY", "a" * 16 + os.urandom(16).hex())
    app = create_app(production_config(migrated_database))
    assert app.config["SECRET_KEY"] == os.environ["BOP_SECRET_KEY"]


def test_debug_and_testing_get_a_random_key_of_their_own(migrated_database, no_key_in_environment):
    first = create_app(production_config(migrated_database, DEBUG=True))
    second = create_app(production_config(migrated_database, TESTING=True))
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] != second.config["SECRET_KEY"]
    assert "dev-only-change-me" not in (first.config["SECRET_KEY"], second.config["SECRET_KEY"])


def test_the_key_file_in_the_instance_folder_is_used(migrated_database, no_key_in_environment, tmp_path, monkeypatch):
    key = os.urandom(32).hex()
    (tmp_path / "secret_key").write_text(key + "\n")
    monkeypatch.setattr("bop.Flask.auto_find_instance_path", lambda self: str(tmp_path))
    app = create_app(production_config(migrated_database))
    assert app.config["SECRET_KEY"] == key


def forged_session_cookie(app, key: str, staff_id: str) -> str:
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    serializer.secret_keys = [key.encode()]
    return serializer.dumps({"_user_id": staff_id, "_fresh": True})


def test_a_cookie_signed_with_the_old_default_key_opens_no_staff_page(migrated_database, no_key_in_environment, tmp_path):
    app = create_app(production_config(migrated_database, SECRET_KEY=os.urandom(32).hex()))
    with app.app_context():
        from bop.accounts.models import Role, Staff
        from bop.extensions import db

        staff = Staff(email="coordinator@example.org", name="Co", role=Role.COORDINATOR, password_hash="")
        staff.set_password("correct horse battery")
        db.session.add(staff)
        db.session.commit()
        staff_id = staff.get_id()
        genuine = forged_session_cookie(app, app.config["SECRET_KEY"], staff_id)
        forged = forged_session_cookie(app, "dev-only-change-me", staff_id)
        db.session.remove()

    client = app.test_client()
    client.set_cookie("session", forged)
    response = client.get("/staff/people/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    # The same cookie signed with the app's real key does open it: the refusal is about the key.
    client.set_cookie("session", genuine)
    assert client.get("/staff/people/").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_make_creates_a_private_key_file_once(tmp_path):
    subprocess.run(["make", "-s", "-C", str(tmp_path), "-f", str(ROOT / "Makefile"), "instance/secret_key"],
                   check=True, capture_output=True)
    path = tmp_path / "instance" / "secret_key"
    key = path.read_text().strip()
    assert len(key) == 64 and int(key, 16)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    subprocess.run(["make", "-s", "-C", str(tmp_path), "-f", str(ROOT / "Makefile"), "instance/secret_key"],
                   check=True, capture_output=True)
    assert path.read_text().strip() == key  # only written when missing
