import datetime

import pytest
from django.utils import translation

from core.dates import DatePrecision
from network.models import City, Country, MembershipTerm
from network.selectors import (
    CountryFigures,
    GrowthYear,
    MembersByCountry,
    MembershipEvent,
    cities_due_a_progress_report,
    conference_participation,
    countries_with_cities,
    country_figures,
    join_years,
    members_by_country,
    membership_timeline,
    network_growth,
    network_totals,
    newest_cohort,
    possible_duplicate_ids,
    progress_reports_due,
    progress_reports_due_counts,
    progress_reports_due_first,
)
from tests.conferences.factories import ConferenceFactory, DelegationFactory
from tests.network.factories import CityFactory, MembershipTermFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 1)


def test_network_growth_is_empty_without_dated_terms():
    MembershipTermFactory(unrecorded=True)
    assert network_growth(today=TODAY) == []


def test_network_growth_counts_a_readmitted_city_as_joining_twice():
    city = CityFactory()
    MembershipTermFactory(city=city, start_date=datetime.date(2016, 1, 1), end_date=datetime.date(2018, 12, 31))
    MembershipTermFactory(city=city, start_date=datetime.date(2020, 3, 1))
    growth = {row.year: row for row in network_growth(today=TODAY)}
    assert growth[2018] == GrowthYear(2018, members=1, joins=0, departures=1)
    assert growth[2019] == GrowthYear(2019, members=0, joins=0, departures=0)
    assert growth[2020] == GrowthYear(2020, members=1, joins=1, departures=0)
    assert list(growth) == list(range(2016, 2026))


def test_network_growth_counts_unrecorded_joins_as_members_from_the_start():
    MembershipTermFactory(unrecorded=True)
    MembershipTermFactory(start_date=datetime.date(2022, 9, 2))
    growth = network_growth(today=TODAY)
    assert [(row.year, row.members, row.joins) for row in growth] == [
        (2022, 2, 1),
        (2023, 2, 0),
        (2024, 2, 0),
        (2025, 2, 0),
    ]


def test_network_growth_runs_two_queries_whatever_the_span(django_assert_num_queries):
    for year in range(2013, 2025):
        MembershipTermFactory(start_date=datetime.date(year, 5, 1))
    with django_assert_num_queries(2):
        assert len(network_growth(today=TODAY)) == 13


def test_newest_cohort_is_the_latest_start_date_already_reached():
    MembershipTermFactory(start_date=datetime.date(2022, 9, 2))
    son_la = MembershipTermFactory(start_date=datetime.date(2024, 2, 1), start_precision=DatePrecision.MONTH).city
    MembershipTermFactory(start_date=datetime.date(2025, 12, 4))  # announced for later
    cohort = newest_cohort(today=TODAY)
    assert cohort.date_display == "February 2024"
    assert cohort.size == 1
    assert cohort.cities == [son_la]


def test_newest_cohort_lists_only_the_first_few_but_counts_all():
    for n in range(5):
        MembershipTermFactory(city=CityFactory(name=f"Town {n}"), start_date=datetime.date(2024, 2, 14))
    cohort = newest_cohort(limit=3, today=TODAY)
    assert cohort.size == 5
    assert [city.name for city in cohort.cities] == ["Town 0", "Town 1", "Town 2"]


def test_newest_cohort_is_none_without_terms():
    assert newest_cohort(today=TODAY) is None


def test_conference_participation_counts_cities_and_countries_per_conference():
    vn, th = Country.objects.get(code="VN"), Country.objects.get(code="TH")
    iclc5, iclc6 = ConferenceFactory(number=5, short_name="ICLC 5"), ConferenceFactory(number=6, short_name="ICLC 6")
    for city in (CityFactory(country=vn), CityFactory(country=vn), CityFactory(country=th)):
        DelegationFactory(conference=iclc6, city=city)
    DelegationFactory(conference=iclc5, city=CityFactory(country=vn))
    figures = country_figures([vn.pk, th.pk])
    rows = conference_participation(figures.values())
    assert [(row["conference_name"], row["city_count"], row["country_count"]) for row in rows] == [
        ("ICLC 6", 3, 2),
        ("ICLC 5", 1, 1),
    ]
    assert rows[0]["conference_slug"] == iclc6.slug
    only_vn = conference_participation([figures[vn.pk]])
    assert [(row["conference_name"], row["city_count"]) for row in only_vn] == [("ICLC 6", 2), ("ICLC 5", 1)]


