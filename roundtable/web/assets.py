"""Static files under fingerprinted URLs, compressed once, cached for a year.

``url_for('static', filename=...)`` builds ``/s/<version>/<filename>``, where ``version`` is a
hash of the content of every file under ``static/``. Those URLs never change meaning, so they are
served with ``Cache-Control: public, max-age=31536000, immutable``: a second visit downloads
nothing but the page. One version for the whole tree (rather than one per file) keeps the browser
modules' relative imports (``import ... from "./live.js"``) inside the same fingerprint, with no
import map (an inline script the CSP would refuse) and no build step.

Our own JavaScript and CSS are served minified (rjsmin / rcssmin: comments and spaces go, nothing
is renamed), so the source stays commented and readable and there is still no build step; files
under ``vendor/`` are served as they are. Text files are compressed once, on first use, with
brotli at its best quality and gzip at level 9, and sent as the browser accepts (``Vary:
Accept-Encoding``); Flask-Compress leaves a response that already has a ``Content-Encoding``
alone. A static response carries no page-only security headers (CSP and friends apply to
documents): on a slow link every response's headers count.

``BUNDLES`` are stylesheets served as one file (``url_for('static', filename='bundle/phone.css')``):
one request instead of four, and better compression. ``/static/<filename>`` still works, revalidated on each
use (the old address, for anything that has it).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path

import brotli
import rcssmin
import rjsmin
from flask import Flask, Response, abort, request

from ..i18n import clean_language
from ..live.serving import SocketSessionInterface
from .bundle import bundle, chunk_name, chunks, graph

YEAR = 60 * 60 * 24 * 365
# Entry modules served with their whole graph joined in (web/bundle.py): the phone page, where
# every request counts. The console and the projector load their modules one by one.
JOINED_ENTRIES = ("js/participant.js",)
# Classic scripts served at the head of a joined entry (one request fewer each): the socket
# library (unmodified: it sets the global ``io``) and the lite-page offer.
PRELUDES = {"js/participant.js": ["vendor/socket.io/socket.io.min.js", "js/lite-offer.js"]}
BUNDLES = {
    "bundle/phone.css": [
        "css/app.css", "css/i18n.css", "css/participant.css", "css/questions.css", "css/groups.css",
        "css/phone-now.css", "css/wrap.css",
    ],
}
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


def minified(name: str, body: bytes) -> bytes:
    """Our own JS and CSS without comments and spaces; anything else (vendor files) as it is."""
    if name.startswith("vendor/"):
        return body
    if name.endswith(".js"):
        return rjsmin.jsmin(body.decode("utf-8")).encode("utf-8")
    if name.endswith(".css"):
        return rcssmin.cssmin(body.decode("utf-8")).encode("utf-8")
    return body


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
            body = minified(name, path.read_bytes())
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
        chunk_of: dict[str, tuple[str, str]] = {}
        js = self.root / "js"
        for name in JOINED_ENTRIES:
            if name in files:
                entry = name.split("/", 1)[1]
                joined = bundle(js, entry).encode("utf-8")
                prelude = [files[part].body for part in PRELUDES.get(name, []) if part in files]
                body = b"\n;\n".join([*prelude, minified(name, joined)])
                files[name] = Asset(
                    body=body,
                    mimetype="text/javascript",
                    etag=hashlib.sha256(body).hexdigest()[:20],
                    compressible=True,
                )
                # What the page loads on demand (web/bundle.py): each chunk without what the
                # entry has already run.
                ran = frozenset(graph(js, entry)[0])
                for module in chunks(js, entry):
                    body = minified(name, bundle(js, module, skip=ran).encode("utf-8"))
                    chunk = f"js/{chunk_name(module)}"
                    files[chunk] = Asset(
                        body=body,
                        mimetype="text/javascript",
                        etag=hashlib.sha256(body).hexdigest()[:20],
                        compressible=True,
                    )
                    chunk_of[chunk] = (name, module)
        for name, parts in BUNDLES.items():
            if all(part in files for part in parts):
                body = b"\n".join(files[part].body for part in parts)
                etag = hashlib.sha256(body).hexdigest()[:20]
                files[name] = Asset(body=body, mimetype="text/css", etag=etag, compressible=True)
        self.files = files
        self.chunk_of = chunk_of
        self.version = digest.hexdigest()[:12]

    def warm(self) -> None:
        """Compress every text file now (``python app.py`` does, before it listens), so that the
        first phone does not wait for brotli's best quality."""
        for name in [*JOINED_ENTRIES, *self.chunk_of]:
            if name in self.files:
                self.with_catalogue(name, "sw")  # needs an app context (app.py gives one)
        for name, asset in list(self.files.items()):
            if asset.compressible and not name.endswith(".map"):
                asset.encoded("br")
                asset.encoded("gzip")

    def with_catalogue(self, filename: str, language: str) -> Asset | None:
        """A joined entry (or one of its chunks) with the browser's strings in ``language`` in
        front of it (cached): the strings travel in the file that is cached for a year, where
        brotli finds their English keys already in the code, rather than in every page. A chunk
        carries only the strings of its own modules, added to the entry's."""
        key = f"{filename}?lang={language}"
        if key not in self.files:
            from flask_babel import force_locale

            from ..i18n import js_catalogue
            from .modules import module_graph

            base = self.files[filename]
            js = str(self.root / "js")
            if filename in self.chunk_of:
                entry, module = self.chunk_of[filename]
                own = set(module_graph(js, module)) - set(module_graph(js, entry[3:]))
                template = "Object.assign((globalThis.__roundtableStrings ||= {{}}), {strings});\n"
            else:
                own = set(module_graph(js, filename[3:]))
                template = "globalThis.__roundtableStrings={strings};\n"
            graph = {str(self.root / "js" / m) for m in own}
            with force_locale(language):
                strings = js_catalogue(language, only=graph)
            strings = json.dumps(strings, ensure_ascii=False, separators=(",", ":"))
            body = template.format(strings=strings).encode() + base.body
            etag = hashlib.sha256(body).hexdigest()[:20]
            self.files[key] = Asset(body=body, mimetype=base.mimetype, etag=etag, compressible=True)
        return self.files[key]

    def response(self, filename: str, *, immutable: bool, language: str | None = None) -> Response:
        asset = self.files.get(filename)
        if asset is not None and language and (filename in JOINED_ENTRIES or filename in self.chunk_of):
            asset = self.with_catalogue(filename, language)
        if asset is None:
            abort(404)
        accepted = request.accept_encodings
        encoding = next((e for e in ("br", "gzip") if asset.compressible and accepted[e]), None)
        body = asset.encoded(encoding) if encoding else asset.body
        response = Response(body, mimetype=asset.mimetype)
        if encoding:
            response.headers["Content-Encoding"] = encoding
        response.headers["Vary"] = "Accept-Encoding"
        if not immutable:  # an immutable file is never revalidated: no ETag to carry
            response.set_etag(asset.etag + (f"-{encoding}" if encoding else ""))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.static_asset = True  # web/__init__.py: no page-only headers on this one
        if immutable:
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
        return response.make_conditional(request)


