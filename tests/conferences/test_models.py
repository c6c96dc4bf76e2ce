"""The conference rules hold when forms are bypassed (the database refuses) and full_clean() explains them."""

import datetime
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from conferences.models import Conference, Delegate, Delegation, Session
from core.dates import DatePrecision
from tests.conferences.factories import (
    ConferenceFactory,
    DelegateFactory,
    DelegationFactory,
    SessionFactory,
    VenueFactory,
)
from tests.network.factories import CityFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@contextmanager
def refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


# Conferences ----------------------------------------------------------------------------------


def test_database_refuses_a_conference_ending_before_it_starts():
    with refused_by_database():
        ConferenceFactory(start_date=D(2024, 12, 5), end_date=D(2024, 12, 3))


def test_database_refuses_a_bulk_update_ending_a_conference_before_it_starts():
    conference = ConferenceFactory(start_date=D(2024, 12, 3), end_date=D(2024, 12, 5))
    with refused_by_database():
        Conference.objects.filter(pk=conference.pk).update(end_date=D(2024, 12, 2))
    conference.refresh_from_db()
    assert conference.end_date == D(2024, 12, 5)


def test_database_accepts_a_one_day_conference_and_a_planned_one_without_dates():
    ConferenceFactory(start_date=D(2024, 12, 3), end_date=D(2024, 12, 3))
    ConferenceFactory(start_date=None, end_date=None)


def test_full_clean_explains_a_conference_ending_before_it_starts():
    conference = ConferenceFactory.build(start_date=D(2024, 12, 5), end_date=D(2024, 12, 3), host_city=None, venue=None)
    with pytest.raises(ValidationError) as error:
        conference.full_clean()
    assert "A conference cannot end before it starts." in error.value.messages


def test_database_refuses_conference_number_zero():
    with refused_by_database():
        ConferenceFactory(number=0)


def test_full_clean_explains_conference_number_zero():
    conference = ConferenceFactory.build(number=0, host_city=None, venue=None)
    with pytest.raises(ValidationError) as error:
        conference.full_clean()
    assert "Numbers start at 1." in error.value.messages


@pytest.mark.parametrize(
    ("start", "end", "precision", "expected"),
    [
        (D(2024, 12, 3), D(2024, 12, 5), DatePrecision.DAY, "3–5 December 2024"),
        (D(2019, 9, 30), D(2019, 10, 3), DatePrecision.DAY, "30 September – 3 October 2019"),
        (D(2021, 10, 27), D(2021, 10, 27), DatePrecision.DAY, "27 October 2021"),
        (D(2027, 1, 1), None, DatePrecision.YEAR, "2027"),
        (None, None, DatePrecision.DAY, "dates to be announced"),
    ],
)
def test_conference_dates_display_at_their_precision(start, end, precision, expected):
    conference = Conference(start_date=start, end_date=end, date_precision=precision)
    assert conference.dates_display == expected


# Sessions -------------------------------------------------------------------------------------


def test_full_clean_refuses_a_session_outside_the_conference_dates():
    conference = ConferenceFactory(start_date=D(2024, 12, 3), end_date=D(2024, 12, 5))
    session = Session(conference=conference, title="Study visit to Jubail", date=D(2024, 12, 6))
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert error.value.message_dict["date"] == ["The date must fall within the conference (3–5 December 2024)."]

    session.date = D(2024, 12, 5)
    session.full_clean()


# Delegations ----------------------------------------------------------------------------------


def test_database_refuses_a_second_delegation_of_a_city_to_a_conference():
    delegation = DelegationFactory()
    with refused_by_database():
        Delegation.objects.create(conference=delegation.conference, city=delegation.city)
    Delegation.objects.create(conference=ConferenceFactory(), city=delegation.city)
    Delegation.objects.create(conference=delegation.conference, city=CityFactory())
    assert Delegation.objects.count() == 3


def test_database_refuses_moving_a_delegation_onto_another_of_the_same_city():
    delegation = DelegationFactory()
    other = DelegationFactory(city=delegation.city)
    with refused_by_database():
        Delegation.objects.filter(pk=other.pk).update(conference=delegation.conference)


def test_full_clean_explains_a_second_delegation_of_a_city():
    delegation = DelegationFactory()
    with pytest.raises(ValidationError) as error:
        Delegation(conference=delegation.conference, city=delegation.city).full_clean()
    assert error.value.messages == ["This city already has a delegation at this conference."]


# Delegates ------------------------------------------------------------------------------------


def test_database_refuses_a_second_head_of_delegation():
    head = DelegateFactory(is_head=True)
    with refused_by_database():
        DelegateFactory(delegation=head.delegation, is_head=True)
    DelegateFactory(delegation=head.delegation, is_head=False)
    DelegateFactory(delegation=DelegationFactory(conference=head.delegation.conference), is_head=True)
    assert Delegate.objects.filter(is_head=True).count() == 2


def test_database_refuses_a_bulk_update_making_two_heads():
    head = DelegateFactory(is_head=True)
    other = DelegateFactory(delegation=head.delegation)
    with refused_by_database():
        Delegate.objects.filter(pk=other.pk).update(is_head=True)


def test_full_clean_explains_a_second_head_of_delegation():
    head = DelegateFactory(is_head=True)
    second = DelegateFactory.build(delegation=head.delegation, is_head=True)
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert error.value.messages == ["A delegation has one head."]
    head.full_clean()  # the head itself is not its own duplicate


# Deleting records with history ----------------------------------------------------------------


def test_deleting_a_conference_with_delegations_is_refused():
    conference = DelegationFactory().conference
    with pytest.raises(ProtectedError):
        conference.delete()
    assert Conference.objects.filter(pk=conference.pk).exists()


def test_deleting_a_conference_without_delegations_takes_its_sessions():
    session = SessionFactory()
    session.conference.delete()
    assert not Session.objects.filter(pk=session.pk).exists()


def test_deleting_a_delegation_with_delegates_is_refused():
    delegation = DelegateFactory().delegation
    with pytest.raises(ProtectedError):
        delegation.delete()
    assert Delegation.objects.filter(pk=delegation.pk).exists()


@pytest.mark.parametrize(
    "make_history",
    [
        pytest.param(lambda city: DelegationFactory(city=city), id="delegation"),
        pytest.param(lambda city: ConferenceFactory(host_city=city), id="hosted-conference"),
        pytest.param(lambda city: VenueFactory(city=city), id="venue"),
    ],
)
def test_deleting_a_city_with_conference_history_is_refused(make_history):
    city = CityFactory()
    make_history(city)
    with pytest.raises(ProtectedError):
        city.delete()


def test_deleting_a_venue_used_by_a_conference_is_refused():
    venue = ConferenceFactory().venue
    with pytest.raises(ProtectedError):
        venue.delete()


def test_delegate_private_fields_are_named():
    assert set(Delegate.PRIVATE_FIELDS) == {"email", "phone", "notes"}
