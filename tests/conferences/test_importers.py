import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conferences.importers import DelegationImport
from conferences.models import Delegate, Delegation
from imports.models import ImportRecord
from imports.workflow import import_apply, import_preview
from network.models import City, Country
from tests.conferences.factories import ConferenceFactory, DelegateFactory, DelegationFactory
from tests.network.factories import CityFactory

pytestmark = pytest.mark.django_db

HEADER = ("city", "country", "full_name", "role", "head", "public", "email")
IMPORT_URL = reverse("admin:conferences_delegation_import")


def participants(*rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def conference():
    return ConferenceFactory(number=6, short_name="ICLC 6")


@pytest.fixture
def vinh():
    return CityFactory(name="Vinh", country=Country.objects.get(code="VN"))


def apply(conference, *rows, **kwargs):
    data = participants(*rows, **kwargs)
    return import_apply(importer=DelegationImport(conference), data=data, file_name="participants.csv")


def problems(result) -> list[str]:
    return [str(problem) for problem in result.problems]


def test_delegation_import_creates_delegations_and_delegates_of_known_and_new_cities(conference, vinh):
    result = apply(
        conference,
        ("Vinh", "Viet Nam", "Nguyen Van A", "Mayor", "yes", "yes", "a@example.org"),
        ("VINH", "VN", "Tran Thi B", "researcher", "", "", ""),
        ("Sa Đéc", "Vietnam", "Le Van C", "City leader or mayor", "yes", "no", ""),
    )
    assert result.applied, result.lines()
    assert [(c.row, c.action) for c in result.changes] == [(2, "create"), (3, "create"), (4, "create")]
    assert result.changes[2].details == ["new city", "new delegation", "new delegate"]
    assert Delegation.objects.filter(conference=conference).count() == 2
    head = Delegate.objects.get(full_name="Nguyen Van A")
    assert (head.delegation.city, head.role, head.is_head, head.is_public, head.email) == (
        vinh,
        Delegate.Role.CITY_LEADER,
        True,
        True,
        "a@example.org",
    )
    assert Delegate.objects.get(full_name="Tran Thi B").role == Delegate.Role.RESEARCHER
    assert City.objects.get(name="Sa Đéc").slug == "sa-dec-vn"
    assert ImportRecord.objects.get().context == "ICLC 6"


def test_delegation_import_of_the_same_file_again_changes_nothing(conference, vinh):
    rows = [("Vinh", "VN", "Nguyen Van A", "mayor", "yes", "yes", "a@example.org")]
    apply(conference, *rows)
    before = list(Delegate.objects.values())
    assert apply(conference, *rows).counts == {"create": 0, "update": 0, "unchanged": 1}
    assert list(Delegate.objects.values()) == before


def test_delegation_import_updates_given_cells_and_keeps_empty_ones(conference, vinh):
    delegate = DelegateFactory(delegation__conference=conference, delegation__city=vinh, full_name="Nguyen Van A")
    result = apply(conference, ("Vinh", "VN", "nguyen van a", "educator", "", "", "new@example.org"))
    assert result.changes[0].details == ["changed: email, role"]  # the value itself stays out of the preview
    delegate.refresh_from_db()
    assert (delegate.role, delegate.email, delegate.phone) == ("educator", "new@example.org", "+84 24 0000 0000")


def test_delegation_import_hands_over_the_head_of_a_delegation(conference, vinh):
    old = DelegateFactory(delegation__conference=conference, delegation__city=vinh, full_name="Old Head", is_head=True)
    result = apply(
        conference, ("Vinh", "VN", "Old Head", "", "no", "", ""), ("Vinh", "VN", "New Head", "", "yes", "", "")
    )
    assert result.applied, result.lines()
    old.refresh_from_db()
    assert not old.is_head and Delegate.objects.get(full_name="New Head").is_head


def test_delegation_import_refuses_a_second_head(conference, vinh):
    DelegateFactory(delegation__conference=conference, delegation__city=vinh, full_name="Old Head", is_head=True)
    result = apply(conference, ("Vinh", "VN", "New Head", "", "yes", "", ""))
    assert problems(result) == [
        "Row 2, head: Old Head is already head of the delegation of Vinh; put 'no' in their head cell to change it"
    ]
    assert Delegate.objects.count() == 1


def test_delegation_import_refuses_two_heads_in_the_file(conference):
    result = apply(conference, ("Vinh", "VN", "A", "", "yes", "", ""), ("Vinh", "VN", "B", "", "yes", "", ""))
    assert problems(result) == ["Row 3, head: A on row 2 is already head of the delegation of Vinh"]
    assert (City.objects.filter(name="Vinh").count(), Delegate.objects.count()) == (0, 0)


def test_delegation_import_reports_each_bad_cell(conference):
    result = apply(
        conference,
        ("Vinh", "Kingdom of Moroco", "A", "", "", "", ""),
        ("Vinh", "VN", "B", "astronaut", "maybe", "", "not-an-email"),
        ("Vinh", "VN", "C", "", "", "", ""),
        ("Vinh", "Vietnam", "c", "", "", "", ""),
    )
    assert problems(result) == [
        "Row 2, country: unknown country 'Kingdom of Moroco': did you mean Morocco?",
        "Row 3, role: unknown role 'astronaut' (use: city leader or mayor, policymaker, researcher, educator, "
        "practitioner, other)",
        "Row 3, head: 'maybe' is not yes or no",
        "Row 3, email: 'not-an-email' is not an e-mail address",
        "Row 5, full_name: C (Vinh, Viet Nam) appears twice, rows 4 and 5",
    ]
    assert (City.objects.filter(name="Vinh").count(), Delegation.objects.count()) == (0, 0)


def test_delegation_import_counts_the_same_queries_for_5_and_50_rows(conference, django_assert_max_num_queries):
    for size in (5, 50):
        rows = [(f"City {n % 7}", "VN", f"Person {size}-{n}", "", "", "", "") for n in range(size)]
        # 16 before the history, which adds one INSERT per model written (cities, delegations, delegates);
        # on PostgreSQL 2 more: the import lock, and keeping the matcher's lookups on the B-tree; 2 for the cache
        # scopes of what changed (the delegations' cities, their places).
        with django_assert_max_num_queries(23):
            assert apply(conference, *rows).applied


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Vinh", "Sa Đéc", "", "x" * 201]),
            st.sampled_from(["VN", "Moroco", ""]),
            st.text(max_size=15),
            st.sampled_from(["mayor", "", "astronaut"]),
            st.sampled_from(["yes", "no", "", "maybe"]),
            st.sampled_from(["yes", ""]),
            st.sampled_from(["", "a@example.org", "nope"]),
        ),
        max_size=8,
    )
)
def test_delegation_import_preview_never_fails_unexpectedly_on_generated_rows(conference, rows):
    result = import_preview(importer=DelegationImport(conference), data=participants(*rows), file_name="p.csv")
    assert all(problem.row >= 2 for problem in result.problems)


