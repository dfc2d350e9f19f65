"""Addresses that phones and projectors are given (which must work from the venue network)."""

from __future__ import annotations

from flask import current_app, request, url_for


def public_base() -> str:
    configured = current_app.config.get("ROUNDTABLE_PUBLIC_URL") or ""
    return (configured or request.host_url).rstrip("/")


def join_url(code: str) -> str:
    return public_base() + url_for("participant.join", code=code)


def short_join_address() -> str:
    """What the projector prints under the QR code: the host without the scheme."""
    base = public_base()
    return base.split("://", 1)[-1]
