"""The conferences admin: its counts, filters, searches and rules, shown as messages. The tests every admin gets
(queries, options) are in tests/test_admin_pages.py, fed by tests/conferences/admin_pages.py."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conferences.models import Conference, Delegation
from core.pagination import EstimatedCountPaginator
from network.models import Country
from tests.admin_pages import add_inline_rows, form_data, readonly_value
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory, SessionFactory
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db

D = datetime.date


# The conference page ----------------------------------------------------------------------------


def test_conference_page_shows_what_was_counted_here(staff_client):
    vietnam, saudi_arabia = Country.objects.get(code="VN"), Country.objects.get(code="SA")
    iclc6 = ConferenceFactory(number=6)
    for name, country, delegates in [("Vinh", vietnam, 2), ("Sa Đéc", vietnam, 1), ("Sơn La", vietnam, 0)]:
        delegation = DelegationFactory(conference=iclc6, city=CityFactory(name=name, country=country))
        DelegateFactory.create_batch(delegates, delegation=delegation)
    DelegateFactory.create_batch(4, delegation=DelegationFactory(conference=iclc6, city__country=saudi_arabia))
    DelegateFactory.create_batch(3, delegation=DelegationFactory(conference=ConferenceFactory(number=5)))

    response = staff_client.get(reverse("admin:conferences_conference_change", args=[iclc6.pk]))

    shown = {label: readonly_value(response.text, label) for label in ["Delegations", "Cities", "Countries"]}
    shown["Delegates"] = readonly_value(response.text, "Delegates")
    assert shown == {"Delegations": "4", "Cities": "4", "Countries": "2", "Delegates": "7"}


def test_conference_changelist_shows_counts(staff_client):
    conference = ConferenceFactory(short_name="ICLC 6")
    DelegateFactory.create_batch(3, delegation=DelegationFactory(conference=conference))
    response = staff_client.get(reverse("admin:conferences_conference_changelist"))
    assert '<td class="field-delegation_count">1</td>' in response.text
    assert '<td class="field-delegate_count">3</td>' in response.text


def test_admin_refuses_to_delete_a_conference_with_delegations(staff_client):
    conference = DelegationFactory().conference
    url = reverse("admin:conferences_conference_delete", args=[conference.pk])
    response = staff_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.text
    assert Conference.objects.filter(pk=conference.pk).exists()


@pytest.mark.parametrize("saved", [False, True], ids=["two-new-rows", "saved-and-new-row"])
def test_conference_page_refuses_a_city_twice_with_a_message(staff_client, saved):
    conference = ConferenceFactory()
    city = CityFactory()
    if saved:
        DelegationFactory(conference=conference, city=city)
    url = reverse("admin:conferences_conference_change", args=[conference.pk])
    new_rows = [{"city": city.pk}] * (1 if saved else 2)
    data = add_inline_rows(form_data(staff_client.get(url)), "delegations", new_rows)

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for city" in response.text
    assert conference.delegations.count() == (1 if saved else 0)


def test_conference_page_saves_with_its_delegations_unchanged(staff_client):
    delegation = DelegationFactory()
    SessionFactory(conference=delegation.conference)
    url = reverse("admin:conferences_conference_change", args=[delegation.conference.pk])
    data = form_data(staff_client.get(url))
    data["delegations-0-city"] = str(CityFactory().pk)  # a saved delegation keeps its city on this page
    data["title_en"] = "Learning cities at the forefront of climate action"

    response = staff_client.post(url, data)

    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.conference.title == "Learning cities at the forefront of climate action"
    assert Delegation.objects.get().city == delegation.city


# The delegation page ----------------------------------------------------------------------------


def test_delegation_form_refuses_sessions_of_another_conference(staff_client):
    iclc6 = ConferenceFactory(number=6)
    ours = SessionFactory(conference=iclc6, title="Study visit to Jubail")
    theirs = SessionFactory(conference=ConferenceFactory(number=5), title="Mayors' forum in Yeonsu")
    city = CityFactory()
    url = reverse("admin:conferences_delegation_add")
    data = form_data(staff_client.get(url))
    data.update({"conference": iclc6.pk, "city": city.pk, "sessions": [ours.pk, theirs.pk]})

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["sessions"] == [
        "These sessions belong to another conference: Mayors' forum in Yeonsu."
    ]
    assert not Delegation.objects.exists()

    data["sessions"] = [ours.pk]
    assert staff_client.post(url, data).status_code == 302
    assert list(Delegation.objects.get().sessions.all()) == [ours]


def test_delegation_page_refuses_two_heads_with_a_message(staff_client):
    delegation = DelegationFactory()
    url = reverse("admin:conferences_delegation_change", args=[delegation.pk])
    rows = [{"full_name": name, "role": "city_leader", "is_head": "on"} for name in ["Mayor One", "Mayor Two"]]
    data = add_inline_rows(form_data(staff_client.get(url)), "delegates", rows)

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "A delegation has one head." in response.text
    assert not delegation.delegates.exists()


@pytest.mark.parametrize(
    ("terms", "shown"),
    [
        pytest.param([(D(2020, 9, 23), None)], "True", id="member"),
        pytest.param([], "False", id="observer"),
        pytest.param([(D(2016, 1, 1), D(2023, 6, 30))], "False", id="left-before"),
        pytest.param([(None, None)], "True", id="unrecorded-start"),
    ],
)
def test_delegation_page_shows_whether_the_city_was_a_member(staff_client, terms, shown):
    delegation = DelegationFactory(conference__start_date=D(2024, 12, 3), conference__end_date=D(2024, 12, 5))
    for start, end in terms:
        MembershipTermFactory(city=delegation.city, start_date=start, end_date=end)
    response = staff_client.get(reverse("admin:conferences_delegation_change", args=[delegation.pk]))
    assert f'alt="{shown}"' in readonly_value(response.text, "Member at the time")


def test_delegation_member_filter(staff_client):
    member = DelegationFactory()
    MembershipTermFactory(city=member.city, start_date=None)
    observer = DelegationFactory(conference=member.conference)
    url = reverse("admin:conferences_delegation_changelist")
    assert list(staff_client.get(url, {"member": "yes"}).context["cl"].result_list) == [member]
    assert list(staff_client.get(url, {"member": "no"}).context["cl"].result_list) == [observer]


# Large tables -----------------------------------------------------------------------------------------------


def test_conference_filter_lists_the_latest_conferences_and_the_one_chosen(staff_client):
    first, *_, last = ConferenceFactory.create_batch(12)
    delegation = DelegationFactory(conference=first)
    DelegationFactory(conference=last)
    url = reverse("admin:conferences_delegation_changelist")

    unfiltered = staff_client.get(url)
    chosen = staff_client.get(url, {"conference": str(first.number)})

    assert first.short_name not in unfiltered.text.split('id="changelist-filter"')[1]
    assert "Another, by number" in unfiltered.text
    assert list(chosen.context["cl"].result_list) == [delegation]
    assert f"?conference={first.number}" in chosen.text.split('id="changelist-filter"')[1]


def test_conference_filter_explains_a_value_that_is_not_a_number(staff_client):
    DelegationFactory.create_batch(2)
    response = staff_client.get(reverse("admin:conferences_delegate_changelist"), {"conference": "six"})
    assert response.status_code == 200
    assert "“six” is not a conference number" in response.text


@pytest.mark.parametrize(
    ("search", "found"),
    [
        pytest.param("Nguyen", ["Nguyen Van A"], id="name"),
        pytest.param("people's committee", ["Nguyen Van A"], id="organisation"),
        pytest.param("tran@", ["Tran Thi B"], id="e-mail"),
        pytest.param("Sa Dec", ["Tran Thi B"], id="city-without-accents"),
        pytest.param("Tran Sa", ["Tran Thi B"], id="every-word-somewhere"),
        pytest.param("Nguyen Sa", [], id="words-in-different-delegates"),
        pytest.param("Sa", ["Tran Thi B"], id="a-short-word-alone"),
        pytest.param("Vinh Ng", ["Nguyen Van A"], id="a-short-word-narrows-the-others"),
        pytest.param("Vinh Tr", [], id="a-short-word-in-another-delegate"),
        pytest.param("vinh ĐÉ", [], id="a-short-word-of-another-city"),
    ],
)
def test_delegate_search_looks_in_name_organisation_email_and_city(staff_client, search, found):
    vinh = DelegationFactory(city=CityFactory(name="Vinh"))
    sa_dec = DelegationFactory(city=CityFactory(name="Sa Đéc"))
    DelegateFactory(delegation=vinh, full_name="Nguyen Van A", organisation="People's Committee of Vinh")
    DelegateFactory(delegation=sa_dec, full_name="Tran Thi B", email="tran@example.org")
    response = staff_client.get(reverse("admin:conferences_delegate_changelist"), {"q": search})
    assert sorted(d.full_name for d in response.context["cl"].result_list) == found


def test_delegate_changelist_reads_no_full_count_of_a_large_table(staff_client, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row estimates are PostgreSQL's")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_limit", 3)
    DelegateFactory.create_batch(6)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE conferences_delegate")
    with CaptureQueriesContext(connection) as captured:
        response = staff_client.get(reverse("admin:conferences_delegate_changelist"))
    assert response.context["cl"].result_count == 6  # the estimate, right after ANALYZE
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts == []


def test_conference_page_in_french_saves_session_titles_in_english_only(staff_client):
    conference = ConferenceFactory()
    session = SessionFactory(conference=conference, title="Opening plenary")
    url = reverse("admin:conferences_conference_change", args=[conference.pk])
    with translation.override("fr"):
        data = form_data(staff_client.get(url))
        assert data["sessions-0-title_en"] == "Opening plenary"
        assert staff_client.post(url, data).status_code == 302
    session.refresh_from_db()
    # The inline edits the English title: the French one stays empty (the page falls back), not a copy.
    assert (session.title_en, session.title_fr) == ("Opening plenary", None)
