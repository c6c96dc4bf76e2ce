"""Private fields (a delegate's e-mail, phone and notes) through the admin: every URL lookup Django knows on them,
from every changelist that reaches them through relations, for every role; and the search box, autocomplete,
columns, ordering, list filters and date drill-down, driven by the same declaration (network/admin_input.py)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, TextField, Transform
from django.db.models.functions import Lower
from django.test.utils import register_lookup
from django.urls import reverse

from accounts.roles import ADMINISTRATORS, DATA_ENTRY, MANAGERS
from conferences.models import Conference, Delegate, Delegation
from core.admin.safe_input import SafeInputAdminMixin, may_see_private, private_fields
from tests.conftest import PRIVATE_EMAIL, PRIVATE_NOTES, PRIVATE_PHONE

pytestmark = pytest.mark.django_db

MANAGERS_WITH_PERSONAL_DATA = "Managers + conferences.export_personal_data"
ROLES = [DATA_ENTRY, MANAGERS, ADMINISTRATORS, MANAGERS_WITH_PERSONAL_DATA]
PRIVATE_MODELS = [model for model in admin.site._registry if private_fields(model)]


def relations(model) -> list:
    return [field for field in model._meta.get_fields() if field.is_relation and field.related_model]


def paths_to_private_models(depth: int = 4) -> list[tuple]:
    """(changelist model, path, private model) for every registered changelist: the local fields of a model that
    declares private ones (path ""), and each path of relations, up to `depth` long, that reaches such a model
    without passing a model twice (besides back to the start: a delegate's delegation's delegates)."""
    found = [(model, "", model) for model in PRIVATE_MODELS]
    for start in admin.site._registry:
        frontier = [("", start, {start})]
        for _ in range(depth):
            reached = []
            for path, model, seen in frontier:
                for field in relations(model):
                    target, step = field.related_model, f"{path}__{field.name}".lstrip("_")
                    if target in seen and target is not start:
                        continue
                    if private_fields(target):
                        found.append((start, step, target))
                    if target not in seen:
                        reached.append((step, target, seen | {target}))
            frontier = reached
    return found


PATHS = paths_to_private_models()


def test_the_model_graph_gives_the_paths_the_probe_named():
    found = {(start._meta.model_name, path) for start, path, _ in PATHS}
    assert ("delegate", "") in found
    assert ("delegation", "delegates") in found
    assert ("city", "delegations__delegates") in found
    assert ("conference", "delegations__delegates") in found


def lookups_of(field) -> list[str]:
    """Every lookup registered on `field`, and each transform's own lookups after it (`lower__startswith`)."""
    names = []
    for name, lookup in field.get_lookups().items():
        names.append(name)
        if issubclass(lookup, Transform):
            # A transform such as Lower keeps its input's type; one of another type would name its output_field.
            names += [f"{name}__{after}" for after in field.get_lookups() if after != name]
    return names


def value_for(lookup: str) -> str:
    """A value the lookup takes, so that only a refusal keeps it from filtering."""
    last = lookup.rsplit("__", 1)[-1]
    return {"in": "z,zq", "range": "a,zz", "isnull": "0", "regex": "^z", "iregex": "^Z"}.get(last, "z")


def query_strings(path: str, private_model, sample: bool) -> list[dict]:
    wanted = {"exact", "regex", "lower__startswith", "isnull", "in"}
    queries = []
    for name in sorted(private_fields(private_model)):
        field = private_model._meta.get_field(name)
        for lookup in lookups_of(field):
            if sample and lookup not in wanted:
                continue
            key = "__".join(part for part in (path, name, lookup) if part)
            queries.append({key: value_for(lookup)})
        queries.append({f"{path}__{name}".lstrip("_"): PRIVATE_EMAIL})  # the bare field: exact
    return queries


def refused(response) -> bool:
    """Django's answers for a lookup it does not allow: 400, or the "?e=1" error page; or 403 for a changelist
    the role may not open at all (users and groups, reached through the reminders a user sent to a city)."""
    if response.status_code == 403:
        return True
    return response.status_code == 400 or (response.status_code == 302 and response["Location"].endswith("?e=1"))


@pytest.fixture
def role_client(client, django_user_model, build_network):
    """A client signed in as a member of the role's group; the network has delegates with PRIVATE_EMAIL."""
    build_network(2)

    def sign_in(role: str):
        user = django_user_model.objects.create_user(username=f"u{len(role)}", password="x", is_staff=True)
        user.groups.add(Group.objects.get(name=role.split(" + ")[0]))
        if role == MANAGERS_WITH_PERSONAL_DATA:
            user.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
        client.force_login(user)
        return client, user

    return sign_in


@pytest.fixture
def lower_registered():
    # No transform is registered on text fields by default: Lower shows that chained transforms are covered.
    with register_lookup(CharField, Lower), register_lookup(TextField, Lower):
        yield


def test_every_changelist_that_reaches_a_private_field_has_the_guard():
    for start, _, _ in PATHS:
        assert isinstance(admin.site._registry[start], SafeInputAdminMixin), start


