"""Benchmark: how fast the USSD callback answers, screen by screen, with many phones at once.

Starts ``python app.py`` on a loopback port (a fresh SQLite instance), opens the single-choice
poll of the evidence session, then N phones walk the menu at the same time as Africa's Talking
would drive them (dial, code, language, group, poll, answer: six requests each) from
``--concurrency`` threads. Reports the per-request latency (p50 / p95 / max) and checks that the
tally counts every phone. Africa's Talking's time limit for a USSD reply is a few seconds.

    .venv/bin/python scripts/bench_ussd.py --phones 200 --concurrency 20
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.server import RunningServer, find_item, staff_view  # noqa: E402

SECRET = "bench-" + secrets.token_hex(8)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def walk(server: RunningServer, n: int, option_number: str) -> list[float]:
    session = requests.Session()
    number = f"+2547{n:08d}"
    inputs: list[str] = []
    timings = []
    reply = ""
    steps = ["", server.code, "1", "9", "POLL", option_number]
    for step in steps:
        if step == "POLL":
            step = next(
                line.split(" ")[0] for line in reply.split("\n") if line[2:].startswith("Which online")
            )
        if step:
            inputs.append(step)
        started = time.perf_counter()
        response = session.post(
            server.url(f"/channels/ussd?key={SECRET}"),
            data={
                "sessionId": f"bench-{n}",
                "serviceCode": "*384*1#",
                "phoneNumber": number,
                "networkCode": "63902",
                "text": "*".join(inputs),
            },
            timeout=30,
        )
        timings.append(time.perf_counter() - started)
        reply = response.text
        assert response.status_code == 200 and reply.startswith("CON "), reply
    assert reply.startswith("CON Thank you!"), reply
    session.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    env = {"ROUNDTABLE_CHANNELS_SECRET": SECRET, "ROUNDTABLE_USSD_LIMIT": "1000 per minute"}
    server = RunningServer(Path(tempfile.mkdtemp()), env).start()
    try:
        staff = server.socket("staff", server.staff_session())
        item = find_item(staff_view(staff), "Evidence sharing on Internet and Children")
        poll = item["polls"][1]
        assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
        assert staff.call("staff:poll_open", {"poll_id": poll["id"]})["ok"]
        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(lambda n: walk(server, n, str(1 + n % 5)), range(args.phones)))
        elapsed = time.perf_counter() - started
        timings = [t for walk_times in results for t in walk_times]
        tally = staff.wait_for(
            "tally", lambda t: t["poll_id"] == poll["id"] and t["total"] == args.phones, 30
        )
        staff.close()
        print(f"{args.phones} phones x 6 screens, {args.concurrency} at a time:")
        print(f"{len(timings)} requests in {elapsed:.1f} s ({len(timings) / elapsed:.0f} requests/s)")
        p50, p95 = statistics.median(timings), percentile(timings, 0.95)
        print(f"latency p50 {1000 * p50:.0f} ms, p95 {1000 * p95:.0f} ms, max {1000 * max(timings):.0f} ms")
        print(f"tally total {tally['total']} (every phone counted)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
