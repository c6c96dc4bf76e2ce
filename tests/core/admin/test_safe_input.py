"""Tampered ids, absurd drill-down dates and posts missing saved rows get a message from the admin, never a 500."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from tests.admin_pages import add_inline_rows, form_data
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory, SessionFactory
from tests.network.factories import AwardFactory, CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db

# Django's widget looked these up as they came: "abc" raised ValueError, 10**30 OverflowError on SQLite.
TAMPERED_IDS = ["abc", "1 OR 1=1", "1" + "0" * 30, "9223372036854775808", "-1", "\x00"]


@pytest.mark.parametrize("value", TAMPERED_IDS)
def test_autocomplete_field_answers_an_id_that_is_not_one_with_a_form_error(staff_client, value):
    response = staff_client.post(reverse("admin:network_membershipterm_add"), {"city": value, "start_precision": "day"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["city"]


@pytest.mark.parametrize("value", TAMPERED_IDS)
def test_autocomplete_multiple_field_answers_an_id_that_is_not_one_with_a_form_error(staff_client, value):
    conference = ConferenceFactory()
    session = SessionFactory(conference=conference)
    data = {"conference": conference.pk, "sessions": [str(session.pk), value], "delegates-TOTAL_FORMS": "0"}
    response = staff_client.post(reverse("admin:conferences_delegation_add"), data | {"delegates-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["sessions"]


def test_autocomplete_field_still_shows_the_city_chosen_when_the_form_is_refused(staff_client):
    city = CityFactory(name="Sơn La")
    response = staff_client.post(
        reverse("admin:network_membershipterm_add"), {"city": city.pk, "start_date": "2024-02-30"}
    )
    assert response.status_code == 200
    # Labelled as the city autocomplete labels its results: name and country.
    assert f'<option value="{city.pk}" selected>Sơn La, {city.country}</option>' in response.text


# Date drill-down on changelists -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        # Found by tests/conferences/test_admin_bad_input.py: datetime() raised OverflowError.
        {"date__year": "2024", "date__day": "2147483648"},
        {"date__year": "9999"},  # the year after it is no year
        {"date__year": "9999", "date__month": "12", "date__day": "31"},  # nor is the day after
        {"date__year": "2024", "date__month": "13"},
    ],
)
def test_changelist_answers_a_drill_down_date_that_is_no_date_with_the_error_page(staff_client, query):
    response = staff_client.get(reverse("admin:conferences_session_changelist"), query)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("admin:imports_importrecord_changelist", {"status__exact": "applied\x00"}),
        ("admin:conferences_delegate_changelist", {"role__exact": "\x00"}),
    ],
)
def test_changelist_answers_a_filter_value_with_a_null_character_with_the_error_page(staff_client, url_name, query):
    # Found by tests/network/test_admin_bad_input.py on PostgreSQL, which refuses NUL in text: a DataError.
    response = staff_client.get(reverse(url_name), query)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("value", ["a,b", ",", "a,b,c", ""])
def test_changelist_answers_a_text_range_with_a_list_or_the_error_page(staff_client, value):
    # Found by tests/test_admin_bad_input.py: the range's characters were bound as its bounds, a server error.
    DelegateFactory(full_name="Bui Thi C")
    response = staff_client.get(reverse("admin:conferences_delegate_changelist"), {"full_name__range": value})
    if value.count(",") == 1:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].endswith("?e=1")


def test_changelist_filters_by_a_range_of_two_values(staff_client):
    inside = DelegateFactory(full_name="Bui Thi C")
    DelegateFactory(full_name="Tran Thi B")
    response = staff_client.get(reverse("admin:conferences_delegate_changelist"), {"full_name__range": "A,C"})
    assert list(response.context["cl"].result_list) == [inside]


def test_changelist_still_drills_down_to_a_year(staff_client):
    session = SessionFactory(date=datetime.date(2024, 12, 4))
    response = staff_client.get(reverse("admin:conferences_session_changelist"), {"date__year": "2024"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [session]


# Inline formsets and saved rows missing from the post --------------------------------------------------------


def test_city_form_refuses_a_post_that_leaves_out_saved_terms(staff_client):
    # Found by tests/network/test_admin_bad_input.py: with INITIAL_FORMS tampered to 0, the saved terms came
    # back as new rows, were compared with nothing saved, and the database refused the overlap (IntegrityError).
    city = CityFactory()
    MembershipTermFactory(city=city, start_date=datetime.date(2015, 3, 1))
    url = reverse("admin:network_city_change", args=[city.pk])
    data = form_data(staff_client.get(url)) | {"membership_terms-INITIAL_FORMS": "0"}

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "Some membership terms below were changed since this page was shown." in str(response.context["errors"])
    assert city.membership_terms.count() == 1


def test_city_form_refuses_an_award_when_another_was_saved_since_the_page_was_shown(staff_client):
    city = MembershipTermFactory(start_date=datetime.date(2015, 3, 1)).city
    url = reverse("admin:network_city_change", args=[city.pk])
    data = add_inline_rows(form_data(staff_client.get(url)), "awards", [{"year": "2021"}])
    AwardFactory(city=city, year=2021)  # by someone else, meanwhile

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "Some awards below were changed since this page was shown." in str(response.context["errors"])
    assert city.awards.count() == 1


def test_delegation_form_refuses_a_post_that_leaves_out_the_saved_head(staff_client):
    # Found by tests/conferences/test_admin_bad_input.py: the saved head came back as a new row and the
    # database refused a second head (IntegrityError).
    delegation = DelegationFactory()
    DelegateFactory(delegation=delegation, is_head=True)
    url = reverse("admin:conferences_delegation_change", args=[delegation.pk])
    data = form_data(staff_client.get(url)) | {"delegates-INITIAL_FORMS": "0"}

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "Some delegates below were changed since this page was shown." in str(response.context["errors"])
    assert delegation.delegates.count() == 1


def test_delegation_form_still_hands_the_head_over_in_one_save(staff_client):
    delegation = DelegationFactory()
    head = DelegateFactory(delegation=delegation, is_head=True, full_name="Ada Head")
    other = DelegateFactory(delegation=delegation, full_name="Bo Other")
    url = reverse("admin:conferences_delegation_change", args=[delegation.pk])
    data = form_data(staff_client.get(url))
    data.pop("delegates-0-is_head")
    data["delegates-1-is_head"] = "on"

    assert staff_client.post(url, data).status_code == 302
    head.refresh_from_db()
    other.refresh_from_db()
    assert (head.is_head, other.is_head) == (False, True)


def test_city_form_moves_an_award_to_the_year_of_one_deleted_in_the_same_save(staff_client):
    # Found by tests/network/test_admin_bad_input.py: Django saved the changed award before deleting the
    # other, and the database refused two awards in 2015 (IntegrityError).
    city = MembershipTermFactory(start_date=datetime.date(2015, 3, 1)).city
    wrong = AwardFactory(city=city, year=2015, citation="Entered twice")
    kept = AwardFactory(city=city, year=2024, citation="For its learning festivals.")
    url = reverse("admin:network_city_change", args=[city.pk])
    data = form_data(staff_client.get(url))
    rows = {data[f"awards-{i}-id"]: i for i in range(2)}
    data |= {f"awards-{rows[kept.pk]}-year": "2015", f"awards-{rows[wrong.pk]}-DELETE": "on"}

    assert staff_client.post(url, data).status_code == 302
    assert list(city.awards.values_list("pk", "year")) == [(kept.pk, 2015)]


def test_city_form_refuses_awards_that_swap_years_and_says_how_to_save_them(staff_client):
    city = MembershipTermFactory(start_date=datetime.date(2015, 3, 1)).city
    first, second = AwardFactory(city=city, year=2015), AwardFactory(city=city, year=2024)
    url = reverse("admin:network_city_change", args=[city.pk])
    data = form_data(staff_client.get(url))
    rows = {data[f"awards-{i}-id"]: i for i in range(2)}
    data |= {f"awards-{rows[first.pk]}-year": "2024", f"awards-{rows[second.pk]}-year": "2015"}

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "These awards swap places" in str(response.context["errors"])
    assert set(city.awards.values_list("pk", "year")) == {(first.pk, 2015), (second.pk, 2024)}


@pytest.mark.parametrize("pattern", ["(?P<x>a)", "[", "a{2,1}", "(?<=a+)b"])
def test_a_regex_filter_the_database_cannot_read_is_the_error_page(staff_client, pattern):
    # "(?P<x>a)" is a pattern for Python (SQLite's REGEXP) but not for PostgreSQL; the others for neither.
    refused = pattern != "(?P<x>a)" or connection.vendor == "postgresql"
    response = staff_client.get(reverse("admin:network_city_changelist"), {"name__regex": pattern, "membership": "all"})
    if refused:
        assert response.status_code == 302
        assert response["Location"].endswith("?e=1")
    else:
        assert response.status_code == 200
