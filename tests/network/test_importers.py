import csv
import datetime
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.dates import DatePrecision
from core.history import ChangeNote
from imports.workflow import import_apply, import_preview
from network.importers import CityMatcher, MemberImport, bulk_create_cities
from network.models import City, Country, MembershipTerm
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db


def cohort(*rows, header=("city", "country", "joined")) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def preview(*rows, **kwargs):
    return import_preview(importer=MemberImport(), data=cohort(*rows, **kwargs), file_name="cohort.csv")


def apply(*rows, **kwargs):
    return import_apply(importer=MemberImport(), data=cohort(*rows, **kwargs), file_name="cohort.csv")


def problems(result) -> list[str]:
    return [str(problem) for problem in result.problems]


@pytest.fixture
def viet_nam():
    return Country.objects.get(code="VN")


@pytest.mark.parametrize(
    "text",
    [
        "VN",
        "Viet Nam",
        "Vietnam",
        "viet nam",
        "Socialist Republic of Viet Nam",
    ],
)
def test_member_import_resolves_the_ways_sources_write_a_country(text, viet_nam):
    assert apply(("Vinh", text, "2020")).applied
    assert City.objects.get().country == viet_nam


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kingdom of Saudi Arabia", "SA"),
        ("People's Republic of China", "CN"),
        ("Türkiye", "TR"),
        ("Côte d'Ivoire", "CI"),
        ("Cabo Verde", "CV"),
    ],
)
def test_member_import_resolves_formal_names_and_variants(text, code):
    assert apply(("Somewhere", text, "2020")).applied
    assert City.objects.get().country.code == code


def test_member_import_suggests_the_country_meant():
    result = preview(*[(f"City {n}", "VN", "2020") for n in range(12)], ("Ifrane", "Kingdom of Moroco", "2022"))
    assert problems(result) == ["Row 14, country: unknown country 'Kingdom of Moroco': did you mean Morocco?"]


def test_member_import_says_how_to_name_a_country_it_cannot_guess():
    assert "unknown country 'Atlantis': use its ISO code or its name" in problems(preview(("X", "Atlantis", "2020")))[0]


@pytest.mark.parametrize(
    ("text", "shown", "precision"),
    [
        ("2024", "2024", DatePrecision.YEAR),
        ("February 2024", "February 2024", DatePrecision.MONTH),
        ("2024-02", "February 2024", DatePrecision.MONTH),
        ("2024-02-14", "14 February 2024", DatePrecision.DAY),
        ("4 December 2025", "4 December 2025", DatePrecision.DAY),
    ],
)
def test_member_import_keeps_the_precision_of_the_join_date(text, shown, precision):
    apply(("Son La", "VN", text))
    term = MembershipTerm.objects.get()
    assert (term.start_display, term.start_precision) == (shown, precision)


def test_member_import_refuses_a_join_date_that_is_not_a_date():
    assert problems(preview(("Vinh", "VN", "2020"), ("Son La", "VN", "2024-13-01"))) == [
        "Row 3, joined: join date '2024-13-01' is not a date (write 2024, 2024-02, February 2024 or 2024-02-14)"
    ]


def test_member_import_refuses_a_join_date_in_the_future():
    next_year = str(datetime.date.today().year + 1)
    (problem,) = problems(preview(("Vinh", "VN", next_year)))
    assert problem.startswith(f"Row 2, joined: join date '{next_year}' is in the future; check the year")


def test_member_import_refuses_empty_and_too_long_cells():
    result = preview(("", "VN", "2020"), ("x" * 201, "VN", "2020"))
    assert problems(result) == ["Row 2, city: city is empty", "Row 3, city: is 201 characters long; at most 200"]


def test_member_import_reports_a_city_that_appears_twice():
    rows = [(f"City {n}", "VN", "2020") for n in range(8)]
    rows[1] = ("Vinh", "Viet Nam", "2020")
    rows[7] = ("VINH", "Vietnam", "2020")
    assert problems(preview(*rows)) == ["Row 9, city: Vinh, Viet Nam appears twice, rows 3 and 9"]


