"""Finding 2 and 6: login is throttled per account and per address, through Flask-Limiter; the
window expires (no permanent lock-out); an unknown e-mail costs the same password hash as a known one."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from itertools import count

import pytest
from werkzeug import security

from bop.site.ratelimit import limiter
from tests.conftest import PASSWORD

THROTTLED = "Te vaak een verkeerd wachtwoord. Wacht een kwartier en probeer het dan opnieuw."
_addresses = count(1)


def attempt(client, email, password="wrong password", address=None):
    """One login post, by default each from a new address (a botnet, not one office)."""
    address = address or f"10.0.{next(_addresses) // 250}.{next(_addresses) % 250 + 1}"
    return client.post("/staff/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_the_101st_wrong_password_for_one_account_is_throttled_while_another_account_logs_in(client, make_staff, app):
    assert app.config["LOGIN_LIMIT_ACCOUNT"] == "100 per hour"
    victim, colleague = make_staff(), make_staff()
    answers = [attempt(client, victim.email).status_code for _ in range(100)]
    assert answers == [200] * 100  # each one "wrong password", from a hundred addresses
    refused = attempt(client, victim.email)
    assert refused.status_code == 429 and THROTTLED in refused.text
    # Even the right password waits now (until the window ends: see the expiry test below) ...
    assert attempt(client, victim.email, PASSWORD).status_code == 429
    # ... but the colleague, from any address, logs in as usual.
    assert attempt(client, colleague.email.upper(), PASSWORD).status_code == 302


def test_one_address_is_throttled_across_accounts(client, make_staff, app):
    app.config["LOGIN_LIMIT_ADDRESS"] = "5 per 15 minutes"
    staff = [make_staff() for _ in range(6)]
    answers = [attempt(client, s.email, address="192.0.2.7").status_code for s in staff]
    assert answers == [200] * 5 + [429]
    assert attempt(client, staff[0].email, PASSWORD, address="192.0.2.8").status_code == 302


def test_right_passwords_do_not_count(client, make_staff, app):
    app.config["LOGIN_LIMIT_ADDRESS"] = "2 per 15 minutes"
    staff = make_staff()
    for _ in range(5):  # an office where everyone logs in each morning from one address
        assert attempt(client, staff.email, PASSWORD, address="192.0.2.9").status_code == 302
        client.post("/staff/logout")


def test_the_window_expires_so_nobody_is_locked_out_for_good(client, make_staff, app):
    app.config["LOGIN_LIMIT_ACCOUNT"] = "2 per 2 seconds"
    staff = make_staff()
    assert [attempt(client, staff.email).status_code for _ in range(3)] == [200, 200, 429]
    time.sleep(2.1)
    assert attempt(client, staff.email, PASSWORD).status_code == 302


def test_the_limits_count_in_the_configured_storage(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert type(limiter.storage).__name__ == "MemoryStorage"


@pytest.fixture
def redis_url(tmp_path):
    """A throw-away Redis (Debian's redis-server), as the README's production section runs."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def test_two_workers_share_one_count_in_redis(migrated_database, tmp_path, monkeypatch, redis_url):
    """Finding 6: with Redis, two processes (here two apps, as two gunicorn workers) share the limit."""
    from bop import create_app
    from tests.conftest import config_for

    monkeypatch.setenv("BOP_RATELIMIT_STORAGE_URI", redis_url)
    database = migrated_database
    workers = [create_app(config_for(database, LOGIN_LIMIT_ADDRESS="3 per 15 minutes")) for _ in range(2)]
    assert workers[0].config["RATELIMIT_STORAGE_URI"] == redis_url
    assert type(limiter.storage).__name__ == "RedisStorage"
    answers = [workers[n % 2].test_client().post("/staff/login", data={"email": "a@example.org", "password": "x" * 12})
               for n in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    limiter.reset()


@pytest.mark.parametrize("known", [True, False])
def test_an_unknown_email_costs_the_same_password_hash(client, make_staff, monkeypatch, known):
    staff = make_staff()
    real_check = security.check_password_hash
    checked = []

    def counting(pwhash, password):
        checked.append(pwhash.split("$", 1)[0])
        return real_check(pwhash, password)

    monkeypatch.setattr("bop.accounts.models.check_password_hash", counting)
    email = staff.email if known else "nobody@example.org"
    response = attempt(client, email)
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in response.text
    # One real hash check of the same kind (scrypt) either way: the time does not tell.
    assert checked == [staff.password_hash.split("$", 1)[0]]


def test_with_redis_away_the_limits_fall_back_to_this_process(migrated_database, tmp_path, monkeypatch):
    """No 500 when the storage is down: the limit still holds, counted in memory meanwhile."""
    from bop import create_app
    from tests.conftest import config_for

    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("BOP_RATELIMIT_STORAGE_URI", f"redis://127.0.0.1:{port}/0")
    database = migrated_database
    app = create_app(config_for(database, LOGIN_LIMIT_ADDRESS="3 per 15 minutes"))
    client = app.test_client()
    answers = [client.post("/staff/login", data={"email": "a@example.org", "password": "x" * 12}).status_code
               for _ in range(5)]
    assert answers == [200, 200, 200, 429, 429]
