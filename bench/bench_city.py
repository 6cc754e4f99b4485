"""A city's worth of data against the demo: do the hot pages grow with the total history?

    python bench/bench_city.py [--rounds 5] [--duration 2] [--checkins 1000000]

1. Builds two SQLite databases with the real command: `flask bop demo` (demo size: 3 BOPs, ~1,900
   check-ins) and `flask bop demo --city` (city size: 50 BOPs, 1,500 activities, 5,000 visitors,
   1,000,000 check-ins over five years). The city is kept in /tmp/bop-bench-city-cache/, keyed by
   its size, the git hashes of the generator's files and the migrations (`git hash-object`, so
   uncommitted changes count) and the date (the data is relative to today): a rerun on the same
   day starts at once.
2. Copies both into a work directory under /tmp and gives them the same fixtures: the plain demo
   the 25 check-ins today at rijn-en-vliet the city has (the same generator), a tablet paired at
   roodenburg with 30,000 fresh cards of its organisation (every scan a new check-in), and a
   session cookie of coordinator@example.org. `PAGE_SIZE` is 30 on both, so the demo's 33
   visitors fill a first page as the city's do.
3. Starts gunicorn (4 sync workers, 127.0.0.1, port 18200 demo, 18201 city) on each and drives
   every page with wrk (-t1 -c8), never Python threads, in interleaved rounds: each round runs
   every page on both sizes, demo first in even rounds and city first in odd ones.
4. Prints mean latency (ms) and requests per second per page and size, median and range over the
   rounds, and their ratio city/demo (median of the per-round ratios): ~1 means it does not grow.
   `--in-process N` adds the server's own time per page: N requests per page and size through
   Flask's test client, one at a time, demo and city alternating (no load generator, no queue).

Every wrk run lasts `--duration` seconds; the servers are stopped at the end, also on errors;
the work directory is removed (the cached city stays, older ones are removed).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import bench  # noqa: E402  (bench/bench.py: gunicorn and wrk helpers)

CACHE = Path("/tmp/bop-bench-city-cache")
PORTS = {"demo": 18200, "city": 18201}
SECRET_KEY = "bench-city-secret-key-long-enough-for-the-production-check"
PAGE_SIZE = 30
SCAN_CARDS = 30_000
GENERATOR = ["bop/site/demo.py", "bop/site/demo_history.py", "bop/site/demo_city.py", "bop/site/demo_city_words.py",
             "bop/site/demo_visits.py", "bop/site/cli.py", "bop/insight/demo.py"]
STAFF = "coordinator@example.org"


# --------------------------------------------------------------------------------- databases

def generator_key(checkins: int) -> str:
    """The git hashes of the generator's files as they are (committed or not) and of the
    migrations, the size, and today's date: what the cached city depends on."""
    files = GENERATOR + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "migrations" / "versions").glob("*.py"))
    hashes = subprocess.run(["git", "hash-object", *files], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.split()
    digest = hashlib.sha256(" ".join([*hashes, str(checkins), date.today().isoformat()]).encode()).hexdigest()
    return digest[:16]


def flask_env(database: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "FLASK_APP": "app.py", "BOP_SECRET_KEY": SECRET_KEY,
            "BOP_SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}


def demo_command(database: Path, *options: str, timeout: float) -> float:
    """`flask bop demo [options]` into a new SQLite file; returns its run time in seconds."""
    began = time.monotonic()
    done = subprocess.run([str(Path(sys.executable).parent / "flask"), "bop", "demo", *options], cwd=ROOT,
                          env=flask_env(database), capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise SystemExit(f"flask bop demo {' '.join(options)} failed:\n{done.stdout}\n{done.stderr}")
    for line in done.stderr.splitlines():
        if line.startswith("["):
            print(f"    {line}", flush=True)
    return time.monotonic() - began


def city_database(checkins: int) -> tuple[Path, float | None]:
    """The cached city, built when missing; (path, build seconds or None when cached)."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"city-{checkins}-{generator_key(checkins)}.sqlite"
    if path.exists():
        print(f"  city: cached {path} ({path.stat().st_size / 2**20:.0f} MiB)", flush=True)
        return path, None
    for old in CACHE.glob(f"city-{checkins}-*"):   # this size from an older generator or day
        old.unlink()
    building = path.with_suffix(".building")
    for leftover in CACHE.glob(building.name + "*"):
        leftover.unlink()
    print(f"  city: building {path} (flask bop demo --city --city-checkins {checkins})", flush=True)
    seconds = demo_command(building, "--city", "--city-checkins", str(checkins), timeout=3600)
    with sqlite3.connect(building) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    building.rename(path)
    for leftover in CACHE.glob(building.name + "-*"):
        leftover.unlink()
    return path, seconds


def copy_database(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def fixtures(database: Path) -> dict:
    """The same bench fixtures on both sizes: today's check-ins where missing, a paired tablet and
    fresh cards at roodenburg, a coordinator's cookie, the busiest visitor and the last full page."""
    import random

    from sqlalchemy import func, insert, select

    from bop import create_app
    from bop.accounts.models import Location
    from bop.checkin.kiosk import pair_directly
    from bop.checkin.models import CheckIn
    from bop.clock import local_today, utcnow
    from bop.extensions import db
    from bop.site.demo import DEMO_PASSWORD
    from bop.site.demo_visits import add_today
    from bop.visitors.codes import generate_code
    from bop.visitors.models import Card, Visitor

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": SECRET_KEY,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "AUTO_MIGRATE": False})
    with app.app_context():
        bop = db.session.execute(select(Location).filter_by(slug="rijn-en-vliet")).scalar_one()
        today = db.session.execute(select(func.count()).where(CheckIn.location_id == bop.id,
                                                              CheckIn.day == local_today())).scalar_one()
        if not today:   # the plain demo: the same 25 check-ins today as every BOP of the city has
            add_today(bop, 25, random.Random(7))
        roodenburg = db.session.execute(select(Location).filter_by(slug="roodenburg")).scalar_one()
        _device, token = pair_directly(db.session, roodenburg, "Bench-tablet", utcnow())
        now = utcnow()
        ids = db.session.execute(insert(Visitor.__table__).returning(Visitor.__table__.c.id,
                                                                     sort_by_parameter_order=True), [
            {"name": f"Scan {n:05d}", "language": "", "phone": "", "created_at": now, "home_location_id": roodenburg.id,
             "organisation_id": roodenburg.organisation_id} for n in range(SCAN_CARDS)]).scalars().all()
        codes = [generate_code() for _ in ids]
        db.session.execute(insert(Card.__table__), [{"visitor_id": v, "code": c, "issued_at": now}
                                                    for v, c in zip(ids, codes, strict=True)])
        db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        visitors = db.session.execute(select(func.count()).select_from(Visitor)
                                      .where(Visitor.organisation_id == bop.organisation_id)).scalar_one()
        busiest = db.session.execute(
            select(CheckIn.visitor_id).where(CheckIn.visitor_id.is_not(None), CheckIn.location_id == bop.id)
            .group_by(CheckIn.visitor_id).order_by(func.count().desc()).limit(1)).scalar_one()
        visits = db.session.execute(select(func.count()).where(CheckIn.visitor_id == busiest)).scalar_one()
        checkins = db.session.execute(select(func.count()).select_from(CheckIn)).scalar_one()
        cookie = bench.datasets.login_cookie(app, STAFF, DEMO_PASSWORD)
    return {"token": token, "codes": codes, "cookie": cookie, "busiest": busiest, "visits": visits,
            "deep": max(1, visitors // PAGE_SIZE), "visitors": visitors, "checkins": checkins}


# ------------------------------------------------------------------------------------- pages

PAGES = [  # (name, path, staff cookie, built from scratch with a query argument of its own)
    ("agenda", "/bop/rijn-en-vliet", False, True),
    ("agenda.ics (feed)", "/bop/rijn-en-vliet/agenda.ics", False, True),
    ("kiosk scan (POST, new card)", "/api/v1/checkins", False, False),
    ("today list", "/staff/checkin/today?bop=rijn-en-vliet", True, False),
    ("today.json", "/staff/checkin/today.json?bop=rijn-en-vliet", True, False),
    ("visitor list, first page", "/staff/visitors/", True, False),
    ("visitor list, deep page", "/staff/visitors/?page={deep}", True, False),
    ("visitor page (busiest)", "/staff/visitors/{busiest}", True, False),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=2, help="seconds per wrk run")
    parser.add_argument("--checkins", type=int, default=1_000_000, help="the city's check-ins")
    parser.add_argument("--in-process", type=int, default=0, metavar="N",
                        help="also N requests per page and size through Flask's test client in this process, "
                             "demo and city alternating: the server's own time, without the load generator")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    began = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="bop-bench-city-"))
    print(f"# BOP city-size vs demo-size — {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPU(s), "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; gunicorn {bench.WORKERS} sync workers, "
          f"wrk -t1 -c{bench.CONNECTIONS}, SQLite (WAL), {args.rounds} interleaved rounds of {args.duration} s\n",
          flush=True)
    try:
        city_cached, built = city_database(args.checkins)
        demo_seconds = demo_command(work / "demo.sqlite", timeout=600)
        print(f"  demo: flask bop demo {demo_seconds:.1f} s", flush=True)
        copy_database(city_cached, work / "city.sqlite")
        info = {"demo": fixtures(work / "demo.sqlite"), "city": fixtures(work / "city.sqlite")}
        for name, facts in info.items():
            (work / f"{name}-codes.txt").write_text("\n".join(facts["codes"]) + "\n")
            print(f"  {name}: {facts['checkins']:,} check-ins, {facts['visitors']:,} visitors of Welzijn Leiden "
                  f"(deep page {facts['deep']}), busiest visitor {facts['visits']} visits", flush=True)
        results = measure(work, info, args)
        if args.in_process:
            results["in_process"] = in_process(work, info, args.in_process)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(results, info, args, built, began)


def measure(work: Path, info: dict, args) -> dict:
    results: dict[tuple[str, str], list[dict]] = {}
    loads: list[float] = []
    offsets = {"demo": 0, "city": 0}
    script = BENCH / "wrk" / "checkin.lua"
    unique = BENCH / "wrk" / "unique.lua"
    with ExitStack() as servers:
        for name in ("demo", "city"):
            env = {"BOP_SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / f'{name}.sqlite'}", "BOP_SECRET_KEY": SECRET_KEY,
                   "BOP_RATELIMIT_ENABLED": "false", "BOP_PAGE_SIZE": str(PAGE_SIZE), "BOP_AUTO_MIGRATE": "false"}
            server = bench.start(name, "bop:create_app()", env, port=PORTS[name])
            servers.callback(bench.stop, server)

        def run(page: tuple, name: str, seconds: float, round_number: int) -> dict:
            title, path, staff, fresh = page
            facts = info[name]
            url = f"http://127.0.0.1:{PORTS[name]}" + path.format(deep=facts["deep"], busiest=facts["busiest"])
            headers = {"User-Agent": bench.datasets.USER_AGENT, **({"Cookie": facts["cookie"]} if staff else {})}
            if path == "/api/v1/checkins":
                result = bench.wrk(url, seconds, script=script, script_args=(
                    str(work / f"{name}-codes.txt"), str(offsets[name]), facts["token"], "null", "0"))
                offsets[name] += result["requests"] + bench.CONNECTIONS
                return result
            if fresh:
                return bench.wrk(url, seconds, headers=headers, script=unique, script_args=(str(round_number),))
            return bench.wrk(url, seconds, headers=headers)

        for page in PAGES:   # warm-up, unmeasured: imports, templates, connections, caches
            for name in ("demo", "city"):
                first = run(page, name, 1, 99)
                if first["bad"]:
                    raise SystemExit(f"{page[0]} on {name}: {first['bad']} answers that were not 2xx/3xx")
        for round_number in range(args.rounds):
            order = ("demo", "city") if round_number % 2 == 0 else ("city", "demo")
            for page in PAGES:
                for name in order:
                    results.setdefault((page[0], name), []).append(run(page, name, args.duration, round_number))
            loads.append(os.getloadavg()[0])
            print(f"  round {round_number + 1}/{args.rounds} done, load average {loads[-1]:.2f}", flush=True)
    return {"runs": results, "loads": loads}


def in_process(work: Path, info: dict, requests: int) -> dict[str, tuple[float, float, int, int]]:
    """Median milliseconds (and answer sizes) per page and size, one request at a time in this
    process, demo and city alternating (city first in odd turns)."""
    import statistics

    from bop import create_app

    clients = {}
    for name in ("demo", "city"):
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / f'{name}.sqlite'}", "SECRET_KEY": SECRET_KEY,
                          "RATELIMIT_ENABLED": False, "AUTO_MIGRATE": False, "PAGE_SIZE": PAGE_SIZE})
        client = app.test_client()
        client.set_cookie("session", info[name]["cookie"].split("=", 1)[1])
        clients[name] = (app, client)
    found = {}
    for title, path, _staff, fresh in PAGES:
        times: dict[str, list[float]] = {"demo": [], "city": []}
        sizes = {}
        for turn in range(requests + 3):
            for name in ("demo", "city") if turn % 2 == 0 else ("city", "demo"):
                app, client = clients[name]
                facts = info[name]
                url = path.format(deep=facts["deep"], busiest=facts["busiest"])
                with app.app_context():
                    began = time.perf_counter()
                    if path == "/api/v1/checkins":
                        response = client.post(url, json={"code": facts["codes"][-1 - turn], "nonce": f"inproc-{turn}"},
                                               headers={"Authorization": f"Bearer {facts['token']}"})
                    else:
                        response = client.get(url + (("&" if "?" in url else "?") + f"inproc={turn}" if fresh else ""))
                    spent = time.perf_counter() - began
                assert response.status_code in (200, 201), (title, name, response.status_code)
                if turn >= 3:   # the first turns warm up
                    times[name].append(spent * 1000)
                sizes[name] = len(response.data)
        found[title] = (statistics.median(times["demo"]), statistics.median(times["city"]), sizes["demo"], sizes["city"])
    return found