def test_member_import_matches_a_city_whatever_its_case_and_diacritics(viet_nam):
    sa_dec = CityFactory(name="Sa Đéc", country=viet_nam)
    MembershipTermFactory(city=sa_dec, year_only=True)
    result = apply(("SA DEC", "Vietnam", "2020"))
    assert [(c.action, c.record) for c in result.changes] == [("unchanged", "Sa Đéc, Viet Nam")]
    assert City.objects.get() == sa_dec and sa_dec.membership_terms.count() == 1


def test_member_import_refines_a_join_date_known_more_precisely(viet_nam):
    term = MembershipTermFactory(city=CityFactory(name="Vinh", country=viet_nam), year_only=True)
    result = apply(("Vinh", "VN", "2020-09-23"))
    assert result.changes[0].details == ["join date: 2020 → 23 September 2020"]
    term.refresh_from_db()
    assert (term.start_date, term.start_precision) == (datetime.date(2020, 9, 23), DatePrecision.DAY)


def test_member_import_keeps_a_more_precise_join_date_already_recorded(viet_nam):
    term = MembershipTermFactory(city=CityFactory(name="Vinh", country=viet_nam))
    assert apply(("Vinh", "VN", "2020")).changes[0].action == "unchanged"
    term.refresh_from_db()
    assert term.start_display == "23 September 2020"


def test_member_import_fills_in_a_join_date_not_recorded(viet_nam):
    term = MembershipTermFactory(city=CityFactory(name="Vinh", country=viet_nam), unrecorded=True)
    assert apply(("Vinh", "VN", "2020")).changes[0].details == ["join date: not recorded → 2020"]
    term.refresh_from_db()
    assert term.start_display == "2020"


def test_member_import_updates_the_province_of_a_known_city(viet_nam):
    city = CityFactory(name="Vinh", country=viet_nam, province="")
    MembershipTermFactory(city=city)
    result = apply(("Vinh", "VN", "2020-09-23", "Nghe An"), header=("city", "country", "joined", "province"))
    assert (result.changes[0].action, result.changes[0].details) == ("update", ["province: '' → 'Nghe An'"])
    city.refresh_from_db()
    assert city.province == "Nghe An"


def test_member_import_adds_a_term_for_a_city_admitted_again(viet_nam):
    city = CityFactory(name="Vinh", country=viet_nam)
    MembershipTermFactory(city=city, former=True)  # 2020-09-23 to 2023-06-30
    result = apply(("Vinh", "VN", "2024-02-14"))
    assert (result.changes[0].action, result.changes[0].details) == ("create", ["member again from 14 February 2024"])
    assert city.membership_terms.count() == 2


def test_member_import_refuses_a_term_that_would_overlap_an_ended_one(viet_nam):
    MembershipTermFactory(city=CityFactory(name="Vinh", country=viet_nam), former=True)
    assert problems(preview(("Vinh", "VN", "2022"))) == [
        "Row 2, joined: Vinh, Viet Nam was a member 23 September 2020 – 30 June 2023; a term from 2022 would overlap it"
    ]


def test_member_import_refuses_a_name_that_matches_two_cities(viet_nam):
    CityFactory(name="Sa Đéc", country=viet_nam)
    CityFactory(name="Sa Dec", country=viet_nam)
    assert problems(preview(("sa dec", "VN", "2020"))) == [
        "Row 2, city: 'sa dec' matches 2 cities in Viet Nam (Sa Dec, Sa Đéc); merge them first"
    ]


def test_member_import_counts_the_same_queries_for_5_and_50_rows(django_assert_max_num_queries):
    for size in (5, 50):
        data = cohort(*[(f"City {size}-{n}", "VN", "2020") for n in range(size)])
        # 13 before the history (one reads the countries' cities for likely duplicates), which adds one INSERT
        # per model written (cities, terms); on PostgreSQL 2 more: the import lock, and keeping the matcher's
        # lookups on the B-tree (turned off, then back on); 2 for the cache scopes of what changed (the cities'
        # places, the conferences they went to).
        with django_assert_max_num_queries(19):
            assert import_apply(importer=MemberImport(), data=data, file_name="c.csv").applied


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.text(max_size=30),
            st.sampled_from(["VN", "Vietnam", "Kingdom of Moroco", "", "Türkiye", "xx"]),
            st.one_of(st.text(max_size=20), st.sampled_from(["2020", "2024-02", "February 2024", "2024-02-30"])),
        ),
        max_size=10,
    )
)
def test_member_import_preview_never_fails_unexpectedly_on_generated_rows(rows):
    result = preview(*rows)
    assert (
        result.error or result.problems or len(result.changes) == sum(1 for row in rows if any(c.strip() for c in row))
    )
    for problem in result.problems:
        assert problem.row >= 2 and problem.column and problem.message


