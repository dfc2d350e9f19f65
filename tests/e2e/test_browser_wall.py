"""The question wall across the three views, in Debian's Chromium.

A phone asks; in a children's session the question waits; a moderator approves it in the console;
the projector shows it. A question with a phone number never reaches the projector or any other
phone. A question made of HTML and script is plain text everywhere and runs nothing. A help
request reaches the console with an alert and the phone gets the helpline.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from .server import find_item, staff_view
from .test_browser_spine import PROJECTOR, join_on_phone, log_in, new_page

pytestmark = pytest.mark.browser

HTML_QUESTION = '<img src=x onerror="alert(1)"><b>Bold?</b><script>alert(2)</script>'


def ask(phone, text):
    phone.get_by_test_id("ask-input").fill(text)
    phone.get_by_test_id("ask-submit").click()


def queued(staff, text, timeout=10.0):
    """The staff view of the question with this text, once it is in the live session's queue."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for question in staff_view(staff)["queue"]["questions"]:
            if question["text"] == text:
                return question
        time.sleep(0.2)
    raise AssertionError(f"{text!r} is not in the queue")


def test_ask_moderate_show_and_hold_what_is_unsafe(browser, server, artifacts):
    errors: list[str] = []
    dialogs: list[str] = []
    staff = server.socket("staff", server.staff_session())
    other_phone = server.socket("participant", server.participant_session())
    item = find_item(staff_view(staff), "Children Voices on Online Safety")
    assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
    assert staff.call("staff:screen", {"mode": "questions"})["ok"]

    projector = new_page(browser, PROJECTOR, errors)
    projector.goto(server.url(f"/screen/{server.code}?key={server.screen_key}"))
    console = log_in(browser, server, errors)
    phone = join_on_phone(browser, server, errors, group="children")
    for page in (projector, console, phone):
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # A child asks: the session is theirs, so the question waits for a moderator.
    phone.get_by_test_id("tab-questions").click()
    expect(phone.get_by_test_id("ask-name")).to_have_count(0)  # no name in children's sessions
    ask(phone, "Who do we tell when a stranger sends us messages?")
    expect(phone.get_by_test_id("ask-result-pending")).to_be_visible()
    first = queued(staff, "Who do we tell when a stranger sends us messages?")
    expect(phone.get_by_test_id(f"my-q-status-{first['id']}")).to_contain_text("Waiting for a moderator")
    expect(projector.get_by_test_id("screen-questions")).not_to_contain_text("stranger")

    # The moderator approves it in the console; the projector and the phone's wall show it.
    console.get_by_test_id("questions-toggle").click()
    expect(console.get_by_test_id(f"q-{first['id']}")).to_be_visible()
    console.get_by_test_id(f"approve-{first['id']}").click()
    expect(projector.get_by_test_id("screen-questions")).to_contain_text("stranger sends us messages")
    expect(phone.get_by_test_id(f"wall-q-{first['id']}")).to_be_visible()
    expect(phone.get_by_test_id(f"my-q-status-{first['id']}")).to_contain_text("Published")

    # A phone number is held with its reason, shown to the moderator, and goes nowhere else.
    ask(phone, "Please call me on 0712 345 678 after the session")
    unsafe = queued(staff, "Please call me on 0712 345 678 after the session")
    assert unsafe["status"] == "pending" and unsafe["flagged"]
    expect(console.get_by_test_id(f"reasons-{unsafe['id']}")).to_contain_text(re.compile("phone", re.I))

    # HTML is text: approved as it is, it shows literally and runs nothing.
    ask(phone, HTML_QUESTION)
    markup = queued(staff, HTML_QUESTION)
    console.get_by_test_id(f"approve-{markup['id']}").click()
    expect(projector.get_by_test_id("screen-questions")).to_contain_text("<b>Bold?</b>")
    expect(phone.get_by_test_id(f"wall-q-text-{markup['id']}")).to_have_text(HTML_QUESTION)
    console.get_by_test_id("mod-tab-published").click()
    expect(console.get_by_test_id(f"q-text-{markup['id']}")).to_have_text(HTML_QUESTION)
    for page in (projector, console, phone):
        assert page.locator("img[src=x]").count() == 0

    # Highlighted on the projector (from the console's Published tab).
    console.get_by_test_id(f"highlight-{first['id']}").click()
    expect(projector.get_by_test_id("screen-highlighted")).to_contain_text("stranger sends us messages")

    # The held question reached no phone but its author, and never the projector.
    projector.wait_for_timeout(600)
    expect(projector.locator("body")).not_to_contain_text("0712")
    assert "0712" not in str(other_phone.received)
    assert "reasons" not in str(other_phone.received)
    expect(phone.get_by_test_id("wall")).not_to_contain_text("0712")

    projector.screenshot(path=artifacts / "projector-questions.png")
    console.screenshot(path=artifacts / "console-moderation.png")
    phone.screenshot(path=artifacts / "phone-questions.png", full_page=True)

    # "I need help": private, to the console with an alert; the phone gets the helpline.
    phone.get_by_test_id("help-open").click()
    phone.get_by_test_id("help-kind-help").click()
    phone.get_by_test_id("help-message").fill("Someone is bullying me in the group chat")
    phone.get_by_test_id("help-send").click()
    expect(phone.get_by_test_id("help-confirm")).to_be_visible()
    expect(phone.get_by_test_id("help-helpline")).to_contain_text("116")
    expect(console.get_by_test_id("help-alert")).to_be_visible()
    expect(console.get_by_test_id("help-list")).to_contain_text("bullying me")
    expect(projector.locator("body")).not_to_contain_text("bullying")
    assert "bullying" not in str(other_phone.received)
    phone.screenshot(path=artifacts / "phone-help.png")

    staff.close()
    other_phone.close()
    assert dialogs == []
    assert errors == []
