import pytest

from tests.applications.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_the_calls_section_lists_the_list_and_each_call(client):
    CallFactory(year=2025)
    CallFactory(year=2023)
    page = client.get("/sitemap-calls.xml").content.decode()
    assert "/calls/</loc>" in page and "/calls/2025/</loc>" in page and "/calls/2023/</loc>" in page
    assert "sitemap-calls.xml" in client.get("/sitemap.xml").content.decode()
