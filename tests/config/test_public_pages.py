"""Checks over every public page the URLconf serves: privacy, escaping, markup a strict CSP allows, accessibility."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from conferences.models import Conference, Delegate, Delegation, Session
from core.cache import registry_changed
from network.models import Award, City
from tests.conftest import HIDDEN_NAME, PRIVATE_EMAIL, PRIVATE_NOTES, PRIVATE_PHONE

pytestmark = pytest.mark.django_db


def public_urls(network) -> list[str]:
    city = network.cities[0]
    directory = reverse("network:city_list")
    return [
        reverse("home"),
        directory,
        f"{directory}?q=city&status=all&sort=-joined",
        f"{directory}?region={network.region.slug}&country={network.country.slug}&joined=2013",
        f"{directory}?on=2024-12-03&cluster=education-for-sustainable-development",
        city.get_absolute_url(),
        network.cities[-1].get_absolute_url(),
        reverse("network:city_history", args=[city.slug]),
        network.country.get_absolute_url(),
        network.region.get_absolute_url(),
        reverse("network:city_map"),
        f"{reverse('network:city_map')}?region={network.region.slug}",
        f"{reverse('network:city_map')}?status=all",
        reverse("open_data"),
        reverse("conferences:conference_list"),
        network.conference.get_absolute_url(),
        reverse("conferences:delegation_matrix"),
        f"{reverse('conferences:delegation_matrix')}?country={network.country.slug}",
        reverse("sitemap_index"),
        "/sitemap-cities.xml",
        "/sitemap-conferences.xml",
        reverse("robots"),
    ]


@pytest.fixture
def network(build_network):
    network = build_network(5)
    city = network.cities[0]
    city.description = "We learn.\n<script>alert(1)</script>"
    city.save()
    # Edited delegates: their contact details are now in the history tables too, which no public page reads.
    for delegate in Delegate.objects.filter(email=PRIVATE_EMAIL):
        delegate.position = "Edited"
        delegate.save()
    return network


def test_every_public_page_answers(client, network):
    for url in public_urls(network):
        response = client.get(url)
        assert response.status_code == 200, url


def test_no_public_page_shows_delegate_contact_details_notes_or_unpublished_names(client, network):
    pages = {url: client.get(url).text for url in public_urls(network)}
    pages["404"] = client.get("/no-such-page/").text
    for url, text in pages.items():
        for secret in (PRIVATE_EMAIL, PRIVATE_PHONE, PRIVATE_NOTES, HIDDEN_NAME, "@example.org"):
            assert secret not in text, f"{secret} on {url}"
    assert "Published Person 0" in pages[network.cities[0].get_absolute_url()]


def test_text_staff_enter_is_escaped(client, network):
    text = client.get(network.cities[0].get_absolute_url()).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)" not in text


def test_no_page_needs_unsafe_inline_for_a_strict_csp(client, network):
    for url in [*public_urls(network), "/no-such-page/"]:
        text = client.get(url).text
        assert not re.search(r"<script(?![^>]*\ssrc=)", text, re.IGNORECASE), url
        assert not re.search(r"<style", text, re.IGNORECASE), url
        assert not re.search(r"\sstyle=", text, re.IGNORECASE), url
        assert not re.search(r"\son[a-z]+=", text, re.IGNORECASE), url


class Outline(HTMLParser):
    """Collects what the accessibility checks look at: h1s, landmarks, form controls and labels, images."""

    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.tags = set()
        self.controls, self.labels, self.images_without_alt = [], set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag == "h1":
            self.h1 += 1
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.controls.append(attrs.get("id"))
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag == "img" and "alt" not in attrs:
            self.images_without_alt.append(attrs.get("src"))


def test_every_page_has_one_h1_landmarks_labelled_controls_and_alt_text(client, network):
    html_pages = [url for url in public_urls(network) if not url.endswith((".xml", ".txt"))]
    for url in [*html_pages, "/no-such-page/"]:
        outline = Outline()
        outline.feed(client.get(url).text)
        assert outline.h1 == 1, url
        assert {"header", "nav", "main", "footer"} <= outline.tags, url
        assert all(control and control in outline.labels for control in outline.controls), url
        assert outline.images_without_alt == [], url


@pytest.mark.parametrize(
    "query",
    [
        "page=999",
        "page=-1",
        "page=abc",
        "page=" + "9" * 40,
        "on=2024-02-30",
        "on=0000-00-00",
        "on=99999-01-01",
        "joined=1e9",
        "joined=" + "9" * 40,
        "country=%00",
        "region=%F0%9F%90%8D",
        "q=" + "x" * 500,
        "q=%00",
        "sort=-pk",
        "status[]=1",
    ],
)
def test_bad_query_parameters_never_cause_a_server_error(client, network, query):
    for url in public_urls(network):
        response = client.get(f"{url.split('?')[0]}?{query}")
        assert response.status_code in (200, 404), f"{url} {query}"


def test_no_public_page_shows_the_staff_notes_of_any_record(client, network):
    internal = "ZQ-INTERNAL-NOTE-4410"
    for model in (City, Conference, Session, Award):
        assert model.objects.update(internal_notes=internal)
    assert Delegation.objects.update(notes=internal)
    registry_changed()  # update() sends no signal; the pages must be drawn again from these rows
    for url in public_urls(network):
        assert internal not in client.get(url).content.decode(), url
