import csv
import datetime
import string
from pathlib import Path

import factory

import network
from core.dates import DatePrecision
from network.models import (
    Award,
    City,
    CitySlugRedirect,
    Cluster,
    ClusterMembership,
    Country,
    CountryAlias,
    MembershipTerm,
    ProgressReport,
    Region,
    Reminder,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Test region {n}")
    slug = factory.Sequence(lambda n: f"test-region-{n}")


def _unused_codes() -> list[str]:
    """Two-letter codes no real country in the migration uses, so made-up countries never collide."""
    with (Path(network.__file__).parent / "data" / "countries.csv").open(encoding="utf-8") as f:
        taken = {row["code"] for row in csv.DictReader(f)}
    letters = string.ascii_uppercase
    return [a + b for a in letters for b in letters if a + b not in taken]


UNUSED_CODES = _unused_codes()


class CountryFactory(factory.django.DjangoModelFactory):
    """A made-up country; use Country.objects.get(code="VN") for the real ones the migration loads."""

    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: UNUSED_CODES[n % len(UNUSED_CODES)])
    name = factory.Sequence(lambda n: f"Testland {n}")
    slug = factory.Sequence(lambda n: f"testland-{n}")
    region = factory.SubFactory(RegionFactory)


class CountryAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountryAlias

    country = factory.SubFactory(CountryFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"City {n}")
    country = factory.SubFactory(CountryFactory)
    province = "Test province"


class MembershipTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipTerm

    city = factory.SubFactory(CityFactory)
    start_date = datetime.date(2020, 9, 23)
    start_precision = DatePrecision.DAY
    source = "https://example.org/cohort-2020"

    class Params:
        former = factory.Trait(end_date=datetime.date(2023, 6, 30), end_reason=MembershipTerm.EndReason.WITHDREW)
        year_only = factory.Trait(start_date=datetime.date(2020, 1, 1), start_precision=DatePrecision.YEAR)
        unrecorded = factory.Trait(start_date=None)


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    year = 2024
    city = factory.SubFactory(CityFactory)
    citation = "For its work on lifelong learning."
    source = "https://example.org/award"


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Cluster {n}")
    slug = factory.Sequence(lambda n: f"cluster-{n}")


class ClusterMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterMembership

    city = factory.SubFactory(CityFactory)
    cluster = factory.SubFactory(ClusterFactory)
    joined_year = 2022


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    city = factory.SubFactory(CityFactory)
    received_on = datetime.date(2022, 9, 30)
    title = factory.Sequence(lambda n: f"Progress report {n}")
    link = "https://example.org/progress-report.pdf"


class CitySlugRedirectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CitySlugRedirect

    slug = factory.Sequence(lambda n: f"merged-city-{n}")
    city = factory.SubFactory(CityFactory)


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    city = factory.SubFactory(CityFactory, contact_email="learning@example.org")
    sent_at = factory.LazyFunction(lambda: datetime.datetime(2024, 11, 1, 9, 0, tzinfo=datetime.UTC))
    sent_by_name = "manager"
    recipient = factory.LazyAttribute(lambda reminder: reminder.city.contact_email)
    subject = "Progress report due"
    body = "Dear colleagues"
