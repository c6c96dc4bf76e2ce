"""Generated query strings and slugs on the public conference pages and the home page: a page or a 404."""

from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from conferences.models import Conference
from network.models import Country, Region
from tests.bad_input import FUZZ, assert_errors_shown, encode_query, page_numbers, query_pairs, slugs, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix_queries(small_network):
    return query_pairs(
        {
            "region": slugs(Region.objects.values_list("slug", flat=True)),
            "country": slugs(Country.objects.having_cities().values_list("slug", flat=True)),
            "page": page_numbers(),
        }
    )


@FUZZ
@given(data=st.data())
def test_participation_matrix_answers_generated_filters_with_the_matrix_or_its_errors(client, matrix_queries, data):
    cache.clear()  # the matrix is cached whole; each example must render to show its form
    pairs = data.draw(matrix_queries, label="query")
    response = client.get(f"{reverse('conferences:delegation_matrix')}?{encode_query(pairs)}")
    if response.status_code == 404:
        assert "page" in {key for key, _ in pairs}
        return
    assert response.status_code == 200
    assert_errors_shown(response, response.context["form"])


@pytest.fixture
def conference_slugs(small_network):
    return set(Conference.objects.values_list("slug", flat=True))


@FUZZ
@given(data=st.data())
def test_conference_pages_answer_generated_slugs_and_pages_with_the_page_or_a_404(client, conference_slugs, data):
    slug = data.draw(slugs(conference_slugs) | st.just(None), label="slug")
    pages = data.draw(st.lists(page_numbers(), max_size=2), label="page")
    path = reverse("conferences:conference_list") + ("" if slug is None else f"{quote(slug, safe='')}/")

    response = client.get(f"{path}?{encode_query([('page', page) for page in pages])}")

    if slug is not None and slug not in conference_slugs:
        assert response.status_code == 404
    else:
        assert response.status_code == 200 or (response.status_code == 404 and pages)


@FUZZ
@given(pairs=query_pairs({"q": text(), "page": page_numbers()}))
def test_home_page_ignores_generated_query_strings(client, small_network, pairs):
    assert client.get(f"{reverse('home')}?{encode_query(pairs)}").status_code == 200
