"""The framework's ceiling: the crowd benchmark against a bare python-socketio + eventlet server.

``python -m bench.bare --phones N --rounds R`` starts ``python -m bench.bare_server`` (votes
counted in memory, nothing else) on 127.0.0.1, pins it to core 0 and this load generator to
core 1 (as bench/run.py does with the app), then with the same generator (bench/loadgen.py):

1. N phones open their sockets at once (a reconnect storm; no HTTP join: the bare server has no
   pages, and accepts any auth);
2. R bursts: every phone sends one vote at once (unique client ids, a fresh poll id each round).

It reports the connect time, server CPU per connection and RSS with every socket idle, then for
each burst the acked votes, lost and doubled ones (the acks against the server's ``count``:
acknowledged but not counted, received more than once, counted without an ack, and whether the
counts per option are exactly the acknowledged ones), burst time, votes/s, ack p50/p95/p99,
server CPU per vote, and at the end dropped sockets and peak RSS, in bench/run.py's words.
Only 127.0.0.1 is ever contacted; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.loadgen import Client, burst, connect_all, open_session  # noqa: E402
from bench.run import (  # noqa: E402
    burst_cpu_text,
    burst_text,
    command,
    connect_text,
    cpu_seconds,
    end_text,
    pct,
    peak_rss_mb,
    pin,
    rss_mb,
    wait_idle,
)
from tests.e2e.server import free_port  # noqa: E402

OPTIONS = ["1", "2", "3", "4"]


class BareServer:
    """``python -m bench.bare_server`` in a subprocess, its output in ``folder``/server.log."""

    def __init__(self, folder: Path, port: int = 0, fast_unmask: bool = False) -> None:
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "server.log"
        self.fast_unmask = fast_unmask
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> BareServer:
        command = [sys.executable, "-m", "bench.bare_server", "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                command + (["--fast-unmask"] if self.fast_unmask else []), cwd=ROOT, stdout=log, stderr=log
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"bare server exited early:\n{self.log()}")
            try:
                # Engine.IO's polling handshake answers once the server listens.
                with requests.get(f"{self.base_url}/socket.io/?EIO=4&transport=polling", timeout=2) as reply:
                    if reply.status_code == 200:
                        return self
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"bare server did not start:\n{self.log()}")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    @property
    def pid(self) -> int:
        return self.proc.pid

    def cpu(self) -> float:
        return cpu_seconds(self.pid)


async def crowd_run(server: BareServer, args) -> dict:
    out: dict = {"server": "bare python-socketio + eventlet", "fast_unmask": args.fast_unmask,
                 "phones": args.phones, "rounds": []}
    async with open_session() as http:
        # The counter asks for the server's counts; it is not one of the phones.
        counter = Client()
        await counter.connect(http, server.base_url, {"role": "staff"})
        phones = [Client() for _ in range(args.phones)]
        try:
            cpu0, started = server.cpu(), time.perf_counter()
            out["connect_failed"] = await connect_all(
                http, phones, lambda i: server.base_url, {"role": "participant"}, args.connect_concurrency
            )
            out["connect_s"] = time.perf_counter() - started
            out["cpu_ms_per_connect"] = (server.cpu() - cpu0) * 1000 / max(1, len(phones))
            await asyncio.sleep(1.0)
            out["rss_idle_mb"] = rss_mb(server.pid)
            out["peak_rss_idle_mb"] = peak_rss_mb(server.pid)
            voters = [p for p in phones if not p.dropped and p.connected.is_set() and p.refused is None]
            for round_ in range(args.rounds):
                out["rounds"].append(await one_round(server, counter, voters, round_, args))
            out["dropped"] = sum(p.dropped for p in phones)
            out["peak_rss_mb"] = peak_rss_mb(server.pid)
        finally:
            await asyncio.gather(*(p.close() for p in phones), return_exceptions=True)
            await counter.close()
    return out


async def one_round(server: BareServer, counter: Client, voters: list[Client], round_: int, args) -> dict:
    poll_id = round_ + 1  # a fresh poll each round: its counts start at zero
    answers = [OPTIONS[(index + round_) % len(OPTIONS)] for index in range(len(voters))]
    client_ids = [f"b{round_}-{index:05d}-{uuid.uuid4().hex[:6]}" for index in range(len(voters))]
    payloads = [{"poll_id": poll_id, "client_id": client_id, "answer": {"option": int(answer)}}
                for client_id, answer in zip(client_ids, answers, strict=True)]
    cpu0, generator0 = server.cpu(), time.process_time()
    votes = await burst(voters, payloads, args.ack_timeout)
    cpu_votes = server.cpu() - cpu0
    generator_cpu = time.process_time() - generator0
    ok = votes.ok
    if counter.ws.closed:
        await counter.reconnect()
    counted = await counter.call("count", {"poll_id": poll_id}, timeout=60)
    counted_ids = set(counted["client_ids"])
    acked_ids = {client_ids[i] for i in ok}
    expected = dict.fromkeys(OPTIONS, 0)
    for i in ok:
        expected[answers[i]] += 1
    latencies = votes.latencies_ms()
    burst_s = votes.last_ack - votes.started
    return {
        "votes": len(voters),
        "acked": len(ok),
        "errors": votes.errors(),
        "stored": len(counted_ids),
        "received": counted["received"],
        # lost: acknowledged but not counted; doubled: received more than once (the server counts
        # a client id once, so a double shows here, not in the counts); unacked: counted, no ack
        "lost": len(acked_ids - counted_ids),
        "duplicated": counted["received"] - len(counted_ids),
        "unacked_stored": len(counted_ids - acked_ids),
        "counts_exact": {o: counted["counts"].get(o, 0) for o in OPTIONS} == expected,
        "burst_s": burst_s,
        "votes_per_s": len(ok) / burst_s if burst_s else 0,
        "ack_p50_ms": pct(latencies, 0.50),
        "ack_p95_ms": pct(latencies, 0.95),
        "ack_p99_ms": pct(latencies, 0.99),
        "cpu_ms_per_vote": cpu_votes * 1000 / max(1, len(ok)),
        "server_cpu_s": cpu_votes,
        "generator_cpu_s": generator_cpu,
    }


def summary(result: dict) -> str:
    unmask = ", the app's websocket unmasking" if result["fast_unmask"] else ""
    lines = [
        f"{result['phones']} phones on the bare python-socketio + eventlet server (votes counted in "
        f"memory{unmask})",
        f"  {connect_text(result, 'sockets')}",
    ]
    for n, r in enumerate(result["rounds"], 1):
        lines.append(
            f"  round {n}: {burst_text(r)}; counts {'exact' if r['counts_exact'] else 'WRONG'}; "
            f"CPU {r['cpu_ms_per_vote']:.2f} ms/vote; {burst_cpu_text(r)}"
        )
    lines.append(end_text(result))
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--phones", type=int, default=200)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--port", type=int, default=0, help="the server's port (0: any free)")
    p.add_argument("--connect-concurrency", type=int, default=1000)
    p.add_argument("--ack-timeout", type=float, default=120)
    p.add_argument("--fast-unmask", action="store_true",
                   help="the app's websocket unmasking instead of eventlet's (imports the app's package)")
    p.add_argument("--no-pin", action="store_true", help="leave the processes on every core")
    p.add_argument("--json", help="also write the result to this file")
    return p


def run(args) -> dict:
    with (
        tempfile.TemporaryDirectory(prefix="rt-bare-") as folder,
        BareServer(Path(folder), args.port, args.fast_unmask) as server,
    ):
        wait_idle(server.cpu)
        if not args.no_pin:
            pin([server.pid])
        try:
            return asyncio.run(crowd_run(server, args))
        except BaseException:
            print(server.log()[-3000:], file=sys.stderr)
            raise


def main(argv: list[str] | None = None) -> None:
    command(parser, run, summary, argv)


if __name__ == "__main__":
    main()
