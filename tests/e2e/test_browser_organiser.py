"""An organiser's own event, in a real browser, from a fresh install.

An admin creates a two-session event, adds a facilitator who can open it but not the built-in
roundtable; the facilitator adds and runs a poll that a phone answers, then clears the rehearsal
answers. Screenshots of every organiser page go to test-artifacts/organiser-*.png.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .server import ADMIN_PASSWORD
from .test_browser_spine import LAPTOP, PHONE, new_page

pytestmark = pytest.mark.browser

TITLE = "Community workshop on safer internet use"


def log_in(page, server, username, password):
    page.goto(server.url("/staff/login"))
    page.fill("#username", username)
    page.fill("#password", password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))


def expected_refusal(errors, status):
    """The browser logs a refused request as an error: drop the one this test asked for."""
    matching = [e for e in errors if f"status of {status}" in e]
    assert len(matching) == 1, errors
    errors.remove(matching[0])


def staff_view(page):
    """The console's staff view, once its first snapshot has arrived."""
    page.wait_for_function("() => Boolean(window.roundtableConsole && window.roundtableConsole.state.view)")
    return page.evaluate("window.roundtableConsole.state.view")


def add_session(page, day_section, title, start, end, facilitator=""):
    toggle = day_section.get_by_test_id("add-session-toggle")
    form = day_section.get_by_test_id("add-session")
    if not form.is_visible():
        toggle.click()
    form.get_by_test_id("session-title").fill(title)
    form.get_by_test_id("session-start").fill(start)
    form.get_by_test_id("session-end").fill(end)
    form.get_by_test_id("session-facilitator").fill(facilitator)
    form.get_by_test_id("add-session-submit").click()


