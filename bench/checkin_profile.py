"""Where a kiosk scan's time goes, in process: `POST /api/v1/checkins` through Flask's test client.

    python bench/checkin_profile.py [--requests 300] [--profile 40]

The same database as bench.py's check-in run (`datasets.checkin_database`: a BOP with an
activity all day today, a paired tablet, unused cards, so every scan is a new check-in), the same
configuration (rate limits off, as in bench.py). Prints the median and quartiles of the time per
request, the SQL statements per request (a `before_cursor_execute` listener) and, with
`--profile N`, cProfile's top functions over N more requests.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import datasets  # noqa: E402

from bop import create_app  # noqa: E402
from bop.extensions import db  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--show", action="store_true", help="print the statements of one request")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bop-checkin-profile-") as work:
        path = Path(work) / "checkin.sqlite"
        token, activity_id, codes = datasets.checkin_database(path, cards=args.requests + args.profile + 20)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": datasets.SECRET_KEY,
                          "RATELIMIT_ENABLED": False})
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        statements: list[str] = []
        with app.app_context():
            engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def count(conn, cursor, statement, parameters, context, executemany) -> None:
            statements.append(statement)

        cards = iter(codes)

        def scan(n: int) -> None:
            body = json.dumps({"code": next(cards), "activity": activity_id, "nonce": f"profile{n:08d}"})
            response = client.post("/api/v1/checkins", data=body, headers=headers)
            assert response.status_code == 201, response.get_data(as_text=True)

        for n in range(10):  # warm up: connections, compiled statements, translations
            scan(n)
        statements.clear()
        scan(10)
        per_request = len(statements)
        if args.show:
            print("\n".join(s.replace("\n", " ") for s in statements))
        times, cpu = [], []
        for n in range(11, 11 + args.requests):
            began, began_cpu = time.perf_counter(), time.process_time()
            scan(n)
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        q = statistics.quantiles(times, n=4)
        # CPU time leaves out the commit's wait for the disk and, mostly, the other processes of a
        # shared machine: steadier for comparing code.
        print(f"{args.requests} scans: median {statistics.median(times):.3f} ms "
              f"(quartiles {q[0]:.3f}-{q[2]:.3f}), CPU {statistics.mean(cpu):.3f} ms (mean), "
              f"{per_request} SQL statements per scan")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for n in range(11 + args.requests, 11 + args.requests + args.profile):
                scan(n)
            profiler.disable()
            profiler.dump_stats(str(Path(tempfile.gettempdir()) / "checkin.prof"))
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(45)
            stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
