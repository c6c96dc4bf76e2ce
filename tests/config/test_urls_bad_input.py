"""Generated sections and page numbers on the sitemaps, and query strings on robots.txt: an answer or a 404."""

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.sitemaps import sitemaps
from tests.bad_input import FUZZ, encode_query, page_numbers, query_pairs, text

pytestmark = pytest.mark.django_db


@FUZZ
@given(section=st.sampled_from(sorted(sitemaps)) | text() | st.just(None), pages=st.lists(page_numbers(), max_size=2))
def test_sitemaps_answer_generated_sections_and_pages_with_xml_or_a_404(client, small_network, section, pages):
    path = "/sitemap.xml" if section is None else f"/sitemap-{quote(section, safe='')}.xml"
    response = client.get(f"{path}?{encode_query([('p', page) for page in pages])}")
    if section is not None and section not in sitemaps:
        assert response.status_code == 404
    else:
        # Page 1 always exists; any other page number of a small sitemap is a 404.
        assert response.status_code == 200 or (response.status_code == 404 and pages)


@FUZZ
@given(pairs=query_pairs({"q": text()}))
def test_robots_txt_ignores_generated_query_strings(client, pairs):
    assert client.get(f"/robots.txt?{encode_query(pairs)}").status_code == 200
