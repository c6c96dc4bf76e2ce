import pytest
from django.utils import translation

from core.translation import collation_key
from network.reports import CountryListReport, MembersByCountryReport


@pytest.mark.django_db
def test_report_columns_naming_country_and_region_names_are_in_the_readers_language(small_network):
    with translation.override("fr"):
        report = MembersByCountryReport({"date": "2024-12-31"})
        assert report.is_valid()
        rows = list(report.rows())
    assert rows == [
        ("Asie et Pacifique", "Viêt Nam", "VN", 3),
        ("États arabes", "Arabie saoudite", "SA", 1),
        ("Europe et Amérique du Nord", "Irlande", "IE", 1),
    ]


@pytest.mark.django_db
def test_report_ordered_by_country_name_follows_the_languages_collation():
    with translation.override("fr"):
        report = CountryListReport({})
        assert report.is_valid()
        names = [row[0] for row in report.rows()]
    # French: "Égypte" among the E's, not after "Zimbabwe" as a byte-wise order would put it.
    assert names.index("Danemark") < names.index("Égypte") < names.index("Espagne")
    assert names[-1] == "Zimbabwe"
    assert names == sorted(names, key=collation_key)
