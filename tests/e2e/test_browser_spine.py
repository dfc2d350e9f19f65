"""The spine in a real browser: a phone, the facilitator console and the projector open at once.

Debian's Chromium through Playwright, against ``python app.py`` in a subprocess. Nothing is ever
reloaded: every change must arrive over the socket. Screenshots of each view go to
test-artifacts/ (the README's pictures come from there).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .server import ADMIN_PASSWORD

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1440, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}

pytestmark = pytest.mark.browser


def new_page(browser, viewport, errors, **options):
    context = browser.new_context(viewport=viewport, **options)
    # Every action and navigation gives up after 30 s (Playwright's default, said here on
    # purpose): a test fails with a call log rather than waiting for ever. page.evaluate has no
    # timeout of its own, so a script that awaits must bound itself (as tests/e2e/axe.py does).
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    return page


def join_on_phone(browser, server, errors, group="children"):
    phone = new_page(browser, PHONE, errors, is_mobile=True, has_touch=True)
    phone.goto(server.url(f"/j/{server.code}"))
    if group:
        phone.locator(f"input[name=group][value={group}]").check()
    phone.get_by_test_id("join").click()
    expect(phone).to_have_url(re.compile(rf"/e/{server.code}$"))
    expect(phone.get_by_test_id("conn-status")).to_have_class(re.compile("online"))
    return phone


def log_in(browser, server, errors):
    console = new_page(browser, LAPTOP, errors)
    console.goto(server.url(f"/staff/{server.code}"))
    expect(console).to_have_url(re.compile("/staff/login"))
    console.fill("#username", "admin")
    console.fill("#password", ADMIN_PASSWORD)
    console.get_by_role("button", name="Log in").click()
    expect(console).to_have_url(re.compile(rf"/staff/{server.code}"))
    expect(console.get_by_test_id("connection")).to_contain_text(re.compile("Connected", re.I))
    return console


def staff_item_and_poll(console, title, question_start):
    view = console.evaluate("window.roundtableConsole.state.view")
    for day in view["agenda"]:
        for item in day["items"]:
            if item["title"] == title:
                poll = next(p for p in item["polls"] if p["question"].startswith(question_start))
                return item, poll
    raise AssertionError(title)


def test_a_vote_travels_from_phone_to_projector_without_reload(browser, server, artifacts):
    errors: list[str] = []
    console = log_in(browser, server, errors)
    projector = new_page(browser, PROJECTOR, errors)
    projector.goto(server.url(f"/screen/{server.code}?key={server.screen_key}"))
    expect(projector.get_by_test_id("join-code")).to_have_text(server.code)
    expect(projector.get_by_test_id("qr")).to_be_visible()
    phone = join_on_phone(browser, server, errors)
    expect(phone.get_by_test_id("waiting")).to_be_visible()

    item, poll = staff_item_and_poll(
        console, "Evidence sharing on Internet and Children", "Which online risk"
    )
    # The facilitator sets the session live and opens the poll; the phone follows.
    console.get_by_test_id(f"go-live-{item['id']}").click()
    expect(phone.get_by_test_id("session-title")).to_have_text(item["title"])
    console.get_by_test_id(f"select-item-{item['id']}").click()
    console.get_by_test_id(f"open-{poll['id']}").click()
    expect(phone.get_by_test_id(f"poll-{poll['id']}")).to_be_visible()

    # The projector shows the poll's results.
    console.get_by_test_id(f"screen-poll-{poll['id']}").click()
    expect(projector.get_by_test_id("screen-question")).to_have_text(poll["question"])
    expect(projector.get_by_test_id("screen-total")).to_have_attribute("data-total", "0")

    # One tap votes; "received" appears only after the server's acknowledgement.
    option = poll["options"][1]
    phone.get_by_test_id(f"option-{option['id']}").click()
    expect(phone.get_by_test_id(f"receipt-{poll['id']}")).to_be_visible()
    expect(projector.get_by_test_id("screen-total")).to_have_attribute("data-total", "1")
    expect(console.get_by_test_id(f"count-{poll['id']}")).to_contain_text("1")

    # Changing the vote replaces it: still one response, now for another option.
    other = poll["options"][2]
    phone.get_by_test_id(f"option-{other['id']}").click()
    expect(phone.get_by_test_id(f"option-{other['id']}")).to_have_attribute("aria-pressed", "true")
    expect(phone.get_by_test_id(f"receipt-{poll['id']}")).to_be_visible()
    expect(projector.get_by_test_id("screen-total")).to_have_attribute("data-total", "1")

    # Results reach the phone, and the projector the room reads, only once the facilitator
    # reveals them: until then the projector shows how many answered, not the split.
    expect(phone.get_by_test_id(f"results-{poll['id']}")).to_have_count(0)
    expect(projector.get_by_test_id("screen-results-hidden")).to_be_visible()
    expect(projector.locator("[data-option-id]")).to_have_count(0)
    console.get_by_test_id(f"reveal-{poll['id']}").click()
    expect(phone.get_by_test_id(f"results-{poll['id']}")).to_be_visible()
    row = projector.locator(f"[data-option-id='{other['id']}']")
    expect(row).to_have_attribute("data-count", "1")

    # A few more phones (python-socketio clients) fill the room for the screenshots.
    others = [server.socket("participant", server.participant_session()) for _ in range(8)]
    try:
        for index, client in enumerate(others):
            choice = poll["options"][[0, 0, 2, 0, 3, 0, 2, 4][index]]["id"]
            payload = {"poll_id": poll["id"], "client_id": f"shot-{index:04d}", "answer": {"option": choice}}
            reply = client.call("vote", payload)
            assert reply["ok"], reply
        expect(projector.get_by_test_id("screen-total")).to_have_attribute("data-total", "9")
        expect(phone.get_by_test_id(f"results-{poll['id']}")).to_contain_text("9 responses")
    finally:
        for client in others:
            client.close()
    projector.wait_for_timeout(800)  # let the bars finish their animation for the picture
    phone.screenshot(path=artifacts / "phone.png", full_page=True)
    console.screenshot(path=artifacts / "console.png")
    projector.screenshot(path=artifacts / "projector.png")
    assert errors == []


def test_a_phone_that_loses_its_connection_catches_up(browser, server, artifacts):
    errors: list[str] = []
    console = log_in(browser, server, errors)
    phone = join_on_phone(browser, server, errors, group="")
    item, poll = staff_item_and_poll(console, "Meeting Preliminaries", "What do you most expect")
    console.get_by_test_id(f"go-live-{item['id']}").click()
    expect(phone.get_by_test_id("session-title")).to_have_text(item["title"])

    # The phone drops off the network; meanwhile the facilitator opens a poll.
    phone.context.set_offline(True)
    expect(phone.get_by_test_id("conn-status")).not_to_have_class(re.compile(r"\bonline\b"), timeout=60_000)
    console.get_by_test_id(f"select-item-{item['id']}").click()
    console.get_by_test_id(f"open-{poll['id']}").click()
    expect(phone.get_by_test_id(f"poll-{poll['id']}")).to_have_count(0)
    phone.screenshot(path=artifacts / "phone-offline.png")

    # Back online: the snapshot brings the open poll, without a reload.
    phone.context.set_offline(False)
    expect(phone.get_by_test_id("conn-status")).to_have_class(re.compile("online"), timeout=30_000)
    expect(phone.get_by_test_id(f"poll-{poll['id']}")).to_be_visible()

    # A multiple-choice vote, then the poll is closed and revealed while the phone is away again.
    first, second = poll["options"][0]["id"], poll["options"][3]["id"]
    phone.get_by_test_id(f"option-{first}").click()
    phone.get_by_test_id(f"option-{second}").click()
    phone.get_by_test_id(f"submit-{poll['id']}").click()
    expect(phone.get_by_test_id(f"receipt-{poll['id']}")).to_be_visible()
    phone.context.set_offline(True)
    expect(phone.get_by_test_id("conn-status")).not_to_have_class(re.compile(r"\bonline\b"), timeout=60_000)
    console.get_by_test_id(f"close-{poll['id']}").click()
    console.get_by_test_id(f"reveal-{poll['id']}").click()
    phone.context.set_offline(False)
    expect(phone.get_by_test_id(f"poll-status-{poll['id']}")).to_have_text(
        re.compile("closed", re.I), timeout=30_000
    )
    # Closed, it folds into "Earlier in this session" (collapsed): its results one tap away.
    expect(phone.get_by_test_id("earlier")).not_to_have_attribute("open", re.compile(".*"))
    expect(phone.get_by_test_id(f"results-{poll['id']}")).to_be_hidden()
    phone.get_by_test_id("earlier-toggle").click()
    expect(phone.get_by_test_id(f"results-{poll['id']}")).to_be_visible()
    # Its own answer is still marked after the round trip.
    expect(phone.get_by_test_id(f"option-{first}")).to_have_attribute("aria-pressed", "true")
    expect(phone.get_by_test_id(f"option-{second}")).to_have_attribute("aria-pressed", "true")
    assert [e for e in errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


def test_wrong_projector_key_and_unknown_code(browser, server):
    errors: list[str] = []
    page = new_page(browser, PROJECTOR, errors)
    response = page.goto(server.url(f"/screen/{server.code}?key=wrong"))
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Roundtable Discussion")
    response = page.goto(server.url("/j/000000"))
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("could not find")
