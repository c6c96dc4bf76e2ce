from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from conferences.models import Conference, Delegate
from core.cache import generation
from network.models import City
from tests.network.factories import CityFactory

pytestmark = pytest.mark.django_db

TINY = {"cities": 25, "conferences": 2, "delegates": 80, "seed": 9}


def generate(**options) -> str:
    out = StringIO()
    call_command("generate_network", stdout=out, **{**TINY, **options})
    return out.getvalue()


def test_overrides_replace_the_preset_sizes_and_the_summary_reports_them():
    output = generate()
    assert (City.objects.count(), Conference.objects.count(), Delegate.objects.count()) == (25, 2, 80)
    assert "Generating 25 cities, 2 conferences and 80 delegates (seed 9)" in output
    assert "  cities: 25\n" in output
    assert "  delegates: 80\n" in output


def test_refuses_to_run_again_without_replace():
    generate()
    with pytest.raises(CommandError, match=r"already holds generated data \(25 cities, 2 conferences.*--replace"):
        generate(cities=5)
    assert City.objects.count() == 25


def test_replace_deletes_what_it_generated_and_keeps_the_rest():
    kept = CityFactory()
    generate()
    output = generate(replace=True, cities=10)
    assert "Deleting the data generated earlier:" in output
    assert "  cities: 25\n" in output
    assert City.objects.count() == 11
    assert City.objects.filter(pk=kept.pk).exists()


def test_rejects_delegates_without_conferences():
    with pytest.raises(CommandError, match="give --conferences 1 or more"):
        generate(conferences=0)
    assert not City.objects.exists()


def test_rejects_conferences_without_cities():
    with pytest.raises(CommandError, match="give --cities 1 or more"):
        generate(cities=0, delegates=0)


def test_rejects_negative_sizes():
    with pytest.raises(CommandError, match="must be 0 or more"):
        call_command("generate_network", "--cities", "-1")


def test_generating_makes_the_cached_figures_stale():
    # Rows go in with bulk_create and COPY, which send no signals: the command says the records changed.
    before = generation()
    generate()
    assert generation() != before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's")
def test_every_table_written_has_statistics_for_the_planner_at_once():
    generate()
    tables = ["network_city", "network_award", "conferences_session", "conferences_delegation_sessions"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [tables])
        estimates = dict(cursor.fetchall())
    # -1 means never analysed: the planner would guess, and has chosen to walk every session in order.
    assert all(estimates[table] >= 0 for table in tables), estimates
