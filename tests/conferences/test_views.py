import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conferences.models import Conference, Session
from core.dates import DatePrecision
from network.models import Country
from tests.conferences.factories import (
    ConferenceFactory,
    DelegateFactory,
    DelegationFactory,
    SessionFactory,
    VenueFactory,
)
from tests.network.factories import AwardFactory, CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db


def city_in(code, name, **term):
    city = CityFactory(name=name, country=Country.objects.get(code=code))
    MembershipTermFactory(city=city, **term)
    return city


# Home


@pytest.fixture
def today(monkeypatch):
    day = datetime.date(2025, 6, 1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)
    return day


def test_home_counts_current_members_countries_and_regions_from_terms(client, today):
    city_in("VN", "Vinh")
    city_in("VN", "Sa Đéc")
    city_in("IE", "Cork")
    city_in("BE", "Liège", former=True)
    CityFactory(name="Observer Town")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["totals"] == {"cities": 3, "countries": 2, "regions": 2}
    assert response.text.count("<h1") == 1


def test_home_shows_the_latest_and_next_conference(client, today):
    ConferenceFactory(number=5, short_name="ICLC 5", start_date=datetime.date(2021, 10, 27), end_date=None)
    ConferenceFactory(number=6, short_name="ICLC 6", title="Climate action")
    ConferenceFactory(
        number=7,
        short_name="ICLC 7",
        start_date=datetime.date(2027, 6, 1),
        end_date=None,
        date_precision=DatePrecision.MONTH,
    )
    response = client.get(reverse("home"))
    assert response.context["last_conference"].short_name == "ICLC 6"
    assert response.context["next_conference"].short_name == "ICLC 7"
    assert "June 2027" in response.text


def test_home_shows_the_newest_cohort(client, today):
    city_in("VN", "Vinh", start_date=datetime.date(2020, 9, 23))
    for name in ("Sơn La", "Yanbu"):
        city_in("VN", name, start_date=datetime.date(2024, 2, 14))
    text = client.get(reverse("home")).text
    assert "2 cities joined the network in the cohort of <strong>14 February 2024</strong>" in text
    assert "Sơn La" in text
    assert "Vinh" not in text.split("cohort-heading")[1].split("growth-heading")[0]


def test_home_growth_chart_counts_members_at_each_year_end_with_joins_and_departures(client, today):
    city_in("VN", "Vinh", start_date=datetime.date(2020, 9, 23))
    city_in("BE", "Liège", start_date=datetime.date(2021, 1, 1), end_date=datetime.date(2023, 6, 30))
    city_in("VN", "Sơn La", start_date=datetime.date(2024, 2, 14))
    response = client.get(reverse("home"))
    rows = [(row.year, row.members, row.joins, row.departures) for row in response.context["growth"]]
    assert rows == [
        (2020, 1, 1, 0),
        (2021, 2, 1, 0),
        (2022, 2, 0, 0),
        (2023, 1, 0, 1),
        (2024, 2, 1, 0),
        (2025, 2, 0, 0),
    ]
    text = response.text
    assert '<svg class="chart__svg"' in text
    assert '<th scope="row">2023</th><td>1</td><td>0</td><td>1</td>' in text


def test_home_without_data_still_renders(client, today):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "No conference has been held yet." in response.text


@pytest.mark.parametrize("size", [5, 50])
def test_home_runs_a_constant_number_of_queries(client, build_network, django_assert_max_num_queries, size):
    build_network(size)
    # Nothing kept yet: the totals read the countries' regions, the tokens and two counts for every country
    # (network_totals); the same at both sizes.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("home"))
    assert response.context["totals"]["cities"] == size


# Conference list and page


def test_conference_list_shows_stated_attendance_beside_the_counts(client):
    conference = ConferenceFactory(short_name="ICLC 6", attendance_stated="about 1,200 delegates")
    for name in ("Vinh", "Sa Đéc"):
        delegation = DelegationFactory(conference=conference, city=city_in("VN", name))
        DelegateFactory(delegation=delegation)
    text = client.get(reverse("conferences:conference_list")).text
    assert "about 1,200 delegates" in text
    assert "2 delegations from 2 cities in 1 country, 2 delegates" in text


