"""200 phones answer a poll of every kind at once over real sockets: the totals are exact."""

from __future__ import annotations

import asyncio
from collections import Counter

from .crowd import join_crowd, leave, run_crowd, vote_all
from .server import staff_view

CROWD = 200


def answers_for(poll: dict, n: int) -> list:
    ids = [o["id"] for o in poll["options"]]
    kind = poll["kind"]
    make = {
        "single": lambda i: {"option": ids[i % len(ids)]},
        "quiz": lambda i: {"option": ids[(i * 7) % len(ids)]},
        "multiple": lambda i: {"options": sorted({ids[i % len(ids)], ids[(i + 2) % len(ids)]})},
        "rating": lambda i: {"value": i % 5 + 1},
        "ranking": lambda i: {"order": ids[i % len(ids) :] + ids[: i % len(ids)]},
        "points": lambda i: {"points": {str(ids[i % len(ids)]): 60, str(ids[(i + 1) % len(ids)]): 40}},
        "wordcloud": lambda i: {"words": [["safe", "fun", "scary", "learning"][i % 4]]},
        "opentext": lambda i: {"texts": [f"Idea number {i} for a safer internet"]},
    }[kind]
    return [make(i) for i in range(n)]


def expected(poll: dict, answers: list) -> dict:
    ids = [str(o["id"]) for o in poll["options"]]
    kind = poll["kind"]
    if kind in ("single", "quiz", "multiple"):
        counts = Counter({i: 0 for i in ids})
        for a in answers:
            counts.update(str(o) for o in a.get("options", [a.get("option")]))
        return {"counts": dict(counts)}
    if kind == "rating":
        return {"counts": {str(v): c for v, c in Counter(a["value"] for a in answers).items()}}
    if kind == "ranking":
        scores = Counter()
        for a in answers:
            for place, option in enumerate(a["order"], 1):
                scores[option] += len(ids) - place
        return {"scores": dict(scores)}
    if kind == "points":
        sums = Counter({i: 0 for i in ids})
        for a in answers:
            sums.update(a["points"])
        return {"points": dict(sums)}
    if kind == "wordcloud":
        return {"words": Counter(w for a in answers for w in a["words"])}
    return {}


def observed(tally: dict) -> dict:
    kind = tally["kind"]
    if kind in ("single", "quiz", "multiple", "rating"):
        return {"counts": {k: v for k, v in tally["counts"].items() if v or kind != "rating"}}
    if kind == "ranking":
        return {"scores": {r["option_id"]: r["score"] for r in tally["ranking"]}}
    if kind == "points":
        return {"points": tally["points"]}
    if kind == "wordcloud":
        return {"words": Counter(dict(map(tuple, tally["words"])))}
    return {}


def one_poll_per_kind(view: dict) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for day in view["agenda"]:
        for item in day["items"]:
            for poll in item["polls"]:
                found.setdefault(poll["kind"], poll)
    return found


def test_two_hundred_phones_answer_every_kind_at_once(server):
    staff = server.socket("staff", server.staff_session())
    try:
        polls = one_poll_per_kind(staff_view(staff))
        assert sorted(polls) == sorted(
            ["single", "multiple", "quiz", "rating", "ranking", "points", "wordcloud", "opentext"]
        )
        for poll in polls.values():
            assert staff.call("staff:poll_open", {"poll_id": poll["id"]})["ok"]
        plan = {kind: answers_for(poll, CROWD) for kind, poll in polls.items()}

        async def crowd():
            phones = await join_crowd(server.base_url, server.code, CROWD)
            try:
                results = await asyncio.gather(
                    *(vote_all(phones, poll["id"], plan[kind], kind) for kind, poll in polls.items())
                )
            finally:
                await leave(phones)
            return results

        try:
            results = run_crowd(crowd())
        except Exception as error:
            log = server.log()[-4000:]
            raise AssertionError(f"the crowd failed ({error!r}); server log:\n{log}") from error
        for replies in results:
            assert len(replies) == CROWD
            assert all(reply["ok"] for reply, _ in replies), [r for r, _ in replies if not r["ok"]][:3]

        for kind, poll in polls.items():
            tally = staff.wait_for(
                "tally", lambda t, p=poll: t["poll_id"] == p["id"] and t["total"] == CROWD, timeout=30
            )
            assert observed(tally) == expected(poll, plan[kind]), kind
            if kind == "opentext":
                # "The internet we want" is in the children's own session: every answer waits.
                assert len(tally["held"]) == CROWD and tally["shown"] == 0
        counts = staff_view(staff)["response_counts"]
        assert all(counts[str(p["id"])] == CROWD for p in polls.values())
    finally:
        staff.close()
