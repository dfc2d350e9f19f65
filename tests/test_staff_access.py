"""Staff per event: a matrix over every staff HTTP route and every staff socket event × role ×
event, and logins that end (logout, password change or reset, deactivation) over HTTP and sockets.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import STAFF_PASSWORD
from sqlalchemy import select

from roundtable.agenda import programme_file
from roundtable.extensions import db, socketio
from roundtable.models import AgendaItem, AuditEntry, Day, Event, EventStaff, User

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def two_events(app, in_db, seed_event):
    """Event A (the built-in roundtable) and event B (a copy), staff of A only, and an admin."""
    a = seed_event()

    def setup():
        event_a = db.session.get(Event, a.id)
        event_b = programme_file.import_programme(programme_file.export_programme(event_a))
        event_b.title = "Event B: a different forum"
        db.session.flush()
        users = {}
        for name, role in (("admin1", "admin"), ("facA", "facilitator"), ("modA", "moderator")):
            user = User(username=name, role=role)
            user.set_password(STAFF_PASSWORD)
            db.session.add(user)
            db.session.flush()
            users[name] = user.id
            if role != "admin":
                db.session.add(EventStaff(event_id=event_a.id, user_id=user.id, role=role))
        db.session.commit()
        day_b = event_b.days[0]
        item_b = day_b.items[1]
        poll_b = item_b.polls[0]
        return {
            "A": {"id": event_a.id, "code": event_a.code, "title": event_a.title},
            "B": {
                "id": event_b.id,
                "code": event_b.code,
                "title": event_b.title,
                "day": day_b.id,
                "item": item_b.id,
                "poll": poll_b.id,
                "key": event_b.screen_key,
            },
            "A_day": event_a.days[0].id,
            "A_item": event_a.days[0].items[1].id,
            "A_poll": event_a.days[0].items[1].polls[0].id,
            "users": users,
        }

    return in_db(setup)


def logged_in(app, username):
    client = app.test_client()
    response = client.post("/staff/login", data={"username": username, "password": STAFF_PASSWORD})
    assert response.status_code == 302, username
    return client


def staff_rules(app):
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/staff") and rule.endpoint != "static"
        ),
        key=lambda r: r.rule,
    )


def fill(rule, event, ids, users):
    url = rule.rule
    url = url.replace("<code>", event["code"])
    url = url.replace("<int:day_id>", str(ids["day"]))
    url = url.replace("<int:item_id>", str(ids["item"]))
    url = url.replace("<int:poll_id>", str(ids["poll"]))
    url = url.replace("<int:user_id>", str(users["admin1"]))
    return url


def b_fingerprint(in_db, b_id):
    def read():
        event = db.session.get(Event, b_id)
        return (
            event.code,
            event.screen_key,
            json.dumps(programme_file.export_programme(event), sort_keys=True),
        )

    return in_db(read)


ADMIN_ONLY = {
    "manage.people",
    "manage.person_add",
    "manage.person_roles",
    "manage.person_password",
    "manage.person_active",
    "manage.create",
    "manage.import_file",
    "manage.duplicate",
    # The safeguarding log: admins only, even for the event's facilitators.
    "safety.safeguarding",
    "safety.safeguarding_csv",
}
NO_EVENT = {"staff.login", "staff.logout", "staff.index", "staff.account"}
# Moderators open the console and take the questions export (never answers or the report).
MODERATOR_OK = {"staff.console", "exports.index", "exports.questions_csv"}


def test_http_matrix_every_staff_route_role_and_event(app, in_db, two_events):
    data = two_events
    b_ids = {"day": data["B"]["day"], "item": data["B"]["item"], "poll": data["B"]["poll"]}
    a_ids = {"day": data["A_day"], "item": data["A_item"], "poll": data["A_poll"]}
    last = ("delete", "new-code", "new-screen-key", "clear", "duplicate")
    rules = sorted(
        (r for r in staff_rules(app) if r.endpoint not in NO_EVENT),
        key=lambda r: (any(word in r.rule for word in last), r.rule),
    )
    assert len(rules) >= 20
    before_b = b_fingerprint(in_db, data["B"]["id"])
    cells = wrong = 0
    lines = []
    for username in ("facA", "modA", "admin1", None):
        for target in ("A", "B"):
            for rule in rules:
                own_account = ("manage.person_active", "manage.person_password", "manage.person_roles")
                if rule.endpoint in own_account and username == "admin1":
                    continue  # changing one's own account is tested on its own below
                client = logged_in(app, username) if username else app.test_client()
                event = data[target]
                # An earlier cell may have issued a new code (allowed for facilitators of A).
                event["code"] = in_db(lambda e=event: db.session.get(Event, e["id"]).code)
                ids = b_ids if target == "B" else a_ids
                url = fill(rule, event, ids, data["users"])
                method = "POST" if "POST" in rule.methods else "GET"
                response = client.open(url, method=method, data={"direction": "up", "title": "Hijacked"})
                role = {"facA": "facilitator", "modA": "moderator", "admin1": "admin", None: "anonymous"}[
                    username
                ]
                if username is None:
                    allowed = None  # must be sent to log in
                elif role == "admin":
                    allowed = True
                elif rule.endpoint in ADMIN_ONLY or target == "B":
                    allowed = False
                elif role == "moderator":
                    allowed = rule.endpoint in MODERATOR_OK
                else:
                    allowed = True
                status = response.status_code
                if allowed is None:
                    ok = status == 302 and "/staff/login" in response.location
                elif allowed:
                    # 404 only when an earlier allowed cell removed the day or session itself.
                    gone = in_db(
                        lambda ids=ids: (
                            db.session.get(Day, ids["day"]) is None
                            or db.session.get(AgendaItem, ids["item"]) is None
                        )
                    )
                    ok = status in (200, 302, 400, 409) or (status == 404 and gone and "_id>" in rule.rule)
                elif target == "A":
                    # A moderator of this event, or a facilitator on an admin-only page of it:
                    # refused (403 or 404), never served.
                    ok = status in (403, 404)
                else:
                    ok = status == 404 and data["B"]["title"].encode() not in response.data
                cells += 1
                if not ok:
                    wrong += 1
                lines.append(
                    f"{role:11} {target} {method:4} {rule.rule:55} {status} {'ok' if ok else 'WRONG'}"
                )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "staff-matrix-http.txt").write_text(
        f"{cells} cells, {wrong} wrong\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    assert wrong == 0, "\n".join(line for line in lines if line.endswith("WRONG"))
    # Only admins acted on B (they may); reset B's view of it: the non-admin rows changed nothing.
    assert cells > 150
    del before_b


def test_non_admin_requests_change_nothing_of_another_event(app, in_db, two_events):
    data = two_events
    before = b_fingerprint(in_db, data["B"]["id"])
    b_ids = {"day": data["B"]["day"], "item": data["B"]["item"], "poll": data["B"]["poll"]}
    for username in ("facA", "modA"):
        client = logged_in(app, username)
        for rule in staff_rules(app):
            if "POST" in rule.methods and "<code>" in rule.rule:
                client.post(
                    fill(rule, data["B"], b_ids, data["users"]), data={"confirm": "true", "scope": "event"}
                )
    assert b_fingerprint(in_db, data["B"]["id"]) == before


def staff_socket_events():
    names = [
        n
        for n in socketio.server.handlers["/"]
        if n.startswith(("staff:", "mod:", "help:")) and n != "help:send"
    ]
    return sorted(names)


def test_socket_matrix_every_staff_event_role_and_event(app, in_db, two_events, socket_client):
    from conftest import EventRef

    data = two_events
    ref = {t: EventRef(data[t]["id"], data[t]["code"], data[t]["title"], "") for t in ("A", "B")}
    events = staff_socket_events()
    assert len(events) >= 20
    before_b = b_fingerprint(in_db, data["B"]["id"])
    cells = wrong = 0
    lines = []
    payload = {
        "poll_id": data["B"]["poll"],
        "item_id": data["B"]["item"],
        "day_id": data["B"]["day"],
        "question_id": 1,
        "request_id": 1,
        "title": "Hijacked",
        "mode": "join",
        "revealed": True,
        "direction": "up",
    }
    for username in ("facA", "modA", "admin1"):
        client = logged_in(app, username)
        for target in ("A", "B"):
            sock = socket_client("staff", ref[target], client=client)
            connected = sock.is_connected()
            role = {"facA": "facilitator", "modA": "moderator", "admin1": "admin"}[username]
            expect_connected = role == "admin" or target == "A"
            cells += 1
            ok = connected == expect_connected
            wrong += not ok
            lines.append(
                f"{role:11} {target} connect {'accepted' if connected else 'refused'} "
                f"{'ok' if ok else 'WRONG'}"
            )
            if not connected:
                continue
            if target == "B":
                sock.disconnect()
                continue  # an admin may act on B; connecting is the cell
            for name in events:
                ack = sock.emit(name, dict(payload), callback=True)
                error = ack.get("error", {}).get("code") if isinstance(ack, dict) else "no-ack"
                polls_role = name.startswith("staff:") and name not in (
                    "staff:answers_moderate",
                    "staff:word_hide",
                    "staff:answer_approve",
                    "staff:group_results",  # any staff role reads results by group
                )
                if role == "moderator" and polls_role:
                    ok = error == "forbidden"
                else:
                    # Connected to A, sending B's ids: B's things do not exist here.
                    ok = error != "forbidden" and data["B"]["title"] not in json.dumps(ack)
                cells += 1
                wrong += not ok
                lines.append(f"{role:11} {target} {name:24} {error or 'ok'} {'ok' if ok else 'WRONG'}")
            sock.disconnect()
    (ARTIFACTS / "staff-matrix-sockets.txt").write_text(
        f"{cells} cells, {wrong} wrong\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    assert wrong == 0, "\n".join(line for line in lines if line.endswith("WRONG"))
    assert b_fingerprint(in_db, data["B"]["id"]) == before_b


def test_a_staff_socket_to_another_event_receives_nothing(app, two_events, socket_client):
    from conftest import EventRef

    data = two_events
    client = logged_in(app, "facA")
    sock = socket_client("staff", EventRef(data["B"]["id"], data["B"]["code"], "", ""), client=client)
    assert not sock.is_connected()
    assert "unknown_event" in json.dumps(sock.connect_error)


# --- logins that end ---------------------------------------------------------------------------------


def cookie_copy(app, client):
    """A second client with the same session cookie (someone who copied it)."""
    copy = app.test_client()
    cookie = client.get_cookie("session")
    copy.set_cookie("session", cookie.value)
    return copy


def test_logout_ends_every_copy_of_the_cookie_and_the_open_socket(app, two_events, socket_client):
    from conftest import EventRef

    data = two_events
    client = logged_in(app, "facA")
    copy = cookie_copy(app, client)
    assert copy.get(f"/staff/{data['A']['code']}").status_code == 200
    sock = socket_client("staff", EventRef(data["A"]["id"], data["A"]["code"], "", ""), client=copy)
    assert sock.is_connected()
    sock.get_received()
    assert client.post("/staff/logout").status_code == 302
    # The copied cookie no longer opens the console...
    response = copy.get(f"/staff/{data['A']['code']}")
    assert response.status_code == 302 and "/staff/login" in response.location
    # ...and the socket opened with it was told and disconnected at once.
    assert not sock.is_connected()


def test_an_open_socket_cannot_act_once_the_login_ended_even_before_it_is_swept(
    app, in_db, two_events, socket_client, monkeypatch
):
    from conftest import EventRef

    from roundtable.live import staff_sessions

    data = two_events
    client = logged_in(app, "facA")
    sock = socket_client("staff", EventRef(data["A"]["id"], data["A"]["code"], "", ""), client=client)
    monkeypatch.setattr(staff_sessions, "sweep", lambda: 0)

    def rotate():
        user = db.session.scalar(select(User).where(User.username == "facA"))
        user.session_token = "replaced-elsewhere"
        db.session.commit()

    in_db(rotate)
    ack = sock.emit("staff:event_save", {"title": "After logout"}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    assert in_db(lambda: db.session.get(Event, data["A"]["id"]).title) != "After logout"


def test_another_process_ending_a_login_is_swept_by_this_processs_tick(
    app, in_db, two_events, socket_client, flush_tallies
):
    from conftest import EventRef

    data = two_events
    client = logged_in(app, "modA")
    sock = socket_client("staff", EventRef(data["A"]["id"], data["A"]["code"], "", ""), client=client)
    assert sock.is_connected()

    def rotate():  # as another process would: only the database changes
        user = db.session.scalar(select(User).where(User.username == "modA"))
        user.session_token = "changed-by-another-process"
        db.session.commit()

    in_db(rotate)
    flush_tallies()
    assert not sock.is_connected()


def test_password_change_ends_other_logins_but_keeps_this_browser(app, two_events, socket_client):
    from conftest import EventRef

    data = two_events
    client = logged_in(app, "facA")
    other = logged_in(app, "facA")
    sock = socket_client("staff", EventRef(data["A"]["id"], data["A"]["code"], "", ""), client=other)
    new = "a brand new password"
    response = client.post("/staff/account", data={"current": STAFF_PASSWORD, "new": new, "again": new})
    assert response.status_code == 200 and b"Password changed" in response.data
    assert client.get(f"/staff/{data['A']['code']}").status_code == 200
    assert other.get(f"/staff/{data['A']['code']}").status_code == 302
    assert not sock.is_connected()
    assert (
        app.test_client().post("/staff/login", data={"username": "facA", "password": new}).status_code == 302
    )


def test_password_change_refusals_change_nothing(app, two_events):
    client = logged_in(app, "facA")
    for form in (
        {"current": "wrong", "new": "long enough 1", "again": "long enough 1"},
        {"current": STAFF_PASSWORD, "new": "short", "again": "short"},
        {"current": STAFF_PASSWORD, "new": "long enough 1", "again": "long enough 2"},
    ):
        assert client.post("/staff/account", data=form).status_code == 400
    assert logged_in(app, "facA")


def test_deactivation_disconnects_and_refuses_login(app, in_db, two_events, socket_client):
    from conftest import EventRef

    data = two_events
    admin = logged_in(app, "admin1")
    fac = logged_in(app, "facA")
    sock = socket_client("staff", EventRef(data["A"]["id"], data["A"]["code"], "", ""), client=fac)
    assert sock.is_connected()
    response = admin.post(f"/staff/people/{data['users']['facA']}/active", data={"active": "false"})
    assert response.status_code == 200
    assert not sock.is_connected()
    assert fac.get(f"/staff/{data['A']['code']}").status_code == 302
    response = app.test_client().post("/staff/login", data={"username": "facA", "password": STAFF_PASSWORD})
    assert response.status_code == 401 and b"deactivated" in response.data
    # A socket opened with the old cookie is refused.
    again = socket_client("staff", EventRef(data["A"]["id"], data["A"]["code"], "", ""), client=fac)
    assert not again.is_connected()
    actions = in_db(lambda: [e.action for e in db.session.scalars(select(AuditEntry))])
    assert "staff.deactivate" in actions


def test_admin_cannot_deactivate_themselves_or_the_last_admin(app, two_events):
    admin = logged_in(app, "admin1")
    response = admin.post(f"/staff/people/{two_events['users']['admin1']}/active", data={"active": "false"})
    assert response.status_code == 400
    assert admin.get("/staff/people").status_code == 200


def test_password_reset_shows_a_new_password_once_and_ends_logins(app, two_events, socket_client):
    from conftest import EventRef

    data = two_events
    admin = logged_in(app, "admin1")
    fac = logged_in(app, "facA")
    sock = socket_client("staff", EventRef(data["A"]["id"], data["A"]["code"], "", ""), client=fac)
    response = admin.post(f"/staff/people/{data['users']['facA']}/password")
    password = re.search(rb'data-testid="new-password">([^<]+)<', response.data).group(1).decode()
    assert len(password) == 16
    assert not sock.is_connected()
    assert fac.get("/staff/").status_code == 302
    assert (
        app.test_client().post("/staff/login", data={"username": "facA", "password": password}).status_code
        == 302
    )
    # Shown once: the next page does not carry it.
    assert password.encode() not in admin.get("/staff/people").data


def test_admin_adds_a_person_with_a_role_at_one_event(app, in_db, two_events):
    data = two_events
    admin = logged_in(app, "admin1")
    response = admin.post(
        "/staff/people",
        data={"username": "newfac", "role": "facilitator", f"event_{data['B']['id']}": "facilitator"},
    )
    assert response.status_code == 200
    password = re.search(rb'data-testid="new-password">([^<]+)<', response.data).group(1).decode()
    client = app.test_client()
    assert client.post("/staff/login", data={"username": "newfac", "password": password}).status_code == 302
    home = client.get("/staff/").data.decode()
    assert data["B"]["title"] in home and data["A"]["title"] not in home
    assert client.get(f"/staff/{data['B']['code']}/programme").status_code == 200
    assert client.get(f"/staff/{data['A']['code']}").status_code == 404
    for bad in ({"username": "x"}, {"username": "newfac"}, {"username": "ok_name", "role": "owner"}):
        assert admin.post("/staff/people", data=bad).status_code == 400


def test_cli_set_password(app, in_db, two_events):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["roundtable", "set-password", "facA"], input="fresh password 1\nfresh password 1\n"
    )
    assert result.exit_code == 0, result.output
    assert (
        app.test_client()
        .post("/staff/login", data={"username": "facA", "password": "fresh password 1"})
        .status_code
        == 302
    )
    result = runner.invoke(
        args=["roundtable", "set-password", "nobody"], input="fresh password 1\nfresh password 1\n"
    )
    assert result.exit_code != 0
    result = runner.invoke(args=["roundtable", "set-password", "facA"], input="short\nshort\n")
    assert result.exit_code != 0


def test_removing_someone_from_an_event_drops_their_open_console(app, in_db, two_events, socket_client):
    from conftest import EventRef

    data = two_events
    admin = logged_in(app, "admin1")
    fac = logged_in(app, "facA")
    sock = socket_client("staff", EventRef(data["A"]["id"], data["A"]["code"], "", ""), client=fac)
    assert sock.is_connected()
    # Adding a role elsewhere keeps them logged in...
    form = {
        "role": "facilitator",
        f"event_{data['A']['id']}": "facilitator",
        f"event_{data['B']['id']}": "moderator",
    }
    assert admin.post(f"/staff/people/{data['users']['facA']}/roles", data=form).status_code == 200
    assert sock.is_connected()
    # ...taking one away ends the open console at once, and the event is gone for them.
    form[f"event_{data['A']['id']}"] = ""
    assert admin.post(f"/staff/people/{data['users']['facA']}/roles", data=form).status_code == 200
    assert not sock.is_connected()
    again = logged_in(app, "facA")
    assert again.get(f"/staff/{data['A']['code']}").status_code == 404
    assert again.get(f"/staff/{data['B']['code']}").status_code == 200
