"""Feature phones end to end: ``python app.py`` (eventlet) with the USSD and SMS callbacks called
as Africa's Talking calls them, the SMS replies going out through the real ``africastalking`` SDK
to a fake Africa's Talking API on 127.0.0.1, and the projector's tally counting a USSD vote and
an SMS vote beside a phone-page vote. Then the console's simulator, in Chromium.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import requests

from .server import find_item, free_port, staff_view

SECRET = "e2e-gateway-" + secrets.token_hex(6)


class FakeAfricasTalking:
    """Africa's Talking's SMS API as the SDK sees it: ``POST /version1/messaging``."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.port = free_port()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                outer.received.append({"path": self.path, "api_key": self.headers.get("apiKey"), **form})
                body = json.dumps(
                    {
                        "SMSMessageData": {
                            "Message": "Sent to 1/1 Total Cost: KES 0.8000",
                            "Recipients": [
                                {
                                    "statusCode": 101,
                                    "number": form.get("to", ""),
                                    "status": "Success",
                                    "cost": "KES 0.8000",
                                    "messageId": "ATXid_" + secrets.token_hex(8),
                                }
                            ],
                        }
                    }
                ).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def gateway():
    fake = FakeAfricasTalking()
    yield fake
    fake.close()


@pytest.fixture
def phones_server(start_server, gateway):
    return start_server(
        {
            "ROUNDTABLE_CHANNELS_SECRET": SECRET,
            "ROUNDTABLE_SMS_REPLIES": "africastalking",
            "ROUNDTABLE_AT_USERNAME": "sandbox",
            "ROUNDTABLE_AT_API_KEY": "fake-api-key",
            "ROUNDTABLE_AT_SENDER_ID": "12345",
            "ROUNDTABLE_AT_API_URL": gateway.url,
        }
    )


def ussd(server, session: str, number: str, inputs: list[str]) -> str:
    reply = requests.post(
        server.url(f"/channels/ussd?key={SECRET}"),
        data={
            "sessionId": session,
            "serviceCode": "*384*1234#",
            "phoneNumber": number,
            "networkCode": "63902",
            "text": "*".join(inputs),
        },
        timeout=10,
    )
    assert reply.status_code == 200 and reply.headers["Content-Type"].startswith("text/plain")
    assert len(reply.text) <= 182
    return reply.text


def test_a_ussd_vote_and_an_sms_vote_reach_the_projector_beside_a_phone_vote(phones_server, gateway):
    server = phones_server
    staff = server.socket("staff", server.staff_session())
    screen = server.socket("screen", key=server.screen_key)
    phone = server.socket("participant", server.participant_session())
    try:
        view = staff_view(staff)
        item = find_item(view, "Evidence sharing on Internet and Children")
        poll = item["polls"][1]  # "Which online risk to children concerns you most?" (single)
        assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
        assert staff.call("staff:poll_open", {"poll_id": poll["id"]})["ok"]
        assert staff.call("staff:screen", {"mode": "results", "poll_id": poll["id"]})["ok"]
        # The projector shows results once revealed (before, only how many answered).
        assert staff.call("staff:poll_reveal", {"poll_id": poll["id"], "revealed": True})["ok"]
        options = [o["id"] for o in poll["options"]]

        vote = {"poll_id": poll["id"], "client_id": secrets.token_hex(8), "answer": {"option": options[0]}}
        assert phone.call("vote", vote)["ok"]

        # USSD: dial, the code, English, skip the group, the poll, the second option.
        steps = [server.code, "1", "9"]
        for n in range(len(steps) + 1):
            reply = ussd(server, "ATUid_e2e", "+254712000001", steps[:n])
            assert reply.startswith("CON "), reply
        menu = reply
        number = next(line.split(" ")[0] for line in menu.split("\n") if line[2:].startswith("Which online"))
        steps += [number]
        assert "1 Online sexual abuse" in ussd(server, "ATUid_e2e", "+254712000001", steps)
        steps += ["2"]
        assert ussd(server, "ATUid_e2e", "+254712000001", steps).startswith("CON Thank you!")

        # SMS: "<code> B" answers the open poll; the reply goes out through the SDK.
        sms = requests.post(
            server.url(f"/channels/sms?key={SECRET}"),
            data={
                "from": "+254712000002",
                "to": "12345",
                "text": f"{server.code} B",
                "date": "2026-12-01 10:00:00",
                "id": "ATXid_in_1",
                "linkId": "",
            },
            timeout=10,
        )
        assert sms.status_code == 200

        def counted(t):
            return t["poll_id"] == poll["id"] and t["total"] == 3

        tally = screen.wait_for("tally", counted, timeout=15)
        assert tally["counts"][str(options[0])] == 1 and tally["counts"][str(options[1])] == 2
        assert staff.wait_for("tally", counted)["counts"] == tally["counts"]

        assert len(gateway.received) == 1
        sent = gateway.received[0]
        assert sent["path"] == "/version1/messaging" and sent["api_key"] == "fake-api-key"
        assert sent["to"] == "+254712000002" and sent["username"] == "sandbox" and sent["from"] == "12345"
        assert sent["message"].startswith('Thank you! Your answer to "Which online risk')
        # The server never logged a number.
        assert "712000001" not in server.log() and "712000002" not in server.log()
    finally:
        for client in (staff, screen, phone):
            client.close()


