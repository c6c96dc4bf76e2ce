"""The network's rules hold when forms are bypassed (the database refuses) and full_clean() explains them."""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from core.dates import DatePrecision
from network.models import Award, City, Country, MembershipTerm
from tests.network.factories import (
    AwardFactory,
    CityFactory,
    ClusterMembershipFactory,
    CountryFactory,
    MembershipTermFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@contextmanager
def refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


def messages(error: ValidationError) -> list[str]:
    return error.messages


# Membership terms: end not before start -------------------------------------------------------


def test_database_refuses_a_membership_term_ending_before_it_starts():
    city = CityFactory()
    with refused_by_database():
        MembershipTerm.objects.create(city=city, start_date=D(2022, 1, 1), end_date=D(2021, 12, 31))
    assert not city.membership_terms.exists()


def test_database_refuses_a_bulk_update_that_ends_a_term_before_it_starts():
    term = MembershipTermFactory(start_date=D(2020, 9, 23))
    with refused_by_database():
        MembershipTerm.objects.filter(pk=term.pk).update(end_date=D(2020, 9, 22))
    term.refresh_from_db()
    assert term.end_date is None


def test_a_term_may_end_on_the_day_it_starts():
    term = MembershipTermFactory(start_date=D(2020, 9, 23), end_date=D(2020, 9, 23))
    term.full_clean()


def test_full_clean_explains_a_term_ending_before_it_starts():
    term = MembershipTerm(city=CityFactory(), start_date=D(2022, 1, 1), end_date=D(2021, 12, 31))
    with pytest.raises(ValidationError) as error:
        term.full_clean()
    assert "A membership term cannot end before it starts." in messages(error.value)


# Membership terms: an end reason needs an end date -------------------------------------------


def test_database_refuses_an_end_reason_without_an_end_date():
    city = CityFactory()
    with refused_by_database():
        MembershipTerm.objects.create(city=city, start_date=D(2020, 1, 1), end_reason=MembershipTerm.EndReason.LAPSED)


def test_full_clean_explains_an_end_reason_without_an_end_date():
    term = MembershipTerm(city=CityFactory(), start_date=D(2020, 1, 1), end_reason=MembershipTerm.EndReason.LAPSED)
    with pytest.raises(ValidationError) as error:
        term.full_clean()
    assert "Give an end date with the reason the membership ended." in messages(error.value)


# Membership terms: the terms of one city never overlap ---------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param((D(2016, 1, 1), D(2019, 12, 31)), (D(2019, 6, 1), D(2021, 5, 31)), id="two-closed"),
        pytest.param((D(2020, 9, 23), None), (D(2023, 1, 1), None), id="open-ended-vs-later-start"),
        pytest.param((D(2020, 9, 23), None), (D(2014, 1, 1), D(2021, 1, 1)), id="open-ended-vs-earlier-closed"),
        pytest.param((None, None), (D(2024, 2, 14), None), id="unknown-start-vs-later"),
        pytest.param((None, None), (D(1990, 1, 1), D(1995, 12, 31)), id="unknown-start-vs-much-earlier"),
        pytest.param((None, D(2018, 6, 30)), (D(2015, 1, 1), D(2016, 1, 1)), id="unknown-start-closed-vs-inside"),
        pytest.param((D(2016, 1, 1), D(2019, 12, 31)), (D(2019, 12, 31), None), id="end-day-is-a-member-day"),
        pytest.param((D(2016, 1, 1), D(2019, 12, 31)), (D(2017, 1, 1), D(2017, 6, 30)), id="inside"),
    ],
)
def test_database_refuses_overlapping_terms_of_one_city(first, second):
    city = CityFactory()
    MembershipTermFactory(city=city, start_date=first[0], end_date=first[1])
    with refused_by_database():
        MembershipTerm.objects.create(city=city, start_date=second[0], end_date=second[1])
    assert city.membership_terms.count() == 1


def test_database_accepts_adjacent_terms_of_a_city_that_left_and_rejoined():
    city = CityFactory()
    MembershipTermFactory(city=city, start_date=D(2016, 1, 1), end_date=D(2019, 12, 31))
    MembershipTerm.objects.create(city=city, start_date=D(2020, 1, 1))
    MembershipTerm.objects.create(city=city, start_date=None, end_date=D(2015, 12, 31))
    assert city.membership_terms.count() == 3


