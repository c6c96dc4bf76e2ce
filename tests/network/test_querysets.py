"""Who was a member when, city search, and resolving the names sources give countries."""

import datetime

import pytest
from django.utils import timezone, translation

from core.dates import DatePrecision
from network.models import City, Country, MembershipTerm, Region
from tests.network.factories import CityFactory, ClusterMembershipFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)


@pytest.fixture
def rejoined():
    """A city that was a member 2016-2019, left, and was re-admitted in September 2022."""
    city = CityFactory(name="Rejoined")
    MembershipTermFactory(city=city, start_date=D(2016, 1, 1), end_date=D(2019, 12, 31))
    MembershipTermFactory(city=city, start_date=D(2022, 9, 1), start_precision=DatePrecision.MONTH)
    return city


# MembershipTerm ---------------------------------------------------------------------------------


def test_active_on_includes_the_first_and_the_last_day_of_a_term():
    term = MembershipTermFactory(start_date=D(2016, 1, 1), end_date=D(2019, 12, 31))
    assert set(MembershipTerm.objects.active_on(D(2016, 1, 1))) == {term}
    assert set(MembershipTerm.objects.active_on(D(2019, 12, 31))) == {term}
    assert not MembershipTerm.objects.active_on(D(2015, 12, 31)).exists()
    assert not MembershipTerm.objects.active_on(D(2020, 1, 1)).exists()


def test_active_on_counts_a_term_without_a_recorded_start_from_the_beginning():
    term = MembershipTermFactory(start_date=None, end_date=D(2019, 12, 31))
    assert set(MembershipTerm.objects.active_on(D(1950, 1, 1))) == {term}
    assert not MembershipTerm.objects.active_on(D(2020, 1, 1)).exists()


def test_current_terms_are_those_covering_today():
    today = timezone.localdate()
    open_term = MembershipTermFactory(start_date=today - 400 * DAY)
    ending_today = MembershipTermFactory(start_date=today - 400 * DAY, end_date=today)
    MembershipTermFactory(start_date=today - 400 * DAY, end_date=today - DAY)
    MembershipTermFactory(start_date=today + DAY)
    assert set(MembershipTerm.objects.current()) == {open_term, ending_today}


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2019, 12, 31), D(2019, 12, 31), {"closed"}),
        (D(2020, 1, 1), D(2022, 8, 31), set()),
        (D(2020, 1, 1), D(2022, 9, 1), {"open"}),
        (None, D(2015, 12, 31), {"unknown"}),
        (D(2030, 1, 1), None, {"open"}),
        (None, None, {"closed", "open", "unknown"}),
    ],
)
def test_overlapping_finds_terms_sharing_a_day_with_a_span(start, end, expected):
    terms = {
        "closed": MembershipTermFactory(start_date=D(2016, 1, 1), end_date=D(2019, 12, 31)),
        "open": MembershipTermFactory(start_date=D(2022, 9, 1)),
        "unknown": MembershipTermFactory(start_date=None, end_date=D(2010, 6, 30)),
    }
    found = set(MembershipTerm.objects.overlapping(start, end))
    assert found == {terms[name] for name in expected}


# Cities by membership ---------------------------------------------------------------------------


def test_members_on_follows_a_city_that_left_and_rejoined(rejoined):
    assert list(City.objects.members_on(D(2018, 5, 1))) == [rejoined]
    assert list(City.objects.members_on(D(2019, 12, 31))) == [rejoined]
    assert not City.objects.members_on(D(2020, 1, 1)).exists()
    assert not City.objects.members_on(D(2021, 6, 1)).exists()
    assert list(City.objects.members_on(D(2022, 9, 1))) == [rejoined]
    assert list(City.objects.members_on(D(2025, 12, 4))) == [rejoined]


def test_members_on_lists_a_city_once_and_includes_unrecorded_starts():
    unknown = MembershipTermFactory(unrecorded=True).city
    MembershipTermFactory(start_date=D(2024, 2, 14))
    CityFactory()  # never a member
    assert list(City.objects.members_on(D(2020, 1, 1))) == [unknown]
    assert City.objects.members_on(D(2024, 2, 14)).count() == 2


def test_current_former_and_non_members_split_the_cities():
    today = timezone.localdate()
    current = MembershipTermFactory(start_date=today - 30 * DAY).city
    unknown_start = MembershipTermFactory(start_date=None).city
    former = MembershipTermFactory(start_date=D(2016, 1, 1), end_date=today - DAY).city
    left_and_back = CityFactory()
    MembershipTermFactory(city=left_and_back, start_date=D(2016, 1, 1), end_date=D(2017, 12, 31))
    MembershipTermFactory(city=left_and_back, start_date=D(2020, 9, 1))
    observer = CityFactory()

    assert set(City.objects.current_members()) == {current, unknown_start, left_and_back}
    assert set(City.objects.former_members()) == {former}
    assert set(City.objects.non_members()) == {observer}