@pytest.mark.parametrize("size", [5, 50])
def test_conference_list_runs_a_constant_number_of_queries(client, build_network, django_assert_max_num_queries, size):
    build_network(size)
    # The page, its count, the tokens of the conferences' figures and the figures (two queries, then cached).
    with django_assert_max_num_queries(6):
        response = client.get(reverse("conferences:conference_list"))
    with django_assert_max_num_queries(3):
        client.get(reverse("conferences:conference_list"))
    assert len(response.context["conference_list"]) == min(size, 20)  # twenty to a page


def test_conference_page_shows_the_facts_programme_and_awards(client):
    host = city_in("SA", "Jubail Industrial City")
    conference = ConferenceFactory(
        number=6,
        short_name="ICLC 6",
        title="Learning cities at the forefront of climate action",
        host_city=host,
        venue=VenueFactory(name="Jubail Convention Centre", city=host),
        outcome_document="Jubail Statement",
        attendance_stated="about 1,200 delegates",
        award_year=2024,
    )
    SessionFactory(conference=conference, title="Study visit to Jubail", date=datetime.date(2024, 12, 5))
    SessionFactory(conference=conference, title="Opening plenary", date=datetime.date(2024, 12, 3))
    SessionFactory(
        conference=conference, title="Parallel session", date=datetime.date(2024, 12, 4), kind=Session.Kind.PARALLEL
    )
    AwardFactory(city=city_in("SA", "Yanbu Industrial City"), year=2024)
    AwardFactory(city=city_in("IE", "Cork"), year=2015)
    text = client.get(conference.get_absolute_url()).text
    for expected in (
        "ICLC 6",
        "Learning cities at the forefront of climate action",
        "3–5 December 2024",
        "Jubail Convention Centre",
        "Jubail Statement",
        "about 1,200 delegates",
        "6th International Conference",
        "Yanbu Industrial City",
    ):
        assert expected in text
    assert text.index("Opening plenary") < text.index("Parallel session") < text.index("Study visit to Jubail")
    assert "Cork" not in text


def test_conference_page_groups_cities_by_region_and_country_with_member_status(client):
    conference = ConferenceFactory(short_name="ICLC 6")
    for city in (city_in("VN", "Vinh"), city_in("VN", "Sơn La"), city_in("IE", "Cork")):
        DelegationFactory(conference=conference, city=city)
    DelegationFactory(
        conference=conference, city=CityFactory(name="Observer Town", country=Country.objects.get(code="VN"))
    )
    response = client.get(conference.get_absolute_url())
    text = response.text
    assert text.index("Asia and the Pacific") < text.index("Viet Nam") < text.index("Sơn La") < text.index("Vinh")
    assert text.index("Europe and North America") < text.index("Cork")
    assert "3 cities were members of the network at the time; 1 was not" in text
    assert response.context["member_split"] == {"members": 3, "non_members": 1}


@pytest.mark.parametrize(
    ("language", "one", "many", "member"),
    [("en", "1 delegate", "1,200 delegates", "Member"), ("fr", "1 délégué", "1\u00a0200 délégués", "Membre")],
)
def test_conference_page_links_each_city_and_counts_its_delegates_in_the_readers_language(
    client, language, one, many, member
):
    conference = ConferenceFactory()
    vinh, cork = city_in("VN", "Vinh"), city_in("IE", "Cork")
    DelegateFactory(delegation=DelegationFactory(conference=conference, city=vinh))
    DelegateFactory.create_batch(1200, delegation=DelegationFactory(conference=conference, city=cork))
    DelegationFactory(conference=conference, city=city_in("VN", "Hue"))  # no delegate on record: no count
    with translation.override(language):
        url, vinh_url = conference.get_absolute_url(), vinh.get_absolute_url()
    html = client.get(url).text
    vinh_row = html[html.index(f'<a href="{vinh_url}">Vinh</a>') :].split("</li>")[0]
    assert f'<span class="badge badge--member">{member}</span>' in vinh_row
    assert f'<span class="muted">{one}</span>' in vinh_row
    assert f'<span class="muted">{many}</span>' in html
    hue_row = html[html.index(">Hue</a>") :].split("</li>")[0]
    assert "muted" not in hue_row


