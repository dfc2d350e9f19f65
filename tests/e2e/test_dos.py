"""Requests that never finish must not pin the server (issue 9, item 1).

The attack: open Engine.IO long-polling sessions, then POST to them announcing a body
(``Content-Length``) that never comes. Before the fix each such request held one of eventlet's
connection slots for good (the body read had no deadline; a body over the socket cap made
python-engineio close the session and wait for a GET that never came), so with
``ROUNDTABLE_MAX_CONNECTIONS`` slots the server stopped answering everyone. Now every body has a
size cap and a read deadline, and the slot is released: a phone still joins and votes.
"""

from __future__ import annotations

import json
import socket
import time

import requests

from .server import find_item, staff_view

SLOTS = 12


def _polling_sid(base_url: str) -> str:
    reply = requests.get(base_url + "/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=10)
    reply.raise_for_status()
    return json.loads(reply.text[1:])["sid"]  # "0{...}" is Engine.IO's open packet


def _stalled_post(port: int, path: str, length: int) -> socket.socket:
    """Headers that announce ``length`` bytes of body, and then nothing."""
    conn = socket.create_connection(("127.0.0.1", port), timeout=30)
    conn.sendall(
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/plain;charset=UTF-8\r\n"
            f"Content-Length: {length}\r\n\r\n"
        ).encode()
    )
    return conn


def _answer(conn: socket.socket) -> bytes:
    """What the server says on a stalled connection before it closes it (b"" if nothing)."""
    chunks = []
    try:
        while chunk := conn.recv(4096):
            chunks.append(chunk)
    except OSError:
        pass
    return b"".join(chunks)


def test_stalled_bodies_do_not_pin_the_server(start_server):
    server = start_server(
        {
            "ROUNDTABLE_MAX_CONNECTIONS": str(SLOTS),
            "ROUNDTABLE_BODY_TIMEOUT": "2",
            "ROUNDTABLE_SOCKET_TIMEOUT": "20",
            "ROUNDTABLE_KEEPALIVE_TIMEOUT": "5",
        }
    )
    staff_http = server.staff_session()
    staff = server.socket("staff", staff_http)
    view = staff_view(staff)
    item = find_item(view, "Evidence sharing on Internet and Children")
    poll = item["polls"][1]
    assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
    assert staff.call("staff:poll_open", {"poll_id": poll["id"]})["ok"]
    staff_http.close()  # its idle keep-alive connection would hold a slot too

    sids = [_polling_sid(server.base_url) for _ in range(2 * SLOTS)]
    attackers = []
    for index, sid in enumerate(sids):
        # Half announce a body the socket cap allows (the read used to wait for ever), half one
        # over the cap (python-engineio then closed the session and waited for a GET).
        length = 60_000 if index % 2 else 10_000_000
        path = f"/socket.io/?EIO=4&transport=polling&sid={sid}"
        attackers.append(_stalled_post(server.port, path, length))
    # Stalled bodies on ordinary routes too (a form post that never ends).
    attackers += [_stalled_post(server.port, f"/j/{server.code}", 5_000) for _ in range(SLOTS)]

    phone = None
    try:
        # More stalled requests than slots: a phone can only get in if they are let go.
        http = server.participant_session()
        phone = server.socket("participant", http)
        snapshot = phone.call("snapshot", timeout=30)
        assert snapshot["ok"], snapshot
        reply = phone.call(
            "vote",
            {"poll_id": poll["id"], "client_id": "dos-test-1",
             "answer": {"option": poll["options"][0]["id"]}},
            timeout=30,
        )
        assert reply["ok"], reply
        answers = [_answer(conn) for conn in attackers]
    finally:
        for conn in attackers:
            conn.close()
        if phone is not None:
            phone.close()
        staff.close()
    statuses = sorted({a.split(b"\r\n", 1)[0].decode() for a in answers})
    # Every stalled request got a clear answer: too large (413) or too slow (408).
    assert statuses == ["HTTP/1.1 408 Request Timeout", "HTTP/1.1 413 Request Entity Too Large"], statuses
    log = server.log()
    assert "Traceback" not in log, log[-3000:]


def test_slow_but_complete_bodies_still_work(start_server):
    """A body that arrives in pieces within the deadline is read whole: slow links still vote."""
    server = start_server({"ROUNDTABLE_BODY_TIMEOUT": "5"})
    token_page = requests.get(server.url(f"/j/{server.code}"), timeout=10)
    assert token_page.status_code == 200
    sid = _polling_sid(server.base_url)
    body = b"40"  # Socket.IO CONNECT, refused (no cookie): the reply still proves the body was read
    conn = _stalled_post(server.port, f"/socket.io/?EIO=4&transport=polling&sid={sid}", len(body))
    try:
        conn.sendall(body[:1])
        time.sleep(0.5)
        conn.sendall(body[1:])
        head = conn.recv(4096)
    finally:
        conn.close()
    assert head.startswith(b"HTTP/1.1 200"), head[:200]