def test_admin_creates_an_event_and_a_facilitator_runs_and_clears_it(browser, server, artifacts):
    errors: list[str] = []
    admin = new_page(browser, LAPTOP, errors)
    log_in(admin, server, "admin", ADMIN_PASSWORD)
    expect(admin.get_by_test_id("event-row")).to_have_count(1)  # the built-in roundtable

    # A new event from scratch: title, hosts, dates, time zone; then its two sessions.
    today = dt.date.today()
    form = admin.get_by_test_id("create-event")
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=hosts]").fill("Nairobi county child protection network")
    form.locator("[name=starts_on]").fill(today.isoformat())
    form.locator("[name=ends_on]").fill(today.isoformat())
    form.get_by_test_id("create-submit").click()
    expect(admin).to_have_url(re.compile(r"/staff/\d+/programme$"))
    code = admin.get_by_test_id("event-code").inner_text().strip()
    day = admin.get_by_test_id("day").first
    add_session(admin, day, "What worries you online?", "09:00", "10:00", "Wanjiru")
    day = admin.get_by_test_id("day").first
    add_session(admin, day, "Agreeing next steps", "10:00", "11:00", "DCS")
    expect(admin.get_by_test_id("session")).to_have_count(2)
    # An overlapping session is refused with a clear message and nothing is added.
    add_session(admin, admin.get_by_test_id("day").first, "Overlap", "10:30", "11:30")
    expect(admin.get_by_test_id("programme-error")).to_contain_text("overlaps")
    expect(admin.get_by_test_id("session")).to_have_count(2)
    expected_refusal(errors, 400)
    admin.goto(server.url(f"/staff/{code}/programme"))
    admin.screenshot(path=artifacts / "organiser-programme.png", full_page=True)

    # A facilitator of this event only.
    admin.goto(server.url("/staff/people"))
    admin.get_by_test_id("add-username").fill("wanjiru")
    admin.get_by_test_id(f"add-role-{code}").select_option("facilitator")
    admin.get_by_test_id("add-person-submit").click()
    password = admin.get_by_test_id("new-password").inner_text().strip()
    assert len(password) == 16
    admin.screenshot(path=artifacts / "organiser-staff.png", full_page=True)
    admin.goto(server.url("/staff/"))
    expect(admin.get_by_test_id("event-row")).to_have_count(2)
    admin.screenshot(path=artifacts / "organiser-home.png", full_page=True)

    facilitator = new_page(browser, LAPTOP, errors)
    log_in(facilitator, server, "wanjiru", password)
    rows = facilitator.get_by_test_id("event-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-code", code)
    # The roundtable does not exist for them, over HTTP and over the socket.
    response = facilitator.goto(server.url(f"/staff/{server.code}"))
    assert response.status == 404
    expected_refusal(errors, 404)
    facilitator.goto(server.url("/staff/"))
    facilitator.get_by_test_id("open-event").click()
    expect(facilitator).to_have_url(re.compile(rf"/staff/{code}$"))
    expect(facilitator.get_by_test_id("connection")).to_contain_text(re.compile("Connected", re.I))

    # The facilitator adds a poll to the first session, sets it live and opens the poll.
    view = staff_view(facilitator)
    item = view["agenda"][0]["items"][0]
    facilitator.get_by_test_id(f"select-item-{item['id']}").click()
    facilitator.get_by_test_id("add-poll").click()
    editor = facilitator.get_by_test_id("poll-editor")
    editor.get_by_test_id("poll-kind-single").check()
    editor.get_by_test_id("poll-question").fill("Have you ever been contacted online by a stranger?")
    options = editor.get_by_test_id("poll-options").locator("input[type=text], input:not([type])")
    while options.count() < 3:
        editor.get_by_test_id("poll-add-option").click()
    for index, label in enumerate(["Yes", "No", "Not sure"]):
        options.nth(index).fill(label)
    editor.get_by_test_id("poll-save").click()
    expect(editor).to_be_hidden()
    facilitator.wait_for_function(
        "(id) => window.roundtableConsole.state.view.agenda[0].items[0].polls.length === 1", arg=item["id"]
    )
    view = staff_view(facilitator)
    poll = view["agenda"][0]["items"][0]["polls"][0]
    facilitator.get_by_test_id(f"go-live-{item['id']}").click()
    facilitator.get_by_test_id(f"open-{poll['id']}").click()

    phone = new_page(browser, PHONE, errors, is_mobile=True, has_touch=True)
    phone.goto(server.url(f"/j/{code}"))
    phone.get_by_test_id("join").click()
    expect(phone).to_have_url(re.compile(rf"/e/{code}$"))
    expect(phone.get_by_test_id(f"poll-{poll['id']}")).to_be_visible()
    option = poll["options"][1]
    phone.get_by_test_id(f"option-{option['id']}").click()
    expect(phone.get_by_test_id(f"receipt-{poll['id']}")).to_be_visible()
    expect(facilitator.get_by_test_id(f"count-{poll['id']}")).to_contain_text("1")
    facilitator.screenshot(path=artifacts / "organiser-console.png")

    # Rehearsal over: clear the event's answers. The poll stays, with no answers.
    facilitator.get_by_test_id("tb-menu-open").click()
    facilitator.get_by_test_id("nav-programme").click()
    facilitator.get_by_test_id("tab-data").click()
    expect(facilitator.get_by_test_id("kept-for")).to_contain_text("Kept for 0 days")
    facilitator.get_by_test_id("clear-scope").select_option("event")
    facilitator.get_by_test_id("clear-submit").click()
    expect(facilitator.get_by_test_id("data-message")).to_contain_text("Cleared 1 answer to 1 poll")
    facilitator.screenshot(path=artifacts / "organiser-data.png", full_page=True)
    facilitator.get_by_test_id("tab-audit").click()
    expect(facilitator.get_by_test_id("audit-table")).to_contain_text("answers.clear")
    expect(facilitator.get_by_test_id("audit-table")).to_contain_text("poll.open")
    facilitator.screenshot(path=artifacts / "organiser-audit.png", full_page=True)
    facilitator.get_by_test_id("tab-console").click()
    view = staff_view(facilitator)
    kept = view["agenda"][0]["items"][0]["polls"]
    assert [p["id"] for p in kept] == [poll["id"]] and kept[0]["status"] == "draft"

    # The facilitator logs out; the admin's view of the roundtable is untouched.
    facilitator.get_by_test_id("logout").click()
    expect(facilitator).to_have_url(re.compile("/staff/login"))
    assert errors == [], errors