def test_joined_in_counts_every_term_started_that_year(rejoined):
    joined_2020 = MembershipTermFactory(start_date=D(2020, 9, 23)).city
    MembershipTermFactory(unrecorded=True)
    assert set(City.objects.joined_in(2022)) == {rejoined}
    assert set(City.objects.joined_in(2016)) == {rejoined}
    assert set(City.objects.joined_in(2020)) == {joined_2020}
    assert not City.objects.joined_in(2021).exists()


def test_in_region_follows_the_country():
    vinh = CityFactory(name="Vinh", country=Country.objects.get(code="VN"))
    CityFactory(name="Cork", country=Country.objects.get(code="IE"))
    assert list(City.objects.in_region(Region.objects.get(name="Asia and the Pacific"))) == [vinh]


# Search -----------------------------------------------------------------------------------------


@pytest.fixture
def vietnamese_and_saudi_cities():
    vietnam, saudi_arabia = Country.objects.get(code="VN"), Country.objects.get(code="SA")
    return {
        "Sa Đéc": CityFactory(name="Sa Đéc", country=vietnam),
        "Sơn La": CityFactory(name="Sơn La", country=vietnam),
        "Vinh": CityFactory(name="Vinh", country=vietnam),
        "Jubail": CityFactory(name="Jubail Industrial City", local_name="مدينة الجبيل الصناعية", country=saudi_arabia),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sa Dec", {"Sa Đéc"}),
        ("sa dec", {"Sa Đéc"}),
        ("SA ĐÉC", {"Sa Đéc"}),
        ("  Dec ", {"Sa Đéc"}),
        ("SƠN LA", {"Sơn La"}),
        ("son la", {"Sơn La"}),
        ("الجبيل", {"Jubail"}),
        ("jubail", {"Jubail"}),
        ("Hanoi", set()),
    ],
)
def test_search_ignores_case_and_accents_and_reads_local_names(vietnamese_and_saudi_cities, text, expected):
    found = set(City.objects.search(text))
    assert found == {vietnamese_and_saudi_cities[name] for name in expected}


def test_search_with_blank_text_finds_everything(vietnamese_and_saudi_cities):
    assert City.objects.search("  ").count() == len(vietnamese_and_saudi_cities)


def test_search_finds_a_renamed_city_by_its_new_name():
    city = CityFactory(name="Sa Dec")
    city.name = "Sa Đéc"
    city.save()
    assert list(City.objects.search("đéc")) == [city]


# with_membership --------------------------------------------------------------------------------


def test_with_membership_gives_the_start_of_the_term_covering_the_date_at_its_precision(rejoined):
    first = City.objects.with_membership(D(2018, 1, 1)).get()
    assert (first.is_member, first.member_since, first.member_since_precision) == (True, D(2016, 1, 1), "day")

    gap = City.objects.with_membership(D(2021, 1, 1)).get()
    assert (gap.is_member, gap.has_terms, gap.member_since) == (False, True, None)

    second = City.objects.with_membership(D(2024, 1, 1)).get()
    assert (second.is_member, second.member_since, second.member_since_precision) == (True, D(2022, 9, 1), "month")


def test_with_membership_defaults_to_today():
    today = timezone.localdate()
    city = MembershipTermFactory(start_date=today - 10 * DAY, start_precision=DatePrecision.YEAR).city
    former = MembershipTermFactory(start_date=D(2016, 1, 1), end_date=today - DAY).city
    rows = {c: c for c in City.objects.with_membership()}
    assert (rows[city].is_member, rows[city].member_since_precision) == (True, "year")
    assert (rows[former].is_member, rows[former].has_terms) == (False, True)


def test_with_membership_of_a_member_whose_join_date_was_not_recorded():
    city = MembershipTermFactory(unrecorded=True).city
    annotated = City.objects.with_membership(D(2024, 12, 3)).get(pk=city.pk)
    assert annotated.is_member is True
    assert annotated.member_since is None


def test_with_membership_of_a_city_never_admitted():
    CityFactory()
    annotated = City.objects.with_membership(D(2024, 12, 3)).get()
    assert (annotated.is_member, annotated.has_terms, annotated.member_since) == (False, False, None)


