"""Every ModelAdmin of every project app, fed by the row builders its app declares in tests/<app>/admin_pages.py:
covered, each model editable, pages that run as many queries at 5 rows as at 50, and no <select> over 100 options.
What is particular to one admin (its messages, its rules) is tested in tests/<app>/test_admin.py."""

import pytest
from django.contrib import admin

from tests.admin_pages import (
    OTHER_ADMINS,
    admin_app_labels,
    admin_urls,
    app_pages,
    assert_same_queries_at_5_and_50_rows,
    builder,
    models_editable_in_admin,
    options_per_select,
    project_admin_models,
    record_models,
    registered_models,
)

pytestmark = pytest.mark.django_db

PROJECT_APPS = [label for label in admin_app_labels() if label not in OTHER_ADMINS]
MODELS = project_admin_models()


def model_id(model) -> str:
    return model._meta.label


@pytest.mark.parametrize("app_label", PROJECT_APPS)
def test_every_admin_of_the_app_has_a_row_builder(app_label):
    pages = app_pages(app_label)
    assert pages is not None, f"declare ADMIN = AppPages(...) in tests/{app_label}/admin_pages.py"
    assert set(registered_models(app_label)) == set(pages.pages), "add a builder to its pages for each ModelAdmin"


def test_the_harness_sees_the_apps_it_expects():
    # A ModelAdmin of a new app fails the test above; this one fails when the discovery itself breaks.
    assert {"network", "conferences", "imports"} <= set(PROJECT_APPS)
    assert set(admin_app_labels()) - set(PROJECT_APPS) <= set(OTHER_ADMINS)


# Plumbing, not records: the page-cache versions are written by signals and read by every process.
NOT_RECORDS = {"core.CacheVersion"}


@pytest.mark.parametrize("app_label", PROJECT_APPS)
def test_every_model_of_the_app_is_editable_in_the_admin(app_label):
    missing = record_models(app_label) - models_editable_in_admin()
    assert {model._meta.label for model in missing} - NOT_RECORDS == set()


@pytest.mark.parametrize("model", MODELS, ids=model_id)
def test_admin_pages_answer_with_the_same_queries_at_5_and_50_rows(staff_client, model):
    build, search = builder(model)
    has_inlines = bool(admin.site._registry[model].inlines)
    assert_same_queries_at_5_and_50_rows(staff_client, build, search, has_inlines=has_inlines)


@pytest.mark.parametrize("model", MODELS, ids=model_id)
def test_no_admin_form_offers_more_than_100_options(staff_client, model):
    app_pages(model._meta.app_label).many_rows()
    build, search = builder(model)
    urls = admin_urls(build(2), search)
    for name in {"add", "change"} & set(urls):
        response = staff_client.get(urls[name])
        assert response.status_code == 200
        too_long = {select: n for select, n in options_per_select(response.text).items() if n > 100}
        assert not too_long, f"{name} page of {model.__name__}"
