import datetime

import pytest
from django.utils import timezone

from network.reports import (
    UNDATED_NOTE,
    UNDATED_REASON,
    AwardWinnersReport,
    CityListReport,
    GrowthReport,
    JoinsAndDeparturesReport,
    MembersByCountryReport,
    MembershipTermListReport,
    OpenMembersReport,
    ProgressReportsDueReport,
)
from reports.base import DATE, TEXT, registered_reports
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db


def rows(report_class, **filters):
    report = report_class(filters)
    assert report.is_valid(), report.form.errors
    return list(report.rows())


def test_members_by_country_counts_members_on_the_chosen_date(small_network):
    assert rows(MembersByCountryReport, date="2024-12-31") == [
        ("Arab States", "Saudi Arabia", "SA", 1),
        ("Asia and the Pacific", "Viet Nam", "VN", 3),
        ("Europe and North America", "Ireland", "IE", 1),
    ]


def test_members_by_country_leaves_out_a_city_between_its_terms(small_network):
    # Cork left on 30 June 2018 and came back on 1 September 2021; Jubail's start is not recorded.
    assert rows(MembersByCountryReport, date="2019-06-30") == [("Arab States", "Saudi Arabia", "SA", 1)]
    assert rows(MembersByCountryReport, date="2016-01-01") == [
        ("Arab States", "Saudi Arabia", "SA", 1),
        ("Europe and North America", "Ireland", "IE", 1),
    ]


def test_members_by_country_filters_by_region(small_network):
    assert rows(MembersByCountryReport, date="2024-12-31", region="asia-pacific") == [
        ("Asia and the Pacific", "Viet Nam", "VN", 3)
    ]


def test_members_by_country_defaults_to_today(small_network):
    assert sum(row[3] for row in rows(MembersByCountryReport)) == 5


def test_members_by_country_today_follows_an_edit_at_once(small_network):
    """Today's counts are the ones kept per country (country_figures); other dates are counted by a query."""
    rows(MembersByCountryReport)
    MembershipTermFactory(city=CityFactory(country=small_network.vinh.country), start_date=datetime.date(2025, 1, 1))
    assert {row[2]: row[3] for row in rows(MembersByCountryReport)}["VN"] == 4
    assert {row[2]: row[3] for row in rows(MembersByCountryReport, date="2024-12-31")}["VN"] == 3


def test_members_by_country_chart_sums_regions(small_network):
    report = MembersByCountryReport({"date": "2024-12-31"})
    report.is_valid()
    chart = report.chart(list(report.rows()))
    assert [(bar.label, bar.value) for bar in chart.bars] == [
        ("Arab States", 1),
        ("Asia and the Pacific", 3),
        ("Europe and North America", 1),
    ]


def test_joins_and_departures_per_year_count_a_rejoin_and_a_year_only_date(small_network):
    expected = {2015: (1, 0), 2018: (0, 1), 2020: (2, 0), 2021: (1, 0), 2024: (1, 0)}
    # Quiet years up to this one are listed too, with zeros.
    assert rows(JoinsAndDeparturesReport) == [
        (year, *expected.get(year, (0, 0)), expected.get(year, (0, 0))[0] - expected.get(year, (0, 0))[1])
        for year in range(2015, timezone.localdate().year + 1)
    ]


def test_joins_and_departures_filters_by_region(small_network):
    assert rows(JoinsAndDeparturesReport, region="europe-north-america")[:7] == [
        (2015, 1, 0, 1),
        (2016, 0, 0, 0),
        (2017, 0, 0, 0),
        (2018, 0, 1, -1),
        (2019, 0, 0, 0),
        (2020, 0, 0, 0),
        (2021, 1, 0, 1),
    ]
    assert {row[1:] for row in rows(JoinsAndDeparturesReport, region="europe-north-america")[7:]} == {(0, 0, 0)}


def test_growth_counts_members_at_each_year_end(small_network):
    result = rows(GrowthReport)
    by_hand = [1, 1, 1, 0, 0, 2, 3, 3, 3, 4]  # 2015..2024, members with a recorded join date
    assert [(year, members) for year, _, members, _ in result[:10]] == list(
        zip(range(2015, 2025), by_hand, strict=True)
    )
    assert result[0][1] == datetime.date(2015, 12, 31)
    today = timezone.localdate()
    assert result[-2][:2] == (today.year, today)
    assert all(members == 4 for _, _, members, _ in result[10:-1])


def test_growth_puts_members_without_a_join_date_on_a_line_of_their_own(small_network):
    *_, last = rows(GrowthReport)
    assert last == (None, timezone.localdate(), 1, UNDATED_NOTE)  # Jubail
    assert rows(GrowthReport, region="asia-pacific")[-1][3] == ""  # no undated member there


def test_growth_is_empty_without_terms(db):
    assert rows(GrowthReport) == []


def test_progress_reports_due_counts_from_joining_or_the_last_report(small_network):
    assert rows(ProgressReportsDueReport, date="2024-12-31") == [
        # Joined in 2020 (year only): counted from 1 January 2020, due 1 January 2022.
        # The first day of "2020" is its sortable date: a date cell in XLSX, beside the text as recorded.
        (
            "Sa Đéc",
            "Viet Nam",
            "Asia and the Pacific",
            "2020",
            datetime.date(2020, 1, 1),
            None,
            datetime.date(2022, 1, 1),
            1095,
            None,
            "",
        ),
        # Re-joined 1 Sep 2021: the report of its first term does not count.
        (
            "Cork",
            "Ireland",
            "Europe and North America",
            "2021-09-01",
            datetime.date(2021, 9, 1),
            datetime.date(2017, 5, 1),
            datetime.date(2023, 9, 1),
            487,
            None,
            "",
        ),
        # No join date and no report: listed last, apart, with the reason.
        (
            "Jubail Industrial City",
            "Saudi Arabia",
            "Arab States",
            "not recorded",
            None,
            None,
            None,
            None,
            None,
            UNDATED_REASON,
        ),
    ]


