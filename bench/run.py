"""The crowd benchmark: N phones join and vote, M projectors watch, the server is measured.

Starts ``python app.py`` (one process on SQLite, or one or two on PostgreSQL + the Redis
queue) on 127.0.0.1, then, from one light asyncio load generator (bench/loadgen.py):

1. N phones join over HTTP as browsers do (GET /j/<code>, POST it, GET /e/<code>);
2. they open their sockets at once (a reconnect storm) and each asks for its snapshot;
3. rounds of votes: all at once (a burst) or at a steady rate, on a fresh generation of one
   four-option poll shown on M projectors (``--live-results``: on every phone too);

and reports join and connect times, ack p50/p95/p99, votes/s, lost and duplicated votes
(acknowledged against stored rows), dropped sockets, settle time (last ack until every projector
shows the exact tally), result messages per screen, ack-to-visible p95, the longest stall of a
probe socket during the burst, server CPU per connection and per vote (from /proc) and peak RSS.

The server is pinned to core 0 and the generator to core 1 (two processes: one core each, the
generator floats). Only 127.0.0.1 is ever contacted; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.loadgen import Client, burst, connect_all, join_many, login, open_session  # noqa: E402
from tests.e2e.server import ADMIN_PASSWORD, RunningServer  # noqa: E402

ITEM_TITLE = "Evidence sharing on Internet and Children"
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def services_cpu(names: tuple[str, ...] = ("postgres", "redis-server")) -> float:
    """CPU seconds so far of this machine's database and queue processes (every PostgreSQL
    backend and Redis): what a burst costs beside the app's servers and the generator."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        if name.startswith(names):
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def pin(pids: list[int]) -> None:
    """Server processes on the first two cores (the first on core 0), and this generator on the
    second core when there is one server; nothing on a one-core machine."""
    cores = os.sched_getaffinity(0)
    if len(cores) < 2:
        return
    first, second = sorted(cores)[:2]
    for index, pid in enumerate(pids):
        os.sched_setaffinity(pid, {first if index == 0 else second})
    if len(pids) == 1:
        os.sched_setaffinity(0, {second})


def wait_idle(cpu, limit: float = 60.0) -> None:
    """Wait (at most ``limit`` s) until ``cpu()`` (servers' CPU seconds) stops growing."""
    deadline = time.monotonic() + limit
    last = cpu()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu()
        if now - last < 0.02:
            return
        last = now


class Servers:
    """One or two server processes sharing a database (two: PostgreSQL and the Redis queue)."""

    def __init__(self, folder: Path, processes: int, postgres: bool, env: dict[str, str], pin: bool = True,
                 port: int = 0):
        self.folder, self.processes, self.postgres = folder, processes, postgres or processes > 1
        self.port = port
        # One secret key for every process, as behind a load balancer: a phone's cookie from one
        # process must be good on the other.
        self.env = {"ROUNDTABLE_LOG_LEVEL": "WARNING", "ROUNDTABLE_SECRET_KEY": uuid.uuid4().hex, **env}
        self.database = None
        self.pin = pin
        self.running: list[RunningServer] = []

    def __enter__(self) -> Servers:
        if self.postgres:
            import psycopg2

            self.database = "rt_bench_" + uuid.uuid4().hex[:8]
            admin = psycopg2.connect(host="127.0.0.1", user="root", dbname="postgres")
            admin.autocommit = True
            admin.cursor().execute(f'CREATE DATABASE "{self.database}"')
            admin.close()
            self.env.update(
                ROUNDTABLE_DATABASE_URL=f"postgresql://root@127.0.0.1:5432/{self.database}",
                ROUNDTABLE_MESSAGE_QUEUE="redis://127.0.0.1:6379/0",
                ROUNDTABLE_CHANNEL="rt-bench-" + self.database,
                ROUNDTABLE_RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
            )
        try:
            for index in range(self.processes):
                port = self.port + index if self.port else None
                server = RunningServer(self.folder / f"p{index}", self.env, port=port).start()
                self.running.append(server)
        except BaseException:
            self.__exit__()
            raise
        self.settle_startup()
        if self.pin:
            pin(self.pids)
        return self

    def __exit__(self, *exc) -> None:
        for server in self.running:
            server.stop()
        if self.database:
            import psycopg2

            admin = psycopg2.connect(host="127.0.0.1", user="root", dbname="postgres")
            admin.autocommit = True
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            admin.close()

    def settle_startup(self, limit: float = 60.0) -> None:
        """Wait (at most ``limit`` s) until the servers are idle: start-up compresses the static
        files in a thread, which would otherwise be counted as the first phones' join cost."""
        wait_idle(self.cpu, limit)

    @property
    def pids(self) -> list[int]:
        return [s.proc.pid for s in self.running]

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)

    def stored(self, poll_id: int) -> tuple[set[str], int, int]:
        """(client ids of the stored responses, responses, response items) of the poll."""
        n = int(poll_id)
        queries = (f"SELECT client_id FROM responses WHERE poll_id = {n}",  # noqa: S608 - an int
                   f"SELECT count(*) FROM response_items WHERE poll_id = {n}")  # noqa: S608
        if self.postgres:
            import psycopg2

            conn = psycopg2.connect(host="127.0.0.1", user="root", dbname=self.database)
        else:
            import sqlite3

            conn = sqlite3.connect(self.running[0].instance / "roundtable.db", timeout=30)
        try:
            cursor = conn.cursor()
            cursor.execute(queries[0])
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(queries[1])
            items = cursor.fetchone()[0]
        finally:
            conn.close()
        return set(ids), len(ids), items


