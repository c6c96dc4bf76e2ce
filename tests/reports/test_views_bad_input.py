"""Generated filters on every report page and export: the report, or its page with the filters' errors (400)."""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.base import VIEW_REPORTS, get_report_class, registered_reports
from tests.bad_input import EXAMPLES, FUZZ, assert_errors_shown, encode_query, field_values, page_numbers, query_pairs

pytestmark = pytest.mark.django_db

REPORTS = [report.name for report in registered_reports()]


@pytest.fixture
def manager_client(client, make_staff):
    client.force_login(make_staff(VIEW_REPORTS, "conferences.export_personal_data"))
    return client


@pytest.fixture
def report_queries(small_network, name):
    """Every filter of the report (what its form offers, and junk), and page numbers."""
    fields = get_report_class(name)().form.fields
    return query_pairs({key: field_values(field) for key, field in fields.items()} | {"page": page_numbers()})


@pytest.mark.parametrize("name", REPORTS)
@settings(FUZZ, max_examples=EXAMPLES // 2)  # 22 reports, each with a page and two exports
@given(data=st.data())
def test_report_answers_generated_filters_with_the_report_or_its_errors(manager_client, name, report_queries, data):
    query = encode_query(data.draw(report_queries, label="query"))
    fmt = data.draw(st.sampled_from([None, "csv", "xlsx"]), label="format")
    url = reverse("reports:detail", args=[name]) if fmt is None else reverse("reports:export", args=[name, fmt])

    response = manager_client.get(f"{url}?{query}")

    if response.status_code == 400:
        form = response.context["report"].form
        assert form.errors
        assert_errors_shown(response, form)
    else:
        assert response.status_code == 200
        if fmt:
            assert b"".join(response.streaming_content)  # rows are read as the file streams


DATED_REPORTS = [name for name in REPORTS if "date" in get_report_class(name)().form.fields]


@pytest.mark.parametrize("name", DATED_REPORTS)
@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("0001-01-01", "Give a date in 1900 or later."),
        ("1899-12-31", "Give a date in 1900 or later."),
        ("9999-12-31", "Give a date in 2999 or earlier."),
    ],
)
def test_a_date_at_the_ends_of_the_calendar_is_refused(manager_client, small_network, name, date, message):
    # "Within 365 days of 0001-01-01" overflowed the date arithmetic (OverflowError, a 500) in lapsed-and-ending.
    response = manager_client.get(reverse("reports:detail", args=[name]), {"date": date})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("name", DATED_REPORTS)
@pytest.mark.parametrize("date", ["1900-01-01", "2999-12-31"])
def test_the_first_and_last_dates_a_report_takes_give_the_report(manager_client, small_network, name, date):
    response = manager_client.get(reverse("reports:detail", args=[name]), {"date": date, "days": 3660})
    assert response.status_code == 200
