"""Fixtures for end-to-end tests: real servers in subprocesses, and Debian's Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .server import RunningServer

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = os.environ.get("ROUNDTABLE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def start_server(tmp_path_factory):
    """Factory: start a server (extra environment optional); every one is stopped afterwards."""
    servers: list[RunningServer] = []

    def start(env: dict[str, str] | None = None, instance: Path | None = None) -> RunningServer:
        folder = instance or tmp_path_factory.mktemp("instance")
        server = RunningServer(folder, env).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def server(start_server) -> RunningServer:
    """The default install: SQLite in a fresh instance folder, eventlet, the built-in roundtable."""
    return start_server()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait for the page; 15 s rather than 5 leaves room for a busy two-core machine
    # without hiding a real failure (a change that never arrives still fails).
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def close_pages(request):
    """Close every page a browser test opened: a page left open keeps reconnecting to its
    stopped server and takes CPU from the tests after it."""
    yield
    if request.node.get_closest_marker("browser"):
        for context in request.getfixturevalue("browser").contexts:
            context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