def test_country_figures_count_current_and_former_members_apart():
    vn = Country.objects.get(code="VN")
    MembershipTermFactory(city=CityFactory(country=vn))
    MembershipTermFactory(city=CityFactory(country=vn), former=True)
    CityFactory(country=vn)  # never a member
    assert country_figures([vn.pk])[vn.pk] == CountryFigures(current=1, ever=2, attended={})


def test_country_figures_recount_only_the_country_that_changed(django_assert_num_queries):
    vn, th = Country.objects.get(code="VN"), Country.objects.get(code="TH")
    MembershipTermFactory(city=CityFactory(country=vn))
    country_figures([vn.pk, th.pk])
    MembershipTermFactory(city=CityFactory(country=th))  # bumps country:TH (and its city and region) only
    with django_assert_num_queries(3):  # the tokens, then the two counts, for Thailand alone
        figures = country_figures([vn.pk, th.pk])
    assert (figures[vn.pk].current, figures[th.pk].current) == (1, 1)
    with django_assert_num_queries(1):
        country_figures([vn.pk, th.pk])


def test_network_totals_count_as_the_queryset_does_and_recount_only_the_country_that_changed(
    django_assert_num_queries,
):
    for code in ("VN", "VN", "TH", "IE"):
        MembershipTermFactory(city__country=Country.objects.get(code=code), start_date=datetime.date(2020, 1, 1))
    MembershipTermFactory(city__country=Country.objects.get(code="EG"), former=True)
    CityFactory(country=Country.objects.get(code="BR"))  # never a member
    assert network_totals() == City.objects.current_members().totals() == {"cities": 4, "countries": 3, "regions": 2}
    MembershipTermFactory(city__country=Country.objects.get(code="EG"))  # Egypt has a member again
    with django_assert_num_queries(4):  # regions, tokens, and Egypt's two counts
        assert network_totals() == {"cities": 5, "countries": 4, "regions": 3}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_members_by_country_counts_as_the_queryset_does_for_every_status_and_place(language):
    for code in ("VN", "VN", "TH", "EG", "IE"):
        MembershipTermFactory(city__country=Country.objects.get(code=code))
    for code in ("VN", "EG", "BR"):
        MembershipTermFactory(city__country=Country.objects.get(code=code), former=True)
    CityFactory(country=Country.objects.get(code="DE"))  # never a member: in no status
    vn = Country.objects.get(code="VN")
    places = [(None, None), (vn.region, None), (None, vn)]
    with translation.override(language):
        for status, queryset_status in (("current", "current"), ("former", "former"), ("all", "ever")):
            for region, country in places:
                cities = City.objects.with_status(queryset_status)
                cities = cities.in_region(region) if region else cities.in_country(country) if country else cities
                expected = list(cities.count_by_country())
                assert members_by_country(status, region, country) == expected, (status, region, country)


def test_members_by_country_pages_across_countries_in_the_order_given():
    vn, th = Country.objects.get(code="VN"), Country.objects.get(code="TH")
    names = {vn: ["Hanoi", "Hue", "Da Nang"], th: ["Chiang Mai", "Bangkok"]}
    for country, cities in names.items():
        for name in cities:
            MembershipTermFactory(city=CityFactory(country=country, name=name))
    members = MembersByCountry(City.objects.ever_members(), [(th.pk, 2), (vn.pk, 3)])
    expected = ["Bangkok", "Chiang Mai", "Da Nang", "Hanoi", "Hue"]
    assert members.count() == len(members) == 5
    assert [city.name for city in members[0:5]] == expected
    for start in range(5):
        for stop in range(start, 7):
            assert [city.name for city in members[start:stop]] == expected[start:stop]


