"""Facilitators and moderators: log in, then the live console of an event."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..agenda.service import default_event, find_event
from ..extensions import db, limiter
from ..models import User
from ..schemas import LoginForm as LoginInput
from ..schemas import parse_http
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
            error = f"Too many wrong passwords for this account: try again in {wait} seconds."
            return render_template("login.html", form=form, error=error), 429
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None and user.check_password(form.password.data):
            if limited:
                throttle.succeeded(username, request.remote_addr)
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("staff.index"))
        if limited:
            throttle.failed(username, request.remote_addr)
        error = "Wrong username or password."
    return render_template("login.html", form=form, error=error), (401 if error else 200)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("staff.login"))


@bp.get("/")
@login_required
def index():
    event = default_event()
    if event is None:
        return render_template("error.html", title="No event yet", message="Seed or create an event first.")
    return redirect(url_for("staff.console", code=event.code))


@bp.get("/<code>")
@login_required
def console(code: str):
    event = find_event(code)
    if event is None:
        return render_template("unknown_event.html", code=code), 404
    screen_url = public_base() + url_for("screen.screen", code=event.code, key=event.screen_key)
    return render_template(
        "console.html",
        event=event,
        user=current_user,
        join_url=join_url(event.code),
        short_address=short_join_address(),
        screen_url=screen_url,
    )
