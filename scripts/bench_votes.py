"""Benchmark: how fast a crowd's votes are acknowledged and reach the console.

Starts ``python app.py`` on a loopback port (a fresh SQLite instance, or PostgreSQL + Redis with
--postgres), joins N phones, has them all vote on one poll at the same moment, and reports:
- vote acknowledgement latency (p50 / p95 / max), measured on each phone from emit to ack;
- throughput (acknowledged votes per second over the burst);
- time from the first vote to the console's tally showing all N (the live path end to end).

    .venv/bin/python scripts/bench_votes.py --phones 500 --rounds 3
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.crowd import join_crowd, leave, vote_all  # noqa: E402
from tests.e2e.server import RunningServer, find_item, staff_view  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL + Redis instead of SQLite")
    args = parser.parse_args()

    env = {"ROUNDTABLE_JOIN_LIMIT": "100000 per minute", "ROUNDTABLE_LOG_LEVEL": "WARNING"}
    database = None
    if args.postgres:
        import psycopg2

        database = "rt_bench_" + uuid.uuid4().hex[:8]
        admin = psycopg2.connect(host="127.0.0.1", user="root", dbname="postgres")
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{database}"')
        env.update(
            ROUNDTABLE_DATABASE_URL=f"postgresql://root@127.0.0.1:5432/{database}",
            ROUNDTABLE_MESSAGE_QUEUE="redis://127.0.0.1:6379/0",
            ROUNDTABLE_CHANNEL="rt-bench-" + database,
            ROUNDTABLE_RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
        )
    with tempfile.TemporaryDirectory(prefix="rt-bench-") as folder:
        server = RunningServer(Path(folder), env).start()
        try:
            run(server, args)
        except BaseException:
            print(server.log()[-3000:])
            raise
        finally:
            server.stop()
            if database:
                admin.cursor().execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def run(server: RunningServer, args) -> None:
    staff = server.socket("staff", server.staff_session())
    item = find_item(staff_view(staff), "Evidence sharing on Internet and Children")
    poll = item["polls"][1]
    options = [o["id"] for o in poll["options"]]
    staff.call("staff:poll_open", {"poll_id": poll["id"]})

    async def crowd():
        started = time.perf_counter()
        phones = await join_crowd(server.base_url, server.code, args.phones)
        print(f"{args.phones} phones joined and connected in {time.perf_counter() - started:.1f} s")
        try:
            for round_ in range(args.rounds):
                staff.received.clear()
                answers = [{"option": options[(i + round_) % len(options)]} for i in range(args.phones)]
                started = time.perf_counter()
                replies = await vote_all(phones, poll["id"], answers, f"r{round_}")
                burst = time.perf_counter() - started
                assert all(reply["ok"] for reply, _ in replies)
                latencies = [latency * 1000 for _, latency in replies]
                expected = {str(o): 0 for o in options}
                for answer in answers:
                    expected[str(answer["option"])] += 1
                await asyncio.to_thread(
                    staff.wait_for, "tally", lambda t, e=expected: t["counts"] == e, 60
                )
                live = time.perf_counter() - started
                print(
                    f"round {round_ + 1}: {args.phones} votes acknowledged in {burst:.2f} s "
                    f"({args.phones / burst:.0f} votes/s); "
                    f"ack latency p50 {statistics.median(latencies):.0f} ms, "
                    f"p95 {percentile(latencies, 0.95):.0f} ms, max {max(latencies):.0f} ms; "
                    f"console showed the exact tally {live:.2f} s after the first vote "
                    f"({len(staff.messages('tally'))} tally messages for {args.phones} votes)"
                )
        finally:
            await leave(phones)

    try:
        asyncio.run(crowd())
    finally:
        staff.close()


if __name__ == "__main__":
    main()
