import datetime

import pytest

from conferences.models import Conference, Delegation
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory, SessionFactory
from tests.network.factories import MembershipTermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    day = datetime.date(2025, 6, 1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)
    return day


def test_last_held_and_next_to_come(today):
    assert Conference.objects.last_held() is None
    assert Conference.objects.next_to_come() is None
    ConferenceFactory(number=5, start_date=datetime.date(2021, 10, 27), end_date=datetime.date(2021, 10, 30))
    iclc6 = ConferenceFactory(number=6)
    undated = ConferenceFactory(number=8, start_date=None, end_date=None)
    assert Conference.objects.last_held() == iclc6
    assert Conference.objects.next_to_come() == undated
    iclc7 = ConferenceFactory(number=7, start_date=datetime.date(2027, 6, 1), end_date=None)
    assert Conference.objects.next_to_come() == iclc7


def test_with_delegations_leaves_out_conferences_nobody_went_to():
    attended = DelegationFactory().conference
    ConferenceFactory()
    assert list(Conference.objects.with_delegations()) == [attended]


def test_public_record_carries_only_publishable_delegates_and_counts_the_others(django_assert_num_queries):
    delegation = DelegationFactory()
    delegation.sessions.add(SessionFactory(conference=delegation.conference))
    DelegateFactory(delegation=delegation, published=True, full_name="Named")
    DelegateFactory(delegation=delegation, full_name="Unnamed 1")
    DelegateFactory(delegation=delegation, full_name="Unnamed 2")
    with django_assert_num_queries(3):
        record = Delegation.objects.public_record().get()
        assert [d.full_name for d in record.public_delegates] == ["Named"]
        assert (record.delegate_count, record.other_delegate_count) == (3, 2)
        assert len(record.sessions.all()) == 1
    assert record.public_delegates[0].get_deferred_fields() >= {"email", "phone", "notes", "position"}


def test_member_split_counts_delegations_by_membership_at_the_time():
    conference = ConferenceFactory()
    member = MembershipTermFactory(start_date=datetime.date(2020, 1, 1)).city
    joined_later = MembershipTermFactory(start_date=datetime.date(2025, 1, 1)).city
    DelegationFactory(conference=conference, city=member)
    DelegationFactory(conference=conference, city=joined_later)
    DelegationFactory(conference=conference)
    assert conference.delegations.member_split() == {"members": 1, "non_members": 2}
