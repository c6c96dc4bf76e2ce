import datetime
from types import SimpleNamespace

import pytest
from django.test import override_settings

from network.models import Cluster, Country
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory, SessionFactory
from tests.network.factories import AwardFactory, CityFactory, ClusterMembershipFactory, MembershipTermFactory


@pytest.fixture(scope="session", autouse=True)
def _plain_http_without_collectstatic():
    """The test client speaks plain HTTP and nobody ran collectstatic, as production settings assume.

    Static files come from the app folders, as under DEBUG. tests/config/ checks the HTTPS redirect and the
    hashed, compressed files of production separately. A fast hasher keeps sign-ins cheap.
    """
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_AUTOREFRESH=True,
        WHITENOISE_USE_FINDERS=True,
    ):
        yield


# Strings that must never reach a public page: they stand in for a delegate's contact details and notes.
PRIVATE_EMAIL = "zq-private-mail-7731@example.org"
PRIVATE_PHONE = "+99 7731 000 111"
PRIVATE_NOTES = "ZQ-PRIVATE-NOTE-7731"
HIDDEN_NAME = "Zq Unpublished Person"


@pytest.fixture
def staff_client(client, admin_user):
    """A signed-in superuser, as secretariat staff use the admin."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def build_network(db):
    """A network of `size` member cities in Viet Nam, `size` conferences and delegations to them.

    Every city sends a delegation to the main conference (ICLC 6) with one published and one unpublished
    delegate; the first city also goes to every other conference, so each page grows with `size`.
    """

    def build(size: int = 5) -> SimpleNamespace:
        country = Country.objects.get(code="VN")
        cluster = Cluster.objects.order_by("pk").first()
        main = ConferenceFactory(
            number=6, short_name="ICLC 6", slug="iclc-6", award_year=2024, host_city__country=country
        )
        others = [
            ConferenceFactory(start_date=datetime.date(2000 + n, 5, 1), end_date=datetime.date(2000 + n, 5, 3))
            for n in range(size - 1)
        ]
        session = SessionFactory(conference=main, title="Parallel session on climate action")
        cities = []
        for n in range(size):
            city = CityFactory(country=country, latitude=10 + n / 10, longitude=105 + n / 10)
            MembershipTermFactory(city=city, start_date=datetime.date(2013 + n % 12, 9, 1))
            ClusterMembershipFactory(city=city, cluster=cluster)
            AwardFactory(city=city, year=2024)
            delegation = DelegationFactory(conference=main, city=city)
            delegation.sessions.add(session)
            DelegateFactory(delegation=delegation, published=True, full_name=f"Published Person {n}", is_head=True)
            DelegateFactory(
                delegation=delegation,
                full_name=HIDDEN_NAME,
                email=PRIVATE_EMAIL,
                phone=PRIVATE_PHONE,
                notes=PRIVATE_NOTES,
            )
            cities.append(city)
        for conference in others:
            delegation = DelegationFactory(conference=conference, city=cities[0])
            DelegateFactory(delegation=delegation, published=True, email=PRIVATE_EMAIL, notes=PRIVATE_NOTES)
        return SimpleNamespace(country=country, region=country.region, conference=main, cities=cities)

    return build