# Countries --------------------------------------------------------------------------------------


def test_with_member_counts_counts_members_on_the_date():
    vietnam = Country.objects.get(code="VN")
    for name in ["Vinh", "Sa Đéc"]:
        MembershipTermFactory(city__name=name, city__country=vietnam, start_date=D(2020, 9, 23))
    MembershipTermFactory(city__name="Sơn La", city__country=vietnam, start_date=D(2024, 2, 1))
    CityFactory(name="Observer", country=vietnam)

    counts = dict(Country.objects.with_member_counts(D(2024, 12, 3)).values_list("code", "member_count"))
    assert counts["VN"] == 3
    assert counts["SA"] == 0
    assert Country.objects.with_member_counts(D(2022, 1, 1)).get(code="VN").member_count == 2


def test_migration_loads_the_five_unesco_regions():
    assert set(Region.objects.values_list("name", flat=True)) == {
        "Africa",
        "Arab States",
        "Asia and the Pacific",
        "Europe and North America",
        "Latin America and the Caribbean",
    }


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("EG", "Arab States"),
        ("MA", "Arab States"),
        ("SA", "Arab States"),
        ("TR", "Europe and North America"),
        ("IE", "Europe and North America"),
        ("VN", "Asia and the Pacific"),
        ("KR", "Asia and the Pacific"),
        ("CI", "Africa"),
        ("CV", "Africa"),
        ("MX", "Latin America and the Caribbean"),
    ],
)
def test_migration_puts_countries_in_unesco_regions(code, region):
    assert Country.objects.get(code=code).region.name == region


def test_migration_loads_every_unesco_member_state():
    assert Country.objects.count() >= 194
    assert not Country.objects.filter(region__isnull=True).exists()


pytestmark = pytest.mark.django_db


def test_ever_members_are_current_and_former_members_but_not_observers():
    current = MembershipTermFactory().city
    former = MembershipTermFactory(former=True).city
    CityFactory()
    assert set(City.objects.ever_members()) == {current, former}


def test_in_cluster_and_in_country():
    vn = Country.objects.get(code="VN")
    city = CityFactory(country=vn)
    membership = ClusterMembershipFactory(city=city)
    CityFactory()
    assert list(City.objects.in_cluster(membership.cluster)) == [city]
    assert list(City.objects.in_country(vn)) == [city]


def test_with_and_without_coordinates():
    placed = CityFactory(latitude=10, longitude=105)
    unplaced = CityFactory()
    assert list(City.objects.with_coordinates()) == [placed]
    assert list(City.objects.without_coordinates()) == [unplaced]


def test_totals_count_member_cities_countries_and_regions():
    for code in ("VN", "VN", "TH", "IE"):
        MembershipTermFactory(city__country=Country.objects.get(code=code), start_date=datetime.date(2020, 1, 1))
    MembershipTermFactory(city__country=Country.objects.get(code="EG"), former=True)
    assert City.objects.current_members().totals() == {"cities": 4, "countries": 3, "regions": 2}


def test_count_by_country_groups_and_orders_by_country_name():
    for code in ("VN", "VN", "IE"):
        CityFactory(country=Country.objects.get(code=code))
    rows = list(City.objects.count_by_country())
    assert rows == [
        {"country_name": "Ireland", "country_slug": "ireland", "count": 1},
        {"country_name": "Viet Nam", "country_slug": "viet-nam", "count": 2},
    ]


def test_countries_having_cities():
    CityFactory(country=Country.objects.get(code="VN"))
    assert list(Country.objects.having_cities().values_list("code", flat=True)) == ["VN"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("current", {"member"}),
        ("former", {"former"}),
        ("never", {"never"}),
        ("ever", {"member", "former"}),
        (None, {"member", "former", "never"}),
    ],
)
def test_with_status_is_the_one_status_filter(status, expected):
    MembershipTermFactory(city__name="member", start_date=datetime.date(2020, 1, 1))
    MembershipTermFactory(
        city__name="former",
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2016, 1, 1),
        end_reason="withdrew",
    )
    CityFactory(name="never")
    assert {c.name for c in City.objects.with_status(status)} == expected


def test_count_by_country_names_and_sorts_countries_in_the_active_language():
    for code in ("DE", "EG", "DK", "ES"):
        CityFactory(country=Country.objects.get(code=code))
    with translation.override("fr"):
        names = [row["country_name"] for row in City.objects.count_by_country()]
    # The collation puts "Égypte" among the E's; a byte-wise order would put it last.
    assert names == ["Allemagne", "Danemark", "Égypte", "Espagne"]
