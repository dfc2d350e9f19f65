"""A real Roundtable server in a subprocess, and clients that talk to it as people would.

``RunningServer`` starts ``python app.py`` (eventlet, the real entry point) on a free loopback
port with its own instance folder, reads the event code and projector key that the start-up
banner prints, and offers logged-in HTTP sessions and python-socketio clients for each role.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
import socketio

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "e2e-" + secrets.token_hex(8)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RunningServer:
    def __init__(self, instance: Path, env: dict[str, str] | None = None, port: int | None = None):
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.instance = instance
        self.log_path = instance / "server.log"
        self.env = {
            **os.environ,
            "ROUNDTABLE_INSTANCE_PATH": str(instance),
            "ROUNDTABLE_HOST": "127.0.0.1",
            "ROUNDTABLE_PORT": str(self.port),
            "ROUNDTABLE_PUBLIC_URL": self.base_url,
            "ROUNDTABLE_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.proc: subprocess.Popen | None = None
        self._sessions: list[requests.Session] = []
        self.code = ""
        self.screen_key = ""

    def start(self, timeout: float = 90) -> RunningServer:
        self.instance.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=self.env, stdout=log, stderr=log
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.proc.wait()
                raise RuntimeError(f"server exited early:\n{self.log()}")
            banner = re.search(r"/screen/(\w+)\?key=(\w+)", self.log())
            if banner:
                self.code, self.screen_key = banner.group(1), banner.group(2)
                try:
                    with requests.get(self.base_url + "/", timeout=2) as reply:
                        if reply.status_code == 200:
                            return self
                except requests.ConnectionError:
                    pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not start:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        for session in self._sessions:
            session.close()
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    # --- HTTP sessions ---------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def _session(self) -> requests.Session:
        session = requests.Session()
        self._sessions.append(session)  # closed with the server, so no socket is left to the GC
        return session

    def staff_session(self, username: str = "admin", password: str = ADMIN_PASSWORD) -> requests.Session:
        session = self._session()
        page = session.get(self.url("/staff/login"), timeout=10)
        token = CSRF.search(page.text).group(1)
        reply = session.post(
            self.url("/staff/login"),
            data={"username": username, "password": password, "csrf_token": token},
            timeout=10,
            allow_redirects=False,
        )
        assert reply.status_code == 302, reply.text[:500]
        return session

    def participant_session(self, group: str = "") -> requests.Session:
        session = self._session()
        page = session.get(self.url(f"/j/{self.code}"), timeout=10)
        token = CSRF.search(page.text).group(1)
        reply = session.post(
            self.url(f"/j/{self.code}"), data={"group": group, "csrf_token": token}, timeout=10
        )
        assert reply.status_code == 200 and f"/e/{self.code}" in reply.url, reply.text[:500]
        return session

    # --- sockets -----------------------------------------------------------------------------

    def socket(self, role: str, session: requests.Session | None = None, **auth) -> LiveSocket:
        client = LiveSocket()
        headers = {}
        if session is not None:
            headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        client.sio.connect(
            self.base_url,
            headers=headers,
            auth={"role": role, "code": self.code, **auth},
            transports=["websocket"],
            wait_timeout=10,
        )
        return client


class LiveSocket:
    """A python-socketio client that records every message it receives."""

    def __init__(self) -> None:
        self.sio = socketio.Client(reconnection=False)
        self.received: list[tuple[str, dict]] = []
        self.sio.on("*", self._record)

    def _record(self, event: str, data=None) -> None:
        self.received.append((event, data))

    def call(self, event: str, data=None, timeout: float = 10):
        return self.sio.call(event, data if data is not None else {}, timeout=timeout)

    def messages(self, event: str) -> list[dict]:
        return [data for name, data in self.received if name == event]

    def wait_for(self, event: str, predicate=lambda data: True, timeout: float = 10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for data in self.messages(event):
                if predicate(data):
                    return data
            time.sleep(0.05)
        got = repr([(name, str(data)[:200]) for name, data in self.received[-5:]])
        raise AssertionError(f"no {event!r} matching within {timeout}s; last received: {got}")

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()


def staff_view(client: LiveSocket) -> dict:
    reply = client.call("snapshot")
    assert reply["ok"], reply
    return reply["view"]


def find_item(view: dict, title: str, day: int = 0) -> dict:
    return next(item for item in view["agenda"][day]["items"] if item["title"] == title)
