import datetime
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.db import connections
from django.db.models import F
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from tests.conferences.factories import ConferenceFactory
from tests.e2e.browser import restore_reference_data
from tests.network.factories import MembershipTermFactory

PASSWORD = "lifelong learning for all"
CHROMIUM = Path("/usr/bin/chromium")


def content_security_policy(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response.headers["Content-Security-Policy"].split(";"))
    return {name: sources for name, *sources in directives}


def assert_security_headers(response):
    policy = content_security_policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_public_page_sends_security_headers(client):
    response = client.get(reverse("home"), secure=True)

    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_admin_pages_send_security_headers(staff_client):
    login = Client().get(reverse("admin:login"), secure=True)
    changelist = staff_client.get(reverse("admin:network_city_changelist"), secure=True)

    assert login.status_code == changelist.status_code == 200
    assert_security_headers(login)
    assert_security_headers(changelist)


@pytest.mark.django_db
def test_plain_http_request_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/en/cities/")

    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/en/cities/"


@pytest.mark.django_db
def test_request_the_proxy_received_over_https_is_served(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get("/en/cities/", headers={"x-forwarded-proto": "https"})

    assert response.status_code == 200
    assert "Strict-Transport-Security" in response.headers


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


@pytest.fixture
def locked_out_editor(client, staff_user):
    """Five failed sign-ins as "editor" from 192.0.2.10."""
    responses = [sign_in(client, "editor", "wrong password") for _ in range(5)]
    assert [r.status_code for r in responses[:4]] == [200] * 4  # the form again, with its error
    return responses[-1]


@pytest.mark.django_db
def test_fifth_failed_sign_in_locks_the_username_and_address(locked_out_editor):
    assert locked_out_editor.status_code == 429
    assert "Sign-in locked" in locked_out_editor.content.decode()


@pytest.mark.django_db
def test_sixth_sign_in_is_refused_even_with_the_right_password(client, locked_out_editor):
    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 429
    content = " ".join(response.content.decode().split())
    assert "After 5 failed attempts, signing in as “editor” from this address is locked for 30 minutes" in content
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_lock_leaves_other_users_at_the_same_address_alone(client, django_user_model, locked_out_editor):
    django_user_model.objects.create_user("manager", password=PASSWORD, is_staff=True)

    response = sign_in(client, "manager", PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY]


@pytest.mark.django_db
def test_lock_leaves_the_same_user_at_another_address_alone(client, locked_out_editor):
    response = sign_in(client, "editor", PASSWORD, address="198.51.100.20")

    assert response.status_code == 302
    assert client.session[SESSION_KEY]


@pytest.mark.django_db
def test_lock_lifts_after_the_cool_off(client, locked_out_editor):
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=31))

    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 302


@pytest.mark.django_db
def test_successful_sign_in_forgets_earlier_failures(client, staff_user):
    for _ in range(4):
        sign_in(client, "editor", "wrong password")
    sign_in(client, "editor", PASSWORD)
    client.logout()

    responses = [sign_in(client, "editor", "wrong password") for _ in range(4)]

    assert [r.status_code for r in responses] == [200] * 4


@pytest.mark.django_db
def test_test_client_signs_in_when_given_a_request(client, staff_user):
    """django-axes needs the request: tests that use client.login() pass one; force_login() needs none."""
    assert client.login(request=HttpRequest(), username="editor", password=PASSWORD)


