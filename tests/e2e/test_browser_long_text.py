"""Long unbroken strings wrap on every view (issue 9.8): a 200-character option, a long title and
a long question never make the phone, the console or the projector wider than the screen, and the
whole text is still there to read. Screenshots go to test-artifacts/long-text-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .server import find_item, staff_view
from .test_browser_spine import PROJECTOR, join_on_phone, log_in, new_page

pytestmark = pytest.mark.browser

OPTION = "Option" + "x" * 194  # 200 characters, no space
TITLE = "Session" + "T" * 113
QUESTION = "Why" + "W" * 197 + "?"

OVERFLOW = """(text) => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const node of document.querySelectorAll("body *")) {
    if (!node.textContent.includes(text) || node.children.length > 3) continue;
    const box = node.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || box.left < -1)) wide.push(node.tagName + "." + node.className);
  }
  // Figures beside a long label (a bar's count and share) are never squeezed out of sight.
  for (const node of document.querySelectorAll(".bar-figures")) {
    if (node.scrollWidth > node.clientWidth + 1) wide.push("clipped " + node.className);
  }
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


def assert_fits(page, text, name, artifacts):
    page.screenshot(path=str(artifacts / f"long-text-{name}.png"))
    result = page.evaluate(OVERFLOW, text)
    assert result["scroll"] <= result["width"] + 1, (name, result)
    assert not result["wide"], (name, result)
    assert text in page.content()  # the full text is there, wrapped, not cut


def test_long_strings_wrap_on_phone_console_and_projector(browser, server, artifacts):
    errors: list[str] = []
    staff = server.socket("staff", server.staff_session())
    try:
        item = find_item(staff_view(staff), "Evidence sharing on Internet and Children")
        assert staff.call(
            "staff:item_save",
            {
                "item_id": item["id"],
                "title": TITLE,
                "question_mode": "open",
                "involves_children": False,
                "children_led": False,
            },
        )["ok"]
        saved = staff.call(
            "staff:poll_save",
            {
                "item_id": item["id"],
                "kind": "single",
                "question": "Long?",
                "options": [OPTION, "Short option"],
                "results_mode": "live",
            },
        )
        assert saved["ok"], saved
        poll_id = saved["poll_id"]
        assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
        assert staff.call("staff:poll_open", {"poll_id": poll_id})["ok"]

        phone = join_on_phone(browser, server, errors, group="")
        expect(phone.get_by_text(OPTION).first).to_be_visible()
        assert_fits(phone, OPTION, "phone-option", artifacts)

        asker = server.socket("participant", server.participant_session())
        asked = asker.call("question:ask", {"text": QUESTION, "client_id": "long-text-0001"})
        assert asked["ok"], asked
        if asked["question"]["status"] == "pending":
            assert staff.call("mod:approve", {"question_id": asked["question"]["id"], "version": 1})["ok"]
        asker.close()
        phone.get_by_role("tab", name="Questions").click()
        expect(phone.get_by_text(QUESTION).first).to_be_visible()
        assert_fits(phone, QUESTION, "phone-question", artifacts)

        console = log_in(browser, server, errors)
        expect(console.get_by_text(TITLE).first).to_be_visible()
        assert_fits(console, TITLE, "console", artifacts)
        assert_fits(console, OPTION, "console-option", artifacts)

        projector = new_page(browser, PROJECTOR, errors)
        projector.goto(server.url(f"/screen/{server.code}?key={server.screen_key}"))
        assert staff.call("staff:screen", {"mode": "results", "poll_id": poll_id})["ok"]
        expect(projector.get_by_text(OPTION).first).to_be_visible()
        assert_fits(projector, OPTION, "projector-results", artifacts)
        assert staff.call("staff:screen", {"mode": "questions"})["ok"]
        expect(projector.get_by_text(QUESTION).first).to_be_visible()
        assert_fits(projector, QUESTION, "projector-questions", artifacts)
        assert_fits(projector, TITLE, "projector-title", artifacts)
    finally:
        staff.close()
    assert not errors, errors
