"""Ended logins across processes: two servers on PostgreSQL and a Redis message queue. A staff
socket on one process is disconnected when the login ends on the other (logout, deactivation)."""

from __future__ import annotations

import re
import secrets
import time
import uuid

from .server import CSRF
from .test_live_sockets import postgres_url  # noqa: F401 - the fixture

ENV = {
    "ROUNDTABLE_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
    "ROUNDTABLE_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
}


def wait_disconnected(client, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not client.sio.connected:
            return True
        time.sleep(0.05)
    return False


def post(server, session, path, data=None):
    page = session.get(server.url("/staff/"), timeout=10)
    token = CSRF.search(page.text).group(1)
    return session.post(
        server.url(path), data={**(data or {}), "csrf_token": token}, timeout=10, allow_redirects=False
    )


def test_logout_and_deactivation_on_one_process_disconnect_sockets_on_the_other(
    start_server,
    postgres_url,  # noqa: F811
    tmp_path,
):
    env = {
        **ENV,
        "ROUNDTABLE_DATABASE_URL": postgres_url,
        "ROUNDTABLE_CHANNEL": "rt-e2e-" + uuid.uuid4().hex[:8],
        "ROUNDTABLE_SECRET_KEY": secrets.token_hex(16),
    }
    first = start_server(env, tmp_path / "a")
    second = start_server(env, tmp_path / "b")
    admin = first.staff_session()

    # Logout on the first process: the same login's socket on the second goes.
    copy = second.staff_session()  # another login of the admin, on the second process
    sock = second.socket("staff", copy)
    assert sock.call("snapshot")["ok"]
    assert post(first, copy, "/staff/logout").status_code == 302
    assert wait_disconnected(sock), "the socket on the other process was not disconnected"
    assert copy.get(second.url(f"/staff/{second.code}"), allow_redirects=False).status_code == 302

    # Logout ends every login of the account (one token per account): the admin logs in again.
    assert admin.get(first.url("/staff/"), allow_redirects=False).status_code == 302
    admin = first.staff_session()

    # Deactivation by the admin on the first process: the person's socket on the second goes.
    reply = post(
        first,
        admin,
        "/staff/people",
        {"username": "moderator1", "role": "facilitator", "event_1": "moderator"},
    )
    password = re.search(r'data-testid="new-password">([^<]+)<', reply.text).group(1)
    moderator = second.staff_session("moderator1", password)
    mod_sock = second.socket("staff", moderator)
    assert mod_sock.call("snapshot")["ok"]
    user_id = re.search(
        r"/staff/people/(\d+)/active", reply.text.split('data-username="moderator1"')[1]
    ).group(1)
    assert post(first, admin, f"/staff/people/{user_id}/active", {"active": "false"}).status_code == 200
    assert wait_disconnected(mod_sock), "the deactivated person's socket was not disconnected"
    events = [name for name, _ in mod_sock.received]
    assert "session_ended" in events or not mod_sock.sio.connected
    for client in (sock, mod_sock):
        client.close()
