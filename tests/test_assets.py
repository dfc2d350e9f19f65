"""Light on the wire: fingerprinted static files cached for a year, brotli or gzip, compressed pages."""

from __future__ import annotations

import gzip
import re

import brotli

from roundtable.web.assets import Assets


def static_urls(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/s/[^"]+)"', page)


def test_pages_link_static_files_under_a_content_fingerprint(client, seed_event):
    event = seed_event()
    page = client.get(f"/j/{event.code}").get_data(as_text=True)
    urls = static_urls(page)
    assert urls and all(re.match(r"^/s/[0-9a-f]{12}/", url) for url in urls)
    version = client.application.extensions["roundtable_assets"].version
    assert all(url.startswith(f"/s/{version}/") for url in urls)


def test_a_fingerprinted_file_is_immutable_for_a_year_and_compressed(client):
    version = client.application.extensions["roundtable_assets"].version
    raw = client.get(f"/s/{version}/js/live.js", headers={"Accept-Encoding": "identity"})
    assert raw.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert raw.headers["Content-Type"].startswith("text/javascript")
    assert "Content-Encoding" not in raw.headers
    br = client.get(f"/s/{version}/js/live.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br" and "Accept-Encoding" in br.headers["Vary"]
    assert brotli.decompress(br.data) == raw.data
    assert len(br.data) < len(raw.data) / 2
    gz = client.get(f"/s/{version}/js/live.js", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == raw.data
    assert "ETag" not in br.headers  # never revalidated: nothing to revalidate with
    plain = client.get("/static/js/live.js", headers={"Accept-Encoding": "br"})
    again = client.get(
        "/static/js/live.js", headers={"If-None-Match": plain.headers["ETag"], "Accept-Encoding": "br"}
    )
    assert again.status_code == 304


def test_an_old_fingerprint_still_works_but_is_not_immutable(client):
    old = client.get("/s/000000000000/css/app.css")
    assert old.status_code == 200 and old.headers["Cache-Control"] == "no-cache"
    plain = client.get("/static/css/app.css")
    assert plain.status_code == 200 and plain.headers["Cache-Control"] == "no-cache"
    assert client.get("/s/000000000000/css/nope.css").status_code == 404
    assert client.get("/static/../roundtable/config.py").status_code == 404


def test_the_fingerprint_follows_the_content(tmp_path):
    (tmp_path / "a.js").write_text("export const a = 1;\n")
    first = Assets(tmp_path).version
    assert Assets(tmp_path).version == first
    (tmp_path / "a.js").write_text("export const a = 2;\n")
    assert Assets(tmp_path).version != first


def test_pages_are_compressed(client, seed_event):
    event = seed_event()
    response = client.get(f"/j/{event.code}", headers={"Accept-Encoding": "br, gzip"})
    assert response.headers["Content-Encoding"] == "br"
    assert b"<html" in brotli.decompress(response.data)
    response = client.get(f"/j/{event.code}", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