def test_progress_reports_due_filters_by_region(small_network):
    due = rows(ProgressReportsDueReport, date="2024-12-31", region="europe-north-america")
    assert [row[0] for row in due] == ["Cork"]


def test_award_winners_by_year_and_region(small_network):
    assert [row[:4] for row in rows(AwardWinnersReport)] == [
        (2015, "Europe and North America", "Ireland", "Cork"),
        (2021, "Arab States", "Saudi Arabia", "Jubail Industrial City"),
        (2024, "Europe and North America", "Ireland", "Cork"),
    ]
    assert [row[0] for row in rows(AwardWinnersReport, region="europe-north-america", year="2024")] == [2024]


def test_city_list_shows_status_and_join_date_at_its_precision(small_network):
    by_name = {row[0]: row for row in rows(CityListReport)}
    assert by_name["Sa Đéc"][6:9] == ("Member", "2020", datetime.date(2020, 1, 1))
    assert by_name["Sơn La"][6:9] == ("Member", "2024-02", datetime.date(2024, 2, 1))
    assert by_name["Vinh"][6:9] == ("Member", "2020-09-23", datetime.date(2020, 9, 23))
    assert by_name["Jubail Industrial City"][6:9] == ("Member", None, None)
    assert by_name["Bouaké"][6:9] == ("Not a member", None, None)
    assert by_name["Jubail Industrial City"][1] == "الجبيل"


def test_city_list_filters(small_network):
    assert [r[0] for r in rows(CityListReport, status="never")] == ["Bouaké"]
    assert [r[0] for r in rows(CityListReport, country="Vietnam", joined="2020")] == ["Sa Đéc", "Vinh"]
    assert [r[0] for r in rows(CityListReport, q="sa dec")] == ["Sa Đéc"]


def test_city_list_rejects_an_unknown_country_with_a_suggestion(small_network):
    report = CityListReport({"country": "Vietnan"})
    assert not report.is_valid()
    assert "did you mean Viet Nam?" in report.error_text()


@pytest.mark.parametrize("country", ["Viêt Nam", "VNM", "704", "Vietnã", "Viet\u200b Nam"])
def test_city_list_reads_a_typed_country_as_the_imports_do(small_network, country):
    assert [r[0] for r in rows(CityListReport, country=country, joined="2020")] == ["Sa Đéc", "Vinh"]


def test_city_list_names_both_countries_of_an_ambiguous_name(small_network):
    report = CityListReport({"country": "Korea"})
    assert not report.is_valid()
    assert "Republic of Korea (KR)" in report.error_text()
    assert "Democratic People's Republic of Korea (KP)" in report.error_text()


def test_membership_terms_list_both_terms_of_a_city_that_rejoined(small_network):
    cork = rows(MembershipTermListReport, country="IE")
    assert [row[3:8] for row in cork] == [
        ("2015-03-01", datetime.date(2015, 3, 1), "Day", datetime.date(2018, 6, 30), "Withdrew"),
        ("2021-09-01", datetime.date(2021, 9, 1), "Day", None, ""),
    ]
    assert [row[0] for row in rows(MembershipTermListReport, end_reason="withdrew")] == ["Cork"]


def test_city_list_sorts_names_with_diacritics_among_their_letters():
    for name in ("Vinh", "Đà Nẵng", "Swansea", "Sơn La", "Cuenca", "Câmara de Lobos"):
        CityFactory(name=name)
    names = [row[0] for row in rows(CityListReport)]
    assert names == ["Câmara de Lobos", "Cuenca", "Đà Nẵng", "Sơn La", "Swansea", "Vinh"]


def test_lapsed_and_ending_lists_terms_ended_or_ending_near_the_date(small_network):
    from network.reports import LapsedAndEndingReport

    lapsed = rows(LapsedAndEndingReport, date="2018-12-31")
    assert [(r[0], r[4], r[5], r[6], r[7]) for r in lapsed] == [
        ("Cork", datetime.date(2015, 3, 1), datetime.date(2018, 6, 30), "Withdrew", True)
    ]
    assert rows(LapsedAndEndingReport, date="2018-12-31", days="100") == []
    assert rows(LapsedAndEndingReport, date="2024-12-31") == []


PARTIAL_DATE_HEADERS = ["Member since", "Start"]


@pytest.mark.parametrize("report_class", [*registered_reports(), OpenMembersReport], ids=lambda report: report.name)
def test_a_partial_date_column_is_followed_by_its_sortable_first_day(report_class):
    # A partial date ("2020", "2024-02") is text; sorting and date filters in a spreadsheet need a date beside it.
    for index, column in enumerate(report_class.columns):
        header = str(column.header)
        if header in PARTIAL_DATE_HEADERS and column.kind == TEXT:
            companion = report_class.columns[index + 1]
            assert (str(companion.header), companion.kind) == (f"{header} (first day)", DATE)
