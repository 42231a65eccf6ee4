"""Text responses are gzipped when the client accepts it, fingerprinted bundles are cached for
a year without revalidation, and the page says its language (issue 13)."""

from __future__ import annotations

import gzip
import re

from ioc_app.core.i18n import LANG_COOKIE


def scripts(client) -> list[str]:
    page = client.get("/map").get_data(as_text=True)
    return re.findall(r'src="([^"]+\.js[^"]*)"', page)


def test_text_is_compressed_only_for_clients_that_accept_it(app, client) -> None:
    bundle = next(s for s in scripts(client) if "_dash-component-suites" in s)
    plain = client.get(bundle)
    packed = client.get(bundle, headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2
    assert "Accept-Encoding" in packed.headers["Vary"]
    for path in ("/map", "/assets/app.css", "/api/v1/openapi.json"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.headers.get("Content-Encoding") == "gzip", path


def test_fingerprinted_bundles_are_immutable_for_a_year(app, client) -> None:
    fingerprinted = [s for s in scripts(client) if re.search(r"\.v[\d_]+m\d+\.js", s)]
    assert fingerprinted
    for path in fingerprinted:
        cache = client.get(path).headers["Cache-Control"]
        assert "max-age=31536000" in cache and "immutable" in cache


def test_signed_in_answers_are_never_cached_publicly_by_compression(app, client) -> None:
    response = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "immutable" not in response.headers.get("Cache-Control", "")


def test_the_page_says_its_language(app, client) -> None:
    assert '<html lang="vi">' in client.get("/map").get_data(as_text=True)
    client.set_cookie(LANG_COOKIE, "en")
    assert '<html lang="en">' in client.get("/map").get_data(as_text=True)


def test_the_page_describes_itself_in_its_language(app, client) -> None:
    """Search engines (and Lighthouse's SEO audit) read a meta description in the page's
    language."""
    vietnamese = client.get("/map").get_data(as_text=True)
    client.set_cookie(LANG_COOKIE, "en")
    english = client.get("/map").get_data(as_text=True)
    pattern = re.compile(r'<meta name="description" content="([^"]+)">')
    described = [pattern.search(page) for page in (vietnamese, english)]
    assert all(described)
    assert described[0][1] != described[1][1]


def test_robots_txt_is_plain_text_that_lets_the_public_pages_be_indexed(app, client) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    rules = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in rules and "Allow: /map" in rules and "Disallow: /" in rules