def test_database_accepts_the_same_dates_for_different_cities():
    MembershipTermFactory(start_date=D(2020, 9, 23))
    MembershipTermFactory(start_date=D(2020, 9, 23))
    MembershipTermFactory(start_date=None)
    MembershipTermFactory(start_date=None)
    assert MembershipTerm.objects.count() == 4


def test_database_refuses_an_update_that_makes_terms_overlap():
    city = CityFactory()
    earlier = MembershipTermFactory(city=city, start_date=D(2015, 1, 1), end_date=D(2017, 12, 31))
    MembershipTermFactory(city=city, start_date=D(2019, 1, 1))

    with refused_by_database():
        MembershipTerm.objects.filter(pk=earlier.pk).update(end_date=D(2019, 6, 30))
    with refused_by_database():
        earlier.end_date = None
        earlier.save()

    assert MembershipTerm.objects.get(pk=earlier.pk).end_date == D(2017, 12, 31)


def test_database_refuses_moving_a_term_to_a_city_whose_term_it_overlaps():
    term = MembershipTermFactory(start_date=D(2020, 9, 23))
    other = MembershipTermFactory(start_date=D(2021, 1, 1))
    with refused_by_database():
        MembershipTerm.objects.filter(pk=other.pk).update(city=term.city)


def test_database_refuses_overlapping_terms_in_one_bulk_insert():
    city = CityFactory()
    with refused_by_database():
        MembershipTerm.objects.bulk_create(
            [MembershipTerm(city=city, start_date=D(2020, 1, 1)), MembershipTerm(city=city, start_date=D(2022, 1, 1))]
        )
    assert not city.membership_terms.exists()


def test_database_accepts_an_update_of_a_term_that_only_overlaps_itself():
    term = MembershipTermFactory(start_date=D(2020, 9, 23))
    MembershipTerm.objects.filter(pk=term.pk).update(start_date=D(2020, 1, 1), end_date=D(2030, 1, 1))
    term.refresh_from_db()
    assert term.end_date == D(2030, 1, 1)


def test_full_clean_explains_an_overlap_and_names_the_other_term():
    city = CityFactory()
    MembershipTermFactory(city=city, start_date=D(2020, 9, 23), start_precision=DatePrecision.DAY)
    term = MembershipTerm(city=city, start_date=D(2024, 2, 1), start_precision=DatePrecision.MONTH)
    with pytest.raises(ValidationError) as error:
        term.full_clean()
    assert messages(error.value) == [
        "This term overlaps another membership term of the city (23 September 2020 – present)."
    ]


def test_full_clean_accepts_an_edit_of_the_same_term():
    term = MembershipTermFactory(start_date=D(2020, 9, 23))
    term.end_date = D(2023, 6, 30)
    term.full_clean()


def test_full_clean_stores_the_first_day_of_a_start_known_to_the_month():
    term = MembershipTerm(city=CityFactory(), start_date=D(2024, 2, 14), start_precision=DatePrecision.MONTH)
    term.full_clean()
    assert term.start_date == D(2024, 2, 1)
    assert term.start_display == "February 2024"


def test_a_term_without_a_recorded_start_says_so():
    term = MembershipTermFactory.build(unrecorded=True)
    assert term.start_display == "date not recorded"
    assert term.period == "date not recorded – present"


# Cities ---------------------------------------------------------------------------------------


def test_database_refuses_a_city_name_twice_in_a_country_ignoring_case():
    country = CountryFactory()
    CityFactory(name="Vinh", country=country)
    with refused_by_database():
        City.objects.create(name="VINH", country=country, slug="vinh-again")
    assert country.cities.count() == 1


def test_database_accepts_the_same_city_name_in_another_country():
    CityFactory(name="Vinh", country=CountryFactory())
    CityFactory(name="VINH", country=CountryFactory())
    assert City.objects.filter(name__iexact="vinh").count() == 2


def test_database_refuses_a_rename_onto_another_city_of_the_country():
    country = CountryFactory()
    CityFactory(name="Vinh", country=country)
    other = CityFactory(name="Sa Đéc", country=country)
    with refused_by_database():
        City.objects.filter(pk=other.pk).update(name="vinh")


