import io

import pytest
from django.core import mail
from django.core.management import call_command

from reports.models import SavedReport
from tests.reports.factories import SavedReportFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("send_scheduled_reports", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_sends_what_is_due_once(small_network):
    due = SavedReportFactory(name="Weekly members", frequency="weekly", recipients="a@example.org")
    SavedReportFactory(name="Not scheduled")
    out, err = run()
    assert "sent: Weekly members to a@example.org" in out and "1 due, 1 sent, 0 refused" in err
    assert len(mail.outbox) == 1
    due.refresh_from_db()
    assert due.last_sent_at is not None
    out, err = run()  # a week has not passed
    assert out == "" and len(mail.outbox) == 1


def test_dry_run_sends_nothing(small_network):
    SavedReportFactory(name="Monthly", frequency="monthly", recipients="a@example.org")
    out, _ = run("--dry-run")
    assert "due: Monthly" in out and mail.outbox == []
    assert SavedReport.objects.get().last_sent_at is None


def test_a_saved_report_whose_filters_no_longer_hold_is_reported_not_sent(small_network):
    SavedReportFactory(name="Broken", frequency="weekly", recipients="a@example.org", filters="region=atlantis")
    SavedReportFactory(name="Fine", frequency="weekly", recipients="b@example.org")
    out, err = run()
    assert "not sent: 'Broken'" in err and "sent: Fine" in out
    assert [m.to for m in mail.outbox] == [["b@example.org"]]