def test_member_import_records_each_change_in_the_history_with_the_user_and_the_import(admin_user, viet_nam):
    sa_dec_term = MembershipTermFactory(
        city__name="Sa Đéc", city__country=viet_nam, start_date=datetime.date(2020, 1, 1), start_precision="year"
    )
    data = cohort(("Vinh", "VN", "2020-09-23"), ("Sa Đéc", "VN", "2020-09-23"))
    result = import_apply(importer=MemberImport(), data=data, file_name="cohort-2020.csv", user=admin_user)
    assert result.applied
    reason = f"Import #{result.record.pk}: cohort-2020.csv"

    vinh = City.objects.get(name="Vinh")
    created = [vinh.history.get(), MembershipTerm.history.get(city_id=vinh.pk)]
    changed = sa_dec_term.history.latest()
    for version in [*created, changed]:
        assert (version.history_user, version.history_user_name) == (admin_user, admin_user.username)
        assert version.history_change_reason == reason
    assert [v.history_type for v in created] == ["+", "+"]
    delta = changed.diff_against(changed.prev_record)
    assert {c.field: (c.old, c.new) for c in delta.changes} == {
        "start_date": (datetime.date(2020, 1, 1), datetime.date(2020, 9, 23)),
        "start_precision": ("year", "day"),
    }


def test_member_import_from_the_shell_records_the_name_given(viet_nam):
    data = cohort(("Vinh", "VN", "2020"))
    result = import_apply(importer=MemberImport(), data=data, file_name="c.csv", user_name="ana (command line)")
    version = City.objects.get(name="Vinh").history.get()
    assert (version.history_user, version.history_user_name) == (None, "ana (command line)")
    assert version.history_change_reason == f"Import #{result.record.pk}: c.csv"


def test_a_refused_member_import_leaves_no_history(viet_nam):
    assert not apply(("Vinh", "VN", "2020"), ("Vinh", "VN", "2021")).applied
    assert not City.history.exists()


def test_city_matcher_finds_cities_by_folded_name_and_country():
    viet_nam = Country.objects.get(code="VN")
    sa_dec = CityFactory(name="Sa Đéc", country=viet_nam)
    CityFactory(name="Sa Dec", country=Country.objects.get(code="TH"))
    matcher = CityMatcher({("sa dec", viet_nam.pk)})
    assert matcher.match("SA DEC", viet_nam) == (sa_dec, "")
    assert matcher.match("Vinh", viet_nam) == (None, "")


def test_bulk_create_cities_gives_unique_slugs_like_save_does():
    viet_nam = Country.objects.get(code="VN")
    CityFactory(name="Vinh", country=Country.objects.get(code="VN"))
    CityFactory(name="Vinh 2", slug="vinh-vn-2", country=viet_nam)
    cities = [City(name="Vĩnh", country=viet_nam), City(name="Sa Đéc", country=viet_nam)]
    bulk_create_cities(cities, note=ChangeNote())
    assert [(c.slug, c.search_name) for c in cities] == [("vinh-vn-3", "vinh"), ("sa-dec-vn", "sa dec")]


# Files as people really make them (tests/data/import, described in the cases README the lead keeps).
CASES = Path(__file__).parent.parent / "data" / "import"


def preview_file(name: str, data: bytes | None = None):
    data = (CASES / name).read_bytes() if data is None else data
    return import_preview(importer=MemberImport(), data=data, file_name=name)


def planned(result) -> list[str]:
    return [change.record for change in result.changes]


