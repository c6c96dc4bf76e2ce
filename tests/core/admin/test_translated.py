"""The translated fields in the admin: every language on the change page, short fields side by side, and the
values each language's input saves."""

import re

import pytest
from django.urls import reverse

from conferences.models import Conference
from network.models import Country
from tests.admin_pages import form_data
from tests.conferences.factories import ConferenceFactory

pytestmark = pytest.mark.django_db


def _row_classes(html: str, field: str) -> list[str]:
    """The field names of the admin's form row holding `field` (a row lists each as "field-<name>")."""
    match = re.search(rf'<div class="form-row[^"]*\bfield-{field}\b[^"]*">', html)
    assert match, f"no form row for {field}"
    return re.findall(r"field-(\w+)", match.group(0))


def test_conference_change_page_shows_the_title_in_every_language_on_one_row(staff_client):
    conference = ConferenceFactory(title="Learning cities at the forefront of climate action")

    response = staff_client.get(reverse("admin:conferences_conference_change", args=[conference.pk]))

    assert response.status_code == 200
    assert _row_classes(response.text, "title_en") == ["title_en", "title_fr", "title_es", "title_ar"]
    assert 'name="title_en" value="Learning cities at the forefront of climate action"' in response.text
    # Long texts keep a row per language; the Arabic input is written right to left.
    assert _row_classes(response.text, "description_fr") == ["description_fr"]
    assert re.search(r'<textarea name="description_ar"[^>]*\bdir="rtl"', response.text)
    assert re.search(r'<input type="text" name="title_fr"[^>]*\blang="fr"', response.text)


def test_conference_change_page_saves_each_language(staff_client):
    conference = ConferenceFactory(title="Learning cities at the forefront of climate action")
    url = reverse("admin:conferences_conference_change", args=[conference.pk])
    data = form_data(staff_client.get(url))
    data["title_fr"] = "Les villes apprenantes, moteurs de l'action climatique"

    assert staff_client.post(url, data).status_code == 302

    saved = Conference.objects.get(pk=conference.pk)
    assert (saved.title_en, saved.title_fr, saved.title_es) == (
        "Learning cities at the forefront of climate action",
        "Les villes apprenantes, moteurs de l'action climatique",
        None,
    )


def test_country_change_page_lets_staff_override_a_cldr_name(staff_client):
    vietnam = Country.objects.get(code="VN")
    url = reverse("admin:network_country_change", args=[vietnam.pk])
    response = staff_client.get(url)
    assert _row_classes(response.text, "name_en") == ["name_en", "name_fr", "name_es", "name_ar"]
    assert 'name="name_fr" value="Viêt Nam"' in response.text

    data = form_data(response)
    data["name_fr"] = "Viet Nam"  # UNESCO's French pages write it without the circumflex
    assert staff_client.post(url, data).status_code == 302

    vietnam.refresh_from_db()
    assert (vietnam.name_en, vietnam.name_fr, vietnam.name_es) == ("Viet Nam", "Viet Nam", "Vietnam")
