import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, reverse

import config.urls


@pytest.fixture
def admin_at_custom_path():
    """config/urls.py mounts the admin at settings.ADMIN_URL when it is imported: import it again."""
    with override_settings(ADMIN_URL="records-staff/"):
        importlib.reload(config.urls)
        clear_url_caches()
        yield
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.mark.django_db
@pytest.mark.usefixtures("admin_at_custom_path")
def test_admin_answers_at_the_configured_path(client, admin_user):
    client.force_login(admin_user)

    assert reverse("admin:index") == "/records-staff/"
    assert client.get("/records-staff/").status_code == 200
    assert client.get("/admin/").status_code == 404


@pytest.mark.django_db
def test_admin_answers_at_admin_by_default(staff_client):
    assert reverse("admin:index") == "/admin/"
    assert staff_client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_favicon_ico_redirects_to_the_icon_the_pages_link(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_a_403_in_the_reports_says_why_and_links_back(client, django_user_model):
    user = django_user_model.objects.create_user(username="clerk", password="x", is_staff=True)
    client.force_login(user)
    response = client.get("/reports/")
    assert response.status_code == 403
    assert "network.view_reports" in response.text and 'href="/reports/">Back to the reports</a>' in response.text
    assert '<link rel="stylesheet"' in response.text  # the site's layout, not a bare message


def test_a_404_in_the_admin_links_back_to_the_admin(staff_client):
    response = staff_client.get("/reports/no-such-report/")
    assert response.status_code == 404
    assert "No report called" in response.text and "Back to the reports" in response.text
    response = staff_client.get("/admin/network/city/999999/history/")
    assert response.status_code in (302, 404)
