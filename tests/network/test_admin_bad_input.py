"""Generated posts to every network add form and the city and term change forms: form errors or a save, never a
500; generated searches and filters on every changelist; and, as plain examples, what they found."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.admin_pages import allows_add, form_data
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
from tests.network.factories import (
    CityFactory,
    ClusterMembershipFactory,
    CountryAliasFactory,
    MembershipTermFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
MODELS = [model for model in admin.site._registry if model._meta.app_label == "network"]


@pytest.fixture
def world(small_network):
    """Records of every kind to collide with: duplicates, overlapping terms, award limits."""
    ClusterMembershipFactory(city=small_network.vinh)
    CountryAliasFactory(country=small_network.vinh.country, name="Nước Việt")
    ProgressReportFactory(city=small_network.cork)
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
    [lambda w: w.cork, lambda w: w.cork.membership_terms.last()],
    ids=["city-with-terms-awards-reports-clusters", "membership-term"],
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


# Here the changelists of the other apps too (accounts, sign-in attempts); the conferences' have their own.


@pytest.mark.parametrize(
    "model", [m for m in admin.site._registry if m._meta.app_label != "conferences"], ids=lambda m: m._meta.model_name
)
@LOOKUP_FUZZ
@given(data=st.data())
def test_changelist_answers_generated_lookups_on_every_field(staff_client, lookups, data):
    assert_lookups_answer(staff_client, lookups, data.draw(lookups.inputs, label="lookups"))


# Regressions: what the generated posts found, as plain examples ---------------------------------------------


def test_city_form_moves_the_day_one_term_ends_and_the_next_begins_in_one_save(staff_client, world):
    # Cork: 1 Mar 2015 to 30 Jun 2018, then from 1 Sep 2021. Saved top to bottom, the first term overlapped the
    # second one's old dates, and the database refused it: an IntegrityError.
    cork = world.cork
    url = reverse("admin:network_city_change", args=[cork.pk])
    data = form_data(staff_client.get(url))
    data |= {"membership_terms-0-end_date": "2021-12-31", "membership_terms-1-start_date": "2022-01-01"}

    response = staff_client.post(url, data)

    assert response.status_code == 302
    terms = cork.membership_terms.values_list("start_date", "end_date")
    assert list(terms) == [(D(2015, 3, 1), D(2021, 12, 31)), (D(2022, 1, 1), None)]


def test_city_form_refuses_terms_that_swap_places_and_says_how_to_save_them(staff_client):
    city = CityFactory()
    first = MembershipTermFactory(city=city, start_date=D(2015, 1, 1), end_date=D(2016, 12, 31), end_reason="lapsed")
    MembershipTermFactory(city=city, start_date=D(2018, 1, 1), end_date=D(2019, 12, 31), end_reason="lapsed")
    url = reverse("admin:network_city_change", args=[city.pk])
    data = form_data(staff_client.get(url))
    data |= {"membership_terms-0-start_date": "2018-01-01", "membership_terms-0-end_date": "2019-12-31"}
    data |= {"membership_terms-1-start_date": "2015-01-01", "membership_terms-1-end_date": "2016-12-31"}

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "These membership terms swap places" in str(response.context["errors"])
    first.refresh_from_db()
    assert first.start_date == D(2015, 1, 1)


def test_city_form_keeps_other_changes_to_a_term_whose_dates_stay(staff_client, world):
    cork = world.cork
    url = reverse("admin:network_city_change", args=[cork.pk])
    data = form_data(staff_client.get(url)) | {"membership_terms-0-notes": "Withdrew by letter."}

    assert staff_client.post(url, data).status_code == 302
    assert cork.membership_terms.first().notes == "Withdrew by letter."


@pytest.mark.parametrize("joined", ["²", "0", "99999", "٢٠٢٠"])
def test_city_changelist_sends_a_year_joined_that_is_not_a_year_to_the_error_page(staff_client, world, joined):
    # "²".isdigit() is true, and int("²") raised ValueError; year 0 made the date lookup raise.
    response = staff_client.get(reverse("admin:network_city_changelist"), {"joined": joined})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_award_form_explains_a_year_beyond_the_calendar(staff_client, world):
    response = staff_client.post(reverse("admin:network_award_add"), {"city": world.cork.pk, "year": "0"})
    assert response.status_code == 200
    assert "The award was first given in 2015." in str(response.context["errors"])
