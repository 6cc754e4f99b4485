"""Paced check-in load: kiosks that scan at random moments, for latency percentiles.

wrk is the right tool for throughput (a closed loop as fast as the server answers), but its
fixed `delay()` makes all connections fire in the same millisecond every period, so its
percentiles measure that burst queueing behind the app's workers rather than a scan. Real
kiosks scan when people arrive: here every kiosk waits an exponentially distributed pause
(Poisson arrivals, mean `pause` seconds) before each scan, on one asyncio event loop. At 40
scans a second that costs the client a few per cent of one core, so it does not compete with
the server the way a thread per client would.

    python bench/paced.py URL CODES_FILE OFFSET TOKEN ACTIVITY_ID [--kiosks 20] [--pause 0.5] [--seconds 10]

Prints one JSON line: {"requests", "rps", "bad", "latency": {"50": ms, "90": ms, "99": ms}}.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from urllib.parse import urlsplit


async def post(host: str, port: int, path: str, headers: dict[str, str], body: bytes) -> int:
    """One POST on a new connection (gunicorn's sync workers close after every answer)."""
    reader, writer = await asyncio.open_connection(host, port)
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    writer.write(f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {len(body)}\r\n"
                 f"Connection: close\r\n{head}\r\n".encode() + body)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    await reader.read()  # to the end: the server closes
    writer.close()
    return status


async def run(url: str, codes: list[str], token: str, activity: str, kiosks: int, pause: float,
              seconds: float) -> dict:
    parts = urlsplit(url)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    bad = 0
    next_code = iter(codes)
    rnd = random.Random(7)
    deadline = time.perf_counter() + seconds

    async def kiosk(number: int) -> None:
        nonlocal bad
        while True:
            await asyncio.sleep(rnd.expovariate(1 / pause))
            if time.perf_counter() >= deadline:
                return
            code = next(next_code)
            body = json.dumps({"code": code, "activity": int(activity), "nonce": f"p{number}-{code}"}).encode()
            started = time.perf_counter()
            status = await post(parts.hostname, parts.port, parts.path, headers, body)
            latencies.append((time.perf_counter() - started) * 1000)
            bad += not 200 <= status < 300

    await asyncio.gather(*(kiosk(n) for n in range(kiosks)))
    ordered = sorted(latencies)

    def percentile(p: int) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else 0.0

    return {"requests": len(latencies), "rps": len(latencies) / seconds, "bad": bad,
            "mean": statistics.fmean(ordered) if ordered else 0.0,
            "latency": {p: percentile(p) for p in (50, 90, 99)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("codes_file")
    parser.add_argument("offset", type=int)
    parser.add_argument("token")
    parser.add_argument("activity")
    parser.add_argument("--kiosks", type=int, default=20)
    parser.add_argument("--pause", type=float, default=0.5)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    with open(args.codes_file) as handle:
        codes = handle.read().split()[args.offset:]
    print(json.dumps(asyncio.run(run(args.url, codes, args.token, args.activity, args.kiosks, args.pause,
                                     args.seconds))))


if __name__ == "__main__":
    main()