def test_conference_page_of_a_planned_conference_without_dates(client):
    conference = ConferenceFactory(short_name="ICLC 7", start_date=None, end_date=None, host_city=None, venue=None)
    text = client.get(conference.get_absolute_url()).text
    assert "Dates to be announced" in text
    assert "No delegation is recorded for this conference yet." in text


def test_conference_page_answers_a_bad_page_with_404(client):
    conference = ConferenceFactory()
    response = client.get(conference.get_absolute_url(), {"page": "abc"})
    assert response.status_code == 404


@pytest.mark.parametrize("size", [5, 50])
def test_conference_page_runs_a_constant_number_of_queries(client, build_network, django_assert_max_num_queries, size):
    network = build_network(size)
    # One more than other pages: the conference's id from its address, for its own cache scope.
    with django_assert_max_num_queries(11):
        response = client.get(network.conference.get_absolute_url())
    with django_assert_max_num_queries(7):
        client.get(network.conference.get_absolute_url())
    assert len(response.context["page_obj"].object_list) == size
    assert len(response.context["awards"]) == size


# Participation matrix


def test_matrix_marks_who_attended_which_conference_as_member_or_not(client):
    iclc5 = ConferenceFactory(number=5, short_name="ICLC 5", start_date=datetime.date(2021, 10, 27))
    iclc6 = ConferenceFactory(number=6, short_name="ICLC 6")
    ConferenceFactory(number=7, short_name="ICLC 7")  # no delegation: no column
    vinh = city_in("VN", "Vinh")
    observer = CityFactory(name="Observer Town", country=Country.objects.get(code="VN"))
    DelegationFactory(conference=iclc6, city=vinh)
    DelegationFactory(conference=iclc5, city=observer)
    response = client.get(reverse("conferences:delegation_matrix"))
    assert [c.short_name for c in response.context["conferences"]] == ["ICLC 5", "ICLC 6"]
    cells = {row.city.name: [(c.attended, c.was_member) for c in row.cells] for row in response.context["rows"]}
    assert cells == {"Vinh": [(False, False), (True, True)], "Observer Town": [(True, False), (False, False)]}
    assert "attended as a member" in response.text
    assert "attended, not a member" in response.text


def test_matrix_filters_by_country(client):
    conference = ConferenceFactory()
    DelegationFactory(conference=conference, city=city_in("VN", "Vinh"))
    DelegationFactory(conference=conference, city=city_in("IE", "Cork"))
    response = client.get(reverse("conferences:delegation_matrix"), {"country": "ireland"})
    assert [row.city.name for row in response.context["rows"]] == ["Cork"]


@pytest.mark.parametrize("params", [{"country": "atlantis"}, {"region": "<b>moon</b>"}])
def test_matrix_explains_a_bad_filter(client, params):
    response = client.get(reverse("conferences:delegation_matrix"), params)
    assert response.status_code == 200
    assert "could not be applied" in response.text
    assert "<b>moon</b>" not in response.text


@pytest.mark.parametrize("size", [5, 50])
def test_matrix_runs_a_constant_number_of_queries(client, build_network, django_assert_max_num_queries, size):
    build_network(size)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("conferences:delegation_matrix"))
    assert len(response.context["rows"]) == size
    assert len(response.context["conferences"]) == size


# Caching of the pages of the whole network


def test_the_cached_home_page_counts_a_member_added_since(client, today, django_assert_max_num_queries):
    city_in("VN", "Vinh")
    assert client.get(reverse("home")).context["totals"]["cities"] == 1
    with django_assert_max_num_queries(1):
        assert "Vinh" in client.get(reverse("home")).text
    city_in("VN", "Sa Đéc")
    response = client.get(reverse("home"))
    assert response.context["totals"]["cities"] == 2
    assert "Sa Đéc" in response.text


