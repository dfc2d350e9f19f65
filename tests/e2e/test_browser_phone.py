"""Issue 11 in a real browser: the phone shows what is live now first, and help reaches a child.

One server, few page visits: a session with several polls (answered, closed, one nobody
answered, one being typed into when the next opens), phones at 390x844 and 360x640, then the
help request's whole journey between the phone and the console (kind of help, where, "On my
way", a private reply, "Handled", the two-minute re-alert). axe-core checks every state it
passes through. Screenshots: test-artifacts/phone-now-390x844.png, phone-now-360x640.png,
phone-help-*.png and console-help-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .server import find_item, staff_view
from .test_browser_spine import join_on_phone, log_in, new_page

pytestmark = pytest.mark.browser

SESSION = "Meeting Preliminaries"


def make_poll(staff, item_id, question, kind="single", results_mode="live", settings=None):
    payload = {"item_id": item_id, "kind": kind, "question": question, "results_mode": results_mode}
    if settings:
        payload["settings"] = settings
    if kind == "single":
        payload["options"] = [{"label": "Yes"}, {"label": "No"}, {"label": "Not sure"}]
    else:
        payload["options"] = []
    reply = staff.call("staff:poll_save", payload)
    assert reply["ok"], reply
    return reply["poll_id"]


def option_ids(staff, poll_id):
    view = staff_view(staff)
    for day in view["agenda"]:
        for item in day["items"]:
            for poll in item["polls"]:
                if poll["id"] == poll_id:
                    return [o["id"] for o in poll["options"]]
    raise AssertionError(poll_id)


def console_module(console, path, use):
    """``use`` applied to the console's own instance of one of its modules: imported relative to
    the page's console.js, whose address carries the assets' fingerprint (/s/<version>/...), so
    that it is the very module the page runs, not a second copy from /static/."""
    return console.evaluate(
        f"""async () => {{
            const entry = document.querySelector('script[type=module][src*="/js/console.js"]').src;
            return ({use})(await import(new URL({path!r}, entry).href));
        }}"""
    )


def test_live_polls_come_first_and_help_reaches_the_phone(browser, server, artifacts):
    errors: list[str] = []
    staff = server.socket("staff", server.staff_session())
    item = find_item(staff_view(staff), SESSION, 0)
    assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
    for poll in item["polls"]:  # start from a session of our own polls only
        assert staff.call("staff:poll_delete", {"poll_id": poll["id"]})["ok"]

    phone = join_on_phone(browser, server, errors, group="cso")
    expect(phone.get_by_test_id("conn-status")).to_have_text("Session live")

    # Four polls answered on this phone and closed, then one that nobody answered.
    answered = []
    for n in range(1, 5):
        pid = make_poll(staff, item["id"], f"Earlier poll number {n}: was this useful?")
        assert staff.call("staff:poll_open", {"poll_id": pid})["ok"]
        phone.get_by_test_id(f"option-{option_ids(staff, pid)[0]}").click()
        expect(phone.get_by_test_id(f"receipt-{pid}")).to_be_visible()
        expect(phone.get_by_test_id("announcer")).to_have_text("Vote received")
        assert staff.call("staff:poll_close", {"poll_id": pid})["ok"]
        answered.append(pid)
    silent = make_poll(staff, item["id"], "A poll that nobody answered")
    assert staff.call("staff:poll_open", {"poll_id": silent})["ok"]
    expect(phone.get_by_test_id(f"poll-{silent}")).to_be_visible()
    assert staff.call("staff:poll_close", {"poll_id": silent})["ok"]
    expect(phone.get_by_test_id(f"poll-{silent}")).to_have_count(0)

    # Closed polls fold into "Earlier in this session", collapsed; results one tap away.
    earlier = phone.get_by_test_id("earlier")
    expect(earlier).to_be_visible()
    expect(phone.get_by_test_id("earlier-count")).to_have_text("4 polls")
    expect(earlier).not_to_have_attribute("open", re.compile(".*"))
    expect(phone.get_by_test_id(f"results-{answered[0]}")).to_be_hidden()

    # An open text poll with an answer being typed; then the sixth poll opens.
    typing = make_poll(
        staff, item["id"], "What would make this session safer?",
        kind="opentext", settings={"premoderate": True},
    )
    assert staff.call("staff:poll_open", {"poll_id": typing})["ok"]
    field = phone.get_by_test_id(f"text-input-{typing}-0")
    field.fill("Half an ans")
    field.focus()
    sixth = make_poll(staff, item["id"], "Sixth poll: shall we take a short break?")
    assert staff.call("staff:poll_open", {"poll_id": sixth})["ok"]
    card = phone.get_by_test_id(f"poll-{sixth}")
    expect(card).to_be_in_viewport()
    announced = "New poll open: Sixth poll: shall we take a short break?"
    expect(phone.get_by_test_id("announcer")).to_have_text(announced)
    expect(field).to_have_value("Half an ans")
    assert phone.evaluate("document.activeElement.dataset.testid") == f"text-input-{typing}-0"
    # Open polls above the earlier ones, in the server's order.
    order = phone.locator("#polls > .poll-card").evaluate_all(
        "(nodes) => nodes.map((n) => n.dataset.pollId)"
    )
    assert order == [str(typing), str(sixth)]
    phone.screenshot(path=artifacts / "phone-now-390x844.png")
    assert_accessible(phone, "phone: open polls and earlier ones (390x844)", artifacts)

    phone.get_by_test_id("earlier-toggle").click()
    expect(phone.get_by_test_id(f"results-{answered[0]}")).to_be_visible()
    assert_accessible(phone, "phone: earlier polls unfolded", artifacts)
    phone.get_by_test_id("earlier-toggle").click()

    small = new_page(browser, {"width": 360, "height": 640}, errors, is_mobile=True, has_touch=True)
    small.goto(server.url("/"))
    assert_accessible(small, "home page (360x640)", artifacts)
    small.goto(server.url(f"/j/{server.code}"))
    # Join page at 360x640: nothing covers any stakeholder group.
    groups = small.locator("label.choice")
    assert groups.count() >= 3
    for index in range(groups.count()):
        group = groups.nth(index)
        group.scroll_into_view_if_needed()
        covered = group.evaluate(
            """(g) => { const r = g.getBoundingClientRect();
                return [0.1, 0.5, 0.9].some((f) => {
                    const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height * f);
                    return !at || !(at === g || g.contains(at)); }); }"""
        )
        assert not covered, f"group {index} is covered at 360x640"
    small.screenshot(path=artifacts / "join-360x640.png")
    assert_accessible(small, "join page (360x640)", artifacts)
    small.locator("input[name=group][value=cso]").check()
    small.get_by_test_id("join").click()
    expect(small.get_by_test_id(f"poll-{sixth}")).to_be_visible()
    expect(small.get_by_test_id(f"poll-{typing}")).to_be_in_viewport()
    small.screenshot(path=artifacts / "phone-now-360x640.png")
    # Nobody on this phone answered, but the room did: the earlier polls are there for it too.
    expect(small.get_by_test_id("earlier-count")).to_have_text("4 polls")

    # --- the help journey -------------------------------------------------------------------
    console = log_in(browser, server, errors)
    assert_accessible(console, "console: agenda and live session", artifacts)
    console.get_by_test_id("add-poll").click()
    expect(console.locator("dialog[open]")).to_be_visible()
    assert_accessible(console, "console: poll editor", artifacts)
    console.keyboard.press("Escape")
    expect(console.locator("dialog[open]")).to_have_count(0)
    phone.get_by_test_id("help-open").click()
    expect(phone.get_by_test_id("help-sheet")).to_be_visible()
    assert_accessible(phone, "phone: help sheet", artifacts)
    phone.get_by_test_id("help-kind-help").click()
    phone.get_by_test_id("help-topic-bothered").check()
    phone.get_by_test_id("help-location").fill("Table 4, near the window")
    phone.get_by_test_id("help-message").fill("Someone keeps messaging me")
    phone.screenshot(path=artifacts / "phone-help-1-sheet.png")
    phone.get_by_test_id("help-send").click()
    expect(phone.get_by_test_id("help-confirm-title")).to_have_text("A facilitator has been told.")

    expect(console.get_by_test_id("help-alert")).to_be_visible()
    request = staff.wait_for("help", lambda data: data["request"]["status"] == "open")["request"]
    rid = request["id"]
    assert request["topic"] == "bothered" and request["location"] == "Table 4, near the window"
    console.get_by_test_id("help-alert-view").click()
    expect(console.get_by_test_id(f"help-topic-{rid}")).to_have_text("Someone is bothering them")
    expect(console.get_by_test_id(f"help-location-{rid}")).to_have_text("Table 4, near the window")
    expect(console.get_by_test_id(f"help-age-{rid}")).to_contain_text("just now")
    console.screenshot(path=artifacts / "console-help-1-new.png")
    assert_accessible(console, "console: moderation drawer with a help request", artifacts)

    # Nobody takes it: two minutes later the console alerts again (sound and badge).
    beeps = console_module(console, "moderation/state.js", "(m) => m.mod.beeps")
    console_module(console, "moderation/help.js", "(m) => m.checkRealerts(Date.now() + 121000)")
    assert console_module(console, "moderation/state.js", "(m) => m.mod.beeps") == beeps + 1
    assert console_module(console, "moderation/state.js", "(m) => m.mod.realerts") == 1
    expect(console.get_by_test_id("help-badge")).to_contain_text("1")
    expect(console.get_by_test_id("help-alert")).to_be_visible()

    # "On my way": the phone hears someone is coming (never who); staff see the name.
    console.get_by_test_id(f"take-{rid}").click()
    expect(console.get_by_test_id(f"help-taker-{rid}")).to_have_text("admin is on the way")
    expect(phone.get_by_test_id("help-confirm-title")).to_have_text("A facilitator is on the way.")
    phone.get_by_test_id("help-done").click()
    expect(phone.get_by_test_id("help-status-title")).to_have_text("A facilitator is on the way.")
    expect(phone.get_by_test_id("help-status")).not_to_contain_text("admin")
    # Taken: no more re-alerts.
    console_module(console, "moderation/help.js", "(m) => m.checkRealerts(Date.now() + 600000)")
    assert console_module(console, "moderation/state.js", "(m) => m.mod.realerts") == 1

    # A private reply: on this phone only.
    console.get_by_test_id(f"help-reply-input-{rid}").fill("I am coming to table 4 now")
    console.get_by_test_id(f"help-reply-send-{rid}").click()
    expect(phone.get_by_test_id("help-status-replies")).to_contain_text("I am coming to table 4 now")
    # Only words: no stray "null" where the card has no close button yet.
    assert phone.get_by_test_id("help-status").evaluate(
        "(card) => [...card.childNodes].every((node) => node.nodeType === Node.ELEMENT_NODE)"
    )
    expect(small.locator("body")).not_to_contain_text("I am coming")
    phone.screenshot(path=artifacts / "phone-help-2-on-the-way.png")
    console.screenshot(path=artifacts / "console-help-2-taken.png")
    assert_accessible(phone, "phone: help on the way with a reply", artifacts)

    console.get_by_test_id(f"handle-{rid}").click()
    expect(phone.get_by_test_id("help-status-title")).to_have_text("Handled.")
    expect(console.get_by_test_id(f"help-{rid}")).to_have_count(0)
    phone.screenshot(path=artifacts / "phone-help-3-handled.png")
    phone.get_by_test_id("help-status-close").click()
    expect(phone.get_by_test_id("help-status")).to_be_hidden()

    # --- the drawer never covers the poll cards' actions, down to 1280x720 ----------------------
    field.fill("A quiet room to talk")
    phone.get_by_test_id(f"submit-{typing}").click()
    expect(phone.get_by_test_id(f"receipt-{typing}")).to_be_visible()
    for size in ({"width": 1280, "height": 720}, {"width": 1440, "height": 900}):
        console.set_viewport_size(size)
        expect(console.get_by_test_id("moderation")).to_have_class(re.compile("is-open"))
        for button in (
            console.locator(f"[data-testid=held-panel-{typing}] [data-testid^=approve-item-]"),
            console.locator(f"[data-testid=held-panel-{typing}] [data-testid^=hide-item-]"),
            console.get_by_test_id(f"screen-poll-{sixth}"),
        ):
            button.scroll_into_view_if_needed()
            expect(button).to_be_visible()
            hit = button.evaluate(
                """(b) => { const r = b.getBoundingClientRect();
                    const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                    return Boolean(at) && (at === b || b.contains(at)); }"""
            )
            assert hit, f"covered at {size}: {button}"
        console.screenshot(path=artifacts / f"console-drawer-{size['width']}x{size['height']}.png")
    assert_accessible(console, "console: agenda, poll cards and moderation drawer (1440x900)", artifacts)

    staff.close()
    assert errors == []
