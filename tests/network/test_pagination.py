import pytest
from django.http import Http404
from django.test import RequestFactory

from network.pagination import paginate


def test_paginate_returns_the_page_asked_for():
    page = paginate(RequestFactory().get("/", {"page": "2"}), list(range(25)), 10)
    assert list(page.object_list) == list(range(10, 20))


@pytest.mark.parametrize("number", ["4", "0", "x"])
def test_paginate_answers_a_missing_page_with_a_clear_404(number):
    with pytest.raises(Http404, match=f"There is no page “{number}” of this list: it has 3 pages."):
        paginate(RequestFactory().get("/", {"page": number}), list(range(25)), 10)
