import datetime

import pytest

from conferences.models import Conference, Delegate, Delegation, Session, Venue
from core.dates import DatePrecision
from core.text import fold
from devtools.synthetic import (
    LAST_DAY,
    MARKER,
    GenerationError,
    NetworkGenerator,
    Sizes,
    delete_generated,
    member_during,
)
from network.models import Award, City, ClusterMembership, MembershipTerm
from tests.conferences.factories import ConferenceFactory
from tests.network.factories import MembershipTermFactory

pytestmark = pytest.mark.django_db


def generate(cities=60, conferences=4, delegates=300, seed=7):
    return NetworkGenerator(
        sizes=Sizes(cities, conferences, delegates), seed=seed, batch_size=50, progress=lambda line: None
    ).run()


def snapshot() -> dict:
    """Everything generated, by value rather than by id (ids differ between runs)."""
    return {
        "cities": list(
            City.objects.order_by("slug").values_list(
                "name", "local_name", "slug", "country__code", "province", "latitude", "population", "website"
            )
        ),
        "terms": list(
            MembershipTerm.objects.order_by("city__slug", "start_date").values_list(
                "city__slug", "start_date", "start_precision", "end_date", "end_reason"
            )
        ),
        "awards": list(Award.objects.order_by("year", "city__slug").values_list("year", "city__slug", "citation")),
        "conferences": list(
            Conference.objects.order_by("number").values_list(
                "number", "title", "start_date", "end_date", "host_city__slug", "venue__name", "mode", "award_year"
            )
        ),
        "sessions": sorted(Session.objects.values_list("conference__number", "kind", "title", "date")),
        "delegations": sorted(
            (d.conference.number, d.city.slug, tuple(sorted(d.sessions.values_list("title", flat=True))))
            for d in Delegation.objects.select_related("conference", "city")
        ),
        "delegates": sorted(
            Delegate.objects.values_list(
                "delegation__conference__number",
                "delegation__city__slug",
                "full_name",
                "role",
                "position",
                "is_head",
                "is_public",
                "email",
                "phone",
            )
        ),
    }


def test_generates_the_requested_numbers():
    counts = generate(cities=30, conferences=3, delegates=120)
    assert (City.objects.count(), Conference.objects.count(), Delegate.objects.count()) == (30, 3, 120)
    assert counts["delegates"] == 120
    assert counts["delegations"] == Delegation.objects.count() > 0


def test_generated_records_obey_every_rule():
    generate()
    for model in [City, MembershipTerm, Award, ClusterMembership, Venue, Conference, Session, Delegation, Delegate]:
        for obj in model.objects.all():
            obj.full_clean()
    for term in MembershipTerm.objects.all():
        before = term.start_date
        term.clean()
        assert term.start_date == before, "start dates are stored as the first day of their period"
    assert all(city.search_name == fold(city.name) for city in City.objects.all())
    for delegation in Delegation.objects.all():
        assert delegation.delegates.filter(is_head=True).count() <= 1
    assert not Delegate.objects.filter(is_head=True, email="").exists()
    assert not Delegate.objects.filter(is_head=True, phone="").exists()


def test_generates_every_kind_of_membership_history():
    generate()
    terms = MembershipTerm.objects.all()
    assert set(terms.values_list("start_precision", flat=True)) == set(DatePrecision)
    assert terms.filter(start_date__isnull=True).exists()
    assert not terms.filter(end_date__isnull=False, end_reason="").exists()
    assert terms.filter(end_date__isnull=False).exists()
    readmitted = [city for city in City.objects.all() if city.membership_terms.count() == 2]
    assert readmitted
    for city in readmitted:
        first, second = city.membership_terms.order_by("start_date")
        assert first.end_date < second.start_date and second.end_date is None
    assert City.objects.non_members().exists()
    assert City.objects.former_members().exists()
    assert not terms.filter(start_date__gt=LAST_DAY).exists()


def test_some_delegations_come_from_non_members():
    generate()
    statuses = set(Delegation.objects.with_member_status().values_list("city_was_member", flat=True))
    assert statuses == {True, False}


def test_awards_go_to_members_from_2015():
    generate()
    assert Award.objects.exists()
    assert not Award.objects.filter(year__lt=2015).exists()


def test_names_keep_diacritics_and_local_scripts():
    generate(cities=400, conferences=1, delegates=0)
    names = list(City.objects.values_list("name", "local_name"))
    assert any(fold(name) != name.lower() for name, _ in names)
    assert any(local and not local.isascii() for _, local in names)


def test_same_seed_gives_the_same_data():
    generate(seed=3)
    first = snapshot()
    delete_generated()
    generate(seed=3)
    assert snapshot() == first
    delete_generated()
    generate(seed=4)
    assert snapshot()["cities"] != first["cities"]


def test_conferences_are_numbered_after_existing_ones():
    ConferenceFactory(number=7, short_name="ICLC 7", slug="iclc-7", start_date=datetime.date(2027, 6, 1), end_date=None)
    generate(conferences=3)
    generated = Conference.objects.filter(source__startswith=MARKER).order_by("number")
    assert list(generated.values_list("number", flat=True)) == [8, 9, 10]
    assert generated.first().start_date > datetime.date(2027, 6, 1)


def test_refuses_a_conference_short_name_already_taken():
    ConferenceFactory(number=3, short_name="ICLC 4", slug="iclc-x")
    with pytest.raises(GenerationError, match="ICLC 4 already exists"):
        generate(conferences=2)


def test_delete_generated_keeps_other_records():
    kept = MembershipTermFactory().city
    conference = ConferenceFactory()
    generate()
    deleted = delete_generated()
    assert deleted["cities"] == 60
    assert set(City.objects.all()) == {kept, conference.host_city}
    assert list(Conference.objects.all()) == [conference]
    assert not Delegate.objects.exists()


def test_generated_data_is_bulk_inserted_without_history():
    generate()
    for model in (City, MembershipTerm, Conference, Delegation, Delegate):
        assert model.objects.exists() and not model.history.exists(), model.__name__


def test_delete_generated_works_when_staff_edited_generated_records_and_their_history_stays():
    generate()
    city, delegate = City.objects.first(), Delegate.objects.first()
    city.province, delegate.position = "Edited", "Edited"
    city.save()
    delegate.save()
    deleted = delete_generated()
    assert deleted["cities"] == 60 and not City.objects.exists()
    assert city.history.count() == delegate.history.count() == 1


def test_delete_generated_refuses_when_a_kept_conference_took_place_in_a_generated_city():
    generate()
    host = City.objects.first()
    ConferenceFactory(short_name="ICLC 99", number=99, host_city=host, venue=None)
    with pytest.raises(GenerationError, match="ICLC 99"):
        delete_generated()
    assert City.objects.count() == 60


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        ([(None, None)], True),
        ([(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))], True),
        ([(datetime.date(2021, 2, 1), None)], False),
        ([(None, datetime.date(2019, 12, 31))], False),
        ([], False),
    ],
)
def test_member_during_matches_the_queryset_rule(terms, expected):
    assert member_during(terms, datetime.date(2020, 6, 1), datetime.date(2021, 1, 31)) is expected
