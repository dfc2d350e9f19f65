"""Feature phones: the USSD and SMS callbacks driven as Africa's Talking drives them.

Every test posts the gateway's own form fields to ``/channels/ussd`` or ``/channels/sms`` with
Flask's test client, then reads the database in a fresh app context (``in_db``). Every USSD
screen any test sees is checked by ``UssdPhone``: ``CON ``/``END ``, at most 182 characters, GSM
alphabet only. The ones that matter most run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select, text, update

from roundtable.channels import texts
from roundtable.channels.screens import MAX_SCREEN, MAX_SMS, gsm
from roundtable.channels.senders import AfricasTalkingSender, OffSender, sender_from_config
from roundtable.extensions import db
from roundtable.live import state as live_state
from roundtable.live.broadcaster import broadcaster
from roundtable.live.question_handlers import walls
from roundtable.models import (
    Event,
    HelpRequest,
    Participant,
    Poll,
    Question,
    Response,
    UssdSession,
)
from roundtable.polls import service as polls

SECRET = "gw-secret-for-tests"
NUMBER = "+254712345678"
DIGITS = "712345678"


@pytest.fixture(autouse=True)
def _clean_walls():
    walls.clear()
    yield
    walls.clear()


def gateway_config(**extra: Any) -> dict[str, Any]:
    return {"ROUNDTABLE_CHANNELS_SECRET": SECRET, "ROUNDTABLE_USSD_LIMIT": "1000 per minute", **extra}


@pytest.fixture
def app(request, app_factory):
    """The test's app (``seed_event`` and the rest use it) with the gateway's secret set."""
    return app_factory(getattr(request, "param", "sqlite"), **gateway_config())


# On SQLite and on PostgreSQL.
BOTH_DATABASES = pytest.mark.parametrize("app", ["sqlite", "postgresql"], indirect=True)


def reconfigure(app, **settings: Any) -> None:
    """Change settings after the app is made (the rate limits are read once: rebuild them)."""
    from roundtable.web.channels import ChannelLimits

    app.config.update(settings)
    app.extensions["roundtable_channel_limits"] = ChannelLimits(app)


class SentReplies:
    """The sender interface, keeping what would have gone out (the real one is tested e2e)."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, number: str, message: str) -> bool:
        self.sent.append((number, message))
        return True


def check_screen(reply: str) -> str:
    assert reply.startswith(("CON ", "END ")), reply
    assert len(reply) <= MAX_SCREEN, (len(reply), reply)
    assert gsm(reply) == reply, reply
    return reply


class UssdPhone:
    """One phone dialling the USSD code: each ``press`` is one gateway request."""

    def __init__(self, client, number: str = NUMBER, session: str = "ATUid_1", key: str = SECRET):
        self.client, self.number, self.session, self.key = client, number, session, key
        self.inputs: list[str] = []
        self.screens: list[str] = []

    def post(self, text: str) -> Any:
        return self.client.post(
            f"/channels/ussd?key={self.key}",
            data={
                "sessionId": self.session,
                "serviceCode": "*384*1234#",
                "phoneNumber": self.number,
                "networkCode": "63902",
                "text": text,
            },
        )

    def dial(self) -> str:
        self.inputs = []
        return self._send()

    def press(self, *inputs: str) -> str:
        reply = ""
        for inp in inputs:
            self.inputs.append(inp)
            reply = self._send()
        return reply

    def _send(self) -> str:
        response = self.post("*".join(self.inputs))
        assert response.status_code == 200, response.text
        assert response.mimetype == "text/plain"
        self.screens.append(check_screen(response.text))
        return response.text


def sms(client, text_: str, number: str = NUMBER, message_id: str | None = None, key: str = SECRET):
    sms.counter = getattr(sms, "counter", 0) + 1
    return client.post(
        f"/channels/sms?key={key}",
        data={
            "from": number,
            "to": "12345",
            "text": text_,
            "date": "2026-12-01 10:00:00",
            "id": message_id or f"ATXid_{sms.counter}",
            "linkId": "",
        },
    )


@pytest.fixture
def live(in_db):
    """``live(event_ref, item_index, open=True)``: set a session live and open its polls."""

    def setup(ev, index: int, *, open_polls: bool = True, **poll_changes: Any) -> list[dict[str, Any]]:
        items = [i for i in ev.items if i["polls"]]
        item = items[index]

        def run():
            event = db.session.get(Event, ev.id)
            live_state.set_current_item(event, item["id"])
            for info in item["polls"]:
                poll = db.session.get(Poll, info["id"])
                for name, value in poll_changes.items():
                    setattr(poll, name, value)
                if open_polls:
                    polls.open_poll(poll)
            db.session.commit()

        in_db(run)
        return item["polls"]

    return setup


def enter(phone: UssdPhone, code: str, lang: str = "1", group: str | None = "9") -> str:
    """Dial, give the code, the language and (first visit) the group: the menu's screen."""
    phone.dial()
    phone.press(code)
    reply = phone.press(lang)
    if group is not None:
        reply = phone.press(group)
    return reply


def menu_number(reply: str, label_start: str) -> str:
    for line in reply.split("\n"):
        match = re.match(r"(\d+) (.*)", line)
        if match and match.group(2).startswith(label_start):
            return match.group(1)
    raise AssertionError(f"{label_start!r} not in {reply!r}")


def choose(phone: UssdPhone, label_start: str, *then: str) -> str:
    """On a list screen, page with 98 until ``label_start`` shows, choose it, then press ``then``."""
    for _ in range(6):
        try:
            number = menu_number(phone.screens[-1], label_start)
            break
        except AssertionError:
            assert "98 " in phone.screens[-1], phone.screens[-1]
            phone.press("98")
    return phone.press(number, *then)


