"""Counts per conference, and whether a delegation's city was a member on the conference dates."""

import datetime

import pytest
from django.utils import timezone

from conferences.models import Conference, Delegate, Delegation
from network.models import Country
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory, SessionFactory
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)


def test_with_counts_counts_delegations_cities_countries_and_delegates():
    vietnam, saudi_arabia = Country.objects.get(code="VN"), Country.objects.get(code="SA")
    iclc6 = ConferenceFactory(number=6)
    delegate_numbers = {"Vinh": 2, "Sa Đéc": 1, "Sơn La": 0, "Yanbu": 3}
    for name, delegates in delegate_numbers.items():
        country = saudi_arabia if name == "Yanbu" else vietnam
        delegation = DelegationFactory(conference=iclc6, city=CityFactory(name=name, country=country))
        DelegateFactory.create_batch(delegates, delegation=delegation)
    other = ConferenceFactory(number=5)
    DelegateFactory.create_batch(4, delegation=DelegationFactory(conference=other))
    ConferenceFactory(number=7, start_date=None, end_date=None)

    counts = {
        c.number: (c.delegation_count, c.city_count, c.country_count, c.delegate_count)
        for c in Conference.objects.with_counts()
    }
    assert counts == {6: (4, 4, 2, 6), 5: (1, 1, 1, 4), 7: (0, 0, 0, 0)}


def test_with_counts_runs_one_query(django_assert_num_queries):
    DelegateFactory.create_batch(3)
    with django_assert_num_queries(1):
        assert len(list(Conference.objects.with_counts())) == 3


@pytest.fixture
def iclc6():
    return ConferenceFactory(number=6, start_date=D(2024, 12, 3), end_date=D(2024, 12, 5))


@pytest.mark.parametrize(
    ("terms", "was_member"),
    [
        pytest.param([(D(2020, 9, 23), None)], True, id="member"),
        pytest.param([], False, id="non-member-observer"),
        pytest.param([(D(2016, 1, 1), D(2024, 12, 2))], False, id="term-ended-before-the-conference"),
        pytest.param([(None, None)], True, id="member-with-unrecorded-start"),
        pytest.param([(D(2025, 12, 4), None)], False, id="admitted-after-the-conference"),
        pytest.param([(D(2024, 12, 5), None)], True, id="admitted-on-the-last-day"),
        pytest.param([(D(2016, 1, 1), D(2024, 12, 3))], True, id="term-ended-on-the-first-day"),
        pytest.param(
            [(D(2014, 1, 1), D(2016, 12, 31)), (D(2025, 1, 1), None)], False, id="in-the-gap-between-two-terms"
        ),
    ],
)
def test_with_member_status_tells_whether_the_city_was_a_member_during_the_conference(iclc6, terms, was_member):
    delegation = DelegationFactory(conference=iclc6)
    for start, end in terms:
        MembershipTermFactory(city=delegation.city, start_date=start, end_date=end)
    assert Delegation.objects.with_member_status().get().city_was_member is was_member


def test_with_member_status_uses_each_delegations_own_conference():
    city = CityFactory()
    MembershipTermFactory(city=city, start_date=D(2020, 9, 23), end_date=D(2022, 12, 31))
    DelegationFactory(city=city, conference=ConferenceFactory(start_date=D(2021, 10, 27), end_date=D(2021, 10, 30)))
    DelegationFactory(city=city, conference=ConferenceFactory(start_date=D(2024, 12, 3), end_date=D(2024, 12, 5)))
    status = dict(Delegation.objects.with_member_status().values_list("conference__start_date", "city_was_member"))
    assert status == {D(2021, 10, 27): True, D(2024, 12, 3): False}


def test_with_delegate_counts_counts_each_delegation():
    big = DelegationFactory()
    DelegateFactory.create_batch(3, delegation=big)
    empty = DelegationFactory()
    counts = dict(Delegation.objects.with_delegate_counts().values_list("pk", "delegate_count"))
    assert counts == {big.pk: 3, empty.pk: 0}


def test_past_and_upcoming_conferences_are_relative_to_today():
    today = timezone.localdate()
    past = ConferenceFactory(start_date=today - 10 * DAY, end_date=today - 8 * DAY)
    running = ConferenceFactory(start_date=today - DAY, end_date=today + DAY)
    ends_today = ConferenceFactory(start_date=today - 2 * DAY, end_date=today)
    planned = ConferenceFactory(start_date=None, end_date=None)
    next_year = ConferenceFactory(start_date=today + 365 * DAY, end_date=None)
    assert set(Conference.objects.past()) == {past}
    assert set(Conference.objects.upcoming()) == {running, ends_today, planned, next_year}


def test_public_delegates_are_those_staff_cleared():
    cleared = DelegateFactory(published=True)
    DelegateFactory()
    assert list(Delegate.objects.public()) == [cleared]


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


def test_counts_by_conference_agree_with_with_counts():
    vietnam = Country.objects.get(code="VN")
    iclc6, iclc5 = ConferenceFactory(number=6), ConferenceFactory(number=5)
    for name, delegates in {"Vinh": 2, "Sa Đéc": 0}.items():
        delegation = DelegationFactory(conference=iclc6, city=CityFactory(name=name, country=vietnam))
        DelegateFactory.create_batch(delegates, delegation=delegation)
    DelegateFactory.create_batch(3, delegation=DelegationFactory(conference=iclc5))
    ConferenceFactory(number=7)
    names = ["delegation_count", "city_count", "country_count", "delegate_count"]
    annotated = {c.pk: {name: getattr(c, name) for name in names} for c in Conference.objects.with_counts()}

    grouped = Delegation.objects.counts_by_conference()

    assert grouped == {pk: counts for pk, counts in annotated.items() if counts["delegation_count"]}
    assert grouped[iclc6.pk] == {"delegation_count": 2, "city_count": 2, "country_count": 1, "delegate_count": 2}


def test_with_delegate_counts_counts_each_delegations_own_delegates(django_assert_num_queries):
    busy, empty = DelegationFactory(), DelegationFactory()
    DelegateFactory.create_batch(2, delegation=busy, published=True)
    DelegateFactory(delegation=busy)
    with django_assert_num_queries(1):
        counts = {d.pk: (d.delegate_count, d.other_delegate_count) for d in Delegation.objects.with_delegate_counts()}
    assert counts == {busy.pk: (3, 1), empty.pk: (0, 0)}
