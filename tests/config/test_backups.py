"""The portable backup of README's "Backups": dumpdata with natural foreign keys, loaded into an emptied database."""

import datetime
import gzip

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from conferences.models import Conference, Delegate, Delegation, Session, Venue
from core.dates import DatePrecision
from network.models import Award, City, Cluster, ClusterMembership, Country, CountryAlias, MembershipTerm, Region
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory, SessionFactory
from tests.network.factories import (
    AwardFactory,
    CityFactory,
    ClusterMembershipFactory,
    CountryAliasFactory,
    MembershipTermFactory,
)

# Children before parents, so that protected foreign keys let each table be emptied.
RECORDS = [
    Delegate,
    Delegation,
    Session,
    Conference,
    Venue,
    ClusterMembership,
    Award,
    MembershipTerm,
    City,
    Cluster,
    CountryAlias,
    Country,
    Region,
]
REFERENCE_DATA = {Region, Country, CountryAlias, Cluster}  # what the migrations load into a new database


def build_network():
    viet_nam = Country.objects.get(code="VN")
    sa_dec = CityFactory(name="Sa Đéc", country=viet_nam, province="Dong Thap")
    MembershipTermFactory(city=sa_dec, former=True, start_date=datetime.date(2016, 9, 1))
    MembershipTermFactory(city=sa_dec, start_date=datetime.date(2024, 1, 1), start_precision=DatePrecision.YEAR)
    son_la = CityFactory(name="Sơn La", country=viet_nam, local_name="Sơn La")
    MembershipTermFactory(city=son_la, start_date=datetime.date(2024, 2, 1), start_precision=DatePrecision.MONTH)
    MembershipTermFactory(unrecorded=True)
    AwardFactory(city=sa_dec, year=2021)
    ClusterMembershipFactory(city=sa_dec, cluster=Cluster.objects.first())
    ClusterMembershipFactory(city=son_la)
    CountryAliasFactory(country=viet_nam, name="Socialist Republic of Viet Nam, the")
    conference = ConferenceFactory(number=6, short_name="ICLC 6", slug="iclc-6")
    plenary, visit = SessionFactory(conference=conference), SessionFactory(conference=conference, kind="study_visit")
    for city in (sa_dec, son_la):
        delegation = DelegationFactory(conference=conference, city=city, notes="Staff note")
        delegation.sessions.set([plenary, visit])
        DelegateFactory(delegation=delegation, is_head=True, published=True)
        DelegateFactory(delegation=delegation)


def dump(path):
    # Primary keys are kept, so that each record's history still points at it after a restore.
    call_command("dumpdata", "network", "conferences", natural_foreign=True, output=str(path))
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read()


@pytest.mark.django_db
@pytest.mark.parametrize("keep_reference_data", [False, True], ids=["empty", "freshly-migrated"])
def test_backup_round_trips_every_record(tmp_path, keep_reference_data):
    build_network()
    deleted = MembershipTermFactory(city__name="Atlantis")
    deleted_pk, city = deleted.pk, deleted.city
    deleted.delete()
    city.delete()  # the term's history outlives both, and points at a city that is gone
    counts = {model: model.objects.count() for model in RECORDS}
    versions = {model: model.history.count() for model in RECORDS}
    backup = dump(tmp_path / "backup.json.gz")

    for model in RECORDS:
        if not (keep_reference_data and model in REFERENCE_DATA):
            model.objects.all().delete()
        model.history.all().delete()
    call_command("loaddata", str(tmp_path / "backup.json.gz"), verbosity=0)

    assert {model: model.objects.count() for model in RECORDS} == counts
    assert {model: model.history.count() for model in RECORDS} == versions
    assert dump(tmp_path / "again.json.gz") == backup
    sa_dec = City.objects.get(slug="sa-dec-vn")
    assert [term.period for term in sa_dec.membership_terms.all()] == [
        "1 September 2016 – 30 June 2023",
        "2024 – present",
    ]
    delegation = sa_dec.delegations.get(conference__number=6)
    assert {s.kind for s in delegation.sessions.all()} == {"plenary", "study_visit"}
    assert delegation.delegates.get(is_head=False).email.endswith("@example.org")
    assert sa_dec.history.get().name == "Sa Đéc"
    assert [v.history_type for v in MembershipTerm.history.filter(id=deleted_pk)] == ["-", "+"]


@pytest.mark.django_db
def test_membership_terms_still_may_not_overlap_after_a_restore(tmp_path):
    term = MembershipTermFactory()
    dump(tmp_path / "backup.json.gz")
    MembershipTerm.objects.all().delete()
    call_command("loaddata", str(tmp_path / "backup.json.gz"), verbosity=0)

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipTerm.objects.create(city_id=term.city_id, start_date=datetime.date(2022, 1, 1))


@pytest.mark.django_db
def test_times_keep_their_microseconds_through_a_restore(tmp_path):
    # Django's own JSON encoder writes milliseconds: 10:49:38.000412 would come back as 10:49:38.
    instant = datetime.datetime(2026, 11, 28, 10, 49, 38, 412, tzinfo=datetime.UTC)
    city = CityFactory()
    City.objects.filter(pk=city.pk).update(created_at=instant, updated_at=instant)
    session = SessionFactory(start_time=datetime.time(9, 30, 0, 250))
    dump(tmp_path / "backup.json.gz")
    Session.objects.all().delete()
    City.objects.filter(pk=city.pk).delete()
    call_command("loaddata", str(tmp_path / "backup.json.gz"), verbosity=0)

    restored = City.objects.get(pk=city.pk)
    assert (restored.created_at, restored.updated_at) == (instant, instant)
    assert Session.objects.get(pk=session.pk).start_time == datetime.time(9, 30, 0, 250)
