import csv
import datetime
import io
import zipfile

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.reports import ApplicationListReport, CallPipelineReport
from applications.status import Status
from network.models import Country
from tests.applications.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline():
    """The 2021 call (closed): Viet Nam with one application at each of three steps, the received one overdue;
    Ireland one endorsed; another call's application left out."""
    call = CallFactory(year=2021)
    vn, ie = Country.objects.get(code="VN"), Country.objects.get(code="IE")
    ApplicationFactory(call=call, country=vn, status=Status.RECEIVED, proposed_city_name="Waiting Town")
    ApplicationFactory(call=call, country=vn, status=Status.ENDORSED)
    ApplicationFactory(call=call, country=vn, status=Status.ADMITTED, existing=True)
    ApplicationFactory(call=call, country=vn, draft=True)  # the applicant's, not counted
    ApplicationFactory(call=call, country=ie, status=Status.ENDORSED)
    ApplicationFactory(call=CallFactory(year=2022), country=ie, status=Status.RECEIVED)
    return call


def _rows(report_class, **filters):
    report = report_class(filters)
    assert report.is_valid(), report.form.errors
    return list(report.rows())


def test_the_pipeline_counts_each_status_the_cap_and_overdue_endorsements(pipeline):
    # Columns: call, country, region, applications, received, endorsed, under review, recommended,
    # not recommended, admitted, not admitted, deferred, endorsed (cap used), cap, cap left, overdue.
    assert _rows(CallPipelineReport, call="2021") == [
        (2021, "Ireland", "Europe and North America", 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 3, 2, 0),
        (2021, "Viet Nam", "Asia and the Pacific", 3, 1, 1, 0, 0, 0, 1, 0, 0, 2, 3, 1, 1),
    ]


def test_nothing_is_overdue_before_the_endorsement_deadline(pipeline):
    pipeline.endorsement_due_on = datetime.date.today() + datetime.timedelta(days=1)
    pipeline.save()
    assert [row[-1] for row in _rows(CallPipelineReport, call="2021")] == [0, 0]


def test_an_unknown_call_is_a_form_error():
    report = CallPipelineReport({"call": "1999"})
    assert not report.is_valid()
    assert "There is no call for 1999" in report.error_text()


def test_the_application_list_leaves_out_contact_details_without_permission(pipeline):
    report = ApplicationListReport({"call": "2021"})
    assert "Contact e-mail" not in report.headers
    assert not any("@" in str(cell) for row in report.rows() for cell in row)
    with_personal = ApplicationListReport({"call": "2021"}, include_personal_data=True)
    assert any("@example.org" in str(cell) for row in with_personal.rows() for cell in row)


def test_the_pipeline_exports_as_csv_and_xlsx(client, make_staff, pipeline, django_assert_max_num_queries):
    client.force_login(make_staff("network.view_reports"))
    with django_assert_max_num_queries(12):
        response = client.get("/reports/call-pipeline.csv?call=2021")
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert table[0][:4] == ["Call", "Country", "Region", "Applications"]
    assert [row[1] for row in table[1:]] == ["Ireland", "Viet Nam"]
    xlsx = client.get("/reports/call-pipeline.xlsx?call=2021")
    with zipfile.ZipFile(io.BytesIO(b"".join(xlsx.streaming_content))) as book:
        assert "Viet Nam" in book.read("xl/worksheets/sheet1.xml").decode()


def test_the_pipeline_page_runs_the_same_queries_for_more_countries(client, make_staff, django_assert_num_queries):
    client.force_login(make_staff("network.view_reports"))
    call = CallFactory(year=2033)
    ApplicationFactory(call=call)
    client.get("/reports/call-pipeline/?call=2033")
    cache.clear()  # count the page as built, not as cached
    with CaptureQueriesContext(connection) as few:
        page = client.get("/reports/call-pipeline/?call=2033").content.decode()
    assert page.count("Testland") == 1
    ApplicationFactory.create_batch(20, call=call)
    cache.clear()
    with django_assert_num_queries(len(few)):
        page = client.get("/reports/call-pipeline/?call=2033").content.decode()
    assert page.count("Testland") == 21


def test_a_changed_application_shows_on_the_next_request(client, make_staff):
    client.force_login(make_staff("network.view_reports"))
    application = ApplicationFactory(call=CallFactory(year=2034), status=Status.RECEIVED)
    assert ">1<" in client.get("/reports/call-pipeline/?call=2034").content.decode()
    application.status = Status.ENDORSED
    application.save()
    row = client.get("/reports/call-pipeline/?call=2034").content.decode()
    assert row.count(">1<") >= 3  # applications, endorsed, cap used
