"""Likely duplicates of a city: folded names, names without the sources' affixes, near spellings."""

import pytest

from network.duplicates import core_name, likely_duplicates, similarity
from network.models import Country
from tests.network.factories import CityFactory, CountryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("Son La City", "son la"),
        ("Sơn La", "son la"),
        ("Ciudad de Cuenca", "cuenca"),
        ("Ville de Liège", "liege"),
        ("Seodaemun-gu", "seodaemun"),
        ("Kilifi Town Council", "kilifi"),
        ("Yanbu Industrial City", "yanbu"),
        ("N'Zérékoré", "nzerekore"),
    ],
)
def test_core_name_drops_the_affixes_of_the_sources(name, core):
    assert core_name(name) == core


def test_similarity_is_pg_trgm_similarity():
    # pg_trgm: "medelin" has 8 trigrams, "medellin" 9, 7 shared, 10 in all.
    assert similarity("medelin", "medellin") == pytest.approx(0.7)
    assert similarity("vinh", "vinh") == 1
    assert similarity("", "vinh") == 0


@pytest.mark.parametrize("typed", ["Sa Dec", "SA ĐÉC", "Sa Dec City", "Sa Dec Municipality"])
def test_a_folded_or_affixed_name_finds_the_city(typed):
    vietnam = Country.objects.get(code="VN")
    city = CityFactory(name="Sa Đéc", country=vietnam)
    assert likely_duplicates(typed, vietnam.pk) == [city]


def test_a_near_spelling_finds_the_city():
    colombia = Country.objects.get(code="CO")
    city = CityFactory(name="Medellín", country=colombia)
    assert likely_duplicates("Medelin", colombia.pk) == [city]


def test_other_countries_other_numbers_and_the_city_itself_are_not_duplicates():
    country = CountryFactory()
    kozah = CityFactory(name="Kozah 1", country=country)
    CityFactory(name="Medellín", country=CountryFactory())
    assert likely_duplicates("Medellin", country.pk) == []
    assert likely_duplicates("Kozah 2", country.pk) == []
    assert likely_duplicates("Kozah 1", country.pk, exclude=kozah.pk) == []


def test_vinh_is_not_vinh_long():
    vietnam = Country.objects.get(code="VN")
    CityFactory(name="Vinh Long", country=vietnam)
    assert likely_duplicates("Vinh", vietnam.pk) == []
