"""Rate limits (roundtable/live/ratelimit.py, ROUNDTABLE_LIMIT_* and ROUNDTABLE_JOIN_LIMIT).

The defaults must let a venue of 5,000 phones behind ONE address join within a minute and all
vote (and ask for their snapshots) at the same moment, while one phone flooding is refused.
"""

from __future__ import annotations

import uuid

import pytest
from limits import parse_many

from roundtable import create_app
from roundtable.config import from_environment
from roundtable.live.ratelimit import ACTIONS, MemoryCounter, SocketRateLimiter, limits_from_config

VENUE = 5000


def limiter(uri: str = "memory://", **settings: str) -> SocketRateLimiter:
    config = from_environment({f"ROUNDTABLE_{k}": v for k, v in settings.items()})
    return SocketRateLimiter(uri, limits_from_config(config))


@pytest.mark.parametrize("uri", ["memory://", "redis://127.0.0.1:6379/0"])
def test_by_default_a_venue_behind_one_address_votes_and_reconnects_at_once(uri):
    limits = limiter(uri)
    address = f"10.0.{uuid.uuid4().int % 250}.{uuid.uuid4().hex[:6]}"  # unique keys in a shared Redis
    people = [uuid.uuid4().hex for _ in range(VENUE)]
    assert all(limits.allow("snapshot", p, address) for p in people)
    assert all(limits.allow("vote", p, address) for p in people)
    # ... and a second poll right after the first
    assert all(limits.allow("vote", p, address) for p in people)


@pytest.mark.parametrize("uri", ["memory://", "redis://127.0.0.1:6379/0"])
def test_one_phone_flooding_is_refused_and_does_not_use_up_the_venue(uri):
    limits = limiter(uri)
    address, flooder = "192.0.2." + uuid.uuid4().hex[:6], uuid.uuid4().hex
    allowed = [limits.allow("vote", flooder, address) for _ in range(100)]
    assert allowed[:30] == [True] * 30 and not any(allowed[30:])
    assert sum(limits.allow("ask", flooder, address) for _ in range(20)) == 5
    assert all(limits.allow("vote", uuid.uuid4().hex, address) for _ in range(50))


def test_default_join_limit_lets_five_thousand_join_within_a_minute():
    for item in parse_many(str(from_environment({})["ROUNDTABLE_JOIN_LIMIT"])):
        assert item.amount * 60 / item.get_expiry() >= VENUE


def test_every_default_per_address_limit_covers_the_venue_and_per_phone_limits_are_small():
    limits = limits_from_config(from_environment({}))
    assert set(limits) == set(ACTIONS)
    for per_phone, per_address in limits.values():
        assert per_address.amount * 60 / per_address.get_expiry() >= VENUE
        assert per_phone.amount * 60 / per_phone.get_expiry() <= 180


def test_limits_are_settings():
    limits = limiter(LIMIT_VOTE="2/minute", LIMIT_VOTE_ADDRESS="3/minute")
    assert [limits.allow("vote", "one", "a") for _ in range(3)] == [True, True, False]
    assert [limits.allow("vote", "two", "a"), limits.allow("vote", "three", "a")] == [True, False]


def test_a_malformed_limit_stops_the_start_with_its_name(tmp_path, clean_environ):
    with pytest.raises(ValueError, match="ROUNDTABLE_LIMIT_UPVOTE_ADDRESS"):
        create_app({"ROUNDTABLE_INSTANCE_PATH": str(tmp_path), "ROUNDTABLE_ASYNC_MODE": "threading",
                    "ROUNDTABLE_LIMIT_UPVOTE_ADDRESS": "lots"})


def test_the_join_limit_setting_applies_per_address(app_factory, make_event):
    app = app_factory(RATELIMIT_ENABLED=True, ROUNDTABLE_JOIN_LIMIT="3 per minute")
    with app.app_context():
        code = make_event().code
    statuses = [app.test_client().post(f"/j/{code}").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_the_sliding_window_forgets_slowly_and_idle_keys_are_swept():
    now = [1000.0]
    counter = MemoryCounter(clock=lambda: now[0])
    item = parse_many("2000/10 seconds")[0]  # a venue's limit: the sliding counter
    assert sum(counter.hit(item, "k") for _ in range(2500)) == 2000
    now[0] += 10  # the next window: the previous one still weighs fully at its start
    assert not counter.hit(item, "k")
    now[0] += 5  # half of it overlaps: about 1000 more
    assert sum(counter.hit(item, "k") for _ in range(2000)) == 1000
    small = parse_many("3/10 seconds")[0]  # a phone's limit: exact
    assert [counter.hit(small, "p") for _ in range(4)] == [True, True, True, False]
    now[0] += 9.9
    assert not counter.hit(small, "p")
    now[0] += 0.2
    assert counter.hit(small, "p")
    now[0] += 120
    counter.hit(item, "other")
    assert len(counter) == 1


def test_memory_and_redis_counters_decide_alike_and_a_refusal_counts_nowhere():
    """The same hits at the same (made-up) times get the same answers from both counters: the
    exact windows and the sliding counters, two limits at a time, one of them often full."""
    import random

    from limits import parse

    from roundtable.live.ratelimit import RedisCounter

    clock = [1_000_000.0]
    memory = MemoryCounter(clock=lambda: clock[0])
    shared = RedisCounter("redis://127.0.0.1:6379/0", clock=lambda: clock[0])
    tag = uuid.uuid4().hex
    small, large = parse("5/10 seconds"), parse("1200/minute")
    rng = random.Random(7)
    answers = {"memory": [], "redis": []}
    for step in range(2500):
        clock[0] += rng.choice((0.0, 0.01, 0.05, 0.5, 2.0))
        who = f"{tag}:who:{rng.randrange(4)}"
        limits = ((small, who), (large, f"{tag}:addr"))
        answers["memory"].append(memory.hit_all(limits))
        answers["redis"].append(shared.hit_all(limits))
        del step
    assert answers["memory"] == answers["redis"]
    assert 0 < sum(answers["memory"]) < len(answers["memory"])  # both allowed and refused
    # A refusal counts against nothing: hits refused because the address was full leave the
    # phone's own window untouched (and hits refused by the phone's window leave the address's).
    for name, counter in (("memory", memory), ("redis", shared)):
        tight, phone, venue = parse("3/minute"), f"{tag}:{name}:phone", f"{tag}:{name}:venue"
        assert all(counter.hit_all(((small, f"{tag}:{name}:p{n}"), (tight, venue))) for n in range(3))
        assert not any(counter.hit_all(((small, phone), (tight, venue))) for _ in range(7))
        assert [counter.hit_all(((small, phone), (large, f"{tag}:{name}:elsewhere"))) for _ in range(6)] == (
            [True] * 5 + [False]
        )
