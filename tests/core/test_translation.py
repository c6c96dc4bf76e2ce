import pytest
from django.utils import translation

from core.translation import (
    collation_key,
    content_language,
    localized,
    localized_ordering,
    sorted_by_name,
    translated_path,
)
from network.models import City, Country, Region
from tests.network.factories import CityFactory, CountryFactory, RegionFactory


def test_content_language_reduces_a_regional_variant_to_a_site_language():
    assert content_language("en-gb") == "en"
    assert content_language("fr-ca") == "fr"
    assert content_language("ar") == "ar"
    assert content_language("de") == "en"  # not a site language: English


def test_content_language_is_the_active_language_by_default():
    with translation.override("es"):
        assert content_language() == "es"


def test_translated_path_finds_translated_fields_through_relations():
    assert translated_path(City, "country__name") == "country__name"
    assert translated_path(City, "country__region__name") == "country__region__name"
    # A path modeltranslation has already rewritten to one language reads as the field itself.
    assert translated_path(City, "country__name_fr") == "country__name"
    assert translated_path(City, "country__code") is None
    assert translated_path(City, "name") is None  # a city's name is not translated: one name, many scripts
    assert translated_path(City, "members") is None
    assert translated_path(City, "country__code__name") is None


@pytest.mark.django_db
def test_localized_reads_the_language_and_falls_back_to_english():
    region = RegionFactory(name="Test region", slug="test-region")
    Region.objects.filter(pk=region.pk).update(name_fr="Région d'essai", name_es="")
    CityFactory(country=CountryFactory(region=region))
    rows = City.objects.filter(country__region=region)
    with translation.override("fr"):
        assert rows.values_list(localized("country__region__name"), flat=True).get() == "Région d'essai"
    # Spanish is empty and Arabic NULL: both fall back to English.
    assert rows.values_list(localized("country__region__name", "es"), flat=True).get() == "Test region"
    assert rows.values_list(localized("country__region__name", "ar"), flat=True).get() == "Test region"


def test_collation_key_sorts_accented_letters_with_their_base_letter():
    names = ["Zimbabwe", "Égypte", "Espagne", "Danemark", "Éthiopie", "Émirats arabes unis"]
    assert sorted(names, key=collation_key) == [
        "Danemark",
        "Égypte",
        "Émirats arabes unis",
        "Espagne",
        "Éthiopie",
        "Zimbabwe",
    ]
    assert sorted(names)[-1] == "Éthiopie"  # what a plain sort does instead


def test_sorted_by_name_sorts_arabic_in_alphabetical_order():
    # alif, ba, ta, jim: ا ب ت ج (hamza on alif sorts with alif)
    names = ["جيبوتي", "تونس", "الأردن", "البحرين"]
    assert sorted_by_name(names, name=str) == ["الأردن", "البحرين", "تونس", "جيبوتي"]


def test_localized_ordering_keeps_other_entries():
    ordering = localized_ordering(Country, ["-name", "code", "pk"])
    assert ordering[1:] == ["code", "pk"]
    assert ordering[0].descending
