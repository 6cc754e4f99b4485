"""Does the login answer's time tell whether an e-mail address has an account?

    python bench/bench_login_timing.py [--runs 30]

Posts a wrong password for a known and for an unknown e-mail address through the app (in process,
as the login route runs), alternating, and reports the medians and their ratio. Before the dummy
hash for unknown addresses, the ratio was about 0.02 (2 ms against 100 ms); target: between 0.8
and 1.25. The rate limits are raised for the run so that every attempt reaches the password check.
"""
from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bop import create_app
from bop.accounts.models import Role, Staff
from bop.extensions import db


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    directory = tempfile.mkdtemp(prefix="bop-bench-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/bench.sqlite", "SECRET_KEY": secrets.token_hex(32),
                      "WTF_CSRF_ENABLED": False, "LOGIN_LIMIT_ADDRESS": "100000 per hour",
                      "LOGIN_LIMIT_ACCOUNT": "100000 per hour"})
    with app.app_context():
        staff = Staff(email="known@example.org", name="Known", role=Role.WORKER, password_hash="")
        staff.set_password(secrets.token_hex(8))
        db.session.add(staff)
        db.session.commit()
    client = app.test_client()
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for n in range(runs + 2):
        for kind, email in (("known", "known@example.org"), ("unknown", f"nobody{n}@example.org")):
            start = time.perf_counter()
            response = client.post("/staff/login", data={"email": email, "password": "wrong password"})
            elapsed = time.perf_counter() - start
            assert response.status_code == 200
            if n >= 2:  # the first two rounds warm up imports and caches
                times[kind].append(elapsed)
    known, unknown = statistics.median(times["known"]), statistics.median(times["unknown"])
    print(f"wrong password, median of {runs}: known e-mail {known * 1000:.1f} ms, unknown e-mail "
          f"{unknown * 1000:.1f} ms; ratio unknown/known {unknown / known:.2f} (target 0.8-1.25)")


if __name__ == "__main__":
    main()
