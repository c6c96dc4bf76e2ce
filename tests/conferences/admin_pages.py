"""The conferences admins under the shared harness (tests/test_admin_pages.py, tests/test_admin_bad_input.py): how
to build their rows, the records the generated posts collide with, and the change forms they post to."""

from conferences.models import Conference, Delegate, Delegation, Session, Venue
from network.models import Country
from tests.admin_pages import AppPages
from tests.conferences.factories import (
    ConferenceFactory,
    DelegateFactory,
    DelegationFactory,
    SessionFactory,
    VenueFactory,
)
from tests.network.factories import CityFactory, MembershipTermFactory


def build_venues(n):
    venue, *others = VenueFactory.create_batch(n)
    for other in [venue, *others]:
        ConferenceFactory(venue=other, host_city=other.city)
    return venue


def build_conferences(n):
    """n conferences; the first has n sessions and n delegations, the inline rows of its page."""
    conference, *_ = ConferenceFactory.create_batch(n)
    SessionFactory.create_batch(n, conference=conference)
    for delegation in DelegationFactory.create_batch(n, conference=conference):
        DelegateFactory(delegation=delegation)
        MembershipTermFactory(city=delegation.city)
    return conference


def build_sessions(n):
    session, *_ = SessionFactory.create_batch(n)
    for delegation in DelegationFactory.create_batch(n, conference=session.conference):
        delegation.sessions.add(session)
    return session


def build_delegations(n):
    """n delegations; the first has n delegates and took part in n sessions."""
    delegation, *others = DelegationFactory.create_batch(n)
    for other in others:
        DelegateFactory(delegation=other)
        MembershipTermFactory(city=other.city)
    DelegateFactory.create_batch(n, delegation=delegation)
    delegation.sessions.set(SessionFactory.create_batch(n, conference=delegation.conference))
    return delegation


def build_delegates(n):
    return DelegateFactory.create_batch(n)[0]


def world(network):
    """Two conferences with delegations, heads of delegation, sessions and a venue to collide with."""
    VenueFactory(name="Jubail Convention Centre", city=network.jubail)
    SessionFactory(conference=network.iclc6, title="Opening plenary")
    SessionFactory(conference=network.iclc5, title="Study visit")
    return network


def many_rows():
    """More than 100 cities, conferences, venues, sessions and delegations."""
    cities = CityFactory.create_batch(101, country=Country.objects.get(code="VN"))
    venue = VenueFactory(city=cities[0])
    conferences = ConferenceFactory.create_batch(101, host_city=cities[0], venue=venue)
    VenueFactory.create_batch(101, city=cities[0])
    SessionFactory.create_batch(101, conference=conferences[0])
    for city in cities:
        DelegationFactory(conference=conferences[0], city=city)


ADMIN = AppPages(
    pages={
        Venue: (build_venues, "Convention"),
        Conference: (build_conferences, "ICLC"),
        Session: (build_sessions, "Session"),
        Delegation: (build_delegations, "City"),
        Delegate: (build_delegates, "Delegate Person"),
    },
    world=world,
    change_pages={
        "conference-with-sessions-and-delegations": lambda w: w.iclc6,
        "delegation-with-delegates-and-sessions": lambda w: w.iclc6.delegations.get(city=w.vinh),
    },
    many_rows=many_rows,
)
