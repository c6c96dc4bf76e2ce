"""Generated input on every ModelAdmin of every project app, fed by tests/<app>/admin_pages.py: posts to each add
form and to the change forms each app names, searches and filters on each changelist: form errors, a save or
"?e=1", never a 500. Lookups on every field go to every changelist, Django's and django-axes's too.
What the generated input found is kept as plain examples beside the fix (tests/<app>/test_admin_bad_input.py,
tests/core/admin/test_safe_input.py)."""

import pytest
from django.contrib import admin
from hypothesis import given
from hypothesis import strategies as st

from tests.admin_pages import admin_app_labels, allows_add, app_pages, project_admin_models
from tests.bad_input import (
    FUZZ,
    LOOKUP_FUZZ,
    add_target,
    assert_changelist_answers,
    assert_lookups_answer,
    change_target,
    changelist_target,
    lookup_target,
    post_and_check,
)

pytestmark = pytest.mark.django_db

MODELS = project_admin_models()
ALL_MODELS = sorted(admin.site._registry, key=lambda m: (m._meta.app_label, m.__name__))
CHANGE_PAGES = [
    pytest.param(label, record, id=f"{label}-{name}")
    for label in admin_app_labels()
    if app_pages(label)
    for name, record in app_pages(label).change_pages.items()
]


def model_id(model) -> str:
    return model._meta.label


def world_of(app_label: str, network):
    """The app's records to collide with, on top of small_network; the other apps' admins get small_network."""
    pages = app_pages(app_label)
    return pages.world(network) if pages else network


@pytest.fixture
def add_page(staff_client, small_network, model):
    world_of(model._meta.app_label, small_network)
    return add_target(staff_client, model)


@pytest.mark.parametrize("model", [m for m in MODELS if allows_add(m)], ids=model_id)
@FUZZ
@given(data=st.data())
def test_add_form_answers_generated_posts_with_form_errors_or_a_save(staff_client, add_page, data):
    post_and_check(staff_client, add_page, data.draw(add_page.inputs, label="post"), adding=True)


@pytest.fixture
def change_page(staff_client, small_network, app_label, record):
    return change_target(staff_client, record(world_of(app_label, small_network)))


@pytest.mark.parametrize(("app_label", "record"), CHANGE_PAGES)
@FUZZ
@given(data=st.data())
def test_change_form_answers_generated_posts_with_form_errors_or_a_save(staff_client, change_page, data):
    post_and_check(staff_client, change_page, data.draw(change_page.inputs, label="post"), adding=False)


@pytest.fixture
def changelist(staff_client, small_network, model):
    world_of(model._meta.app_label, small_network)
    return changelist_target(staff_client, model)


@pytest.mark.parametrize("model", MODELS, ids=model_id)
@FUZZ
@given(data=st.data())
def test_changelist_answers_generated_searches_and_filters(staff_client, changelist, data):
    assert_changelist_answers(staff_client, changelist, data.draw(changelist.inputs, label="query"))


@pytest.fixture
def lookups(staff_client, small_network, model):
    world_of(model._meta.app_label, small_network)
    return lookup_target(staff_client, model)


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_id)
@LOOKUP_FUZZ
@given(data=st.data())
def test_changelist_answers_generated_lookups_on_every_field(staff_client, lookups, data):
    assert_lookups_answer(staff_client, lookups, data.draw(lookups.inputs, label="lookups"))