def responses(in_db, poll_id: int) -> list[Any]:
    return in_db(
        lambda: [
            (r.answer, r.language)
            for r in db.session.scalars(select(Response).where(Response.poll_id == poll_id))
        ]
    )


# --- the menu, screen by screen -------------------------------------------------------------


@BOTH_DATABASES
def test_first_visit_code_language_group_then_the_menu(app, seed_event, live, in_db):
    ev = seed_event()
    live(ev, 1)  # Evidence sharing: a quiz and a single choice
    phone = UssdPhone(app.test_client())
    first = phone.dial()
    assert first.startswith("CON Welcome to Roundtable!") and "Weka msimbo wa tukio" in first
    assert "Chagua lugha" in phone.press(ev.code.lower())  # codes are not case-sensitive
    group = phone.press("2")
    assert group.startswith("CON Uko katika kundi gani?") and "1 Technical community" in group
    menu = phone.press("7")  # children (on the second page? no: by number, as shown or not)
    assert menu.startswith("CON Evidence sharing on Internet and Children")
    assert "Uliza swali" in menu and "Nahitaji msaada" in menu
    person = in_db(lambda: db.session.scalar(select(Participant).where(Participant.channel == "ussd")))
    assert (person.language, person.group_key) == ("sw", "children")
    assert len(person.phone_hash) == 64


def test_a_returning_number_skips_language_and_group(app, seed_event, live):
    ev = seed_event()
    live(ev, 1)
    client = app.test_client()
    enter(UssdPhone(client, session="first"), ev.code, "2", "9")
    again = UssdPhone(client, session="second")
    again.dial()
    menu = again.press(ev.code)
    assert menu.startswith("CON Evidence sharing") and "Nahitaji msaada" in menu
    # The language can still be changed from the menu.
    assert "Chagua lugha" in choose(again, "Lugha/Language")
    assert "Ask a question" in again.press("1")


def test_wrong_codes_are_asked_again_then_the_session_ends(app, seed_event):
    seed_event()
    phone = UssdPhone(app.test_client())
    phone.dial()
    assert phone.press("NOPE").startswith("CON No event has that code. Try again:")
    assert phone.press("").startswith("CON No event has that code")
    assert phone.press("ZZZ").startswith("END No event has that code.")


def test_a_bound_channel_skips_the_code(app, seed_event, live):
    ev = seed_event()
    app.config["ROUNDTABLE_CHANNELS_EVENT"] = ev.code
    live(ev, 0)
    phone = UssdPhone(app.test_client())
    assert phone.dial().startswith("CON Choose language / Chagua lugha")
    assert "Meeting Preliminaries" in phone.press("1", "9")


def test_paging_with_more_and_back(app, seed_event):
    ev = seed_event()
    phone = UssdPhone(app.test_client())
    phone.dial()
    phone.press(ev.code)
    page1 = phone.press("1")
    assert "98 More" in page1 and "0 Back" in page1 and "1 Technical community" in page1
    page2 = phone.press("98")
    assert "1 Technical community" not in page2 and "9 Skip" in page2 and "98 More" not in page2
    assert phone.press("98").startswith("CON Choose one of the numbers shown.")  # no third page
    assert "1 Technical community" in phone.press("0")  # back to the first page
    assert phone.press("0").startswith("CON Choose language")  # and back out of the list
    # A number keeps its meaning on every page: 7 is "Children" even from the first page.
    phone.press("1")
    phone.press("7")
    assert not phone.screens[-1].startswith("CON Which group")


@pytest.mark.parametrize("lang", ["1", "2"])
def test_every_screen_of_the_built_in_programme_fits(app, seed_event, live, in_db, lang):
    """Every session with polls, every poll opened, answered and re-opened, paging through every
    list, in English and Kiswahili: every screen is at most 182 GSM characters."""
    ev = seed_event()
    client = app.test_client()
    items = [i for i in ev.items if i["polls"]]
    for index in range(len(items)):
        live(ev, index, results_mode="live")
        phone = UssdPhone(client, session=f"walk-{lang}-{index}")
        menu = enter(phone, ev.code, lang, "9" if index == 0 else None) if index == 0 else None
        if menu is None:
            phone.dial()
            menu = phone.press(ev.code)
        for number in range(1, len(items[index]["polls"]) + 1):
            screen = phone.press(str(number))
            answered = answer_any(phone, screen, in_db, items[index]["polls"][number - 1]["id"])
            assert answered.startswith("CON ") and answered.endswith(("0 Menu", "0 Menyu")), answered
            phone.press("0")
        # Every page of the menu, then the question screen and back.
        while "98 " in phone.screens[-1]:
            phone.press("98")
        phone.press("0")
    assert len(phone.screens) > 5
    # The help screen in this language ends the session with the helpline.
    phone.dial()
    phone.press(ev.code)
    end = choose(phone, "Nahitaji msaada" if lang == "2" else "I need help")
    assert end.startswith("END ") and "116" in end


def answer_any(phone: UssdPhone, screen: str, in_db, poll_id: int) -> str:
    """Answer whatever poll screen this is with a valid answer, step by step."""
    kind = in_db(lambda: db.session.get(Poll, poll_id).kind)
    if kind in ("single", "quiz", "multiple"):
        while "98 " in screen:  # see every page of the options first
            screen = phone.press("98")
        return phone.press("1")
    if kind == "rating":
        return phone.press("3")
    if kind == "ranking":
        for _ in range(10):
            screen = phone.press("1")
            if "0 Menu" in screen or "0 Menyu" in screen:
                return screen
    if kind == "points":
        for _ in range(12):
            screen = phone.press("20")
            if "0 Menu" in screen or "0 Menyu" in screen:
                return screen
    return phone.press("Usalama")


