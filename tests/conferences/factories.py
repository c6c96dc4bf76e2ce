import datetime

import factory

from conferences.models import Conference, Delegate, Delegation, Session, Venue
from tests.network.factories import CityFactory


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Convention centre {n}")
    city = factory.SubFactory(CityFactory)


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    number = factory.Sequence(lambda n: 100 + n)
    short_name = factory.LazyAttribute(lambda o: f"ICLC {o.number}")
    slug = factory.LazyAttribute(lambda o: f"iclc-{o.number}")
    title = factory.Sequence(lambda n: f"Learning cities theme {n}")
    start_date = datetime.date(2024, 12, 3)
    end_date = datetime.date(2024, 12, 5)
    host_city = factory.SubFactory(CityFactory)
    venue = factory.SubFactory(VenueFactory, city=factory.SelfAttribute("..host_city"))
    attendance_stated = "about 1,200 delegates"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    conference = factory.SubFactory(ConferenceFactory)
    kind = Session.Kind.PLENARY
    title = factory.Sequence(lambda n: f"Session {n}")
    date = factory.LazyAttribute(lambda o: o.conference.start_date)


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    conference = factory.SubFactory(ConferenceFactory)
    city = factory.SubFactory(CityFactory)


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegate

    delegation = factory.SubFactory(DelegationFactory)
    full_name = factory.Sequence(lambda n: f"Delegate Person {n}")
    role = Delegate.Role.POLICYMAKER
    position = "Head of lifelong learning"
    organisation = "City hall"
    email = factory.Sequence(lambda n: f"delegate{n}@example.org")
    phone = "+84 24 0000 0000"
    notes = "Private staff note"

    class Params:
        published = factory.Trait(is_public=True)