@pytest.mark.parametrize(
    ("name", "records", "encoding"),
    [
        ("cohort-mac-roman.csv", ["São Bento do Sul, Brazil", "Belém Novo, Brazil"], "Mac Roman (Excel for Mac)"),
        ("cohort-windows-1251.csv", ["Казань, Russian Federation"], "Windows-1251 (Cyrillic)"),
    ],
)
def test_legacy_code_pages_are_read_as_written_and_the_encoding_recorded(name, records, encoding):
    result = preview_file(name)
    assert planned(result) == records
    assert result.encoding == encoding
    applied = import_apply(importer=MemberImport(), data=(CASES / name).read_bytes(), file_name=name)
    assert applied.record.encoding == encoding
    assert sorted(City.objects.values_list("name", flat=True)) == sorted(r.split(",")[0] for r in records)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Łódź,Poland\r\nGdańsk,Poland", "cp1250"),
        ("Λάρισα,Greece\r\nΘεσσαλονίκη,Greece", "cp1253"),
        ("Şanlıurfa,Türkiye\r\nİzmir,Türkiye", "cp1254"),
        ("الجبيل,Saudi Arabia\r\nينبع,Saudi Arabia", "cp1256"),
        ("Санкт-Петербург,Russian Federation\r\nКазань,Russian Federation", "cp1251"),
    ],
)
def test_each_windows_code_page_excel_writes_is_told_apart_or_named_as_a_guess(text, codec):
    lines = text.split("\r\n")
    data = ("city,country,joined\r\n" + "".join(f"{line},2020\r\n" for line in lines)).encode(codec)
    result = preview_file("cohort.csv", data)
    expected = [line.replace(",", ", ") for line in lines]
    # Either the right text, or a warning naming the encoding read and asking for CSV UTF-8: never silent mojibake.
    assert planned(result) == expected or (result.warnings and "CSV UTF-8" in result.warnings[0])
    if not result.warnings:
        assert planned(result) == expected


def test_a_utf8_file_read_as_utf8_has_no_warning():
    result = preview(("Sa Đéc", "Viet Nam", "2020"))
    assert (result.encoding, result.warnings) == ("UTF-8", [])


def test_a_zero_width_space_after_a_name_matches_the_existing_city(viet_nam):
    CityFactory(name="Vinh", country=viet_nam)
    result = preview_file("cohort-zero-width-in-name.csv")
    assert [change.record for change in result.changes] == ["Vinh, Viet Nam"]
    assert "new city" not in result.changes[0].details
    import_apply(importer=MemberImport(), data=(CASES / "cohort-zero-width-in-name.csv").read_bytes(), file_name="z")
    assert list(City.objects.filter(country=viet_nam).values_list("name", flat=True)) == ["Vinh"]


def test_a_zero_width_space_inside_a_column_name_is_ignored():
    result = preview_file("cohort-zero-width-in-header.csv")
    assert (result.error, planned(result)) == ("", ["Vinh, Viet Nam"])


def test_excels_sep_line_names_the_separator():
    result = preview_file("cohort-excel-sep-line.csv")
    assert (result.error, planned(result)) == ("", ["Testville Norte, Brazil"])


def test_the_column_names_are_found_below_a_blank_first_row():
    result = preview_file("cohort-blank-first-row.xlsx")
    assert (result.error, planned(result)) == ("", ["Testville Norte, Brazil"])
    assert "column names read from row 2" in result.description
    assert [change.row for change in result.changes] == [3]


def test_a_year_typed_into_a_date_cell_is_refused_with_a_hint():
    result = preview_file("cohort-year-typed-in-date-cell.xlsx")
    (problem,) = [str(problem) for problem in result.problems]
    assert problem.startswith("Row 2, joined: join date '1905' is before 2013")
    assert "a year typed into a date-formatted cell becomes a day in 1905" in problem


@pytest.mark.parametrize("joined", ["2012", "2012-12-31", "1 January 1900"])
def test_a_join_date_before_the_networks_first_year_is_a_problem(joined):
    (problem,) = problems(preview(("Vinh", "VN", joined)))
    assert problem.startswith(f"Row 2, joined: join date '{joined}' is before 2013")


def test_the_networks_first_year_is_a_setting(settings):
    settings.NETWORK_FIRST_YEAR = 2010
    assert problems(preview(("Vinh", "VN", "2011"))) == []


