import pytest
from django.utils import translation

from conferences.reports import (
    ConferencesByCityReport,
    ConferencesByCountryReport,
    DelegateListReport,
    DelegationListReport,
    ParticipationByConferenceReport,
    ParticipationByRegionReport,
    ParticipationMatrixReport,
)

pytestmark = pytest.mark.django_db


def rows(report_class, *, include_personal_data=False, **filters):
    report = report_class(filters, include_personal_data=include_personal_data)
    assert report.is_valid(), report.form.errors
    return list(report.rows())


def test_participation_by_conference_counts_members_and_roles(small_network):
    # Columns: conference, year, delegations, countries, member cities, delegates,
    # city leaders, policymakers, researchers, educators, practitioners, other.
    assert rows(ParticipationByConferenceReport) == [
        ("ICLC 5", 2021, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0),
        ("ICLC 6", 2024, 5, 3, 4, 7, 1, 2, 1, 1, 1, 1),
    ]


def test_participation_by_conference_filters_by_conference_number(small_network):
    assert [row[0] for row in rows(ParticipationByConferenceReport, conference="6")] == ["ICLC 6"]


def test_participation_by_region_splits_each_conference(small_network):
    assert rows(ParticipationByRegionReport, conference="6") == [
        ("ICLC 6", "Africa", 1, 1, 0, 2, 0, 0, 0, 0, 1, 1),
        ("ICLC 6", "Asia and the Pacific", 3, 1, 3, 4, 1, 1, 1, 1, 0, 0),
        ("ICLC 6", "Europe and North America", 1, 1, 1, 1, 0, 1, 0, 0, 0, 0),
    ]


def test_conferences_by_city_lists_what_each_city_attended(small_network):
    assert rows(ConferencesByCityReport) == [
        ("Bouaké", "Côte d'Ivoire", "Africa", 2, "ICLC 5, ICLC 6", 3),
        ("Cork", "Ireland", "Europe and North America", 2, "ICLC 5, ICLC 6", 2),
        ("Sa Đéc", "Viet Nam", "Asia and the Pacific", 1, "ICLC 6", 1),
        ("Sơn La", "Viet Nam", "Asia and the Pacific", 1, "ICLC 6", 1),
        ("Vinh", "Viet Nam", "Asia and the Pacific", 2, "ICLC 5, ICLC 6", 2),
    ]
    assert [row[0] for row in rows(ConferencesByCityReport, country="Viet Nam", q="s")] == ["Sa Đéc", "Sơn La"]


def test_conferences_by_country_counts_cities_sent(small_network):
    assert rows(ConferencesByCountryReport) == [
        ("Côte d'Ivoire", "Africa", 2, "ICLC 5, ICLC 6", 2, 3),
        ("Ireland", "Europe and North America", 2, "ICLC 5, ICLC 6", 2, 2),
        ("Viet Nam", "Asia and the Pacific", 2, "ICLC 5, ICLC 6", 4, 4),
    ]


def test_participation_matrix_by_city(small_network):
    report = ParticipationMatrixReport({})
    assert report.is_valid()
    assert report.headers == ["City", "Country", "Region", "ICLC 5", "ICLC 6"]
    assert list(report.rows()) == [
        ("Bouaké", "Côte d'Ivoire", "Africa", 1, 2),
        ("Cork", "Ireland", "Europe and North America", 1, 1),
        ("Sa Đéc", "Viet Nam", "Asia and the Pacific", None, 1),
        ("Sơn La", "Viet Nam", "Asia and the Pacific", None, 1),
        ("Vinh", "Viet Nam", "Asia and the Pacific", 0, 2),
    ]


def test_participation_matrix_by_country_counts_cities(small_network):
    assert rows(ParticipationMatrixReport, level="country") == [
        ("Côte d'Ivoire", "Africa", 1, 1),
        ("Ireland", "Europe and North America", 1, 1),
        ("Viet Nam", "Asia and the Pacific", 1, 3),
    ]


