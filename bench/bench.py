"""BOP's pages, its check-in API and its flyer against bare ceilings, all in one bounded run.

    python bench/bench.py [--rounds 5] [--duration 1] [--million] [--only pages,304,flyer,checkin]

What it does (see bench/README.md for why):

1. Generates its data sets (bench/datasets.py): a new BOP, the same BOP after five years, and 50
   BOPs with ~200,000 check-ins (``--million``: also one with 1,000,000).
2. Starts gunicorn (4 sync workers each, 127.0.0.1, ports 18110-18139) for BOP on every data set,
   for BOP's check-in API on a fresh database, and for the bare app (bench/bare_wsgi.py): a Flask
   page of the same size, a Flask+SQLAlchemy insert, the leanest reportlab flyer.
3. Drives every URL with wrk (Debian package ``wrk``), never Python threads. Rounds are
   interleaved: in each round every page runs once on every data set, each followed (or, in odd
   rounds, preceded) by its bare page of the same size, so drift on a shared machine hits both.
   It prints the median and range (min-max) over the rounds of each ratio.
4. Check-in: saturated (closed loop, 8 connections) against the bare insert, interleaved, and
   paced (20 kiosks, each scanning at random moments, on average every 0.5 s: 40/s; bench/paced.py)
   for latency percentiles.

Every wrk run is bounded (``--duration`` seconds), traffic goes only to 127.0.0.1, and every server
is stopped at the end, also on errors. A run with the defaults takes about 7 minutes on 2 cores.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import datasets  # noqa: E402  (bench/datasets.py)

PORTS = {"new": 18110, "5y": 18111, "50": 18112, "1M": 18113, "bare": 18120, "checkin": 18130}
WORKERS = 4
CONNECTIONS = 8
PAGES = [  # (name, path, staff cookie needed)
    ("agenda", "/bop/{slug}", False),
    ("agenda.ics", "/bop/{slug}/agenda.ics", False),
    ("self check-in page", "/bop/{slug}/in", False),
    ("staff week planner", "/staff/plan/{slug}", True),
    ("today list", "/staff/checkin/today?bop={slug}", True),
    ("today.json", "/staff/checkin/today.json?bop={slug}", True),
    ("visitor list", "/staff/visitors/", True),
    ("visitor page", "/staff/visitors/{visitor}", True),
]


# ------------------------------------------------------------------------------------- servers

def start(name: str, app: str, env: dict[str, str], chdir: Path = ROOT, ready: str = "/healthz",
          port: int | None = None) -> subprocess.Popen:
    """gunicorn for `app` on the port of `name` (or `port`); returns once every worker answers `ready`."""
    port = port or PORTS[name]
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is in use; stop whatever runs there first")
    command = [sys.executable, "-m", "gunicorn", "--chdir", str(chdir), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
               "--log-level", "warning", app]
    server = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(ROOT), **env}, cwd=ROOT,
                              start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn for {name} did not start")
        try:
            # The port opens before the workers have imported the app: wait for real answers.
            for _ in range(2 * WORKERS):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready}", timeout=10) as response:
                    response.read()
            return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit(f"gunicorn for {name} did not answer on port {port} within 60 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def bop_server(name: str, database: Path) -> subprocess.Popen:
    # Rate limits off: the bench measures how fast BOP answers, not how soon it says "slow down".
    return start(name, "bop:create_app()", {"BOP_SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                                            "BOP_SECRET_KEY": datasets.SECRET_KEY,
                                            "BOP_RATELIMIT_ENABLED": "false"})


# ----------------------------------------------------------------------------------------- wrk

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url: str, duration: float, *, headers: dict[str, str] | None = None, connections: int = CONNECTIONS,
        script: Path | None = None, script_args: tuple[str, ...] = (), retry: bool = True) -> dict:
    """One wrk run; a run in which not one request completed (a stall of the shared machine) is
    repeated once, twice as long."""
    # wrk takes whole seconds only.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency", "--timeout", "10s"]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30)
    output = done.stdout
    if "Requests/sec" not in output:
        raise SystemExit(f"wrk failed on {url}:\n{output}\n{done.stderr}")
    if " 0 requests in" in output and retry:
        print(f"  (no request completed in {duration} s on {url}; once more, longer)", file=sys.stderr)
        return wrk(url, 2 * duration, headers=headers, connections=connections, script=script,
                   script_args=script_args, retry=False)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    latency = {int(p): float(v) * _UNITS[u] for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$",
                                                                      output, re.MULTILINE)}
    mean = re.search(r"^\s+Latency\s+([\d.]+)(us|ms|s)", output, re.MULTILINE)
    return {"rps": rps, "requests": requests, "bad": int(bad.group(1)) if bad else 0,
            "socket_errors": sum(map(int, errors.groups())) if errors else 0, "latency": latency,
            "mean_ms": float(mean.group(1)) * _UNITS[mean.group(2)] if mean else float("nan")}


def bare_login(bare: str) -> str:
    """The session cookie of the bare app's signed-in person, as a browser holds it after its first
    page: with the CSRF token that page put in the session, and taken with the User-Agent the runs
    send. Without the token every request makes one and signs a new cookie; with another
    User-Agent Flask-Login's session protection marks the session not fresh, again a new cookie
    every request. BOP's staff cookie (`datasets.login_cookie`) has neither cost."""
    agent = {"User-Agent": datasets.USER_AGENT}
    request = urllib.request.Request(f"{bare}/login", data=b"", method="POST", headers=agent)
    with urllib.request.urlopen(request, timeout=30) as response:
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
    assert cookie.startswith("session="), cookie
    request = urllib.request.Request(f"{bare}/staff-page?bytes=1000", headers={"Cookie": cookie, **agent})
    with urllib.request.urlopen(request, timeout=30) as response:
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
    assert cookie.startswith("session="), cookie
    return cookie