def test_full_clean_explains_a_duplicate_city_name():
    country = CountryFactory()
    CityFactory(name="Vinh", country=country)
    with pytest.raises(ValidationError) as error:
        City(name="VINH", country=country).full_clean()
    assert messages(error.value) == ["A city with this name already exists in this country."]


def test_full_clean_accepts_a_new_city():
    city = City(name="Sơn La", country=CountryFactory(), province="Sơn La")
    city.full_clean()


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(95, 0), (-91, 0), (0, 181), (0, -180.5), (10, None), (None, 106)],
)
def test_database_refuses_impossible_or_half_coordinates(latitude, longitude):
    with refused_by_database():
        CityFactory(latitude=latitude, longitude=longitude)


def test_database_accepts_coordinates_on_the_limits_or_none():
    CityFactory(latitude=90, longitude=-180)
    CityFactory(latitude=None, longitude=None)


def test_full_clean_explains_half_coordinates():
    city = CityFactory.build(country=CountryFactory(), latitude=Decimal("18.679"), longitude=None)
    with pytest.raises(ValidationError) as error:
        city.full_clean()
    assert "Give both latitude (-90 to 90) and longitude (-180 to 180), or neither." in messages(error.value)


def test_full_clean_explains_a_latitude_out_of_range():
    city = CityFactory.build(country=CountryFactory(), latitude=95, longitude=0)
    with pytest.raises(ValidationError) as error:
        city.full_clean()
    assert error.value.message_dict["latitude"] == ["Ensure this value is less than or equal to 90."]


def test_city_slug_is_ascii_unique_and_kept_on_rename():
    vietnam = Country.objects.get(code="VN")
    first = CityFactory(name="Sa Đéc", country=vietnam)
    second = CityFactory(name="SA DEC", country=CountryFactory(code="QX"))
    third = City.objects.create(name="Sa-Dec", country=vietnam, slug="")
    assert (first.slug, third.slug) == ("sa-dec-vn", "sa-dec-vn-2")
    assert second.slug == "sa-dec-qx"

    first.name = "Sa Đéc City"
    first.save()
    assert first.slug == "sa-dec-vn"
    assert first.search_name == "sa dec city"


def test_city_in_another_script_gets_a_slug():
    city = CityFactory(name="الجبيل", country=Country.objects.get(code="SA"))
    assert city.slug == "city-sa"


# Countries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["V", ""])
def test_database_refuses_a_country_code_that_is_not_two_letters(code):
    with refused_by_database():
        Country.objects.create(code=code, name="Nowhere", slug="nowhere", region=RegionFactory())


@pytest.mark.parametrize("code", ["V", "vn", "V1", "VNM"])
def test_full_clean_explains_a_bad_country_code(code):
    country = Country(code=code, name="Nowhere", slug="nowhere", region=RegionFactory())
    with pytest.raises(ValidationError) as error:
        country.full_clean()
    assert "Use the two capital letters of ISO 3166-1 (VN, SA)." in error.value.message_dict["code"]


# Awards ---------------------------------------------------------------------------------------


def test_database_refuses_a_second_award_for_a_city_in_one_year():
    award = AwardFactory(year=2024)
    with refused_by_database():
        Award.objects.create(city=award.city, year=2024)
    Award.objects.create(city=award.city, year=2015)  # Cork won in 2015 and in 2024
    assert award.city.awards.count() == 2


def test_database_refuses_an_award_before_2015():
    with refused_by_database():
        AwardFactory(year=2014)


def test_full_clean_explains_a_second_award_in_one_year():
    term = MembershipTermFactory(start_date=D(2013, 1, 1))
    AwardFactory(city=term.city, year=2015)
    with pytest.raises(ValidationError) as error:
        Award(city=term.city, year=2015).full_clean()
    assert messages(error.value) == ["This city already has an award for this year."]


def test_full_clean_explains_an_award_before_2015():
    term = MembershipTermFactory(start_date=D(2013, 1, 1))
    with pytest.raises(ValidationError) as error:
        Award(city=term.city, year=2014).full_clean()
    assert "The award was first given in 2015." in messages(error.value)


