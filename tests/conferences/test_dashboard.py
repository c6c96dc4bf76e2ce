import datetime

import pytest

from conferences.dashboard import next_conference_panel
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory

pytestmark = pytest.mark.django_db


def test_next_conference_panel_shows_the_delegations_recorded_so_far(staff_client):
    ConferenceFactory(
        number=6, short_name="ICLC 6", start_date=datetime.date(2024, 12, 3), end_date=datetime.date(2024, 12, 5)
    )
    iclc7 = ConferenceFactory(
        number=7, short_name="ICLC 7", start_date=datetime.date(2099, 9, 1), end_date=datetime.date(2099, 9, 3)
    )
    delegation = DelegationFactory(conference=iclc7)
    DelegateFactory(delegation=delegation)
    DelegateFactory(delegation=delegation)
    DelegationFactory(conference=iclc7)
    panel = next_conference_panel(datetime.date.today())
    assert panel.title == "Next conference: ICLC 7"
    assert [(f.label, f.value) for f in panel.figures[1:]] == [
        ("Delegations recorded", 2),
        ("Countries", 2),
        ("Delegates recorded", 2),
    ]
    for figure in panel.figures:
        assert staff_client.get(figure.url).status_code == 200
    assert "ICLC 7" in staff_client.get(panel.figures[1].url).text


def test_next_conference_panel_when_none_is_planned():
    assert next_conference_panel(datetime.date.today()).figures[0].label == "No conference planned"