def size_of(url: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}")
        return len(response.read())


def etag_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers["ETag"]


# -------------------------------------------------------------------------------------- report

def spread(values: list[float], digits: int = 2) -> str:
    if not values:
        return "—"
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def flyer_json(dataset: datasets.Dataset, path: Path) -> str:
    """The flyer's content as the bare script draws it, made by BOP's own compose code; the URL."""
    from bop import create_app
    from bop.accounts.models import Location
    from bop.clock import local_today
    from bop.extensions import db
    from bop.flyers.compose import flyer_content
    from bop.planning import schedule

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{dataset.path}", "SECRET_KEY": datasets.SECRET_KEY})
    monday = schedule.monday_of(local_today())
    with app.test_request_context("/", base_url=f"http://127.0.0.1:{PORTS[dataset.name]}"):
        location = db.session.execute(db.select(Location).filter_by(slug=dataset.slug)).scalar_one()
        content = flyer_content(location, monday)
    lines = [(content.location_name, True, 26, ""), (content.week_label, True, 18, ""),
             (f"Adres: {content.address}", False, 14, ""), (f"Open: {content.opening_hours}", False, 14, ""),
             (content.banner, True, 16, "")]
    for day in content.days:
        if day.items:
            lines.append((day.label, True, 16, ""))
        for item in day.items:
            lines.append((f"{item.start} – {item.end}  {item.title}  {item.price or content.phrases.free}",
                          True, 13, item.category))
            if item.summary:
                lines.append((item.summary, False, 11, ""))
    contact = content.contact
    if contact:
        lines += [(content.phrases.contact, False, 14, ""), (contact.name, True, 16, ""),
                  (f"Bel: {contact.phone}", True, 14, ""), (f"WhatsApp: {contact.whatsapp}", True, 14, "")]
    lines.append((content.phrases.scan, True, 14, ""))
    photo = base64.b64encode(contact.photo).decode() if contact and contact.photo else ""
    path.write_text(json.dumps({"lines": lines, "url": content.agenda_url, "photo": photo}))
    return f"/bop/{dataset.slug}/flyer/{datasets.date_label(monday)}.pdf"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=1, help="seconds per wrk run (pages)")
    parser.add_argument("--million", action="store_true", help="also 50 BOPs with 1,000,000 check-ins")
    parser.add_argument("--only", default="pages,304,flyer,checkin")
    parser.add_argument("--pages", default="", help="only the pages whose names contain one of these, "
                        "comma-separated (e.g. planner,today)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    parts = set(args.only.split(","))
    began = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="bop-bench-"))
    print(f"# BOP benchmark — {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPU(s), "
          f"gunicorn {WORKERS} sync workers per app, wrk -t1 -c{CONNECTIONS}, SQLite (WAL), "
          f"{args.rounds} interleaved rounds of {args.duration:g} s\n", flush=True)
    sets = {}
    if parts & {"pages", "304", "flyer"}:
        sizes = {"new": dict(locations=1, years=0, changes=5, closures=1, visitors=200,
                             checkins_per_location=1_500, checkin_days=56),
                 "5y": dict(locations=1, years=5, changes=285, closures=18, visitors=1_000,
                            checkins_per_location=20_000, checkin_days=5 * 365),
                 "50": dict(locations=50, years=5, changes=285, closures=18, visitors=5_000,
                            checkins_per_location=4_000, checkin_days=5 * 365)}
        if args.million:
            sizes["1M"] = dict(locations=50, years=5, changes=285, closures=18, visitors=5_000,
                               checkins_per_location=20_000, checkin_days=5 * 365)
        if "pages" not in parts:
            sizes = {k: v for k, v in sizes.items() if k in ("new", "5y")}
        for name, size in sizes.items():
            sets[name] = datasets.build(name, work / f"{name}.sqlite", **size)

    with ExitStack() as servers:
        def run(name: str, starter) -> subprocess.Popen:
            server = starter()
            servers.callback(stop, server)
            return server

        flyer_path = None
        if "flyer" in parts:
            flyer_path = flyer_json(sets["new"], work / "flyer.json")
        run("bare", lambda: start("bare", "bare_wsgi:app", {"BARE_DATABASE": str(work / "bare.sqlite"),
                                                             "BARE_FLYER": str(work / "flyer.json")}, BENCH,
                                  ready="/page?bytes=1000"))
        for name, dataset in sets.items():
            run(name, lambda d=dataset: bop_server(d.name, d.path))
        bare = f"http://127.0.0.1:{PORTS['bare']}"
        bare_cookie = bare_login(bare)

        # What to run: (label, dataset, BOP url, headers, bare url)
        jobs = []
        if "pages" in parts:
            for name, dataset in sets.items():
                base = f"http://127.0.0.1:{PORTS[name]}"
                for page, path, staff in PAGES:
                    if args.pages and not any(part in page for part in args.pages.split(",")):
                        continue
                    url = base + path.format(slug=dataset.slug, visitor=dataset.visitor_id)
                    headers = {"User-Agent": datasets.USER_AGENT, **({"Cookie": dataset.cookie} if staff else {})}
                    size = size_of(url, headers)
                    signed_in = f"{bare}/staff-page?bytes={size}" if staff else None
                    jobs.append((page, name, url, headers, f"{bare}/page?bytes={size}", size, signed_in))
        ratios: dict[tuple[str, str], list[float]] = {}
        staff_ratios: dict[tuple[str, str], list[float]] = {}  # against the bare signed-in page
        rates: dict[tuple[str, str], list[float]] = {}
        problems: list[str] = []

        conditional = []
        if "304" in parts:
            for name in ("new", "5y"):
                base = f"http://127.0.0.1:{PORTS[name]}"
                for page, path in (("agenda", "/bop/{slug}"), ("agenda.ics", "/bop/{slug}/agenda.ics")):
                    url = base + path.format(slug=sets[name].slug)
                    conditional.append((page, name, url, etag_of(url)))
        speedups: dict[tuple[str, str], list[float]] = {}
        fresh_speedups: dict[tuple[str, str], list[float]] = {}
        unique = BENCH / "wrk" / "unique.lua"
        flyer_ratios: list[float] = []
        flyer_rates: dict[str, list[float]] = {"bop": [], "bop, built": [], "bare": []}
        flyer_built: list[float] = []
        flyer_url = f"http://127.0.0.1:{PORTS['new']}{flyer_path}" if flyer_path else ""

        # Warm-up: every URL once, unmeasured (imports, template compilation, caches, connections).
        for _page, _name, url, headers, _bare_url, _size, _signed_in in jobs:
            wrk(url, 1, headers=headers)
        if jobs:
            wrk(jobs[0][4], 1)
            wrk(f"{bare}/staff-page?bytes=1000", 1, headers={"Cookie": bare_cookie, "User-Agent": datasets.USER_AGENT})
        if flyer_url:
            wrk(flyer_url, 1, connections=4)
            wrk(f"{bare}/flyer", 1, connections=4)

        for round_number in range(args.rounds):
            bare_first = round_number % 2 == 1
            for page, name, url, headers, bare_url, _size, signed_in in jobs:
                agent = {"User-Agent": datasets.USER_AGENT}
                pair = [("bare", bare_url, agent),
                        *([("bare signed in", signed_in, {"Cookie": bare_cookie, **agent})] if signed_in else []),
                        ("bop", url, headers)]
                results = {}
                for kind, target, hdrs in (pair if bare_first else pair[::-1]):
                    results[kind] = wrk(target, args.duration, headers=hdrs)
                    if results[kind]["bad"] or results[kind]["socket_errors"]:
                        problems.append(f"{kind} {page} {name}: {results[kind]['bad']} non-2xx, "
                                        f"{results[kind]['socket_errors']} socket errors")
                ratios.setdefault((page, name), []).append(results["bop"]["rps"] / max(results["bare"]["rps"], 1e-9))
                if signed_in:
                    staff_ratios.setdefault((page, name), []).append(
                        results["bop"]["rps"] / max(results["bare signed in"]["rps"], 1e-9))
                rates.setdefault((page, name), []).append(results["bop"]["rps"])
            for page, name, url, etag in conditional:
                full = wrk(url, args.duration)
                fresh = wrk(url, args.duration, script=unique, script_args=(str(round_number),))
                cached = wrk(url, args.duration, headers={"If-None-Match": etag})
                if fresh["rps"]:
                    fresh_speedups.setdefault((page, name), []).append(cached["rps"] / fresh["rps"])
                if full["rps"] and cached["bad"] == 0:
                    speedups.setdefault((page, name), []).append(cached["rps"] / full["rps"])
                else:
                    problems.append(f"304 {page} {name}: full {full['rps']} /s, 304 errors {cached['bad']}")
            if flyer_url:
                order = [("bop", flyer_url, None), ("bop, built", flyer_url, unique), ("bare", f"{bare}/flyer", None)]
                got = {kind: wrk(target, 2 * args.duration, connections=4, script=script,
                                 script_args=(str(round_number),) if script else ())["rps"]
                       for kind, target, script in (order[::-1] if bare_first else order)}
                flyer_built.append(got["bare"] / max(got["bop, built"], 1e-9))
                flyer_ratios.append(got["bare"] / max(got["bop"], 1e-9))  # how many times slower BOP is
                for kind in got:
                    flyer_rates[kind].append(got[kind])
            print(f"  round {round_number + 1}/{args.rounds} done ({time.monotonic() - began:.0f} s)", flush=True)

        if jobs:
            names = list(sets)
            measured = [entry for entry in PAGES if any(job[0] == entry[0] for job in jobs)]
            print("\n## Pages: throughput as a share of a bare Flask page of the same size "
                  "(median, range over rounds)\n")
            print("| page | " + " | ".join(names) + " | worst / new | BOP's rate, worst / new |")
            print("| --- | " + " | ".join("---" for _ in names) + " | --- | --- |")
            for page, _path, _staff in measured:
                cells = [spread(ratios[(page, n)]) for n in names]
                worst = min(statistics.median(ratios[(page, n)]) for n in names) / statistics.median(ratios[(page, "new")])
                # The share compares pages of different sizes when a data set's page is shorter or
                # longer (fewer activities that week, fewer visits); BOP's own requests per second
                # say directly whether a page slows down with age.
                own = min(statistics.median(rates[(page, n)]) for n in names) / statistics.median(rates[(page, "new")])
                print(f"| {page} | " + " | ".join(cells) + f" | {worst:.2f} | {own:.2f} |")
            print("\nStaff pages as a share of the bare page for a signed-in person (Flask-Login loading the "
                  "person from the database, a CSRF token in a form) of the same size:\n")
            print("| page | " + " | ".join(names) + " |")
            print("| --- | " + " | ".join("---" for _ in names) + " |")
            for page, _path, staff in measured:
                if staff:
                    print(f"| {page} | " + " | ".join(spread(staff_ratios[(page, n)]) for n in names) + " |")
            print("\nRequests per second of BOP (median, range) and page size:\n")
            print("| page | " + " | ".join(names) + " |")
            print("| --- | " + " | ".join("---" for _ in names) + " |")
            for page, _path, _staff in measured:
                cells = []
                for n in names:
                    size = next(job[5] for job in jobs if job[0] == page and job[1] == n)
                    cells.append(f"{spread(rates[(page, n)], 0)} /s, {size / 1024:.1f} KiB")
                print(f"| {page} | " + " | ".join(cells) + " |")
        if speedups:
            print("\n## 304 Not Modified: requests per second with a matching If-None-Match, as a multiple of "
                  "a full answer built from scratch (a query argument of its own per request) and of a "
                  "full answer from the per-process body cache\n")
            for (page, name), values in speedups.items():
                print(f"- {page} ({name}): {spread(fresh_speedups.get((page, name), []), 1)}× built, "
                      f"{spread(values, 1)}× cached")
        if flyer_ratios:
            print("\n## Flyer (A4, this week of the new BOP): BOP's time / the lean reportlab script's\n")
            print(f"- built from scratch (a query argument of its own per request): {spread(flyer_built)}× "
                  f"(BOP {spread(flyer_rates['bop, built'], 1)} /s, bare {spread(flyer_rates['bare'], 1)} /s, "
                  f"4 connections)")
            print(f"- repeated (per-process body cache): {spread(flyer_ratios)}× (BOP {spread(flyer_rates['bop'], 1)} /s)")

        if "checkin" in parts:
            checkin(work, args, servers, run, bare)
        if problems:
            print("\n## Problems\n")
            for problem in problems:
                print(f"- {problem}")
    print(f"\nTotal time {time.monotonic() - began:.0f} s; data in {work} (removed).")
    shutil.rmtree(work, ignore_errors=True)