def report(results: dict, info: dict, args, built: float | None, began: float) -> None:
    runs, loads = results["runs"], results["loads"]
    print(f"\n## City size vs demo size (median, range over {args.rounds} rounds)\n")
    print(f"Demo: {info['demo']['checkins']:,} check-ins; city: {info['city']['checkins']:,} "
          f"({info['city']['checkins'] / info['demo']['checkins']:.0f}×). Load average (1 min) during the rounds: "
          f"{min(loads):.2f}–{max(loads):.2f}.\n")
    print("| page | demo: mean latency ms | city: mean latency ms | demo: req/s | city: req/s "
          "| latency city / demo | req/s city / demo |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    problems = []
    for title, *_ in PAGES:
        demo, city = runs[(title, "demo")], runs[(title, "city")]
        latency_ratio = [c["mean_ms"] / d["mean_ms"] for d, c in zip(demo, city, strict=True) if d["mean_ms"]]
        rate_ratio = [c["rps"] / d["rps"] for d, c in zip(demo, city, strict=True) if d["rps"]]
        print(f"| {title} | {bench.spread([r['mean_ms'] for r in demo], 1)} | {bench.spread([r['mean_ms'] for r in city], 1)} "
              f"| {bench.spread([r['rps'] for r in demo], 0)} | {bench.spread([r['rps'] for r in city], 0)} "
              f"| {bench.spread(latency_ratio)} | {bench.spread(rate_ratio)} |")
        for name, got in (("demo", demo), ("city", city)):
            bad = sum(r["bad"] + r["socket_errors"] for r in got)
            if bad:
                problems.append(f"{title} ({name}): {bad} non-2xx/3xx answers or socket errors")
    if results.get("in_process"):
        print(f"\nIn process (Flask's test client, {args.in_process} requests per page and size, alternating; "
              "median ms, answer size):\n")
        print("| page | demo ms | city ms | city / demo | demo KiB | city KiB |")
        print("| --- | --- | --- | --- | --- | --- |")
        for title, (demo_ms, city_ms, demo_size, city_size) in results["in_process"].items():
            print(f"| {title} | {demo_ms:.1f} | {city_ms:.1f} | {city_ms / demo_ms:.2f} | {demo_size / 1024:.1f} "
                  f"| {city_size / 1024:.1f} |")
    if built is not None:
        print(f"\n`flask bop demo --city --city-checkins {args.checkins}` took {built:.0f} s.")
    for problem in problems:
        print(f"- problem: {problem}")
    print(f"\nTotal time {time.monotonic() - began:.0f} s.")


if __name__ == "__main__":
    main()
