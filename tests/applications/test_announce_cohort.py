import datetime

import pytest
from django.core.management import CommandError, call_command

from applications.status import Status
from network.models import MembershipTerm
from tests.applications.factories import ApplicationFactory, CallFactory
from tests.network.factories import MembershipTermFactory

pytestmark = pytest.mark.django_db


def test_the_command_admits_the_recommended_on_the_date(capsys):
    call = CallFactory(year=2030)
    ApplicationFactory.create_batch(2, call=call, status=Status.RECOMMENDED)
    ApplicationFactory(call=call, status=Status.ENDORSED)
    call_command("announce_cohort", "2030", "--date", "2030-12-04")
    assert "2 cities admitted" in capsys.readouterr().out
    assert list(MembershipTerm.objects.values_list("start_date", flat=True)) == [datetime.date(2030, 12, 4)] * 2


def test_the_dry_run_changes_nothing(capsys):
    ApplicationFactory(call=CallFactory(year=2030), status=Status.RECOMMENDED, proposed_city_name="Dry Town")
    call_command("announce_cohort", "2030", "--dry-run")
    assert "would admit Dry Town" in capsys.readouterr().out
    assert not MembershipTerm.objects.exists()


def test_the_command_refuses_all_with_the_reason():
    call = CallFactory(year=2030)
    ApplicationFactory(call=call, status=Status.RECOMMENDED)
    blocked = ApplicationFactory(call=call, status=Status.RECOMMENDED, existing=True)
    MembershipTermFactory(city=blocked.city)
    with pytest.raises(CommandError, match=blocked.city.name):
        call_command("announce_cohort", "2030", "--date", "2030-12-04")
    assert MembershipTerm.objects.count() == 1


def test_an_unknown_year_is_a_clear_error():
    with pytest.raises(CommandError, match="no call for 1999"):
        call_command("announce_cohort", "1999")
