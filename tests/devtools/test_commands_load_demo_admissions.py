import pytest
from django.core.management import call_command

from applications.models import Application, Call
from applications.status import Status
from network.models import City

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_2025_call_with_one_fictional_application_in_every_status():
    call_command("load_demo_admissions")
    call = Call.objects.get(year=2025)
    statuses = sorted(call.applications.values_list("status", flat=True))
    assert statuses == sorted(Status.values)
    assert all("(fictional)" in a.city_name for a in Application.objects.select_related("city"))
    admitted = call.applications.get(status=Status.ADMITTED)
    assert admitted.city.membership_terms.get().start_date.isoformat() == "2025-12-04"


def test_the_demo_loads_once():
    call_command("load_demo_admissions")
    call_command("load_demo_admissions")
    assert Application.objects.count() == 9
    assert City.objects.filter(name__contains="fictional").count() == 1