# --- answers: the same business rules, tallies and broadcasts as the phone page ---------------


def test_a_ussd_vote_counts_in_the_same_tally_and_marks_the_poll_dirty(
    app, seed_event, live, in_db, socket_client, flush_tallies
):
    ev = seed_event()
    quiz, single = live(ev, 1)
    web = socket_client("participant", ev)
    assert web.emit(
        "vote",
        {"poll_id": single["id"], "client_id": "web-vote-1", "answer": {"option": single["options"][1]}},
        callback=True,
    )["ok"]
    staff = socket_client("staff", ev)
    staff.get_received()
    phone = UssdPhone(app.test_client())
    enter(phone, ev.code)
    choose(phone, "Which online risk")
    done = phone.press("2")
    assert done.startswith("CON Thank you! Your answer is saved.")
    assert single["id"] in broadcaster._dirty_polls
    flush_tallies()
    tallies = [m["args"][0] for m in staff.get_received() if m["name"] == "tally"]
    mine = [t for t in tallies if t["poll_id"] == single["id"]][-1]
    assert mine["total"] == 2 and mine["counts"][str(single["options"][1])] == 2
    assert responses(in_db, single["id"]) == [
        ({"option": single["options"][1]}, None),
        ({"option": single["options"][1]}, "en"),
    ]


@BOTH_DATABASES
def test_an_answer_changes_while_the_poll_allows_it_and_not_after(app, seed_event, live, in_db):
    ev = seed_event()
    _quiz, single = live(ev, 1)
    phone = UssdPhone(app.test_client())
    enter(phone, ev.code)
    n = menu_number(phone.screens[-1], "Which online risk")
    phone.press(n, "1", "0")
    again = phone.press(n)
    assert "You answered. A new answer replaces it." in again
    phone.press("3")
    assert responses(in_db, single["id"]) == [({"option": single["options"][2]}, "en")]

    in_db(
        lambda: (
            db.session.execute(update(Poll).where(Poll.id == single["id"]).values(allow_change=False)),
            db.session.commit(),
        )
    )
    phone.press("0")
    locked = phone.press(n)
    assert locked.startswith("CON You have already answered this poll.") and locked.endswith("0 Menu")
    assert responses(in_db, single["id"]) == [({"option": single["options"][2]}, "en")]


def test_validation_codes_become_short_messages_in_both_languages(app, seed_event, live, in_db):
    ev = seed_event()
    live(ev, 2)  # children's session: words, open text, rating, multiple (up to 3)
    client = app.test_client()
    phone = UssdPhone(client)
    enter(phone, ev.code, "1")
    rating = menu_number(phone.screens[-1], "How safe")
    phone.press(rating)
    assert phone.press("9").startswith("CON Choose a number from 1 to 5.")
    assert phone.press("x").startswith("CON That answer was not understood.")
    phone.press("0")
    choose(phone, "How safe")
    phone.press("3")  # a valid answer after the errors
    sw = UssdPhone(client, number="+254722000111", session="sw")
    enter(sw, ev.code, "2")
    while "Where do you spend" not in sw.screens[-1]:
        sw.press("98")
    choose(sw, "Where do you spend")
    assert sw.press("1*2*3*4").startswith("CON Mengi mno: chagua hadi 3.")
    assert sw.press("1*1").startswith("CON Umechagua chaguo moja mara mbili.")
    assert sw.press("135").startswith("CON Asante! Jibu lako limehifadhiwa.")


@BOTH_DATABASES
def test_ranking_and_points_step_by_step(app, seed_event, live, in_db):
    ev = seed_event()
    ranking, _single = live(ev, 3)
    phone = UssdPhone(app.test_client())
    enter(phone, ev.code)
    choose(phone, "Which response")
    assert "Your choice no. 1:" in phone.screens[-1]
    phone.press("5")  # the last option first
    assert "Your choice no. 2:" in phone.screens[-1]
    phone.press("1", "1", "1")
    assert phone.screens[-1].startswith("CON Thank you!")
    o = ranking["options"]
    assert responses(in_db, ranking["id"]) == [({"order": [o[4], o[0], o[1], o[2], o[3]]}, "en")]

    points, _multiple = live(ev, 4)
    phone.press("0")
    choose(phone, "Share 100")
    assert "100 left" in phone.screens[-1]
    assert phone.press("150").startswith("CON The points must add up to 100.")
    phone.press("60", "30")
    phone.press("10")  # nothing left: the last two get 0
    assert phone.screens[-1].startswith("CON Thank you!")
    p = points["options"]
    assert responses(in_db, points["id"]) == [
        ({"points": {str(p[0]): 60, str(p[1]): 30, str(p[2]): 10}}, "en")
    ]


@BOTH_DATABASES
def test_free_text_passes_the_safety_checks_and_moderation(app, seed_event, live, in_db):
    ev = seed_event()
    live(ev, 2)  # children's session: premoderated words and open answers
    phone = UssdPhone(app.test_client())
    enter(phone, ev.code)
    choose(phone, "The internet we want")
    done = phone.press("Call me on 0712 345 678")
    assert "A moderator reads it before others see it." in done and "0712" not in done
    held = in_db(
        lambda: polls.staff_tally(
            db.session.get(Poll, next(p["id"] for p in ev.polls if p["kind"] == "opentext"))
        )["held"]
    )
    assert held and held[0]["text"] == "Call me on 0712 345 678" and held[0]["reasons"]


