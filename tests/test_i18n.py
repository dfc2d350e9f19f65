"""Languages: the Kiswahili catalogue, the language choice, server messages per caller, content in
two languages, the lite page's language, and translation files compiled for a fresh tree."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import join

from roundtable import i18n
from roundtable.errors import RoundtableError
from roundtable.extensions import db
from roundtable.models import Event, Participant, Poll, Response

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "roundtable" / "translations" / "sw" / "LC_MESSAGES" / "messages.po"
SW = {"Accept-Language": "sw-KE,sw;q=0.9,en;q=0.4"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}


def catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="sw")


def extracted_ids() -> set:
    """Every msgid the code uses, as pybabel extracts them (Python, templates, browser modules)."""
    from babel.messages.extract import extract_from_dir

    ids = set()
    common = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
    runs = [
        ("roundtable/**.py", "python", {**common, "_l": None, "lazy_pgettext": ((1, "c"), 2)}),
        ("templates/**.html", "jinja2", {**common, "bi": None}),
        ("static/js/**.js", "javascript", {"t": None, "tn": (1, 2)}),
    ]
    for pattern, method, keywords in runs:
        found = extract_from_dir(str(ROOT), method_map=[(pattern, method)], keywords=keywords)
        for _f, _n, message, _c, context in found:
            key = message[0] if isinstance(message, tuple) else message
            ids.add((context, key))
    return ids


# --- the catalogues -------------------------------------------------------------------------------


def test_every_message_the_code_uses_has_a_kiswahili_translation():
    cat = catalogue()
    translated = {
        (m.context, m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in cat
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(extracted_ids() - translated, key=str)
    assert not missing, f"{len(missing)} messages without Kiswahili: {missing[:10]}"


def test_translations_keep_their_placeholders_and_markup():
    for message in catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)[sr]|<[^>]+>", ids[-1]))
        for text in strings:
            assert set(re.findall(r"%\(\w+\)[sr]|<[^>]+>", text)) == wanted, (message.id, text)


def test_kiswahili_is_not_a_copy_of_the_english():
    # A catalogue filled with the English would pass the "every msgid" test; it must not.
    same = [
        m.id
        for m in catalogue()
        if m.id and not isinstance(m.id, tuple) and m.string == m.id
        and re.sub(r"%\(\w+\)s", "", m.id).strip()
    ]
    # Only names and codes may stay as they are.
    assert set(same) <= {"WhatsApp", "TikTok", "YouTube"}, same


def test_a_fresh_tree_gets_compiled_catalogues(tmp_path):
    tree = tmp_path / "translations"
    shutil.copytree(ROOT / "roundtable" / "translations", tree, ignore=shutil.ignore_patterns("*.mo"))
    assert not list(tree.rglob("*.mo"))
    written = i18n.ensure_compiled(tree)
    assert [p.relative_to(tree).as_posix() for p in written] == ["sw/LC_MESSAGES/messages.mo"]
    assert i18n.ensure_compiled(tree) == []  # up to date: nothing written again
    from babel.support import Translations

    translations = Translations.load(str(tree), ["sw"])
    assert translations.gettext("Vote received.") == "Kura imepokelewa."


def test_the_makefile_compiles_the_catalogues():
    makefile = (ROOT / "Makefile").read_text()
    assert "pybabel compile" in makefile or "ensure_compiled" in makefile


# --- server messages in the caller's language ----------------------------------------------------


def test_an_error_keeps_its_code_and_speaks_the_callers_language(app):
    error = RoundtableError(
        "too_long",
        i18n._l(
            "The %(field)s can be at most %(limit)s characters.", field=i18n.field("question"), limit=280
        ),
    )
    with app.test_request_context("/", headers=SW):
        assert error.as_dict() == {"code": "too_long", "message": "swali: herufi zisizidi 280."}
    with app.test_request_context("/", headers=EN):
        assert error.as_dict() == {
            "code": "too_long",
            "message": "The question can be at most 280 characters.",
        }


def test_vote_errors_over_the_socket_follow_the_participants_choice(client, seed_event, socket_client, in_db):
    event = seed_event()
    client.post("/lang", data={"lang": "sw", "next": "/"})
    join(client, event)
    phone = socket_client("participant", event, client=client)
    poll = next(p for item in event.items for p in item["polls"])
    reply = phone.emit(
        "vote", {"poll_id": poll["id"], "client_id": "abcdefgh12", "answer": {}}, callback=True
    )
    assert reply["ok"] is False
    assert reply["error"]["code"] == "poll_closed"
    assert reply["error"]["message"] == "Kura hii haijafunguliwa kwa majibu."
    english = socket_client("participant", event)
    reply = english.emit(
        "vote", {"poll_id": poll["id"], "client_id": "abcdefgh13", "answer": {}}, callback=True
    )
    assert reply["error"] == {"code": "poll_closed", "message": "This poll is not open for answers."}


def test_a_refused_connection_says_why_in_kiswahili(app, seed_event, socket_client):
    event = seed_event()
    client = app.test_client()
    client.post("/lang", data={"lang": "sw", "next": "/"})
    phone = socket_client(
        "screen", event, client=client, auth={"role": "screen", "code": event.code, "key": "x"}
    )
    assert phone.connect_error["data"] == {"code": "bad_key", "message": "Kiungo hiki cha skrini si sahihi."}


# --- the language choice -----------------------------------------------------------------------------


def test_accept_language_is_the_default_and_the_choice_is_remembered(client, seed_event, in_db):
    event = seed_event()
    page = client.get(f"/j/{event.code}", headers=SW).get_data(as_text=True)
    assert '<html lang="sw">' in page and "Jiunge" in page and "Wewe ni wa kundi gani?" in page
    assert "Hatua Zinazofuata" not in page  # (only the join page's own texts)
    page = client.get(f"/j/{event.code}", headers=EN).get_data(as_text=True)
    assert '<html lang="en">' in page and "Which group are you part of?" in page
    # The choice beats the browser's language, and a participant who joins keeps it.
    response = client.post("/lang", data={"lang": "sw", "next": f"/j/{event.code}"}, headers=EN)
    assert response.status_code == 302 and response.location == f"/j/{event.code}"
    assert '<html lang="sw">' in client.get(f"/j/{event.code}", headers=EN).get_data(as_text=True)
    participant_id = join(client, event)
    assert in_db(lambda: db.session.get(Participant, participant_id).language) == "sw"
    page = client.get(f"/e/{event.code}", headers=EN).get_data(as_text=True)
    assert '<html lang="sw">' in page and "Unahitaji msaada?" in page
    # ... and changing it on a phone page changes the participant too.
    client.post("/lang", data={"lang": "en", "next": f"/e/{event.code}"})
    assert in_db(lambda: db.session.get(Participant, participant_id).language) == "en"
    assert '<html lang="en">' in client.get(f"/e/{event.code}", headers=SW).get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_the_language_choice_never_redirects_off_site(client, target):
    response = client.post("/lang", data={"lang": "sw", "next": target})
    assert response.status_code == 302
    assert response.location == "/"


def test_an_unknown_language_changes_nothing(client):
    client.post("/lang", data={"lang": "fr", "next": "/"})
    with client.session_transaction() as session:
        assert "lang" not in session


def test_the_language_choice_needs_the_csrf_token(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/lang", data={"lang": "sw", "next": "/"})
    assert response.status_code == 400


def test_every_phone_page_and_the_console_offer_the_choice(client, seed_event, login):
    event = seed_event()
    join(client, event)
    for path in ("/", f"/e/{event.code}", f"/lite/{event.code}"):
        page = client.get(path).get_data(as_text=True)
        assert 'data-testid="lang-switch"' in page and 'value="sw"' in page, path
    staff = client.application.test_client()
    login(staff)
    page = staff.get(f"/staff/{event.code}").get_data(as_text=True)
    assert 'data-testid="lang-switch"' in page
    assert "lang=both" in page


# --- content in two languages --------------------------------------------------------------------


def test_pick_falls_back_to_the_other_language():
    assert i18n.pick("Hello", "Habari", "sw") == "Habari"
    assert i18n.pick("Hello", "", "sw") == "Hello"
    assert i18n.pick("Hello", "  ", "sw") == "Hello"
    assert i18n.pick("", "Habari", "en") == "Habari"
    assert i18n.pick("Hello", "Habari", "en") == "Hello"


def test_the_builtin_programme_ships_every_poll_in_both_languages(ctx, make_event):
    event = make_event()
    assert event.title_sw and event.helpline_sw and all(g.label_sw for g in event.groups)
    for item in event.agenda_items():
        assert item.title_sw, item.title
        assert bool(item.points_sw) == bool(item.points), item.title
        for poll in item.polls:
            assert poll.question_sw and poll.question_sw != poll.question
            assert all(o.label_sw for o in poll.options), poll.question
            if poll.kind == "rating":
                assert poll.settings["min_label_sw"] and poll.settings["max_label_sw"]


def test_polls_in_childrens_sessions_explain_their_jargon(ctx, make_event):
    for item in make_event().agenda_items():
        if not item.involves_children:
            continue
        for poll in item.polls:
            for text in [poll.question, *(o.label for o in poll.options)]:
                assert "duty bearer" not in text.lower(), text
                if "OCSEA" in text:
                    assert "sexual abuse" in text or "sexual exploitation" in text, text


def test_views_carry_both_languages(ctx, make_event):
    from roundtable.live import state as live_state

    event = make_event()
    item = next(i for i in event.agenda_items() if i.polls)
    live_state.set_current_item(event, item.id)
    poll = item.polls[0]
    poll.status = "open"
    db.session.flush()
    view = live_state.participant_view(event)
    assert view["event"]["title_sw"] == event.title_sw
    assert view["helpline_sw"] == event.helpline_sw
    assert view["item"]["title_sw"] == item.title_sw
    assert view["item"]["points_sw"] == [p for p in item.points_sw.splitlines() if p]
    shown = view["polls"][0]
    assert shown["question_sw"] == poll.question_sw
    assert [o["label_sw"] for o in shown["options"]] == [o.label_sw for o in poll.options]


def test_one_language_keeps_the_callers_text_and_drops_the_twins():
    view = {
        "title": "Hello", "title_sw": "Habari", "note": "Only English", "note_sw": "  ",
        "points": ["a"], "points_sw": [], "other_sw": "kept: no English key",
        "polls": [
            {"question": "Which?", "question_sw": "Ipi?", "options": [{"label": "Yes", "label_sw": "Ndiyo"}]}
        ],
    }
    sw = i18n.one_language(view, "sw")
    assert sw == {
        "title": "Habari", "note": "Only English", "points": ["a"], "other_sw": "kept: no English key",
        "polls": [{"question": "Ipi?", "options": [{"label": "Ndiyo"}]}],
    }
    en = i18n.one_language(view, "en")
    assert en["title"] == "Hello" and "title_sw" not in en and en["polls"][0]["options"] == [{"label": "Yes"}]
    assert view["title_sw"] == "Habari"  # the view itself is left as it was


def test_a_phones_snapshot_comes_in_its_language_only(client, seed_event, socket_client, in_db):
    event = seed_event()
    client.post("/lang", data={"lang": "sw", "next": "/"})
    join(client, event)
    reply = socket_client("participant", event, client=client).emit("snapshot", {}, callback=True)
    assert reply["ok"] is True
    title_sw = in_db(lambda: db.session.get(Event, event.id).title_sw)
    assert title_sw and reply["view"]["event"]["title"] == title_sw
    assert "title_sw" not in reply["view"]["event"]
    english = socket_client("participant", event).emit("snapshot", {}, callback=True)
    assert english["view"]["event"]["title"] == event.title and "title_sw" not in english["view"]["event"]


def test_facilitators_edit_the_kiswahili_versions(ctx, make_event):
    from roundtable.agenda import service as agenda
    from roundtable.polls import service as polls

    event = make_event()
    agenda.update_event(event, {"title_sw": "Mkutano", "helpline_sw": "Piga 116"})
    assert (event.title_sw, event.helpline_sw) == ("Mkutano", "Piga 116")
    day = event.days[0]
    agenda.update_day(event, {"day_id": day.id, "title_sw": "Jumanne"})
    assert day.title_sw == "Jumanne"
    item = next(i for i in event.agenda_items() if not i.is_break)
    agenda.update_item(event, {"item_id": item.id, "title_sw": "Kipindi", "points_sw": "Moja\nMbili"})
    assert (item.title_sw, item.points_sw) == ("Kipindi", "Moja\nMbili")
    poll = polls.save_poll(
        event.id,
        {
            "item_id": item.id,
            "kind": "single",
            "question": "Yes?",
            "question_sw": "Ndiyo?",
            "options": [{"label": "Yes", "label_sw": "Ndiyo"}, {"label": "No"}],
        },
    )
    assert poll.question_sw == "Ndiyo?"
    assert [o.label_sw for o in poll.options] == ["Ndiyo", ""]
    # An edit without the Kiswahili keeps it; "" removes it.
    polls.save_poll(
        event.id,
        {
            "poll_id": poll.id,
            "question": "Yes??",
            "options": [
                {"id": poll.options[0].id, "label": "Yes"},
                {"id": poll.options[1].id, "label": "No", "label_sw": "Hapana"},
            ],
        },
    )
    assert poll.question_sw == "Ndiyo?"
    assert [o.label_sw for o in poll.options] == ["Ndiyo", "Hapana"]
    options = [{"id": o.id, "label": o.label} for o in poll.options]
    polls.save_poll(
        event.id, {"poll_id": poll.id, "question": "Yes??", "question_sw": "", "options": options}
    )
    assert poll.question_sw == ""


def test_a_too_long_kiswahili_text_is_refused_and_changes_nothing(ctx, make_event):
    from roundtable.agenda import service as agenda

    event = make_event()
    before = event.title_sw
    with pytest.raises(RoundtableError) as excinfo:
        agenda.update_event(event, {"title_sw": "x" * 301, "title": "Changed"})
    assert excinfo.value.code == "too_long"
    assert event.title_sw == before and event.title != "Changed"


def test_every_answer_records_its_language(app, client, seed_event, socket_client, login, in_db):
    event = seed_event()
    staff = socket_client("staff", event)
    item = next(i for i in event.items if i["polls"] and i["polls"][0]["kind"] == "wordcloud")
    poll = item["polls"][0]
    staff.emit("staff:set_live", {"item_id": item["id"]}, callback=True)
    assert staff.emit("staff:poll_open", {"poll_id": poll["id"]}, callback=True)["ok"]
    client.post("/lang", data={"lang": "sw", "next": "/"})
    join(client, event)
    swahili = socket_client("participant", event, client=client)
    english = socket_client("participant", event)
    for phone, word, cid in ((swahili, "amani", "client-sw-1"), (english, "peace", "client-en-1")):
        reply = phone.emit(
            "vote", {"poll_id": poll["id"], "client_id": cid, "answer": {"words": [word]}}, callback=True
        )
        assert reply["ok"], reply
    languages = in_db(
        lambda: sorted(
            (r.answer["words"][0], r.language)
            for r in db.session.scalars(db.select(Response).where(Response.poll_id == poll["id"]))
        )
    )
    assert languages == [("amani", "sw"), ("peace", "en")]
    assert in_db(lambda: db.session.get(Poll, poll["id"]).question_sw)
