"""Generated posts to every conference add form and the conference and delegation change forms: form errors or
a save, never a 500; generated searches and filters on every changelist. What they found is kept as plain
examples in tests/core/admin/test_safe_input.py, beside the fix."""

import pytest
from django.contrib import admin
from hypothesis import given
from hypothesis import strategies as st

from tests.admin_pages import allows_add
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
from tests.conferences.factories import SessionFactory, VenueFactory

pytestmark = pytest.mark.django_db

MODELS = [model for model in admin.site._registry if model._meta.app_label == "conferences"]


@pytest.fixture
def world(small_network):
    """Two conferences with delegations, heads of delegation, sessions and a venue to collide with."""
    VenueFactory(name="Jubail Convention Centre", city=small_network.jubail)
    SessionFactory(conference=small_network.iclc6, title="Opening plenary")
    SessionFactory(conference=small_network.iclc5, title="Study visit")
    return small_network


@pytest.fixture
def add_page(staff_client, world, model):
    return add_target(staff_client, model)


@pytest.mark.parametrize("model", [m for m in MODELS if allows_add(m)], ids=lambda m: m._meta.model_name)
@FUZZ
@given(data=st.data())
def test_add_form_answers_generated_posts_with_form_errors_or_a_save(staff_client, add_page, data):
    post_and_check(staff_client, add_page, data.draw(add_page.inputs, label="post"), adding=True)


@pytest.fixture
def change_page(staff_client, world, record):
    return change_target(staff_client, record(world))


@pytest.mark.parametrize(
    "record",
    [lambda w: w.iclc6, lambda w: w.iclc6.delegations.get(city=w.vinh)],
    ids=["conference-with-sessions-and-delegations", "delegation-with-delegates-and-sessions"],
)
@FUZZ
@given(data=st.data())
def test_change_form_answers_generated_posts_with_form_errors_or_a_save(staff_client, change_page, data):
    post_and_check(staff_client, change_page, data.draw(change_page.inputs, label="post"), adding=False)


@pytest.fixture
def changelist(staff_client, world, model):
    return changelist_target(staff_client, model)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
@FUZZ
@given(data=st.data())
def test_changelist_answers_generated_searches_and_filters(staff_client, changelist, data):
    assert_changelist_answers(staff_client, changelist, data.draw(changelist.inputs, label="query"))


@pytest.fixture
def lookups(staff_client, world, model):
    return lookup_target(staff_client, model)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
@LOOKUP_FUZZ
@given(data=st.data())
def test_changelist_answers_generated_lookups_on_every_field(staff_client, lookups, data):
    assert_lookups_answer(staff_client, lookups, data.draw(lookups.inputs, label="lookups"))
