"""The projector's open-text wall with more answers than fit one screen (Debian's Chromium).

Sixty participants answer an open-text poll; the projector at 1920x1080 lays the answers out in
columns of readable width, never cuts a card between two screenfuls, and pages through them
until every answer has been on screen, saying "Page n of m". A second projector that asks for
reduced motion shows the same pages with nothing sliding or fading. Screenshots:
test-artifacts/projector-wall-page-<n>.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .crowd import join_crowd, leave, run_crowd, vote_all
from .server import find_item, staff_view
from .test_browser_spine import PROJECTOR, new_page

pytestmark = pytest.mark.browser

ANSWERS = 60  # the most the wall is sent (OpenText.SHOWN): every one of them must be shown
SENTENCES = [
    "Publish how fast reports are handled",
    "Safe defaults on every child's account, switched on from the first day",
    "Answer reports in Kiswahili and English",
    "Teach parents how the reporting tools work, in schools and in churches",
    "Block strangers from messaging children",
    "Take down harmful content within a day and tell the person who reported it what happened",
]

# Where each answer card is, relative to the wall's first screenful: which screenful (page) it
# starts on, whether it also ends on that page, and whether it is inside the wall's visible box.
GEOMETRY = """(wall) => {
    const gap = parseFloat(getComputedStyle(wall).columnGap) || 0;
    const box = wall.getBoundingClientRect();
    const stride = wall.clientWidth + gap;
    return [...wall.querySelectorAll('.wall-card')].map((card) => {
        const r = card.getBoundingClientRect();
        const left = r.left - box.left + wall.scrollLeft;
        const right = r.right - box.left + wall.scrollLeft;
        const page = Math.floor((left + 1) / stride);
        return {
            text: card.textContent, page, width: r.width,
            fontSize: parseFloat(getComputedStyle(card).fontSize),
            whole: right <= page * stride + wall.clientWidth + 1 && r.bottom <= box.bottom + 1,
            visible: r.left >= box.left - 1 && r.right <= box.right + 1
                && r.top >= box.top - 1 && r.bottom <= box.bottom + 1,
            partly: r.right > box.left + 1 && r.left < box.right - 1
                && (r.left < box.left - 1 || r.right > box.right + 1),
        };
    });
}"""


def test_the_open_text_wall_pages_through_every_answer(browser, server, artifacts):
    errors: list[str] = []
    staff = server.socket("staff", server.staff_session())
    item = find_item(staff_view(staff), "Online Safety Protocols", 1)
    poll = next(p for p in item["polls"] if p["kind"] == "opentext")
    assert not poll["settings"].get("premoderate"), "the wall test wants answers shown as they come"
    assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
    assert staff.call("staff:poll_open", {"poll_id": poll["id"]})["ok"]
    assert staff.call("staff:screen", {"mode": "results", "poll_id": poll["id"]})["ok"]

    texts = [f"{n:02d}. {SENTENCES[n % len(SENTENCES)]}" for n in range(1, ANSWERS + 1)]

    async def crowd_answers():
        phones = await join_crowd(server.base_url, server.code, ANSWERS)
        try:
            return await vote_all(phones, poll["id"], [{"texts": [t]} for t in texts], "wall")
        finally:
            await leave(phones)

    acks = run_crowd(crowd_answers())
    assert all(reply["ok"] for reply, _ in acks), [reply for reply, _ in acks if not reply["ok"]][:3]

    projector = new_page(browser, PROJECTOR, errors)
    still = new_page(browser, PROJECTOR, errors, reduced_motion="reduce")
    for page in (projector, still):
        page.goto(server.url(f"/screen/{server.code}?key={server.screen_key}"))
        expect(page.get_by_test_id("screen-total")).to_have_attribute("data-total", str(ANSWERS))
        expect(page.locator(".wall-card")).to_have_count(ANSWERS)
    wall = projector.locator(".screen-chart .wall")
    label = projector.get_by_test_id("wall-pages")
    expect(label).to_have_text(re.compile(r"^Page 1 of \d+$"))
    pages = int(label.inner_text().rsplit(" ", 1)[1])
    assert pages >= 2, "sixty answers cannot fit one 1920x1080 screen"
    # The question stays on screen above a full wall, whole (it has at most three lines).
    question = projector.get_by_test_id("screen-question")
    expect(question).to_have_text(poll["question"])
    assert question.evaluate(
        """(q) => { const size = parseFloat(getComputedStyle(q).fontSize);
            return q.clientHeight >= size && q.scrollHeight <= q.clientHeight + size / 4; }"""
    )

    # Readable columns: several side by side, each at least 26rem wide, in large type; every
    # card whole on one page (never cut between two screenfuls, nor clipped at the bottom).
    cards = wall.evaluate(GEOMETRY)
    assert sorted(card["text"] for card in cards) == sorted(texts)
    columns = {round(card["width"]) for card in cards}
    assert min(columns) >= 26 * 16 and 3 * min(columns) <= wall.evaluate("(w) => w.clientWidth")
    assert min(card["fontSize"] for card in cards) >= 32
    assert [card["text"] for card in cards if not card["whole"]] == []
    assert {card["page"] for card in cards} == set(range(pages))

    # The pager moves on by itself, one screenful at a time, until every answer has been shown,
    # then starts again from the first page.
    seen: set[str] = set()
    for page_number in range(1, pages + 1):
        expect(label).to_have_text(f"Page {page_number} of {pages}", timeout=30_000)
        now = wall.evaluate(GEOMETRY)
        assert [card["text"] for card in now if card["partly"]] == [], "a card cut at the edge"
        on_screen = [card for card in now if card["visible"]]
        # This page's answers are all on screen; the last page, having fewer columns than fit,
        # shows the last screenful (the columns of the page before it fill the left).
        assert all(card["visible"] for card in now if card["page"] == page_number - 1)
        if page_number < pages:
            assert {card["page"] for card in on_screen} == {page_number - 1}
        seen.update(card["text"] for card in on_screen)
        projector.screenshot(path=artifacts / f"projector-wall-page-{page_number}.png")
        assert_accessible(projector, f"projector: open-text wall, page {page_number}", artifacts)
    assert seen == set(texts)
    expect(label).to_have_text(f"Page 1 of {pages}", timeout=30_000)

    # Reduced motion: the same pages, and nothing on the wall slides or fades in.
    still_label = still.get_by_test_id("wall-pages")
    expect(still_label).to_have_text(re.compile(rf"^Page \d+ of {pages}$"))
    expect(still_label).not_to_have_text(still_label.inner_text(), timeout=30_000)  # it moved on
    moving = still.evaluate(
        """() => document.getAnimations()
            .filter((a) => (a.effect?.getComputedTiming().duration || 0) > 1)
            .map((a) => `${a.animationName || a.transitionProperty} on ${a.effect.target.className}`)"""
    )
    assert moving == []
    wall_still = still.locator(".screen-chart .wall")
    assert wall_still.evaluate("(w) => getComputedStyle(w).scrollBehavior") == "auto"
    still.screenshot(path=artifacts / "projector-wall-reduced-motion.png")

    staff.close()
    assert errors == []
