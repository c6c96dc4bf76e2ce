"""The staff roles: what each group, a visitor and a signed-in staff member without a role can reach."""

import csv
import io
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from accounts.roles import ADMINISTRATORS, DATA_ENTRY, MANAGERS, ROLES, grant_roles, remove_roles
from reports.export import BOM
from tests.conferences.factories import ConferenceFactory, DelegateFactory
from tests.imports.factories import ImportRecordFactory
from tests.network.factories import CityFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db

ANONYMOUS, NO_ROLE = "anonymous visitor", "staff without a role"
ACTORS = [ANONYMOUS, NO_ROLE, DATA_ENTRY, MANAGERS, ADMINISTRATORS]
OK, DENIED, SIGN_IN = 200, 403, "sign in"


def codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def state_apps():
    """The models as the migrations leave them, which is what the roles migration sees."""
    return MigrationLoader(connection).project_state().apps


# The groups ------------------------------------------------------------------------------------


def test_the_migration_creates_the_three_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


def test_data_entry_adds_and_changes_records_and_deletes_only_mistakes():
    granted = codenames(DATA_ENTRY)
    assert {"network.add_city", "network.change_city", "conferences.add_delegate", "conferences.change_conference"} <= (
        granted
    )
    assert {"network.delete_membershipterm", "network.delete_award", "conferences.delete_session"} <= granted
    assert {"conferences.delete_delegate", "conferences.delete_delegation"} <= granted
    refused = {
        "network.delete_city",
        "conferences.delete_conference",
        "network.delete_country",
        "network.delete_region",
        "network.add_region",
        "network.delete_cluster",
        "imports.change_importrecord",
        "network.view_reports",
        "conferences.export_personal_data",
        "auth.change_user",
    }
    assert granted & refused == set()


def test_managers_view_everything_and_reports_and_change_only_what_follow_up_adds():
    granted = codenames(MANAGERS)
    assert {"network.view_city", "conferences.view_delegate", "imports.view_importrecord"} <= granted
    assert "network.view_reports" in granted
    assert "conferences.export_personal_data" not in granted
    # From the follow-up lists: record a progress report received, send a reminder. Nothing else.
    changes = sorted(p for p in granted if not p.split(".")[1].startswith("view_"))
    assert changes == ["applications.announce_cohort", "network.add_progressreport", "network.add_reminder"]


def test_data_entry_keeps_applications_and_managers_read_them():
    data_entry, managers = codenames(DATA_ENTRY), codenames(MANAGERS)
    assert {"applications.change_application", "applications.add_call", "applications.delete_review"} <= data_entry
    assert not {"applications.delete_application", "applications.change_transition"} & data_entry
    assert "applications.announce_cohort" not in data_entry
    assert {"applications.view_application", "applications.announce_cohort"} <= managers
    assert "applications.change_application" not in managers  # so no contact details either


def test_administrators_hold_every_permission_of_the_records_and_manage_accounts():
    granted = codenames(ADMINISTRATORS)
    every = Permission.objects.filter(content_type__app_label__in=["network", "conferences"])
    assert {f"{p.content_type.app_label}.{p.codename}" for p in every.select_related("content_type")} <= granted
    assert {"auth.add_user", "auth.change_user", "auth.change_group", "auth.delete_user"} <= granted


def test_roles_can_be_removed_and_granted_again_to_the_same_permissions():
    before = {role: codenames(role) for role in ROLES}
    apps, editor = state_apps(), SimpleNamespace(connection=connection)
    remove_roles(apps, editor)
    assert not Group.objects.filter(name__in=ROLES).exists()
    grant_roles(apps, editor)
    grant_roles(apps, editor)
    assert {role: codenames(role) for role in ROLES} == before


def test_granting_again_keeps_what_was_granted_by_hand():
    extra = Permission.objects.get(content_type__app_label="conferences", codename="export_personal_data")
    Group.objects.get(name=MANAGERS).permissions.add(extra)
    grant_roles(state_apps(), SimpleNamespace(connection=connection))
    assert "conferences.export_personal_data" in codenames(MANAGERS)