def test_results_after_answering_follow_results_mode_and_reveal(app, seed_event, live, in_db):
    ev = seed_event()
    _quiz, single = live(ev, 1)
    phone = UssdPhone(app.test_client())
    enter(phone, ev.code)
    n = menu_number(phone.screens[-1], "Which online risk")
    shown = {}
    for mode, revealed in (
        ("on_reveal", False),
        ("on_reveal", True),
        ("after_vote", False),
        ("live", False),
        ("never", True),
    ):

        def change(mode=mode, revealed=revealed):
            db.session.execute(
                update(Poll)
                .where(Poll.id == single["id"])
                .values(results_mode=mode, results_revealed=revealed)
            )
            db.session.commit()

        in_db(change)
        phone.press(n)
        shown[(mode, revealed)] = "Results, 1 answered:" in phone.press("2")
        phone.press("0")
    assert shown == {
        ("on_reveal", False): False,
        ("on_reveal", True): True,
        ("after_vote", False): True,
        ("live", False): True,
        ("never", True): False,
    }


def test_a_closed_poll_is_refused_with_its_message(app, seed_event, live, in_db):
    ev = seed_event()
    _quiz, single = live(ev, 1)
    phone = UssdPhone(app.test_client())
    enter(phone, ev.code)
    choose(phone, "Which online risk")
    in_db(lambda: (polls.close_poll(db.session.get(Poll, single["id"])), db.session.commit()))
    closed = phone.press("1")
    assert closed.startswith("CON This poll is closed.") and "Which online risk" not in closed
    assert responses(in_db, single["id"]) == []


@BOTH_DATABASES
def test_ask_a_question_goes_through_moderation(app, seed_event, live, in_db):
    ev = seed_event()
    live(ev, 2)  # children's session: every question waits for a moderator
    phone = UssdPhone(app.test_client())
    enter(phone, ev.code, "2")
    while "Uliza swali" not in phone.screens[-1]:
        phone.press("98")
    choose(phone, "Uliza swali")
    done = phone.press("Nani analinda data yetu? Nipigie 0712345678")
    assert done.startswith("CON Asante! Msimamizi atasoma swali lako kwanza.") and DIGITS not in done
    question = in_db(lambda: db.session.scalar(select(Question)))
    assert question.status == "pending" and question.reasons and question.name is None
    assert question.agenda_item_id in walls._dirty


@BOTH_DATABASES
def test_i_need_help_reaches_the_staff_with_the_helpline(app, seed_event, live, in_db, socket_client):
    ev = seed_event()
    live(ev, 0)
    staff = socket_client("staff", ev)
    staff.get_received()
    phone = UssdPhone(app.test_client())
    enter(phone, ev.code, "2")
    end = choose(phone, "Nahitaji msaada")
    assert end.startswith("END Ombi lako limewafikia wasimamizi.") and "Childline Kenya 116" in end
    assert "piga simu" in end  # the Kiswahili helpline
    helps = [m["args"][0] for m in staff.get_received() if m["name"] == "help"]
    assert len(helps) == 1 and helps[0]["alert"] and DIGITS not in str(helps)
    assert in_db(lambda: db.session.scalar(select(HelpRequest.kind))) == "help"


@BOTH_DATABASES
def test_a_retried_request_gets_the_same_screen_and_counts_once(app, seed_event, live, in_db):
    ev = seed_event()
    _quiz, single = live(ev, 1)
    phone = UssdPhone(app.test_client())
    enter(phone, ev.code)
    choose(phone, "Which online risk")
    first = phone.press("2")
    seq = in_db(lambda: db.session.get(Poll, single["id"]).seq)
    again = phone.post("*".join(phone.inputs))
    assert again.text == first
    assert in_db(lambda: db.session.get(Poll, single["id"]).seq) == seq
    assert len(responses(in_db, single["id"])) == 1


@BOTH_DATABASES
def test_an_expired_or_unknown_session_ends_and_stores_nothing(app, seed_event, live, in_db):
    ev = seed_event()
    live(ev, 1)
    client = app.test_client()
    stranger = UssdPhone(client, session="never-seen")
    assert stranger.post("1*2").text == "END " + texts.both("expired")
    assert in_db(lambda: db.session.scalar(select(db.func.count()).select_from(UssdSession))) == 0

    phone = UssdPhone(client)
    enter(phone, ev.code, "2")

    def age():
        db.session.execute(update(UssdSession).values(updated_at=dt.datetime(2020, 1, 1)))
        db.session.commit()

    in_db(age)
    assert phone.press("1") == "END Kipindi chako kimeisha. Tafadhali piga tena."
    assert in_db(lambda: db.session.scalar(select(db.func.count()).select_from(UssdSession))) == 0


def test_a_session_answers_only_its_own_number(app, seed_event, live):
    ev = seed_event()
    live(ev, 1)
    client = app.test_client()
    phone = UssdPhone(client)
    enter(phone, ev.code)
    thief = UssdPhone(client, number="+254799999999")
    assert thief.post("1*9*1").text.startswith("END Not allowed.")


# --- refusals ------------------------------------------------------------------------------


def _counts(in_db) -> tuple[int, int, int]:
    def run():
        return tuple(
            db.session.scalar(select(db.func.count()).select_from(model))
            for model in (Participant, UssdSession, Response)
        )

    return in_db(run)


@pytest.mark.parametrize(
    ("query", "form", "status"),
    [
        ("", {}, 403),
        ("?key=wrong", {}, 403),
        ("?key=" + SECRET, {"sessionId": None}, 400),
        ("?key=" + SECRET, {"phoneNumber": "not a number"}, 400),
        ("?key=" + SECRET, {"phoneNumber": "+2547"}, 400),
        ("?key=" + SECRET, {"text": None}, 400),
        ("?key=" + SECRET, {"text": "1" * 1001}, 400),
        ("?key=" + SECRET, {"sessionId": "x" * 101}, 400),
        ("?key=" + SECRET, {"sessionId": "has space"}, 400),
    ],
)
def test_bad_ussd_requests_are_refused_in_the_gateway_shape(app, seed_event, in_db, query, form, status):
    seed_event()
    data = {
        "sessionId": "S1",
        "serviceCode": "*384#",
        "phoneNumber": NUMBER,
        "networkCode": "63902",
        "text": "",
    }
    data.update(form)
    data = {k: v for k, v in data.items() if v is not None}
    before = _counts(in_db)
    response = app.test_client().post("/channels/ussd" + query, data=data)
    assert response.status_code == status and response.mimetype == "text/plain"
    assert response.text.startswith("END ")
    assert _counts(in_db) == before


