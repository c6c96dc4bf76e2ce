"""The admin's history pages: every record's versions, compared field by field, read-only, in constant queries."""

import datetime

import pytest
from django import forms as django_forms
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, Call
from conferences.models import Conference, Delegate, Delegation, Session, Venue
from core.admin.history import RecordHistoryAdmin
from imports.models import ImportRecord
from network.models import Award, City, Cluster, ClusterMembership, Country, MembershipTerm, ProgressReport, Region
from tests.admin_pages import add_inline_rows, form_data, is_historical
from tests.applications.factories import ApplicationFactory, CallFactory
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
    ClusterFactory,
    ClusterMembershipFactory,
    CountryFactory,
    MembershipTermFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def versions(obj, n: int, **alternatives):
    """Save `obj` until it has n versions, each switching the named fields to the next of their values."""
    for i in range(n - 1):
        for name, values in alternatives.items():
            setattr(obj, name, values[i % len(values)])
        obj.save()
    return obj


def two(factory, **kwargs):
    return [factory(**kwargs), factory(**kwargs)]


# How to give a record of each model n versions; foreign keys switch too, since their names are shown.
BUILDERS = {
    Region: lambda n: versions(RegionFactory(), n, name=[f"Region {n}a", f"Region {n}b"]),
    Country: lambda n: versions(CountryFactory(), n, region=two(RegionFactory), formal_name=["A", "B"]),
    City: lambda n: versions(CityFactory(), n, country=two(CountryFactory), province=["A", "B"]),
    MembershipTerm: lambda n: versions(MembershipTermFactory(), n, city=two(CityFactory), notes=["a", "b"]),
    Award: lambda n: versions(AwardFactory(), n, city=two(CityFactory), citation=["a", "b"]),
    Cluster: lambda n: versions(ClusterFactory(), n, description=["a", "b"]),
    ClusterMembership: lambda n: versions(ClusterMembershipFactory(), n, city=two(CityFactory)),
    Venue: lambda n: versions(VenueFactory(), n, city=two(CityFactory), address=["a", "b"]),
    Conference: lambda n: versions(ConferenceFactory(), n, venue=two(VenueFactory), mode=["hybrid", "online"]),
    Session: lambda n: versions(SessionFactory(), n, conference=two(ConferenceFactory), date=[None]),
    Delegation: lambda n: versions(DelegationFactory(), n, city=two(CityFactory), notes=["a", "b"]),
    Delegate: lambda n: versions(DelegateFactory(), n, delegation=two(DelegationFactory), position=["a", "b"]),
    Call: lambda n: versions(CallFactory(), n, how_to_apply=["a", "b"], per_country_cap=[2, 3]),
    Application: lambda n: versions(ApplicationFactory(), n, country=two(CountryFactory), interests=["a", "b"]),
}
WITH_HISTORY = sorted(
    (m for m, a in admin.site._registry.items() if isinstance(a, RecordHistoryAdmin)), key=lambda m: m.__name__
)


def history_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


def test_every_record_admin_shows_history_and_no_history_table_has_an_admin_of_its_own():
    assert set(WITH_HISTORY) == set(BUILDERS)
    assert set(admin.site._registry) - set(WITH_HISTORY) <= {ImportRecord} | {
        m for m in admin.site._registry if m._meta.app_label not in ("network", "conferences", "applications")
    }
    assert not [m for m in admin.site._registry if is_historical(m)]


@pytest.mark.parametrize("model", WITH_HISTORY, ids=lambda m: m.__name__)
def test_history_page_answers_with_the_same_queries_at_5_and_50_versions(staff_client, model):
    counted = {}
    for n in (5, 50):
        url = history_url(BUILDERS[model](n))
        staff_client.get(url)  # warm the per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(url)
        assert response.status_code == 200
        assert len(response.context["page_obj"].object_list) == n
        counted[n] = len(queries)
    assert counted[5] == counted[50], counted


def test_history_page_shows_who_changed_what_from_old_to_new(staff_client, admin_user):
    term = MembershipTermFactory(city__name="Cork", start_date=datetime.date(2015, 3, 1), source="")
    url = reverse("admin:network_membershipterm_change", args=[term.pk])
    response = staff_client.post(
        url,
        {
            "city": term.city.pk,
            "start_date": "2015-03-01",
            "start_precision": "day",
            "end_date": "2018-06-30",
            "end_reason": "withdrew",
            "source": "https://uil.unesco.org/cork",
            "notes": "",
        },
    )
    assert response.status_code == 302

    response = staff_client.get(history_url(term))
    newest, _created = response.context["page_obj"].object_list
    assert (newest.history_type, newest.history_user, newest.version) == ("~", admin_user, 2)
    changes = {change["field"]: (change["old"], change["new"]) for change in newest.history_delta_changes}
    assert changes == {
        "End date": ("(empty)", "2018-06-30"),
        "End reason": ("(empty)", "Withdrew"),
        "Source": ("(empty)", "https://uil.unesco.org/cork"),
    }
    assert "<strong>End reason:</strong> (empty) &rarr; Withdrew" in response.text
    assert f"<td>{admin_user.username}</td>" in response.text


