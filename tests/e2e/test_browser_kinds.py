"""Every poll kind answered on a phone page and drawn by the projector (Debian's Chromium).

The facilitator's side is a python-socketio staff client (the console has its own browser test);
the phone and the projector are real pages. A projector screenshot per kind goes to
test-artifacts/projector-<kind>.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .server import find_item, staff_view
from .test_browser_spine import PROJECTOR, join_on_phone, new_page

pytestmark = pytest.mark.browser

# (kind, session, day, question start): one seeded poll of each kind whose answers are not held
# for a moderator (the children's own session holds free text; the wall test covers that).
CASES = [
    ("single", "Evidence sharing on Internet and Children", 0, "Which online risk"),
    ("multiple", "Meeting Preliminaries", 0, "What do you most expect"),
    ("quiz", "Evidence sharing on Internet and Children", 0, "Quiz:"),
    ("rating", "Children Voices on Online Safety", 0, "How safe do you feel"),
    ("ranking", "Duty Bearers Response to Children Voices", 0, "What should internet"),
    ("points", "Way forward", 0, "Share 100 points"),
    ("wordcloud", "Meeting Preliminaries", 0, "In one to three words"),
    ("opentext", "Online Safety Protocols", 1, "What can internet"),
]


def answer_on_phone(phone, poll):
    pid = poll["id"]
    ids = [o["id"] for o in poll["options"]]
    kind = poll["kind"]
    tid = phone.get_by_test_id
    if kind in ("single", "quiz"):
        tid(f"option-{ids[2]}").click()
    elif kind == "multiple":
        tid(f"option-{ids[0]}").click()
        tid(f"option-{ids[3]}").click()
        tid(f"submit-{pid}").click()
    elif kind == "rating":
        tid(f"rating-{pid}-4").click()
    elif kind == "ranking":
        for option in [ids[2], ids[0], *ids[1:2], *ids[3:]]:
            tid(f"rank-{option}").click()
        tid(f"rank-down-{ids[0]}").click()  # adjust: second place becomes third
        tid(f"submit-{pid}").click()
    elif kind == "points":
        for _ in range(12):
            tid(f"points-plus-{ids[1]}").click()
        expect(tid(f"points-left-{pid}")).to_have_text("40")
        for _ in range(8):
            tid(f"points-plus-{ids[4]}").click()
        expect(tid(f"points-left-{pid}")).to_have_text("0")
        expect(tid(f"points-plus-{ids[0]}")).to_be_disabled()
        tid(f"submit-{pid}").click()
    elif kind == "wordcloud":
        tid(f"words-input-{pid}-0").fill("  Safe ")
        tid(f"words-input-{pid}-1").fill("learning")
        tid(f"submit-{pid}").click()
    elif kind == "opentext":
        tid(f"text-input-{pid}-0").fill("Publish how fast reports are handled")
        tid(f"submit-{pid}").click()
    expect(tid(f"receipt-{pid}")).to_be_visible()


def tab_to(page, testid, limit=80):
    """Press Tab (only Tab) until the element with this test id has the focus."""
    for _ in range(limit):
        if page.evaluate("() => document.activeElement && document.activeElement.dataset.testid") == testid:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {testid}")


def answer_with_keyboard(page, poll):
    """Every kind answered with the keyboard alone: Tab, Enter, Space and typing."""
    pid = poll["id"]
    ids = [o["id"] for o in poll["options"]]
    kind = poll["kind"]
    keys = page.keyboard
    if kind in ("single", "quiz"):
        tab_to(page, f"option-{ids[1]}")
        keys.press("Enter")
    elif kind == "multiple":
        for option in (ids[0], ids[1]):
            tab_to(page, f"option-{option}")
            keys.press("Space")
        tab_to(page, f"submit-{pid}")
        keys.press("Enter")
    elif kind == "rating":
        tab_to(page, f"rating-{pid}-3")
        keys.press("Enter")
    elif kind == "ranking":
        tab_to(page, f"rank-{ids[0]}")
        for option in ids:
            # After each pick the focus is on the next option still to place: no Tab needed.
            assert page.evaluate("() => document.activeElement.dataset.testid") == f"rank-{option}"
            keys.press("Enter")
        tab_to(page, f"submit-{pid}")
        keys.press("Enter")
    elif kind == "points":
        for option, amount in ((ids[0], "70"), (ids[1], "45")):
            tab_to(page, f"points-value-{option}")
            keys.press("Control+A")
            keys.type(amount)
            keys.press("Enter")
        # Typed amounts are capped at what is left: 70 + 30, not 45.
        expect(page.get_by_test_id(f"points-value-{ids[1]}")).to_have_value("30")
        expect(page.get_by_test_id(f"points-left-{pid}")).to_have_text("0")
        tab_to(page, f"submit-{pid}")
        keys.press("Enter")
    elif kind == "wordcloud":
        tab_to(page, f"words-input-{pid}-0")
        keys.type("kindness")
        keys.press("Enter")  # Enter submits the word
    elif kind == "opentext":
        tab_to(page, f"text-input-{pid}-0")
        keys.type("Teach safety in every school")
        tab_to(page, f"submit-{pid}")
        keys.press("Enter")
    expect(page.get_by_test_id(f"receipt-{pid}")).to_be_visible()


def check_projector(projector, poll):
    ids = [o["id"] for o in poll["options"]]
    chart = projector.get_by_test_id("screen-results")
    kind = poll["kind"]
    if kind in ("single", "quiz"):
        expect(chart.locator(f"[data-option-id='{ids[2]}']")).to_have_attribute("data-count", "1")
    elif kind == "multiple":
        expect(chart.locator(f"[data-option-id='{ids[3]}']")).to_have_attribute("data-count", "1")
    elif kind == "rating":
        expect(chart.locator(".rating-col[data-value='4'] .rating-count")).to_have_text("1")
        expect(chart.locator(".rating-mean-value")).to_have_text("4.0")
    elif kind == "ranking":
        expect(chart.locator(".ranking-row").first).to_have_attribute("data-option-id", str(ids[2]))
    elif kind == "points":
        expect(chart.locator(f"[data-option-id='{ids[1]}'] .bar-figures")).to_contain_text("60 pts")
    elif kind == "wordcloud":
        expect(chart.locator(".cloud-word[data-word='safe']")).to_be_visible()
        expect(chart.locator(".cloud-word[data-word='learning']")).to_be_visible()
    elif kind == "opentext":
        expect(chart.locator(".wall-card")).to_have_text(["Publish how fast reports are handled"])


def test_every_kind_from_the_phone_to_the_projector(browser, server, artifacts):
    errors: list[str] = []
    staff = server.socket("staff", server.staff_session())
    projector = new_page(browser, PROJECTOR, errors)
    projector.goto(server.url(f"/screen/{server.code}?key={server.screen_key}"))
    phone = join_on_phone(browser, server, errors, group="cso")
    keyboard = join_on_phone(browser, server, errors, group="cso")
    assert_accessible(projector, "projector: join", artifacts)
    view = staff_view(staff)
    try:
        for kind, title, day, question in CASES:
            item = find_item(view, title, day)
            poll = next(p for p in item["polls"] if p["question"].startswith(question))
            assert poll["kind"] == kind
            assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
            assert staff.call("staff:poll_open", {"poll_id": poll["id"]})["ok"]
            assert staff.call("staff:screen", {"mode": "results", "poll_id": poll["id"]})["ok"]
            expect(projector.get_by_test_id("screen-question")).to_have_text(poll["question"])
            expect(phone.get_by_test_id(f"poll-{poll['id']}")).to_be_visible()

            answer_on_phone(phone, poll)
            expect(projector.get_by_test_id("screen-total")).to_have_attribute("data-total", "1")
            if poll["results_mode"] in ("on_reveal", "never"):
                # Hidden from phones until revealed, so hidden from the room too: only the count.
                hidden = projector.get_by_test_id("screen-results-hidden")
                expect(hidden).to_be_visible()
                expect(projector.get_by_test_id("screen-results").locator("[data-option-id]")).to_have_count(0)
                projector.screenshot(path=artifacts / f"projector-{kind}-hidden.png")
                assert staff.call("staff:poll_reveal", {"poll_id": poll["id"], "revealed": True})["ok"]
                expect(hidden).to_have_count(0)
            check_projector(projector, poll)
            if kind == "quiz":
                correct = next(o["id"] for o in poll["options"] if o["label"] == "83%")
                chart = projector.get_by_test_id("screen-results")
                expect(chart.locator(f"[data-option-id='{correct}']")).to_have_class(re.compile("correct"))
                expect(phone.get_by_test_id(f"quiz-verdict-{poll['id']}")).to_contain_text("right")
            projector.wait_for_timeout(700)  # the bars' animation, for the picture
            projector.screenshot(path=artifacts / f"projector-{kind}.png")
            phone.screenshot(path=artifacts / f"phone-{kind}.png", full_page=True)
            assert_accessible(projector, f"projector: results ({kind})", artifacts)
            assert_accessible(phone, f"phone: {kind} answered", artifacts)
            answer_with_keyboard(keyboard, poll)
            assert_accessible(keyboard, f"phone: {kind} answered with the keyboard", artifacts)
            assert staff.call("staff:poll_close", {"poll_id": poll["id"]})["ok"]
        # The projector's other modes.
        for mode in ("agenda", "questions", "blank", "join"):
            assert staff.call("staff:screen", {"mode": mode})["ok"]
            expect(projector.locator("body")).to_have_attribute("data-mode", mode)
            assert_accessible(projector, f"projector: {mode}", artifacts)
    finally:
        staff.close()
    assert errors == []