def test_delegation_list_marks_the_non_member_delegation(small_network):
    result = rows(DelegationListReport, conference="6")
    assert {row[1]: row[4] for row in result} == {
        "Bouaké": False,
        "Cork": True,
        "Sa Đéc": True,
        "Sơn La": True,
        "Vinh": True,
    }
    assert [row[1] for row in rows(DelegationListReport, member="no")] == ["Bouaké", "Bouaké"]


def test_delegate_list_leaves_out_contact_fields_without_permission(small_network):
    report = DelegateListReport({})
    assert "E-mail" not in report.headers and "Notes" not in report.headers
    personal = DelegateListReport({}, include_personal_data=True)
    assert personal.headers[-3:] == ["E-mail", "Phone", "Notes"]
    assert all("@example.org" in row[-3] for row in rows(DelegateListReport, include_personal_data=True))


def test_delegate_list_filters_by_role_and_conference(small_network):
    result = rows(DelegateListReport, conference="6", role="policymaker")
    assert [(row[0], row[1], row[5]) for row in result] == [
        ("ICLC 6", "Vinh", "Policymaker"),
        ("ICLC 6", "Cork", "Policymaker"),
    ]


def test_participation_chart_at_200_conferences_is_readable_bars(client, make_staff):
    from django.contrib.auth.models import Permission  # noqa: F401

    from tests.conferences.factories import ConferenceFactory, DelegationFactory

    for conference in ConferenceFactory.create_batch(200):
        DelegationFactory(conference=conference)
    client.force_login(make_staff("network.view_reports"))
    html = client.get("/reports/participation-by-conference/").text
    assert 'class="report-chart chart-bars"' in html
    assert html.count('class="chart-bar"') == 25 and "Others (176)" in html
    assert "Delegations &rarr;" in html  # the value axis is named


def test_never_at_a_conference_since_joining(small_network):
    from conferences.reports import NeverAtAConferenceReport

    # End of 2021: Sa Đéc (member since 2020) missed ICLC 5; Jubail (no join date) has never come; Vinh and Cork
    # (back since Sep 2021) were at ICLC 5 in October 2021.
    assert [(r[0], r[3]) for r in rows(NeverAtAConferenceReport, date="2021-12-31")] == [
        ("Sa Đéc", "2020"),
        ("Jubail Industrial City", None),
    ]
    assert [r[0] for r in rows(NeverAtAConferenceReport, date="2024-12-31")] == ["Jubail Industrial City"]
    assert rows(NeverAtAConferenceReport, date="2021-12-31", region="europe-north-america") == []


def test_the_conference_filter_is_chosen_by_name(client, make_staff, small_network):
    client.force_login(make_staff("network.view_reports"))
    html = client.get("/reports/delegations/", {"conference": "6"}).text
    assert '<option value="6" selected>ICLC 6 (2024)</option>' in html
    assert '<option value="5">ICLC 5 (2021)</option>' in html


def test_conferences_by_country_names_and_sorts_countries_in_the_readers_language(small_network):
    with translation.override("fr"):
        assert rows(ConferencesByCountryReport) == [
            ("Côte d’Ivoire", "Afrique", 2, "ICLC 5, ICLC 6", 2, 3),
            ("Irlande", "Europe et Amérique du Nord", 2, "ICLC 5, ICLC 6", 2, 2),
            ("Viêt Nam", "Asie et Pacifique", 2, "ICLC 5, ICLC 6", 4, 4),
        ]


def test_participation_matrix_names_countries_in_the_readers_language(small_network):
    with translation.override("es"):
        assert rows(ParticipationMatrixReport, level="country") == [
            ("Côte d’Ivoire", "África", 1, 1),
            ("Irlanda", "Europa y América del Norte", 1, 1),
            ("Vietnam", "Asia y el Pacífico", 1, 3),
        ]
