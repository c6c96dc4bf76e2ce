import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission

from conferences.models import Delegate
from network.models import Country, MembershipTerm
from network.partial_dates import DatePrecision
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory
from tests.network.factories import AwardFactory, CityFactory, MembershipTermFactory, ProgressReportFactory

Role = Delegate.Role


@pytest.fixture
def staff_client(client, admin_user):
    """A signed-in superuser, as secretariat staff use the admin."""
    client.force_login(admin_user)
    return client


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