@pytest.mark.parametrize(
    ("year", "message"), [(0, "The award was first given in 2015."), (10000, "10000 is not a year.")]
)
def test_full_clean_explains_an_award_year_outside_the_calendar(year, message):
    # Found by tests/network/test_admin_bad_input.py: clean() built a date of year 0 and raised ValueError.
    term = MembershipTermFactory(unrecorded=True)
    with pytest.raises(ValidationError) as error:
        Award(city=term.city, year=year).full_clean()
    assert message in error.value.message_dict["year"]


def test_full_clean_refuses_an_award_to_a_city_that_was_not_a_member_that_year():
    term = MembershipTermFactory(start_date=D(2020, 9, 23), end_date=D(2022, 6, 30))
    with pytest.raises(ValidationError) as error:
        Award(city=term.city, year=2024).full_clean()
    assert error.value.message_dict["city"] == [f"{term.city} was not a member in 2024; only members are eligible."]
    Award(city=term.city, year=2021).full_clean()


def test_full_clean_accepts_an_award_to_a_member_whose_join_date_is_not_recorded():
    term = MembershipTermFactory(unrecorded=True)
    Award(city=term.city, year=2021).full_clean()


def test_full_clean_refuses_a_seventh_winner_in_a_region_and_year():
    region = RegionFactory()
    for _ in range(6):
        AwardFactory(year=2021, city=MembershipTermFactory(city__country__region=region).city)
    city = MembershipTermFactory(city__country__region=region).city
    with pytest.raises(ValidationError) as error:
        Award(city=city, year=2021).full_clean()
    assert messages(error.value) == [f"{region} already has 6 winners in 2021."]
    Award(city=city, year=2024).full_clean()


# Deleting records with history ----------------------------------------------------------------


@pytest.mark.parametrize(
    "make_history",
    [
        pytest.param(lambda city: MembershipTermFactory(city=city), id="membership-term"),
        pytest.param(lambda city: AwardFactory(city=city), id="award"),
        pytest.param(lambda city: ClusterMembershipFactory(city=city), id="cluster"),
    ],
)
def test_deleting_a_city_with_history_is_refused(make_history):
    city = CityFactory()
    make_history(city)
    with pytest.raises(ProtectedError):
        city.delete()
    with pytest.raises(ProtectedError):
        City.objects.filter(pk=city.pk).delete()
    assert City.objects.filter(pk=city.pk).exists()


def test_deleting_a_city_without_history_is_allowed():
    city = CityFactory()
    city.delete()
    assert not City.objects.filter(pk=city.pk).exists()


def test_deleting_a_country_with_cities_is_refused():
    country = CityFactory().country
    with pytest.raises(ProtectedError):
        country.delete()
    assert Country.objects.filter(pk=country.pk).exists()


def test_deleting_a_region_with_countries_is_refused():
    region = Country.objects.get(code="VN").region
    with pytest.raises(ProtectedError):
        region.delete()


def test_city_clean_normalises_its_text_fields():
    city = CityFactory.build(name="Vinh\u200b", province="Nghệ\u00a0An ", description="First \u2003line\r\nSecond")
    city.clean()
    assert (city.name, city.province, city.description) == ("Vinh", "Nghệ An", "First line\nSecond")


def test_city_clean_names_each_field_with_a_control_character():
    city = CityFactory.build(name="Vinh\x00", description="Text\x1b")
    with pytest.raises(ValidationError) as refused:
        city.clean()
    # The description is translated: the error names its column in the active language, the field the form shows.
    assert set(refused.value.message_dict) == {"name", "description_en"}


def test_city_clean_checks_every_language_of_its_description():
    city = CityFactory.build(description_fr="Texte\x1b", description_ar="  نص\u200b  ")
    with pytest.raises(ValidationError) as refused:
        city.clean()
    assert set(refused.value.message_dict) == {"description_fr"}
    city.description_fr = "Texte"
    city.clean()
    assert city.description_ar == "نص"  # normalised as the English column is


def test_city_keeps_its_local_name_folded_for_search():
    city = CityFactory(local_name="Южный")
    assert city.search_local_name == "южныи"