def importer_user(codenames) -> User:
    user = User.objects.create_user("importer", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


PERMISSIONS = ["add_delegation", "add_delegate", "change_delegate", "add_city", "view_delegation"]


def test_delegation_admin_imports_a_file_for_the_chosen_conference(client, conference):
    client.force_login(importer_user(PERMISSIONS))
    data = participants(("Vinh", "VN", "Nguyen Van A", "mayor", "yes", "", ""))
    response = client.post(IMPORT_URL, {"conference": 6, "file": SimpleUploadedFile("p.csv", data)})
    record = ImportRecord.objects.get()
    assert record.options == {"conference": 6}
    page = client.get(response["Location"]).content.decode()
    assert "Nguyen Van A, Vinh, Viet Nam" in page
    client.post(reverse("admin:conferences_delegation_import_apply", args=[record.pk]))
    assert Delegate.objects.get().delegation.conference == conference


def test_delegation_admin_import_asks_for_a_conference_that_exists(client, conference):
    client.force_login(importer_user(PERMISSIONS))
    data = participants(("Vinh", "VN", "A", "", "", "", ""))
    response = client.post(IMPORT_URL, {"conference": 99, "file": SimpleUploadedFile("p.csv", data)})
    assert "There is no conference number 99." in response.content.decode()
    assert ImportRecord.objects.count() == 0


@pytest.mark.parametrize("missing", ["add_delegation", "add_delegate", "change_delegate", "add_city"])
def test_delegation_admin_import_needs_every_permission(client, conference, missing):
    client.force_login(importer_user([p for p in PERMISSIONS if p != missing]))
    data = participants(("Vinh", "VN", "A", "", "", "", ""))
    assert client.post(IMPORT_URL, {"conference": 6, "file": SimpleUploadedFile("p.csv", data)}).status_code == 403
    assert client.get(reverse("admin:conferences_delegation_changelist")).status_code == 200
    assert Delegation.objects.count() == 0


def test_delegation_admin_import_uses_the_conference_of_the_preview_not_of_a_later_form(client, conference):
    other = DelegationFactory().conference
    client.force_login(importer_user(PERMISSIONS))
    data = participants(("Vinh", "VN", "A", "", "", "", ""))
    client.post(IMPORT_URL, {"conference": 6, "file": SimpleUploadedFile("p.csv", data)})
    record = ImportRecord.objects.get()
    client.post(reverse("admin:conferences_delegation_import_apply", args=[record.pk]), {"conference": other.number})
    assert Delegate.objects.get().delegation.conference == conference


def test_delegation_admin_import_of_a_conference_deleted_since_the_preview_is_not_found(client, conference):
    client.force_login(importer_user(PERMISSIONS))
    data = participants(("Vinh", "VN", "A", "", "", "", ""))
    client.post(IMPORT_URL, {"conference": 6, "file": SimpleUploadedFile("p.csv", data)})
    record = ImportRecord.objects.get()
    conference.delete()
    assert client.post(reverse("admin:conferences_delegation_import_apply", args=[record.pk])).status_code == 404
    assert Delegate.objects.count() == 0


def test_delegation_import_records_each_change_in_the_history_with_the_user_and_the_import(conference, vinh):
    user = User.objects.create_user("importer", is_staff=True)
    delegation = DelegationFactory(conference=conference, city=vinh)
    delegate = DelegateFactory(delegation=delegation, full_name="Nguyen Van A")
    former_head = DelegateFactory(delegation=delegation, full_name="Tran Thi B", is_head=True)
    data = participants(
        ("Vinh", "VN", "Nguyen Van A", "mayor", "yes", "yes", "new@example.org"),
        ("Vinh", "VN", "Tran Thi B", "", "no", "", ""),
        ("Sa Đéc", "VN", "Le Van C", "", "", "", ""),
    )
    result = import_apply(importer=DelegationImport(conference), data=data, file_name="iclc6.csv", user=user)
    assert result.applied
    sa_dec = City.objects.get(name="Sa Đéc")
    versions = [
        delegate.history.latest(),
        former_head.history.latest(),
        sa_dec.history.get(),
        Delegation.history.get(city_id=sa_dec.pk),
        Delegate.history.get(full_name="Le Van C"),
    ]
    assert [v.history_type for v in versions] == ["~", "~", "+", "+", "+"]
    for version in versions:
        assert (version.history_user, version.history_change_reason) == (user, f"Import #{result.record.pk}: iclc6.csv")
    changes = versions[0].diff_against(versions[0].prev_record).changed_fields
    assert set(changes) == {"email", "role", "is_head", "is_public"}
    # The head stepping down is written twice (first, for the one-head rule), but is one change in the history.
    assert former_head.history.count() == 2
    assert versions[1].diff_against(versions[1].prev_record).changed_fields == ["is_head"]


NUL_IN_NOTES = Path(__file__).parent.parent / "data" / "import" / "delegates-nul-in-notes.csv"


def test_a_nul_in_the_notes_is_a_problem_on_its_row_and_nothing_is_written(conference, vinh):
    data = NUL_IN_NOTES.read_bytes()
    preview = import_preview(importer=DelegationImport(conference), data=data, file_name="nul.csv")
    assert [str(p) for p in preview.problems] == [
        "Row 2, notes: contains a control character (U+0000) at character 8; delete it (most programs do not show it)"
    ]
    data = data + b"Vinh,Viet Nam,Other Person,other,\x00\n" * 8000  # NUL after the first 8 KB as well
    result = import_apply(importer=DelegationImport(conference), data=data, file_name="nul.csv")
    assert not result.applied
    assert result.problem_count == 8001
    assert len(result.problems) == 100
    assert result.lines()[-1] == "… and 7,901 more problems."
    assert not Delegate.objects.exists()


def test_delegation_import_reads_countries_and_names_as_the_cohort_import_does(conference, vinh):
    data = "city,country,full_name\nVinh\u200b,Viêt Nam,Nguyen\u00a0Van A\nHue,VNM,Tran Thi B\n".encode("utf-16")
    result = import_preview(importer=DelegationImport(conference), data=data, file_name="p.csv")
    assert result.problems == []
    assert [change.record for change in result.changes] == [
        "Nguyen Van A, Vinh, Viet Nam",
        "Tran Thi B, Hue, Viet Nam",
    ]
    assert result.encoding == "UTF-16 with BOM"


def test_delegation_import_reports_a_likely_duplicate_city_naming_the_city_meant(conference):
    CityFactory(name="Sơn La", country=Country.objects.get(code="VN"))
    result = apply(conference, ("Son La City", "Viet Nam", "Nguyen Van A", "Mayor", "", "", ""))
    assert not result.applied
    assert any("did you mean Sơn La?" in problem for problem in problems(result))
    assert not Delegation.objects.exists()


def test_delegation_import_makes_stale_only_the_pages_of_the_conference_and_cities_it_changed(conference, vinh):
    from core.cache import BULK, LISTS, SHARED, versions

    other = ConferenceFactory(number=5)
    hue = CityFactory(name="Hue", country=Country.objects.get(code="VN"))
    bangkok = CityFactory(name="Bangkok", country=Country.objects.get(code="TH"))
    DelegateFactory(delegation__conference=conference, delegation__city=hue, full_name="Pham Thi D")
    DelegationFactory(conference=other, city=bangkok)
    vn = vinh.country
    scopes = [SHARED, BULK, LISTS, f"conference:{conference.pk}", f"city:{vinh.pk}", f"city:{hue.pk}"]
    scopes += [f"country:{vn.pk}", f"region:{vn.region_id}", f"conference:{other.pk}", f"city:{bangkok.pk}"]
    scopes += [f"country:{bangkok.country_id}", f"region:{bangkok.country.region_id}"]
    before = dict(zip(scopes, versions(scopes), strict=True))
    rows = [("Vinh", "VN", "Nguyen Van A", "", "", "", ""), ("Hue", "VN", "Pham Thi D", "educator", "", "", "")]
    assert apply(conference, *rows).applied  # a new delegation (Vinh), a changed delegate (Hue's)
    after = dict(zip(scopes, versions(scopes), strict=True))
    assert {scope for scope in scopes if before[scope] != after[scope]} == {
        LISTS,
        f"conference:{conference.pk}",
        f"city:{vinh.pk}",
        f"city:{hue.pk}",
        f"country:{vn.pk}",
        f"region:{vn.region_id}",
    }