def test_no_secret_configured_refuses_every_callback(app, seed_event):
    reconfigure(app, ROUNDTABLE_CHANNELS_SECRET="")
    seed_event()
    client = app.test_client()
    assert UssdPhone(client, key="").post("").status_code == 403
    assert sms(client, "X 1", key="").status_code == 403


def test_the_gateways_source_service_code_and_short_code_are_checked(app, seed_event, in_db):
    reconfigure(
        app,
        ROUNDTABLE_CHANNELS_ALLOWED_IPS="10.0.0.0/8, 192.0.2.7",
        ROUNDTABLE_USSD_SERVICE_CODE="*384*1234#",
        ROUNDTABLE_SMS_SHORTCODE="12345",
    )
    ev = seed_event()
    client = app.test_client()
    before = _counts(in_db)
    assert UssdPhone(client).post("").status_code == 403  # from 127.0.0.1
    gateway = app.test_client()
    gateway.environ_base["REMOTE_ADDR"] = "10.20.30.40"
    assert UssdPhone(gateway).post("").status_code == 200
    other_code = gateway.post(
        f"/channels/ussd?key={SECRET}",
        data={
            "sessionId": "S9",
            "serviceCode": "*999#",
            "phoneNumber": NUMBER,
            "networkCode": "",
            "text": "",
        },
    )
    assert other_code.status_code == 403
    wrong_to = gateway.post(
        f"/channels/sms?key={SECRET}",
        data={"from": NUMBER, "to": "99999", "text": f"{ev.code} HELP", "id": "1"},
    )
    assert wrong_to.status_code == 403
    assert _counts(in_db)[0] == before[0]


@pytest.mark.parametrize(
    "form",
    [
        {"from": "nobody"},
        {"from": None},
        {"id": None},
        {"id": ""},
        {"text": None},
        {"text": "x" * 1601},
        {"linkId": "x" * 101},
    ],
)
def test_bad_sms_requests_are_refused_and_store_nothing(app, seed_event, in_db, form):
    ev = seed_event()
    sent = app.extensions["roundtable_sms_sender"] = SentReplies()
    data = {"from": NUMBER, "to": "12345", "text": f"{ev.code} HELP", "date": "", "id": "A1", "linkId": ""}
    data.update(form)
    data = {k: v for k, v in data.items() if v is not None}
    before = _counts(in_db)
    response = app.test_client().post(f"/channels/sms?key={SECRET}", data=data)
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert _counts(in_db) == before and sent.sent == []
    assert in_db(lambda: db.session.scalar(select(db.func.count()).select_from(HelpRequest))) == 0


def test_each_number_is_rate_limited_on_its_own(app, seed_event, in_db):
    reconfigure(app, ROUNDTABLE_USSD_LIMIT="3 per minute", ROUNDTABLE_SMS_LIMIT="2 per minute")
    ev = seed_event()
    client = app.test_client()
    phone = UssdPhone(client)
    phone.dial()
    phone.press(ev.code, "1")
    steps = in_db(lambda: db.session.scalar(select(UssdSession.steps)))
    limited = phone.press("9")
    assert limited.startswith("END Too many requests.")
    assert in_db(lambda: db.session.scalar(select(UssdSession.steps))) == steps  # nothing stored
    assert UssdPhone(client, number="+254733000000", session="other").dial().startswith("CON Welcome")

    sent = app.extensions["roundtable_sms_sender"] = SentReplies()
    for n in range(3):
        assert (
            sms(client, f"{ev.code} HELP", number="+254744000000", message_id=f"flood-{n}").status_code == 200
        )
    assert len(sent.sent) == 2
    assert in_db(lambda: db.session.scalar(select(db.func.count()).select_from(HelpRequest))) == 2


# --- SMS ----------------------------------------------------------------------------------------


@BOTH_DATABASES
def test_sms_answers_every_kind_of_open_poll(app, seed_event, live, in_db):
    ev = seed_event()
    sent = app.extensions["roundtable_sms_sender"] = SentReplies()
    client = app.test_client()
    quiz, single = live(ev, 1)
    assert sms(client, f"{ev.code} P2 B").status_code == 200
    assert responses(in_db, single["id"]) == [({"option": single["options"][1]}, "en")]
    assert sent.sent[-1][1].startswith('Thank you! Your answer to "Which online risk')
    sms(client, f"{ev.code} P1 3")
    assert responses(in_db, quiz["id"]) == [({"option": quiz["options"][2]}, "en")]

    words, opentext, rating, multiple = live(ev, 2)
    sms(client, f"{ev.code} P3 4")
    assert responses(in_db, rating["id"]) == [({"value": 4}, "en")]
    sms(client, f"{ev.code} P4 1 3")
    assert responses(in_db, multiple["id"])[0][0] == {
        "options": sorted([multiple["options"][0], multiple["options"][2]])
    }
    sms(client, f"{ev.code} P1 Scary")
    assert responses(in_db, words["id"]) == [({"words": ["scary"]}, "en")]
    sms(client, f"{ev.code} P2 Safer apps, please")
    assert responses(in_db, opentext["id"]) == [({"texts": ["Safer apps, please"]}, "en")]
    assert "please" not in " ".join(m for _n, m in sent.sent)  # a reply never repeats the text

    ranking, _single = live(ev, 3)
    sms(client, f"{ev.code} P1 52341")
    o = ranking["options"]
    assert responses(in_db, ranking["id"]) == [({"order": [o[4], o[1], o[2], o[3], o[0]]}, "en")]
    points, _multiple = live(ev, 4)
    sms(client, f"{ev.code} P1 A40 C60")
    p = points["options"]
    assert responses(in_db, points["id"]) == [({"points": {str(p[0]): 40, str(p[2]): 60}}, "en")]
    assert all(number == NUMBER and len(message) <= MAX_SMS for number, message in sent.sent)
    assert (
        in_db(
            lambda: db.session.scalar(
                select(db.func.count()).select_from(Participant).where(Participant.channel == "sms")
            )
        )
        == 1
    )