def test_members_by_country_leaves_out_countries_with_none():
    vn, th = Country.objects.get(code="VN"), Country.objects.get(code="TH")
    MembershipTermFactory(city=CityFactory(country=vn, name="Hue"))
    members = MembersByCountry(City.objects.ever_members(), [(th.pk, 0), (vn.pk, 1)])
    assert [city.name for city in members[0:100]] == ["Hue"]
    assert MembersByCountry(City.objects.all(), [])[0:100] == []


def test_membership_timeline_turns_terms_into_joined_left_and_readmitted():
    D = datetime.date
    terms = [
        MembershipTerm(start_date=None, end_date=D(2016, 5, 1), end_reason="", source="archive"),
        MembershipTerm(
            start_date=D(2018, 1, 1),
            start_precision=DatePrecision.YEAR,
            end_date=D(2019, 12, 31),
            end_reason=MembershipTerm.EndReason.LAPSED,
        ),
        MembershipTerm(
            start_date=D(2024, 2, 1), start_precision=DatePrecision.MONTH, source="https://uil.unesco.org/x"
        ),
    ]
    events = membership_timeline(terms)
    assert [(e.kind, e.date_display, e.reason) for e in events] == [
        ("joined", "date not recorded", ""),
        ("left", "1 May 2016", "reason not recorded"),
        ("readmitted", "2018", ""),
        ("left", "31 December 2019", "Lapsed (no progress report)"),
        ("readmitted", "February 2024", ""),
    ]
    assert [e.machine_date for e in events] == ["", "2016-05-01", "2018", "2019-12-31", "2024-02"]
    assert [e.source for e in events[:2]] == ["archive", "archive"]


@pytest.mark.parametrize(
    ("source", "url"),
    [
        (
            "https://uil.unesco.org/lifelong-learning/learning-cities",
            "https://uil.unesco.org/lifelong-learning/learning-cities",
        ),
        ("http://example.org/cohort", "http://example.org/cohort"),
        ("UIL press release, 4 December 2025", ""),
        ("javascript:alert(1)", ""),
        ("", ""),
    ],
)
def test_membership_event_links_its_source_only_when_it_is_a_web_address(source, url):
    event = MembershipEvent(MembershipEvent.JOINED, None, DatePrecision.DAY, source=source)
    assert event.source_url == url


def test_join_years_are_the_years_a_term_started_newest_first_read_once(django_assert_num_queries):
    MembershipTermFactory(start_date=datetime.date(2016, 3, 1))
    MembershipTermFactory(start_date=datetime.date(2024, 2, 14))
    MembershipTermFactory(unrecorded=True)
    # The cache versions, the countries, their tokens and their years; then the versions alone.
    with django_assert_num_queries(4):
        assert join_years() == [2024, 2016]
    with django_assert_num_queries(1):
        assert join_years() == [2024, 2016]


def test_join_years_look_again_at_the_edited_country_only(django_assert_num_queries):
    vn, th = Country.objects.get(code="VN"), Country.objects.get(code="TH")
    MembershipTermFactory(city=CityFactory(country=vn), start_date=datetime.date(2016, 3, 1))
    term = MembershipTermFactory(city=CityFactory(country=th), start_date=datetime.date(2019, 5, 1))
    assert join_years() == [2019, 2016]
    term.start_date = datetime.date(2021, 5, 1)
    term.save()  # bumps country:TH and the lists
    with django_assert_num_queries(4) as captured:  # versions, countries, tokens, Thailand's years
        assert join_years() == [2021, 2016]
    assert f"IN ({th.pk})" in captured.captured_queries[-1]["sql"]
    term.delete()
    assert join_years() == [2016]


def test_countries_with_cities_are_named_and_sorted_in_the_active_language():
    for code in ("DE", "EG", "ES"):
        CityFactory(country=Country.objects.get(code=code))
    with translation.override("es"):
        assert countries_with_cities() == [("germany", "Alemania"), ("egypt", "Egipto"), ("spain", "España")]
    with translation.override("fr"):
        assert countries_with_cities() == [("germany", "Allemagne"), ("egypt", "Égypte"), ("spain", "Espagne")]
    assert [name for _, name in countries_with_cities()] == ["Egypt", "Germany", "Spain"]