def test_the_cached_conference_list_counts_a_delegation_added_since(client):
    conference = ConferenceFactory(short_name="ICLC 6")
    DelegationFactory(conference=conference)
    assert "1 delegation from 1 city" in client.get(reverse("conferences:conference_list")).text
    DelegateFactory(delegation=DelegationFactory(conference=conference))
    assert (
        "2 delegations from 2 cities in 2 countries, 1 delegate"
        in client.get(reverse("conferences:conference_list")).text
    )


def test_conference_list_shows_counts_only_where_something_was_recorded(client, db):
    from tests.conferences.factories import ConferenceFactory

    ConferenceFactory(short_name="ICLC 9")
    text = client.get(reverse("conferences:conference_list")).content.decode()
    assert "ICLC 9" in text
    assert "Recorded here" not in text and "0 delegations" not in text


def test_conference_list_stays_a_few_screens_long_at_200_conferences(client, db):
    from tests.conferences.factories import ConferenceFactory

    ConferenceFactory.create_batch(200)
    response = client.get(reverse("conferences:conference_list"))
    assert len(response.context["conference_list"]) == 20
    assert response.context["page_obj"].paginator.num_pages == 10


def test_conference_page_shows_the_readers_language_and_marks_the_english_fallback(
    client, build_network, django_assert_num_queries
):
    conference = ConferenceFactory(
        title="Learning cities at the forefront of climate action", description="Delegates met in Jubail."
    )
    Conference.objects.filter(pk=conference.pk).update(
        title_fr="Les villes apprenantes, moteurs de l'action climatique"
    )
    build_network(5)
    path = conference.get_absolute_url().removeprefix("/en")  # the language comes from the address
    with CaptureQueriesContext(connection) as english:
        assert client.get(f"/en{path}").status_code == 200
    cache.clear()

    with django_assert_num_queries(len(english)):
        text = client.get(f"/fr{path}").text

    assert '<span class="h1-sub">Les villes apprenantes, moteurs de l&#x27;action climatique</span>' in text
    assert '<div lang="en"><p>Delegates met in Jubail.</p></div>' in text


def test_matrix_pages_hold_fewer_cities_as_conferences_grow(client):
    conferences = ConferenceFactory.create_batch(100)
    for conference in conferences:
        DelegationFactory(conference=conference)
    response = client.get(reverse("conferences:delegation_matrix"))
    assert len(response.context["conferences"]) == 100
    assert len(response.context["rows"]) == 25  # about 2,500 cells a page
    assert response.context["page_obj"].paginator.num_pages == 4
    assert len(response.content) < 1_000_000  # small enough for the page cache


def test_a_conference_page_follows_its_own_records_and_keeps_through_others(client):
    from network.models import Award
    from tests.network.factories import AwardFactory, MembershipTermFactory

    iclc6 = ConferenceFactory(number=6, award_year=2024)
    iclc7 = ConferenceFactory(number=7)
    delegation = DelegationFactory(conference=iclc6)
    page = iclc6.get_absolute_url()
    assert delegation.city.name in client.get(page).text
    other = DelegationFactory(conference=iclc7, city=CityFactory(country=delegation.city.country))
    assert delegation.city.name in client.get(page).text  # kept from here on
    DelegateFactory(delegation=other)  # another conference's records
    with CaptureQueriesContext(connection) as queries:
        client.get(page)
    assert len(queries) == 1, "kept: the tokens only (core.cache.PageCacheMiddleware)"
    city = delegation.city
    city.name = "Renamed Town"
    city.save()
    assert "Renamed Town" in client.get(page).text
    winner = AwardFactory(year=2024)
    assert winner.city.name in client.get(page).text
    Award.objects.get(pk=winner.pk).delete()
    assert winner.city.name not in client.get(page).text
    term = MembershipTermFactory(city=city, start_date=datetime.date(2020, 1, 1))
    assert client.get(page).context["member_split"] != {}
    term.delete()
