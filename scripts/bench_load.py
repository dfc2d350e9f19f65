"""Benchmark: time to a usable phone page on emulated slow and fast 3G, in Debian's Chromium.

Starts ``python app.py`` (a fresh SQLite instance, the built-in roundtable, a session live with an
open poll), joins a phone, then loads the phone page in a fresh browser context with Chromium's
network emulation (``Network.emulateNetworkConditions``: slow 3G = 400 kbit/s both ways and a
400 ms round trip; fast 3G = 1.44 Mbit/s down, 675 kbit/s up, 150 ms). "Usable" is the moment the
live connection is up and the open poll can be answered (its buttons are on the page). Each case
is run ``--rounds`` times, cold (empty cache) and warm (a second visit); the median is reported,
with the bytes transferred (from CDP's encodedDataLength, as tests/e2e/wire.py counts them).

    .venv/bin/python scripts/bench_load.py --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.server import RunningServer, find_item, staff_view  # noqa: E402
from tests.e2e.wire import WireMeter  # noqa: E402

PHONE = {"width": 390, "height": 844}


def open_a_poll(server: RunningServer) -> int:
    staff = server.socket("staff", server.staff_session())
    try:
        item = find_item(staff_view(staff), "Evidence sharing on Internet and Children")
        poll = item["polls"][1]
        assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
        assert staff.call("staff:poll_open", {"poll_id": poll["id"]})["ok"]
        return poll["id"]
    finally:
        staff.close()


def load(browser, server, cookies, profile, poll_id, language, lite=False) -> tuple[float, int, float, int]:
    """(cold seconds, cold bytes, warm seconds, warm bytes) for one fresh context."""
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale=language, java_script_enabled=not lite
    )
    context.add_cookies(cookies)
    page = context.new_page()
    meter = WireMeter().attach(page, profile)
    url = server.url(f"/lite/{server.code}" if lite else f"/e/{server.code}")
    ready = (
        f"document.querySelector('#poll-{poll_id} button')"
        if lite
        # Right after the navigation commits there may be no document element yet.
        else f"document.documentElement && document.documentElement.dataset.socket === 'online' && "
        f"document.querySelector('[data-testid=poll-{poll_id}] button')"
    )
    results = []
    for _visit in ("cold", "warm"):
        meter.reset()
        start = time.monotonic()
        page.goto(url, wait_until="commit", timeout=120_000)
        page.wait_for_function(f"() => !!({ready})", timeout=120_000, polling=50)
        results += [time.monotonic() - start, meter.total]
    context.close()
    return tuple(results)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        server = RunningServer(Path(folder)).start()
        try:
            poll_id = open_a_poll(server)
            session = server.participant_session()
            cookies = [{"name": c.name, "value": c.value, "url": server.base_url} for c in session.cookies]
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                print(f"{'page':<14}{'network':<10}{'cold s':>8}{'cold KB':>9}{'warm s':>8}{'warm KB':>9}")
                for page_name, language, lite in (
                    ("phone en", "en", False),
                    ("phone sw", "sw", False),
                    ("lite sw", "sw", True),
                ):
                    for profile in ("slow-3g", "fast-3g"):
                        runs = [
                            load(browser, server, cookies, profile, poll_id, language, lite)
                            for _ in range(args.rounds)
                        ]
                        cold_s, cold_b, warm_s, warm_b = (
                            statistics.median(col) for col in zip(*runs, strict=True)
                        )
                        print(
                            f"{page_name:<14}{profile:<10}{cold_s:>8.2f}{cold_b / 1000:>9.1f}"
                            f"{warm_s:>8.2f}{warm_b / 1000:>9.1f}",
                            flush=True,
                        )
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
