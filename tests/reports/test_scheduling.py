import io

import openpyxl
import pytest
from django.core import mail

from reports.scheduling import saved_report_file, saved_report_send
from tests.reports.factories import SavedReportFactory

pytestmark = pytest.mark.django_db


def test_the_sent_csv_is_the_same_bytes_as_the_page_export(client, make_staff, small_network):
    saved = SavedReportFactory(filters="date=2024-12-31&region=asia-pacific", format="csv")
    client.force_login(make_staff("network.view_reports"))
    page = client.get("/reports/members-by-country.csv?date=2024-12-31&region=asia-pacific")
    name, data, content_type = saved_report_file(saved=saved)
    assert data == b"".join(page.streaming_content)
    assert name == "members-by-country_asia-pacific_2024-12-31.csv"
    assert content_type.startswith("text/csv")


def test_the_sent_xlsx_holds_the_page_export_rows(client, make_staff, small_network):
    saved = SavedReportFactory(filters="date=2024-12-31", format="xlsx")
    client.force_login(make_staff("network.view_reports"))
    page = client.get("/reports/members-by-country.xlsx?date=2024-12-31")

    def sheets(data):
        book = openpyxl.load_workbook(io.BytesIO(data))
        return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets[:-1]]

    _, data, _ = saved_report_file(saved=saved)
    assert sheets(data) == sheets(b"".join(page.streaming_content))


def test_sending_mails_the_file_and_records_when(small_network):
    saved = SavedReportFactory(frequency="weekly", recipients="a@example.org\nb@example.org", format="xlsx")
    assert saved_report_send(saved=saved) == 1
    message = mail.outbox[0]
    assert message.to == ["a@example.org", "b@example.org"]
    ((name, data, _),) = message.attachments
    assert name.startswith("members-by-country_asia-pacific_") and name.endswith(".xlsx")
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames[-1] == "About"
    saved.refresh_from_db()
    assert saved.last_sent_at is not None
