"""HTTP pages: joining, the participant page, staff login, the projector link and security headers."""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from roundtable.extensions import db
from roundtable.models import Event, Participant, User

PASSWORD = "a long enough password"


@pytest.fixture
def ev(seed_event):
    return seed_event()


def participants(in_db) -> list[tuple[str, str | None]]:
    return in_db(lambda: db.session.execute(select(Participant.id, Participant.group_key)).all())


def joined_ids(client) -> dict[str, str]:
    with client.session_transaction() as session:
        return dict(session.get("participants") or {})


@pytest.fixture
def staff_user(in_db, ev):
    """A facilitator of ``ev`` whose password is stored exactly as the app stores it."""

    def make():
        from roundtable.models import EventStaff

        user = User(username="facilitator", role="facilitator")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.flush()
        db.session.add(EventStaff(event_id=ev.id, user_id=user.id, role="facilitator"))
        db.session.commit()

    in_db(make)
    return "facilitator"


# --- participants -------------------------------------------------------------------------------


def test_home_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'name="code"' in response.data


def test_home_redirects_a_typed_code_to_its_join_page(client, ev):
    spaced = f"{ev.code[:3]} {ev.code[3:]}"
    response = client.get("/", query_string={"code": spaced})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{ev.code}"


def test_unknown_event_code_gets_a_friendly_404(client, ev):
    response = client.get("/j/777777")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "777777" in body
    assert "Traceback" not in body
    assert ev.title not in body


def test_unknown_code_is_escaped(client):
    response = client.get("/j/<script>alert(1)")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;" in body


