"""Taking part in Kiswahili, from join to help request, on the full page and on the lite page
(Chromium with JavaScript off), and the projector in both languages. Screenshots of each go to
test-artifacts/ (phone-sw*.png, lite-*.png, projector-both*.png)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .server import find_item, staff_view
from .test_browser_kinds import CASES
from .test_browser_spine import PHONE, PROJECTOR, new_page

pytestmark = pytest.mark.browser


def poll_of(view, title, day, question):
    item = find_item(view, title, day)
    return item, next(p for p in item["polls"] if p["question"].startswith(question))


def test_a_participant_takes_part_in_kiswahili(browser, server, artifacts):
    errors: list[str] = []
    staff = server.socket("staff", server.staff_session())
    try:
        view = staff_view(staff)
        item, poll = poll_of(view, "Evidence sharing on Internet and Children", 0, "Which online risk")
        assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
        assert staff.call("staff:poll_open", {"poll_id": poll["id"]})["ok"]

        # The browser asks for Kiswahili: the join page speaks it, and offers English too.
        phone = new_page(browser, PHONE, errors, is_mobile=True, has_touch=True, locale="sw-KE")
        phone.goto(server.url(f"/j/{server.code}"))
        expect(phone.locator("html")).to_have_attribute("lang", "sw")
        expect(phone.get_by_test_id("join")).to_have_text("Jiunge")
        expect(phone.locator("legend")).to_contain_text("Wewe ni wa kundi gani?")
        expect(phone.get_by_text("Watoto", exact=True)).to_be_visible()
        expect(phone.get_by_test_id("lite-link")).to_be_visible()
        phone.screenshot(path=artifacts / "join-sw.png", full_page=True)
        phone.locator("input[name=group][value=children]").check()
        phone.get_by_test_id("join").click()
        expect(phone).to_have_url(re.compile(rf"/e/{server.code}$"))
        expect(phone.get_by_test_id("conn-status")).to_have_class(re.compile("online"))
        expect(phone.get_by_test_id("conn-status")).to_have_text("Kipindi kinaendelea")

        # The session and its poll in Kiswahili (the facilitators' own translation).
        expect(phone.get_by_test_id("session-title")).to_have_text(item["title_sw"])
        card = phone.get_by_test_id(f"poll-{poll['id']}")
        expect(card).to_contain_text(poll["question_sw"])
        option = poll["options"][1]
        expect(phone.get_by_test_id(f"option-{option['id']}")).to_contain_text(option["label_sw"])
        phone.get_by_test_id(f"option-{option['id']}").click()
        expect(phone.get_by_test_id(f"receipt-{poll['id']}")).to_contain_text("Kura imepokelewa")

        # A server error arrives in Kiswahili too: the poll closes, the phone tries again.
        assert staff.call("staff:poll_reveal", {"poll_id": poll["id"], "revealed": True})["ok"]
        expect(phone.get_by_test_id(f"results-{poll['id']}")).to_contain_text("Matokeo")
        phone.screenshot(path=artifacts / "phone-sw.png", full_page=True)

        # "Nahitaji msaada": private, to the facilitators; the helpline in Kiswahili at once.
        phone.get_by_test_id("help-open").click()
        expect(phone.get_by_test_id("help-sheet")).to_contain_text("Mwambie mwezeshaji")
        phone.get_by_test_id("help-kind-help").click()
        phone.get_by_test_id("help-message").fill("Mtu ananionea kwenye kikundi cha WhatsApp")
        phone.get_by_test_id("help-send").click()
        expect(phone.get_by_test_id("help-confirm")).to_be_visible()
        expect(phone.get_by_test_id("help-helpline")).to_contain_text("piga simu Childline Kenya kwa 116")
        phone.screenshot(path=artifacts / "phone-sw-help.png")

        # The choice is the participant's: English on the same phone, remembered.
        phone.get_by_test_id("help-done").click() if phone.get_by_test_id("help-done").is_visible() else None
        phone.keyboard.press("Escape")
        phone.get_by_test_id("lang-en").click()
        expect(phone.locator("html")).to_have_attribute("lang", "en")
        expect(phone.get_by_test_id(f"poll-{poll['id']}")).to_contain_text(poll["question"])
        phone.goto(server.url(f"/e/{server.code}"))
        expect(phone.locator("html")).to_have_attribute("lang", "en")
    finally:
        staff.close()
    assert errors == []


def test_the_projector_shows_both_languages(browser, server, artifacts):
    errors: list[str] = []
    projector = new_page(browser, PROJECTOR, errors)
    projector.goto(server.url(f"/screen/{server.code}?key={server.screen_key}&lang=both"))
    join = projector.get_by_test_id("view-join")
    expect(join).to_contain_text("Join the conversation")
    expect(join).to_contain_text("Jiunge na mazungumzo")
    expect(join).to_contain_text("Scan to join")
    expect(join).to_contain_text("Skani ili ujiunge")
    expect(projector.get_by_test_id("qr")).to_be_visible()
    projector.wait_for_timeout(500)
    projector.screenshot(path=artifacts / "projector-both.png")
    staff = server.socket("staff", server.staff_session())
    try:
        item, poll = poll_of(
            staff_view(staff), "Evidence sharing on Internet and Children", 0, "Which online risk"
        )
        assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
        assert staff.call("staff:poll_open", {"poll_id": poll["id"]})["ok"]
        # Revealed first: main's projector (drawing.js) cannot yet draw a count-only tally.
        assert staff.call("staff:poll_reveal", {"poll_id": poll["id"], "revealed": True})["ok"]
        assert staff.call("staff:screen", {"mode": "results", "poll_id": poll["id"]})["ok"]
        expect(projector.get_by_test_id("screen-question")).to_contain_text(poll["question"])
        expect(projector.get_by_test_id("now-next")).to_contain_text("Sasa")
        projector.wait_for_timeout(500)
        projector.screenshot(path=artifacts / "projector-both-results.png")
    finally:
        staff.close()
    # A projector set to Kiswahili alone shows the Kiswahili content.
    sw = new_page(browser, PROJECTOR, errors)
    sw.goto(server.url(f"/screen/{server.code}?key={server.screen_key}&lang=sw"))
    expect(sw.get_by_test_id("screen-question")).to_contain_text(poll["question_sw"])
    sw.wait_for_timeout(500)
    sw.screenshot(path=artifacts / "projector-sw.png")
    assert errors == []


def fill_lite(page, poll):
    form = page.locator(f"#poll-{poll['id']}")
    ids = [o["id"] for o in poll["options"]]
    kind = poll["kind"]
    if kind in ("single", "quiz"):
        form.locator(f"input[name=option][value='{ids[2]}']").check()
    elif kind == "multiple":
        form.locator(f"input[name=options][value='{ids[0]}']").check()
        form.locator(f"input[name=options][value='{ids[3]}']").check()
    elif kind == "rating":
        form.locator("input[name=value][value='4']").check()
    elif kind == "ranking":
        for place, option_id in enumerate([ids[2], ids[0], *ids[1:2], *ids[3:]], start=1):
            form.locator(f"select[name=place-{option_id}]").select_option(str(place))
    elif kind == "points":
        form.locator(f"input[name=points-{ids[0]}]").fill("70")
        form.locator(f"input[name=points-{ids[1]}]").fill("30")
    elif kind == "wordcloud":
        form.locator("input[name=words]").first.fill("salama")
    elif kind == "opentext":
        form.locator("textarea[name=texts]").first.fill("Masomo ya usalama shuleni")
    form.get_by_test_id("lite-vote").click()


@pytest.mark.parametrize(("language", "received"), [("sw", "Kura imepokelewa."), ("en", "Vote received.")])
def test_the_lite_page_works_without_javascript(browser, server, artifacts, language, received):
    errors: list[str] = []
    page = new_page(browser, PHONE, errors, java_script_enabled=False, locale=language)
    page.goto(server.url(f"/lite/{server.code}"))
    expect(page).to_have_url(re.compile(rf"/lite/{server.code}/join$"))
    page.locator("input[name=group][value=parents]").check()
    page.get_by_test_id("lite-join").click()
    expect(page).to_have_url(re.compile(rf"/lite/{server.code}$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    staff = server.socket("staff", server.staff_session())
    try:
        view = staff_view(staff)
        for kind, title, day, question in CASES:
            item, poll = poll_of(view, title, day, question)
            assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
            assert staff.call("staff:poll_open", {"poll_id": poll["id"]})["ok"]
            page.get_by_test_id("lite-refresh").click()
            form = page.locator(f"#poll-{poll['id']}")
            expect(form).to_contain_text(poll["question_sw"] if language == "sw" else poll["question"])
            fill_lite(page, poll)
            expect(page.get_by_test_id(f"lite-ok-poll-{poll['id']}")).to_have_text(received)
            if kind == "points":
                page.screenshot(path=artifacts / f"lite-{language}.png", full_page=True)
            assert staff.call("staff:poll_close", {"poll_id": poll["id"]})["ok"]
        # A question, through the safety checks: a phone number is held for a moderator.
        page.get_by_test_id("lite-refresh").click()
        page.get_by_test_id("lite-ask-text").fill("Call me on 0712 345 678 about this")
        page.get_by_test_id("lite-ask").click()
        expect(page.get_by_test_id("lite-ok-ask")).to_be_visible()
        expect(page.get_by_test_id("lite-my-questions")).to_contain_text("0712 345 678")
        # A help request: the helpline at once, in the page's language.
        page.get_by_test_id("lite-help-kind-help").check()
        page.locator("#help-message").fill("Naogopa" if language == "sw" else "I am scared")
        page.get_by_test_id("lite-help-send").click()
        expect(page.get_by_test_id("lite-ok-help")).to_be_visible()
        expect(page.get_by_test_id("lite-helpline")).to_contain_text("116")
        help_alert = staff.wait_for("help", lambda data: data["alert"])
        assert help_alert["request"]["message"] in ("Naogopa", "I am scared")
        page.screenshot(path=artifacts / f"lite-{language}-help.png", full_page=True)
    finally:
        staff.close()
    assert errors == []


def test_the_phone_page_offers_the_lite_page_when_the_socket_cannot_start(browser, server, artifacts):
    errors: list[str] = []
    phone = new_page(browser, PHONE, errors, is_mobile=True)
    phone.goto(server.url(f"/j/{server.code}"))
    phone.get_by_test_id("join").click()
    expect(phone).to_have_url(re.compile(rf"/e/{server.code}$"))
    offer = phone.get_by_test_id("lite-offer")
    expect(offer).to_be_hidden()
    # Every Socket.IO request fails from now on (a proxy that breaks them): reload.
    phone.route(re.compile(r".*/socket\.io/\?.*"), lambda route: route.abort())
    # The phone tries a WebSocket first (page.route does not see those): refuse it too.
    phone.route_web_socket(re.compile(r".*/socket\.io/.*"), lambda ws: ws.close())
    phone.reload()
    expect(offer).to_be_visible(timeout=30_000)
    offer.get_by_role("link").click()
    expect(phone).to_have_url(re.compile(rf"/lite/{server.code}$"))
    assert [
        e for e in errors if "socket.io" not in e and "WebSocket" not in e and "ERR_FAILED" not in e
    ] == []
