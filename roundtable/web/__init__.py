"""HTTP side: one blueprint per audience, error pages, and the security headers of every page."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, render_template, request

from ..errors import RoundtableError
from .modules import module_graph

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def register_web(app: Flask) -> None:
    from .participant import bp as participant_bp
    from .screen import bp as screen_bp
    from .staff import bp as staff_bp

    app.register_blueprint(participant_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(screen_bp)

    js_folder = str(Path(app.static_folder) / "js")
    app.jinja_env.globals["browser_modules"] = lambda entry: module_graph(js_folder, entry)

    from .channels import init_channels

    init_channels(app)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if current_app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.path.startswith(("/e/", "/staff", "/screen")):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(RoundtableError)
    def roundtable_error(error: RoundtableError):
        return render_template(
            "error.html", title="Something is not right", message=error.message
        ), error.status

    @app.errorhandler(404)
    def not_found(error):
        return render_template(
            "error.html", title="Page not found", message="There is nothing at this address."
        ), 404

    @app.errorhandler(429)
    def too_many(error):
        return render_template(
            "error.html",
            title="Slow down",
            message="Too many requests from here: wait a minute and try again.",
        ), 429

    @app.errorhandler(400)
    def bad_request(error):
        message = getattr(error, "description", None) or "The request was not valid."
        return render_template("error.html", title="That did not work", message=message), 400
