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
