import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test import override_settings
from django.test.testcases import LiveServerThread
from django.utils import translation

from conferences.models import Delegate
from core.dates import DatePrecision
from network.models import Cluster, Country, MembershipTerm
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory, SessionFactory
from tests.network.factories import (
    AwardFactory,
    CityFactory,
    ClusterMembershipFactory,
    MembershipTermFactory,
    ProgressReportFactory,
)


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


class _SerialLiveServer(WSGIServer):
    """The browser tests' server, one request at a time; Django's WSGIServer then closes each connection.

    On SQLite the live server shares the test's one in-memory connection with its request threads: two requests
    at once (a page and its GeoJSON, a popup's save and the page polling) could block each other inside SQLite for
    good, and the suite hung. The thread that serves has the shared connection already (LiveServerThread.run).
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _serial_live_server_on_sqlite():
    if connection.vendor != "sqlite":
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", _SerialLiveServer)
        yield


@pytest.fixture(scope="session", autouse=True)
def _uploads_in_a_temporary_folder(tmp_path_factory):
    """Attachments the tests upload go to a folder of their own, never into the project."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("uploads"))):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database rolls back between tests, the local-memory cache not."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: LocaleMiddleware leaves a request's language (/fr/...) active in
    the thread, and reverse() or a date formatted in the next test would follow it."""
    translation.deactivate()
    yield
    translation.deactivate()


# Strings that must never reach a public page: they stand in for a delegate's contact details and notes.
PRIVATE_EMAIL = "zq-private-mail-7731@example.org"
PRIVATE_PHONE = "+99 7731 000 111"
PRIVATE_NOTES = "ZQ-PRIVATE-NOTE-7731"
HIDDEN_NAME = "Zq Unpublished Person"

Role = Delegate.Role


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


@pytest.fixture
def make_staff(django_user_model):
    """A staff user holding only the given permissions ("network.view_reports", ...)."""

    def make(*permissions, username="staff"):
        user = django_user_model.objects.create_user(username=username, password="not-used-here", is_staff=True)
        for label in permissions:
            app_label, codename = label.split(".")
            user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        return user

    return make


@pytest.fixture
def small_network(db):
    """Six cities whose figures the report tests work out by hand.

    Vinh (VN) joined 23 Sep 2020; Sa Đéc (VN) in 2020, year known only; Sơn La (VN) in February 2024;
    Cork (IE) was a member 2015 to 30 Jun 2018 and again from 1 Sep 2021; Jubail (SA) is a member whose
    join date was not recorded; Bouaké (CI) never joined but sent delegations.
    ICLC 5 (27-30 Oct 2021): Cork 1 city leader, Vinh no delegates, Bouaké 1 policymaker.
    ICLC 6 (3-5 Dec 2024): Vinh city leader (head) + policymaker, Sa Đéc educator, Sơn La researcher,
    Cork policymaker, Bouaké practitioner + other.
    """
    vn, ie, sa, ci = (Country.objects.get(code=code) for code in ("VN", "IE", "SA", "CI"))
    vinh = CityFactory(name="Vinh", country=vn, province="Nghe An")
    sa_dec = CityFactory(name="Sa Đéc", country=vn, province="Dong Thap")
    son_la = CityFactory(name="Sơn La", country=vn)
    cork = CityFactory(name="Cork", country=ie)
    jubail = CityFactory(name="Jubail Industrial City", local_name="الجبيل", country=sa)
    bouake = CityFactory(name="Bouaké", country=ci)
    MembershipTermFactory(city=vinh, start_date=datetime.date(2020, 9, 23))
    MembershipTermFactory(city=sa_dec, start_date=datetime.date(2020, 1, 1), start_precision=DatePrecision.YEAR)
    MembershipTermFactory(city=son_la, start_date=datetime.date(2024, 2, 1), start_precision=DatePrecision.MONTH)
    MembershipTermFactory(
        city=cork,
        start_date=datetime.date(2015, 3, 1),
        end_date=datetime.date(2018, 6, 30),
        end_reason=MembershipTerm.EndReason.WITHDREW,
    )
    MembershipTermFactory(city=cork, start_date=datetime.date(2021, 9, 1))
    MembershipTermFactory(city=jubail, start_date=None)
    ProgressReportFactory(city=vinh, received_on=datetime.date(2023, 3, 1))
    ProgressReportFactory(city=cork, received_on=datetime.date(2017, 5, 1))
    AwardFactory(city=cork, year=2015)
    AwardFactory(city=jubail, year=2021)
    AwardFactory(city=cork, year=2024)

    iclc5 = ConferenceFactory(
        number=5,
        short_name="ICLC 5",
        start_date=datetime.date(2021, 10, 27),
        end_date=datetime.date(2021, 10, 30),
        host_city=cork,
    )
    iclc6 = ConferenceFactory(number=6, short_name="ICLC 6", host_city=jubail)
    delegates = {
        iclc5: {cork: [Role.CITY_LEADER], vinh: [], bouake: [Role.POLICYMAKER]},
        iclc6: {
            vinh: [Role.CITY_LEADER, Role.POLICYMAKER],
            sa_dec: [Role.EDUCATOR],
            son_la: [Role.RESEARCHER],
            cork: [Role.POLICYMAKER],
            bouake: [Role.PRACTITIONER, Role.OTHER],
        },
    }
    for conference, cities in delegates.items():
        for city, roles in cities.items():
            delegation = DelegationFactory(conference=conference, city=city)
            for n, role in enumerate(roles):
                DelegateFactory(delegation=delegation, role=role, is_head=n == 0)
    return SimpleNamespace(
        vinh=vinh, sa_dec=sa_dec, son_la=son_la, cork=cork, jubail=jubail, bouake=bouake, iclc5=iclc5, iclc6=iclc6
    )
