"""The app as gunicorn serves it for bench_checkin.py, plus a baseline endpoint for comparison.

Not part of the product: the baseline route exists only when BOP_BENCH_BASELINE=1, and only in
this module. It does the least a check-in endpoint could do: parse the JSON body, insert one row
with plain SQLAlchemy, commit, answer JSON.
"""
from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import jsonify, request

from bop import create_app
from bop.checkin.models import CheckIn
from bop.extensions import csrf, db

app = create_app()

if os.environ.get("BOP_BENCH_BASELINE") == "1":
    @app.post("/bench/baseline")
    @csrf.exempt
    def baseline():
        body = request.get_json(force=True, silent=True) or {}
        row = CheckIn(location_id=int(os.environ["BOP_BENCH_LOCATION"]), day=date.today(), slot=0,
                      visitor_id=None, method="guest", source=str(body.get("nonce", ""))[:20],
                      server_time=datetime.now(UTC).replace(tzinfo=None))
        db.session.add(row)
        db.session.commit()
        return jsonify(status="ok", id=row.id), 201
