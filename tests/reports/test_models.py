import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reports.models import SavedReport
from tests.reports.factories import SavedReportFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"report": "no-such-report"}, "No report called 'no-such-report'"),
        ({"filters": "region=atlantis"}, "region"),
        ({"frequency": "weekly", "recipients": ""}, "at least one address"),
        ({"frequency": "weekly", "recipients": "a@example.org, not an address"}, "'not an address' is not an e-mail"),
    ],
)
def test_a_saved_report_is_checked(fields, message):
    saved = SavedReportFactory.build(**fields)
    with pytest.raises(ValidationError, match=message):
        saved.full_clean()


def test_a_schedule_without_recipients_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        SavedReportFactory(frequency="weekly", recipients="")


def test_recipients_are_read_from_lines_or_commas():
    saved = SavedReportFactory.build(recipients="a@example.org, b@example.org\nc@example.org\n")
    assert saved.recipient_list() == ["a@example.org", "b@example.org", "c@example.org"]


@pytest.mark.parametrize(
    ("frequency", "last", "now", "due"),
    [
        ("", None, datetime.datetime(2024, 12, 2, tzinfo=UTC), False),
        ("weekly", None, datetime.datetime(2024, 12, 2, tzinfo=UTC), True),
        ("weekly", datetime.datetime(2024, 12, 2, 6, tzinfo=UTC), datetime.datetime(2024, 12, 8, 6, tzinfo=UTC), False),
        (
            "weekly",
            datetime.datetime(2024, 12, 2, 6, tzinfo=UTC),
            datetime.datetime(2024, 12, 9, 5, 58, tzinfo=UTC),
            True,
        ),
        ("monthly", datetime.datetime(2024, 12, 1, tzinfo=UTC), datetime.datetime(2024, 12, 31, tzinfo=UTC), False),
        ("monthly", datetime.datetime(2024, 12, 31, tzinfo=UTC), datetime.datetime(2025, 1, 1, tzinfo=UTC), True),
    ],
)
def test_when_a_scheduled_report_is_due(frequency, last, now, due):
    assert SavedReport(frequency=frequency, last_sent_at=last).is_due(now) is due
