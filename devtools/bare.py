"""A bare Django view for `make loadtest-bare`: one page of fixed size through two middleware, served by its own
WSGI entry (gunicorn 'devtools.bare:wsgi_application()', which uses devtools.bare_settings). The production URL
conf never includes this module."""

import os

from django.http import HttpResponse
from django.urls import path

# The size of an average cached public page (the home page, a directory page, a city profile: about 40 KB).
PAGE_BYTES = int(os.environ.get("BARE_PAGE_BYTES", 40 * 1024))


def page_of(size: int) -> bytes:
    """An HTML document of exactly `size` bytes (at least the bytes of its skeleton, about 120)."""
    head = b"<!doctype html>\n<html lang=en><head><meta charset=utf-8><title>Bare</title></head><body><p>"
    tail = b"</p></body></html>\n"
    filler = max(size - len(head) - len(tail), 0)
    return head + (b"Learning cities. " * (filler // 17 + 1))[:filler] + tail


_PAGE = page_of(PAGE_BYTES)


def bare_page(request):
    """The same page for every request, built once: what Django costs with no work of the app's own."""
    return HttpResponse(_PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("", bare_page, name="bare_page")]


def wsgi_application():
    """The WSGI application of the bare view, on devtools.bare_settings (gunicorn calls it once per process)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "devtools.bare_settings"
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
