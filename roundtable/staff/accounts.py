"""Staff accounts: create, give a role per event, reset or change a password, deactivate.

Every change that must end a person's logins (logout, a password change or reset, deactivation)
replaces ``User.session_token``: the login cookie carries the token, so every copy of an older
cookie stops working on its next request or socket event, and the caller disconnects that
person's open sockets (``roundtable.live.staff_sessions.end_sessions``).
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy import delete, select

from ..errors import NotFound, RoundtableError
from ..extensions import db
from ..models import EVENT_ROLES, ROLES, Event, EventStaff, User, new_token

USERNAME = re.compile(r"^[A-Za-z0-9._-]{2,80}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 200


def get_user(user_id: Any) -> User:
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise RoundtableError("bad_payload", "A user id must be a number.")
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("unknown_user", "There is no such staff member.")
    return user


def generated_password() -> str:
    """A password to read out or copy once: 16 characters without look-alikes."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def check_password_rules(password: Any) -> str:
    if not isinstance(password, str):
        raise RoundtableError("bad_payload", "The password must be text.")
    if len(password) < MIN_PASSWORD:
        raise RoundtableError("weak_password", f"A password needs at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise RoundtableError("too_long", f"A password can be at most {MAX_PASSWORD} characters.")
    return password


def create_user(username: Any, role: Any = "facilitator", password: str | None = None) -> tuple[User, str]:
    """A new account; returns it with its password (generated when none is given, shown once)."""
    if not isinstance(username, str) or not USERNAME.match(username.strip()):
        raise RoundtableError(
            "bad_username", "A username is 2 to 80 letters, digits, dots, dashes or underscores."
        )
    username = username.strip()
    if role not in ROLES:
        raise RoundtableError("bad_role", f"The role is one of {', '.join(ROLES)}.")
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise RoundtableError("username_taken", f"There is already a staff member called {username}.")
    password = check_password_rules(password) if password is not None else generated_password()
    user = User(username=username, role=role, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user, password


def set_event_role(user: User, event: Event, role: Any) -> None:
    """Give ``user`` ``role`` at ``event`` (``None`` or ``""`` removes them from it)."""
    if role in (None, ""):
        db.session.execute(
            delete(EventStaff).where(EventStaff.user_id == user.id, EventStaff.event_id == event.id)
        )
        db.session.flush()
        return
    if role not in EVENT_ROLES:
        raise RoundtableError("bad_role", f"The role at an event is one of {', '.join(EVENT_ROLES)}.")
    membership = db.session.get(EventStaff, (event.id, user.id))
    if membership is None:
        db.session.add(EventStaff(event_id=event.id, user_id=user.id, role=role))
    else:
        membership.role = role
    db.session.flush()


def set_global_role(user: User, role: Any, *, by: User) -> None:
    if role not in ROLES:
        raise RoundtableError("bad_role", f"The role is one of {', '.join(ROLES)}.")
    if user.id == by.id and role != "admin":
        raise RoundtableError("own_account", "You cannot take away your own admin role.")
    if user.role == "admin" and role != "admin" and _other_active_admins(user) == 0:
        raise RoundtableError("last_admin", "Keep at least one active admin.")
    user.role = role
    db.session.flush()


def _other_active_admins(user: User) -> int:
    return len(
        db.session.scalars(
            select(User.id).where(User.role == "admin", User.active.is_(True), User.id != user.id)
        ).all()
    )


def reset_password(user: User) -> str:
    """A new generated password (shown once to the admin); ends every login of ``user``."""
    password = generated_password()
    user.set_password(password)
    db.session.flush()
    return password


def change_password(user: User, current: Any, new: Any) -> None:
    if not isinstance(current, str) or not user.check_password(current):
        raise RoundtableError("wrong_password", "The current password is not right.")
    user.set_password(check_password_rules(new))
    db.session.flush()


def set_password(user: User, password: Any) -> None:
    user.set_password(check_password_rules(password))
    db.session.flush()


def end_logins(user: User) -> None:
    """Logout everywhere: every cookie of ``user`` stops working."""
    user.session_token = new_token()
    db.session.flush()


def set_active(user: User, active: Any, *, by: User) -> None:
    if not isinstance(active, bool):
        raise RoundtableError("bad_payload", "active must be true or false.")
    if not active and user.id == by.id:
        raise RoundtableError("own_account", "You cannot deactivate your own account.")
    if not active and user.role == "admin" and _other_active_admins(user) == 0:
        raise RoundtableError("last_admin", "Keep at least one active admin.")
    user.active = active
    if not active:
        user.session_token = new_token()
    db.session.flush()


def all_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.username)))


def members(event: Event) -> list[tuple[User, str]]:
    rows = db.session.execute(
        select(User, EventStaff.role)
        .join(EventStaff, EventStaff.user_id == User.id)
        .where(EventStaff.event_id == event.id)
        .order_by(User.username)
    )
    return [(user, role) for user, role in rows]