def test_possible_duplicate_ids_follow_an_edit_and_look_again_at_its_country_only(django_assert_num_queries):
    vn, th = Country.objects.get(code="VN"), Country.objects.get(code="TH")
    first, second = CityFactory(country=vn, name="Sa Dec"), CityFactory(country=vn, name="Sa Đéc")
    CityFactory(country=th, name="Sa Dec")  # the same folded name in another country is no duplicate
    assert possible_duplicate_ids() == sorted([first.pk, second.pk])
    second.name = "Sa Pa"
    second.save()  # bumps country:VN
    with django_assert_num_queries(3):  # the countries, their tokens, Viet Nam's cities looked at again
        assert possible_duplicate_ids() == []
    with django_assert_num_queries(2):
        assert possible_duplicate_ids() == []


def due_network():
    """Members in three countries and two regions, many sharing a join date, with names that sort differently
    by code point and by language (accents, case, a space), a report that moves one on, and two undated."""
    countries = [Country.objects.get(code=code) for code in ("VN", "TH", "IE")]
    names = ["Zeta", "Đà Lạt", "da lat", "Da Lat", "Éire", "eire", "Alpha", "Hà Nội", "ha noi", "B"]
    cities = []
    for n, name in enumerate(names):
        city = CityFactory(country=countries[n % 3], name=name)
        MembershipTermFactory(city=city, start_date=datetime.date(2015 + n % 2, 9, 1))
        cities.append(city)
    ProgressReportFactory(city=cities[0], received_on=datetime.date(2019, 3, 1))  # counted from then
    ProgressReportFactory(city=cities[1], received_on=datetime.date(2024, 3, 1))  # not due on TODAY
    for country in countries[:2]:
        MembershipTermFactory(city=CityFactory(country=country, name="Undated"), unrecorded=True)
    return countries


def test_progress_reports_due_first_merges_the_countries_in_the_order_of_the_query():
    countries = due_network()
    expected = list(cities_due_a_progress_report(TODAY).values_list("pk", flat=True))
    assert len(expected) == 11  # 10 members, one not due, two undated
    for limit in (1, 4, 11, 50):
        assert progress_reports_due_first(TODAY, limit=limit) == expected[:limit]
    asia = countries[0].region
    in_asia = list(cities_due_a_progress_report(TODAY).filter(country__region=asia).values_list("pk", flat=True))
    assert progress_reports_due_first(TODAY, region=asia, limit=50) == in_asia


def test_progress_reports_due_order_dates_first_then_names_by_code_point():
    due_network()
    due = list(cities_due_a_progress_report(TODAY))
    assert [city.counted_from for city in due[:2]] == [datetime.date(2015, 9, 1)] * 2
    assert due[-2:] and {city.name for city in due[-2:]} == {"Undated"}
    assert due[-1].counted_from is None and due[-3].counted_from == datetime.date(2019, 3, 1)
    same_day = [(city.search_name, city.name) for city in due if city.counted_from == datetime.date(2015, 9, 1)]
    assert same_day == sorted(same_day)  # code point order: "Da Lat" before "da lat", as Python sorts


def test_progress_reports_due_counts_overdue_and_undated():
    due_network()
    assert progress_reports_due_counts(TODAY) == (9, 2)


def test_progress_reports_due_look_again_at_the_country_that_changed_only(django_assert_num_queries):
    vn, th, _ie = due_network()
    kept = progress_reports_due(TODAY, [vn.pk, th.pk])
    late = next(row for row in kept[th.pk] if row[0] is not None)
    ProgressReportFactory(city_id=late[-1], received_on=TODAY)  # bumps country:TH only
    with django_assert_num_queries(2) as captured:  # the tokens, then Thailand's members
        again = progress_reports_due(TODAY, [vn.pk, th.pk])
    assert f"IN ({th.pk})" in captured.captured_queries[-1]["sql"]
    assert again[vn.pk] == kept[vn.pk]
    assert late not in again[th.pk] and len(again[th.pk]) == len(kept[th.pk]) - 1
    with django_assert_num_queries(1):
        progress_reports_due(TODAY, [vn.pk, th.pk])
    assert progress_reports_due(datetime.date(2030, 1, 1), [th.pk]) != again  # kept per date
