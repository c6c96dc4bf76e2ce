import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, reverse
from django.utils import translation

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


# Languages: the public pages carry their language; the old addresses redirect by the browser's language.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "accept_language", "new"),
    [
        ("/", "", "/en/"),
        ("/cities/vinh-vn/?region=asia-pacific", "fr-FR,fr;q=0.9,en;q=0.8", "/fr/cities/vinh-vn/?region=asia-pacific"),
        ("/cities/?q=vinh&status=all&page=2", "es", "/es/cities/?q=vinh&status=all&page=2"),
        ("/map/?region=arab-states", "ar,en;q=0.5", "/ar/map/?region=arab-states"),
        ("/conferences/participation/?country=VN", "de-DE,de", "/en/conferences/participation/?country=VN"),
        ("/open-data/", "pt-BR", "/en/open-data/"),
        ("/countries/viet-nam/", "fr-CA", "/fr/countries/viet-nam/"),
    ],
)
def test_an_old_public_address_redirects_to_the_browsers_language_with_its_query(client, old, accept_language, new):
    response = client.get(old, headers={"accept-language": accept_language} if accept_language else {})

    assert response.status_code == 302
    assert response["Location"] == new
    assert "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_the_language_cookie_wins_over_the_browsers_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.get("/awards/", headers={"accept-language": "fr"})
    assert response["Location"] == "/es/awards/"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_every_public_page_has_an_address_in_each_language(client, small_network, language):
    city = small_network.vinh
    for name, kwargs in [
        ("home", {}),
        ("network:city_list", {}),
        ("network:city_detail", {"slug": city.slug}),
        ("network:country_detail", {"slug": city.country.slug}),
        ("network:city_map", {}),
        ("conferences:conference_list", {}),
        ("open_data", {}),
    ]:
        with translation.override(language):
            url = reverse(name, kwargs=kwargs)
        assert url.startswith(f"/{language}/")
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/sitemap.xml", "/sitemap-cities.xml", "/robots.txt", "/api/v1/cities", "/open-data/members.csv"]
)
def test_files_for_machines_keep_one_address_without_a_language(client, path):
    assert client.get(path).status_code == 200
    assert client.get(f"/fr{path}").status_code == 404


@pytest.mark.django_db
def test_the_admin_is_not_prefixed_and_speaks_the_staff_members_language(client, settings):
    assert reverse("admin:index") == "/admin/"
    french = client.get("/admin/login/", headers={"accept-language": "fr"})
    assert french.status_code == 200
    assert '<html lang="fr"' in french.text
    assert "Nom d’utilisateur" in french.text  # Django's own French for "Username"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    arabic = client.get("/admin/login/", headers={"accept-language": "fr"})
    assert '<html lang="ar" dir="rtl"' in arabic.text


@pytest.mark.django_db
def test_the_admin_offers_the_languages_and_set_language_keeps_the_page(client, settings):
    login = client.get("/admin/login/?next=/admin/").text
    assert f'action="{reverse("set_language")}"' in login
    for code, name in settings.LANGUAGES:
        assert f'name="language" value="{code}" lang="{code}"' in login and name in login

    response = client.post(reverse("set_language"), {"language": "es", "next": "/admin/login/?next=/admin/"})

    assert response.status_code == 302 and response["Location"] == "/admin/login/?next=/admin/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert '<html lang="es"' in client.get("/admin/login/").text


@pytest.mark.django_db
def test_the_admin_names_each_language_in_itself_whatever_the_page_language(client):
    login = client.get("/admin/login/", headers={"accept-language": "ar"}).text
    assert ">English</button>" in login and ">Français</button>" in login and ">Español</button>" in login


@pytest.mark.django_db
def test_the_map_scripts_words_come_in_the_pages_language(client):
    response = client.get("/fr/jsi18n/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"ngettext" in response.content
    assert '<script src="/fr/jsi18n/" defer></script>' in client.get("/fr/map/").text
