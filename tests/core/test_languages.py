"""The links between a page's translations (core/templatetags/languages.py, used by templates/base.html)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


def _switcher(html: str) -> dict[str, str]:
    nav = html[html.index('<nav class="languages"') : html.index("</nav>", html.index('<nav class="languages"'))]
    return dict(re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav))


def test_a_page_links_its_translations_with_hreflang_and_an_x_default(client, small_network):
    html = client.get(f"/fr/cities/{small_network.vinh.slug}/").text
    slug = small_network.vinh.slug
    assert _alternates(html) == {
        "en": f"http://testserver/en/cities/{slug}/",
        "fr": f"http://testserver/fr/cities/{slug}/",
        "es": f"http://testserver/es/cities/{slug}/",
        "ar": f"http://testserver/ar/cities/{slug}/",
        "x-default": f"http://testserver/cities/{slug}/",  # redirects to the reader's language
    }


def test_the_switcher_keeps_the_page_and_its_filters(client, small_network):
    html = client.get("/es/cities/?region=asia-pacific&status=all&page=1").text
    links = _switcher(html)
    assert links == {
        "/en/cities/?region=asia-pacific&amp;status=all&amp;page=1": "en",
        "/fr/cities/?region=asia-pacific&amp;status=all&amp;page=1": "fr",
        "/es/cities/?region=asia-pacific&amp;status=all&amp;page=1": "es",
        "/ar/cities/?region=asia-pacific&amp;status=all&amp;page=1": "ar",
    }
    assert 'lang="ar" dir="rtl"' in html and "العربية" in html and "Français" in html
    assert 'hreflang="es" lang="es" dir="ltr" aria-current="true">Español</a>' in html


def test_a_parameter_the_page_does_not_read_is_not_carried_to_the_other_languages(client, db):
    html = client.get("/en/map/?region=africa&utm_source=x").text
    assert "/fr/map/?region=africa" in _switcher(html)
    assert "utm_source" not in html


def test_a_missing_page_links_no_translations(client, db):
    response = client.get("/fr/cities/no-such-city/")
    assert response.status_code == 404
    assert '<link rel="alternate"' not in response.text
    assert '<html lang="fr" dir="ltr">' in response.text