# Who reaches what ------------------------------------------------------------------------------


@pytest.fixture
def records():
    """A city and a conference nothing depends on (so their delete pages answer), a delegate, an import."""
    return SimpleNamespace(
        participant_list=ImportRecordFactory(kind="delegations", file_name="iclc6.csv"),
        city=CityFactory(),
        conference=ConferenceFactory(host_city=None, venue=None),
        term=MembershipTermFactory(),
        delegate=DelegateFactory(email="ana.private@example.org"),
    )


def admin_url(name, obj=None):
    return reverse(f"admin:{name}", args=[obj.pk] if obj else [])


PAGES = {
    "admin index": lambda r: reverse("admin:index"),
    "city list": lambda r: admin_url("network_city_changelist"),
    "city add": lambda r: admin_url("network_city_add"),
    "city change": lambda r: admin_url("network_city_change", r.city),
    "city delete": lambda r: admin_url("network_city_delete", r.city),
    "city history": lambda r: admin_url("network_city_history", r.city),
    "membership term delete": lambda r: admin_url("network_membershipterm_delete", r.term),
    "conference list": lambda r: admin_url("conferences_conference_changelist"),
    "conference add": lambda r: admin_url("conferences_conference_add"),
    "conference change": lambda r: admin_url("conferences_conference_change", r.conference),
    "conference delete": lambda r: admin_url("conferences_conference_delete", r.conference),
    "delegate change": lambda r: admin_url("conferences_delegate_change", r.delegate),
    "reports": lambda r: reverse("reports:index"),
    "cities export": lambda r: reverse("reports:export", args=["cities", "csv"]),
    "cohort import": lambda r: admin_url("network_city_import"),
    "delegation import": lambda r: admin_url("conferences_delegation_import"),
    "import history": lambda r: admin_url("imports_importrecord_changelist"),
    "participant list download": lambda r: admin_url("imports_importrecord_file", r.participant_list),
    "user accounts": lambda r: admin_url("auth_user_changelist"),
    "groups": lambda r: admin_url("auth_group_changelist"),
}
# For each page: what the anonymous visitor, staff without a role, Data entry, Managers and Administrators get.
EXPECTED = {
    "admin index": (SIGN_IN, OK, OK, OK, OK),
    "city list": (SIGN_IN, DENIED, OK, OK, OK),
    "city add": (SIGN_IN, DENIED, OK, DENIED, OK),
    "city change": (SIGN_IN, DENIED, OK, OK, OK),
    "city delete": (SIGN_IN, DENIED, DENIED, DENIED, OK),
    "city history": (SIGN_IN, DENIED, OK, OK, OK),
    "membership term delete": (SIGN_IN, DENIED, OK, DENIED, OK),
    "conference list": (SIGN_IN, DENIED, OK, OK, OK),
    "conference add": (SIGN_IN, DENIED, OK, DENIED, OK),
    "conference change": (SIGN_IN, DENIED, OK, OK, OK),
    "conference delete": (SIGN_IN, DENIED, DENIED, DENIED, OK),
    "delegate change": (SIGN_IN, DENIED, OK, OK, OK),
    "reports": (SIGN_IN, DENIED, DENIED, OK, OK),
    "cities export": (SIGN_IN, DENIED, DENIED, OK, OK),
    "cohort import": (SIGN_IN, DENIED, OK, DENIED, OK),
    "delegation import": (SIGN_IN, DENIED, OK, DENIED, OK),
    "import history": (SIGN_IN, DENIED, OK, OK, OK),
    "participant list download": (SIGN_IN, DENIED, OK, DENIED, OK),
    "user accounts": (SIGN_IN, DENIED, DENIED, DENIED, OK),
    "groups": (SIGN_IN, DENIED, DENIED, DENIED, OK),
}
MATRIX = [(page, actor, EXPECTED[page][i]) for page in PAGES for i, actor in enumerate(ACTORS)]


