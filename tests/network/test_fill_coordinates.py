from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from core.cache import generation
from network.models import Country
from tests.network.factories import CityFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("fill_coordinates", *args, stdout=out)
    return out.getvalue()


def test_fill_coordinates_places_known_cities_and_reports_the_rest():
    sa_dec = CityFactory(name="Sa Đéc", country=Country.objects.get(code="VN"))
    unknown = CityFactory(name="Nowhere Special", country=Country.objects.get(code="VN"))
    output = run()
    sa_dec.refresh_from_db()
    unknown.refresh_from_db()
    assert abs(sa_dec.latitude - Decimal("10.29")) < 1
    assert abs(sa_dec.longitude - Decimal("105.76")) < 1
    assert unknown.latitude is None
    assert "2/2 looked up, 1 found" in output
    assert "Filled coordinates for 1 of 2 cities." in output
    assert "1 not found in GeoNames: Nowhere Special (VN)" in output


def test_fill_coordinates_never_overwrites_coordinates_already_set():
    corrected = CityFactory(
        name="Sa Đéc", country=Country.objects.get(code="VN"), latitude=Decimal("10.3"), longitude=Decimal("105.7")
    )
    output = run()
    corrected.refresh_from_db()
    assert (corrected.latitude, corrected.longitude) == (Decimal("10.3"), Decimal("105.7"))
    assert "nothing to do" in output


def test_fill_coordinates_dry_run_changes_nothing():
    city = CityFactory(name="Sa Đéc", country=Country.objects.get(code="VN"))
    output = run("--dry-run")
    city.refresh_from_db()
    assert city.latitude is None
    assert "Would fill coordinates for 1 of 1 cities." in output


def test_filling_coordinates_makes_the_cached_map_stale():
    # The command writes with update(), which sends no signals: it says itself that the records changed.
    CityFactory(name="Sa Đéc", country=Country.objects.get(code="VN"))
    before = generation()
    run("--dry-run")
    assert generation() == before
    run()
    assert generation() != before
