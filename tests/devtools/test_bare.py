from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from devtools.bare import PAGE_BYTES, page_of


def test_page_of_is_exactly_the_size_asked():
    assert len(page_of(40 * 1024)) == 40 * 1024
    assert len(page_of(1000)) == 1000
    assert page_of(1000).startswith(b"<!doctype html>") and page_of(1000).endswith(b"</html>\n")


@override_settings(
    ROOT_URLCONF="devtools.bare",
    MIDDLEWARE=["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"],
)
def test_bare_view_answers_the_page_through_two_middleware():
    response = Client().get("/")
    assert response.status_code == 200
    assert len(response.content) == PAGE_BYTES
    assert response["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware ran
    assert response["Content-Length"] == str(PAGE_BYTES)  # CommonMiddleware ran


def test_bare_settings_keep_production_settings_but_urls_and_middleware():
    from config import settings as production
    from devtools import bare_settings

    assert bare_settings.ROOT_URLCONF == "devtools.bare"
    assert len(bare_settings.MIDDLEWARE) == 2
    assert bare_settings.CACHES == production.CACHES
    assert bare_settings.DATABASES == production.DATABASES


def test_the_production_url_conf_does_not_reach_the_bare_view():
    try:
        match = resolve("/")
    except Resolver404:
        return
    assert match.func.__module__ != "devtools.bare"
