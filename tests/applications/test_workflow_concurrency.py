"""Two clerks endorsing at the same moment, in real threads with connections of their own: the call's row lock
lets only one pass the last place under the per-country cap."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from applications.models import Endorsement
from applications.status import Status
from applications.workflow import EndorsementData, application_transition
from tests.applications.factories import ApplicationFactory, CallFactory
from tests.network.factories import CountryFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite's shared in-memory test database fails a second writer at once instead of making it wait",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_clerks_at_once_cannot_both_take_the_last_place():
    call, country = CallFactory(per_country_cap=1), CountryFactory()
    first, second = ApplicationFactory.create_batch(2, call=call, country=country)
    endorsement = EndorsementData(commission="NatCom", endorsed_on=datetime.date(2030, 6, 1), endorsed_by="SG")
    barrier = threading.Barrier(2)
    outcomes = []

    def endorse(application):
        try:
            barrier.wait(timeout=10)
            application_transition(application=application, to=Status.ENDORSED, endorsement=endorsement)
            outcomes.append("endorsed")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=endorse, args=(a,)) for a in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 2 and outcomes.count("endorsed") == 1, outcomes
    assert any("cap is 1" in outcome for outcome in outcomes), outcomes
    assert Endorsement.objects.count() == 1
