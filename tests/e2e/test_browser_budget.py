"""Byte budgets on the wire, read from Chromium (tests/e2e/wire.py): the phone page's first load
(HTML, CSS, JavaScript and the socket's first messages), with or without an open poll, within
60 KB, the projector's within 150 KB, and a second visit downloads nothing but the page. Sizes
only: speed is measured by scripts/bench_load.py, never asserted."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .server import staff_view
from .test_browser_spine import PHONE, PROJECTOR, new_page
from .wire import WireMeter

pytestmark = pytest.mark.browser

PHONE_BUDGET = 60 * 1000
PROJECTOR_BUDGET = 150 * 1000


def joined_phone(browser, server, errors, language="en"):
    phone = new_page(browser, PHONE, errors, is_mobile=True, has_touch=True, locale=language)
    phone.goto(server.url(f"/j/{server.code}"))
    return phone


def open_a_poll(server, kind: str) -> dict:
    """Make the first session with a poll of ``kind`` live and open that poll (staff socket)."""
    staff = server.socket("staff", server.staff_session())
    try:
        view = staff_view(staff)
        item, poll = next(
            (item, poll) for day in view["agenda"] for item in day["items"] for poll in item["polls"]
            if poll["kind"] == kind
        )
        assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
        assert staff.call("staff:poll_open", {"poll_id": poll["id"]})["ok"]
        return poll
    finally:
        staff.close()


# The page with nothing open, with the programme's most common kind open, and with a kind whose
# answer widget the phone fetches on demand (static/js/kinds/lazy-widget.js): all within budget.
@pytest.mark.parametrize("open_kind", [None, "single", "wordcloud"])
@pytest.mark.parametrize("language", ["en", "sw"])
def test_the_phone_page_loads_within_its_budget_and_then_from_cache(
    browser, server, artifacts, language, open_kind
):
    errors: list[str] = []
    poll = open_a_poll(server, open_kind) if open_kind else None
    phone = joined_phone(browser, server, errors, language)
    # The join page's own files are cached now; the budget is the phone page's first load, so
    # measure a browser that only ever saw the join form... in a fresh context, with the cookie.
    phone.get_by_test_id("join").click()
    expect(phone).to_have_url(re.compile(rf"/e/{server.code}$"))
    cookies = phone.context.cookies()
    fresh = new_page(browser, PHONE, errors, is_mobile=True, has_touch=True, locale=language)
    fresh.context.add_cookies(cookies)
    meter = WireMeter().attach(fresh)
    fresh.goto(server.url(f"/e/{server.code}"))
    expect(fresh.get_by_test_id("conn-status")).to_have_class(re.compile("online"))
    expect(fresh.get_by_test_id("now")).not_to_have_class(re.compile("is-loading"))
    if poll:
        # Usable: the poll's answer widget is on screen (fetched, for a kind that loads its own).
        expect(fresh.get_by_test_id(f"poll-{poll['id']}")).to_be_visible()
        expect(fresh.get_by_test_id(f"widget-loading-{poll['id']}")).to_have_count(0)
        answer = fresh.get_by_test_id(f"poll-{poll['id']}").locator("button, input, textarea")
        expect(answer.first).to_be_visible()
    fresh.wait_for_timeout(500)  # the socket's first messages (snapshot ack, wall) have arrived
    report = meter.report()
    name = f"wire-phone-{language}" + (f"-{open_kind}" if open_kind else "")
    (artifacts / f"{name}.txt").write_text(report + "\n")
    assert meter.total <= PHONE_BUDGET, report
    assert meter.ws_frames > 0, report  # the socket's messages were counted

    # A second visit: only the page itself comes over the network; every static file is cached.
    meter.reset()
    fresh.goto(server.url(f"/e/{server.code}"))
    expect(fresh.get_by_test_id("conn-status")).to_have_class(re.compile("online"))
    if poll:
        expect(fresh.get_by_test_id(f"widget-loading-{poll['id']}")).to_have_count(0)
    static = [r for r in meter.requests.values() if "/s/" in r.url]
    assert static and all(r.from_cache for r in static), meter.report()
    network = [r.url for r in meter.over_network() if not r.url.startswith("ws")]
    assert all(re.search(rf"/e/{server.code}$|/socket\.io/", url) for url in network), network
    assert errors == []


def test_the_projector_loads_within_its_budget(browser, server, artifacts):
    errors: list[str] = []
    projector = new_page(browser, PROJECTOR, errors)
    meter = WireMeter().attach(projector)
    projector.goto(server.url(f"/screen/{server.code}?key={server.screen_key}&lang=both"))
    expect(projector.get_by_test_id("join-code")).to_have_text(server.code)
    expect(projector.get_by_test_id("qr")).to_be_visible()
    projector.wait_for_timeout(800)
    report = meter.report()
    (artifacts / "wire-projector.txt").write_text(report + "\n")
    assert meter.total <= PROJECTOR_BUDGET, report
    assert errors == []
