import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from network.models import City, Country
from reports.export import BOM
from tests.conferences.factories import SessionFactory
from tests.network.factories import CityFactory, ClusterMembershipFactory

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "network_region",
    "network_country",
    "network_city",
    "network_membershipterm",
    "network_award",
    "network_cluster",
    "network_clustermembership",
    "conferences_venue",
    "conferences_conference",
    "conferences_session",
    "conferences_delegation",
    "conferences_delegate",
]


def run_action(client, changelist, action, pks, query=""):
    url = reverse(f"admin:{changelist}_changelist") + query
    return client.post(url, {"action": action, "_selected_action": [str(pk) for pk in pks]})


def read_csv(response):
    data = b"".join(response.streaming_content)
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode(), newline="")))


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_every_changelist_offers_both_exports(staff_client, small_network, changelist):
    SessionFactory(conference=small_network.iclc6)
    ClusterMembershipFactory(city=small_network.vinh)
    response = staff_client.get(reverse(f"admin:{changelist}_changelist"))
    assert "Export selected as CSV" in response.text
    assert "Export selected as XLSX" in response.text


def test_export_selected_cities_as_csv_holds_only_the_selection(staff_client, small_network):
    chosen = [small_network.vinh.pk, small_network.bouake.pk]
    # Bouaké never joined: the changelist shows it once "All" replaces the default "Current members".
    rows = read_csv(run_action(staff_client, "network_city", "export_selected_csv", chosen, "?membership=all"))
    assert sorted(row[0] for row in rows[1:]) == ["Bouaké", "Vinh"]


def test_export_selected_as_xlsx(staff_client, small_network):
    countries = Country.objects.filter(code__in=["VN", "IE"]).values_list("pk", flat=True)
    response = run_action(staff_client, "network_country", "export_selected_xlsx", countries)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [row[:2] for row in book.active.iter_rows(min_row=2, values_only=True)] == [
        ("Ireland", "IE"),
        ("Viet Nam", "VN"),
    ]


def test_delegate_export_action_respects_the_personal_data_permission(client, make_staff, small_network):
    delegates = small_network.vinh.delegations.get(conference=small_network.iclc6).delegates.all()
    pks = list(delegates.values_list("pk", flat=True))
    client.force_login(make_staff("network.view_reports", "conferences.view_delegate"))
    header = read_csv(run_action(client, "conferences_delegate", "export_selected_csv", pks))[0]
    assert "E-mail" not in header

    client.force_login(
        make_staff(
            "network.view_reports",
            "conferences.view_delegate",
            "conferences.export_personal_data",
            username="manager",
        )
    )
    rows = read_csv(run_action(client, "conferences_delegate", "export_selected_csv", pks))
    assert rows[0][-3:] == ["E-mail", "Phone", "Notes"] and len(rows) == 3


def test_export_actions_need_the_view_reports_permission(client, make_staff, small_network):
    client.force_login(make_staff("network.view_city"))
    response = client.get(reverse("admin:network_city_changelist"))
    assert response.status_code == 200
    assert "Export selected as CSV" not in response.text
    response = run_action(client, "network_city", "export_selected_csv", [small_network.vinh.pk])
    assert not response.streaming
    assert City.objects.count() == 6


def test_changelist_checkboxes_are_the_ones_django_draws():
    from django.contrib import admin

    city = CityFactory(name="Sa Đéc <&>")
    model_admin = admin.site._registry[City]
    assert model_admin.action_checkbox(city) == admin.ModelAdmin.action_checkbox(model_admin, city)