def test_sms_one_open_poll_needs_no_number_and_a_bare_code_says_how(app, seed_event, live, in_db):
    ev = seed_event()
    sent = app.extensions["roundtable_sms_sender"] = SentReplies()
    client = app.test_client()
    sms(client, ev.code)
    assert sent.sent[-1][1].startswith("No poll is open now.")
    items = [i for i in ev.items if i["polls"]]
    rating = next(p for p in items[2]["polls"] if p["kind"] == "rating")
    live(ev, 2, open_polls=False)
    in_db(lambda: (polls.open_poll(db.session.get(Poll, rating["id"])), db.session.commit()))
    sms(client, ev.code)
    assert sent.sent[-1][1] == f"How safe do you feel online? Reply: {ev.code} 1-5"
    sms(client, f"{ev.code} 7")
    assert sent.sent[-1][1] == f"Choose a number from 1 to 5. Reply: {ev.code} 1-5"
    sms(client, f"{ev.code} 5")
    assert responses(in_db, rating["id"]) == [({"value": 5}, "en")]
    # The latest opened poll is the one answered when several are open.
    live(ev, 2)
    sms(client, ev.code)
    assert sent.sent[-1][1].startswith("Open polls: P1 ")


@BOTH_DATABASES
def test_sms_kiswahili_keywords_questions_and_help(app, seed_event, live, in_db):
    ev = seed_event()
    sent = app.extensions["roundtable_sms_sender"] = SentReplies()
    client = app.test_client()
    live(ev, 2)
    sms(client, f"{ev.code} SWALI Kwa nini watoto hawalindwi? Nipigie 0712345678")
    assert sent.sent[-1][1] == "Asante! Msimamizi atasoma swali lako kwanza."
    sms(client, f"{ev.code} MSAADA mtu ananisumbua")
    reply = sent.sent[-1][1]
    assert (
        reply.startswith("Ombi lako limewafikia wasimamizi.")
        and "116" in reply
        and "ananisumbua" not in reply
    )
    request = in_db(lambda: db.session.scalar(select(HelpRequest)))
    assert request.message == "mtu ananisumbua" and request.kind == "help"
    sms(client, f"{ev.code} EN")
    assert sent.sent[-1][1] == "You will get replies in English."
    sms(client, f"{ev.code} Q Who checks the apps?")
    assert sent.sent[-1][1] == "Thank you! A moderator will read your question first."
    assert in_db(lambda: db.session.scalar(select(db.func.count()).select_from(Question))) == 2
    assert all(DIGITS not in message for _n, message in sent.sent)


def test_sms_without_a_code_is_told_how_and_a_bound_channel_needs_none(app, seed_event, live, in_db):
    ev = seed_event()
    sent = app.extensions["roundtable_sms_sender"] = SentReplies()
    client = app.test_client()
    sms(client, "2")
    assert sent.sent[-1][1].startswith("Start your SMS with the event code")
    assert "Anza ujumbe" in sent.sent[-1][1]
    assert in_db(lambda: db.session.scalar(select(db.func.count()).select_from(Participant))) == 0
    app.config["ROUNDTABLE_CHANNELS_EVENT"] = ev.code
    _quiz, single = live(ev, 1, open_polls=False)
    in_db(lambda: (polls.open_poll(db.session.get(Poll, single["id"])), db.session.commit()))
    sms(client, "c")
    assert responses(in_db, single["id"]) == [({"option": single["options"][2]}, "en")]


@BOTH_DATABASES
def test_ussd_and_sms_from_one_number_are_one_participant(app, seed_event, live, in_db):
    ev = seed_event()
    _quiz, single = live(ev, 1)
    client = app.test_client()
    app.extensions["roundtable_sms_sender"] = SentReplies()
    phone = UssdPhone(client)
    enter(phone, ev.code)
    choose(phone, "Which online risk", "1")
    sms(client, f"{ev.code} P2 4", number="0712 345 678")  # the local form of the same number
    assert responses(in_db, single["id"]) == [({"option": single["options"][3]}, "en")]
    people = in_db(lambda: db.session.scalars(select(Participant)).all())
    assert len(people) == 1 and people[0].channel == "ussd"


@BOTH_DATABASES
def test_a_phone_number_is_stored_nowhere_in_clear(app, seed_event, live, in_db):
    ev = seed_event()
    live(ev, 2)
    app.extensions["roundtable_sms_sender"] = SentReplies()
    client = app.test_client()
    enter(UssdPhone(client), ev.code)
    sms(client, f"{ev.code} P3 4")

    def dump() -> str:
        rows = []
        for table in db.metadata.sorted_tables:
            rows += [str(tuple(row)) for row in db.session.execute(table.select())]
        return "\n".join(rows)

    everything = in_db(dump)
    assert DIGITS not in everything and "254712" not in everything
    # The hash is keyed per event: another event's key gives another hash for the same number.
    from roundtable.channels.service import phone_hash

    hashes = in_db(lambda: db.session.scalars(select(Participant.phone_hash)).all())
    other = Event(code="OTHER1", title="x", phone_key="another-key")
    assert hashes and phone_hash(other, NUMBER) not in hashes


