"""Static files under fingerprinted URLs, compressed once, cached for a year.

``url_for('static', filename=...)`` builds ``/s/<version>/<filename>``, where ``version`` is a
hash of the content of every file under ``static/``. Those URLs never change meaning, so they are
served with ``Cache-Control: public, max-age=31536000, immutable``: a second visit downloads
nothing but the page. One version for the whole tree (rather than one per file) keeps the browser
modules' relative imports (``import ... from "./live.js"``) inside the same fingerprint, with no
import map (an inline script the CSP would refuse) and no build step.

Text files are compressed at start-up, once, with brotli at its best quality and gzip at level 9,
and sent as the browser accepts (``Vary: Accept-Encoding``); Flask-Compress leaves a response that
already has a ``Content-Encoding`` alone. ``/static/<filename>`` still works, revalidated on each
use (the old address, for anything that has it).
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

import brotli
from flask import Flask, Response, abort, request

YEAR = 60 * 60 * 24 * 365
COMPRESSIBLE = {".js", ".css", ".svg", ".json", ".txt", ".html", ".map"}


# Compressed bodies by (content hash, encoding), shared by every app of the process: a file is
# compressed once, on its first request, whatever the number of apps (tests build many).
_ENCODED: dict[tuple[str, str], bytes] = {}


@dataclass
class Asset:
    body: bytes
    mimetype: str
    etag: str
    compressible: bool

    def encoded(self, encoding: str) -> bytes:
        key = (self.etag, encoding)
        if key not in _ENCODED:
            if encoding == "br":
                _ENCODED[key] = brotli.compress(self.body, quality=11)
            else:
                _ENCODED[key] = gzip.compress(self.body, compresslevel=9, mtime=0)
        return _ENCODED[key]


class Assets:
    def __init__(self, root: Path):
        self.root = root
        self.files: dict[str, Asset] = {}
        self.version = ""
        self.load()

    def load(self) -> None:
        digest = hashlib.sha256()
        files: dict[str, Asset] = {}
        for path in sorted(p for p in self.root.rglob("*") if p.is_file()):
            name = path.relative_to(self.root).as_posix()
            body = path.read_bytes()
            file_hash = hashlib.sha256(body).hexdigest()
            digest.update(name.encode() + b"\0" + file_hash.encode() + b"\0")
            mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if path.suffix == ".js":
                mimetype = "text/javascript"
            files[name] = Asset(
                body=body,
                mimetype=mimetype,
                etag=file_hash[:20],
                compressible=path.suffix in COMPRESSIBLE and len(body) > 256,
            )
        self.files = files
        self.version = digest.hexdigest()[:12]

    def response(self, filename: str, *, immutable: bool) -> Response:
        asset = self.files.get(filename)
        if asset is None:
            abort(404)
        accepted = request.accept_encodings
        encoding = next((e for e in ("br", "gzip") if asset.compressible and accepted[e]), None)
        body = asset.encoded(encoding) if encoding else asset.body
        response = Response(body, mimetype=asset.mimetype)
        if encoding:
            response.headers["Content-Encoding"] = encoding
        response.headers["Vary"] = "Accept-Encoding"
        response.set_etag(asset.etag + (f"-{encoding}" if encoding else ""))
        if immutable:
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
        return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """The fingerprinted static route (``create_app`` makes the app without Flask's own)."""
    assets = Assets(Path(app.static_folder))
    app.extensions["roundtable_assets"] = assets

    def static(filename: str, version: str | None = None) -> Response:
        if app.debug or app.config.get("ROUNDTABLE_ASSETS_RELOAD"):
            assets.load()
        # An old fingerprint (a page cached from before an update) still gets today's file,
        # only not as immutable.
        return assets.response(filename, immutable=version == assets.version)

    app.add_url_rule("/s/<version>/<path:filename>", endpoint="static", view_func=static)
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=static)

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static":
            values.setdefault("version", assets.version)
