"""Feature phones over HTTP: Africa's Talking's USSD and SMS callbacks, and the console's
phone simulator that drives the same code.

The callbacks parse the gateway's form, check who is calling (the shared secret
``ROUNDTABLE_CHANNELS_SECRET`` as ``?key=`` or an ``X-Roundtable-Key`` header, and where set the
gateway's addresses, USSD service code and SMS short code), rate limit per phone number, call
``roundtable.channels``, commit, then hand what changed to the broadcaster: exactly like the
socket vote handler, so a USSD or SMS answer reaches the console and the projector the same way.
Anything malformed or refused gets the gateway's error shape (USSD: plain text ``END ...``;
SMS: plain text) with a 4xx status, and nothing is stored. Phone numbers are only ever hashed
(per event, or with the app's secret for the rate limit), never stored, logged or shown.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
)
from flask_login import current_user, login_required
from limits import parse, storage, strategies

from ..agenda.service import find_event
from ..channels import service, sms, ussd
from ..channels.screens import screen
from ..channels.senders import sender_from_config
from ..channels.texts import both
from ..errors import RoundtableError
from ..extensions import csrf, db, socketio
from ..live.broadcaster import broadcaster, staff_room
from ..live.question_handlers import walls
from ..live.ratelimit import redis_pool
from ..models import HelpRequest
from ..questions import views as question_views

log = logging.getLogger(__name__)

bp = Blueprint("channels", __name__)

SESSION_ID = re.compile(r"^[\x21-\x7e]{1,100}$")
MAX_USSD_TEXT = 1000
MAX_SMS_TEXT = 1600


class ChannelLimits:
    """Requests per phone number (hashed with the app's secret: never the number itself)."""

    def __init__(self, app: Flask) -> None:
        uri = app.config["RATELIMIT_STORAGE_URI"]
        if uri.startswith(("redis://", "rediss://")):
            backend = storage.RedisStorage(uri, connection_pool=redis_pool(uri))
        else:
            backend = storage.storage_from_string(uri)
        self._limiter = strategies.MovingWindowRateLimiter(backend)
        self._limits = {
            "ussd": parse(app.config["ROUNDTABLE_USSD_LIMIT"]),
            "sms": parse(app.config["ROUNDTABLE_SMS_LIMIT"]),
        }
        self._key = str(app.config["SECRET_KEY"]).encode()

    def allow(self, channel: str, number: str) -> bool:
        who = hmac.new(self._key, number.encode(), hashlib.sha256).hexdigest()[:32]
        return self._limiter.hit(self._limits[channel], "channel", channel, who)


def init_channels(app: Flask) -> None:
    app.extensions["roundtable_channel_limits"] = ChannelLimits(app)
    app.extensions["roundtable_sms_sender"] = sender_from_config(app.config)
    app.register_blueprint(bp)


# --- the gateway's callbacks --------------------------------------------------------------------


def _plain(text: str, status: int = 200) -> Response:
    return Response(text, status=status, mimetype="text/plain")


def _allowed_source() -> bool:
    allowed = current_app.config["ROUNDTABLE_CHANNELS_ALLOWED_IPS"].strip()
    if not allowed:
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    for entry in allowed.split(","):
        entry = entry.strip()
        if entry:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                log.warning("ROUNDTABLE_CHANNELS_ALLOWED_IPS holds an entry that is not an address")
    return False


def _authorised() -> bool:
    secret = current_app.config["ROUNDTABLE_CHANNELS_SECRET"]
    given = request.args.get("key") or request.headers.get("X-Roundtable-Key") or ""
    if not secret or not secrets.compare_digest(given.encode(), secret.encode()):
        return False
    return _allowed_source()


def _field(form: Any, name: str, limit: int, *, required: bool = True) -> str | None:
    value = form.get(name)
    if value is None:
        return None if required else ""
    if len(value) > limit or "\x00" in value:
        return None
    return value


def _ussd_request(form: Any) -> ussd.UssdRequest | None:
    session_id = _field(form, "sessionId", 100)
    service_code = _field(form, "serviceCode", 40)
    number = service.normalise_number(form.get("phoneNumber"))
    network = _field(form, "networkCode", 20, required=False)
    text = _field(form, "text", MAX_USSD_TEXT)
    if None in (session_id, service_code, number, network, text) or not SESSION_ID.match(session_id):
        return None
    return ussd.UssdRequest(session_id, service_code, number, network, text)


@bp.post("/channels/ussd")
@csrf.exempt
def ussd_callback():
    """Africa's Talking's USSD callback: one screen per request, ``CON ...`` or ``END ...``."""
    if not _authorised():
        return _plain(screen("END", both("refused")), 403)
    parsed = _ussd_request(request.form)
    if parsed is None:
        return _plain(screen("END", both("invalid")), 400)
    expected = current_app.config["ROUNDTABLE_USSD_SERVICE_CODE"]
    if expected and parsed.service_code != expected:
        return _plain(screen("END", both("refused")), 403)
    return _plain(run_ussd(parsed))


def run_ussd(parsed: ussd.UssdRequest) -> str:
    """The USSD menu's reply to one request, committed and broadcast (the callback and the
    simulator both come here)."""
    if not current_app.extensions["roundtable_channel_limits"].allow("ussd", parsed.number):
        return screen("END", _errors_both("rate_limited"))
    effects = service.Effects()
    config = current_app.config
    try:
        reply = ussd.handle(
            parsed,
            bound_code=config["ROUNDTABLE_CHANNELS_EVENT"],
            ttl=config["ROUNDTABLE_USSD_SESSION_TTL"],
            effects=effects,
        )
        db.session.commit()
    except Exception:
        log.exception("USSD request failed")
        db.session.rollback()
        return screen("END", _errors_both("server_error"))
    _broadcast(effects)
    return reply


def _errors_both(code: str) -> str:
    from ..channels.texts import error_text

    return error_text(code, "en") + "\n" + error_text(code, "sw")


@bp.post("/channels/sms")
@csrf.exempt
def sms_callback():
    """Africa's Talking's incoming-SMS callback; the reply goes out as an SMS of its own."""
    if not _authorised():
        return _plain("Forbidden", 403)
    form = request.form
    number = service.normalise_number(form.get("from"))
    to = _field(form, "to", 40)
    text = _field(form, "text", MAX_SMS_TEXT)
    message_id = _field(form, "id", 100)
    extras = [_field(form, name, 100, required=False) for name in ("date", "linkId")]
    if None in (number, to, text, message_id, *extras) or not message_id.strip():
        return _plain("Bad request: from, to, text and id are required", 400)
    expected = current_app.config["ROUNDTABLE_SMS_SHORTCODE"]
    if expected and to != expected:
        return _plain("Forbidden", 403)
    reply = run_sms(number, text, message_id)
    if reply:
        current_app.extensions["roundtable_sms_sender"].send(number, reply)
    return _plain("OK")


def run_sms(number: str, text: str, message_id: str) -> str | None:
    """Apply one SMS, committed and broadcast; the reply to send, or ``None`` (rate limited:
    a flooding number costs nothing)."""
    if not current_app.extensions["roundtable_channel_limits"].allow("sms", number):
        return None
    effects = service.Effects()
    try:
        reply = sms.handle(
            number,
            text,
            message_id,
            bound_code=current_app.config["ROUNDTABLE_CHANNELS_EVENT"],
            effects=effects,
        )
        db.session.commit()
    except Exception:
        log.exception("SMS request failed")
        db.session.rollback()
        return None
    _broadcast(effects)
    return reply


def _broadcast(effects: service.Effects) -> None:
    """After the commit, the same as the socket handlers: dirty polls and walls for the next
    tick, help requests to the staff at once."""
    for poll_id in sorted(effects.polls):
        broadcaster.poll_changed(poll_id)
    for item_id in sorted(effects.walls):
        walls.mark(item_id)
    for request_id in effects.help:
        help_request = db.session.get(HelpRequest, request_id)
        if help_request is not None:
            socketio.emit(
                "help",
                {"request": question_views.help_dict(help_request), "alert": True},
                to=staff_room(help_request.event_id),
            )
    if effects.polls or effects.walls:
        # This process may have no socket yet (several processes): make sure its tick runs.
        broadcaster.start(current_app._get_current_object())


# --- the console's simulator ----------------------------------------------------------------------


def _simulator_event(code: str):
    event = find_event(code)
    if event is None:
        abort(404)
    if not current_user.can_run_polls:
        abort(403)
    return event


@bp.get("/staff/<code>/phones")
@login_required
def simulator(code: str):
    event = _simulator_event(code)
    return render_template(
        "phones.html",
        event=event,
        bound=current_app.config["ROUNDTABLE_CHANNELS_EVENT"],
        replies=current_app.extensions["roundtable_sms_sender"].name,
    )


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise RoundtableError("bad_payload", "Send an object.")
    return data


@bp.post("/staff/<code>/phones/ussd")
@login_required
def simulator_ussd(code: str):
    """The simulator's phone: the same menu as the gateway's callback (no gateway secret: the
    facilitator's login and CSRF token stand for it)."""
    _simulator_event(code)
    data = _json_body()
    fake = {
        "sessionId": data.get("sessionId"),
        "serviceCode": current_app.config["ROUNDTABLE_USSD_SERVICE_CODE"] or "*384*0#",
        "phoneNumber": data.get("phoneNumber"),
        "networkCode": "simulator",
        "text": data.get("text"),
    }
    parsed = _ussd_request({k: v for k, v in fake.items() if isinstance(v, str)})
    if parsed is None:
        return jsonify(reply=screen("END", both("invalid"))), 400
    parsed.number = simulated(parsed.number)
    return jsonify(reply=run_ussd(parsed))


def simulated(number: str) -> str:
    """The simulator's phones are never a real number's participant: a facilitator who types
    someone's real number neither answers as them nor learns whether they took part."""
    return "simulator:" + number


@bp.post("/staff/<code>/phones/sms")
@login_required
def simulator_sms(code: str):
    """The simulator's SMS box: the reply is shown on the page, never sent (no cost)."""
    _simulator_event(code)
    data = _json_body()
    number = service.normalise_number(data.get("from"))
    text = data.get("text")
    if number is None or not isinstance(text, str) or len(text) > MAX_SMS_TEXT:
        return jsonify(reply=None, error="Give a phone number and a text."), 400
    message_id = "sim-" + secrets.token_hex(8)
    return jsonify(reply=run_sms(simulated(number), text, message_id))