@pytest.mark.usefixtures("lower_registered")
@pytest.mark.parametrize("start", sorted({start for start, _, _ in PATHS}, key=str), ids=lambda m: m._meta.model_name)
def test_managers_get_every_lookup_on_a_private_field_refused_from_every_changelist(role_client, start):
    # Every lookup on the private model's own changelist and one relation away; further away, a sample of them
    # (the guard reads the fields of the path, whatever follows them): some 700 requests in all.
    client, user = role_client(MANAGERS)
    assert not may_see_private(user, Delegate)
    url = reverse(f"admin:{start._meta.app_label}_{start._meta.model_name}_changelist")
    failures = []
    for path, target in [(path, target) for begin, path, target in PATHS if begin is start]:
        for query in query_strings(path, target, sample="__" in path):
            response = client.get(url, query)
            if not refused(response):
                failures.append((query, response.status_code))
    assert not failures, failures[:20]


@pytest.mark.usefixtures("lower_registered")
@pytest.mark.parametrize("role", [DATA_ENTRY, ADMINISTRATORS, MANAGERS_WITH_PERSONAL_DATA])
def test_roles_that_see_contact_details_keep_filtering_delegates_by_them(role_client, role):
    client, user = role_client(role)
    assert may_see_private(user, Delegate)
    url = reverse("admin:conferences_delegate_changelist")
    for query in query_strings("", Delegate, sample=True):
        assert client.get(url, query).status_code == 200, query
    for field, value in [("email", PRIVATE_EMAIL), ("phone", PRIVATE_PHONE), ("notes", PRIVATE_NOTES)]:
        found = client.get(url, {field: value}).context["cl"].result_list
        assert found and all(getattr(delegate, field) == value for delegate in found)


def test_the_probes_binary_search_on_an_email_is_refused(role_client):
    client, _ = role_client(MANAGERS)
    url = reverse("admin:conferences_delegate_changelist")
    for query in ["email__regex=^zq[a-m]", "email__startswith=zq", "email__iendswith=@example.org", "phone=x"]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, query
        assert PRIVATE_EMAIL not in response.text


@pytest.mark.parametrize(("role", "finds"), [(MANAGERS, False), (MANAGERS_WITH_PERSONAL_DATA, True)])
def test_search_box_and_autocomplete_leave_out_private_fields_for_those_who_may_not_see_them(
    role_client, monkeypatch, role, finds
):
    client, _ = role_client(role)
    # A search field reaching a delegate's e-mail from delegations, as someone might add one later.
    delegation_admin = admin.site._registry[Delegation]
    monkeypatch.setattr(delegation_admin, "search_fields", [*delegation_admin.search_fields, "delegates__email"])
    changelist = client.get(reverse("admin:conferences_delegation_changelist"), {"q": PRIVATE_EMAIL})
    assert changelist.status_code == 200
    assert bool(changelist.context["cl"].result_list) is finds
    delegates = client.get(reverse("admin:conferences_delegate_changelist"), {"q": PRIVATE_EMAIL})
    assert bool(delegates.context["cl"].result_list) is finds
    query = {"app_label": "conferences", "model_name": "delegate", "field_name": "delegation", "term": PRIVATE_EMAIL}
    autocomplete = client.get(reverse("admin:autocomplete"), query)
    assert autocomplete.status_code == 200
    assert bool(autocomplete.json()["results"]) is finds


@pytest.fixture
def private_conference_fields(monkeypatch):
    """Conferences' start date, mode and number marked private, as any field may be later."""
    monkeypatch.setattr(Conference, "PRIVATE_FIELDS", ("start_date", "mode", "number"), raising=False)
    monkeypatch.setattr(Conference, "PRIVATE_FIELDS_PERMISSIONS", ("conferences.export_personal_data",), raising=False)


@pytest.mark.usefixtures("private_conference_fields")
@pytest.mark.parametrize(("role", "sees"), [(MANAGERS, False), (MANAGERS_WITH_PERSONAL_DATA, True)])
def test_a_field_marked_private_leaves_drill_down_list_filter_and_ordering(role_client, role, sees):
    client, _ = role_client(role)
    url = reverse("admin:conferences_conference_changelist")
    cl = client.get(url).context["cl"]
    assert (cl.date_hierarchy == "start_date") is sees
    assert bool([spec for spec in cl.filter_specs if spec.title == "mode"]) is sees
    assert ("-number" in cl.queryset.query.order_by) is sees
    sorted_by_dates = client.get(url, {"o": "3"}).context["cl"]  # the "dates" column sorts by start_date
    assert ("start_date" in sorted_by_dates.queryset.query.order_by) is sees
    drill_down = client.get(url, {"start_date__year": "2024"})
    assert (drill_down.status_code == 200) is sees
    assert (client.get(url, {"mode": "online"}).status_code == 200) is sees


def test_filters_on_a_binary_field_are_refused_not_a_server_error(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:imports_importrecord_changelist")
    for query in ["content=x", "content__contains=x", "content__isnull=1", "content__in=a,b"]:
        assert client.get(f"{url}?{query}").status_code == 400, query
