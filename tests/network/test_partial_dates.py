import datetime

import pytest

from network.partial_dates import DatePrecision, iso_partial_date


@pytest.mark.parametrize(
    ("precision", "expected"),
    [(DatePrecision.YEAR, "2024"), (DatePrecision.MONTH, "2024-02"), (DatePrecision.DAY, "2024-02-14")],
)
def test_iso_partial_date_keeps_only_what_is_known(precision, expected):
    assert iso_partial_date(datetime.date(2024, 2, 14), precision) == expected


def test_iso_partial_date_of_nothing_is_empty():
    assert iso_partial_date(None, DatePrecision.DAY) == ""
