"""Abuse from one address, tuned for a venue behind one NAT address (issue 9, item 10): event
codes cannot be enumerated, login slows a wrong account down without locking anyone out, and a
socket does not tell an unknown code from an unjoined one."""

from __future__ import annotations

import pytest

from roundtable.web.throttle import LoginThrottle


@pytest.fixture
def app(app_factory):
    """Every fixture of this module with the limits on (the test suite turns them off elsewhere)."""
    return app_factory(
        RATELIMIT_ENABLED=True,
        ROUNDTABLE_CODE_MISS_LIMIT="5 per minute; 20 per hour",
        ROUNDTABLE_LOGIN_FREE_TRIES=3,
        ROUNDTABLE_LOGIN_MAX_DELAY=60,
    )


@pytest.fixture
def limited(app):
    return app


def test_wrong_codes_are_limited_per_address_and_then_every_code_looks_the_same(limited, seed_event):
    ev = seed_event()
    attacker = limited.test_client()
    for guess in range(100000, 100005):
        assert attacker.get(f"/j/{guess}").status_code == 404
    # The budget of misses is spent: now a valid code and an unknown one get the same answer.
    unknown, valid = attacker.get("/j/100009"), attacker.get(f"/j/{ev.code}")
    assert unknown.status_code == valid.status_code == 429
    assert unknown.get_data() == valid.get_data()
    assert attacker.post(f"/j/{ev.code}").status_code == 429
    # Other routes are no oracle either: unknown and unjoined both send to the join page, and the
    # QR code is drawn for any code.
    assert attacker.get("/e/999999").status_code == attacker.get(f"/e/{ev.code}").status_code == 302
    assert attacker.get("/qr/999999.svg").status_code == attacker.get(f"/qr/{ev.code}.svg").status_code == 200


def test_a_venue_joining_with_the_right_code_never_counts(limited, seed_event):
    ev = seed_event()
    for _ in range(60):  # every phone of the venue, one address
        phone = limited.test_client()
        assert phone.get(f"/j/{ev.code}").status_code == 200
        assert phone.post(f"/j/{ev.code}").status_code == 302
    assert limited.test_client().get(f"/j/{ev.code}").status_code == 200


def test_a_phone_that_joined_is_let_in_even_when_its_address_is_limited(limited, seed_event):
    ev = seed_event()
    phone = limited.test_client()
    assert phone.post(f"/j/{ev.code}").status_code == 302
    attacker = limited.test_client()  # same address
    for guess in range(100000, 100006):
        attacker.get(f"/j/{guess}")
    assert attacker.get(f"/j/{ev.code}").status_code == 429
    assert phone.get(f"/j/{ev.code}").status_code == 302  # to its event page


def _login(client, username, password):
    return client.post("/staff/login", data={"username": username, "password": password})


def test_login_slows_one_account_from_one_address_without_locking_out_others(app, login):
    colleague = app.test_client()
    login(colleague, username="moderator", role="moderator")  # creates the account; logs in
    victim = app.test_client()
    login(victim, username="facilitator")
    guesser = app.test_client()
    for _ in range(3):
        assert _login(guesser, "facilitator", "wrong").status_code == 401
    assert _login(guesser, "facilitator", "wrong").status_code == 401  # 4th: now a delay starts
    slowed = _login(guesser, "facilitator", "correct horse battery")
    assert slowed.status_code == 429
    assert b"try again in" in slowed.get_data()
    # Someone else behind the same address, with their own account, is not slowed at all.
    assert _login(app.test_client(), "moderator", "correct horse battery").status_code == 302
    # Far more tries than ten lock nobody out: the delay grows and is always finite.
    assert b"locked" not in slowed.get_data()


def test_login_delay_grows_and_is_capped():
    throttle = LoginThrottle("memory://", free_tries=2, max_delay=8)
    user, address = "Facilitator", "10.0.0.1"
    waits = []
    for _ in range(7):
        throttle.failed(user, address)
        waits.append(throttle.wait(user, address))
    assert waits[:2] == [0, 0]
    assert waits[2:] == sorted(waits[2:]) and 1 <= waits[2] < waits[3] and max(waits) == 8
    assert throttle.wait(user.lower(), address) == waits[-1]  # the account, whatever its case
    assert throttle.wait(user, "10.0.0.2") == 0  # the same account from elsewhere: not yet
    throttle.succeeded(user, address)
    assert throttle.wait(user, address) == 0


def test_socket_refusal_is_the_same_for_an_unknown_code_and_an_unjoined_one(seed_event, socket_client):
    ev = seed_event()
    unknown = socket_client("participant", ev, auth={"role": "participant", "code": "999999"})
    unjoined = socket_client("participant", ev, join_first=False)
    assert not unknown.is_connected() and not unjoined.is_connected()
    assert unknown.connect_error == unjoined.connect_error
    assert unknown.connect_error["data"]["code"] == "not_joined"


def test_behind_a_proxy_the_client_address_is_the_forwarded_one(app_factory):
    # ROUNDTABLE_PROXY_COUNT=1: each client behind nginx has its own budget of wrong codes.
    app = app_factory(
        RATELIMIT_ENABLED=True, ROUNDTABLE_CODE_MISS_LIMIT="2 per minute", ROUNDTABLE_PROXY_COUNT=1
    )
    client = app.test_client()
    for _ in range(2):
        client.get("/j/100001", headers={"X-Forwarded-For": "203.0.113.5"})
    assert client.get("/j/100001", headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 429
    assert client.get("/j/100001", headers={"X-Forwarded-For": "203.0.113.6"}).status_code == 404


def test_without_a_proxy_forwarded_headers_are_not_trusted(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, ROUNDTABLE_CODE_MISS_LIMIT="2 per minute")
    client = app.test_client()
    for forwarded in ("203.0.113.5", "203.0.113.6"):
        client.get("/j/100001", headers={"X-Forwarded-For": forwarded})
    # A spoofed header does not buy a fresh budget.
    assert client.get("/j/100001", headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 429