def test_a_month_cell_with_a_locale_tag_is_read_as_a_month():
    result = preview_file("cohort-locale-month-format.xlsx")
    assert result.problems == []
    assert [change.details[-1] for change in result.changes] == ["member from February 2024"] * 4


@pytest.mark.parametrize(
    ("joined", "shown"),
    [
        ("14 février 2024", "14 February 2024"),
        ("febrero de 2024", "February 2024"),
        ("Februar 2024", "February 2024"),
        ("14 февраля 2024 г.", "14 February 2024"),
        ("2024年2月14日", "14 February 2024"),
        ("14 فبراير 2024", "14 February 2024"),
        ("fevereiro de 2024", "February 2024"),
    ],
)
def test_join_dates_with_month_names_in_other_languages(joined, shown):
    result = preview(("Vinh", "VN", joined))
    assert result.changes[0].details == ["new city", f"member from {shown}"]


def test_countries_in_other_languages_resolve():
    result = preview_file("cohort-countries-in-other-languages.csv")
    assert result.problems == []
    assert len(result.changes) == 13


def test_codes_and_bank_names_resolve_and_ambiguous_names_name_both_countries():
    result = preview_file("cohort-country-code-and-bank-names.csv")
    by_row = {problem.row: problem.message for problem in result.problems}
    assert sorted(by_row) == [12, 13]  # "Congo" and "Korea"
    assert "Democratic Republic of the Congo (CD)" in by_row[12] and "Congo (CG)" in by_row[12]
    assert "Republic of Korea (KR)" in by_row[13] and "Democratic People's Republic of Korea (KP)" in by_row[13]
    assert not any("United States" in message for message in by_row.values())


def test_member_import_reports_a_likely_duplicate_naming_the_city_meant(viet_nam):
    CityFactory(name="Sơn La", country=viet_nam)
    result = preview(("Son La City", "VN", "2024-02"))
    assert not result.is_valid
    assert any("'Son La City' is not in the registry for Viet Nam: did you mean Sơn La?" in p for p in problems(result))
    assert City.objects.count() == 1


def test_member_import_gives_new_cities_coordinates_from_geonames(viet_nam):
    assert apply(("Sơn La", "VN", "2024-02"), ("Nowhere Town", "VN", "2024-02")).applied
    son_la, nowhere = City.objects.get(name="Sơn La"), City.objects.get(name="Nowhere Town")
    assert (round(float(son_la.latitude), 1), round(float(son_la.longitude), 1)) == (21.3, 103.9)
    assert nowhere.latitude is None


def test_member_import_makes_stale_only_the_pages_of_the_cities_it_changed(viet_nam):
    from core.cache import BULK, LISTS, SHARED, versions
    from tests.conferences.factories import ConferenceFactory, DelegationFactory

    hue = MembershipTermFactory(city=CityFactory(name="Hue", country=viet_nam), unrecorded=True).city
    bangkok = CityFactory(name="Bangkok", country=Country.objects.get(code="TH"))
    went, elsewhere = ConferenceFactory(number=5), ConferenceFactory(number=6)
    DelegationFactory(conference=went, city=hue)
    DelegationFactory(conference=elsewhere, city=bangkok)
    scopes = [
        SHARED,
        BULK,
        LISTS,
        f"city:{hue.pk}",
        f"country:{viet_nam.pk}",
        f"region:{viet_nam.region_id}",
        f"conference:{went.pk}",
        f"city:{bangkok.pk}",
        f"country:{bangkok.country_id}",
        f"conference:{elsewhere.pk}",
    ]
    before = dict(zip(scopes, versions(scopes), strict=True))
    assert apply(("Hue", "Viet Nam", "2020"), ("Vinh", "Viet Nam", "2021")).applied  # a join date, a new city
    after = dict(zip(scopes, versions(scopes), strict=True))
    changed = {scope for scope in scopes if before[scope] != after[scope]}
    assert changed == {
        LISTS,
        f"city:{hue.pk}",
        f"country:{viet_nam.pk}",
        f"region:{viet_nam.region_id}",
        f"conference:{went.pk}",  # Hue was there: whether it was a member then may have changed
    }
