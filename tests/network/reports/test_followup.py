import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from network.models import ProgressReport, Reminder
from network.reports import ProgressReportsDueReport
from network.reports.followup import reminder_send
from tests.network.factories import CityFactory, ReminderFactory

pytestmark = pytest.mark.django_db

VIEW = "network.view_reports"


def record_url(city, next_url=""):
    return reverse("network:progress_report_record", args=[city.pk]) + (f"?next={next_url}" if next_url else "")


def remind_url(city):
    return reverse("network:reminder_create", args=[city.pk])


def test_the_due_list_offers_staff_to_record_or_remind(client, make_staff, small_network):
    client.force_login(make_staff(VIEW, "network.add_progressreport", "network.add_reminder"))
    html = client.get(reverse("reports:detail", args=["progress-reports-due"]), {"date": "2024-12-31"}).text
    assert '<th scope="col">Follow-up</th>' in html
    assert f'href="{record_url(small_network.cork)}?next=' in html
    assert f'href="{remind_url(small_network.cork)}?next=' in html


def test_recording_a_report_takes_the_city_off_the_due_list(client, make_staff, small_network):
    client.force_login(make_staff(VIEW, "network.add_progressreport"))
    back = "/reports/progress-reports-due/?date=2024-12-31"
    response = client.post(
        record_url(small_network.cork), {"received_on": "2024-12-01", "title": "Cork 2024", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    assert ProgressReport.objects.filter(city=small_network.cork, title="Cork 2024").exists()
    report = ProgressReportsDueReport({"date": "2024-12-31"})
    report.is_valid()
    assert "Cork" not in [row[0] for row in report.rows()]


def test_a_bad_report_is_refused_with_the_form_errors(client, make_staff, small_network):
    client.force_login(make_staff(VIEW, "network.add_progressreport"))
    response = client.post(record_url(small_network.cork), {"received_on": "31/31/2024", "title": ""})
    assert response.status_code == 200 and "Enter a valid date" in response.text
    assert not ProgressReport.objects.filter(title="").exists()


def test_an_offsite_next_is_ignored(client, make_staff, small_network):
    client.force_login(make_staff(VIEW, "network.add_progressreport"))
    response = client.post(
        record_url(small_network.cork), {"received_on": "2024-12-01", "title": "x", "next": "https://evil.example/"}
    )
    assert response["Location"] == small_network.cork.get_absolute_url()


def test_follow_up_needs_its_permission(client, make_staff, small_network):
    client.force_login(make_staff(VIEW))
    assert client.get(record_url(small_network.cork)).status_code == 403
    assert client.post(remind_url(small_network.cork)).status_code == 403
    assert Reminder.objects.count() == 0


def test_a_reminder_is_mailed_to_the_contact_and_logged_on_the_city(client, make_staff, small_network):
    cork = small_network.cork
    cork.contact_email = "learningcity@cork.example"
    cork.save()
    client.force_login(make_staff(VIEW, "network.add_reminder", username="manager1"))
    preview = client.get(remind_url(cork))
    assert "learningcity@cork.example" in preview.text and "Send the reminder" in preview.text
    response = client.post(remind_url(cork), {"next": "/reports/progress-reports-due/"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["learningcity@cork.example"]
    assert message.subject == "Progress report due: Cork"
    assert "1 May 2017" in message.body  # its last report
    reminder = cork.reminders.get()
    assert (reminder.recipient, reminder.sent_by_name, reminder.subject) == (
        "learningcity@cork.example",
        "manager1",
        message.subject,
    )
    report = ProgressReportsDueReport({"date": "2024-12-31"})
    report.is_valid()
    last_reminder = [column.header for column in report.columns].index("Last reminder")
    reminded = {row[0]: row[last_reminder] for row in report.rows()}
    assert reminded["Cork"] == reminder.sent_at.date() and reminded["Sa Đéc"] is None


def test_a_reminder_goes_in_the_citys_language_of_correspondence(client, make_staff, small_network):
    cork = small_network.cork
    cork.contact_email, cork.correspondence_language = "learningcity@cork.example", "fr"
    cork.save()
    client.force_login(make_staff(VIEW, "network.add_reminder"))

    client.post(remind_url(cork))

    message = mail.outbox[0]
    assert "1 mai 2017" in message.body  # its last report, dated as French writes a day
    assert "Cork" in message.subject and message.subject != "Progress report due: Cork"
    assert cork.reminders.get().language == "fr"


def test_staff_can_show_and_send_the_reminder_in_another_language(client, make_staff, small_network):
    cork = small_network.cork
    cork.contact_email = "learningcity@cork.example"  # English by default
    cork.save()
    client.force_login(make_staff(VIEW, "network.add_reminder"))

    preview = client.get(remind_url(cork), {"language": "es"})
    assert "1 de mayo de 2017" in preview.text
    assert '<input type="hidden" name="language" value="es">' in preview.text

    client.post(remind_url(cork), {"language": "es"})
    assert "1 de mayo de 2017" in mail.outbox[0].body and cork.reminders.get().language == "es"


def test_an_unknown_language_falls_back_to_the_citys(client, make_staff, small_network):
    cork = small_network.cork
    cork.contact_email = "learningcity@cork.example"
    cork.save()
    client.force_login(make_staff(VIEW, "network.add_reminder"))
    assert "1 May 2017" in client.get(remind_url(cork), {"language": "xx"}).text


def test_no_reminder_without_a_contact_address(client, make_staff, small_network):
    client.force_login(make_staff(VIEW, "network.add_reminder"))
    response = client.post(remind_url(small_network.vinh))
    assert response.status_code == 409 and "has no contact e-mail" in response.text
    assert mail.outbox == [] and Reminder.objects.count() == 0
    with pytest.raises(ValueError, match="has no contact e-mail"):
        reminder_send(city=small_network.vinh, user=None)


def test_reminders_are_listed_on_the_city_admin_page(staff_client):
    city = CityFactory(contact_email="a@example.org")
    ReminderFactory(city=city, subject="Progress report due: here")
    html = staff_client.get(reverse("admin:network_city_change", args=[city.pk])).text
    assert "Progress report due: here" in html


def test_the_due_list_shows_a_reminder_at_once_after_it_was_sent(client, make_staff, small_network):
    cork = small_network.cork
    cork.contact_email = "learningcity@cork.example"
    cork.save()
    client.force_login(make_staff(VIEW, "network.add_reminder"))
    due = reverse("reports:detail", args=["progress-reports-due"])
    client.get(due)  # kept until the records change
    client.post(remind_url(cork), {"next": due})
    sent = timezone.localtime(cork.reminders.get().sent_at).date()
    row = client.get(due).text.split(f'href="{cork.get_absolute_url()}"', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td class="kind-date">([^<]*)</td>', row)  # since, report, due, reminder
    assert cells[-1] == date_format(sent, "j M Y"), row