def test_join_page_lists_the_groups(client, ev):
    response = client.get(f"/j/{ev.code}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "ISPs, telcos and SMS providers" in body
    assert "Other / prefer not to say" in body
    assert 'value="children"' in body


def test_join_with_an_invalid_group_creates_nothing(client, ev, in_db):
    response = client.post(f"/j/{ev.code}", data={"group": "not-a-group"})
    assert response.status_code == 400
    assert participants(in_db) == []
    assert joined_ids(client) == {}


def test_join_creates_a_participant_and_remembers_it(client, ev, in_db):
    response = client.post(f"/j/{ev.code}", data={"group": "cso"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/e/{ev.code}"
    ((participant_id, group),) = participants(in_db)
    assert group == "cso"
    assert joined_ids(client) == {str(ev.id): participant_id}
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    # Remembered for the two days of the event and a little after, not Flask's 31 days.
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    assert dt.timedelta(days=13) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=14)
    # Joining again (changing group) keeps the same participant.
    client.post(f"/j/{ev.code}", data={"group": ""})
    assert participants(in_db) == [(participant_id, None)]
    # The join page now goes straight to the event.
    assert client.get(f"/j/{ev.code}").headers["Location"] == f"/e/{ev.code}"


def test_join_to_an_unknown_event_creates_nothing(client, in_db):
    response = client.post("/j/777777", data={"group": "cso"})
    assert response.status_code == 404
    assert participants(in_db) == []


def test_event_page_needs_a_join_first(client, ev):
    response = client.get(f"/e/{ev.code}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{ev.code}"
    client.post(f"/j/{ev.code}", data={"group": "parents"})
    response = client.get(f"/e/{ev.code}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_a_join_cookie_of_another_event_does_not_count(client, ev, seed_event):
    other = seed_event()
    client.post(f"/j/{other.code}")
    assert client.get(f"/e/{ev.code}").status_code == 302
    assert client.get(f"/e/{other.code}").status_code == 200


def test_qr_code(client, ev):
    response = client.get(f"/qr/{ev.code}.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data
    # Drawn for any code: a 404 for unknown codes would be a way to enumerate them (issue 9.10).
    assert client.get("/qr/777777.svg").status_code == 200


# --- staff ------------------------------------------------------------------------------------------


def test_console_needs_a_login(client, ev):
    response = client.get(f"/staff/{ev.code}")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/staff/login"
    assert parse_qs(location.query)["next"] == [f"/staff/{ev.code}"]


def test_request_bodies_are_capped(client, ev, in_db):
    response = client.post(f"/j/{ev.code}", data={"group": "x" * (300 * 1024)})
    assert response.status_code == 413
    assert participants(in_db) == []


def test_passwords_are_stored_with_scrypt(monkeypatch):
    # conftest swaps in a cheap KDF for speed; the real one must be the slow, salted default.
    import werkzeug.security

    from roundtable import models

    monkeypatch.setattr(models.staff, "generate_password_hash", werkzeug.security.generate_password_hash)
    user = User(username="someone")
    user.set_password(PASSWORD)
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "!")


def test_login_with_a_wrong_password(client, ev, staff_user):
    response = client.post("/staff/login", data={"username": staff_user, "password": "wrong password"})
    assert response.status_code == 401
    assert "Wrong username or password" in response.get_data(as_text=True)
    response = client.post("/staff/login", data={"username": "nobody", "password": PASSWORD})
    assert response.status_code == 401
    assert client.get(f"/staff/{ev.code}").status_code == 302


def test_login_and_console(client, ev, staff_user):
    response = client.post("/staff/login", data={"username": staff_user, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    # The staff home lists the events this person may open.
    home = client.get("/staff/")
    assert home.status_code == 200 and f'data-code="{ev.code}"'.encode() in home.data
    response = client.get(f"/staff/{ev.code}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    # The console carries the projector link (with its key): staff only.
    assert ev.screen_key in response.get_data(as_text=True)


def test_logout_needs_a_post(client, ev, staff_user):
    client.post("/staff/login", data={"username": staff_user, "password": PASSWORD})
    client.get("/staff/logout")  # a link or an <img> elsewhere must not log anyone out
    assert client.get(f"/staff/{ev.code}").status_code == 200
    assert client.post("/staff/logout").status_code == 302
    assert client.get(f"/staff/{ev.code}").status_code == 302


def test_login_follows_a_local_next(client, ev, staff_user):
    response = client.post(
        "/staff/login",
        query_string={"next": f"/staff/{ev.code}"},
        data={"username": staff_user, "password": PASSWORD},
    )
    assert response.headers["Location"] == f"/staff/{ev.code}"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "//evil.com/staff",
        "///evil.com",
        "/\\evil.com",
        "\\\\evil.com",
        "https://evil.com",
        "http:evil.com",
        "javascript:alert(1)",
        "evil.com",
        "/\t/evil.com",
    ],
)
def test_login_refuses_an_open_redirect(client, staff_user, target):
    response = client.post(
        "/staff/login", query_string={"next": target}, data={"username": staff_user, "password": PASSWORD}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    # Wherever it goes, it stays on this site: a path, not "//host" (which browsers also read
    # from "/\\host"), no scheme, no host.
    parts = urlsplit(location)
    assert location.startswith("/") and not location.startswith("//"), location
    assert "\\" not in location and not parts.scheme and not parts.netloc, location


# --- the projector ----------------------------------------------------------------------------------


def test_screen_with_a_wrong_key_reveals_nothing(client, ev):
    pages = [
        client.get(f"/screen/{ev.code}", query_string={"key": "wrong"}),
        client.get(f"/screen/{ev.code}"),
        client.get(f"/screen/{ev.code}", query_string={"key": ev.screen_key[:-1]}),
        client.get("/screen/777777", query_string={"key": ev.screen_key}),
    ]
    for response in pages:
        assert response.status_code == 404
        body = response.get_data(as_text=True)
        assert ev.title not in body
        assert ev.code not in body
        assert "Child Online Safety" not in body
    # A wrong key and an unknown code look the same: no hint that the code exists.
    assert len({r.get_data(as_text=True) for r in pages}) == 1


def test_screen_with_the_right_key(client, ev):
    response = client.get(f"/screen/{ev.code}", query_string={"key": ev.screen_key})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert ev.title in body
    assert re.search(rf'<img[^>]+src="/qr/{ev.code}\.svg"', body)
    assert response.headers["Cache-Control"] == "no-store"


# --- headers and forms ------------------------------------------------------------------------------


def test_security_headers_on_every_page(client, ev, staff_user):
    client.post(f"/j/{ev.code}")
    urls = [
        "/",
        f"/j/{ev.code}",
        f"/e/{ev.code}",
        "/staff/login",
        f"/screen/{ev.code}?key={ev.screen_key}",
        "/j/777777",
    ]
    for url in urls:
        response = client.get(url)
        csp = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp, url
        assert "script-src 'self'" in csp, url
        assert "unsafe-inline" not in csp, url
        assert "unsafe-eval" not in csp, url
        assert "frame-ancestors 'none'" in csp, url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["X-Frame-Options"] == "DENY", url


def test_pages_have_no_inline_scripts_or_styles(client, ev, staff_user):
    client.post(f"/j/{ev.code}")
    client.post("/staff/login", data={"username": staff_user, "password": PASSWORD})
    urls = [
        "/",
        f"/j/{ev.code}",
        f"/e/{ev.code}",
        f"/staff/{ev.code}",
        f"/screen/{ev.code}?key={ev.screen_key}",
    ]
    for url in urls:
        body = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), url
        assert not re.search(r"\sstyle\s*=", body), url
        assert not re.search(r"\son[a-z]+\s*=", body), url


def test_forms_are_protected_against_csrf(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()

    def count_participants() -> int:
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(Participant))

    with app.app_context():
        code = db.session.scalar(select(Event.code))
    response = client.post(f"/j/{code}", data={"group": "cso"})
    assert response.status_code == 400
    assert count_participants() == 0
    assert client.post("/staff/login", data={"username": "x", "password": "y"}).status_code == 400
    # With the token from the form, the same join works (so the refusal above was the token).
    page = client.get(f"/j/{code}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(f"/j/{code}", data={"group": "cso", "csrf_token": token})
    assert response.status_code == 302
    assert count_participants() == 1


def test_login_is_rate_limited(app_factory):
    # Per account and address, with a growing delay (tests/test_abuse_limits.py has the rest).
    app = app_factory(RATELIMIT_ENABLED=True, ROUNDTABLE_LOGIN_MAX_DELAY=60)
    client = app.test_client()
    statuses = [
        client.post("/staff/login", data={"username": "nobody", "password": "nothing"}).status_code
        for _ in range(7)
    ]
    assert statuses[:6] == [401] * 6
    assert statuses[6] == 429
    assert "Traceback" not in client.post("/staff/login", data={}).get_data(as_text=True)


def test_cookies_are_not_secure_by_default_so_plain_http_on_the_lan_works(client, ev):
    reply = client.post(f"/j/{ev.code}")
    assert "Secure" not in reply.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in reply.headers


def test_secure_cookies_setting(app_factory):
    from roundtable.agenda.service import default_event

    app = app_factory(ROUNDTABLE_SECURE_COOKIES=True)
    with app.app_context():
        code = default_event().code
    reply = app.test_client().post(f"/j/{code}", base_url="https://localhost")
    cookie = reply.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert reply.headers["Strict-Transport-Security"].startswith("max-age=")
