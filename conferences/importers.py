"""Importing a conference's participant list: the delegation of each city and its delegates."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from conferences.models import Conference, Delegate, Delegation
from core.history import ChangeNote
from core.text import fold
from imports.spreadsheets import ImportColumn, Problem, Table
from imports.workflow import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Importer,
    Plan,
    RowChange,
    chunks,
    duplicate_problems,
)
from network.importers import CityMatcher, bulk_create_cities, city_label, country_problem
from network.models import City, Country
from network.scopes import city_scopes_of

YES, NO = {"yes", "y", "true", "1", "x"}, {"no", "n", "false", "0"}
ROLE_WORDS = {"mayor": Delegate.Role.CITY_LEADER, "policy maker": Delegate.Role.POLICYMAKER}
TEXT_FIELDS = ["position", "organisation", "email", "phone", "notes"]


def _roles() -> dict[str, str]:
    roles = {fold(value): value for value in Delegate.Role.values}
    # The labels in the reader's language and in English: a file made from the English template stays valid.
    roles |= {fold(str(label)): value for value, label in Delegate.Role.choices}
    with translation.override("en"):
        roles |= {fold(str(label)): value for value, label in Delegate.Role.choices}
    roles |= {fold(value.replace("_", " ")): value for value in Delegate.Role.values}
    return roles | ROLE_WORDS


@dataclass
class DelegateRow:
    number: int
    city_name: str
    country: Country
    values: dict
    role: str | None
    is_head: bool | None
    is_public: bool | None

    @property
    def key(self):
        return (fold(self.city_name), self.country.pk, fold(self.values["full_name"]))


@dataclass
class DelegationPlan(Plan):
    new_cities: list[City] = field(default_factory=list)
    new_delegations: list[Delegation] = field(default_factory=list)
    new_delegates: list[Delegate] = field(default_factory=list)
    changed_delegates: dict[int, tuple[Delegate, set[str]]] = field(default_factory=dict)


class DelegationImport(Importer):
    kind = "delegations"
    title = gettext_lazy("Delegations and delegates")
    columns = [
        ImportColumn(
            "city",
            gettext_lazy("The city that sent the delegation; a city not yet in the registry is added."),
            True,
            200,
        ),
        ImportColumn(
            "country", gettext_lazy("ISO code, short or formal name, or a common variant."), True, None, "Viet Nam"
        ),
        ImportColumn("full_name", gettext_lazy("The delegate's full name."), True, 200, "Nguyen Van A"),
        ImportColumn(
            "role",
            gettext_lazy("City leader or mayor, policymaker, researcher, educator, practitioner or other."),
            False,
        ),
        ImportColumn(
            "position", gettext_lazy("Position or title."), False, 200, "Vice-chairman of the People's Committee"
        ),
        ImportColumn("organisation", gettext_lazy("Organisation."), False, 200),
        ImportColumn("head", gettext_lazy("yes for the head of the delegation (one per city)."), False, None, "yes"),
        ImportColumn("public", gettext_lazy("yes if name and role may be published."), False, None, "no"),
        ImportColumn("email", gettext_lazy("E-mail (staff only)."), False, 254),
        ImportColumn("phone", gettext_lazy("Phone (staff only)."), False, 40),
        ImportColumn("notes", gettext_lazy("Notes (staff only)."), False, multiline=True),
    ]

    def __init__(self, conference: Conference):
        self.conference = conference

    @classmethod
    def from_options(cls, options: dict):
        return cls(Conference.objects.get(number=options["conference"]))

    def options(self) -> dict:
        return {"conference": self.conference.number}

    def context(self) -> str:
        return self.conference.short_name

    def plan(self, table: Table) -> DelegationPlan:
        plan = DelegationPlan()
        rows = self._parse(table, plan.problems)
        keyed, labels = defaultdict(list), {}
        for row in rows:
            keyed[row.key].append(row.number)
            labels.setdefault(row.key, f"{row.values['full_name']} ({city_label(row.city_name, row.country)})")
        problems, repeated = duplicate_problems(keyed, "full_name", labels.__getitem__)
        plan.problems += problems
        rows = [row for row in rows if row.number not in repeated]
        cities = self._cities(rows, plan)
        rows = [row for row in rows if row.number in cities]
        delegations, delegates = self._existing([city.pk for city in cities.values() if city.pk])
        for row in rows:
            self._plan_row(row, cities[row.number], delegations, delegates, plan)
        self._check_heads(rows, cities, delegations, delegates, plan)
        plan.changes.sort(key=lambda change: change.row)
        return plan

    def _cities(self, rows: list[DelegateRow], plan: DelegationPlan) -> dict[int, City]:
        """The city of each row: one object per city, existing or new, so rows can be grouped by identity."""
        matcher = CityMatcher({(fold(row.city_name), row.country.pk) for row in rows})
        cities, new_cities = {}, {}
        for row in rows:
            city, ambiguity = matcher.match(row.city_name, row.country)
            if ambiguity:
                plan.problems.append(Problem(row.number, "city", ambiguity))
                continue
            if city is None:
                city = new_cities.setdefault(row.key[:2], City(name=row.city_name, country=row.country))
            cities[row.number] = city
        plan.new_cities = list(new_cities.values())
        return cities

    def _parse(self, table: Table, problems: list[Problem]) -> list[DelegateRow]:
        resolver, roles = Country.objects.resolver(), _roles()
        rows = []
        for number, values in table.rows:
            if not self.check_lengths(number, values, problems):
                continue
            found: list[Problem] = []
            country = resolver.resolve(values["country"])
            if country is None:
                found.append(country_problem(number, values["country"], resolver))
            role = _role(number, values["role"], roles, found)
            flags = {column: _yes_no(number, column, values[column], found) for column in ("head", "public")}
            if values["email"] and not _is_email(values["email"]):
                message = gettext("'%(text)s' is not an e-mail address") % {"text": values["email"]}
                found.append(Problem(number, "email", message))
            problems += found
            if not found:
                rows.append(DelegateRow(number, values["city"], country, values, role, flags["head"], flags["public"]))
        return rows

    def _existing(self, city_ids: list[int]):
        """This conference's delegations by city id, and their delegates by delegation id."""
        delegations, delegates = {}, defaultdict(list)
        for batch in chunks(city_ids):
            for delegation in Delegation.objects.filter(conference=self.conference, city_id__in=batch):
                delegations[delegation.city_id] = delegation
        for batch in chunks([d.pk for d in delegations.values()]):
            for delegate in Delegate.objects.filter(delegation_id__in=batch):
                delegates[delegate.delegation_id].append(delegate)
        return delegations, delegates

    def _plan_row(self, row, city, delegations, delegates, plan) -> None:
        label = f"{row.values['full_name']}, {city_label(city.name, city.country)}"
        details = [gettext("new city")] if city.pk is None else []
        key = city.pk or id(city)
        delegation = delegations.get(key)
        if delegation is None:
            delegation = delegations[key] = Delegation(conference=self.conference, city=city)
            plan.new_delegations.append(delegation)
            details.append(gettext("new delegation"))
        name = fold(row.values["full_name"])
        existing = next((d for d in delegates.get(delegation.pk, []) if fold(d.full_name) == name), None)
        if existing is None:
            delegate = Delegate(delegation=delegation, full_name=row.values["full_name"])
            self._set(delegate, row)
            plan.new_delegates.append(delegate)
            plan.changes.append(RowChange(row.number, CREATE, label, [*details, gettext("new delegate")]))
            return
        changed = self._set(existing, row)
        if not changed:
            plan.changes.append(RowChange(row.number, UNCHANGED, label))
            return
        plan.changed_delegates[existing.pk] = (existing, changed)
        # Private values stay out of the preview and the import history: only the field names are shown.
        shown = ", ".join(sorted(name.replace("_", " ") for name in changed))
        plan.changes.append(RowChange(row.number, UPDATE, label, [gettext("changed: %(fields)s") % {"fields": shown}]))

    @staticmethod
    def _set(delegate: Delegate, row: DelegateRow) -> set[str]:
        """Copy the row's non-empty cells onto the delegate; empty cells leave a value as it is."""
        wanted = {name: row.values[name] for name in TEXT_FIELDS if row.values[name]}
        wanted |= {"role": row.role, "is_head": row.is_head, "is_public": row.is_public}
        changed = set()
        for name, value in wanted.items():
            if value is not None and getattr(delegate, name) != value:
                setattr(delegate, name, value)
                changed.add(name)
        return changed

    def _check_heads(self, rows, cities, delegations, delegates, plan) -> None:
        """One head per delegation, counting the delegates already recorded that the file leaves alone."""
        heads, named = defaultdict(list), {}
        for row in rows:
            city = cities[row.number]
            named[(id(city), row.key[2])] = row
            if row.is_head:
                heads[id(city)].append(row)
        for city_rows in heads.values():
            first, *others = city_rows
            city = cities[first.number]
            for row in others:
                plan.problems.append(
                    Problem(
                        row.number,
                        "head",
                        gettext("%(name)s on row %(row)s is already head of the delegation of %(city)s")
                        % {"name": first.values["full_name"], "row": first.number, "city": city.name},
                    )
                )
            delegation = delegations.get(city.pk or id(city))
            for delegate in delegates.get(delegation.pk, []) if delegation.pk else []:
                row = named.get((id(city), fold(delegate.full_name)))
                if delegate.is_head and row is not first and (row is None or row.is_head is not False):
                    plan.problems.append(
                        Problem(
                            first.number,
                            "head",
                            gettext(
                                "%(name)s is already head of the delegation of %(city)s; "
                                "put 'no' in their head cell to change it"
                            )
                            % {"name": delegate.full_name, "city": city.name},
                        )
                    )

    def write(self, plan: DelegationPlan, note: ChangeNote) -> None:
        bulk_create_cities(plan.new_cities, note=note)
        note.bulk_create(Delegation, plan.new_delegations)
        changed = [delegate for delegate, _ in plan.changed_delegates.values()]
        # Heads stepping down go first, so that the one-head rule holds after every statement. Not recorded:
        # the update below records these delegates' whole change.
        Delegate.objects.bulk_update([d for d in changed if not d.is_head], ["is_head"], batch_size=1000)
        note.bulk_create(Delegate, plan.new_delegates)
        fields = sorted(set().union(*(names for _, names in plan.changed_delegates.values())))
        if fields:
            note.bulk_update(Delegate, changed, fields)

    def changed_scopes(self, plan: DelegationPlan) -> list[str]:
        """The conference's pages and counts, and the pages of the cities whose delegation changed (their own,
        their countries' and regions'); one query, for the cities of the delegations that gained or changed
        delegates."""
        delegates = [*plan.new_delegates, *(delegate for delegate, _fields in plan.changed_delegates.values())]
        delegation_ids = {delegate.delegation_id for delegate in delegates}
        city_ids = {city.pk for city in plan.new_cities} | {d.city.pk for d in plan.new_delegations}
        city_ids |= set(Delegation.objects.filter(pk__in=delegation_ids).values_list("city_id", flat=True))
        return [*city_scopes_of(city_ids), f"conference:{self.conference.pk}"]


def _role(number: int, text: str, roles: dict[str, str], problems: list[Problem]) -> str | None:
    """The role value named by `text` (a label or value, accents and case ignored), or None with a problem."""
    if not text:
        return None
    role = roles.get(fold(text))
    if role is None:
        labels = ", ".join(label.lower() for label in Delegate.Role.labels)
        message = gettext("unknown role '%(text)s' (use: %(roles)s)") % {"text": text, "roles": labels}
        problems.append(Problem(number, "role", message))
    return role


def _yes_no(number: int, column: str, text: str, problems: list[Problem]) -> bool | None:
    """True, False, or None for an empty cell; a problem for anything else."""
    lowered = text.lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    if lowered:
        problems.append(Problem(number, column, gettext("'%(text)s' is not yes or no") % {"text": text}))
    return None


def _is_email(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True