def test_history_page_needs_the_view_permission(client, make_staff):
    city = CityFactory()
    client.force_login(make_staff())
    assert client.get(history_url(city)).status_code == 403
    client.force_login(make_staff("network.view_city", username="viewer"))
    assert client.get(history_url(city)).status_code == 200


def test_a_past_version_is_shown_but_cannot_be_saved_back(client, make_staff):
    city = versions(CityFactory(province="Nghe An"), 2, province=["Dong Thap"])
    first = city.history.earliest()
    url = reverse("admin:network_city_simple_history", args=[city.pk, first.history_id])
    client.force_login(make_staff("network.view_city", "network.change_city"))

    response = client.get(url)
    assert response.status_code == 200
    assert "Nghe An" in response.text
    assert 'value="Revert"' not in response.text

    response = client.post(url, {"name": city.name, "country": city.country.pk, "province": "Nghe An"})
    assert response.status_code == 403
    city.refresh_from_db()
    assert city.province == "Dong Thap"


def test_delegate_history_hides_contact_changes_from_staff_who_may_not_see_them(client, make_staff):
    delegate = versions(DelegateFactory(email="old@example.org", is_public=False), 2, email=["new@example.org"])
    url = history_url(delegate)

    client.force_login(make_staff("conferences.view_delegate", username="manager"))
    text = client.get(url).text
    assert "example.org" not in text
    assert "No visible field changed." in text
    first = delegate.history.earliest().history_id
    version = client.get(reverse("admin:conferences_delegate_simple_history", args=[delegate.pk, first]))
    assert version.status_code == 200
    assert "old@example.org" not in version.text

    for permission in ("conferences.change_delegate", "conferences.export_personal_data"):
        client.force_login(make_staff("conferences.view_delegate", permission, username=permission))
        assert "old@example.org &rarr; new@example.org" in client.get(url).text


def test_history_page_of_a_deleted_record_is_still_there(staff_client):
    award = AwardFactory(citation="For desert greening")
    pk, url = award.pk, history_url(award)
    award.delete()
    response = staff_client.get(url)
    assert response.status_code == 200
    assert [r.history_type for r in response.context["page_obj"].object_list] == ["-", "+"]
    assert Award.history.filter(id=pk).count() == 2


def test_history_page_shows_yes_or_no_for_a_tick_box(staff_client):
    delegate = versions(DelegateFactory(is_public=False), 2, is_public=[True])
    assert (
        "<strong>Name and role may be published:</strong> no &rarr; yes" in staff_client.get(history_url(delegate)).text
    )


def test_every_admin_url_field_reads_a_bare_domain_as_https(rf, admin_user):
    """Django 6.0's default, asked for by every admin form and inline rather than by a transitional setting."""
    request = rf.get("/")
    request.user = admin_user
    forms = []
    for model_admin in admin.site._registry.values():
        forms.append(model_admin.get_form(request))
        forms.extend(inline.get_formset(request).form for inline in model_admin.get_inline_instances(request))
    url_fields = {
        f"{form._meta.model.__name__}.{name}": field
        for form in forms
        for name, field in form.base_fields.items()
        if isinstance(field, django_forms.URLField)
    }
    # City.website, Venue.website, ProgressReport.link (only edited inline on the city page).
    assert {"City.website", "Venue.website", "ProgressReport.link"} <= set(url_fields)
    for field in url_fields.values():
        assert field.clean("sonla.example.org/about") == "https://sonla.example.org/about"
        assert field.clean("http://sonla.example.org") == "http://sonla.example.org"


def test_a_city_saved_with_bare_domains_keeps_https_addresses(staff_client):
    city = CityFactory(website="")
    url = reverse("admin:network_city_change", args=[city.pk])
    response = staff_client.get(url)
    prefix = next(
        inline.formset.prefix
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is ProgressReport
    )
    data = form_data(response) | {"website": "sonla.example.org"}
    add_inline_rows(data, prefix, [{"received_on": "2024-05-01", "title": "Report", "link": "sonla.example.org/r.pdf"}])
    assert staff_client.post(url, data).status_code == 302
    city.refresh_from_db()
    assert city.website == "https://sonla.example.org"
    assert city.progress_reports.get().link == "https://sonla.example.org/r.pdf"
