"""One app server or two, behind nginx, sharing PostgreSQL and Redis: what grows with more machines.

Starts everything itself on 127.0.0.1 (Debian's postgresql, redis-server and nginx, gunicorn from
the virtualenv), loads the demo and 2,000 visitors with cards, pairs a kiosk, and drives
`POST /api/v1/checkins` through nginx with wrk (a Lua script gives each request another card and
a fresh nonce). Then the same with a second app server added to nginx's upstream. Reported per
run: check-ins per second, and the CPU seconds the app servers and PostgreSQL spent, per 1,000
check-ins — the figures that say what a second machine would add (app CPU) and what it would not
(the one database). On this 2-core machine the load generator, nginx, both app servers and the
database share the same two cores, so the per-core figures are the ones to read.

    .venv/bin/python bench/bench_servers.py [--seconds 15] [--connections 16] [--workers 2]

Ports 18840-18849. Everything stops by itself at the end, also on an error.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_PORT, REDIS_PORT, NGINX_PORT, APP_PORTS = 18840, 18841, 18842, (18843, 18844)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def pg_bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not versions:
        sys.exit("PostgreSQL is not installed: apt-get install postgresql")
    return str(versions[-1] / name)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes and their children that have been waited for."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / CLOCK_TICKS


def tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True).stdout
    children: dict[int, list[int]] = {}
    for line in out.splitlines():
        child, parent = map(int, line.split())
        children.setdefault(parent, []).append(child)
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


class Stack:
    def __init__(self, work: Path, workers: int):
        self.work, self.workers = work, workers
        self.processes: list[subprocess.Popen] = []
        self.apps: list[subprocess.Popen] = []
        self.pgdata = work / "pg"
        self.env = {
            **os.environ, "PYTHONPATH": str(ROOT), "FLASK_APP": "app.py",
            "BOP_SECRET_KEY": "bench-" + "x" * 40,
            "BOP_SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}/bop",
            "BOP_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "BOP_RATELIMIT_ENABLED": "0",  # the bench measures throughput, not the limits
            "BOP_AUTO_MIGRATE": "0",
        }

    def run_as_postgres(self, *command: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True)

    def start_database(self) -> None:
        self.pgdata.mkdir()
        shutil.chown(self.work, "postgres")
        shutil.chown(self.pgdata, "postgres")
        self.run_as_postgres(pg_bin("initdb"), "-D", str(self.pgdata), "--auth=trust", "-U", "postgres")
        self.run_as_postgres(pg_bin("pg_ctl"), "-D", str(self.pgdata), "-l", str(self.work / "pg.log"), "-w",
                             "-o", f"-h 127.0.0.1 -p {PG_PORT} -k {self.work} -c max_connections=200", "start")
        subprocess.run([pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "bop"],
                       check=True)
        self.processes.append(subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL))

    def postgres_pids(self) -> list[int]:
        head = (self.pgdata / "postmaster.pid").read_text().split()[0]
        return tree(int(head))

    def flask(self, *args: str) -> str:
        return subprocess.run([str(VENV_BIN / "flask"), *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def prepare(self, visitors: int) -> tuple[str, list[str]]:
        self.flask("db", "upgrade")
        self.flask("bop", "demo")
        token = self.flask("bop", "pair-kiosk", "rijn-en-vliet", "Bench kiosk", "--token-only").strip().splitlines()[-1]
        script = (
            "from bop import create_app\nfrom bop.extensions import db\n"
            "from bop.accounts.models import Location\nfrom bop.visitors.models import Visitor\n"
            "from bop.visitors.records import issue_card\n"
            "app = create_app()\nwith app.app_context():\n"
            "    bop = db.session.execute(db.select(Location).filter_by(slug='rijn-en-vliet')).scalar_one()\n"
            f"    for i in range({visitors}):\n"
            "        v = Visitor(name=f'Bezoeker {i}', organisation_id=bop.organisation_id, home_location=bop)\n"
            "        db.session.add(v)\n"
            "        print(issue_card(db.session, v).code)\n"
            "    db.session.commit()\n")
        codes = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=self.env, check=True,
                               capture_output=True, text=True).stdout.split()
        return token, codes

    def start_app(self, port: int) -> None:
        with open(self.work / f"app{port}.log", "w") as log:  # the child keeps its own copy of the file
            app = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "--workers", str(self.workers), "--bind", f"127.0.0.1:{port}",
                 "--access-logfile", "-", "--log-level", "warning", "app:app"],
                cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=log)
        self.apps.append(app)
        wait_for(f"http://127.0.0.1:{port}/healthz")

    def nginx(self, ports: list[int]) -> None:
        upstream = "".join(f"    server 127.0.0.1:{p};\n" for p in ports)
        conf = self.work / "nginx.conf"
        conf.write_text(
            f"pid {self.work}/nginx.pid;\nerror_log {self.work}/nginx.err warn;\nworker_processes 1;\n"
            "events { worker_connections 1024; }\n"
            "http {\n  access_log off;\n"
            f"  client_body_temp_path {self.work}/body; proxy_temp_path {self.work}/proxy;\n"
            f"  upstream bop {{\n{upstream}    keepalive 32;\n  }}\n"
            f"  server {{\n    listen 127.0.0.1:{NGINX_PORT};\n"
            "    location / { proxy_pass http://bop; proxy_http_version 1.1; proxy_set_header Connection \"\";\n"
            "      proxy_set_header Host $host; proxy_set_header X-Forwarded-For $remote_addr;\n"
            "      proxy_set_header X-Forwarded-Proto $scheme; }\n  }\n}\n")
        pid_file = self.work / "nginx.pid"
        if pid_file.exists():
            subprocess.run(["nginx", "-c", str(conf), "-s", "reload"], check=True)
            time.sleep(1)
        else:
            subprocess.run(["nginx", "-c", str(conf)], check=True)
        wait_for(f"http://127.0.0.1:{NGINX_PORT}/healthz")

    def stop(self) -> None:
        if (self.work / "nginx.pid").exists():
            subprocess.run(["nginx", "-c", str(self.work / "nginx.conf"), "-s", "quit"], check=False)
        for process in self.apps + self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.apps + self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.pgdata.exists():
            subprocess.run(["runuser", "-u", "postgres", "--", pg_bin("pg_ctl"), "-D", str(self.pgdata), "-m", "fast",
                            "stop"], check=False, capture_output=True)


LUA = """
codes = {%s}
counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %s"
request = function()
  counter = counter + 1
  local code = codes[(counter %% #codes) + 1]
  local body = '{"code": "' .. code .. '", "nonce": "b' .. id .. '-' .. counter .. '"}'
  return wrk.format(nil, "/api/v1/checkins", nil, body)
end
setup = function(thread) thread:set("id", tostring(math.random(1, 1e9))) end
"""


def load(stack: Stack, script: Path, seconds: int, connections: int) -> dict:
    app_pids = [pid for app in stack.apps for pid in tree(app.pid)]
    pg_pids = stack.postgres_pids()
    app_before, pg_before = cpu_seconds(app_pids), cpu_seconds(pg_pids)
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "-s", str(script),
                          "--latency", f"http://127.0.0.1:{NGINX_PORT}"], capture_output=True, text=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)] if p99 else float("nan")
    app_cpu = cpu_seconds([pid for app in stack.apps for pid in tree(app.pid)]) - app_before
    pg_cpu = cpu_seconds(stack.postgres_pids()) - pg_before
    return {"rps": requests / seconds, "requests": requests, "errors": int(errors.group(1)) if errors else 0,
            "p99": p99_ms, "app_cpu": app_cpu, "pg_cpu": pg_cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument("--visitors", type=int, default=2000)
    args = parser.parse_args()
    for tool in ("wrk", "nginx", "redis-server"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install wrk nginx-light redis-server postgresql")
    work = Path(tempfile.mkdtemp(prefix="bop-servers-"))
    stack = Stack(work, args.workers)
    try:
        stack.start_database()
        token, codes = stack.prepare(args.visitors)
        script = work / "checkin.lua"
        script.write_text(LUA % (",".join(f'"{c}"' for c in codes), token))
        results = {}
        stack.start_app(APP_PORTS[0])
        stack.nginx([APP_PORTS[0]])
        load(stack, script, 3, args.connections)  # warm up: connections, caches, JIT of nothing
        results["1 app server"] = load(stack, script, args.seconds, args.connections)
        stack.start_app(APP_PORTS[1])
        stack.nginx(list(APP_PORTS))
        results["2 app servers"] = load(stack, script, args.seconds, args.connections)
        errors = (work / "pg.log").read_text().count("ERROR")
    finally:
        stack.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"check-ins through nginx, {args.workers} gunicorn workers per app server, {args.connections} connections, "
          f"{args.seconds} s, {os.cpu_count()} cores shared by everything")
    print(f"{'':16}{'per second':>12}{'p99 ms':>9}{'non-2xx':>9}{'app CPU s':>11}{'db CPU s':>10}"
          f"{'app CPU ms/check-in':>21}{'db CPU ms/check-in':>20}")
    for name, r in results.items():
        per = 1000 / max(r["requests"], 1)
        print(f"{name:16}{r['rps']:12.0f}{r['p99']:9.1f}{r['errors']:9d}{r['app_cpu']:11.2f}{r['pg_cpu']:10.2f}"
              f"{r['app_cpu'] * per:21.2f}{r['pg_cpu'] * per:20.2f}")
    print(f"PostgreSQL log ERROR lines during the whole run: {errors}")
    print("Reading: app CPU per check-in is what each added app server brings (it runs on its own machine);\n"
          "the database's CPU per check-in is what every server shares, so one PostgreSQL machine's cores\n"
          "divided by it is the ceiling that more app servers cannot raise.")


if __name__ == "__main__":
    main()
