"""Generated query strings and slugs on the public network pages: a page (with the filters' errors) or a 404."""

from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from network.forms import DirectoryFilterForm
from network.models import City, Cluster, Country, Region
from tests.bad_input import (
    FUZZ,
    assert_errors_shown,
    choices_or_junk,
    date_text,
    encode_query,
    integer_text,
    page_numbers,
    query_pairs,
    slugs,
    text,
)

pytestmark = pytest.mark.django_db


def place_filters() -> dict:
    return {
        "region": slugs(Region.objects.values_list("slug", flat=True)),
        "country": slugs(Country.objects.having_cities().values_list("slug", flat=True)),
    }


@pytest.fixture
def directory_queries(small_network):
    return query_pairs(
        place_filters()
        | {
            "q": text(100),
            "status": choices_or_junk(["current", "former", "all", "never"]),
            "on": date_text(),
            "date": date_text(),
            "joined": integer_text(known=[2015, 2020, 2021, 2024]),
            "cluster": slugs(Cluster.objects.values_list("slug", flat=True)),
            "sort": choices_or_junk([*DirectoryFilterForm.SORTS, "-pk", "member_since", "name,country"]),
            "page": page_numbers(),
        }
    )


@FUZZ
@given(data=st.data())
def test_directory_answers_generated_filters_with_the_list_or_its_errors(client, directory_queries, data):
    pairs = data.draw(directory_queries, label="query")
    cache.clear()  # the directory is cached whole; each example must render to show its form
    response = client.get(f"{reverse('network:city_list')}?{encode_query(pairs)}")
    # Only a page number that does not exist is a 404; a bad filter is explained on the page.
    if response.status_code == 404:
        assert "page" in {key for key, _ in pairs}
        return
    assert response.status_code == 200
    assert_errors_shown(response, response.context["form"])


@pytest.fixture
def map_queries(small_network):
    return query_pairs(place_filters())


@FUZZ
@given(data=st.data())
def test_map_answers_generated_filters_with_the_map_or_its_errors(client, map_queries, data):
    cache.clear()  # the map is cached whole; each example must render to show its form
    response = client.get(f"{reverse('network:city_map')}?{encode_query(data.draw(map_queries, label='query'))}")
    assert response.status_code == 200
    assert_errors_shown(response, response.context["form"])


@pytest.fixture
def profiles(small_network) -> dict:
    """The slugs of the city, country and region profiles, by URL name."""
    return {
        "network:city_detail": set(City.objects.values_list("slug", flat=True)),
        "network:country_detail": set(Country.objects.values_list("slug", flat=True)),
        "network:region_detail": set(Region.objects.values_list("slug", flat=True)),
    }


@FUZZ
@given(data=st.data())
def test_profiles_answer_generated_slugs_and_pages_with_the_page_or_a_404(client, profiles, data):
    url_name = data.draw(st.sampled_from(sorted(profiles)), label="profile")
    slug = data.draw(slugs(profiles[url_name]), label="slug")
    pages = data.draw(st.lists(page_numbers(), max_size=2), label="page")
    path = reverse(url_name, args=["slug"]).replace("/slug/", f"/{quote(slug, safe='')}/")

    response = client.get(f"{path}?{encode_query([('page', page) for page in pages])}")

    if slug not in profiles[url_name]:
        assert response.status_code == 404
    else:
        assert response.status_code == 200 or (response.status_code == 404 and pages)
