"""Merging duplicate cities: every kind of row pointing at a city moves, each conflict waits for a staff choice."""

import datetime

import pytest
from django.urls import reverse

from conferences.models import Conference, Delegate, Delegation, Venue
from network.duplicates.merge import JOIN, MergeError, city_merge, city_merge_plan
from network.models import Award, City, CitySlugRedirect, ClusterMembership, MembershipTerm, ProgressReport
from tests.conferences.factories import (
    ConferenceFactory,
    DelegateFactory,
    DelegationFactory,
    SessionFactory,
    VenueFactory,
)
from tests.network.factories import (
    AwardFactory,
    CityFactory,
    CitySlugRedirectFactory,
    ClusterFactory,
    ClusterMembershipFactory,
    CountryFactory,
    MembershipTermFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def pair():
    country = CountryFactory()
    keep = CityFactory(name="Sa Đéc", country=country, province="")
    merge = CityFactory(name="Sa Dec City", country=country, province="Đồng Tháp", population=214610)
    return keep, merge


def conflict_of(plan, model):
    return next(c for c in plan.conflicts if c.key.startswith(model._meta.label_lower))


def test_every_kind_of_row_moves_to_the_city_kept(pair, admin_user):
    keep, merge = pair
    MembershipTermFactory(city=merge, start_date=D(2020, 9, 23))
    award = AwardFactory(city=merge, year=2024)
    membership = ClusterMembershipFactory(city=merge)
    report = ProgressReportFactory(city=merge)
    delegation = DelegationFactory(city=merge)
    venue = VenueFactory(city=merge)
    hosted = ConferenceFactory(host_city=merge, venue=venue)
    old = CitySlugRedirectFactory(city=merge)

    city_merge(keep=keep, merge=[merge], choices={}, user=admin_user)

    assert MembershipTerm.objects.get().city == keep
    for row, model in [(award, Award), (membership, ClusterMembership), (report, ProgressReport)]:
        assert model.objects.get(pk=row.pk).city == keep
    assert Delegation.objects.get(pk=delegation.pk).city == keep
    assert Venue.objects.get(pk=venue.pk).city == keep
    assert Conference.objects.get(pk=hosted.pk).host_city == keep
    assert CitySlugRedirect.objects.get(pk=old.pk).city == keep
    assert not City.objects.filter(pk=merge.pk).exists()


def test_the_merged_city_fills_empty_fields_of_the_one_kept_and_overwrites_none(pair, admin_user):
    keep, merge = pair
    keep.population = 1000
    keep.save()
    merge.latitude, merge.longitude = 10.29, 105.76
    merge.save()

    city_merge(keep=keep, merge=[merge], choices={}, user=admin_user)

    keep.refresh_from_db()
    assert (keep.name, keep.province, keep.population) == ("Sa Đéc", "Đồng Tháp", 1000)
    assert (float(keep.latitude), float(keep.longitude)) == (10.29, 105.76)


def test_the_old_address_redirects_permanently_to_the_city_kept(client, pair, admin_user):
    keep, merge = pair
    old_url, old_history = merge.get_absolute_url(), reverse("network:city_history", args=[merge.slug])

    city_merge(keep=keep, merge=[merge], choices={}, user=admin_user)

    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, keep.get_absolute_url())
    assert client.get(old_history)["Location"] == reverse("network:city_history", args=[keep.slug])
    assert client.get(reverse("network:city_detail", args=["no-such-city"])).status_code == 404


def test_the_history_of_both_cities_names_who_merged_what(pair, admin_user):
    keep, merge = pair
    merged_pk = merge.pk
    city_merge(keep=keep, merge=[merge], choices={}, user=admin_user)

    kept, deleted = keep.history.first(), City.history.filter(id=merged_pk).first()
    assert deleted.history_type == "-"
    for record in (kept, deleted):
        assert record.history_user == admin_user
        assert record.history_change_reason == f"Merged Sa Dec City ({merge.slug}) into Sa Đéc ({keep.slug})"


def test_overlapping_terms_are_a_conflict_and_nothing_moves_without_a_choice(pair, admin_user):
    keep, merge = pair
    MembershipTermFactory(city=keep, start_date=D(2020, 9, 23))
    MembershipTermFactory(city=merge, start_date=D(2020, 1, 1), end_date=D(2021, 6, 30))

    plan = city_merge_plan(keep=keep, merge=[merge])
    assert [c.title for c in plan.conflicts] == ["Membership terms that overlap"]
    with pytest.raises(MergeError, match="Choose what to keep"):
        city_merge(keep=keep, merge=[merge], choices={}, user=admin_user)
    assert City.objects.filter(pk=merge.pk).exists()
    assert MembershipTerm.objects.filter(city=merge).count() == 1


def test_overlapping_terms_joined_make_one_term_from_the_earliest_start_to_the_latest_end(pair, admin_user):
    keep, merge = pair
    MembershipTermFactory(city=keep, start_date=D(2020, 9, 23))
    MembershipTermFactory(city=merge, start_date=D(2020, 1, 1), end_date=D(2021, 6, 30), notes="From a cohort list")
    conflict = city_merge_plan(keep=keep, merge=[merge]).conflicts[0]

    city_merge(keep=keep, merge=[merge], choices={conflict.key: JOIN}, user=admin_user)

    term = MembershipTerm.objects.get()
    assert (term.city, term.start_date, term.end_date, term.notes) == (keep, D(2020, 1, 1), None, "From a cohort list")


