"""The lock files hold every package the requirement lists name, at the listed version, with
hashes (issue 9.12). Fails when a list changed without ``scripts/lock.sh`` (``make lock``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", re.M)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    return {_canonical(n): v for n, v in PIN.findall(path.read_text())}


def _listed(path: Path) -> list[str]:
    lines = [line.split("#", 1)[0].strip() for line in path.read_text().splitlines()]
    return [line for line in lines if line and not line.startswith("-")]


@pytest.mark.parametrize(
    ("listed", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_every_listed_package_is_locked_at_its_version(listed, lock):
    pins = _pins(ROOT / lock)
    for line in _listed(ROOT / listed):
        match = PIN.match(line)
        assert match, f"{listed}: {line!r} is not pinned as name==version"
        name, version = _canonical(match.group(1)), match.group(2)
        found = pins.get(name)
        assert found == version, f"{lock} has {name} {found}, {listed} {version}: run make lock"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_has_hashes(lock):
    text = (ROOT / lock).read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 1)[1])
    packages = [b for b in blocks if PIN.match(b)]
    assert len(packages) > 20
    for block in packages:
        assert "--hash=sha256:" in block, block[:80]


def test_the_app_lock_has_no_test_packages_and_agrees_with_the_dev_lock():
    app, dev = _pins(ROOT / "requirements.lock"), _pins(ROOT / "requirements-dev.lock")
    assert not {"pytest", "playwright", "hypothesis", "ruff"} & set(app)
    assert {name: dev.get(name) for name in app} == app
