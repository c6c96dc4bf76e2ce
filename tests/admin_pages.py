"""Helpers for the admin tests: the URLs of a ModelAdmin, queries per page, <option>s per <select>, form data;
and the declaration each app's test package gives the shared admin harness (`AppPages`)."""

import dataclasses
import datetime
import importlib
import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import admin
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

# Apps whose admins are not ours (sign-in accounts, sign-in attempts): the harness sends them only the generated
# lookups (tests/test_admin_bad_input.py); their pages are Django's and django-axes's, tested there.
OTHER_ADMINS = ("auth", "axes")


@dataclasses.dataclass(frozen=True)
class AppPages:
    """What the shared admin harness (tests/test_admin_pages.py, tests/test_admin_bad_input.py) needs of one app.

    Each project app with a ModelAdmin declares one as `ADMIN` in `tests/<app>/admin_pages.py`.

    - `pages`: for each registered model, `(build, search)`: `build(n)` creates n rows and returns the object
      whose change page holds n inline rows (tests/admin_pages.assert_same_queries_at_5_and_50_rows); `search`
      is a changelist search that finds them.
    - `world(network)`: given the `small_network` namespace, adds the records the generated posts collide with
      and returns the namespace the `change_pages` read.
    - `change_pages`: test id -> `record(world)`, the saved records whose change form gets generated posts.
    - `many_rows()`: creates more than 100 rows of each model a form may offer in a <select>.
    """

    pages: dict[type, tuple[Callable[[int], object], str]]
    world: Callable[[object], object] = lambda network: network
    change_pages: dict[str, Callable[[object], object]] = dataclasses.field(default_factory=dict)
    many_rows: Callable[[], object] = lambda: None


def app_pages(app_label: str) -> AppPages | None:
    """The `ADMIN` of `tests/<app_label>/admin_pages.py`, or None when the app declares none."""
    try:
        module = importlib.import_module(f"tests.{app_label}.admin_pages")
    except ModuleNotFoundError as error:
        if error.name not in (f"tests.{app_label}", f"tests.{app_label}.admin_pages"):
            raise  # a broken import inside the module, not a missing module
        return None
    return getattr(module, "ADMIN", None)


def admin_app_labels() -> list[str]:
    """Labels of the apps with a registered ModelAdmin, sorted."""
    return sorted({model._meta.app_label for model in admin.site._registry})


def project_admin_models() -> list:
    """Registered models of our own apps (not OTHER_ADMINS), sorted by app then name, for parametrized tests."""
    return [m for label in admin_app_labels() if label not in OTHER_ADMINS for m in registered_models(label)]


def builder(model) -> tuple[Callable[[int], object], str]:
    """`(build, search)` of `model` as its app declares it; KeyError names the model when it declares none."""
    pages = app_pages(model._meta.app_label)
    if pages is None or model not in pages.pages:
        raise KeyError(f"no builder for {model._meta.label}: add it to tests/{model._meta.app_label}/admin_pages.py")
    return pages.pages[model]


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
