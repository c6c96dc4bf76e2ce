"""Helpers for the admin tests: the URLs of a ModelAdmin, queries per page, <option>s per <select>, form data."""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import admin
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def registered_models(app_label: str) -> list:
    """Models of the app that have a ModelAdmin, in a stable order for parametrized tests."""
    return sorted((m for m in admin.site._registry if m._meta.app_label == app_label), key=lambda m: m.__name__)


def models_editable_in_admin() -> set:
    """Models with a ModelAdmin of their own or an inline on another's page."""
    editable = set(admin.site._registry)
    return editable | {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}


class _Superuser:
    is_active = is_staff = is_superuser = True

    def has_perm(self, perm, obj=None):
        return True


def is_historical(model) -> bool:
    """A history table django-simple-history adds beside a model (core/history.py)."""
    return hasattr(model, "instance_type")


def record_models(app_label: str) -> set:
    """The app's own models, without their history tables: those are read on each record's history page."""
    return {m for m in apps.get_app_config(app_label).get_models() if not is_historical(m)}


def allows_add(model) -> bool:
    """False for read-only admins (the import history), whose add page is refused even to superusers."""
    request = RequestFactory().get("/")
    request.user = _Superuser()
    return admin.site._registry[model].has_add_permission(request)


def admin_urls(obj, search: str) -> dict[str, str]:
    """Changelist, changelist with a search, add page (unless read-only) and change page of `obj`'s ModelAdmin."""
    base = f"admin:{obj._meta.app_label}_{obj._meta.model_name}"
    changelist = reverse(f"{base}_changelist")
    urls = {
        "changelist": changelist,
        "search": f"{changelist}?{urlencode({'q': search})}",
        "add": reverse(f"{base}_add"),
        "change": reverse(f"{base}_change", args=[obj.pk]),
    }
    if not allows_add(type(obj)):
        del urls["add"]
    return urls


def get_counting_queries(client, url):
    cache.clear()  # count what a page runs when the records just changed, with nothing cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response, len(queries)


def page_rows(response) -> int:
    """How many rows a changelist shows, or how many inline rows a change page holds."""
    if "cl" in response.context:
        return len(response.context["cl"].result_list)
    return sum(inline.formset.initial_form_count() for inline in response.context["inline_admin_formsets"])


def assert_same_queries_at_5_and_50_rows(client, build, search: str, *, has_inlines: bool):
    """Changelist, search, add and change pages run as many queries with 5 rows as with 50.

    `build(n)` creates n rows of the model and returns an object whose change page holds n inline rows.
    """
    small = admin_urls(build(5), search)
    for url in small.values():
        client.get(url)  # warm the per-process caches (content types, site) before counting
    counted_small = {name: get_counting_queries(client, url) for name, url in small.items()}
    big = admin_urls(build(50), search)
    counted_big = {name: get_counting_queries(client, url) for name, url in big.items()}

    queries_small = {name: queries for name, (_, queries) in counted_small.items()}
    queries_big = {name: queries for name, (_, queries) in counted_big.items()}
    assert queries_big == queries_small, f"queries at 5 rows: {queries_small}, at 50 rows: {queries_big}"
    # The rows under test are on the pages, or the equality above proves nothing.
    pages = ["search", "change"] if has_inlines else ["search"]
    rows = {name: (page_rows(counted_small[name][0]), page_rows(counted_big[name][0])) for name in pages}
    assert all(small >= 5 and big >= 50 for small, big in rows.values()), f"rows shown at 5 and 50: {rows}"


class _SelectCounter(HTMLParser):
    def __init__(self):
        super().__init__()
        self.options: dict[str, int] = {}
        self._current = None

    def handle_starttag(self, tag, attrs):
        if tag == "select":
            self._current = dict(attrs).get("name") or f"select {len(self.options)}"
            self.options[self._current] = 0
        elif tag == "option" and self._current is not None:
            self.options[self._current] += 1

    def handle_endtag(self, tag):
        if tag == "select":
            self._current = None


def options_per_select(html: str) -> dict[str, int]:
    parser = _SelectCounter()
    parser.feed(html)
    return parser.options


def readonly_value(html: str, label: str) -> str:
    """The text the admin shows for a read-only field, found by its label."""
    match = re.search(rf"<label[^>]*>{re.escape(label)}:</label>\s*<div class=\"readonly\">(.*?)</div>", html, re.S)
    assert match, f"no read-only field labelled {label!r}"
    return match[1].strip()


def form_data(response) -> dict:
    """The admin form of a GET response as it would be posted back unchanged, inlines included."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(v) for v in value]
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            data[field.html_name] = value
    return data


def add_inline_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    """Append new rows to the inline formset `prefix` of posted form data."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for i, row in enumerate(rows, start=total):
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    data[f"{prefix}-TOTAL_FORMS"] = str(total + len(rows))
    return data
