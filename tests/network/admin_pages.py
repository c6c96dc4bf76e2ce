"""The network admins under the shared harness (tests/test_admin_pages.py, tests/test_admin_bad_input.py): how to
build their rows, the records the generated posts collide with, and the change forms they post to."""

import datetime

from network.models import Award, City, Cluster, ClusterMembership, Country, MembershipTerm, Region
from tests.admin_pages import AppPages
from tests.network.factories import (
    AwardFactory,
    CityFactory,
    CitySlugRedirectFactory,
    ClusterFactory,
    ClusterMembershipFactory,
    CountryAliasFactory,
    CountryFactory,
    MembershipTermFactory,
    ProgressReportFactory,
    RegionFactory,
)

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
        CitySlugRedirectFactory(city=city)
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


def world(network):
    """Records of every kind to collide with: duplicates, overlapping terms, award limits."""
    ClusterMembershipFactory(city=network.vinh)
    CountryAliasFactory(country=network.vinh.country, name="Nước Việt")
    ProgressReportFactory(city=network.cork)
    return network


def many_rows():
    """More than 100 cities; the migration already loads more than 100 countries."""
    CityFactory.create_batch(101, country=Country.objects.get(code="VN"))


ADMIN = AppPages(
    pages={
        Region: (build_regions, "Test region"),
        Country: (build_countries, "Testland"),
        City: (build_cities, "City"),
        MembershipTerm: (build_membership_terms, "City"),
        Award: (build_awards, "City"),
        Cluster: (build_clusters, "Cluster"),
        ClusterMembership: (build_cluster_memberships, "City"),
    },
    world=world,
    change_pages={
        "city-with-terms-awards-reports-clusters": lambda w: w.cork,
        "membership-term": lambda w: w.cork.membership_terms.last(),
    },
    many_rows=many_rows,
)
