"""What the generated input of the shared harness (tests/test_admin_bad_input.py) found on the network admin, kept
as plain examples."""

import datetime

import pytest
from django.urls import reverse

from tests.admin_pages import form_data
from tests.network import admin_pages
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def world(small_network):
    return admin_pages.world(small_network)


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
