"""The network admin: its filters, pages and rules, shown as messages. The tests every admin gets (queries, options)
are in tests/test_admin_pages.py, fed by tests/network/admin_pages.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.dates import DatePrecision
from network.models import City, Country
from tests.admin_pages import add_inline_rows, form_data, readonly_value
from tests.network.factories import CityFactory, CountryFactory, MembershipTermFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_city_changelist_search_ignores_accents(staff_client):
    city = MembershipTermFactory(city__name="Sa Đéc").city
    MembershipTermFactory(city__name="Vinh")
    response = staff_client.get(reverse("admin:network_city_changelist"), {"q": "sa dec"})
    assert list(response.context["cl"].result_list) == [city]


# The membership filter ------------------------------------------------------------------------


@pytest.fixture
def cities_by_status():
    today = timezone.localdate()
    return {
        "current": MembershipTermFactory(city__name="Current", start_date=D(2020, 9, 23)).city,
        "unrecorded": MembershipTermFactory(city__name="Unrecorded", start_date=None).city,
        "former": MembershipTermFactory(
            city__name="Former", start_date=D(2016, 1, 1), end_date=today - datetime.timedelta(days=1)
        ).city,
        "never": CityFactory(name="Observer"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"current", "unrecorded"}),
        ({"membership": "current"}, {"current", "unrecorded"}),
        ({"membership": "former"}, {"former"}),
        ({"membership": "never"}, {"never"}),
        ({"membership": "all"}, {"current", "unrecorded", "former", "never"}),
    ],
)
def test_city_membership_filter_defaults_to_current_members(staff_client, cities_by_status, query, expected):
    response = staff_client.get(reverse("admin:network_city_changelist"), query)
    assert set(response.context["cl"].result_list) == {cities_by_status[name] for name in expected}


def test_city_membership_filter_marks_current_members_selected_and_offers_all(staff_client, cities_by_status):
    response = staff_client.get(reverse("admin:network_city_changelist"))
    spec = next(s for s in response.context["cl"].filter_specs if s.parameter_name == "membership")
    choices = {c["display"]: c for c in spec.choices(response.context["cl"])}
    assert [name for name, c in choices.items() if c["selected"]] == ["Current members"]
    assert "membership=all" in choices["All"]["query_string"]
    assert "?membership=all" in response.text


def test_city_join_year_filter(staff_client):
    joined_2020 = MembershipTermFactory(start_date=D(2020, 9, 23)).city
    MembershipTermFactory(start_date=D(2024, 2, 14))
    response = staff_client.get(reverse("admin:network_city_changelist"), {"joined": "2020"})
    assert list(response.context["cl"].result_list) == [joined_2020]


# The city page ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("terms", "status", "since"),
    [
        pytest.param([(D(2020, 1, 1), DatePrecision.YEAR, None)], "Member", "2020", id="year"),
        pytest.param([(D(2024, 2, 1), DatePrecision.MONTH, None)], "Member", "February 2024", id="month"),
        pytest.param([(D(2025, 12, 4), DatePrecision.DAY, None)], "Member", "4 December 2025", id="day"),
        pytest.param([(None, DatePrecision.DAY, None)], "Member", "date not recorded", id="unrecorded"),
        pytest.param([(D(2016, 1, 1), DatePrecision.YEAR, D(2019, 12, 31))], "Former member", "-", id="former"),
        pytest.param(
            [(D(2016, 1, 1), DatePrecision.YEAR, D(2019, 12, 31)), (D(2022, 9, 1), DatePrecision.MONTH, None)],
            "Member",
            "September 2022",
            id="rejoined",
        ),
        pytest.param([], "Not a member", "-", id="never"),
    ],
)
def test_city_page_shows_the_derived_status_and_member_since(staff_client, terms, status, since):
    city = CityFactory()
    for start, precision, end in terms:
        MembershipTermFactory(city=city, start_date=start, start_precision=precision, end_date=end)
    response = staff_client.get(reverse("admin:network_city_change", args=[city.pk]))
    assert readonly_value(response.text, "Status") == status
    assert readonly_value(response.text, "Member since") == since


def test_city_changelist_shows_status_and_member_since(staff_client):
    MembershipTermFactory(city__name="Sơn La", start_date=D(2024, 2, 1), start_precision=DatePrecision.MONTH)
    response = staff_client.get(reverse("admin:network_city_changelist"))
    assert '<td class="field-status">Member</td>' in response.text
    assert '<td class="field-member_since">February 2024</td>' in response.text


def test_admin_refuses_to_delete_a_city_with_a_membership_term(staff_client):
    city = MembershipTermFactory().city
    url = reverse("admin:network_city_delete", args=[city.pk])

    response = staff_client.get(url)
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.text

    response = staff_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.text
    assert City.objects.filter(pk=city.pk).exists()


def test_admin_refuses_to_delete_a_country_with_cities(staff_client):
    country = CityFactory().country
    response = staff_client.post(reverse("admin:network_country_delete", args=[country.pk]), {"post": "yes"})
    assert "would require deleting the following protected related objects" in response.text
    assert Country.objects.filter(pk=country.pk).exists()


# Membership terms entered on the city page ------------------------------------------------------


def city_form(client, city):
    return form_data(client.get(reverse("admin:network_city_change", args=[city.pk])))


def test_city_page_refuses_two_overlapping_new_terms_without_writing(staff_client):
    city = CityFactory(province="Đồng Tháp")
    data = city_form(staff_client, city)
    data["province"] = "Changed"
    add_inline_rows(
        data,
        "membership_terms",
        [
            {"start_date": "2020-09-23", "start_precision": "day"},
            {"start_date": "2024-02-14", "start_precision": "day", "end_date": "2025-01-01"},
        ],
    )

    response = staff_client.post(reverse("admin:network_city_change", args=[city.pk]), data)

    assert response.status_code == 200
    assert "Two membership terms of this city overlap; a city can hold one at a time." in response.text
    assert not city.membership_terms.exists()
    city.refresh_from_db()
    assert city.province == "Đồng Tháp"


def test_city_page_refuses_a_new_term_overlapping_a_saved_one(staff_client):
    city = MembershipTermFactory(start_date=D(2020, 9, 23)).city
    data = add_inline_rows(
        city_form(staff_client, city), "membership_terms", [{"start_date": "2024-02-14", "start_precision": "day"}]
    )
    response = staff_client.post(reverse("admin:network_city_change", args=[city.pk]), data)
    assert response.status_code == 200
    assert "overlap" in response.text
    assert city.membership_terms.count() == 1


def test_city_page_closes_a_term_and_adds_a_readmission_in_one_save(staff_client):
    city = MembershipTermFactory(start_date=D(2016, 1, 1)).city
    data = city_form(staff_client, city)
    data["membership_terms-0-end_date"] = "2019-12-31"
    data["membership_terms-0-end_reason"] = "lapsed"
    add_inline_rows(data, "membership_terms", [{"start_date": "2022-09-01", "start_precision": "month"}])

    response = staff_client.post(reverse("admin:network_city_change", args=[city.pk]), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    spans = list(city.membership_terms.values_list("start_date", "end_date"))
    assert spans == [(D(2016, 1, 1), D(2019, 12, 31)), (D(2022, 9, 1), None)]


def test_city_page_compares_a_start_known_to_the_month_from_the_first_of_the_month(staff_client):
    city = MembershipTermFactory(start_date=D(2016, 1, 1), end_date=D(2024, 2, 5)).city
    data = add_inline_rows(
        city_form(staff_client, city), "membership_terms", [{"start_date": "2024-02-14", "start_precision": "month"}]
    )
    response = staff_client.post(reverse("admin:network_city_change", args=[city.pk]), data)
    assert response.status_code == 200
    assert "overlap" in response.text
    assert city.membership_terms.count() == 1


def test_city_page_stores_a_month_precision_start_as_the_first_of_the_month(staff_client):
    city = CityFactory()
    data = add_inline_rows(
        city_form(staff_client, city), "membership_terms", [{"start_date": "2024-02-14", "start_precision": "month"}]
    )
    response = staff_client.post(reverse("admin:network_city_change", args=[city.pk]), data)
    assert response.status_code == 302
    assert city.membership_terms.get().start_date == D(2024, 2, 1)


def test_city_page_refuses_a_duplicate_name_with_a_message(staff_client):
    vietnam = Country.objects.get(code="VN")
    CityFactory(name="Vinh", country=vietnam)
    data = form_data(staff_client.get(reverse("admin:network_city_add")))
    data.update({"name": "VINH", "country": str(vietnam.pk)})
    response = staff_client.post(reverse("admin:network_city_add"), data)
    assert response.status_code == 200
    assert "A city with this name already exists in this country." in response.text
    assert vietnam.cities.count() == 1


def test_country_page_refuses_an_alias_twice_with_a_message(staff_client):
    country = CountryFactory()
    url = reverse("admin:network_country_change", args=[country.pk])
    data = add_inline_rows(form_data(staff_client.get(url)), "aliases", [{"name": "Testland"}, {"name": "TESTLAND"}])

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "This alias is already in use." in response.text
    assert not country.aliases.exists()


pytestmark = pytest.mark.django_db


def test_city_change_form_records_progress_reports_inline(staff_client):
    report = ProgressReportFactory(title="Biennial report 2022")
    response = staff_client.get(reverse("admin:network_city_change", args=[report.city.pk]))
    assert response.status_code == 200
    assert "Biennial report 2022" in response.text
    assert 'name="progress_reports-0-received_on"' in response.text


def test_city_changelist_filters_by_country_listing_only_countries_with_cities(staff_client):
    vinh = MembershipTermFactory(city__name="Vinh", city__country=Country.objects.get(code="VN")).city
    MembershipTermFactory(city__name="Cork", city__country=Country.objects.get(code="IE"))
    response = staff_client.get(reverse("admin:network_city_changelist"), {"country__id__exact": vinh.country_id})
    assert list(response.context["cl"].result_list) == [vinh]
    country_filter = next(f for f in response.context["cl"].filter_specs if f.title == "country")
    assert {label for _, label in country_filter.lookup_choices} == {"Viet Nam", "Ireland"}


def test_terms_changelist_filters_by_the_year_a_term_started(staff_client):
    early = MembershipTermFactory(start_date=datetime.date(2016, 3, 1))
    MembershipTermFactory(start_date=datetime.date(2024, 2, 14))
    url = reverse("admin:network_membershipterm_changelist")
    response = staff_client.get(url, {"started": "2016"})
    assert list(response.context["cl"].result_list) == [early]
    assert "?started=2024" in staff_client.get(url).text


@pytest.mark.parametrize("term", ["Maroc", "MAR", "504", "Marruecos"])
def test_country_search_and_autocomplete_read_a_typed_country_as_the_imports_do(staff_client, term):
    response = staff_client.get(reverse("admin:network_country_changelist"), {"q": term})
    assert response.status_code == 200
    # "MAR" also finds the countries whose names hold it (Denmark, Marshall Islands), as the search always did.
    assert "MA" in [country.code for country in response.context["cl"].result_list]
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "network", "model_name": "city", "field_name": "country"},
    )
    assert "Morocco" in [result["text"] for result in response.json()["results"]]


# Text as typed: normalised on every form and inline ------------------------------------------------


def test_city_form_stores_a_name_pasted_with_invisible_characters_as_plain_text(staff_client):
    vietnam = Country.objects.get(code="VN")
    url = reverse("admin:network_city_add")
    data = {**form_data(staff_client.get(url)), "country": str(vietnam.pk), "latitude": "18.7", "longitude": "105.7"}

    staff_client.post(url, {**data, "name": "Vinh\u200b", "province": "Nghệ\u00a0An  "})

    city = City.objects.get()
    assert (city.name, city.province, city.slug) == ("Vinh", "Nghệ An", "vinh-vn")


def test_city_form_refuses_a_second_vinh_pasted_with_a_zero_width_space(staff_client):
    vietnam = Country.objects.get(code="VN")
    CityFactory(name="Vinh", country=vietnam)
    url = reverse("admin:network_city_add")
    data = {**form_data(staff_client.get(url)), "country": str(vietnam.pk), "not_a_duplicate": "on"}

    response = staff_client.post(url, {**data, "name": "Vinh\u200b"})

    assert "A city with this name already exists in this country." in response.text
    assert vietnam.cities.count() == 1


def test_city_form_refuses_a_control_character_with_a_message_keeping_the_input(staff_client):
    url = reverse("admin:network_city_add")
    data = {**form_data(staff_client.get(url)), "country": str(CountryFactory().pk), "name": "Vinh\x1b"}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Remove the invisible control character U+001B" in response.text
    assert not City.objects.exists()


def test_city_page_inline_rows_are_normalised(staff_client):
    city = CityFactory(latitude=1, longitude=1)
    url = reverse("admin:network_city_change", args=[city.pk])
    data = add_inline_rows(
        form_data(staff_client.get(url)),
        "membership_terms",
        [{"start_date": "2020-09-23", "start_precision": "day", "notes": "Cohort\u00a0 2020\u200b\r\nSecond line "}],
    )
    assert staff_client.post(url, data).status_code == 302
    assert city.membership_terms.get().notes == "Cohort 2020\nSecond line"


# Search in any script, whatever the status filter -------------------------------------------------


@pytest.mark.parametrize("query", ["sa đéc", "SA ĐÉC", "Sa Dec", "đéc"])
def test_city_search_ignores_case_and_accents_in_any_form(staff_client, query):
    city = MembershipTermFactory(city__name="Sa Đéc").city
    MembershipTermFactory(city__name="Sơn La")
    response = staff_client.get(reverse("admin:network_city_changelist"), {"q": query})
    assert list(response.context["cl"].result_list) == [city]


@pytest.mark.parametrize("query", ["южный", "ЮЖНЫЙ", "Южный"])
def test_city_search_finds_a_local_name_in_another_script_and_case(staff_client, query):
    city = MembershipTermFactory(city__name="Yuzhny", city__local_name="Южный").city
    response = staff_client.get(reverse("admin:network_city_changelist"), {"q": query})
    assert list(response.context["cl"].result_list) == [city]


def test_city_search_looks_at_every_city_whatever_the_status_filter_default(staff_client, cities_by_status):
    changelist = reverse("admin:network_city_changelist")
    response = staff_client.get(changelist, {"q": "former"})
    assert list(response.context["cl"].result_list) == [cities_by_status["former"]]
    assert '<li class="selected">\n    <a href="?membership=all&amp;q=former"' in response.text
    # A status chosen narrows the search, as it says.
    assert not staff_client.get(changelist, {"q": "former", "membership": "current"}).context["cl"].result_list


def test_term_search_folds_the_city_name(staff_client):
    term = MembershipTermFactory(city__name="Sơn La")
    response = staff_client.get(reverse("admin:network_membershipterm_changelist"), {"q": "SƠN LA"})
    assert list(response.context["cl"].result_list) == [term]


def test_city_changelist_sorts_diacritics_among_their_letters(staff_client):
    for name in ("Vinh", "Đà Nẵng", "Cuenca", "Câmara de Lobos", "Dakar"):
        MembershipTermFactory(city__name=name)
    response = staff_client.get(reverse("admin:network_city_changelist"))
    names = [city.name for city in response.context["cl"].result_list]
    assert names == ["Câmara de Lobos", "Cuenca", "Đà Nẵng", "Dakar", "Vinh"]


def test_city_autocomplete_labels_cities_with_their_country_and_finds_by_folded_name(staff_client):
    vietnam, mexico = Country.objects.get(code="VN"), Country.objects.get(code="MX")
    hue = CityFactory(name="Huế", country=vietnam)
    CityFactory(name="Huejotzingo", country=mexico)
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"term": "hue", "app_label": "network", "model_name": "membershipterm", "field_name": "city"},
    )
    results = response.json()["results"]
    assert results[0] == {"id": str(hue.pk), "text": "Huế, Viet Nam"}
    assert [r["text"] for r in results] == ["Huế, Viet Nam", "Huejotzingo, Mexico"]


# Coordinates --------------------------------------------------------------------------------------


def test_saving_a_city_without_coordinates_fills_them_from_geonames_and_says_so(staff_client):
    vietnam = Country.objects.get(code="VN")
    url = reverse("admin:network_city_add")
    data = {**form_data(staff_client.get(url)), "country": str(vietnam.pk), "name": "Sơn La"}

    response = staff_client.post(url, data, follow=True)

    city = City.objects.get()
    assert (round(float(city.latitude), 1), round(float(city.longitude), 1)) == (21.3, 103.9)
    assert "Coordinates of Sơn La filled from GeoNames" in response.text


def test_saving_a_city_geonames_does_not_know_says_so_and_saves_it(staff_client):
    url = reverse("admin:network_city_add")
    data = {**form_data(staff_client.get(url)), "country": str(CountryFactory().pk), "name": "Nowhere Town"}
    response = staff_client.post(url, data, follow=True)
    assert "GeoNames has no place “Nowhere Town”" in response.text
    assert City.objects.get().latitude is None


def test_coordinates_typed_by_staff_are_kept(staff_client):
    vietnam = Country.objects.get(code="VN")
    url = reverse("admin:network_city_add")
    data = {**form_data(staff_client.get(url)), "country": str(vietnam.pk), "name": "Sơn La"}
    staff_client.post(url, {**data, "latitude": "21.5", "longitude": "104"})
    assert (float(City.objects.get().latitude), float(City.objects.get().longitude)) == (21.5, 104)


def test_city_changelist_filters_cities_with_and_without_coordinates(staff_client):
    placed = MembershipTermFactory(city__latitude=1, city__longitude=2).city
    unplaced = MembershipTermFactory().city
    changelist = reverse("admin:network_city_changelist")
    for value, expected in [("yes", [placed]), ("no", [unplaced])]:
        response = staff_client.get(changelist, {"coordinates": value})
        assert list(response.context["cl"].result_list) == expected


def test_country_added_in_the_admin_gets_its_names_from_cldr(staff_client):
    # A territory UNESCO's list does not have: Antarctica (AQ) is free to add.
    url = reverse("admin:network_country_add")
    data = form_data(staff_client.get(url))
    data.update(
        code="AQ", name_en="Antarctica", slug="antarctica", region=str(Country.objects.get(code="NO").region_id)
    )

    assert staff_client.post(url, data).status_code == 302

    antarctica = Country.objects.get(code="AQ")
    assert (antarctica.name_en, antarctica.name_fr, antarctica.name_es) == ("Antarctica", "Antarctique", "Antártida")
    assert antarctica.name_ar == "أنتاركتيكا"
