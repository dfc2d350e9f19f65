"""Start-up of the real ``python app.py``: a busy port is refused, and the app's log survives the
migrations run on start (issue 9, items 3 and 4)."""

from __future__ import annotations

import subprocess
import sys

import requests

from .server import ROOT


def test_second_server_on_a_busy_port_refuses_to_start(server, tmp_path):
    env = {**server.env, "ROUNDTABLE_INSTANCE_PATH": str(tmp_path / "second")}
    second = subprocess.run(
        [sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert second.returncode == 2, (second.returncode, second.stdout[-2000:], second.stderr[-2000:])
    assert f"port {server.port} is already in use" in second.stderr
    assert "Traceback" not in second.stderr
    # The first server is untouched and still the only one answering.
    assert requests.get(server.url(f"/j/{server.code}"), timeout=10).status_code == 200


def test_app_log_survives_start_up(server):
    # Migrations ran on start (ROUNDTABLE_AUTO_MIGRATE), then the seed logged through the app's
    # logger: before the fix, alembic's fileConfig had silenced it.
    log = server.log()
    assert "INFO roundtable.bootstrap: Seeded the built-in roundtable as event" in log, log[-2000:]
    assert "127.0.0.1" not in log.replace(server.base_url, "")


def test_start_up_leaves_heavy_libraries_out_and_still_resolves_names(tmp_path):
    # What ``python app.py`` imports before serving (its module level: the patching, the app),
    # then a host name looked up the way redis-py and the SMS gateway's client do, from a green
    # thread, through the system's resolver in a native thread (no dnspython, no stall).
    probe = (
        "import runpy, socket, sys, time\n"
        "runpy.run_path('app.py', run_name='probe')\n"
        "import eventlet\n"
        "ticks = []\n"
        "ticker = eventlet.spawn(lambda: [ticks.append(eventlet.sleep(0.001)) for _ in range(3)])\n"
        "found = eventlet.spawn(socket.getaddrinfo, 'localhost', 6379, type=socket.SOCK_STREAM).wait()\n"
        "ticker.wait()\n"
        "print(sorted({f[4][0] for f in found}), len(ticks))\n"
        "print(sorted(m for m in ('dns', 'openpyxl', 'PIL', 'segno') if m in sys.modules))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "ROUNDTABLE_INSTANCE_PATH": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    resolved, loaded = done.stdout.splitlines()[-2:]
    assert "127.0.0.1" in resolved or "::1" in resolved, resolved
    assert resolved.endswith(" 3"), resolved
    assert loaded == "[]", loaded