def checkin(work: Path, args, servers, run, bare: str) -> None:
    """Saturated throughput against the bare insert, interleaved; then paced latency."""
    rounds, seconds = args.rounds, 2.0
    token, activity_id, codes = datasets.checkin_database(work / "checkin.sqlite", cards=40_000)
    codes_file = work / "codes.txt"
    codes_file.write_text("\n".join(codes) + "\n")
    run("checkin", lambda: bop_server("checkin", work / "checkin.sqlite"))
    bop = f"http://127.0.0.1:{PORTS['checkin']}/api/v1/checkins"
    script = BENCH / "wrk" / "checkin.lua"
    offset = 0

    def scan(url: str, connections: int, duration: float) -> dict:
        nonlocal offset
        result = wrk(url, duration, connections=connections, script=script,
                     script_args=(str(codes_file), str(offset), token, str(activity_id)))
        offset += result["requests"] + connections
        return result

    scan(bop, CONNECTIONS, 1)
    scan(f"{bare}/insert", CONNECTIONS, 1)
    shares, bop_rates, bare_rates, bad = [], [], [], 0
    for round_number in range(rounds):
        order = [("bop", bop), ("bare", f"{bare}/insert")]
        got = {}
        for kind, url in (order[::-1] if round_number % 2 else order):
            got[kind] = scan(url, CONNECTIONS, seconds)
            bad += got[kind]["bad"] + got[kind]["socket_errors"]
        shares.append(got["bop"]["rps"] / max(got["bare"]["rps"], 1e-9))
        bop_rates.append(got["bop"]["rps"])
        bare_rates.append(got["bare"]["rps"])
    def paced_scan(url: str) -> dict:  # bench/paced.py: Poisson arrivals, not wrk's lockstep delay
        nonlocal offset
        done = subprocess.run([sys.executable, str(BENCH / "paced.py"), url, str(codes_file), str(offset), token,
                               str(activity_id), "--kiosks", "20", "--pause", "0.5", "--seconds", "10"],
                              capture_output=True, text=True, timeout=60, check=True)
        result = json.loads(done.stdout)
        offset += result["requests"] + 20
        result["latency"] = {int(k): v for k, v in result["latency"].items()}
        return result

    paced = {kind: paced_scan(url) for kind, url in (("bop", bop), ("bare", f"{bare}/insert"))}
    print("\n## Check-in (POST /api/v1/checkins, every scan a new card: the 'ok' path)\n")
    print(f"- saturated, {CONNECTIONS} connections: {spread(shares)} of the bare insert "
          f"(BOP {spread(bop_rates, 0)} /s, bare {spread(bare_rates, 0)} /s)")
    for kind, result in paced.items():
        lat = result["latency"]
        print(f"- paced, 20 kiosks × 2 scans/s at random moments ({result['rps']:.0f} /s), {kind}: "
              f"p50 {lat.get(50, 0):.1f} ms, p90 {lat.get(90, 0):.1f} ms, p99 {lat.get(99, 0):.1f} ms")
    if bad or any(r["bad"] for r in paced.values()):
        print(f"- non-2xx or socket errors: {bad + sum(r['bad'] for r in paced.values())}")


if __name__ == "__main__":
    main()
