import datetime

import pytest

from network.models import City
from network.reports.dashboard import data_gaps_panel, follow_up_panel, membership_panel
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db

END_OF_2024 = datetime.date(2024, 12, 31)


def figures(panel) -> dict:
    return {figure.label: figure.value for figure in panel.figures}


def test_membership_panel_counts_members_joins_and_departures(small_network):
    panel = membership_panel(END_OF_2024)
    # Vinh, Sa Đéc, Sơn La, Cork (back since 2021), Jubail (join date not recorded); Bouaké never joined.
    assert figures(panel) == {
        "Members today": 5,
        "Joined in 2024": 1,
        "Joined in 2023": 0,
        "Left in 2024": 0,
        "Left in 2023": 0,
    }
    by_region = {label: figs[0].value for label, figs in panel.rows}
    assert by_region["Asia and the Pacific"] == 3
    assert by_region["Arab States"] == 1 and by_region["Europe and North America"] == 1
    assert by_region["Africa"] == 0
    assert figures(membership_panel(datetime.date(2018, 12, 31)))["Left in 2018"] == 1  # Cork withdrew


def test_follow_up_panel_separates_overdue_from_undated(small_network):
    # On 31 Dec 2024: Sa Đéc (since 2020) and Cork (back since Sep 2021) owe a report; Jubail has no date.
    assert figures(follow_up_panel(END_OF_2024)) == {
        "Terms ending soon": 0,
        "Progress reports overdue": 2,
        "Members with no date to count a report from": 1,
    }


def test_terms_ending_soon_counts_terms_ending_within_90_days(small_network):
    MembershipTermFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2025, 3, 1))
    MembershipTermFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2025, 6, 1))
    assert figures(follow_up_panel(END_OF_2024))["Terms ending soon"] == 1


def test_data_gaps_panel_counts_missing_coordinates_join_dates_and_likely_duplicates(small_network):
    City.objects.update(latitude=1, longitude=1)
    City.objects.filter(pk=small_network.cork.pk).update(latitude=None, longitude=None)
    CityFactory(name="Sa Dec", country=small_network.sa_dec.country, latitude=10, longitude=105)  # Sa Đéc again
    CityFactory(name="Sa Dec", country=small_network.jubail.country, latitude=10, longitude=105)  # not in Viet Nam
    assert figures(data_gaps_panel(END_OF_2024)) == {
        "Cities without coordinates": 1,
        "Members without a join date": 1,  # Jubail
        "Cities that may be duplicates": 2,
        "Imports previewed, never applied": 0,
    }


def test_every_figure_opens_the_list_it_counts(small_network, staff_client):
    City.objects.update(latitude=1, longitude=1)
    City.objects.filter(pk=small_network.cork.pk).update(latitude=None, longitude=None)
    today = datetime.date.today()
    panels = [membership_panel(today), follow_up_panel(today), data_gaps_panel(today)]
    links = [f for panel in panels for f in panel.figures] + [f for p in panels for _, fs in p.rows for f in fs]
    for figure in links:
        response = staff_client.get(figure.url)
        assert response.status_code == 200, (figure.label, figure.url)
        assert "errornote" not in response.text, figure.url
    gaps = staff_client.get(data_gaps_panel(today).figures[0].url)
    assert "Cork" in gaps.text and "Vinh" not in gaps.text
    duplicates = staff_client.get(data_gaps_panel(today).figures[2].url)
    assert "No rows match" in duplicates.text


def test_data_gaps_count_imports_previewed_and_never_applied(db):
    from tests.imports.factories import ImportRecordFactory

    ImportRecordFactory(previewed=True)
    ImportRecordFactory()  # applied: not a gap
    assert figures(data_gaps_panel(END_OF_2024))["Imports previewed, never applied"] == 1
