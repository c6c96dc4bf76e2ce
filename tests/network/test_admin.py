import pytest
from django.urls import reverse

from tests.network.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db


def test_city_change_form_records_progress_reports_inline(staff_client):
    report = ProgressReportFactory(title="Biennial report 2022")
    response = staff_client.get(reverse("admin:network_city_change", args=[report.city.pk]))
    assert response.status_code == 200
    assert "Biennial report 2022" in response.text
    assert 'name="progress_reports-0-received_on"' in response.text
