import datetime

import factory

from applications.models import Application, Attachment, Call, Decision, Endorsement, Review, Transition
from applications.status import Status
from tests.network.factories import CityFactory, CountryFactory


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        django_get_or_create = ["year"]

    year = factory.Sequence(lambda n: 2030 + n)
    opens_on = factory.LazyAttribute(lambda call: datetime.date(call.year, 4, 1))
    closes_on = factory.LazyAttribute(lambda call: datetime.date(call.year, 5, 31))
    per_country_cap = 3
    how_to_apply = "Ask the secretariat for your link."


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A received application of a new city (no record yet); `existing=True` for a city the registry knows."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    country = factory.SubFactory(CountryFactory)
    proposed_city_name = factory.Sequence(lambda n: f"Applicant Town {n}")
    status = Status.RECEIVED
    submitted_at = factory.LazyFunction(lambda: datetime.datetime(2030, 5, 1, 9, 0, tzinfo=datetime.UTC))
    language = "en"
    website = "https://example.org/"
    mayor_name = "Mayor Testperson"
    mayor_title = "Mayor"
    contact_name = "Contact Testperson"
    contact_address = "1 Test Street"
    contact_phone = "+00 000 000"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    population = 100000
    vision = "To learn throughout life."
    plans = "Libraries in every district."
    challenges = factory.LazyFunction(lambda: {"literacy": 3})

    class Params:
        existing = factory.Trait(
            city=factory.SubFactory(CityFactory, country=factory.SelfAttribute("..country")), proposed_city_name=""
        )
        draft = factory.Trait(status=Status.DRAFT, submitted_at=None)


class TransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transition

    application = factory.SubFactory(ApplicationFactory)
    from_status = Status.DRAFT
    to_status = Status.RECEIVED
    at = factory.LazyFunction(lambda: datetime.datetime(2030, 5, 1, 9, 0, tzinfo=datetime.UTC))
    by_name = "clerk"


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    application = factory.SubFactory(ApplicationFactory)
    file = factory.django.FileField(filename="letter.pdf", data=b"%PDF-1.4\n%test\n")
    title = "Mayor's letter"


class EndorsementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endorsement

    application = factory.SubFactory(ApplicationFactory, status=Status.ENDORSED)
    commission = "National Commission for UNESCO of Testland"
    endorsed_on = datetime.date(2030, 6, 1)
    endorsed_by = "Secretary-General"


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    application = factory.SubFactory(ApplicationFactory, status=Status.UNDER_REVIEW)
    jury_member = factory.Sequence(lambda n: f"Jury member {n}")
    recommendation = Review.Recommendation.RECOMMEND
    score = 4
    comment = "A clear plan."


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    application = factory.SubFactory(ApplicationFactory, status=Status.NOT_ADMITTED)
    outcome = Decision.Outcome.NOT_ADMITTED
    decided_on = datetime.date(2030, 12, 1)
    reason = "Plan not yet adopted."
