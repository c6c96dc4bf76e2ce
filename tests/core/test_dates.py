import datetime

import pytest
from django.utils import translation

from core.dates import (
    DatePrecision,
    add_years,
    format_date_range,
    format_partial_date,
    iso_partial_date,
    parse_partial_date,
    truncate,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", (datetime.date(2024, 1, 1), DatePrecision.YEAR)),
        ("2024-02", (datetime.date(2024, 2, 1), DatePrecision.MONTH)),
        ("February 2024", (datetime.date(2024, 2, 1), DatePrecision.MONTH)),
        ("Feb. 2024", (datetime.date(2024, 2, 1), DatePrecision.MONTH)),
        ("2024-02-14", (datetime.date(2024, 2, 14), DatePrecision.DAY)),
        ("14 February 2024", (datetime.date(2024, 2, 14), DatePrecision.DAY)),
        ("  4 december 2025 ", (datetime.date(2025, 12, 4), DatePrecision.DAY)),
    ],
)
def test_parse_partial_date_reads_each_precision(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["2024-13-01", "2024-02-30", "31 Smarch 2024", "", "next year", "24"])
def test_parse_partial_date_refuses_what_is_not_a_date_with_a_readable_message(text):
    with pytest.raises(ValueError) as error:
        parse_partial_date(text)

    message = str(error.value)
    assert f"'{text.strip()}' is not a date" in message
    assert "2024-02-14" in message  # tells the person which forms are accepted


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        (datetime.date(2020, 1, 1), DatePrecision.YEAR, "2020"),
        (datetime.date(2024, 2, 1), DatePrecision.MONTH, "February 2024"),
        (datetime.date(2025, 12, 4), DatePrecision.DAY, "4 December 2025"),
        (None, DatePrecision.DAY, ""),
    ],
)
def test_format_partial_date_shows_no_more_than_the_precision(value, precision, expected):
    assert format_partial_date(value, precision) == expected


def test_format_partial_date_never_shows_an_unrecorded_day_or_month():
    assert format_partial_date(datetime.date(2020, 9, 23), DatePrecision.YEAR) == "2020"
    assert format_partial_date(datetime.date(2024, 2, 14), DatePrecision.MONTH) == "February 2024"


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        (DatePrecision.YEAR, datetime.date(2024, 1, 1)),
        (DatePrecision.MONTH, datetime.date(2024, 2, 1)),
        (DatePrecision.DAY, datetime.date(2024, 2, 14)),
    ],
)
def test_truncate_gives_the_first_day_of_the_period(precision, expected):
    assert truncate(datetime.date(2024, 2, 14), precision) == expected


@pytest.mark.parametrize(
    ("precision", "expected"),
    [(DatePrecision.YEAR, "2024"), (DatePrecision.MONTH, "2024-02"), (DatePrecision.DAY, "2024-02-14")],
)
def test_iso_partial_date_keeps_only_what_is_known(precision, expected):
    assert iso_partial_date(datetime.date(2024, 2, 14), precision) == expected


def test_iso_partial_date_of_nothing_is_empty():
    assert iso_partial_date(None, DatePrecision.DAY) == ""


@pytest.mark.parametrize(
    ("language", "value", "precision", "expected"),
    [
        ("fr", datetime.date(2024, 2, 1), DatePrecision.MONTH, "février 2024"),
        ("ar", datetime.date(2024, 2, 1), DatePrecision.MONTH, "فبراير 2024"),
        ("fr", datetime.date(2025, 12, 4), DatePrecision.DAY, "4 décembre 2025"),
        ("en", datetime.date(2025, 12, 4), DatePrecision.DAY, "4 December 2025"),
        ("fr", datetime.date(2020, 1, 1), DatePrecision.YEAR, "2020"),
    ],
)
def test_format_partial_date_writes_the_month_in_the_active_language(language, value, precision, expected):
    with translation.override(language):
        assert format_partial_date(value, precision) == expected


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("en", datetime.date(2024, 12, 3), datetime.date(2024, 12, 5), "3–5 December 2024"),
        ("fr", datetime.date(2024, 12, 3), datetime.date(2024, 12, 5), "3–5 décembre 2024"),
        ("en", datetime.date(2024, 11, 3), datetime.date(2024, 12, 2), "3 November – 2 December 2024"),
        ("fr", datetime.date(2024, 11, 3), datetime.date(2024, 12, 2), "3 novembre – 2 décembre 2024"),
        ("en", datetime.date(2024, 12, 30), datetime.date(2025, 1, 2), "30 December 2024 – 2 January 2025"),
        ("en", datetime.date(2024, 12, 3), datetime.date(2024, 12, 3), "3 December 2024"),
        ("en", datetime.date(2024, 12, 3), None, "3 December 2024"),
    ],
)
def test_format_date_range_writes_the_shared_month_and_year_once(language, start, end, expected):
    with translation.override(language):
        assert format_date_range(start, end) == expected


def test_format_date_range_of_a_start_known_to_the_month_or_not_at_all():
    with translation.override("fr"):
        assert format_date_range(datetime.date(2026, 9, 1), None, DatePrecision.MONTH) == "septembre 2026"
    assert format_date_range(None, None) == "dates to be announced"


def test_add_years_moves_29_february_to_28():
    assert add_years(datetime.date(2024, 2, 29), 2) == datetime.date(2026, 2, 28)


def test_add_years_stops_at_the_ends_of_the_calendar():
    # Found by tests/reports/test_views_bad_input.py: "progress reports due on 0001-01-01" raised ValueError.
    assert add_years(datetime.date(1, 1, 1), -2) == datetime.date.min
    assert add_years(datetime.date(9999, 6, 30), 2) == datetime.date.max