@BOTH_DATABASES
def test_deleting_participants_deletes_their_hashes_and_sessions(app, seed_event, live, in_db):
    ev = seed_event()
    live(ev, 1)
    enter(UssdPhone(app.test_client()), ev.code)

    def retention():
        db.session.execute(Participant.__table__.delete().where(Participant.event_id == ev.id))
        db.session.commit()
        return (
            db.session.scalar(select(db.func.count()).select_from(UssdSession)),
            db.session.scalar(
                select(db.func.count()).select_from(Participant).where(Participant.phone_hash.is_not(None))
            ),
        )

    assert in_db(retention) == (0, 0)


# --- the simulator -----------------------------------------------------------------------------


def test_the_simulator_is_for_facilitators_and_drives_the_same_menu(app, seed_event, live, in_db, login):
    ev = seed_event()
    _quiz, single = live(ev, 1)
    anonymous = app.test_client()
    assert anonymous.get(f"/staff/{ev.code}/phones").status_code == 302
    moderator = app.test_client()
    login(moderator, username="mod", role="moderator")
    assert (
        moderator.post(
            f"/staff/{ev.code}/phones/ussd", json={"sessionId": "x", "phoneNumber": NUMBER, "text": ""}
        ).status_code
        == 403
    )
    staff = app.test_client()
    login(staff)
    page = staff.get(f"/staff/{ev.code}/phones")
    assert page.status_code == 200 and b"phones.js" in page.data and b'data-testid="ussd-dial"' in page.data
    assert b"Feature phones" in staff.get(f"/staff/{ev.code}").data  # linked from the console
    inputs: list[str] = []
    for step in ["", ev.code, "1", "9", "2", "4"]:
        if step:
            inputs.append(step)
        reply = staff.post(
            f"/staff/{ev.code}/phones/ussd",
            json={"sessionId": "SIM1", "phoneNumber": NUMBER, "text": "*".join(inputs)},
        ).get_json()["reply"]
        check_screen(reply)
    assert reply.startswith("CON Thank you!")
    assert responses(in_db, single["id"]) == [({"option": single["options"][3]}, "en")]
    sent = app.extensions["roundtable_sms_sender"] = SentReplies()
    answer = staff.post(
        f"/staff/{ev.code}/phones/sms", json={"from": "+254700000002", "text": f"{ev.code} P2 1"}
    ).get_json()
    assert answer["reply"].startswith("Thank you!") and sent.sent == []  # shown, never sent
    bad = staff.post(f"/staff/{ev.code}/phones/sms", json={"from": "x", "text": "1"})
    assert bad.status_code == 400


# --- texts and senders -----------------------------------------------------------------------


def test_every_text_exists_in_both_languages():
    for table in (texts.TEXTS, texts.ERRORS):
        for key, entry in table.items():
            assert set(entry) == {"en", "sw"}, key
            assert entry["en"].strip() and entry["sw"].strip(), key
            assert re.findall(r"{\w+}", entry["en"]) == re.findall(r"{\w+}", entry["sw"]), key
    assert texts.TEXTS["saved"]["sw"] != texts.TEXTS["saved"]["en"]


def test_the_sender_is_chosen_by_setting():
    assert isinstance(sender_from_config({"ROUNDTABLE_SMS_REPLIES": "off"}), OffSender)
    real = sender_from_config(
        {
            "ROUNDTABLE_SMS_REPLIES": "africastalking",
            "ROUNDTABLE_AT_USERNAME": "sandbox",
            "ROUNDTABLE_AT_API_KEY": "k",
        }
    )
    assert isinstance(real, AfricasTalkingSender)
    with pytest.raises(ValueError):
        sender_from_config({"ROUNDTABLE_SMS_REPLIES": "africastalking", "ROUNDTABLE_AT_API_KEY": ""})
    with pytest.raises(ValueError):
        sender_from_config({"ROUNDTABLE_SMS_REPLIES": "loudly"})


def test_gsm_folding_keeps_screens_short():
    assert gsm("16–17 “safe” …") == '16-17 "safe" ...'
    assert gsm("Café") == "Café" and gsm("日本") == "??"


def test_sqlite_foreign_keys_are_on(app, in_db):
    assert in_db(lambda: db.session.execute(text("PRAGMA foreign_keys")).scalar()) == 1


def test_a_star_typed_inside_an_answer_stays_part_of_it(app, seed_event, live, in_db):
    ev = seed_event()
    words, opentext, _rating, _multiple = live(ev, 2)
    phone = UssdPhone(app.test_client())
    enter(phone, ev.code)
    choose(phone, "The internet we want")
    phone.press("Less ads*more safety")
    assert responses(in_db, opentext["id"]) == [({"texts": ["Less ads*more safety"]}, "en")]


def test_a_retried_sms_counts_once(app, seed_event, live, in_db):
    ev = seed_event()
    app.extensions["roundtable_sms_sender"] = SentReplies()
    _quiz, single = live(ev, 1)
    client = app.test_client()
    sms(client, f"{ev.code} P2 1", message_id="ATXid_same")
    seq = in_db(lambda: db.session.get(Poll, single["id"]).seq)
    sms(client, f"{ev.code} P2 1", message_id="ATXid_same")
    assert in_db(lambda: db.session.get(Poll, single["id"]).seq) == seq
    assert len(responses(in_db, single["id"])) == 1


