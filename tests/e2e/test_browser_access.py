"""Accessibility that the other browser tests do not reach (Debian's Chromium, axe-core).

- A screen reader hears a poll open and "Vote received" through the phone's one polite
  aria-live region, answering with the keyboard alone.
- prefers-reduced-motion: on the phone, the console and the projector nothing moves for longer
  than a frame (entrances, pulses, bars, the new poll's arrival), and a new poll is brought
  into view without smooth scrolling.
- axe-core (WCAG 2.1 A/AA) on the phone's Questions tab (a question waiting, one published with
  its upvote), the console's moderation drawer on its questions tabs, and the projector's
  question wall with and without a highlighted question.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .server import ADMIN_PASSWORD, find_item, staff_view
from .test_browser_kinds import tab_to
from .test_browser_spine import LAPTOP, PHONE, PROJECTOR, log_in, new_page

pytestmark = pytest.mark.browser

SESSION = "Children Voices on Online Safety"
REDUCED = {"reduced_motion": "reduce"}

# Every animation or transition now in the document that lasts longer than a millisecond
# (reduced motion cuts them to .01ms in app.css, or removes them).
MOVING = """() => document.getAnimations()
    .filter((a) => {
        const timing = a.effect?.getComputedTiming();
        return timing && (timing.duration === Infinity || timing.duration > 1
            || timing.iterations === Infinity);
    })
    .map((a) => `${a.animationName || a.transitionProperty || 'animation'} on `
        + `${a.effect.target.tagName.toLowerCase()}.${a.effect.target.getAttribute('class')}`)"""


def join(browser, server, errors, **options):
    phone = new_page(browser, PHONE, errors, is_mobile=True, has_touch=True, **options)
    phone.goto(server.url(f"/j/{server.code}"))
    phone.locator("input[name=group][value=children]").check()
    phone.get_by_test_id("join").click()
    expect(phone).to_have_url(re.compile(rf"/e/{server.code}$"))
    expect(phone.get_by_test_id("conn-status")).to_have_class(re.compile("online"))
    return phone


def test_announcements_reduced_motion_and_the_question_views(browser, server, artifacts):
    errors: list[str] = []
    staff = server.socket("staff", server.staff_session())
    item = find_item(staff_view(staff), SESSION)
    rating = next(p for p in item["polls"] if p["kind"] == "rating")
    choice = next(p for p in item["polls"] if p["kind"] == "multiple")
    assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]

    phone = join(browser, server, errors, **REDUCED)
    announcer = phone.get_by_test_id("announcer")
    # One polite live region (not assertive: nothing interrupts what the reader is saying).
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_have_attribute("role", "status")
    expect(phone.locator("[aria-live=assertive]")).to_have_count(0)

    # A poll opens: announced, and brought into view at once (no smooth scroll).
    phone.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    assert staff.call("staff:poll_open", {"poll_id": rating["id"]})["ok"]
    expect(announcer).to_have_text(f"New poll open: {rating['question']}")
    card = phone.get_by_test_id(f"poll-{rating['id']}")
    expect(card).to_be_in_viewport()
    assert phone.evaluate("() => getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    assert phone.evaluate(MOVING) == []

    # Answered with the keyboard alone; "Vote received" is said.
    tab_to(phone, f"rating-{rating['id']}-5")
    phone.keyboard.press("Enter")
    expect(phone.get_by_test_id(f"receipt-{rating['id']}")).to_be_visible()
    expect(announcer).to_have_text("Vote received")
    assert phone.evaluate(MOVING) == []

    # A second poll while the first is still open: said too, the focus left where it was.
    focused = phone.evaluate("() => document.activeElement.dataset.testid || ''")
    assert staff.call("staff:poll_open", {"poll_id": choice["id"]})["ok"]
    expect(announcer).to_have_text(f"New poll open: {choice['question']}")
    assert phone.evaluate("() => document.activeElement.dataset.testid || ''") == focused
    assert phone.evaluate(MOVING) == []

    # --- the question views -----------------------------------------------------------------
    assert staff.call("staff:screen", {"mode": "questions"})["ok"]
    projector = new_page(browser, PROJECTOR, errors)
    projector.goto(server.url(f"/screen/{server.code}?key={server.screen_key}"))
    expect(projector.locator("body")).to_have_attribute("data-mode", "questions")
    assert_accessible(projector, "projector: question wall, empty", artifacts)

    phone.get_by_test_id("tab-questions").click()
    assert_accessible(phone, "phone: questions tab, empty", artifacts)
    for text in ("How do we report a fake account?", "Can our school get a safety club?"):
        phone.get_by_test_id("ask-input").fill(text)
        phone.get_by_test_id("ask-submit").click()
        expect(phone.get_by_test_id("ask-result-pending")).to_be_visible()
    assert_accessible(phone, "phone: questions tab, two questions waiting", artifacts)

    console = log_in(browser, server, errors)
    console.get_by_test_id("questions-toggle").click()
    expect(console.get_by_test_id("moderation")).to_have_class(re.compile("is-open"))
    expect(console.locator("[data-testid^=approve-]").first).to_be_visible()
    assert_accessible(console, "console: moderation, questions waiting", artifacts)
    expect(console.get_by_test_id("moderation")).not_to_contain_text("null")  # no empty part as a word
    first = console.locator("[data-testid^=q-text-]", has_text="fake account")
    qid = (first.get_attribute("data-testid") or "").removeprefix("q-text-")
    console.get_by_test_id(f"approve-{qid}").click()
    expect(projector.get_by_test_id("screen-questions")).to_contain_text("fake account")
    expect(phone.get_by_test_id(f"wall-q-{qid}")).to_be_visible()
    expect(phone.get_by_test_id(f"upvote-{qid}")).to_be_visible()
    assert_accessible(phone, "phone: questions tab, a published question", artifacts)
    assert_accessible(projector, "projector: question wall", artifacts)

    console.get_by_test_id("mod-tab-published").click()
    console.get_by_test_id(f"highlight-{qid}").click()
    expect(projector.get_by_test_id("screen-highlighted")).to_contain_text("fake account")
    assert_accessible(console, "console: moderation, published with a highlight", artifacts)
    assert_accessible(projector, "projector: highlighted question", artifacts)

    # Reduced motion on the console (drawer open) and the projector (a question highlighted).
    still = log_in_reduced(browser, server, errors)
    assert still.evaluate(MOVING) == []
    still = new_page(browser, PROJECTOR, errors, **REDUCED)
    still.goto(projector.url)
    expect(still.get_by_test_id("screen-highlighted")).to_contain_text("fake account")
    assert still.evaluate(MOVING) == []

    staff.close()
    assert errors == []


def log_in_reduced(browser, server, errors):
    """The console, logged in, in a browser that asks for reduced motion."""
    console = new_page(browser, LAPTOP, errors, **REDUCED)
    console.goto(server.url(f"/staff/{server.code}"))
    console.fill("#username", "admin")
    console.fill("#password", ADMIN_PASSWORD)
    console.get_by_role("button", name="Log in").click()
    expect(console).to_have_url(re.compile(rf"/staff/{server.code}"))
    expect(console.get_by_test_id("connection")).to_contain_text(re.compile("Connected", re.I))
    console.get_by_test_id("questions-toggle").click()
    expect(console.get_by_test_id("moderation")).to_have_class(re.compile("is-open"))
    return console
