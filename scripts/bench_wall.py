"""Benchmark: how many bytes of question-wall updates a phone receives while people upvote.

Starts ``python app.py`` on a loopback port (fresh SQLite), fills the live session with Q
published questions, then has V participants toggle upvotes (about one tap a second each, the
per-participant limit) for D seconds, while one more phone only watches. Reports, for the
watching phone: the size of the whole wall, the wall messages (``wall`` or ``wall_delta``) and
their bytes per second, and whether its folded wall ends equal to the server's.

    .venv/bin/python scripts/bench_wall.py --questions 250 --voters 20 --seconds 15
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.server import RunningServer, find_item, staff_view  # noqa: E402


def size(data) -> int:
    return len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=int, default=250)
    parser.add_argument("--voters", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    env = {"ROUNDTABLE_JOIN_LIMIT": "100000 per minute", "ROUNDTABLE_LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory(prefix="rt-bench-wall-") as folder:
        server = RunningServer(Path(folder), env).start()
        clients = []
        try:
            staff = server.socket("staff", server.staff_session())
            clients.append(staff)
            item = find_item(staff_view(staff), "Evidence sharing on Internet and Children")
            edit = {
                "item_id": item["id"],
                "question_mode": "open",
                "involves_children": False,
                "children_led": False,
            }
            assert staff.call("staff:item_save", edit)["ok"]
            assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
            ids = []
            askers = -(-args.questions // 5)  # five questions a minute each
            for a in range(askers):
                asker = server.socket("participant", server.participant_session())
                clients.append(asker)
                for n in range(5):
                    if len(ids) == args.questions:
                        break
                    text = (
                        f"Question {len(ids) + 1}: how should schools, parents, platforms and police share "
                        f"the work of keeping children safe online, and who checks ({a}.{n})?"
                    )
                    reply = asker.call("question:ask", {"text": text, "client_id": f"bench-{a:04d}-{n:02d}"})
                    assert reply["ok"] and reply["question"]["status"] == "published", reply
                    ids.append(reply["question"]["id"])
            watcher = server.socket("participant", server.participant_session())
            clients.append(watcher)
            time.sleep(2.5)  # let the asking's wall updates pass
            wall = watcher.call("snapshot")["view"]["wall"]
            full = size(wall)
            watcher.received.clear()
            voters = [server.socket("participant", server.participant_session()) for _ in range(args.voters)]
            clients.extend(voters)
            stop = time.monotonic() + args.seconds
            taps = [0, 0]  # answered, unanswered within 10 s

            def tap(voter, seed):
                rng = random.Random(seed)
                while time.monotonic() < stop:
                    try:
                        reply = voter.call("question:upvote", {"question_id": rng.choice(ids)})
                    except socketio.exceptions.TimeoutError:
                        taps[1] += 1
                        continue
                    if reply.get("ok"):
                        taps[0] += 1
                    time.sleep(1.0)

            started = time.monotonic()
            threads = [threading.Thread(target=tap, args=(v, i)) for i, v in enumerate(voters)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            time.sleep(1.5)
            elapsed = time.monotonic() - started
            messages = [(name, data) for name, data in watcher.received if name in ("wall", "wall_delta")]
            total = sum(size(data) for _, data in messages)
            biggest = max((size(data) for _, data in messages), default=0)
            print(f"wall: {len(ids)} questions, {full / 1024:.1f} KB as a whole")
            answered, late = taps
            print(f"{args.voters} voters: {answered} upvotes answered, {late} unanswered, {elapsed:.1f} s")
            kinds = sorted({name for name, _ in messages})
            print(
                f"watching phone: {len(messages)} {'/'.join(kinds) or 'wall'} messages "
                f"({len(messages) / elapsed:.2f} a second), {total / 1024:.1f} KB in all, "
                f"{total / elapsed / 1024:.2f} KB a second, largest {biggest / 1024:.2f} KB"
            )
        finally:
            for client in clients:
                client.close()
            server.stop()


if __name__ == "__main__":
    main()