def test_kiswahili_content_is_shown_where_the_event_has_it(app, seed_event, live, in_db):
    ev = seed_event()
    _quiz, single = live(ev, 1)

    def translate():
        poll = db.session.get(Poll, single["id"])
        poll.question_sw = "Ni hatari gani mtandaoni inayokutia wasiwasi zaidi?"
        poll.options[0].label_sw = "Unyanyasaji wa kingono mtandaoni"
        db.session.commit()

    in_db(translate)
    phone = UssdPhone(app.test_client())
    enter(phone, ev.code, "2")
    screen = choose(phone, "Ni hatari gani")
    assert "1 Unyanyasaji wa kingono mtandaoni" in screen and "2 Cyberbullying" in screen
    english = UssdPhone(app.test_client(), number="+254733111222", session="en")
    enter(english, ev.code, "1")
    assert "1 Online sexual exploitation" in choose(english, "Which online risk")


def test_the_simulator_never_answers_as_a_real_number(app, seed_event, live, in_db, login):
    ev = seed_event()
    _quiz, single = live(ev, 1)
    real = UssdPhone(app.test_client())
    enter(real, ev.code)
    choose(real, "Which online risk", "1")
    staff = app.test_client()
    login(staff)
    for text_ in ["", ev.code]:
        reply = staff.post(
            f"/staff/{ev.code}/phones/ussd", json={"sessionId": "SIM2", "phoneNumber": NUMBER, "text": text_}
        ).get_json()["reply"]
    assert reply.startswith("CON Choose language")  # a new participant, not the real one
    assert in_db(lambda: db.session.scalar(select(db.func.count()).select_from(Participant))) == 2


@pytest.mark.parametrize("lang", ["1", "2"])
def test_the_longest_texts_an_event_can_hold_still_fit_every_screen(app, seed_event, live, in_db, lang):
    """Not only the built-in programme: 300-character questions, 12 options of 200 characters,
    long titles, group labels and helpline, in both languages, every page of every list."""
    ev = seed_event()
    polls_ = live(ev, 1, open_polls=False)

    def lengthen():
        from roundtable.models import AgendaItem, PollOption, StakeholderGroup

        event = db.session.get(Event, ev.id)
        event.helpline = "Call Childline Kenya on 116. " + "Or talk to any facilitator in the room. " * 8
        for group in db.session.scalars(select(StakeholderGroup)):
            group.label = group.label + " " + "x" * 100
        item = db.session.get(AgendaItem, polls_[0]["item_id"])
        item.title = "A very long session title " * 11
        for n, info in enumerate(polls_):
            poll = db.session.get(Poll, info["id"])
            poll.question = ("Why " + "very " * 60)[:295] + "?"
            poll.question_sw = ("Kwa nini " + "sana " * 60)[:295] + "?"
            poll.kind = ["multiple", "ranking"][n]
            poll.settings = {"max_selections": 12} if n == 0 else {}
            poll.options = [
                PollOption(position=k, label=f"Option {k} " + "y" * 190, label_sw=f"Chaguo {k} " + "z" * 190)
                for k in range(12 if n == 0 else 10)
            ]
            polls.open_poll(poll)
        db.session.commit()

    in_db(lengthen)
    phone = UssdPhone(app.test_client())
    phone.dial()
    phone.press(ev.code, lang)
    while "98 " in phone.screens[-1]:
        phone.press("98")
    phone.press("9")  # skip the group
    while "98 " in phone.screens[-1]:
        phone.press("98")
    phone.press("0")
    phone.press("1")  # the multiple choice: every page, then 12 answers at once
    while "98 " in phone.screens[-1]:
        phone.press("98")
    assert "0 Menu" in phone.press("1*2*3*4*5*6*7*8*9*10*11*12") or "0 Menyu" in phone.screens[-1]
    phone.press("0", "2")  # the ranking: ten steps
    for _ in range(9):
        phone.press("1")
    assert phone.screens[-1].startswith(("CON Thank you!", "CON Asante!"))
    phone.press("0")
    while "98 " in phone.screens[-1]:
        phone.press("98")
    end = choose(phone, "Nahitaji msaada" if lang == "2" else "I need help")
    assert "116" in end
    assert len(phone.screens) > 20  # every screen was checked by UssdPhone


def test_a_kind_the_menu_cannot_show_says_so(app, seed_event, live, in_db, monkeypatch):
    from roundtable.channels import ussd

    monkeypatch.delitem(ussd.POLL_SCREENS, "points")  # as a future kind would be: no USSD screen
    ev = seed_event()
    points, _multiple = live(ev, 4)
    phone = UssdPhone(app.test_client())
    enter(phone, ev.code, "2")
    screen = choose(phone, "Share 100")
    assert screen == "CON Kura hii haiwezi kujibiwa kwa simu hii. Tafadhali tumia ukurasa wa wavuti.\n0 Rudi"
    assert phone.press("0").startswith("CON Way forward")
    assert responses(in_db, points["id"]) == []


def test_dialling_the_code_with_the_event_code_skips_the_code_screen(app, seed_event, live, in_db):
    """*384*1234*<code># : the gateway's first request carries the code as its text."""
    ev = seed_event()
    live(ev, 1)
    phone = UssdPhone(app.test_client(), session="ext")
    phone.inputs = [ev.code]
    assert phone._send().startswith("CON Choose language")
    assert "Evidence sharing" in phone.press("1", "9")
    # Not a code, or more than one input: a session we do not know, nothing stored.
    assert UssdPhone(app.test_client(), session="x2").post("NOPE").text.startswith("END ")
    assert UssdPhone(app.test_client(), session="x3").post(f"{ev.code}*1").text.startswith("END ")
    assert in_db(lambda: db.session.scalar(select(db.func.count()).select_from(UssdSession))) == 1
