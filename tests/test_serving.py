"""Serving details (roundtable/live/serving.py): websocket unmasking as eventlet does it."""

from __future__ import annotations

import platform

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roundtable.live.serving import unmask


def bytewise(data, mask, length=None, offset=0) -> bytes:
    """RFC 6455's unmasking, one byte at a time (what eventlet's own method does)."""
    if length is None:
        length = len(data)
    return bytes(data[i] ^ mask[(offset + i) % 4] for i in range(length))


@given(
    data=st.binary(max_size=3000),
    mask=st.binary(min_size=4, max_size=4),
    as_list=st.booleans(),
    offset=st.integers(min_value=0, max_value=70000),
    cut=st.integers(min_value=0, max_value=3000),
)
def test_unmask_is_the_bytewise_xor(data, mask, as_list, offset, cut):
    key = list(mask) if as_list else mask  # eventlet masks with a list when it is the client
    assert unmask(data, key, offset=offset) == bytewise(data, key, offset=offset)
    length = min(cut, len(data))
    assert unmask(data, key, length, offset) == bytewise(data, key, length, offset)


def test_unmask_matches_eventlets_own_method_and_round_trips():
    import os

    from eventlet.websocket import RFC6455WebSocket

    original = RFC6455WebSocket.__dict__["_apply_mask"].__func__
    for size in (0, 1, 3, 4, 5, 120, 125, 126, 65535, 70000):
        data, mask = os.urandom(size), os.urandom(4)
        for offset in (0, 1, 2, 3, 9):
            masked = unmask(data, mask, offset=offset)
            if original is not unmask and size <= 4096:
                assert masked == original(data, mask, offset=offset)
            assert unmask(masked, mask, offset=offset) == data


def test_pings_wait_on_a_hub_timer_not_a_sleeping_green_thread():
    """``ping_by_timer``: a socket's next ping goes out after the ping interval, with no green
    thread alive in between; none once the socket has closed; one per pong, as Engine.IO does."""
    import engineio
    import eventlet
    from engineio import packet
    from engineio import socket as engineio_socket

    from roundtable.live import serving

    original = engineio_socket.Socket.__dict__["schedule_ping"]
    try:
        assert serving.ping_by_timer()
        server = engineio.Server(async_mode="eventlet", ping_interval=0.05, logger=False)
        live, closed = engineio_socket.Socket(server, "live"), engineio_socket.Socket(server, "closed")
        spawned = []
        real_spawn_n = eventlet.spawn_n
        eventlet.spawn_n = lambda *a, **k: spawned.append(a) or real_spawn_n(*a, **k)
        try:
            live.schedule_ping()
            live.schedule_ping()  # no pong yet: no second ping
            closed.schedule_ping()
            closed.closed = True
            eventlet.sleep(0.01)
            assert spawned == [] and live.queue.qsize() == 0  # waiting: a timer, no green thread
            eventlet.sleep(0.1)
        finally:
            eventlet.spawn_n = real_spawn_n
        assert len(spawned) == 2  # one short-lived green thread per due ping
        sent = live.queue.get(block=False)
        assert sent.packet_type == packet.PING and live.last_ping is not None
        assert live.queue.qsize() == 0 and closed.queue.qsize() == 0
    finally:
        engineio_socket.Socket.schedule_ping = original


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_free_memory_goes_back_to_the_system_on_glibc():
    from roundtable.live.serving import release_free_memory

    assert release_free_memory() is True  # Linux with glibc, as every machine this runs on


def load_defer_import():
    """app.py's ``defer_import`` (app.py itself cannot be imported here: it builds the app and
    patches the standard library for eventlet when imported)."""
    import ast
    import sys
    from pathlib import Path

    source = (Path(__file__).resolve().parents[1] / "app.py").read_text()
    tree = ast.parse(source)
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "defer_import")
    namespace = {"sys": sys}
    exec(compile(ast.Module(body=[function], type_ignores=[]), "app.py", "exec"), namespace)  # noqa: S102
    return namespace["defer_import"]


def test_a_deferred_module_runs_only_when_first_used(tmp_path, monkeypatch):
    import importlib
    import sys

    package = tmp_path / "rt_deferred_probe"
    package.mkdir()
    (package / "__init__.py").write_text("import builtins\nbuiltins.rt_probe_runs += 1\nvalue = 42\n")
    (package / "part.py").write_text("name = 'part'\n")
    (package / "lazy.py").write_text("answer = 'lazy'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("builtins.rt_probe_runs", 0, raising=False)
    import builtins

    defer_import = load_defer_import()
    try:
        defer_import("rt_deferred_probe")
        defer_import("rt_deferred_probe.lazy")
        defer_import("rt_no_such_parent.child")  # its parent is neither imported nor deferred
        assert "rt_no_such_parent.child" not in sys.modules
        import rt_deferred_probe  # the placeholder: nothing has run

        assert rt_deferred_probe.__file__.endswith("__init__.py")  # what inspect reads: no import
        from rt_deferred_probe import lazy  # a deferred submodule: not run either
        from rt_deferred_probe.part import name  # a submodule runs on its own

        assert name == "part" and builtins.rt_probe_runs == 0
        assert rt_deferred_probe.value == 42  # first use: the real module runs, once
        assert builtins.rt_probe_runs == 1
        real = sys.modules["rt_deferred_probe"]
        assert real is not rt_deferred_probe and real.value == 42
        assert importlib.import_module("rt_deferred_probe.part").name == "part"
        assert real.part.name == "part"  # imported under the placeholder, attached to the real one
        assert lazy.answer == "lazy" and builtins.rt_probe_runs == 1
        assert sys.modules["rt_deferred_probe.lazy"].answer == "lazy"
        defer_import("rt_deferred_probe")  # already imported: left alone
        assert sys.modules["rt_deferred_probe"] is real
        defer_import("rt_no_such_module_anywhere")  # not installed: nothing
        assert "rt_no_such_module_anywhere" not in sys.modules
    finally:
        for name in ("rt_deferred_probe", "rt_deferred_probe.part", "rt_deferred_probe.lazy"):
            sys.modules.pop(name, None)


def test_a_websocket_keeps_only_the_connection_header():
    import http.client
    import io

    from roundtable.live.serving import websocket_buffers_protocol

    protocol = websocket_buffers_protocol()
    handshake = protocol.__new__(protocol)  # no connection: only the headers are looked at
    handshake.headers = http.client.parse_headers(io.BytesIO(
        b"Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nCookie: s=1\r\n\r\n"
    ))
    handshake._slim_headers()
    assert isinstance(handshake.headers, protocol.MessageClass)
    assert handshake.headers.items() == [("Connection", "Upgrade")]
    handshake.headers = http.client.parse_headers(io.BytesIO(b"Host: x\r\n\r\n"))
    handshake._slim_headers()
    assert handshake.headers.items() == [] and handshake.headers.get("Connection", "") == ""
