"""The data migration that stores existing text as core.text.normalise_text makes it (network 0012)."""

import importlib

import pytest
from django.apps import apps

from network.models import City, MembershipTerm
from tests.network.factories import CityFactory, CountryFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("network.migrations.0012_one_city_one_record")


def test_existing_rows_are_normalised_and_a_row_that_would_repeat_another_is_named(capsys):
    country = CountryFactory()
    CityFactory(name="Vinh", country=country)
    City.objects.bulk_create(
        [
            City(name="Vinh\u200b", country=country, slug="vinh-2", search_name="vinh\u200b"),
            City(name="Sa\u00a0Đéc ", country=country, slug="sa-dec", local_name="Сa\u200b"),
        ]
    )
    term = MembershipTermFactory(notes="Cohort\u00a0 2020\u200b")

    migration.normalise_rows(apps, None)

    sa_dec = City.objects.get(slug="sa-dec")
    assert (sa_dec.name, sa_dec.search_name, sa_dec.local_name) == ("Sa Đéc", "sa dec", "Сa")
    assert MembershipTerm.objects.get(pk=term.pk).notes == "Cohort 2020"
    assert City.objects.get(slug="vinh-2").name == "Vinh\u200b"  # left for staff to merge, and named:
    assert "repeats another record once normalised: merge them" in capsys.readouterr().out