async def staff_setup(http, base: str, code: str, live_results: bool) -> tuple[Client, dict]:
    cookie = await login(http, base, "admin", ADMIN_PASSWORD)
    staff = Client(cookie)
    await staff.connect(http, base, {"role": "staff", "code": code})
    view = (await staff.call("snapshot"))["view"]
    item = next(i for day in view["agenda"] for i in day["items"] if i["title"] == ITEM_TITLE)
    poll = next(p for p in item["polls"] if p["kind"] == "single")
    assert (await staff.call("staff:set_live", {"item_id": item["id"]}))["ok"]
    saved = await staff.call(
        "staff:poll_save",
        {
            "poll_id": poll["id"],
            "item_id": item["id"],
            "kind": "single",
            "question": poll["question"],
            "options": [{"id": o["id"], "label": o["label"]} for o in poll["options"]],
            "results_mode": "live" if live_results else "on_reveal",
        },
    )
    assert saved["ok"], saved
    assert (await staff.call("staff:poll_open", {"poll_id": poll["id"]}))["ok"]
    assert (await staff.call("staff:screen", {"mode": "results", "poll_id": poll["id"]}))["ok"]
    return staff, poll


async def crowd_run(servers: Servers, args) -> dict:
    bases = [s.base_url for s in servers.running]
    code = servers.running[0].code
    out: dict = {"phones": args.phones, "projectors": args.projectors, "processes": servers.processes,
                 "database": "postgresql" if servers.postgres else "sqlite",
                 "live_results": args.live_results, "rounds": []}
    async with open_session() as http:
        staff, poll = await staff_setup(http, bases[0], code, args.live_results)
        options = [str(o["id"]) for o in poll["options"]]
        screens = [Client(keep_tallies=True) for _ in range(args.projectors)]
        for index, screen in enumerate(screens):
            await screen.connect(http, bases[index % len(bases)],
                                 {"role": "screen", "code": code, "key": servers.running[0].screen_key})
        phones: list[Client] = []
        try:
            # 1. join over HTTP
            profiler = start_profile(servers, args, "join")
            cpu0, started = servers.cpu(), time.perf_counter()
            cookies: list[str] = []
            refused: dict[int, int] = {}
            per = [args.phones // len(bases) + (i < args.phones % len(bases)) for i in range(len(bases))]
            for base, n in zip(bases, per, strict=True):
                got, bad = await join_many(http, base, code, n)
                cookies += got
                for status, count in bad.items():
                    refused[status] = refused.get(status, 0) + count
            out["join_s"] = time.perf_counter() - started
            out["join_refused"] = refused
            out["cpu_ms_per_join"] = (servers.cpu() - cpu0) * 1000 / max(1, args.phones)
            profiler = stop_profile(profiler, args, "join")

            # 2. the storm: every socket at once, then each phone's snapshot
            phones = [Client(cookie) for cookie in cookies]

            async def snapshot(phone: Client) -> bool:
                return bool((await phone.call("snapshot", timeout=120)).get("ok"))

            profiler = profiler or start_profile(servers, args, "connect")
            cpu0, started = servers.cpu(), time.perf_counter()
            failed = await connect_all(http, phones, lambda i: bases[i % len(bases)],
                                       {"role": "participant", "code": code}, args.connect_concurrency,
                                       snapshot)
            out["connect_s"] = time.perf_counter() - started
            out["connect_failed"] = failed
            out["cpu_ms_per_connect"] = (servers.cpu() - cpu0) * 1000 / max(1, len(phones))
            profiler = stop_profile(profiler, args, "connect")
            await asyncio.sleep(1.0)
            out["rss_idle_mb"] = sum(rss_mb(pid) for pid in servers.pids)
            out["peak_rss_idle_mb"] = sum(peak_rss_mb(pid) for pid in servers.pids)
            live = [p for p in phones if not p.dropped and p.connected.is_set() and p.refused is None]

            # 3. the rounds
            profiler = profiler or start_profile(servers, args, "votes")
            probe = live[-1] if live else None
            voters = live[:-1] if len(live) > 1 else live
            for round_ in range(args.rounds):
                result = await one_round(servers, staff, screens, voters, probe, poll, options, round_, args)
                out["rounds"].append(result)
            stop_profile(profiler, args, "votes")
            out["dropped"] = sum(p.dropped for p in phones)
            out["peak_rss_mb"] = sum(peak_rss_mb(pid) for pid in servers.pids)
        finally:
            await asyncio.gather(*(p.close() for p in phones), return_exceptions=True)
            for screen in screens:
                await screen.close()
            await staff.close()
    return out


async def one_round(servers, staff, screens, voters, probe, poll, options, round_, args) -> dict:
    if staff.ws.closed:
        # The console reconnects as a browser would (under heavy load a socket may be closed).
        await staff.reconnect()
    reset = await staff.call("staff:poll_reset", {"poll_id": poll["id"]})
    assert reset["ok"], reset
    await asyncio.sleep(0.6)  # let the reset's tally reach the projectors
    generation = round_ + 1
    for client in (*screens, *voters):
        client.tally_messages = 0
    marks = [len(s.tallies) for s in screens]
    expected = dict.fromkeys(options, 0)
    answers = []
    for index in range(len(voters)):
        option = options[(index + round_) % len(options)]
        expected[option] += 1
        answers.append(option)

    stalls: list[float] = []
    stop_probe = asyncio.Event()

    async def probing() -> None:
        # A cheap event (refused at once: bad payload) every 100 ms shows whether the server's
        # loop keeps answering other sockets during the burst.
        if probe is None:
            return
        for _ in range(int(600 / 0.1)):
            if stop_probe.is_set():
                return
            sent = time.perf_counter()
            with suppress(asyncio.TimeoutError, ConnectionError):
                await probe.call("vote", "probe", timeout=30)
            stalls.append(time.perf_counter() - sent)
            await asyncio.sleep(0.1)

    prober = asyncio.create_task(probing())
    client_ids = [f"b{round_}-{index:05d}-{uuid.uuid4().hex[:6]}" for index in range(len(voters))]
    payloads = [{"poll_id": poll["id"], "client_id": client_ids[index], "answer": {"option": int(answer)}}
                for index, answer in enumerate(answers)]
    cpu0, generator0, services0 = servers.cpu(), time.process_time(), services_cpu()
    votes = await burst(voters, payloads, args.ack_timeout, args.rate)
    last_ack, acked_at = votes.last_ack, votes.acked_at
    cpu_votes = servers.cpu() - cpu0
    # PostgreSQL's backends and Redis (their CPU is noise on SQLite: other jobs' databases).
    services = services_cpu() - services0
    # The load generator's own CPU in the burst: near the burst's length, it is what limits.
    generator_cpu = time.process_time() - generator0
    ok = votes.ok
    expected_ok = dict.fromkeys(options, 0)
    for i in ok:
        expected_ok[answers[i]] += 1

    # settle: every projector shows exactly the acknowledged votes (their total only, while the
    # results are hidden from phones: the projector then shows how many have answered)
    settle = None
    deadline = time.perf_counter() + args.settle_timeout
    while time.perf_counter() < deadline:
        done = []
        for screen, mark in zip(screens, marks, strict=True):
            hit = next((t for t in screen.tallies[mark:] if t.generation == generation
                        and t.total == len(ok) and (t.hidden or t.counts == expected_ok)), None)
            done.append(hit)
        if all(done):
            settle = max(t.at for t in done) - last_ack
            break
        await asyncio.sleep(0.02)
    stop_probe.set()
    await prober
    cpu_total = servers.cpu() - cpu0
    stored_ids, stored, items = servers.stored(poll["id"])

    # ack-to-visible: the k-th acknowledged vote is visible once a projector shows a total >= k
    visible: list[float] = []
    for screen, mark in zip(screens, marks, strict=True):
        shown = [t for t in screen.tallies[mark:] if t.generation == generation]
        acks = sorted(acked_at[i] for i in ok)
        j = 0
        for k, at in enumerate(acks, 1):
            while j < len(shown) and shown[j].total < k:
                j += 1
            if j < len(shown):
                visible.append(max(0.0, shown[j].at - at))
    latencies = votes.latencies_ms()
    burst_s = last_ack - votes.started
    backwards = sum(
        1
        for screen, mark in zip(screens, marks, strict=True)
        for a, b in zip(screen.tallies[mark:], screen.tallies[mark + 1:], strict=False)
        if a.generation == b.generation and b.seq >= a.seq and b.total < a.total
    )
    return {
        "votes": len(voters),
        "acked": len(ok),
        "errors": votes.errors(),
        "stored": stored,
        "items": items,
        # lost: acknowledged but not stored; doubled: counted twice (one item per single-choice
        # answer); unacked: stored but its ack never arrived (the phone would retry, safely)
        "lost": sum(1 for i in ok if client_ids[i] not in stored_ids),
        "duplicated": max(0, items - stored),
        "unacked_stored": len(stored_ids - {client_ids[i] for i in ok}),
        "burst_s": burst_s,
        "votes_per_s": len(ok) / burst_s if burst_s else 0,
        "ack_p50_ms": pct(latencies, 0.50),
        "ack_p95_ms": pct(latencies, 0.95),
        "ack_p99_ms": pct(latencies, 0.99),
        "settle_s": settle,
        "visible_p95_ms": pct(visible, 0.95) * 1000,
        "tallies_per_screen": statistics.mean(s.tally_messages for s in screens) if screens else 0,
        "tallies_per_phone": statistics.mean(p.tally_messages for p in voters) if voters else 0,
        "tallies_backwards": backwards,
        "probe_max_ms": max(stalls) * 1000 if stalls else None,
        "probe_p95_ms": pct(stalls, 0.95) * 1000 if stalls else None,
        "cpu_ms_per_vote": cpu_votes * 1000 / max(1, len(ok)),
        "server_cpu_s": cpu_votes,
        "generator_cpu_s": generator_cpu,
        "services_cpu_s": services,
        "cpu_ms_per_vote_settled": cpu_total * 1000 / max(1, len(ok)),
    }


def start_profile(servers, args, phase: str):
    """py-spy on the (first) server process from the start of ``--profile-phase`` to its end.

    Phases in order: join, connect, votes; ``all`` is from the first join to the last round.
    """
    if not args.profile or args.profile_phase not in (phase, "all"):
        return None
    import subprocess

    spy = Path(sys.executable).with_name("py-spy")
    return subprocess.Popen(  # noqa: S603 - our own venv's py-spy
        [str(spy), "record", "--nonblocking", "--rate", str(args.profile_rate), "--format", "raw",
         "-o", args.profile, "-p", str(servers.pids[0])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def stop_profile(profiler, args, phase: str):
    """Stop the profiler at the end of its phase (``all``: at the end of the rounds)."""
    if profiler is None or (args.profile_phase == "all" and phase != "votes"):
        return profiler
    import signal

    profiler.send_signal(signal.SIGINT)
    profiler.wait(timeout=60)
    return None


def summary(result: dict) -> str:
    lines = [
        f"{result['phones']} phones, {result['projectors']} projectors, {result['processes']} process(es) on "
        f"{result['database']}{', results live on every phone' if result['live_results'] else ''}",
        f"  join over HTTP {result['join_s']:.1f} s ({result['cpu_ms_per_join']:.1f} ms CPU each; refused "
        f"{result['join_refused'] or 0}); {connect_text(result, 'sockets + snapshots')}",
    ]
    for n, r in enumerate(result["rounds"], 1):
        settle = f"{r['settle_s']:.2f} s" if r["settle_s"] is not None else "never"
        lines.append(
            f"  round {n}: {burst_text(r)}; settle {settle}; "
            f"ack-to-visible p95 {r['visible_p95_ms']:.0f} ms; "
            f"{r['tallies_per_screen']:.0f} tallies/screen ({r['tallies_backwards']} backwards), "
            f"{r['tallies_per_phone']:.1f}/phone; probe max {r['probe_max_ms'] or 0:.0f} ms; "
            f"CPU {r['cpu_ms_per_vote']:.2f} ms/vote ({r['cpu_ms_per_vote_settled']:.2f} to settle); "
            f"{burst_cpu_text(r)}"
        )
    lines.append(end_text(result))
    return "\n".join(lines)


# The parts of the summary that bench/bare.py prints too, in the same words.

def connect_text(result: dict, what: str) -> str:
    return (f"{what} {result['connect_s']:.1f} s ({result['cpu_ms_per_connect']:.1f} ms CPU each, "
            f"{result['connect_failed']} failed); "
            f"RSS idle {result['rss_idle_mb']:.0f} MB (peak {result['peak_rss_idle_mb']:.0f} MB)")


def burst_text(r: dict) -> str:
    return (f"{r['acked']}/{r['votes']} acked {r['errors'] or ''} in {r['burst_s']:.2f} s "
            f"({r['votes_per_s']:.0f}/s); ack p50/p95/p99 {r['ack_p50_ms']:.0f}/{r['ack_p95_ms']:.0f}/"
            f"{r['ack_p99_ms']:.0f} ms; stored {r['stored']} (lost {r['lost']}, doubled {r['duplicated']}, "
            f"unacked {r['unacked_stored']})")


def burst_cpu_text(r: dict) -> str:
    text = f"burst CPU: server {r['server_cpu_s']:.2f} s, generator {r['generator_cpu_s']:.2f} s"
    if "services_cpu_s" in r:
        text += f", PostgreSQL + Redis {r['services_cpu_s']:.2f} s"
    return text


def end_text(result: dict) -> str:
    return f"  dropped sockets {result['dropped']}; peak RSS {result['peak_rss_mb']:.0f} MB"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--phones", type=int, default=200)
    p.add_argument("--projectors", type=int, default=1)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--rate", type=float, default=0.0, help="votes per second (0: all at once)")
    p.add_argument("--live-results", action="store_true", help="results shown live on every phone")
    p.add_argument("--postgres", action="store_true", help="PostgreSQL + Redis queue (one process)")
    p.add_argument("--processes", type=int, default=1, choices=(1, 2), help="2: PostgreSQL + Redis")
    p.add_argument("--join-limit", default="", help="override ROUNDTABLE_JOIN_LIMIT (default: the app's)")
    p.add_argument("--env", action="append", default=[], help="extra NAME=value for the server")
    p.add_argument("--connect-concurrency", type=int, default=1000)
    p.add_argument("--ack-timeout", type=float, default=120)
    p.add_argument("--settle-timeout", type=float, default=30)
    p.add_argument("--json", help="also write the result to this file")
    p.add_argument("--no-pin", action="store_true", help="leave the processes on every core")
    p.add_argument("--profile", help="py-spy raw (collapsed) stacks of the server into this file")
    p.add_argument("--profile-phase", default="connect", choices=("join", "connect", "votes", "all"),
                   help="what --profile records (default: the socket storm and its snapshots)")
    p.add_argument("--profile-rate", type=int, default=100, help="py-spy samples per second")
    p.add_argument("--port", type=int, default=0, help="first server's port (the second: +1; 0: any free)")
    return p


def run(args) -> dict:
    env = dict(item.split("=", 1) for item in args.env)
    if args.join_limit:
        env["ROUNDTABLE_JOIN_LIMIT"] = args.join_limit
    with (
        tempfile.TemporaryDirectory(prefix="rt-bench-") as folder,
        Servers(
            Path(folder), args.processes, args.postgres, env, pin=not args.no_pin, port=args.port
        ) as servers,
    ):
        try:
            return asyncio.run(crowd_run(servers, args))
        except BaseException:
            for server in servers.running:
                print(server.log()[-3000:], file=sys.stderr)
            raise


def command(make_parser, run_with, summarise, argv: list[str] | None = None) -> None:
    """Parse ``argv``, run, print the summary, and write the result as JSON if ``--json``."""
    args = make_parser().parse_args(argv)
    result = run_with(args)
    print(summarise(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))


def main(argv: list[str] | None = None) -> None:
    command(parser, run, summary, argv)


if __name__ == "__main__":
    main()