@pytest.fixture
def sign_in(client, django_user_model):
    """Sign the client in as `actor`: a staff member in that group, or with no group; or stay anonymous."""

    def sign_in(actor, *permissions):
        if actor == ANONYMOUS:
            return client
        user = django_user_model.objects.create_user(username="someone", is_staff=True)
        if actor != NO_ROLE:
            user.groups.add(Group.objects.get(name=actor))
        for label in permissions:
            app_label, codename = label.split(".")
            user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        client.force_login(user)  # django-axes needs a request for client.login()
        return client

    return sign_in


def test_every_page_of_the_matrix_has_an_expectation():
    assert set(EXPECTED) == set(PAGES)


@pytest.mark.parametrize(("page", "actor", "expected"), MATRIX, ids=[f"{p} - {a}" for p, a, _ in MATRIX])
def test_who_reaches_which_page(sign_in, records, page, actor, expected):
    response = sign_in(actor).get(PAGES[page](records))
    if expected == SIGN_IN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("actor", "can_save"), [(DATA_ENTRY, True), (MANAGERS, False), (ADMINISTRATORS, True)])
def test_record_pages_are_editable_only_for_roles_that_change_records(sign_in, records, actor, can_save):
    text = sign_in(actor).get(admin_url("network_city_change", records.city)).text
    assert ('name="_save"' in text) is can_save


def test_data_entry_cannot_delete_a_city_even_by_posting(sign_in, records):
    response = sign_in(DATA_ENTRY).post(admin_url("network_city_delete", records.city), {"post": "yes"})
    assert response.status_code == 403
    assert type(records.city).objects.filter(pk=records.city.pk).exists()


@pytest.mark.parametrize("actor", [DATA_ENTRY, MANAGERS, ADMINISTRATORS])
def test_export_actions_show_only_with_the_reports_permission(sign_in, records, actor):
    text = sign_in(actor).get(admin_url("network_city_changelist") + "?membership=all").text
    assert ("Export selected as CSV" in text) is (actor != DATA_ENTRY)


# Delegates' contact details ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "permissions", "shown"),
    [
        (DATA_ENTRY, [], True),
        (MANAGERS, [], False),
        (MANAGERS, ["conferences.export_personal_data"], True),
        (ADMINISTRATORS, [], True),
    ],
)
def test_delegate_contact_details_in_the_admin(sign_in, records, actor, permissions, shown):
    client = sign_in(actor, *permissions)
    delegate_page = client.get(admin_url("conferences_delegate_change", records.delegate)).text
    delegation_page = client.get(admin_url("conferences_delegation_change", records.delegate.delegation)).text
    assert ("ana.private@example.org" in delegate_page) is shown
    assert ("ana.private@example.org" in delegation_page) is shown


def test_searching_delegates_by_email_needs_the_right_to_see_it(sign_in, records):
    client = sign_in(MANAGERS)
    response = client.get(admin_url("conferences_delegate_changelist"), {"q": "ana.private"})
    assert list(response.context["cl"].result_list) == []


def delegate_export_header(client) -> list[str]:
    response = client.get(reverse("reports:export", args=["delegates", "csv"]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)[len(BOM) :].decode()
    return next(csv.reader(io.StringIO(data)))


@pytest.mark.parametrize(
    ("actor", "permissions", "included"),
    [
        (MANAGERS, [], False),
        (MANAGERS, ["conferences.export_personal_data"], True),
        (ADMINISTRATORS, [], True),
    ],
)
def test_exports_include_contact_details_only_with_the_personal_data_permission(
    sign_in, records, actor, permissions, included
):
    header = delegate_export_header(sign_in(actor, *permissions))
    assert ("E-mail" in header) is included


def test_only_administrators_may_merge_cities():
    holders = Group.objects.filter(permissions__codename="merge_city").values_list("name", flat=True)
    assert list(holders) == ["Administrators"]