class SessionInterface(SocketSessionInterface):
    """Flask's signed-cookie session, except that a static file never carries ``Set-Cookie``.

    A permanent session is otherwise re-sent with every response that touches it (Flask-Login
    looks at it after every request): a few hundred bytes per script on the phone's first load.
    It is also the socket events' interface (``live/serving.py``: the connection's own session
    without re-reading the cookie per event): an app has one session interface, so both rules
    live in this one class.
    """

    def save_session(self, app, session, response) -> None:
        if getattr(response, "static_asset", False):
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """The fingerprinted static route (``create_app`` makes the app without Flask's own)."""
    assets = Assets(Path(app.static_folder))
    app.extensions["roundtable_assets"] = assets
    app.session_interface = SessionInterface()

    def static(filename: str, version: str | None = None) -> Response:
        if app.debug or app.config.get("ROUNDTABLE_ASSETS_RELOAD"):
            assets.load()
        # An old fingerprint (a page cached from before an update) still gets today's file,
        # only not as immutable.
        language = clean_language(request.args.get("lang"))
        language = language if language and language != "en" else None
        return assets.response(filename, immutable=version == assets.version, language=language)

    app.add_url_rule("/s/<version>/<path:filename>", endpoint="static", view_func=static)
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=static)

    def preloads(entry: str, graph) -> tuple[str, ...]:
        """What a page preloads for ``entry``: just the entry when it is served joined."""
        return (entry,) if f"js/{entry}" in JOINED_ENTRIES else graph

    app.extensions["roundtable_preloads"] = preloads

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static":
            values.setdefault("version", assets.version)
