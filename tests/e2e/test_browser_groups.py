"""Results by stakeholder group in a real browser, and the outcome report as printed.

The facilitator shows the duty bearers' poll on the projector split Children | ISPs, telcos and
SMS providers | Everyone while phones vote; the projector follows live, a group too small to
show stays hidden, and once the results are revealed the phones see the same split. Then the
report: its page in the browser, its PDF from the server (pages saved as PNG with pdftoppm).
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from .test_browser_spine import PROJECTOR, join_on_phone, log_in, new_page, staff_item_and_poll

pytestmark = pytest.mark.browser
SESSION = "Duty Bearers Response to Children Voices"


def crowd_votes(server, poll, plan):
    """``plan``: ``[(group, option index), ...]``, one python-socketio phone each."""
    clients = []
    for n, (group, index) in enumerate(plan):
        client = server.socket("participant", server.participant_session(group))
        clients.append(client)
        reply = client.call(
            "vote",
            {
                "poll_id": poll["id"],
                "client_id": f"crowd-{group}-{n:04d}",
                "answer": {"option": poll["options"][index]["id"]},
            },
        )
        assert reply["ok"], reply
    return clients


def test_the_projector_splits_a_poll_by_group_while_phones_vote(browser, server, artifacts):
    errors: list[str] = []
    console = log_in(browser, server, errors)
    projector = new_page(browser, PROJECTOR, errors)
    projector.goto(server.url(f"/screen/{server.code}?key={server.screen_key}"))
    expect(projector.get_by_test_id("join-code")).to_have_text(server.code)
    phone = join_on_phone(browser, server, errors, group="children")

    item, poll = staff_item_and_poll(console, SESSION, "Did the answers from internet")
    console.get_by_test_id(f"go-live-{item['id']}").click()
    console.get_by_test_id(f"select-item-{item['id']}").click()
    console.get_by_test_id(f"open-{poll['id']}").click()
    expect(phone.get_by_test_id(f"poll-{poll['id']}")).to_be_visible()
    phone.get_by_test_id(f"option-{poll['options'][0]['id']}").click()
    expect(phone.get_by_test_id(f"receipt-{poll['id']}")).to_be_visible()

    # By group in the console; then the split on the projector (Children | ISPs | Everyone are
    # ticked by default: the comparison this session is about).
    console.get_by_test_id(f"by-group-{poll['id']}").click()
    for key in ("children", "isp", "everyone"):
        expect(console.get_by_test_id(f"split-choice-{poll['id']}-{key}")).to_be_checked()
    console.get_by_test_id(f"screen-split-{poll['id']}").click()
    expect(projector.get_by_test_id("screen-question")).to_have_text(poll["question"])
    expect(projector.get_by_test_id("screen-split-column-everyone")).to_be_visible()
    # One child has answered: too few to show the children on their own.
    expect(projector.get_by_test_id("screen-split-column-children")).to_have_count(0)

    clients = []
    try:
        # While the projector shows the split, the room votes: 5 more children, 6 duty bearers,
        # 2 from government (a group too small to show, and never recoverable by subtraction).
        clients += crowd_votes(server, poll, [("children", 0)] * 3 + [("children", 1)] * 2)
        clients += crowd_votes(server, poll, [("isp", 1)] * 4 + [("isp", 2)] * 2)
        expect(projector.get_by_test_id("screen-split-n-children")).to_have_text("6 respondents")
        expect(projector.get_by_test_id("screen-split-n-everyone")).to_have_text("12 respondents")
        expect(projector.get_by_test_id("screen-split-column-isp")).to_be_visible()
        clients += crowd_votes(server, poll, [("government", 2)] * 2)
        expect(projector.get_by_test_id("screen-split-n-everyone")).to_have_text("14 respondents")
        # 14 - 6 - 6 = 2 government answers: not both groups can be shown.
        expect(projector.locator(".split-column")).to_have_count(2)
        expect(projector.get_by_test_id("screen-split-note")).to_contain_text("Not shown on their own")
        clients += crowd_votes(server, poll, [("government", 2)] * 3)
        expect(projector.get_by_test_id("screen-split-n-everyone")).to_have_text("17 respondents")
        expect(projector.locator(".split-column")).to_have_count(3)
        expect(projector.get_by_test_id("screen-split-n-isp")).to_have_text("6 respondents")
        # Results are on reveal: until then the screen and phones show no answers.
        expect(projector.locator(".split-hidden").first).to_be_visible()
        expect(phone.get_by_test_id(f"phone-split-{poll['id']}")).to_have_count(0)

        console.get_by_test_id(f"reveal-{poll['id']}").click()
        expect(projector.locator(".split-hidden")).to_have_count(0)
        children = projector.get_by_test_id("screen-split-column-children")
        expect(children.locator(f"[data-option-id='{poll['options'][0]['id']}']")).to_have_attribute(
            "data-count", "4"
        )
        # The phone sees the split the screen shows, live.
        expect(phone.get_by_test_id(f"phone-split-{poll['id']}")).to_be_visible()
        expect(phone.get_by_test_id(f"phone-split-{poll['id']}-n-everyone")).to_have_text("17 respondents")
        clients += crowd_votes(server, poll, [("isp", 0)])
        expect(projector.get_by_test_id("screen-split-n-isp")).to_have_text("7 respondents")
        expect(phone.get_by_test_id(f"phone-split-{poll['id']}-n-isp")).to_have_text("7 respondents")
        expect(console.get_by_test_id(f"group-{poll['id']}-n-everyone")).to_have_text("18 respondents")
    finally:
        for client in clients:
            client.close()
    projector.wait_for_timeout(900)  # let the bars finish their animation for the picture
    projector.screenshot(path=artifacts / "projector-split.png")
    console.get_by_test_id(f"console-poll-{poll['id']}").screenshot(path=artifacts / "console-by-group.png")
    phone.get_by_test_id(f"phone-split-{poll['id']}").scroll_into_view_if_needed()
    phone.screenshot(path=artifacts / "phone-split.png", full_page=True)

    # Taken off the split, the projector shows the ordinary result again.
    console.get_by_test_id(f"screen-unsplit-{poll['id']}").click()
    expect(projector.locator(".split-column")).to_have_count(0)
    expect(projector.get_by_test_id("screen-total")).to_have_attribute("data-total", "18")
    assert errors == []


def test_the_outcome_report_prints_and_downloads(browser, server, artifacts):
    errors: list[str] = []
    staff = server.socket("staff", server.staff_session())
    try:
        view = staff.call("snapshot")["view"]
        items = {i["title"]: i for d in view["agenda"] for i in d["items"]}
        for day in view["agenda"]:
            assert staff.call(
                "staff:day_save", {"day_id": day["id"], "date": f"2026-03-{10 + view['agenda'].index(day)}"}
            )["ok"]
        item = items[SESSION]
        assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
        clients = []
        for poll in item["polls"]:
            assert staff.call("staff:poll_open", {"poll_id": poll["id"]})["ok"]
        ranking, single = item["polls"][0], item["polls"][1]
        ids = [o["id"] for o in ranking["options"]]
        for n, group in enumerate(["children"] * 6 + ["isp"] * 5 + ["government"] * 2 + ["cso"] * 5):
            client = server.socket("participant", server.participant_session(group))
            clients.append(client)
            order = ids if group == "children" else list(reversed(ids))
            assert client.call(
                "vote", {"poll_id": ranking["id"], "client_id": f"rank-{n:05d}", "answer": {"order": order}}
            )["ok"]
            assert client.call(
                "vote",
                {
                    "poll_id": single["id"],
                    "client_id": f"one-{n:05d}",
                    "answer": {"option": single["options"][n % 3]["id"]},
                },
            )["ok"]
        asker = clients[6]
        for text in (
            "How will telcos verify the age of children online?",
            "When will SMS scams that target children be blocked?",
        ):
            assert asker.call("question:ask", {"text": text, "client_id": f"q-{len(text):05d}x"})["ok"]
        queue = staff.call("mod:queue", {"item_id": item["id"]})["queue"]
        for question in queue["questions"]:
            assert staff.call("mod:approve", {"question_id": question["id"], "version": question["version"]})[
                "ok"
            ]
        for client in clients[:9]:
            client.call("question:upvote", {"question_id": queue["questions"][0]["id"], "up": True})
        assert staff.call("staff:outcome_tag", {"target": "poll", "id": single["id"], "outcome": 1})["ok"]
        for client in clients:
            client.close()
    finally:
        staff.close()

    console = log_in(browser, server, errors)
    console.get_by_test_id("exports-link").click()
    expect(console.get_by_test_id("export-xlsx")).to_be_visible()
    console.screenshot(path=artifacts / "exports-page.png", full_page=True)
    console.get_by_test_id("open-report").click()
    expect(console.get_by_test_id("report-title")).to_contain_text("Roundtable Discussion")
    expect(console.locator("#recommendations")).to_contain_text("Policy recommendations")
    expect(console.locator("#sessions")).to_contain_text("By stakeholder group")
    console.set_viewport_size({"width": 1000, "height": 1400})
    console.screenshot(path=artifacts / "report-page.png")
    console.emulate_media(media="print")  # what the browser prints: no toolbar
    expect(console.locator(".report-toolbar")).to_be_hidden()
    console.screenshot(path=artifacts / "report-print.png")
    console.emulate_media(media="screen")

    session = server.staff_session()
    reply = session.get(server.url(f"/staff/{server.code}/report.pdf"), timeout=120)
    assert reply.status_code == 200 and reply.content.startswith(b"%PDF")
    pdf = artifacts / "report.pdf"
    pdf.write_bytes(reply.content)
    if shutil.which("pdftoppm"):
        for old in artifacts.glob("report-pdf-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "6", str(pdf), str(artifacts / "report-pdf")],
            check=True,
        )
        assert (artifacts / "report-pdf-1.png").exists()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        for heading in (
            "Participation by stakeholder group",
            "Policy recommendations",
            "Method annex",
            "How will telcos verify the age of children online?",
        ):
            assert heading in text
    assert re.search(r"/staff/\w+/report$", console.url)
    assert errors == []
