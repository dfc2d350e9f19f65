"""Facilitators and moderators: log in and out, the staff home (the events this person may
open), the live console of an event, and changing one's own password.

Logging out, changing the password and deactivation replace the account's session token, so
every copy of the login cookie stops working at once, and the person's open sockets are
disconnected (``roundtable.live.staff_sessions``).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from .. import audit
from ..errors import RoundtableError
from ..extensions import db, limiter
from ..live.staff_sessions import end_sessions
from ..models import LiveState, User
from ..schemas import LoginForm as LoginInput
from ..schemas import parse_http
from ..staff import access, accounts
from .urls import join_url, public_base, short_join_address

bp = Blueprint("staff", __name__, url_prefix="/staff")


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.route("/login", methods=["GET", "POST"])
# Per address, generous (a venue's staff share one NAT address); per account and address below.
@limiter.limit(lambda: current_app.config["ROUNDTABLE_LOGIN_ADDRESS_LIMIT"], methods=["POST"])
def login():
    # Shape and text first: the username looked up is neutralised (a NUL byte cannot reach the
    # database); the password is only hashed and compared, so it is used as typed.
    clean = parse_http(LoginInput, request.form) if request.method == "POST" else {}
    form = LoginForm()
    error = None
    throttle = current_app.extensions["roundtable_login_throttle"]
    limited = current_app.config.get("RATELIMIT_ENABLED", True)
    if form.validate_on_submit():
        username = clean.get("username", "").strip()
        wait = throttle.wait(username, request.remote_addr) if limited else 0
        if wait:
            # A growing delay for this account from this address, never a lockout.
            error = _(
                "Too many wrong passwords for this account: try again in %(seconds)s seconds.", seconds=wait
            )
            return render_template("login.html", form=form, error=error), 429
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None and user.check_password(form.password.data):
            if limited:
                throttle.succeeded(username, request.remote_addr)
            if not user.active:
                error = _("This account has been deactivated: ask an admin.")
            else:
                login_user(user)
                return redirect(_safe_next(request.args.get("next")) or url_for("staff.index"))
        else:
            if limited:
                throttle.failed(username, request.remote_addr)
            error = _("Wrong username or password.")
    return render_template("login.html", form=form, error=error), (401 if error else 200)


@bp.post("/logout")
@login_required
def logout():
    user = db.session.get(User, current_user.id)
    accounts.end_logins(user)
    db.session.commit()
    logout_user()
    end_sessions(user)
    return redirect(url_for("staff.login"))


def event_summary(event) -> dict:
    state = db.session.get(LiveState, event.id)
    dates = [d.date for d in event.days if d.date]
    first = event.starts_on or (min(dates) if dates else None)
    last = event.ends_on or (max(dates) if dates else None)
    today = dt.date.today()
    return {
        "event": event,
        "role": access.event_role(current_user, event),
        "first": first,
        "last": last,
        "live": bool(state and state.current_item_id),
        "days": len(event.days),
        "sessions": len(event.agenda_items()),
        "over": bool(last and last < today),
    }


@bp.get("/")
@login_required
def index():
    """The staff home: every event this person may open."""
    events = [event_summary(e) for e in access.visible_events(current_user)]
    return render_template("staff_home.html", events=events, user=current_user, import_problems=None)


@bp.get("/<code>")
@login_required
def console(code: str):
    event = access.event_for(current_user, code)
    screen_url = public_base() + url_for("screen.screen", code=event.code, key=event.screen_key)
    return render_template(
        "console.html",
        event=event,
        user=current_user,
        role=access.event_role(current_user, event),
        join_url=join_url(event.code),
        short_address=short_join_address(),
        screen_url=screen_url,
    )


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Change one's own password: every other login of the account ends."""
    error = None
    if request.method == "POST":
        user = db.session.get(User, current_user.id)
        try:
            if request.form.get("new", "") != request.form.get("again", ""):
                raise RoundtableError("mismatch", "The two new passwords are not the same.")
            accounts.change_password(user, request.form.get("current", ""), request.form.get("new", ""))
        except RoundtableError as failure:
            db.session.rollback()
            error = failure.message
        else:
            audit.record(None, user, "staff.password_change", "user", user.id)
            db.session.commit()
            end_sessions(user)
            # This browser logs in again with the new token; every other copy stays out.
            login_user(user)
            return render_template("account.html", user=user, done=True, error=None)
    return render_template("account.html", user=current_user, done=False, error=error), (
        400 if error else 200
    )