def test_overlapping_terms_resolved_by_keeping_one(pair, admin_user):
    keep, merge = pair
    kept_term = MembershipTermFactory(city=keep, start_date=D(2020, 9, 23))
    MembershipTermFactory(city=merge, start_date=D(2020, 1, 1))
    conflict = city_merge_plan(keep=keep, merge=[merge]).conflicts[0]

    city_merge(keep=keep, merge=[merge], choices={conflict.key: str(kept_term.pk)}, user=admin_user)

    assert list(MembershipTerm.objects.values_list("pk", flat=True)) == [kept_term.pk]


def test_terms_that_do_not_overlap_both_move_without_a_conflict(pair, admin_user):
    keep, merge = pair
    MembershipTermFactory(city=keep, start_date=D(2020, 9, 23))
    MembershipTermFactory(city=merge, start_date=D(2015, 1, 1), end_date=D(2016, 12, 31))
    assert city_merge_plan(keep=keep, merge=[merge]).conflicts == []
    city_merge(keep=keep, merge=[merge], choices={}, user=admin_user)
    assert keep.membership_terms.count() == 2


def test_two_delegations_at_one_conference_keep_the_chosen_one_with_the_delegates_of_both(pair, admin_user):
    keep, merge = pair
    conference = ConferenceFactory()
    session = SessionFactory(conference=conference)
    ours = DelegationFactory(conference=conference, city=keep)
    theirs = DelegationFactory(conference=conference, city=merge)
    theirs.sessions.add(session)
    DelegateFactory(delegation=ours, full_name="Nguyen A")
    DelegateFactory(delegation=theirs, full_name="Tran B")
    conflict = conflict_of(city_merge_plan(keep=keep, merge=[merge]), Delegation)

    city_merge(keep=keep, merge=[merge], choices={conflict.key: str(ours.pk)}, user=admin_user)

    assert list(Delegation.objects.values_list("pk", flat=True)) == [ours.pk]
    assert sorted(Delegate.objects.filter(delegation=ours).values_list("full_name", flat=True)) == [
        "Nguyen A",
        "Tran B",
    ]
    assert list(ours.sessions.all()) == [session]


def test_two_heads_of_the_delegations_to_join_stop_the_merge_with_a_message(pair, admin_user):
    keep, merge = pair
    conference = ConferenceFactory()
    ours = DelegationFactory(conference=conference, city=keep)
    theirs = DelegationFactory(conference=conference, city=merge)
    DelegateFactory(delegation=ours, is_head=True)
    DelegateFactory(delegation=theirs, is_head=True)
    conflict = conflict_of(city_merge_plan(keep=keep, merge=[merge]), Delegation)

    with pytest.raises(MergeError, match="cannot move"):
        city_merge(keep=keep, merge=[merge], choices={conflict.key: str(ours.pk)}, user=admin_user)
    assert Delegation.objects.count() == 2
    assert City.objects.filter(pk=merge.pk).exists()


@pytest.mark.parametrize("kept_side", ["keep", "merge"])
def test_two_awards_for_one_year_keep_the_one_chosen(pair, admin_user, kept_side):
    keep, merge = pair
    for city in pair:
        MembershipTermFactory(city=city, start_date=D(2020, 1, 1))
    ours, theirs = AwardFactory(city=keep, year=2024), AwardFactory(city=merge, year=2024, citation="Theirs")
    chosen = ours if kept_side == "keep" else theirs
    plan = city_merge_plan(keep=keep, merge=[merge])
    choices = {conflict_of(plan, Award).key: str(chosen.pk), conflict_of(plan, MembershipTerm).key: JOIN}

    city_merge(keep=keep, merge=[merge], choices=choices, user=admin_user)

    award = Award.objects.get()
    assert (award.pk, award.city) == (chosen.pk, keep)


def test_one_cluster_twice_is_a_conflict(pair, admin_user):
    keep, merge = pair
    cluster = ClusterFactory()
    ClusterMembershipFactory(city=keep, cluster=cluster, joined_year=2022)
    theirs = ClusterMembershipFactory(city=merge, cluster=cluster, joined_year=2020)
    conflict = conflict_of(city_merge_plan(keep=keep, merge=[merge]), ClusterMembership)

    city_merge(keep=keep, merge=[merge], choices={conflict.key: str(theirs.pk)}, user=admin_user)

    assert ClusterMembership.objects.get().joined_year == 2020


def test_three_cities_merge_into_one(admin_user):
    country = CountryFactory()
    keep, *merge = [CityFactory(name=name, country=country) for name in ("Vinh", "Vinh City", "Thanh pho Vinh")]
    for city in merge:
        ProgressReportFactory(city=city)

    city_merge(keep=keep, merge=merge, choices={}, user=admin_user)

    assert keep.progress_reports.count() == 2
    assert CitySlugRedirect.objects.filter(city=keep).count() == 2


def test_cities_of_two_countries_are_not_merged(admin_user):
    keep, other = CityFactory(), CityFactory()
    with pytest.raises(MergeError, match="merge cities of one country"):
        city_merge_plan(keep=keep, merge=[other])


def test_a_city_is_not_merged_into_itself(pair):
    keep, _ = pair
    with pytest.raises(MergeError, match="into itself"):
        city_merge_plan(keep=keep, merge=[keep])
