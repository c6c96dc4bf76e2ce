"""The public site in a real browser (Debian's Chromium driven by Playwright): a visitor's walk, and screenshots."""

import datetime
import os

import pytest

from core.dates import DatePrecision
from network.models import Country
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory, SessionFactory
from tests.e2e.browser import ARTIFACTS, CHROMIUM, restore_reference_data
from tests.network.factories import AwardFactory, CityFactory, MembershipTermFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def story():
    """The Vietnamese delegation at ICLC 6, as in the article the project started from."""
    restore_reference_data()
    vn, sa = Country.objects.get(code="VN"), Country.objects.get(code="SA")
    jubail = CityFactory(name="Jubail Industrial City", local_name="الجبيل", country=sa, latitude=27.0, longitude=49.6)
    MembershipTermFactory(city=jubail, start_date=datetime.date(2020, 9, 23))
    AwardFactory(city=jubail, year=2021)
    iclc6 = ConferenceFactory(
        number=6,
        short_name="ICLC 6",
        slug="iclc-6",
        title="Learning cities at the forefront of climate action",
        host_city=jubail,
        attendance_stated="about 1,200 delegates",
        award_year=2024,
    )
    plenary = SessionFactory(conference=iclc6, title="Opening plenary")
    visit = SessionFactory(
        conference=iclc6, title="Study visit to Jubail", kind="study_visit", date=datetime.date(2024, 12, 5)
    )
    cities = {}
    for name, province, start, precision, lat, lon in [
        ("Vinh", "Nghe An", datetime.date(2020, 1, 1), DatePrecision.YEAR, 18.67, 105.68),
        ("Sa Đéc", "Dong Thap", datetime.date(2020, 1, 1), DatePrecision.YEAR, 10.29, 105.76),
        ("Sơn La", "Son La", datetime.date(2024, 2, 1), DatePrecision.MONTH, 21.33, 103.91),
    ]:
        city = CityFactory(name=name, province=province, country=vn, latitude=lat, longitude=lon)
        MembershipTermFactory(city=city, start_date=start, start_precision=precision)
        delegation = DelegationFactory(conference=iclc6, city=city)
        delegation.sessions.add(plenary, visit)
        DelegateFactory(delegation=delegation, published=True, full_name=f"Mayor of {name}", role="city_leader")
        DelegateFactory(delegation=delegation, full_name=f"Unpublished {name}", email=f"{city.slug}@example.org")
        cities[name] = city
    cork = CityFactory(name="Cork", country=Country.objects.get(code="IE"), latitude=51.9, longitude=-8.47)
    MembershipTermFactory(city=cork, start_date=datetime.date(2015, 1, 1), start_precision=DatePrecision.YEAR)
    AwardFactory(city=cork, year=2024)
    former = CityFactory(name="Liège", country=Country.objects.get(code="BE"))
    MembershipTermFactory(city=former, start_date=datetime.date(2016, 1, 1), end_date=datetime.date(2021, 6, 30))
    return {"conference": iclc6, **cities}


def test_visitor_walks_from_home_to_a_city_and_its_conference(browser, live_server, story):
    page = browser.new_page()
    page.goto(live_server.url + "/en/")
    assert page.locator("h1").inner_text() == "The Global Network of Learning Cities at a glance"
    assert page.locator(".stat__value").first.inner_text() == "5"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    assert page.locator("h1").inner_text() == "Member cities"

    page.get_by_label("Name").fill("Sa Dec")
    page.get_by_label("Country").select_option(label="Viet Nam")
    page.get_by_role("button", name="Show cities").click()
    assert "q=Sa+Dec" in page.url and "country=viet-nam" in page.url
    assert page.locator("tbody tr").count() == 1

    page.get_by_role("link", name="Sa Đéc").click()
    assert page.locator("h1").inner_text() == "Sa Đéc"
    facts = page.locator(".facts").inner_text()
    assert "2020" in facts and "Dong Thap" in facts
    assert "Mayor of Sa Đéc" in page.content()
    assert "Unpublished Sa Đéc" not in page.content()

    page.get_by_role("link", name="ICLC 6").click()
    assert page.locator("h1").inner_text().startswith("ICLC 6")
    cities = page.locator("#cities-heading + p + section").inner_text()
    assert "Viet Nam" in cities and "Sơn La" in cities and "Vinh" in cities
    assert "about 1,200 delegates" in page.content()
    page.close()


def test_keyboard_user_can_skip_to_content_and_reach_a_map_marker_without_javascript(browser, live_server, story):
    # With JavaScript the interactive map takes over (tests/e2e/test_map.py); this is the drawn fallback.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/en/map/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    marker = page.locator(f'a.map__marker[href="{story["Vinh"].get_absolute_url()}"]')
    marker.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{story['Vinh'].get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Vinh"
    context.close()


def _public_pages(story) -> dict[str, str]:
    """Every kind of public page, by its address without the language prefix."""
    return {
        "home": "/",
        "directory": "/cities/?status=all",
        "directory-bad-filter": "/cities/?country=atlantis&on=2024-13-01",
        "city": f"/cities/{story['Sa Đéc'].slug}/",
        "city-jubail": "/cities/jubail-industrial-city-sa/",
        "city-history": f"/cities/{story['Vinh'].slug}/history/",
        "country": "/countries/viet-nam/",
        "region": "/regions/asia-pacific/",
        "conferences": "/conferences/",
        "conference": f"/conferences/{story['conference'].slug}/",
        "matrix": "/conferences/participation/",
        "awards": "/awards/",
        "map": "/map/",
        "map-region": "/map/?region=asia-pacific",
        "open-data": "/open-data/",
    }


def test_every_page_fits_a_phone_and_screenshots_are_kept(browser, live_server, story):
    pages = {name: f"/en{path}" for name, path in _public_pages(story).items()}
    pages["not-found"] = "/en/no-such-page/"
    ARTIFACTS.mkdir(exist_ok=True)
    for width, label in [(1280, "desktop"), (390, "phone")]:
        page = browser.new_page(viewport={"width": width, "height": 900})
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.status == (404 if name == "not-found" else 200), path
            overflow = page.evaluate("document.documentElement.scrollWidth") - width
            assert overflow <= 0, f"{path} is {overflow}px wider than a {width}px screen"
            page.screenshot(path=ARTIFACTS / f"{name}-{label}.png", full_page=True)
        page.close()
    assert os.path.getsize(ARTIFACTS / "map-desktop.png") > 10_000


def test_no_page_scrolls_sideways_on_a_phone_right_to_left(browser, live_server, story):
    """Arabic at 390 px: the layout mirrors (dir="rtl") and nothing sticks out on either side; an overflow to the
    left, which a right-to-left page scrolls towards, counts as much as one to the right."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 900})
    for name, path in _public_pages(story).items():
        response = page.goto(f"{live_server.url}/ar{path}")
        assert response.status == 200, path
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
        overflow = page.evaluate("document.documentElement.scrollWidth") - 390
        assert overflow <= 0, f"/ar{path} is {overflow}px wider than a 390px screen"
        page.screenshot(path=ARTIFACTS / f"{name}-phone-ar.png", full_page=True)
    page.close()


def test_the_language_switcher_keeps_the_page_and_its_filters(browser, live_server, story):
    page = browser.new_page()
    page.goto(f"{live_server.url}/en/cities/?country=viet-nam&status=all")
    page.get_by_role("navigation", name="Languages").get_by_role("link", name="Français").click()
    assert page.url == f"{live_server.url}/fr/cities/?country=viet-nam&status=all"
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator("tbody tr").count() == 3
    page.close()
