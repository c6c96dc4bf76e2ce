"""The network admin: every page answers with a constant number of queries, and the rules show as messages."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from core.dates import DatePrecision
from network.models import Award, City, Cluster, ClusterMembership, Country, MembershipTerm, Region
from tests.admin_pages import (
    add_inline_rows,
    admin_urls,
    assert_same_queries_at_5_and_50_rows,
    form_data,
    models_editable_in_admin,
    options_per_select,
    readonly_value,
    record_models,
    registered_models,
)
from tests.network.factories import (
    AwardFactory,
    CityFactory,
    ClusterFactory,
    ClusterMembershipFactory,
    CountryAliasFactory,
    CountryFactory,
    MembershipTermFactory,
    ProgressReportFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def build_regions(n):
    region, *_ = RegionFactory.create_batch(n)
    CountryFactory.create_batch(n, region=region)
    return region


def build_countries(n):
    country, *others = CountryFactory.create_batch(n)
    for other in [country, *others]:
        MembershipTermFactory(city__country=other)
    CountryAliasFactory.create_batch(n, country=country)
    return country


def build_cities(n):
    """n current members; the first has n terms, n awards and n clusters, the inline rows of its page."""
    city = CityFactory()
    for i in range(n):
        last = i == n - 1
        MembershipTermFactory(
            city=city,
            start_date=D(1900 + 2 * i, 1, 1),
            end_date=None if last else D(1900 + 2 * i, 12, 31),
            end_reason="" if last else MembershipTerm.EndReason.LAPSED,
        )
        AwardFactory(city=city, year=2015 + i)
        ClusterMembershipFactory(city=city)
    MembershipTermFactory.create_batch(n - 1)
    return city


def build_membership_terms(n):
    return MembershipTermFactory.create_batch(n)[0]


def build_awards(n):
    return AwardFactory.create_batch(n)[0]


def build_clusters(n):
    cluster, *_ = ClusterFactory.create_batch(n)
    ClusterMembershipFactory.create_batch(n, cluster=cluster)
    return cluster


def build_cluster_memberships(n):
    return ClusterMembershipFactory.create_batch(n)[0]


# For each ModelAdmin: how to build n rows (returning the object whose change page to load) and a search.
PAGES = {
    Region: (build_regions, "Test region"),
    Country: (build_countries, "Testland"),
    City: (build_cities, "City"),
    MembershipTerm: (build_membership_terms, "City"),
    Award: (build_awards, "City"),
    Cluster: (build_clusters, "Cluster"),
    ClusterMembership: (build_cluster_memberships, "City"),
}
REGISTERED = registered_models("network")
HAS_INLINES = {m for m in REGISTERED if admin.site._registry[m].inlines}


def test_every_network_admin_is_covered_by_the_page_tests():
    assert set(REGISTERED) == set(PAGES), "add a builder to PAGES for each new ModelAdmin"


def test_every_network_model_is_editable_in_the_admin():
    assert record_models("network") - models_editable_in_admin() == set()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_admin_pages_answer_with_the_same_queries_at_5_and_50_rows(staff_client, model):
    build, search = PAGES[model]
    assert_same_queries_at_5_and_50_rows(staff_client, build, search, has_inlines=model in HAS_INLINES)


@pytest.fixture
def many_rows():
    """More than 100 cities; the migration already loads more than 100 countries."""
    vietnam = Country.objects.get(code="VN")
    CityFactory.create_batch(101, country=vietnam)
    return vietnam


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_no_admin_form_offers_more_than_100_options(staff_client, many_rows, model):
    build, search = PAGES[model]
    urls = admin_urls(build(2), search)
    for name in {"add", "change"} & set(urls):
        response = staff_client.get(urls[name])
        assert response.status_code == 200
        too_long = {select: n for select, n in options_per_select(response.text).items() if n > 100}
        assert not too_long, f"{name} page of {model.__name__}"


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