@pytest.mark.django_db
def test_behind_a_proxy_forged_forwarded_addresses_do_not_escape_the_lock(client, settings, staff_user):
    """The proxy appends the address it saw; entries to its left come from the client and may be forged."""
    settings.AXES_CLIENT_IP_CALLABLE = "config.proxy.client_address_behind_proxy"

    def through_proxy(password, forged, seen):
        data = {"username": "editor", "password": password}
        return client.post(reverse("admin:login"), data, headers={"x-forwarded-for": f"{forged}, {seen}"})

    for n in range(5):
        through_proxy("wrong password", forged=f"10.0.0.{n}", seen="203.0.113.5")
    refused = through_proxy(PASSWORD, forged="10.9.9.9", seen="203.0.113.5")
    elsewhere = through_proxy(PASSWORD, forged="10.0.0.1", seen="198.51.100.20")

    assert refused.status_code == 429
    assert elsewhere.status_code == 302


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A headless Chromium page that records every CSP violation, console error and script error."""
    restore_reference_data()  # a live-server test that ran earlier empties every table, countries included
    # Playwright's sync API runs an event loop in this thread; the database calls here stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless"])
        context = browser.new_context(base_url=live_server.url)
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', event => console.error("
            "'CSP violation: ' + event.effectiveDirective + ' ' + event.blockedURI + ' in ' + event.sourceFile));"
        )

        def watch(page):
            # A failed load is reported with its address below; the console's copy of it has none.
            page.on(
                "console",
                lambda message: (
                    message.type == "error"
                    and not message.text.startswith("Failed to load resource")
                    and problems.append(message.text)
                ),
            )
            page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
            page.on(
                "response",
                lambda response: response.status >= 400 and problems.append(f"{response.status} {response.url}"),
            )

        context.on("page", watch)
        page = context.new_page()
        page.problems = problems
        yield page
        browser.close()
        # Code run inside Playwright's context gets database connections of its own: close them here.
        connections.close_all()


@pytest.mark.e2e
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
@pytest.mark.django_db(transaction=True)
def test_admin_works_in_a_browser_under_the_content_security_policy(browser_page, django_user_model):
    django_user_model.objects.create_superuser("staff", "", PASSWORD)
    term = MembershipTermFactory(city__name="Sa Đéc")
    conference = ConferenceFactory()
    page = browser_page

    page.goto(reverse("admin:login"))
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**" + reverse("admin:index"))

    page.goto(reverse("admin:network_city_change", args=[term.city.pk]))
    page.fill("#nav-filter", "cit")  # the sidebar filter (nav_sidebar.js)
    assert page.is_hidden("#nav-sidebar tr.model-venue")
    page.click("#select2-id_country-container")  # the autocomplete widget (select2 over jQuery)
    page.keyboard.type("Viet")
    # The first search in a process reads CLDR's country names in eight languages (about 1 s alone): on a
    # machine busy with the other database's suite it took longer than Playwright's 30 s default once.
    page.wait_for_selector(".select2-results__option:has-text('Viet Nam')", timeout=90_000)
    page.click(".select2-results__option:has-text('Viet Nam')")
    assert page.inner_text("#select2-id_country-container") == "Viet Nam"
    page.click("#membership_terms-group .add-row a")  # a new inline row (inlines.js)
    page.click("#membership_terms-1 .datetimeshortcuts a:text-is('Today')")  # the date widget
    page.click("#membership_terms-1 .datetimeshortcuts .date-icon")
    page.click(".calendarbox:visible td a:text-is('15')")
    assert page.input_value("#id_membership_terms-1-start_date").startswith("15/")

    term.city.save()  # a second version, so that the history page compares two
    page.goto(reverse("admin:network_city_history", args=[term.city.pk]))
    page.click("text=Version 1")  # a past version, read-only
    page.wait_for_url("**/history/*/")
    assert page.inner_text("h1") == "View Sa Đéc"

    page.goto(reverse("admin:network_city_add"))
    with page.expect_popup() as popup_info:  # the "+" beside a foreign key (RelatedObjectLookups.js)
        page.click("#add_id_country")
    popup = popup_info.value
    popup.fill("#id_code", "QQ")
    popup.locator("#id_name_en").press_sequentially("Quuxland")
    assert popup.input_value("#id_slug") == "quuxland"  # prepopulate.js
    popup.select_option("#id_region", index=1)
    # Waiting starts before the click: a quick save closes the popup before a later wait could see it.
    with popup.expect_event("close", timeout=90_000):
        popup.click("input[name=_save]")
    assert page.inner_text("#select2-id_country-container") == "Quuxland"

    page.goto(reverse("admin:conferences_conference_change", args=[conference.pk]))
    page.click("#select2-id_host_city-container")
    page.wait_for_selector(".select2-results__option")
    page.goto(reverse("admin:network_city_changelist") + "?membership=all")
    page.click("#action-toggle")  # select all (actions.js)
    assert page.inner_text(".action-counter").startswith("2 of 2 selected")
    page.goto(reverse("home"))

    assert page.problems == []
    # The control: an inline script is blocked, and the watch above sees it.
    with pytest.raises(PlaywrightError, match="violates the following Content Security Policy directive"):
        page.add_script_tag(content="document.title = 'inline script ran'")
    assert page.title() != "inline script ran"
    assert any("CSP violation: script-src-elem" in problem for problem in page.problems)
