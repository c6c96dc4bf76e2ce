import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from core.urls import reverse_for_each


@pytest.mark.parametrize(
    ("viewname", "values"),
    [
        ("network:city_detail", ["vinh", "sa-dec", "ha-noi-2", "A_b-1"]),
        ("admin:network_city_change", [1, 42, 918273645]),
        ("network:progress_report_record", [7, 100123]),
    ],
)
def test_gives_what_reverse_gives_for_each_value(viewname, values):
    for language in ("en", "fr", "ar"):
        with translation.override(language):
            address = reverse_for_each(viewname)
            assert [address(value) for value in values] == [reverse(viewname, args=[value]) for value in values]


def test_an_unknown_view_raises_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        reverse_for_each("network:no_such_page")