@pytest.mark.browser
def test_the_console_simulator_answers_by_ussd_and_sms_in_both_languages(phones_server, browser, artifacts):
    from playwright.sync_api import expect

    server = phones_server
    staff = server.socket("staff", server.staff_session())
    screen = server.socket("screen", key=server.screen_key)
    try:
        view = staff_view(staff)
        item = find_item(view, "Children Voices on Online Safety")
        rating = next(p for p in item["polls"] if p["kind"] == "rating")
        assert staff.call("staff:set_live", {"item_id": item["id"]})["ok"]
        assert staff.call("staff:poll_open", {"poll_id": rating["id"]})["ok"]
        assert staff.call("staff:screen", {"mode": "results", "poll_id": rating["id"]})["ok"]
        assert staff.call("staff:poll_reveal", {"poll_id": rating["id"], "revealed": True})["ok"]

        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(server.url("/staff/login"))
        page.fill("input[name=username]", "admin")
        from .server import ADMIN_PASSWORD

        page.fill("input[name=password]", ADMIN_PASSWORD)
        page.get_by_role("button", name="Log in").click()  # not the language form's button
        page.wait_for_url(re.compile(r"/staff/?$"))  # the staff home: the events this person may open
        page.goto(server.url(f"/staff/{server.code}"))
        with context.expect_page() as opened:
            page.click("[data-testid=tb-menu-open]")
            page.click("[data-testid=phones-link]")
        sim = opened.value
        sim.wait_for_load_state()
        lcd = sim.locator("[data-testid=ussd-screen]")

        def send(text: str) -> None:
            sim.fill("[data-testid=ussd-input]", text)
            sim.click("[data-testid=ussd-send]")

        sim.click("[data-testid=ussd-dial]")
        expect(lcd).to_contain_text("Weka msimbo wa tukio")
        send(server.code)
        expect(lcd).to_contain_text("Chagua lugha")
        send("2")
        expect(lcd).to_contain_text("Uko katika kundi gani?")
        send("7")
        expect(lcd).to_contain_text("Unajisikia salama kiasi gani")  # the poll in Kiswahili
        send("1")
        expect(lcd).to_contain_text("Jibu 1-5")
        for key in ("4",):
            sim.click(f"[data-key='{key}']")
        sim.click("[data-testid=ussd-send]")
        expect(lcd).to_contain_text("Asante! Jibu lako limehifadhiwa.")
        expect(sim.locator("[data-testid=ussd-count]")).to_contain_text("/182")

        sim.fill("[data-testid=sms-text]", f"{server.code} 2")
        sim.click("[data-testid=sms-send]")
        expect(sim.locator("[data-testid=sms-reply]").last).to_contain_text("Thank you! Your answer to")
        sim.fill("[data-testid=sms-text]", f"{server.code} MSAADA")
        sim.click("[data-testid=sms-send]")
        helpline = re.compile(r"Childline Kenya (kwa )?116")
        expect(sim.locator("[data-testid=sms-reply]").last).to_contain_text(helpline)

        tally = screen.wait_for("tally", lambda t: t["poll_id"] == rating["id"] and t["total"] == 2)
        assert tally["counts"]["4"] == 1 and tally["counts"]["2"] == 1
        sim.screenshot(path=str(artifacts / "phones-simulator.png"), full_page=True)
        context.close()
    finally:
        staff.close()
        screen.close()
