"""Staff forms in a real browser at a laptop's 1280 px: no sideways scrolling, screenshots kept to look at."""

import datetime

import pytest
from django.urls import reverse

from network.models import Country
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory, SessionFactory
from tests.e2e.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, restore_reference_data
from tests.network.factories import AwardFactory, CityFactory, MembershipTermFactory, ProgressReportFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "a-long-password-for-the-e2e-test"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def records(django_user_model):
    restore_reference_data()
    django_user_model.objects.create_superuser("clerk", "clerk@example.org", PASSWORD)
    vn = Country.objects.get(code="VN")
    city = CityFactory(
        name="Thành phố Sa Đéc với một tên rất dài",
        local_name="Sa Đéc",
        country=vn,
        province="Đồng Tháp",
        website="https://www.sadec.dongthap.gov.vn/portal/a-very-long-address/of-the-city-government",
        source="https://uil.unesco.org/lifelong-learning/learning-cities/a-long-source-address-for-the-record",
        latitude=10.29,
        longitude=105.76,
    )
    MembershipTermFactory(city=city, start_date=datetime.date(2020, 9, 23), notes="Cohort of 2020, per UIL.")
    ProgressReportFactory(city=city)
    AwardFactory(city=city, year=2024)
    conference = ConferenceFactory(host_city=city)
    SessionFactory(conference=conference)
    delegation = DelegationFactory(conference=conference, city=city)
    for n in range(3):
        DelegateFactory(
            delegation=delegation,
            full_name=f"Nguyễn Văn Một Người Rất Dài {n}",
            organisation="People's Committee of Đồng Tháp Province, Department of Education and Training",
            position="Deputy Director of the Department of Education and Training",
            email=f"a.very.long.address.{n}@dongthap.example.org",
        )
    twin = CityFactory(name="Sa Dec", country=vn, province="", latitude=10.3, longitude=105.7)
    MembershipTermFactory(city=twin, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1))
    return {"city": city, "twin": twin, "conference": conference, "delegation": delegation}


def test_staff_forms_fit_a_1280_px_screen(browser, live_server, records):
    pages = {
        "admin-city": reverse("admin:network_city_change", args=[records["city"].pk]),
        "admin-city-add": reverse("admin:network_city_add"),
        "admin-city-list": reverse("admin:network_city_changelist") + "?membership=all",
        "admin-conference": reverse("admin:conferences_conference_change", args=[records["conference"].pk]),
        "admin-delegation": reverse("admin:conferences_delegation_change", args=[records["delegation"].pk]),
        "admin-terms": reverse("admin:network_membershipterm_changelist"),
        "admin-city-merge": f"{reverse('admin:network_city_merge')}?ids={records['city'].pk},{records['twin'].pk}",
    }
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    widths = {}
    for name, path in pages.items():
        assert page.goto(live_server.url + path).status == 200, path
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=ARTIFACTS / f"{name}-1280.png", full_page=True)
    assert {name: width for name, width in widths.items() if width > 1280} == {}
    # Status and member since are columns the clerk sees without scrolling.
    page.goto(live_server.url + pages["admin-city-list"])
    for column in ("column-status", "column-member_since"):
        box = page.locator(f"th.{column}").bounding_box()
        assert box["x"] + box["width"] <= 1280, column
    page.close()
