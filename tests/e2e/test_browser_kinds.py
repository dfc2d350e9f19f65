"""Every poll kind answered on a phone page and drawn by the projector (Debian's Chromium).

The facilitator's side is a python-socketio staff client (the console has its own browser test);
the phone and the projector are real pages. A projector screenshot per kind goes to
test-artifacts/projector-<kind>.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

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
    ("ranking", "Duty Bearers Response to Children Voices", 0, "Which response"),
    ("points", "Way forward", 0, "Share 100 points"),
    ("wordcloud", "Meeting Preliminaries", 0, "In one to three words"),
    ("opentext", "Online Safety Protocols", 1, "What can ISPs"),
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
            assert staff.call("staff:poll_close", {"poll_id": poll["id"]})["ok"]
    finally:
        staff.close()
    assert errors == []
