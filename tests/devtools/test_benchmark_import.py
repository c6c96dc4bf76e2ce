import pytest
from django.core.management import call_command

from imports.models import ImportRecord
from network.models import City

pytestmark = pytest.mark.django_db


def test_benchmark_import_imports_a_generated_cohort_and_rolls_back(capsys):
    call_command("benchmark_import", "--rows", "40")
    out = capsys.readouterr().out
    assert "Apply (checks again, then writes):" in out and "(40 create, 0 update, 0 unchanged, 0 problems)" in out
    assert "Apply the same file again:" in out and "(0 create, 0 update, 40 unchanged, 0 problems)" in out
    assert (City.objects.count(), ImportRecord.objects.count()) == (0, 0)


def test_benchmark_import_keeps_the_cities_with_keep():
    call_command("benchmark_import", "--rows", "12", "--keep")
    assert City.objects.filter(source="benchmark").count() == 12
