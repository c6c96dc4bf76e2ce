import pytest

from tests.conferences.factories import ConferenceFactory

pytestmark = pytest.mark.django_db


def test_conference_sitemap_lists_every_conference(client):
    conference = ConferenceFactory()
    assert conference.get_absolute_url() in client.get("/sitemap-conferences.xml").text
    assert "/en/conferences/participation/" in client.get("/sitemap-conference-pages.xml").text
