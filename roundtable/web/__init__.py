"""HTTP side: one blueprint per audience, error pages, and the security headers of every page."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _

from .. import i18n
from ..errors import RoundtableError
from .modules import module_graph

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def register_web(app: Flask) -> None:
    from . import assets
    from .exports import bp as exports_bp
    from .language import bp as language_bp
    from .lite import bp as lite_bp
    from .manage import bp as manage_bp
    from .participant import bp as participant_bp
    from .safety import bp as safety_bp
    from .screen import bp as screen_bp
    from .staff import bp as staff_bp

    assets.init_app(app)
    app.register_blueprint(language_bp)
    app.register_blueprint(lite_bp)
    app.register_blueprint(participant_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(screen_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(safety_bp)

    @app.context_processor
    def languages():
        return {
            "lang": i18n.current_language(),
            "languages": i18n.LANGUAGE_NAMES,
            "pick": i18n.pick,
            "js_catalogue": i18n.js_catalogue,
        }

    js_folder = str(Path(app.static_folder) / "js")
    preloads = app.extensions["roundtable_preloads"]  # a joined entry needs no preloads (assets.py)
    app.jinja_env.globals["browser_modules"] = lambda entry: preloads(entry, module_graph(js_folder, entry))

    from .channels import init_channels

    init_channels(app)

    @app.after_request
    def security_headers(response):
        if getattr(response, "static_asset", False):
            return response  # a script or stylesheet: CSP and framing rules apply to pages only
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if current_app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.path.startswith(("/e/", "/staff", "/screen", "/lite")):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(RoundtableError)
    def roundtable_error(error: RoundtableError):
        return render_template(
            "error.html", title=_("Something is not right"), message=error.text
        ), error.status

    @app.errorhandler(404)
    def not_found(error):
        return render_template(
            "error.html", title=_("Page not found"), message=_("There is nothing at this address.")
        ), 404

    @app.errorhandler(429)
    def too_many(error):
        return render_template(
            "error.html",
            title=_("Slow down"),
            message=_("Too many requests from here: wait a minute and try again."),
        ), 429

    @app.errorhandler(400)
    def bad_request(error):
        message = getattr(error, "description", None) or _("The request was not valid.")
        return render_template("error.html", title=_("That did not work"), message=_(message)), 400
